package ovhtest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport/internal/simulator"
	wire "github.com/stratus-cloud/stratus/transport/ovh"
)

// Config sets up a Server. The zero value is a usable configuration.
type Config struct {
	// Seed makes the seeded data, the keys and the fault randomness
	// deterministic: same seed, same data.
	Seed int64
	// DedicatedServers is the number of dedicated servers; 0 means 3, a
	// negative number seeds none.
	DedicatedServers int
	// Bills is the number of bills; 0 means 12, a negative number seeds none.
	Bills int
	// Projects is the number of Public Cloud projects; 0 means 1, a negative
	// number seeds none.
	Projects int
	// Instances is the number of instances per project; 0 means 4, a
	// negative number seeds none.
	Instances int
	// Zones are the DNS zones (each also a registered domain); nil means
	// {"example.com"}, an empty non-nil slice seeds none.
	Zones []string
	// Records is the number of records per zone; 0 means 6, a negative
	// number seeds none.
	Records int
	// RateLimit is the number of requests per minute per consumer key;
	// 0 means DefaultRateLimit (generous: OVH publishes no limit), a
	// negative number disables the limit. Tests of pacing set a strict
	// one, such as StrictRateLimit.
	RateLimit int
	// TimeWindow is the accepted difference between X-Ovh-Timestamp and the
	// server clock; 0 means 5 minutes (our choice: OVH does not document
	// it), a negative value disables the check.
	TimeWindow time.Duration
	// NoBulk refuses the hidden bulk page mode: the pagination headers are
	// ignored and list routes answer plain id lists.
	NoBulk bool
	// Clock chooses the server clock. ClockAuto (the zero value) and
	// ClockReal are the wall clock, the clock OVH's clients read from
	// /auth/time; ClockManual stands at 2026-03-14T15:09:26Z and moves only
	// through Advance (and SkewClock), for tests that decide when builds
	// finish and rate windows refill.
	Clock ClockMode
	// ValidateAfter, when positive, makes a pending consumer key validate
	// itself this long (on the server clock) after it was requested, as if
	// a user had clicked its validation URL. For demos.
	ValidateAfter time.Duration
}

// Rule is an access rule of a consumer key: an HTTP method and a path that
// may contain the * wildcard.
type Rule struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

// ClockMode chooses the clock (Config.Clock): ClockAuto (for this
// simulator the wall clock, like ClockReal) or ClockManual.
type ClockMode = simulator.ClockMode

const ClockAuto, ClockManual, ClockReal = simulator.ClockAuto, simulator.ClockManual, simulator.ClockReal

// manualEpoch is where a manual clock starts.
var manualEpoch = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// Server is the simulated OVH API. It is an http.Handler; NewServer also
// serves it on a loopback port. All methods are safe for concurrent use.
//
// The embedded Shell gives it ServeHTTP, Root, Close, Now, Advance,
// ManualClock, Requests, RequestsTo (by the path without /1.0 or /v1),
// ResetRequests, SetLatency, InjectNext and SetFaultRate.
type Server struct {
	*simulator.Shell

	cfg Config

	// mu guards everything below, the simulated account included.
	mu  sync.Mutex
	clk simulator.Clock // SkewClock steps it

	rateLimit int // per minute; negative: disabled
	window    time.Duration
	bulk      bool

	querySeq    uint64
	queryPrefix string

	auth
	world
}

// NewServer starts a simulator on 127.0.0.1 with a random port. Call Close
// when done.
func NewServer(cfg Config) *Server {
	return simulator.Started(NewHandler(cfg))
}

// NewHandler builds a simulator that does not listen: mount it as an
// http.Handler wherever you like (at the root of the host: it serves
// /1.0/..., /v1/... and /auth/). URL and Root return "" and Close does
// nothing.
func NewHandler(cfg Config) *Server {
	count := func(v, def int) int {
		switch {
		case v == 0:
			return def
		case v < 0:
			return 0
		}
		return v
	}
	cfg.DedicatedServers = count(cfg.DedicatedServers, 3)
	cfg.Bills = count(cfg.Bills, 12)
	cfg.Projects = count(cfg.Projects, 1)
	cfg.Instances = count(cfg.Instances, 4)
	cfg.Records = count(cfg.Records, 6)
	if cfg.Zones == nil {
		cfg.Zones = []string{"example.com"}
	}
	if cfg.TimeWindow == 0 {
		cfg.TimeWindow = 5 * time.Minute
	}
	mode := cfg.Clock
	if mode == ClockAuto {
		mode = ClockReal
	}
	s := &Server{
		cfg:       cfg,
		clk:       simulator.NewClock(mode, manualEpoch),
		rateLimit: rateOrDefault(cfg.RateLimit),
		window:    cfg.TimeWindow,
		bulk:      !cfg.NoBulk,
	}
	s.Shell = simulator.NewShell(simulator.ShellConfig{
		Faults: newFaults(cfg.Seed),
		Wire:   simulator.Wire{ContentType: simulator.ContentTypeJSON},
		Key:    countKey,
		Handle: s.handle,
		Lock:   &s.mu,
		Clock:  &s.clk,
	})
	qr := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x71756572))
	s.queryPrefix = fmt.Sprintf("EU.ext-%d.%06x.%04d.", 1+qr.IntN(9), qr.Uint32()&0xffffff, 1000+qr.IntN(9000))
	s.seedAuth(cfg)
	s.seed(cfg)
	return s
}

