package transport_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A body wait runs after the headers arrive and before the body is read;
// while it waits the request holds no place in flight, and its time does
// not count against the client's timeout.
func TestBodyWaitHoldsTheAnswerOutsideTheTimeoutAndTheFlightCount(t *testing.T) {
	var served atomic.Int32
	// Large enough that most of it is still in the connection when the
	// wait ends: a timed-out attempt could not read it.
	answer := `{"ok":true,"pad":"` + strings.Repeat("x", 4<<20) + `"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.MaxInFlight = 1
		cfg.Timeout = time.Second
	})

	release := make(chan struct{})
	var waited atomic.Int32
	ctx := transport.WithBodyWait(context.Background(), func(ctx context.Context) error {
		waited.Add(1)
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	first := make(chan error, 1)
	var body []byte
	go func() {
		resp, err := c.Do(ctx, &transport.Request{Method: "GET", Path: "/a"})
		if err == nil {
			body = resp.Body
		}
		first <- err
	}()
	require.Eventually(t, func() bool { return waited.Load() == 1 }, 5*time.Second, time.Millisecond, "the wait runs once the headers are in")
	assert.EqualValues(t, 1, served.Load())

	// The only place in flight is free while the first body waits.
	bctx, bcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer bcancel()
	resp, err := c.Do(bctx, &transport.Request{Method: "GET", Path: "/b"})
	require.NoError(t, err, "a second request goes while the first waits for its reader")
	assert.True(t, string(resp.Body) == answer, "the whole answer (%d bytes of %d)", len(resp.Body), len(answer))

	// Two and a half times the client's timeout, spent waiting, is not a
	// timeout.
	time.Sleep(2500 * time.Millisecond)
	close(release)
	require.NoError(t, <-first)
	assert.True(t, string(body) == answer, "the whole answer (%d bytes of %d)", len(body), len(answer))
	assert.EqualValues(t, 1, waited.Load(), "one attempt, one wait")
	assert.EqualValues(t, 2, served.Load())
}

// A caller that gives up while its answer waits gets its ctx's error, at
// once, and the answer is dropped.
func TestBodyWaitEndsWithTheCallersContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	ctx = transport.WithBodyWait(ctx, func(wctx context.Context) error {
		cancel()
		<-wctx.Done()
		return wctx.Err()
	})
	_, err := c.Do(ctx, &transport.Request{Method: "GET", Path: "/a"})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
}

// An error's body is not held back: the 503 is read, decided on and
// retried at once, and only the successful answer waits.
func TestBodyWaitHoldsOnlySuccessfulAnswers(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"message":"try again"}`))
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, nil)
	var waits []int32
	ctx := transport.WithBodyWait(context.Background(), func(context.Context) error {
		waits = append(waits, n.Load())
		return nil
	})
	resp, err := c.Do(ctx, &transport.Request{Method: "GET", Path: "/a"})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, []int32{2}, waits, "one wait, for the second (successful) answer")
}
