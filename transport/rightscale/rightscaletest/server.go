package rightscaletest

import (
	"crypto/subtle"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
	wire "github.com/stratus-cloud/stratus/transport/rightscale"
)

// epoch is where the manual clock starts: the time of the first exchange
// of the recording the simulator's shapes come from.
var epoch = time.Date(2015, 4, 8, 18, 44, 20, 0, time.UTC)

// Config sets up a Server. The zero value is a usable configuration.
type Config struct {
	// Seed makes the generated data, the tokens and the fault randomness
	// deterministic.
	Seed int64
	// Size is the number of instances seeded in each cloud (at least two
	// names among them) and of extra servers; 0 means 3, negative means
	// the smallest world (2 instances per cloud).
	Size int
	// ExpiresIn is the lifetime of access tokens, in seconds; 0 means
	// 7200 (what the API grants). Tests make it small.
	ExpiresIn int
	// TaskDuration is how long a task runs on the simulator's clock
	// before its summary says "completed: ..."; 0 means 10 s.
	TaskDuration time.Duration
	// BootDuration is how long a launched instance stays pending (and a
	// terminated one decommissioning); 0 means 3 minutes.
	BootDuration time.Duration
	// RealTime makes the clock the wall clock; otherwise it is manual and
	// starts at 2015/04/08 18:44:20 +0000.
	RealTime bool
	// RefreshToken replaces the one generated from Seed.
	RefreshToken string
	// AccountID is the account's id; 0 means 60073.
	AccountID int
	// RedirectTo, when set (a shard's URL), makes every API call but the
	// OAuth grant answer 302 with a Location on that shard: an account
	// that lives elsewhere.
	RedirectTo string
}

// Server is the simulated Cloud Management API 1.5. It is an
// http.Handler; NewServer also serves it on loopback. All methods are safe
// for concurrent use.
type Server struct {
	cfg     Config
	ts      *httptest.Server
	refresh string
	front   simulator.Frontend

	mu       sync.Mutex // guards everything below
	clk      simulator.Clock
	rand     *rand.Rand
	tokens   map[string]time.Time // access token -> expiry
	minted   int
	failNext int
	world
}

// NewServer starts a simulator on 127.0.0.1 with a random port.
func NewServer(cfg Config) *Server {
	s := NewHandler(cfg)
	s.ts = httptest.NewServer(s)
	return s
}

// NewHandler builds a simulator that does not listen (URL is "").
func NewHandler(cfg Config) *Server {
	if cfg.Size == 0 {
		cfg.Size = 3
	}
	if cfg.Size < 2 {
		cfg.Size = 2
	}
	if cfg.ExpiresIn <= 0 {
		cfg.ExpiresIn = 7200
	}
	if cfg.TaskDuration <= 0 {
		cfg.TaskDuration = 10 * time.Second
	}
	if cfg.BootDuration <= 0 {
		cfg.BootDuration = 3 * time.Minute
	}
	if cfg.AccountID <= 0 {
		cfg.AccountID = 60073
	}
	s := &Server{
		cfg:    cfg,
		clk:    simulator.NewClock(clockMode(cfg.RealTime), epoch),
		rand:   rand.New(rand.NewPCG(uint64(cfg.Seed), 0x7273)),
		tokens: map[string]time.Time{},
		front: simulator.Frontend{
			Faults: simulator.NewFaults(cfg.Seed, Fault429, Fault500, Fault503HTML, FaultMalformed),
			Wire:   simulator.Wire{ContentType: "text/html; charset=utf-8", BareNoContent: true},
		},
	}
	s.refresh = cfg.RefreshToken
	if s.refresh == "" {
		s.refresh = s.token(40)
	}
	s.seed()
	return s
}

func clockMode(realTime bool) simulator.ClockMode {
	if realTime {
		return simulator.ClockReal
	}
	return simulator.ClockManual
}

const alnum = "0123456789abcdef"

func (s *Server) token(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[s.rand.IntN(len(alnum))]
	}
	return string(b)
}

// URL is "http://127.0.0.1:PORT": the API at the root of its origin, what
// the endpoint (api_endpoint) should hold. "" for NewHandler.
func (s *Server) URL() string {
	if s.ts == nil {
		return ""
	}
	return s.ts.URL
}

// Close stops a listening server.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.Close()
	}
}

// RefreshToken is the refresh token the simulator accepts.
func (s *Server) RefreshToken() string { return s.refresh }

