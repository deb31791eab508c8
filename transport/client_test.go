package transport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secret = "dop_v1_0123456789abcdef-super-secret"

func fastRetry(n int) transport.RetryPolicy {
	return transport.RetryPolicy{MaxAttempts: n, MinDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}
}

func newClient(t *testing.T, url string, mod func(*transport.Config)) *transport.Client {
	t.Helper()
	cfg := transport.Config{
		Provider: "test",
		BaseURL:  url,
		Retry:    fastRetry(4),
		Signer: transport.SignerFunc(func(r *http.Request, _ []byte) error {
			r.Header.Set("Authorization", "Bearer "+secret)
			return nil
		}),
		Secrets: []string{secret},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := transport.New(cfg)
	require.NoError(t, err)
	return c
}

// script answers each request with the next handler, then repeats the last.
func script(t *testing.T, steps ...http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(steps) {
			i = len(steps) - 1
		}
		steps[i](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		// A fresh connection for every request: net/http silently retries
		// a GET whose reused connection breaks, which would hide attempts.
		w.Header().Set("Connection", "close")
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func reset(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}
}

func truncated(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Length", "100")
	w.WriteHeader(200)
	io.WriteString(w, `{"droplets":[`)
	w.(http.Flusher).Flush()
	conn, _, _ := w.(http.Hijacker).Hijack()
	conn.Close()
}

func TestGETRetriedThroughTransientFailures(t *testing.T) {
	srv, n := script(t, status(503, `{"id":"service_unavailable","message":"try later"}`), reset, truncated, status(200, `{"ok":true}`))
	var logs bytes.Buffer
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	resp, err := c.Do(context.Background(), &transport.Request{Method: "GET", Path: "/v2/x"})
	require.NoError(t, err)
	assert.Equal(t, 4, resp.Attempts)
	assert.Equal(t, 3, strings.Count(logs.String(), "stratus retry"), logs.String())
	assert.Contains(t, logs.String(), "status=503")
	assert.NotContains(t, logs.String(), secret)
	assert.Equal(t, int32(4), n.Load())
	assert.JSONEq(t, `{"ok":true}`, string(resp.Body))
}

func TestPOSTNotRetriedOnceItReachedTheServer(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{"503": status(503, `{"id":"x","message":"down"}`), "reset": reset, "truncated": truncated} {
		t.Run(name, func(t *testing.T) {
			srv, n := script(t, h, status(201, `{}`))
			c := newClient(t, srv.URL, nil)
			_, err := c.Do(context.Background(), &transport.Request{Method: "POST", Path: "/v2/droplets", Body: []byte(`{"name":"a"}`)})
			require.Error(t, err)
			assert.Equal(t, int32(1), n.Load(), "a POST that reached the server must not be sent again")
			var e *transport.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 1, e.Attempts)
			assert.ErrorIs(t, err, transport.ErrUnavailable)
		})
	}
}

func TestPOSTRetriedOn429(t *testing.T) {
	srv, n := script(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		status(429, `{"id":"too_many_requests","message":"API rate limit exceeded."}`)(w, r)
	}, status(201, `{"ok":1}`))
	c := newClient(t, srv.URL, nil)
	resp, err := c.Do(context.Background(), &transport.Request{Method: "POST", Path: "/v2/tags", Body: []byte(`{}`)})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, int32(2), n.Load())
}

// failFirst fails the first round trip without writing anything: the
// request never reached a server, so even a POST may be retried.
type failFirst struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (f *failFirst) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.n.Add(1) == 1 {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	return f.next.RoundTrip(r)
}

func TestPOSTRetriedWhenNeverSent(t *testing.T) {
	srv, n := script(t, status(201, `{"ok":1}`))
	ff := &failFirst{next: http.DefaultTransport}
	c := newClient(t, srv.URL, func(cfg *transport.Config) { cfg.HTTPClient = &http.Client{Transport: ff} })
	resp, err := c.Do(context.Background(), &transport.Request{Method: "POST", Path: "/v2/tags", Body: []byte(`{"name":"x"}`)})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, int32(1), n.Load())
}

