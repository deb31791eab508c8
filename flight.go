package stratus

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/stratus-cloud/stratus/transport"
)

// flightGroup shares one load among concurrent identical reads. Unlike
// x/sync/singleflight it holds the load to its waiters: the load runs
// under a context that no single caller's cancellation ends, and that is
// cancelled once every waiter has given up, so that an abandoned load
// frees its goroutine and connection at once (even with no client
// timeout). A panic in the load (a decoder bug on a hostile answer) is
// turned into an ErrMalformed error for every waiter instead of being
// raised again where no caller can recover it.
type flightGroup struct {
	mu sync.Mutex
	m  map[string]*flightCall
}

type flightCall struct {
	done    chan struct{}
	val     Entry
	err     error
	waiters int
	cancel  context.CancelFunc
	expired bool               // the load failed once its own deadline had passed
	unjoin  context.CancelFunc // ends the first caller's body wait: a second caller joined (nil without one)
}

// do runs fn once for key among concurrent callers and waits for its
// result or for ctx to end. fn receives the shared context. provider and
// op name the error of a recovered panic.
func (g *flightGroup) do(ctx context.Context, key, provider, op string, fn func(ctx context.Context) (Entry, error)) (Entry, error) {
	for {
		call := g.join(ctx, key, provider, op, fn)
		select {
		case <-call.done:
			if call.expired && ctx.Err() == nil {
				// The load ran out of the deadline of the caller that
				// started it; this caller allows more: load again.
				continue
			}
			return call.val, call.err
		case <-ctx.Done():
		}
		g.leave(key, call)
		return Entry{}, &Error{Provider: provider, Op: op, Message: "request abandoned", Err: ctx.Err()}
	}
}

// join returns the load in flight for key, starting one if there is none.
// A new load keeps the deadline of the caller that starts it (or none: the
// transport's timeout then bounds it), never its cancellation.
func (g *flightGroup) join(ctx context.Context, key, provider, op string, fn func(ctx context.Context) (Entry, error)) *flightCall {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil {
		g.m = map[string]*flightCall{}
	}
	call, ok := g.m[key]
	if !ok {
		// The shared load keeps the first caller's deadline (its own, or
		// the client timeout) but not its cancellation: the transport then
		// sees a deadline and does not cut the load at the client timeout.
		var shared context.Context
		var cancel context.CancelFunc
		if d, ok := ctx.Deadline(); ok {
			shared, cancel = context.WithDeadline(context.WithoutCancel(ctx), d)
		} else {
			shared, cancel = context.WithCancel(context.WithoutCancel(ctx))
		}
		call = &flightCall{done: make(chan struct{}), cancel: cancel}
		if wait := transport.BodyWait(shared); wait != nil {
			var until context.Context
			until, call.unjoin = context.WithCancel(shared)
			shared = transport.WithBodyWait(shared, sharedWait(wait, until))
		}
		g.m[key] = call
		go g.run(shared, key, call, provider, op, fn)
	} else if call.waiters == 1 && call.unjoin != nil {
		call.unjoin()
	}
	call.waiters++
	return call
}

// leave is called by a waiter that gives up.
func (g *flightGroup) leave(key string, call *flightCall) {
	g.mu.Lock()
	defer g.mu.Unlock()
	call.waiters--
	if call.waiters == 0 {
		// Nobody waits any more: stop the load, and let the next caller
		// start a new one rather than join a cancelled one.
		call.cancel()
		if g.m[key] == call {
			delete(g.m, key)
		}
	}
}

func (g *flightGroup) run(ctx context.Context, key string, call *flightCall, provider, op string, fn func(ctx context.Context) (Entry, error)) {
	defer func() {
		if p := recover(); p != nil {
			call.val, call.err = Entry{}, &Error{Provider: provider, Op: op, Message: "answer could not be read", Kind: ErrMalformed, Err: fmt.Errorf("panic: %v", p)}
		}
		call.expired = call.err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded)
		call.cancel()
		if call.unjoin != nil {
			call.unjoin()
		}
		g.mu.Lock()
		if g.m[key] == call {
			delete(g.m, key)
		}
		g.mu.Unlock()
		close(call.done)
	}()
	call.val, call.err = fn(ctx)
}

// sharedWait is the body wait of a shared load: the first caller's wait
// (its listing's pace), run until another caller joins (until ends). The
// answer is then someone else's too, and that caller may be the very loop
// the first one's pace waits for (a listing nested in a loop over the same
// listing): waiting would hold them both for good.
func sharedWait(wait func(context.Context) error, until context.Context) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := wait(until); err != nil && ctx.Err() != nil {
			return err
		}
		return nil // admitted, or ended by a join: read the answer now
	}
}
