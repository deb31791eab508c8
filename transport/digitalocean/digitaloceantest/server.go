package digitaloceantest

import (
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/digitalocean"
	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// DefaultToken is the bearer token a Server accepts when Config.Tokens is
// empty. Like a real personal access token it is "dop_v1_" followed by 64
// characters.
const DefaultToken = "dop_v1_sandbox" + "5f2c9e0b7a4d18c3e6f90a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4"

// epoch is where the manual clock of a Server starts.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Config sets up a Server. The zero value is a usable configuration.
type Config struct {
	// Tokens are the accepted bearer tokens; empty means []string{DefaultToken}.
	Tokens []string
	// Droplets is the number of seeded droplets; 0 means 5, a negative
	// number seeds none.
	Droplets int
	// Seed makes the seeded data and the fault randomness deterministic.
	Seed int64
	// HourlyLimit is the per-token request budget over a sliding hour;
	// 0 means 5000, a negative number disables the hourly limit.
	HourlyLimit int
	// BurstLimit is the per-token budget over a sliding 60 s window;
	// 0 means 250, a negative number disables the burst limit.
	BurstLimit int
	// BurstWindow and HourlyWindow are the lengths of the two sliding
	// windows; 0 means a minute and an hour. Shorter ones let a test spend
	// the real budgets in seconds (pair them with stratus.WithRateWindows).
	BurstWindow, HourlyWindow time.Duration
	// ActionDuration is the simulated time an action stays in progress;
	// 0 means 10 s.
	ActionDuration time.Duration
	// Clock chooses the clock. ClockAuto (the zero value) is a manual
	// clock in a test binary and the wall clock in any other program;
	// ClockManual and ClockReal say so. The manual clock starts at
	// 2026-01-01T00:00:00Z and moves only through Advance.
	Clock ClockMode
	// RealTime is Clock: ClockReal, for existing callers.
	RealTime bool
}

// ClockMode chooses the clock (Config.Clock): ClockAuto, ClockManual or ClockReal.
type ClockMode = simulator.ClockMode

const ClockAuto, ClockManual, ClockReal = simulator.ClockAuto, simulator.ClockManual, simulator.ClockReal

// Server is the simulated DigitalOcean API. It is an http.Handler; NewServer
// also serves it on a loopback port. All methods are safe for concurrent use.
//
// The embedded Shell gives it ServeHTTP, Root, Close, Now, Advance,
// ManualClock, Requests, RequestsTo (by the whole path, "/v2/droplets"),
// ResetRequests, SetLatency, InjectNext and SetFaultRate.
type Server struct {
	*simulator.Shell

	cfg    Config
	tokens map[string]bool
	first  string

	// mu guards everything below, the simulated cloud included.
	mu  sync.Mutex
	clk simulator.Clock

	hourly, burst int
	burstPeriod   time.Duration
	hourPeriod    time.Duration
	windows       map[string]*window
	endpointLog   map[string][]time.Time // token and endpoint window: its requests' times
	refused       int                    // requests answered 429 by the rate limit
	reqSeq        uint64

	world
}

// NewServer starts a simulator on 127.0.0.1 with a random port. Call Close
// when done.
func NewServer(cfg Config) *Server {
	return simulator.Started(NewHandler(cfg))
}

// NewHandler builds a simulator that does not listen: mount it as an
// http.Handler wherever you like. URL returns "" and Close does nothing.
func NewHandler(cfg Config) *Server {
	if len(cfg.Tokens) == 0 {
		cfg.Tokens = []string{DefaultToken}
	}
	if cfg.Droplets == 0 {
		cfg.Droplets = 5
	}
	if cfg.Droplets < 0 {
		cfg.Droplets = 0
	}
	if cfg.ActionDuration <= 0 {
		cfg.ActionDuration = 10 * time.Second
	}
	if cfg.RealTime {
		cfg.Clock = ClockReal
	}
	s := &Server{
		cfg:         cfg,
		tokens:      make(map[string]bool, len(cfg.Tokens)),
		first:       cfg.Tokens[0],
		clk:         simulator.NewClock(cfg.Clock, epoch),
		windows:     make(map[string]*window),
		endpointLog: map[string][]time.Time{},
	}
	s.Shell = simulator.NewShell(simulator.ShellConfig{
		Faults: newFaults(cfg.Seed),
		Wire:   simulator.Wire{ContentType: simulator.ContentTypeJSON},
		Handle: s.handle,
		Lock:   &s.mu,
		Clock:  &s.clk,
		Settle: s.settle,
	})
	for _, t := range cfg.Tokens {
		s.tokens[t] = true
	}
	s.hourly, s.burst = limitOrDefault(cfg.HourlyLimit, 5000), limitOrDefault(cfg.BurstLimit, 250)
	s.burstPeriod, s.hourPeriod = cfg.BurstWindow, cfg.HourlyWindow
	if s.burstPeriod <= 0 {
		s.burstPeriod = time.Minute
	}
	if s.hourPeriod <= 0 {
		s.hourPeriod = time.Hour
	}
	s.seed(cfg)
	return s
}

func limitOrDefault(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return -1
	}
	return v
}

// URL is the base URL of a listening server, "http://127.0.0.1:PORT" with no
// trailing slash (the API's paths start with /v2); "" for a server built
// with NewHandler.
func (s *Server) URL() string { return s.Root() }

// Token is the first accepted bearer token.
func (s *Server) Token() string { return s.first }

