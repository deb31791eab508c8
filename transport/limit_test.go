package transport_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// with429 answers 429 with the given headers, once.
func with429(h map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range h {
			w.Header().Set(k, v)
		}
		status(http.StatusTooManyRequests, `{"id":"too_many_requests","message":"API rate limit exceeded."}`)(w, r)
	}
}

// quotaHeaders reads DigitalOcean-style ratelimit-* headers.
func quotaHeaders(h http.Header) (int, time.Time, bool) {
	rem, err := strconv.Atoi(h.Get("Ratelimit-Remaining"))
	if err != nil {
		return 0, time.Time{}, false
	}
	s, _ := strconv.ParseInt(h.Get("Ratelimit-Reset"), 10, 64)
	return rem, time.Unix(s, 0), true
}

func rateLimited(t *testing.T, err error) *transport.Error {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, transport.ErrRateLimited)
	var te *transport.Error
	require.ErrorAs(t, err, &te)
	return te
}

// A header that names a pause far away (ten years, a date in 2100, more
// seconds than a Duration holds) holds the client no longer than the
// retry policy's MaxElapsed: the request that got it fails at once with
// the server's time, and the next request goes after the bound.
func TestFarRetryAfterIsBounded(t *testing.T) {
	for name, v := range map[string]string{
		"ten years": strconv.Itoa(10 * 365 * 24 * 3600),
		"2100":      "Fri, 01 Jan 2100 00:00:00 GMT",
		"overflow":  "99999999999999999999999",
		"beyond":    "9300000000",
	} {
		t.Run(name, func(t *testing.T) {
			srv, n := script(t, with429(map[string]string{"Retry-After": v}), status(200, `{}`))
			c := newClient(t, srv.URL, func(cfg *transport.Config) {
				cfg.Retry = transport.RetryPolicy{MaxAttempts: 5, MinDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxElapsed: 300 * time.Millisecond}
			})
			_, err := c.Do(t.Context(), &transport.Request{Method: "GET", Path: "/v2/droplets"})
			te := rateLimited(t, err)
			assert.True(t, te.RetryAt.After(time.Now().AddDate(5, 0, 0)), "the error carries the server's time: %v", te.RetryAt)
			assert.Equal(t, int32(1), n.Load(), "not retried into a ten-year wait")

			// A caller that allows 30 s is served once the bounded pause is
			// over; a ten-year hold would be refused at once instead.
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			resp, err := c.Do(ctx, &transport.Request{Method: "GET", Path: "/v2/droplets"})
			require.NoError(t, err)
			assert.Equal(t, 200, resp.Status)
			assert.Equal(t, int32(2), n.Load())
		})
	}
}

// A quota that reports nothing left and a reset ten years ahead holds
// later requests no longer than the bound either.
func TestFarQuotaResetIsBounded(t *testing.T) {
	far := strconv.FormatInt(time.Now().AddDate(10, 0, 0).Unix(), 10)
	srv, n := script(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Ratelimit-Remaining", "0")
		w.Header().Set("Ratelimit-Reset", far)
		status(200, `{}`)(w, r)
	}, status(200, `{}`))
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.Quota = quotaHeaders
		cfg.Retry = transport.RetryPolicy{MaxElapsed: 300 * time.Millisecond}
	})
	_, err := c.Do(t.Context(), &transport.Request{Method: "GET", Path: "/a"})
	require.NoError(t, err)

	// Shorter than the bound: refused at once, without reaching the server.
	short, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err = c.Do(short, &transport.Request{Method: "GET", Path: "/a"})
	te := rateLimited(t, err)
	assert.False(t, te.RetryAt.IsZero())
	assert.Equal(t, int32(1), n.Load(), "a refused request is not sent")
	assert.LessOrEqual(t, te.Attempts, 1, "a refusal is not retried")

	ctx, cancel2 := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel2()
	_, err = c.Do(ctx, &transport.Request{Method: "GET", Path: "/a"})
	require.NoError(t, err)
	assert.Equal(t, int32(2), n.Load())
}