// AccountID is the simulated account's id.
func (s *Server) AccountID() int { return s.cfg.AccountID }

// Now is the simulator's time.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clk.Now()
}

// Advance moves the manual clock forward: tokens expire, tasks finish,
// instances boot and terminate.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clk.Advance(d)
	s.settle(s.clk.Now())
}

// FailNextTasks makes the next n tasks end "failed: ...".
func (s *Server) FailNextTasks(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = max(n, 0)
}

// ExpireTokens makes every access token minted so far invalid: the next
// call with one gets 401.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// TokensMinted counts the access tokens granted.
func (s *Server) TokensMinted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.minted
}

// Requests is the number of requests that reached the handler.
func (s *Server) Requests() int { return s.front.Counter.Requests() }

// RequestsTo counts requests by method ("" any) and path prefix.
func (s *Server) RequestsTo(method, prefix string) int {
	return s.front.Counter.RequestsTo(method, prefix)
}

// ResetRequests zeroes the counters.
func (s *Server) ResetRequests() { s.front.Counter.Reset() }

// SetLatency delays every request by d of wall time.
func (s *Server) SetLatency(d time.Duration) { s.front.Latency.Set(d) }

// Fault is a failure the simulator can inject (shared with the other
// simulators of this module).
type Fault = simulator.Fault

// The faults offered. Error bodies are plain text, as the API's are.
const (
	FaultNone       Fault = simulator.FaultNone
	Fault429        Fault = simulator.Fault429
	Fault500        Fault = simulator.Fault500
	Fault503HTML    Fault = simulator.Fault503HTML
	FaultReset      Fault = simulator.FaultReset
	FaultResetAfter Fault = simulator.FaultResetAfter
	FaultTruncated  Fault = simulator.FaultTruncated
	FaultMalformed  Fault = simulator.FaultMalformed
)

// InjectNext queues faults for the next requests, one each.
func (s *Server) InjectNext(f ...Fault) { s.front.Faults.InjectNext(f...) }

// SetFaultRate faults requests at random with the seeded generator.
func (s *Server) SetFaultRate(rate float64, kinds ...Fault) { s.front.Faults.SetRate(rate, kinds...) }

// call is one request being answered.
type call struct {
	r    *http.Request
	now  time.Time
	rep  *simulator.Reply
	p    params
	path string // without a .json suffix
}

func (c *call) text(status int, msg string) {
	c.rep.Status = status
	c.rep.Header.Set("Content-Type", "text/html; charset=utf-8")
	c.rep.Body = []byte(msg)
}

func (c *call) json(status int, typ string, collection bool, v any) {
	c.rep.Status = status
	ct := "application/vnd.rightscale." + typ + "+json"
	if collection {
		ct += ";type=collection"
	}
	c.rep.Header.Set("Content-Type", ct+";charset=utf-8")
	c.rep.Body = simulator.Marshal(v)
}

// created answers 201 with a relative Location and the API's one-space
// body.
func (c *call) created(href string) {
	c.rep.Status = http.StatusCreated
	c.rep.Header.Set("Location", href)
	c.rep.Header.Set("Content-Type", "text/html; charset=utf-8")
	c.rep.Body = []byte(" ")
}

func (c *call) accepted(href string) {
	c.created(href)
	c.rep.Status = http.StatusAccepted
}

func (c *call) noContent() { c.rep.Status = http.StatusNoContent }

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.front.Serve(w, r, r.URL.Path, s.handle)
}