// DefaultRateLimit is the per-key budget a minute when Config.RateLimit
// is 0: enough that a program looping over hundreds of servers is never
// refused, which is what users of the real API see.
const DefaultRateLimit = 6000

// StrictRateLimit is the only figure OVH has given (staying under 60
// requests a minute "should be ok"), for tests of pacing and 429s.
const StrictRateLimit = 60

func rateOrDefault(v int) int {
	switch {
	case v == 0:
		return DefaultRateLimit
	case v < 0:
		return -1
	}
	return v
}

// URL is the API base URL of a listening server, "http://127.0.0.1:PORT/1.0"
// with no trailing slash, as go-ovh's NewClient wants it; "" for a server
// built with NewHandler. Root is the scheme and host only.
func (s *Server) URL() string {
	if s.Root() == "" {
		return ""
	}
	return s.Root() + "/1.0"
}

func (s *Server) clock() time.Time { return s.clk.Now() }

// Client builds a client for this simulator: its URL, the application key
// and secret and the seeded consumer key, and its clock, then opts (which
// win). The program must import models/ovh, which registers the provider.
func (s *Server) Client(opts ...stratus.Option) (*stratus.Client, error) {
	creds := map[string]string{
		wire.KeyApplicationKey: s.AppKey(), wire.KeyApplicationSecret: s.AppSecret(), wire.KeyConsumerKey: s.ConsumerKey(),
	}
	return simulator.ClientFor(wire.Name, s.URL(), creds, s.Now, opts...)
}

// SkewClock moves the server clock by d (forward when positive), like a
// clock step on OVH's side. Clients that cached their time delta now sign
// with a stale timestamp; everything timed on the server clock (instance
// builds, the rate limit, self-validating keys) sees the jump.
func (s *Server) SkewClock(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clk.Skew(d)
}

// SetBulk turns the hidden bulk page mode on or off (Config.NoBulk).
func (s *Server) SetBulk(enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bulk = enabled
}

// SetRateLimit changes the per-consumer-key limit: perMinute requests a
// minute, 0 for DefaultRateLimit, a negative number to disable it. Every
// key starts again with a full bucket.
func (s *Server) SetRateLimit(perMinute int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = rateOrDefault(perMinute)
	for _, cr := range s.creds {
		cr.bucket = bucket{}
	}
}

// countKey is the path a request is counted under: without the /1.0 or
// /v1 prefix, or the full path outside the API ("/auth/" for validation
// clicks, "/v2/..." for the v2 branch).
func countKey(r *http.Request) string {
	if key, ok := apiPath(r.URL.Path); ok {
		return key
	}
	return r.URL.Path
}

// apiPath strips the /1.0 or /v1 prefix (the two names of the same API)
// and reports whether there was one.
func apiPath(p string) (string, bool) {
	for _, prefix := range []string{"/1.0", "/v1"} {
		if rest, ok := strings.CutPrefix(p, prefix); ok && (rest == "" || rest[0] == '/') {
			return rest, true
		}
	}
	return "", false
}

// handle produces the reply under the lock. A fault that replaces the
// answer is rendered here too, so that it carries a query id.
func (s *Server) handle(r *http.Request, body []byte, readErr error, f Fault) *simulator.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &call{s: s, r: r, now: s.clock(), body: body, rep: simulator.NewReply()}
	c.queryID = s.newQueryID()
	c.rep.Header.Set("X-Ovh-Queryid", c.queryID)
	if f.Replaces() {
		s.faultReply(c, f)
		return c.rep
	}
	if readErr != nil {
		c.fail(http.StatusBadRequest, "", "The request body could not be read")
		return c.rep
	}
	s.dispatch(c)
	if c.rep.Status == 0 {
		c.rep.Status = http.StatusOK
	}
	if c.rep.Body == nil {
		// OVH answers void calls with a JSON null.
		c.rep.Body = []byte("null")
	}
	return c.rep
}

// newQueryID returns the next X-Ovh-Queryid: a seeded prefix that names a
// front-end host and process, then a counter.
func (s *Server) newQueryID() string {
	s.querySeq++
	return fmt.Sprintf("%s%04d", s.queryPrefix, s.querySeq)
}

// Routes lists the API routes the simulator serves, sorted, one per method
// and path: "GET /dedicated/server/*", where "*" stands for one path
// segment and the path is relative to URL(). The consumer-key validation
// page (/auth/, outside the API's version) is not listed.
func (s *Server) Routes() []string { return s.routeTable.Listing() }
