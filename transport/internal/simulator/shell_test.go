package simulator

import (
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tiny is the smallest simulator built on a Shell: it counts requests by
// path below /api and settles a counter when its clock moves.
type tiny struct {
	*Shell
	mu      sync.Mutex
	clk     Clock
	settled []time.Time
	all     int
}

func newTiny(mode ClockMode) *tiny {
	s := &tiny{clk: NewClock(mode, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}
	s.Shell = NewShell(ShellConfig{
		Faults: NewFaults(1, Fault500),
		Wire:   Wire{ContentType: ContentTypeJSON},
		Key:    func(r *http.Request) string { return r.URL.Path[len("/api"):] },
		Lock:   &s.mu,
		Clock:  &s.clk,
		Settle: func(now time.Time, all bool) {
			s.settled = append(s.settled, now)
			if all {
				s.all++
			}
		},
		Handle: func(r *http.Request, body []byte, _ error, f Fault) *Reply {
			s.mu.Lock()
			defer s.mu.Unlock()
			rep := NewReply()
			if f.Replaces() {
				rep.JSON(500, map[string]string{"error": f.String()})
				return rep
			}
			rep.JSON(200, map[string]string{"now": s.clk.Now().Format(time.RFC3339)})
			return rep
		},
	})
	return s
}

func TestShell(t *testing.T) {
	s := newTiny(ClockManual)
	assert.Equal(t, "", s.Root(), "not listening yet")
	s.Close() // nothing to close
	Listen(s.Shell)
	t.Cleanup(s.Close)
	require.Contains(t, s.Root(), "http://127.0.0.1:")

	get := func(path string) (int, string) {
		res, err := http.Get(s.Root() + path)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(b)
	}
	code, body := get("/api/things")
	assert.Equal(t, 200, code)
	assert.Equal(t, `{"now":"2026-01-01T00:00:00Z"}`, body)

	assert.True(t, s.ManualClock())
	s.Advance(time.Minute)
	assert.Equal(t, time.Date(2026, 1, 1, 0, 1, 0, 0, time.UTC), s.Now())
	assert.Equal(t, []time.Time{s.Now()}, s.settled, "Advance settles with the new time")
	Settle(s.Shell, true)
	assert.Equal(t, 1, s.all)
	n := Locked(s.Shell, func(now time.Time) int {
		assert.Equal(t, s.clk.Now(), now)
		return len(s.settled)
	})
	assert.Equal(t, 3, n, "Locked settles first")
	assert.Equal(t, 1, s.all, "what is due only")
	_, body = get("/api/things/1")
	assert.Equal(t, `{"now":"2026-01-01T00:01:00Z"}`, body)

	s.InjectNext(Fault500)
	code, body = get("/api/things")
	assert.Equal(t, 500, code)
	assert.Equal(t, `{"error":"500"}`, body)
	s.SetFaultRate(1, Fault500)
	code, _ = get("/api/things")
	assert.Equal(t, 500, code)
	s.SetFaultRate(0)

	s.SetLatency(time.Millisecond)
	code, _ = get("/api/other")
	assert.Equal(t, 200, code)

	assert.Equal(t, 5, s.Requests())
	assert.Equal(t, 4, s.RequestsTo("GET", "/things"), "counted under the simulator's key")
	assert.Equal(t, 1, s.RequestsTo("", "/things/"))
	s.ResetRequests()
	assert.Equal(t, 0, s.Requests())
}

func TestShellRealClock(t *testing.T) {
	s := newTiny(ClockReal)
	assert.False(t, s.ManualClock())
	before := time.Now()
	s.Advance(time.Hour)
	assert.WithinDuration(t, before, s.Now(), time.Minute, "Advance does not move the wall clock")
	assert.Len(t, s.settled, 1, "but it settles")
	assert.Equal(t, 0, s.all)
}

func TestShellDefaults(t *testing.T) {
	// With nothing but a handler the shell still serves: no faults, its
	// own lock, the wall clock, requests counted by their whole path.
	sh := NewShell(ShellConfig{Handle: func(*http.Request, []byte, error, Fault) *Reply {
		rep := NewReply()
		rep.Send(204, "", nil)
		return rep
	}})
	Listen(sh)
	t.Cleanup(sh.Close)
	sh.InjectNext(Fault500)
	res, err := http.Get(sh.Root() + "/x/y")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 204, res.StatusCode, "a fault the shell was not given is no fault")
	assert.Equal(t, 1, sh.RequestsTo("GET", "/x/y"))
	assert.False(t, sh.ManualClock())
}

func TestClientFor(t *testing.T) {
	_, err := ClientFor("nosuch", "http://127.0.0.1:1", nil, time.Now)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "import github.com/stratus-cloud/stratus/models/nosuch")
	_, err = ClientFor("nosuch", "", nil, time.Now)
	assert.ErrorContains(t, err, "does not listen")
}
