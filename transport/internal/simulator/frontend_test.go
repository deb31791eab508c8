package simulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sim is a minimal simulator: it counts the requests its handler served
// and renders Fault500 in its own words.
type sim struct {
	front  Frontend
	served atomic.Int32
}

func newSim() *sim {
	return &sim{front: Frontend{
		Faults: NewFaults(1, Fault500),
		Wire:   Wire{ContentType: "application/json"},
	}}
}

func (s *sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.front.Serve(w, r, strings.TrimPrefix(r.URL.Path, "/api"), s.handle)
}

func (s *sim) handle(r *http.Request, body []byte, readErr error, f Fault) *Reply {
	rep := NewReply()
	switch {
	case f.Replaces():
		rep.Status, rep.Body = http.StatusInternalServerError, []byte(`{"error":"`+f.String()+`"}`)
	case readErr != nil:
		rep.Status, rep.Body = http.StatusBadRequest, []byte(`{"error":"body"}`)
	default:
		s.served.Add(1)
		rep.Status, rep.Body = http.StatusOK, []byte(`{"echo":"`+string(body)+`","path":"`+r.URL.Path+`"}`)
	}
	return rep
}

// start serves s on a loopback port; its client opens a connection a
// request, so that net/http never replays one silently.
func start(t *testing.T, s *sim) (*httptest.Server, *http.Client) {
	t.Helper()
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return ts, &http.Client{Transport: tr}
}

func TestServe(t *testing.T) {
	s := newSim()
	ts, hc := start(t, s)

	res, err := hc.Post(ts.URL+"/api/things", "text/plain", strings.NewReader("hi"))
	require.NoError(t, err)
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, `{"echo":"hi","path":"/api/things"}`, string(b))
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assert.Equal(t, int64(len(b)), res.ContentLength)

	s.front.Faults.InjectNext(Fault500, Fault503HTML)
	res, err = hc.Get(ts.URL + "/api/things/1")
	require.NoError(t, err)
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, 500, res.StatusCode, "rendered by the handler")
	assert.Equal(t, `{"error":"500"}`, string(b))
	res, err = hc.Get(ts.URL + "/api/things/1")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 200, res.StatusCode, "a kind the simulator does not offer is no fault")

	res, err = hc.Post(ts.URL+"/api/things", "text/plain", strings.NewReader(strings.Repeat("x", MaxBody+1)))
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 400, res.StatusCode, "a body over MaxBody is a read error")

	assert.Equal(t, 4, s.front.Counter.Requests())
	assert.Equal(t, 2, s.front.Counter.RequestsTo("POST", "/things"), "counted under the simulator's key")
	assert.Equal(t, 2, s.front.Counter.RequestsTo("GET", "/things/"))
	assert.EqualValues(t, 2, s.served.Load(), "the faulted and the too large ones were not served")
}

func TestResetHijacks(t *testing.T) {
	s := newSim()
	ts, hc := start(t, s)

	s.front.Faults.InjectNext(FaultReset)
	_, err := hc.Get(ts.URL + "/api/things")
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ECONNRESET), "an abortive close: %v", err)
	assert.EqualValues(t, 0, s.served.Load(), "reset before the handler")

	s.front.Faults.InjectNext(FaultResetAfter)
	_, err = hc.Post(ts.URL+"/api/things", "text/plain", strings.NewReader("hi"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ECONNRESET), "an abortive close: %v", err)
	assert.EqualValues(t, 1, s.served.Load(), "reset after the handler: its effects happen")
	assert.Equal(t, 2, s.front.Counter.Requests(), "reset requests are counted")

	res, err := hc.Get(ts.URL + "/api/things")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 200, res.StatusCode, "the server goes on")
}

func TestResetWithoutHijackAborts(t *testing.T) {
	// A ResponseRecorder cannot be hijacked: the handler is aborted.
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { ResetConn(httptest.NewRecorder()) })
}

func TestTruncatedBodyFailsTheRead(t *testing.T) {
	s := newSim()
	ts, hc := start(t, s)

	s.front.Faults.InjectNext(FaultTruncated)
	res, err := hc.Get(ts.URL + "/api/things")
	require.NoError(t, err, "the status and headers arrive")
	defer res.Body.Close()
	assert.Equal(t, 200, res.StatusCode)
	full := int64(len(`{"echo":"","path":"/api/things"}`))
	assert.Equal(t, full, res.ContentLength, "the full length is announced")
	b, err := io.ReadAll(res.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, `{"echo":"","path`, string(b), "half the body")
}

func TestLatency(t *testing.T) {
	s := newSim()
	ts, hc := start(t, s)

	s.front.Latency.Set(50 * time.Millisecond)
	begin := time.Now()
	res, err := hc.Get(ts.URL + "/api/things")
	require.NoError(t, err)
	res.Body.Close()
	assert.GreaterOrEqual(t, time.Since(begin), 50*time.Millisecond)

	s.front.Latency.Set(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/api/things", nil)
	_, err = hc.Do(req)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	s.front.Latency.Set(-time.Second)
	res, err = hc.Get(ts.URL + "/api/things")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 3, s.front.Counter.Requests(), "requests are counted before they wait")

	var l Latency
	done, cancel2 := context.WithCancel(context.Background())
	cancel2()
	assert.True(t, l.Wait(done), "no latency, no wait")
	l.Set(time.Hour)
	assert.False(t, l.Wait(done), "the context ended first")
}
