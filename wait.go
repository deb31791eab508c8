package stratus

import (
	"context"
	"errors"
	"time"

	"github.com/stratus-cloud/stratus/transport"
)

// WaitOptions tune a waiter. Zero fields take the client's settings.
type WaitOptions struct {
	MinDelay time.Duration // first delay between polls
	MaxDelay time.Duration // longest delay between polls
	Timeout  time.Duration // longest wait; 0: the client's (DefaultWaitTime unless WithWaitTime); < 0: until ctx ends
	Progress func(WaitProgress)
}

// WaitProgress is reported after each poll.
type WaitProgress struct {
	Attempt int
	Elapsed time.Duration
	Done    int // objects that reached the wanted state
	Total   int
	State   string // a short description of the latest state
	// Requests is what the round cost: the requests it sent (waiters that
	// poll many objects with one list call report 1).
	Requests int
}

// WaitOptions returns the client's default wait settings.
func (c *Client) WaitOptions() WaitOptions {
	return WaitOptions{MinDelay: c.settings.WaitMin, MaxDelay: c.settings.WaitMax, Timeout: c.settings.waitTime()}
}

func (o WaitOptions) merge(c *Client) WaitOptions {
	d := c.WaitOptions()
	if o.MinDelay <= 0 {
		o.MinDelay = d.MinDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = d.MaxDelay
	}
	if o.MaxDelay < o.MinDelay {
		o.MaxDelay = o.MinDelay
	}
	if o.Timeout == 0 {
		o.Timeout = d.Timeout
	}
	return o
}

// Poll calls check until it reports done, it fails, ctx ends or the wait
// time runs out. Delays grow from MinDelay to MaxDelay with jitter. Running
// out of wait time returns a *WaitTimeoutError (errors.Is ErrWaitTimeout);
// a cancelled ctx returns ctx.Err().
func Poll(ctx context.Context, c *Client, o WaitOptions, check func(ctx context.Context) (done bool, p WaitProgress, err error)) error {
	o = o.merge(c)
	start := time.Now()
	var deadline time.Time
	if o.Timeout > 0 {
		deadline = start.Add(o.Timeout)
	}
	for attempt := 1; ; attempt++ {
		done, p, err := check(ctx)
		if err != nil {
			return err
		}
		p.Attempt, p.Elapsed = attempt, time.Since(start)
		if o.Progress != nil {
			o.Progress(p)
		}
		if done {
			return nil
		}
		delay := transport.Backoff(attempt, o.MinDelay, o.MaxDelay)
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return &WaitTimeoutError{Waited: time.Since(start)}
			}
			if delay > left {
				delay = left
			}
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Many describes a wait on many objects for PollMany.
type Many[T Object] struct {
	// Poll refreshes the pending objects and returns the requests it
	// sent: one list call for many objects where the API lists them, one
	// load per object where it cannot.
	Poll func(ctx context.Context, pending []T) (requests int, err error)
	// Ended reports whether an object is no longer to be polled: it
	// reached the wanted state, or a failure state it cannot leave.
	Ended func(T) bool
	// State describes an object's state for WaitProgress.State (the first
	// pending object's); nil leaves it empty.
	State func(T) string
}

// PollMany polls many objects together: each round calls m.Poll once with
// the objects that have not ended (every object in the first round), reports the round (Done, Total, State
// and the round's Requests) to the progress callback, and stops when every
// object has ended. It returns the objects that had not ended: none on
// success; the rest with ctx.Err() when ctx ends, or with a
// *WaitTimeoutError whose Pending lists them when the wait time runs out.
// Telling the objects that failed from those that got there is the
// caller's: PollMany only stops polling them.
func PollMany[T Object](ctx context.Context, c *Client, o WaitOptions, objs []T, m Many[T]) ([]T, error) {
	if len(objs) == 0 {
		return nil, nil
	}
	// The first round reads every object: what a handle held before the
	// wait may be stale.
	pending := append([]T(nil), objs...)
	err := Poll(ctx, c, o, func(ctx context.Context) (bool, WaitProgress, error) {
		sent, err := m.Poll(ctx, pending)
		if err != nil {
			return false, WaitProgress{Requests: sent}, err
		}
		still := pending[:0]
		for _, x := range pending {
			if !m.Ended(x) {
				still = append(still, x)
			}
		}
		clear(pending[len(still):])
		pending = still
		p := WaitProgress{Done: len(objs) - len(pending), Total: len(objs), Requests: sent}
		if len(pending) > 0 && m.State != nil {
			p.State = m.State(pending[0])
		}
		return len(pending) == 0, p, nil
	})
	if err != nil {
		var wt *WaitTimeoutError
		if errors.As(err, &wt) {
			wt.Pending = make([]Object, len(pending))
			for i, x := range pending {
				wt.Pending[i] = x
			}
		}
		return pending, err
	}
	return nil, nil
}