func (s *Server) handle(r *http.Request, body []byte, readErr error, f Fault) *simulator.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clk.Now()
	s.settle(now)
	c := &call{r: r, now: now, rep: simulator.NewReply(), p: params{}}
	c.path = strings.TrimSuffix(r.URL.Path, ".json")
	if c.path != "/" {
		c.path = strings.TrimSuffix(c.path, "/")
	}
	switch f {
	case Fault429:
		c.rep.Header.Set("Retry-After", "1")
		c.text(http.StatusTooManyRequests, "Too many requests")
		return c.rep
	case Fault500:
		c.text(http.StatusInternalServerError, "")
		return c.rep
	case Fault503HTML:
		c.text(http.StatusServiceUnavailable, "<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>")
		return c.rep
	case FaultMalformed:
		c.json(http.StatusOK, "cloud", true, nil)
		c.rep.Body = []byte(`[{"name":"EC2 us-east-1","links":[{"rel":"se`)
		return c.rep
	}
	if readErr != nil {
		c.text(http.StatusBadRequest, "InvalidParameter: the request body could not be read")
		return c.rep
	}
	if c.path == "/api/health-check" {
		c.rep.Status = http.StatusOK
		c.rep.Header.Set("Content-Type", "text/plain")
		c.rep.Body = []byte("OK")
		return c.rep
	}
	if !strings.HasPrefix(c.path, "/api/") && c.path != "/api" {
		c.text(http.StatusNotFound, "Unknown action or route: "+c.path)
		return c.rep
	}
	if v, ok := version(r.Header); !ok {
		c.text(http.StatusBadRequest, "InvalidRequest: the X-Api-Version header is required")
		return c.rep
	} else if v != wire.Version {
		c.text(http.StatusBadRequest, "InvalidRequest: unsupported API version "+strconv.Quote(v))
		return c.rep
	}
	if err := parsePairs(r.URL.RawQuery, c.p); err != nil {
		c.text(http.StatusBadRequest, "InvalidParameter: "+err.Error())
		return c.rep
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		ct := r.Header.Get("Content-Type")
		var err error
		switch {
		case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
			err = parsePairs(string(body), c.p)
		case strings.Contains(ct, "json"), ct == "":
			err = mergeJSON(body, c.p)
		default:
			err = fmt.Errorf("unsupported content type %q", ct)
		}
		if err != nil {
			c.text(http.StatusBadRequest, "InvalidParameter: "+err.Error())
			return c.rep
		}
	}
	if c.path == wire.OAuthPath && r.Method == http.MethodPost {
		s.oauth(c)
		return c.rep
	}
	if s.cfg.RedirectTo != "" {
		loc := strings.TrimRight(s.cfg.RedirectTo, "/") + r.URL.RequestURI()
		c.rep.Header.Set("Location", loc)
		c.text(http.StatusFound, "<html><body>You are being <a href=\""+loc+"\">redirected</a>.</body></html>")
		return c.rep
	}
	if msg, ok := s.authorized(c); !ok {
		c.text(http.StatusUnauthorized, msg)
		return c.rep
	}
	if acct := r.Header.Get(wire.HeaderAccount); acct != "" && acct != strconv.Itoa(s.cfg.AccountID) {
		c.text(http.StatusForbidden, "Permission denied: you have no access to account "+acct)
		return c.rep
	}
	s.route(c)
	return c.rep
}

// version reads X-Api-Version in any spelling: X-API-Version,
// X_API_VERSION, x-api-version.
func version(h http.Header) (string, bool) {
	for k, vs := range h {
		if strings.EqualFold(strings.ReplaceAll(k, "_", "-"), "X-Api-Version") && len(vs) > 0 {
			return strings.TrimSpace(vs[0]), true
		}
	}
	return "", false
}

func (s *Server) authorized(c *call) (string, bool) {
	auth := c.r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || tok == "" {
		return "Unauthorized: an OAuth access token (Authorization: Bearer) is required", false
	}
	exp, known := s.tokens[tok]
	if !known || !c.now.Before(exp) {
		return "Unauthorized: the access token is invalid or has expired", false
	}
	return "", true
}

// oauth answers the refresh-token grant (form or JSON body).
func (s *Server) oauth(c *call) {
	if c.p.str("grant_type") != "refresh_token" {
		c.rep.Header.Set("Content-Type", "application/json")
		c.rep.Status = http.StatusBadRequest
		c.rep.Body = []byte(`{"error":"unsupported_grant_type"}`)
		return
	}
	rt := c.p.str("refresh_token")
	if subtle.ConstantTimeCompare([]byte(rt), []byte(s.refresh)) != 1 {
		c.rep.Header.Set("Content-Type", "application/json")
		c.rep.Status = http.StatusBadRequest
		c.rep.Body = []byte(`{"error":"invalid_grant"}`)
		return
	}
	s.minted++
	tok := s.token(32)
	s.tokens[tok] = c.now.Add(time.Duration(s.cfg.ExpiresIn) * time.Second)
	c.rep.Header.Set("Content-Type", "application/json")
	c.rep.Header.Set("Cache-Control", "no-store")
	c.rep.Status = http.StatusOK
	c.rep.Body = simulator.Marshal(map[string]any{"access_token": tok, "expires_in": s.cfg.ExpiresIn, "token_type": "bearer"})
}