func TestAttemptsBoundedAndReported(t *testing.T) {
	srv, n := script(t, status(500, `{"id":"server_error","message":"boom"}`))
	c := newClient(t, srv.URL, func(cfg *transport.Config) { cfg.Retry = fastRetry(3) })
	_, err := c.Do(context.Background(), &transport.Request{Method: "GET", Path: "/v2/x"})
	var e *transport.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 3, e.Attempts)
	assert.Equal(t, int32(3), n.Load())
	assert.Equal(t, 500, e.Status)
	assert.Contains(t, err.Error(), "after 3 attempts")
}

func TestEachAttemptSignedAnew(t *testing.T) {
	var signs atomic.Int32
	var bodies []string
	srv, _ := script(t, status(503, `{}`), status(503, `{}`), func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		status(200, `{}`)(w, r)
	})
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.Signer = transport.SignerFunc(func(r *http.Request, body []byte) error {
			signs.Add(1)
			assert.Equal(t, `{"a":1}`, string(body))
			return nil
		})
	})
	_, err := c.Do(context.Background(), &transport.Request{Method: "PUT", Path: "/x", Body: []byte(`{"a":1}`)})
	require.NoError(t, err)
	assert.Equal(t, int32(3), signs.Load())
	assert.Equal(t, []string{`{"a":1}`}, bodies, "the body is replayed whole on the last attempt")
}

func TestHTMLErrorPageIsTyped(t *testing.T) {
	srv, _ := script(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		io.WriteString(w, "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>")
	})
	c := newClient(t, srv.URL, func(cfg *transport.Config) { cfg.Retry = transport.NoRetry })
	_, err := c.Do(context.Background(), &transport.Request{Method: "GET", Path: "/v2/x"})
	var e *transport.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 502, e.Status)
	assert.Equal(t, "HTML error page: 502 Bad Gateway", e.Message)
	assert.ErrorIs(t, err, transport.ErrUnavailable)
}

func TestKindsFromStatus(t *testing.T) {
	cases := map[int]error{401: transport.ErrUnauthorized, 403: transport.ErrForbidden, 404: transport.ErrNotFound,
		409: transport.ErrConflict, 422: transport.ErrInvalid, 429: transport.ErrRateLimited, 501: transport.ErrUnsupported, 503: transport.ErrUnavailable}
	for code, want := range cases {
		assert.ErrorIs(t, &transport.Error{Kind: transport.KindForStatus(code)}, want, "status %d", code)
	}
	assert.Nil(t, transport.KindForStatus(200))
}

func TestSecretsNeverLeak(t *testing.T) {
	srv, _ := script(t, func(w http.ResponseWriter, r *http.Request) {
		// A hostile server echoes the credentials in its error message.
		status(401, `{"id":"unauthorized","message":"bad token `+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+`"}`)(w, r)
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.Logger = logger
		cfg.RedactQuery = []string{"api_key"}
	})
	_, err := c.Do(context.Background(), &transport.Request{Method: "GET", Path: "/v2/account", Query: map[string][]string{"api_key": {secret}}})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
	assert.Contains(t, err.Error(), "[redacted]")
	assert.NotContains(t, logs.String(), secret)
	assert.Contains(t, logs.String(), "status=401")

	// A network error carries the URL, query included.
	srv.Close()
	_, err = c.Do(context.Background(), &transport.Request{Method: "GET", Path: "/v2/account?api_key=" + secret})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, logs.String(), secret)
}

func TestResolveKeepsOurHost(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:9/1.0", nil)
	u, err := c.Resolve("https://api.example.com/1.0/me?page=2", nil)
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9/1.0/me?page=2", u.String())
	u, err = c.Resolve(transport.PathJoin("/domain/zone", "a/b", "record"), map[string][]string{"fieldType": {"A"}})
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9/1.0/domain/zone/a%2Fb/record?fieldType=A", u.String())
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := http.Header{}
	assert.Zero(t, transport.RetryAfter(h, now))
	h.Set("Retry-After", "29")
	assert.Equal(t, 29*time.Second, transport.RetryAfter(h, now))
	h.Set("Retry-After", now.Add(5*time.Second).Format(http.TimeFormat))
	assert.Equal(t, 5*time.Second, transport.RetryAfter(h, now))
	h.Set("Retry-After", "soon")
	assert.Zero(t, transport.RetryAfter(h, now))
}

