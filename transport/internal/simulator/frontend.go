package simulator

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Latency is the wall time every request waits before it is answered. The
// zero value is no wait.
type Latency struct {
	mu sync.Mutex
	d  time.Duration
}

// Set makes every request wait d; a negative d is no wait.
func (l *Latency) Set(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.d = max(d, 0)
}

// Wait waits the latency. It reports false if ctx ended first: the request
// is then to get no answer.
func (l *Latency) Wait(ctx context.Context) bool {
	l.mu.Lock()
	d := l.d
	l.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Frontend is what stands between the connection and a simulated API: it
// counts requests, delays them, faults them and writes the replies. Build
// it with Faults from NewFaults; the other fields' zero values are ready.
type Frontend struct {
	Counter Counter
	Latency Latency
	Faults  *Faults
	Wire    Wire
}

// Handler produces the reply to a request, under the simulator's own lock.
// body and readErr are the request body as ReadBody read it. fault is the
// request's fault: one that Replaces the answer is the handler's to
// render, in its API's words, without touching the simulated cloud; the
// others are FaultNone as far as the handler is concerned (Serve applies
// FaultResetAfter and FaultTruncated to the reply it returns).
type Handler func(r *http.Request, body []byte, readErr error, fault Fault) *Reply

// Serve answers one request: it counts it under key, waits the latency (a
// request whose context ends meanwhile gets no answer), draws a fault,
// resets the connection for FaultReset, reads the body, has handle produce
// the reply, then writes it after handle has returned (and so after the
// simulator's lock is released): all of it, half of it for FaultTruncated,
// or none for FaultResetAfter, which resets the connection instead.
func (fe *Frontend) Serve(w http.ResponseWriter, r *http.Request, key string, handle Handler) {
	fe.Counter.Add(r.Method, key)
	if !fe.Latency.Wait(r.Context()) {
		return
	}
	f := fe.Faults.Next()
	if f == FaultReset {
		ResetConn(w)
		return
	}
	body, err := ReadBody(r)
	rep := handle(r, body, err, f)
	switch f {
	case FaultResetAfter:
		ResetConn(w)
	case FaultTruncated:
		fe.Wire.Write(w, rep, len(rep.Body)/2)
	default:
		fe.Wire.Write(w, rep, len(rep.Body))
	}
}
