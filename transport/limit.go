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

	// The server's quota, when it reports one (DigitalOcean's
	// ratelimit-remaining and -reset): requests are held so that those in
	// flight never exceed what is left, and paced once it runs low.
	quota    func(http.Header) (remaining int, reset time.Time, ok bool)
	qmu      sync.Mutex
	qcond    *sync.Cond
	left     int       // requests the server still allows; -1 unknown
	resetAt  time.Time // when the window frees up
	inFlight int
	lastSent time.Time
}

// LowQuota is the remaining quota under which requests are paced: spread
// evenly over the time left until the reset.
const LowQuota = 50

func newLimiter(r rate.Limit, burst, inFlight int) *limiter {
	l := &limiter{}
	l.setRate(r, burst)
	if inFlight > 0 {
		l.slots = make(chan struct{}, inFlight)
	}
	l.left = -1
	l.qcond = sync.NewCond(&l.qmu)
	return l
}

// observe records the quota an answer reports.
func (l *limiter) observe(h http.Header) {
	if l.quota == nil {
		return
	}
	rem, reset, ok := l.quota(h)
	if !ok {
		return
	}
	l.qmu.Lock()
	// Answers overtake one another: within one window the lowest count is
	// the latest.
	same := l.left >= 0 && reset.Sub(l.resetAt).Abs() < time.Second
	if !same || rem < l.left {
		l.left, l.resetAt = rem, reset
	}
	l.qmu.Unlock()
	l.qcond.Broadcast()
}

// admit waits until the quota allows one more request in flight, and
// paces requests when little is left. It returns the release function.
func (l *limiter) admit(ctx context.Context) (func(), error) {
	if l.quota == nil {
		return func() {}, nil
	}
	l.qmu.Lock()
	var stop func() bool
	defer func() {
		if stop != nil {
			stop()
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			l.qmu.Unlock()
			return nil, err
		}
		now := time.Now()
		if l.left < 0 || l.left-l.inFlight > 0 || !now.Before(l.resetAt) {
			break
		}
		if stop == nil { // only a request that waits listens for its ctx
			stop = context.AfterFunc(ctx, l.qcond.Broadcast)
		}
		// Nothing left until the reset: wait for it, or for an answer
		// that reports a fresh quota.
		t := time.AfterFunc(l.resetAt.Sub(now), l.qcond.Broadcast)
		l.qcond.Wait()
		t.Stop()
	}
	var pace time.Duration
	if l.left >= 0 && l.left < LowQuota && l.left-l.inFlight > 0 {
		if span := time.Until(l.resetAt); span > 0 {
			pace = span / time.Duration(l.left-l.inFlight+1)
			if next := l.lastSent.Add(pace); next.After(time.Now()) {
				pace = time.Until(next)
			} else {
				pace = 0
			}
		}
	}
	l.inFlight++
	l.lastSent = time.Now().Add(pace)
	l.qmu.Unlock()
	release := func() {
		l.qmu.Lock()
		l.inFlight--
		l.qmu.Unlock()
		l.qcond.Broadcast()
	}
	if pace > 0 {
		t := time.NewTimer(pace)
		select {
		case <-ctx.Done():
			t.Stop()
			release()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	return release, nil
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
	admitted, err := l.admit(ctx)
	if err != nil {
		return nil, err
	}
	if l.slots == nil {
		return admitted, nil
	}
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots; admitted() }, nil
	case <-ctx.Done():
		admitted()
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
	l.lim.observe(resp.Header)
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
