package transport

import (
	"context"
	"time"
)

type bodyWaitKey struct{}

// WithBodyWait returns a context whose requests call wait once the
// headers of a successful (2xx) answer have arrived and before its body
// is read; an error's body is read at once. A caller
// that asks for many answers at once and reads them in order (a listing's
// pages ahead) uses it to keep only the bodies it is about to read in
// memory: an answer that waits stays in the connection, where the
// server's writes are held back by the connection's own flow control.
//
// The request leaves the rate limiter's count when its headers arrive
// (the server has answered, so its windows have counted it), and the time
// spent waiting counts neither against the request's timeout nor
// against the retry policy's MaxElapsed. wait returns an error only when
// the caller gives up (its ctx); the answer is then dropped.
//
// On HTTP/1.1 the waiting body stays in the kernel's socket buffers. On
// HTTP/2 the transport buffers up to a stream's flow-control window in
// the process whether or not the body is read, so the wait bounds less.
func WithBodyWait(ctx context.Context, wait func(context.Context) error) context.Context {
	return context.WithValue(ctx, bodyWaitKey{}, wait)
}

// BodyWait is the wait WithBodyWait put in ctx, or nil.
func BodyWait(ctx context.Context) func(context.Context) error {
	w, _ := ctx.Value(bodyWaitKey{}).(func(context.Context) error)
	return w
}

// attemptClock is an attempt's timeout that can be paused: the time an
// answer waits for its reader is not time spent talking to the server.
type attemptClock struct {
	t       *time.Timer
	left    time.Duration
	started time.Time
}

// pausableTimeout is context.WithTimeout(ctx, d) with a clock that pause
// and resume stop and restart.
func pausableTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc, *attemptClock) {
	actx, cancel := context.WithCancelCause(ctx)
	c := &attemptClock{left: d, started: time.Now()}
	c.t = time.AfterFunc(d, func() { cancel(context.DeadlineExceeded) })
	return actx, func() { c.t.Stop(); cancel(context.Canceled) }, c
}

func (c *attemptClock) pause() {
	if c != nil && c.t.Stop() {
		c.left -= time.Since(c.started)
	}
}

func (c *attemptClock) resume() {
	if c != nil && c.left > 0 {
		c.started = time.Now()
		c.t.Reset(c.left)
	}
}
