package transport

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Window is a rate limit a provider documents: at most Limit requests in
// any sliding Period (DigitalOcean: 250 a minute and 5,000 an hour). A
// window with a Path counts only the requests to that path (a Path ending
// in "*" names every path that begins with the rest), and with a Method
// only the requests of that method: DigitalOcean allows 10 listings of
// the account's SSH keys a minute, and 5 calls to its CDN endpoints in any
// 10 seconds, besides the account's own two windows.
type Window struct {
	Limit  int
	Period time.Duration
	Method string // "": every method
	Path   string // "": every path; "/v2/cdn/endpoints*": a prefix
}

// Matches reports whether the window counts a request.
func (w Window) Matches(method, path string) bool {
	if w.Method != "" && w.Method != method {
		return false
	}
	switch {
	case w.Path == "":
		return true
	case strings.HasSuffix(w.Path, "*"):
		return strings.HasPrefix(path, w.Path[:len(w.Path)-1])
	default:
		return path == w.Path || path == w.Path+"/"
	}
}

// windowLog is the state of one window: when the requests it counted
// ended (oldest first) and how many it counts that are still out.
type windowLog struct {
	Window
	sent     []time.Time
	inFlight int
}

// LowQuota is the remaining server quota under which requests are paced:
// spread evenly over the time left until the reset.
const LowQuota = 50

// DefaultMaxPause is the longest the client is held by one rate-limit
// signal (a Retry-After, a quota reset, a full window) when the retry
// policy sets no MaxElapsed: the default MaxElapsed.
const DefaultMaxPause = 2 * time.Minute

// limiter is the client-side brake, shared by every request of a client:
//
//   - the provider's documented windows, counted on the client's own
//     requests (a sliding log per window; a request is logged when its
//     answer ends and counts as taken while it is out): a request goes
//     once every window has room, so the tighter window sets the pace;
//   - the server's quota when it reports one (DigitalOcean's
//     ratelimit-remaining and -reset): never more requests in flight than
//     the quota left, and the last LowQuota spread evenly up to the reset;
//   - a pause that every request honours after a 429 with Retry-After, so
//     that concurrent requests do not all spend a retry on the same wall;
//   - an optional token bucket and a bound on requests in flight.
//
// No signal holds a request longer than maxPause: a wait beyond it, or
// beyond the caller's deadline, fails at once with ErrRateLimited and the
// time at which calls are accepted again (Error.RetryAt).
type limiter struct {
	bucket   *rate.Limiter
	slots    chan struct{}
	maxPause time.Duration

	quota func(http.Header) (remaining int, reset time.Time, ok bool)
	// spender is the budget shared with other processes (nil: none).
	spender Spender

	mu       sync.Mutex
	cond     *sync.Cond
	windows  []*windowLog
	pauseTo  time.Time // set by a 429 with Retry-After
	left     int       // requests the server still allows; -1 unknown
	resetAt  time.Time // when the server's window frees up
	inFlight int
	lastSent time.Time
	strikes  int // 429s in a row that named no pause
	// noStrikes mirrors strikes == 0 for the unlocked fast path of observe.
	noStrikes atomic.Bool
}

