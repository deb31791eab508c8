package transport

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// limiter is the client-side brake: an optional token bucket, an optional
// bound on requests in flight, and a pause that every request honours after
// the server answered 429 with Retry-After (so that concurrent requests do
// not all spend a retry on the same wall).
type limiter struct {
	mu      sync.RWMutex
	bucket  *rate.Limiter
	slots   chan struct{}
	pauseTo atomic.Int64 // unix nanos
}

func newLimiter(r rate.Limit, burst, inFlight int) *limiter {
	l := &limiter{}
	l.setRate(r, burst)
	if inFlight > 0 {
		l.slots = make(chan struct{}, inFlight)
	}
	return l
}

func (l *limiter) setRate(r rate.Limit, burst int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r <= 0 {
		l.bucket = nil
		return
	}
	if burst <= 0 {
		burst = 1
	}
	l.bucket = rate.NewLimiter(r, burst)
}

// Pause holds every request until d from now.
func (l *limiter) Pause(d time.Duration) {
	until := time.Now().Add(d).UnixNano()
	for {
		cur := l.pauseTo.Load()
		if cur >= until || l.pauseTo.CompareAndSwap(cur, until) {
			return
		}
	}
}

func (l *limiter) wait(ctx context.Context) (release func(), err error) {
	if until := l.pauseTo.Load(); until > 0 {
		if d := time.Until(time.Unix(0, until)); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
		}
	}
	l.mu.RLock()
	b := l.bucket
	l.mu.RUnlock()
	if b != nil {
		if err := b.Wait(ctx); err != nil {
			return nil, err
		}
	}
	if l.slots == nil {
		return func() {}, nil
	}
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type limitLayer struct {
	next http.RoundTripper
	lim  *limiter
}

func (l *limitLayer) RoundTrip(req *http.Request) (*http.Response, error) {
	release, err := l.lim.wait(req.Context())
	if err != nil {
		return nil, err
	}
	resp, err := l.next.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		if d := RetryAfter(resp.Header, time.Now()); d > 0 {
			l.lim.Pause(d)
		}
	}
	// The slot is held until the body is read: the retry layer reads it
	// at once.
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

type releaseBody struct {
	io.ReadCloser
	release func()
	once    sync.Once
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}