// Client builds a client for this simulator: its URL, its first token and
// its clock, then opts (which win). The program must import
// models/digitalocean, which registers the provider.
func (s *Server) Client(opts ...stratus.Option) (*stratus.Client, error) {
	return simulator.ClientFor(wire.Name, s.URL(), map[string]string{"token": s.first}, s.Now, opts...)
}

func (s *Server) clock() time.Time { return s.clk.Now() }

// CompleteActions finishes every in-progress action now.
func (s *Server) CompleteActions() { simulator.Settle(s.Shell, true) }

// FailNextActions makes the next n actions created end "errored".
func (s *Server) FailNextActions(n int) {
	simulator.Locked(s.Shell, func(time.Time) bool { s.failNext = max(n, 0); return true })
}

// PendingActions is the number of actions still in progress.
func (s *Server) PendingActions() int {
	return simulator.Locked(s.Shell, func(time.Time) int {
		n := 0
		for _, p := range s.pending {
			if p.act != nil {
				n++
			}
		}
		return n
	})
}

// SetRateLimit changes the per-token limits. As in Config, 0 restores the
// default and a negative number disables the limit. Counted requests are
// kept.
func (s *Server) SetRateLimit(hourly, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hourly, s.burst = limitOrDefault(hourly, 5000), limitOrDefault(burst, 250)
}

// DropletCount is the number of droplets that exist.
func (s *Server) DropletCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.droplets)
}

// DropletsNamed is the number of droplets with exactly this name.
func (s *Server) DropletsNamed(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, d := range s.dropletOrder {
		if d.name == name {
			n++
		}
	}
	return n
}

// SetDropletLocked locks or unlocks a droplet, as if an action were running.
// It reports whether the droplet exists.
func (s *Server) SetDropletLocked(id int, locked bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.droplets[id]
	if d == nil {
		return false
	}
	d.locked = locked
	d.changed()
	return true
}

// DropletIDs lists the ids of the existing droplets, ascending.
func (s *Server) DropletIDs() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int, len(s.dropletOrder))
	for i, d := range s.dropletOrder {
		ids[i] = d.id
	}
	return ids
}

// DropletStatus is the status of a droplet ("new", "active", "off"), or ""
// if it does not exist.
func (s *Server) DropletStatus(id int) string {
	return simulator.Locked(s.Shell, func(time.Time) string {
		if d := s.droplets[id]; d != nil {
			return d.status
		}
		return ""
	})
}

// DropletTags lists the tags of a droplet (nil if it does not exist).
func (s *Server) DropletTags(id int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.droplets[id]; d != nil {
		return append([]string{}, d.tags...)
	}
	return nil
}

// handle produces the reply under the lock. A fault that replaces the
// answer is rendered here too, so that it carries a request id.
func (s *Server) handle(r *http.Request, body []byte, readErr error, f Fault) *simulator.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	s.settle(now, false)
	c := &call{r: r, now: now, reqID: s.newRequestID(), body: body, rep: simulator.NewReply()}
	c.rep.Header.Set("x-request-id", c.reqID)

	token, ok := bearer(r)
	ok = ok && s.tokens[token]
	if !ok {
		token = ""
	}
	if f.Replaces() {
		s.rateHeaders(c, token)
		s.faultReply(c, f)
		return c.rep
	}
	if !ok {
		s.rateHeaders(c, "")
		c.fail(http.StatusUnauthorized, "unauthorized", "Unable to authenticate you")
		return c.rep
	}
	if !s.admitEndpoint(c, token) || !s.admit(c, token) {
		return c.rep
	}
	if readErr != nil {
		c.fail(http.StatusBadRequest, "bad_request", "The request body could not be read.")
		return c.rep
	}
	s.route(c)
	return c.rep
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const p = "Bearer "
	if len(h) <= len(p) || !strings.EqualFold(h[:len(p)], p) {
		return "", false
	}
	return h[len(p):], true
}

// newRequestID returns a uuid-shaped id derived from the seed and a
// counter. The counter goes through a bijective mix whose 64 bits all land
// in the id, so ids never repeat.
func (s *Server) newRequestID() string {
	s.reqSeq++
	x := splitmix(s.reqSeq ^ uint64(s.cfg.Seed)*0x9e3779b97f4a7c15)
	noise := splitmix(x)
	return uuidFrom(x, noise&^0xf|(x>>12)&0xf)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func uuidFrom(a, b uint64) string {
	const hexd = "0123456789abcdef"
	var buf [36]byte
	a = a&^(0xf<<12) | 0x4<<12 // version 4
	b = b&^(0x3<<62) | 0x2<<62 // RFC 4122 variant
	pos := 0
	put := func(v uint64, digits int) {
		for i := digits - 1; i >= 0; i-- {
			buf[pos] = hexd[(v>>(4*uint(i)))&0xf]
			pos++
		}
	}
	put(a>>32, 8)
	buf[pos] = '-'
	pos++
	put(a>>16, 4)
	buf[pos] = '-'
	pos++
	put(a, 4)
	buf[pos] = '-'
	pos++
	put(b>>48, 4)
	buf[pos] = '-'
	pos++
	put(b, 12)
	return string(buf[:])
}

// sortedKeys returns the keys of m in ascending order.
func sortedKeys[K interface{ ~int | ~string }, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// Routes lists the API routes the simulator serves, sorted, one per method
// and path: "GET /v2/droplets/*", where "*" stands for one path segment
// and the path is relative to URL(). HEAD is served wherever GET is and is
// not listed.
func (s *Server) Routes() []string { return s.routeTable.Listing() }