// When the pause a 429 asks for passes the caller's deadline, the call
// fails at once with ErrRateLimited and the time, instead of waiting
// until its context ends or being retried as a network error.
func TestPausePastDeadlineFailsAtOnce(t *testing.T) {
	srv, n := script(t, with429(map[string]string{"Retry-After": "60"}), status(200, `{}`))
	c := newClient(t, srv.URL, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := c.Do(ctx, &transport.Request{Method: "GET", Path: "/a"})
	te := rateLimited(t, err)
	assert.Equal(t, 429, te.Status)
	assert.WithinDuration(t, time.Now().Add(time.Minute), te.RetryAt, 5*time.Second)
	assert.Nil(t, ctx.Err(), "failed before the deadline")

	_, err = c.Do(ctx, &transport.Request{Method: "GET", Path: "/a"})
	te = rateLimited(t, err)
	assert.Equal(t, 0, te.Status, "refused by the client")
	assert.WithinDuration(t, time.Now().Add(time.Minute), te.RetryAt, 5*time.Second)
	assert.Equal(t, int32(1), n.Load(), "the paused request never reached the server")
	assert.Nil(t, ctx.Err())
}

// The client-side token bucket refuses, as ErrRateLimited and without a
// retry, a request that it could only admit after the deadline.
func TestThrottlePastDeadlineIsRateLimited(t *testing.T) {
	srv, n := script(t, status(200, `{}`))
	c := newClient(t, srv.URL, func(cfg *transport.Config) { cfg.Throttle, cfg.Burst = rate.Every(time.Minute), 1 })
	_, err := c.Do(t.Context(), &transport.Request{Method: "GET", Path: "/a"})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	_, err = c.Do(ctx, &transport.Request{Method: "GET", Path: "/a"})
	te := rateLimited(t, err)
	assert.False(t, te.RetryAt.IsZero())
	assert.Equal(t, int32(1), n.Load())
}

// The DigitalOcean shape of a burst refusal: 429, 0 remaining, a reset an
// hour away and Retry-After 1. The pause is the Retry-After: a caller
// that allows three seconds is served, not held for the hour.
func TestBurst429NeverHoldsPastRetryAfter(t *testing.T) {
	hour := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	srv, n := script(t, with429(map[string]string{"Retry-After": "1", "Ratelimit-Remaining": "0", "Ratelimit-Reset": hour}),
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Ratelimit-Remaining", "4000")
			w.Header().Set("Ratelimit-Reset", hour)
			status(200, `{}`)(w, r)
		})
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.Quota = quotaHeaders
		cfg.Retry = transport.NoRetry
	})
	_, err := c.Do(t.Context(), &transport.Request{Method: "GET", Path: "/a"})
	te := rateLimited(t, err)
	assert.WithinDuration(t, time.Now().Add(time.Second), te.RetryAt, 2*time.Second, "the time is the Retry-After, not the hourly reset")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
			defer cancel()
			_, errs[i] = c.Do(ctx, &transport.Request{Method: "GET", Path: "/a"})
		})
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, int32(9), n.Load())
}

// The windows are kept: with 3 requests allowed in any 300 ms, twelve
// requests sent at once reach the server at most 3 in any window; and a
// request that a full long window could only admit beyond the pause bound
// is refused at once.
func TestWindowsAreKept(t *testing.T) {
	var mu sync.Mutex
	var arrivals []time.Time
	srv, _ := script(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		status(200, `{}`)(w, r)
	})
	const period = 300 * time.Millisecond
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.Windows = []transport.Window{{Limit: 3, Period: period}, {Limit: 100, Period: time.Hour}}
	})
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			_, err := c.Do(t.Context(), &transport.Request{Method: "GET", Path: "/a"})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	require.Len(t, arrivals, 12)
	for i := range arrivals {
		in := 0
		for _, a := range arrivals {
			if !a.Before(arrivals[i]) && a.Sub(arrivals[i]) < period {
				in++
			}
		}
		assert.LessOrEqual(t, in, 3, "requests within one window from arrival %d", i)
	}

	tight := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.Windows = []transport.Window{{Limit: 1, Period: time.Hour}}
	})
	_, err := tight.Do(t.Context(), &transport.Request{Method: "GET", Path: "/a"})
	require.NoError(t, err)
	_, err = tight.Do(t.Context(), &transport.Request{Method: "GET", Path: "/a"})
	te := rateLimited(t, err)
	assert.True(t, te.RetryAt.After(time.Now().Add(50*time.Minute)))
	assert.Len(t, arrivals, 13)
}

// Time held by the limiter does not count against the client's timeout:
// a call with no deadline of its own waits out a pause longer than the
// timeout and then succeeds.
func TestPauseIsOutsideTheTimeout(t *testing.T) {
	srv, n := script(t, with429(map[string]string{"Retry-After": "1"}), status(200, `{}`))
	c := newClient(t, srv.URL, func(cfg *transport.Config) { cfg.Timeout = 500 * time.Millisecond })
	resp, err := c.Do(context.Background(), &transport.Request{Method: "GET", Path: "/a"})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.Status)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, int32(2), n.Load())
}

