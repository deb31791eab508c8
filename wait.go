package stratus

import (
	"context"
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