func newLimiter(r rate.Limit, burst, inFlight int, windows []Window, maxPause time.Duration) *limiter {
	l := &limiter{left: -1, maxPause: maxPause}
	l.noStrikes.Store(true)
	if l.maxPause <= 0 {
		l.maxPause = DefaultMaxPause
	}
	if r > 0 {
		l.bucket = rate.NewLimiter(r, max(burst, 1))
	}
	if inFlight > 0 {
		l.slots = make(chan struct{}, inFlight)
	}
	for _, w := range windows {
		if w.Limit > 0 && w.Period > 0 {
			l.windows = append(l.windows, &windowLog{Window: w})
		}
	}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// windowMargin is added to a window's period, for the difference between
// the server's clock and ours (a request is logged when its answer ends,
// never before the server counted it).
func windowMargin(p time.Duration) time.Duration { return p/50 + 50*time.Millisecond }

// capAt bounds t to now+maxPause.
func (l *limiter) capAt(now, t time.Time) time.Time {
	if lim := now.Add(l.maxPause); t.After(lim) {
		return lim
	}
	return t
}

// observe records what an answer says about the limits.
func (l *limiter) observe(resp *http.Response) {
	now := time.Now()
	var pause time.Duration
	throttled := resp.StatusCode == http.StatusTooManyRequests
	if throttled {
		pause = RetryAfter(resp.Header, now)
	}
	var (
		rem   int
		reset time.Time
		ok    bool
	)
	if l.quota != nil {
		rem, reset, ok = l.quota(resp.Header)
	}
	if !throttled && !ok && l.noStrikes.Load() {
		return // the common answer: nothing to learn, no lock taken
	}
	l.mu.Lock()
	switch {
	case !throttled:
		l.strikes = 0
	case pause <= 0 && !ok:
		// A 429 that says nothing of when (OVH, enStratus): the limit is
		// learned from the refusals. The whole client pauses, 1 s, then
		// twice as long for each refusal in a row, up to 32 s.
		pause = time.Second << min(l.strikes, 5)
		l.strikes++
	}
	if pause > 0 {
		if until := l.capAt(now, now.Add(min(pause, l.maxPause))); until.After(l.pauseTo) {
			l.pauseTo = until
		}
	}
	// A 429 that names a Retry-After was refused by a short window (the
	// burst): its "0 remaining" is about that window, not the long quota,
	// and the pause covers it.
	if ok && !(pause > 0 && rem == 0) {
		reset = l.capAt(now, reset)
		// Answers overtake one another: within one window the lowest count
		// is the latest.
		same := l.left >= 0 && reset.Sub(l.resetAt).Abs() < time.Second
		if !same || rem < l.left {
			l.left, l.resetAt = rem, reset
		}
	}
	l.noStrikes.Store(l.strikes == 0)
	l.mu.Unlock()
	l.cond.Broadcast()
}

// matching returns the windows that count a request.
func (l *limiter) matching(method, path string) []*windowLog {
	var ws []*windowLog
	for _, w := range l.windows {
		if w.Matches(method, path) {
			ws = append(ws, w)
		}
	}
	return ws
}

// next returns the earliest time at which one more request counted by the
// windows ws may go, given everything the limiter knows; a time not after
// now means at once.
func (l *limiter) next(now time.Time, ws []*windowLog) time.Time {
	at := now
	later := func(t time.Time) {
		if t.After(at) {
			at = t
		}
	}
	if l.pauseTo.After(now) {
		later(l.pauseTo)
	}
	for _, w := range ws {
		period := w.Period + windowMargin(w.Period)
		cut := now.Add(-period)
		first := sort.Search(len(w.sent), func(i int) bool { return w.sent[i].After(cut) })
		switch ended := len(w.sent) - first; {
		case w.inFlight >= w.Limit:
			// Every place is taken by a request still out: the next one
			// to end wakes the waiters (a short timer stands in for it).
			later(now.Add(10 * time.Millisecond))
		case ended+w.inFlight >= w.Limit:
			// The window frees up when the ended request that many
			// places back leaves it.
			later(w.sent[len(w.sent)-(w.Limit-w.inFlight)].Add(period))
		}
	}
	if l.left >= 0 && now.Before(l.resetAt) {
		switch avail := l.left - l.inFlight; {
		case avail <= 0:
			later(l.resetAt)
		case l.left < LowQuota:
			pace := l.resetAt.Sub(now) / time.Duration(avail+1)
			later(l.lastSent.Add(pace))
		}
	}
	return at
}

// wake wakes the waiters for a reason that changes no state (a timer, a
// cancelled context). It takes the lock first: a waiter holds it from its
// look at the clock until cond.Wait releases it, so a wake-up cannot fall
// between the two and be lost (a timer of a few nanoseconds, or a context
// cancelled just after the waiter checked it, would otherwise leave the
// request waiting for an unrelated event, possibly forever).
func (l *limiter) wake() {
	l.mu.Lock()
	l.cond.Broadcast()
	l.mu.Unlock()
}

// refusal is the error of a request the limiter will not hold until at.
func refusal(at time.Time, why string) *Error {
	return &Error{Message: "client-side rate limit: " + why + "; calls accepted again at " + at.UTC().Format(time.RFC3339), Kind: ErrRateLimited, RetryAt: at}
}

// wait admits one request: it returns once the request may be sent, with
// the function that releases its place and how long it waited. A wait
// beyond the pause bound or the caller's deadline is refused at once with
// an *Error of kind ErrRateLimited that carries RetryAt.
func (l *limiter) wait(ctx context.Context, method, path string) (release func(), waited time.Duration, err error) {
	start := time.Now()
	deadline, hasDeadline := ctx.Deadline()
	l.mu.Lock()
	ws := l.matching(method, path)
	var stop func() bool
	for {
		if err := ctx.Err(); err != nil {
			l.mu.Unlock()
			if stop != nil {
				stop()
			}
			return nil, time.Since(start), err
		}
		now := time.Now()
		at := l.next(now, ws)
		if !at.After(now) {
			break
		}
		why := "the pause after a 429"
		if !l.pauseTo.After(now) {
			why = "the provider's request window is spent"
		}
		if at.Sub(start) > l.maxPause {
			l.mu.Unlock()
			if stop != nil {
				stop()
			}
			return nil, time.Since(start), refusal(at, why+" beyond the pause bound")
		}
		if hasDeadline && at.After(deadline) {
			l.mu.Unlock()
			if stop != nil {
				stop()
			}
			return nil, time.Since(start), refusal(at, why+" past the caller's deadline")
		}
		if stop == nil { // only a request that waits listens for its ctx
			stop = context.AfterFunc(ctx, l.wake)
		}
		t := time.AfterFunc(at.Sub(now), l.wake)
		l.cond.Wait()
		t.Stop()
	}
	now := time.Now()
	l.inFlight++
	for _, w := range ws {
		w.inFlight++
	}
	l.lastSent = now
	l.mu.Unlock()
	if stop != nil {
		stop()
	}
	var once sync.Once
	// done ends the request's place in flight. A request that went out
	// joins the windows' log at the time it ended: the server counted it
	// somewhere between its send and its answer, so the end is the one
	// time that is never earlier than the server's (until then it counts
	// in every window as in flight).
	done := func(went bool) {
		once.Do(func() {
			l.mu.Lock()
			l.inFlight--
			end := time.Now()
			for _, w := range ws {
				w.inFlight--
				if went {
					// Only the last Limit ends matter to a window.
					if len(w.sent) >= 2*w.Limit {
						w.sent = append(w.sent[:0], w.sent[len(w.sent)-w.Limit:]...)
					}
					w.sent = append(w.sent, end)
				}
			}
			l.mu.Unlock()
			l.cond.Broadcast()
		})
	}
	admitted := func() { done(true) }
	notSent := func() { done(false) }
	if b := l.bucket; b != nil {
		r := b.Reserve()
		if d := r.Delay(); d > 0 {
			if at := time.Now().Add(d); d > l.maxPause || (hasDeadline && at.After(deadline)) {
				r.Cancel()
				notSent()
				return nil, time.Since(start), refusal(at, "the client's own rate is spent")
			}
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				r.Cancel()
				notSent()
				return nil, time.Since(start), ctx.Err()
			case <-t.C:
			}
		}
	}
	// The shared budget is asked last, once nothing else holds the
	// request: its slot is when the request goes, and a wait after it
	// (a place in flight) would send it later than the budget counted.
	if l.slots == nil {
		if err := l.spend(ctx); err != nil {
			notSent()
			return nil, time.Since(start), err
		}
		return admitted, time.Since(start), nil
	}
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		notSent()
		return nil, time.Since(start), ctx.Err()
	}
	if err := l.spend(ctx); err != nil {
		<-l.slots
		notSent()
		return nil, time.Since(start), err
	}
	var o sync.Once
	return func() { o.Do(func() { <-l.slots; admitted() }) }, time.Since(start), nil
}

// limitLayer reads the rate-limit signals of every answer, 429s included,
// for the limiter; admission itself happens in the retry layer, before
// signing and outside each attempt's timeout.
type limitLayer struct {
	next http.RoundTripper
	lim  *limiter
}

func (l *limitLayer) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	l.lim.observe(resp)
	l.lim.tell(resp, time.Now())
	return resp, nil
}