// A 429 that names no pause (OVH, enStratus) still pauses the whole
// client, so concurrent requests do not all spend a retry on it.
func TestBare429PausesTheClient(t *testing.T) {
	srv, n := script(t, with429(nil), status(200, `{}`))
	c := newClient(t, srv.URL, func(cfg *transport.Config) { cfg.Retry = transport.NoRetry })
	_, err := c.Do(t.Context(), &transport.Request{Method: "GET", Path: "/a"})
	rateLimited(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err = c.Do(ctx, &transport.Request{Method: "GET", Path: "/a"})
	rateLimited(t, err)
	assert.Equal(t, int32(1), n.Load(), "held by the learned pause")
}

func TestBackoffNeverOverflows(t *testing.T) {
	for _, n := range []int{1, 2, 10, 63, 64, 100, 1 << 20} {
		d := transport.Backoff(n, time.Second, time.Duration(1<<63-1))
		assert.Greater(t, d, time.Duration(0), "attempt %d", n)
		d = transport.Backoff(n, 250*time.Millisecond, 30*time.Second)
		assert.Greater(t, d, time.Duration(0))
		assert.LessOrEqual(t, d, 30*time.Second)
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "1", "-1", "60", "99999999999999999999", "9223372036", "Fri, 01 Jan 2100 00:00:00 GMT", "Mon, 02 Jan 2006 15:04:05 GMT", " 5 ", "1e9", "+3"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{"Retry-After": {v}}
		d := transport.RetryAfter(h, now)
		if d < 0 {
			t.Fatalf("negative pause %v for %q", d, v)
		}
		at, ok := transport.RetryAt(h, now)
		if ok != (d > 0) || (ok && !at.After(now)) {
			t.Fatalf("RetryAt %v %v disagrees with RetryAfter %v for %q", at, ok, d, v)
		}
	})
}

// A window with a path counts only the requests to that path (and a
// method, only that method's): two GETs of /keys fill it, the third is
// refused at once by the client, while /other and a POST to /keys go on.
// A prefix window ("/cdn*") counts every path below it together.
func TestPathWindowsCountTheirPathsOnly(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv, _ := script(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Method+" "+r.URL.Path]++
		mu.Unlock()
		status(200, `{}`)(w, r)
	})
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.Windows = []transport.Window{
			{Limit: 100, Period: time.Hour},
			{Limit: 2, Period: time.Hour, Method: "GET", Path: "/keys"},
			{Limit: 3, Period: time.Hour, Path: "/cdn*"},
		}
		cfg.MaxPause = time.Second
	})
	do := func(method, path string) error {
		_, err := c.Do(t.Context(), &transport.Request{Method: method, Path: path})
		return err
	}
	require.NoError(t, do("GET", "/keys"))
	require.NoError(t, do("GET", "/keys"))
	te := rateLimited(t, do("GET", "/keys"))
	assert.True(t, te.RetryAt.After(time.Now().Add(50*time.Minute)), "the window frees up in an hour")
	for range 5 {
		require.NoError(t, do("GET", "/other"))
	}
	require.NoError(t, do("POST", "/keys"))
	require.NoError(t, do("GET", "/cdn/endpoints"))
	require.NoError(t, do("DELETE", "/cdn/endpoints/1"))
	require.NoError(t, do("GET", "/cdn/endpoints/2/cache"))
	rateLimited(t, do("GET", "/cdn/endpoints"))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, map[string]int{"GET /keys": 2, "GET /other": 5, "POST /keys": 1,
		"GET /cdn/endpoints": 1, "DELETE /cdn/endpoints/1": 1, "GET /cdn/endpoints/2/cache": 1}, seen)
}

func TestWindowMatches(t *testing.T) {
	w := transport.Window{Method: "GET", Path: "/v2/account/keys"}
	assert.True(t, w.Matches("GET", "/v2/account/keys"))
	assert.True(t, w.Matches("GET", "/v2/account/keys/"))
	assert.False(t, w.Matches("GET", "/v2/account/keys/12"))
	assert.False(t, w.Matches("POST", "/v2/account/keys"))
	p := transport.Window{Path: "/v2/cdn/endpoints*"}
	assert.True(t, p.Matches("PUT", "/v2/cdn/endpoints/x"))
	assert.False(t, p.Matches("GET", "/v2/cdn"))
	assert.True(t, transport.Window{}.Matches("GET", "/anything"))
}

// Pauses of a millisecond or less (a 429 that names no pause, bounded by a
// tiny MaxPause) are timers that can fire before the waiting request has
// gone to sleep; such a wake-up must not be lost. Every call here returns
// long before its deadline: one that needed the deadline to wake is
// counted as a failure.
func TestShortPausesNeverLoseTheirWakeUp(t *testing.T) {
	var n atomic.Int64
	srv, _ := script(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 1 {
			status(http.StatusTooManyRequests, `{}`)(w, r)
			return
		}
		status(200, `{}`)(w, r)
	})
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.MaxPause = time.Millisecond
		cfg.Retry = transport.RetryPolicy{MaxAttempts: 3, MaxElapsed: time.Millisecond}
	})
	late := 0
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range 4 {
		wg.Go(func() {
			for range 50 {
				ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
				_, err := c.Do(ctx, &transport.Request{Method: "GET", Path: "/a"})
				if ctx.Err() != nil {
					mu.Lock()
					late++
					mu.Unlock()
				}
				_ = err // a refusal by the limiter is fine; a hang is not
				cancel()
			}
		})
	}
	wg.Wait()
	assert.Zero(t, late, "calls woken only by their deadline")
}