func TestBackoffBounds(t *testing.T) {
	for n := 1; n < 20; n++ {
		d := transport.Backoff(n, 100*time.Millisecond, time.Second)
		assert.GreaterOrEqual(t, d, 50*time.Millisecond)
		assert.LessOrEqual(t, d, time.Second)
	}
}

func TestCancelledContextStopsRetrying(t *testing.T) {
	srv, n := script(t, status(503, `{}`))
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.Retry = transport.RetryPolicy{MaxAttempts: 50, MinDelay: 50 * time.Millisecond, MaxDelay: 50 * time.Millisecond}
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err := c.Do(ctx, &transport.Request{Method: "GET", Path: "/x"})
	require.Error(t, err)
	assert.Less(t, n.Load(), int32(50))
}

func TestOpDropsQueryAndHost(t *testing.T) {
	assert.Equal(t, "GET /v2/droplets", transport.Op("GET", "/v2/droplets?page=2&token=x"))
	assert.Equal(t, "GET /v2/images", transport.Op("GET", "https://api.example.com/v2/images?page=3"))
	assert.Equal(t, "DELETE /v2/tags/a%2Fb", transport.Op("DELETE", "/v2/tags/a%2Fb"))
}

// With a quota reported by the server, no more requests are in flight than
// the quota left, and none is sent until the reset once it is spent.
func TestQuotaBoundsRequestsInFlight(t *testing.T) {
	var inFlight, maxInFlight, served atomic.Int64
	resetAt := time.Now().Add(300 * time.Millisecond).Truncate(time.Millisecond) // the header carries milliseconds
	var afterReset atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := maxInFlight.Load(); time.Now().Before(resetAt) && cur > m && !maxInFlight.CompareAndSwap(m, cur); m = maxInFlight.Load() {
		}
		n := served.Add(1)
		time.Sleep(10 * time.Millisecond)
		left := 3 - n
		if time.Now().After(resetAt) {
			afterReset.Add(1)
			left = 100
		}
		if left < 0 {
			w.WriteHeader(429)
			return
		}
		w.Header().Set("X-Left", strconv.FormatInt(left, 10))
		w.Header().Set("X-Reset", strconv.FormatInt(resetAt.UnixMilli(), 10))
		fmt.Fprint(w, `{}`)
	}))
	defer srv.Close()
	c, err := transport.New(transport.Config{BaseURL: srv.URL, Retry: transport.NoRetry,
		Quota: func(h http.Header) (int, time.Time, bool) {
			left, err1 := strconv.Atoi(h.Get("X-Left"))
			ms, err2 := strconv.ParseInt(h.Get("X-Reset"), 10, 64)
			return left, time.UnixMilli(ms), err1 == nil && err2 == nil
		}})
	require.NoError(t, err)
	// The first answer tells the quota: 2 left.
	_, err = c.Do(context.Background(), &transport.Request{Method: "GET", Path: "/"})
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Do(context.Background(), &transport.Request{Method: "GET", Path: "/"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err, "no request met a 429")
	}
	assert.EqualValues(t, 9, served.Load())
	assert.EqualValues(t, 6, afterReset.Load(), "two used the quota left; the other six waited for the reset")
	assert.LessOrEqual(t, maxInFlight.Load(), int64(2), "before the reset, never more in flight than the quota left")
}

// Do builds requests itself rather than through http.NewRequest, so it
// checks the method as net/http would, and sends nothing when it is bad.
func TestBadMethodIsRefusedBeforeSending(t *testing.T) {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sent.Add(1) }))
	defer srv.Close()
	c, err := transport.New(transport.Config{BaseURL: srv.URL})
	require.NoError(t, err)
	for _, m := range []string{"", "GET /x", "PUT\n", "DÉLÉTE"} {
		_, err := c.Do(context.Background(), &transport.Request{Method: m, Path: "/"})
		assert.ErrorIs(t, err, transport.ErrInvalid, "%q", m)
	}
	_, err = c.Do(context.Background(), &transport.Request{Method: "PROPFIND", Path: "/"})
	assert.NoError(t, err, "any token is a method")
	assert.EqualValues(t, 1, sent.Load())
}
