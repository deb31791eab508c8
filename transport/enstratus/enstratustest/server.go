package enstratustest

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// Version is the API version the simulator names as current; it serves
// every YYYY-MM-DD version the same way.
const Version = "2012-06-15"

// basePrefix is where versions are mounted.
const basePrefix = "/api/enstratus"

// epoch is where the manual clock starts: 2013-01-01T00:00:00Z, the
// timestamp 1356998400000 of the published mixcoatl signature examples.
var epoch = time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC)

// Config sets up a Server. The zero value is a usable configuration.
type Config struct {
	// Seed makes the generated keys and servers and the fault randomness
	// deterministic.
	Seed int64
	// Servers is the number of servers seeded: the fixture's servers first,
	// then generated ones modelled on them. 0 means 10; negative, none.
	Servers int
	// JobDuration is how long a job stays RUNNING on the simulator's clock;
	// 0 means 10 s.
	JobDuration time.Duration
	// Clock chooses the clock. ClockAuto (the zero value) is a manual
	// clock in a test binary and the wall clock in any other program;
	// ClockManual and ClockReal say so. The manual clock starts at
	// 2013-01-01T00:00:00Z and moves only through Advance: sign with
	// Server.Now (Server.Client does) or requests expire.
	Clock ClockMode
	// RealTime is Clock: ClockReal, for existing callers.
	RealTime bool
	// TimeWindow is how far x-esauth-timestamp may be from the clock, either
	// way; 0 means 15 minutes. The real window is not documented.
	TimeWindow time.Duration
	// AccessKey and SecretKey, when both set, replace the key pair generated
	// from Seed (for instance to replay mixcoatl's signature examples).
	AccessKey, SecretKey string
}

// ClockMode chooses the clock (Config.Clock): ClockAuto, ClockManual or ClockReal.
type ClockMode = simulator.ClockMode

const ClockAuto, ClockManual, ClockReal = simulator.ClockAuto, simulator.ClockManual, simulator.ClockReal

// Server is the simulated enStratus API. It is an http.Handler; NewServer
// also serves it on a loopback port. All methods are safe for concurrent use.
//
// The embedded Shell gives it ServeHTTP, Root, Close, Now, Advance,
// ManualClock, Requests, RequestsTo (by the path below the version,
// "infrastructure/Server"), ResetRequests, SetLatency, InjectNext and
// SetFaultRate.
type Server struct {
	*simulator.Shell

	cfg    Config
	access string
	secret string

	// mu guards everything below, the simulated cloud included.
	mu  sync.Mutex
	clk simulator.Clock

	keys map[string]string // access key -> secret key, from admin/ApiKey

	world
}

// NewServer starts a simulator on 127.0.0.1 with a random port. Call Close
// when done.
func NewServer(cfg Config) *Server {
	return simulator.Started(NewHandler(cfg))
}

// NewHandler builds a simulator that does not listen: mount it as an
// http.Handler at the root of a server. URL and Root return "" and Close
// does nothing.
func NewHandler(cfg Config) *Server {
	switch {
	case cfg.Servers == 0:
		cfg.Servers = 10
	case cfg.Servers < 0:
		cfg.Servers = 0
	}
	if cfg.JobDuration <= 0 {
		cfg.JobDuration = 10 * time.Second
	}
	if cfg.TimeWindow <= 0 {
		cfg.TimeWindow = 15 * time.Minute
	}
	if cfg.RealTime {
		cfg.Clock = ClockReal
	}
	s := &Server{
		cfg:  cfg,
		clk:  simulator.NewClock(cfg.Clock, epoch),
		keys: make(map[string]string),
	}
	s.Shell = simulator.NewShell(simulator.ShellConfig{
		Faults: newFaults(cfg.Seed),
		Wire:   simulator.Wire{ContentType: "application/json", BareNoContent: true},
		Key:    countKey,
		Handle: s.handle,
		Lock:   &s.mu,
		Clock:  &s.clk,
		Settle: s.settle,
	})
	s.access, s.secret = generateKeys(cfg.Seed)
	if cfg.AccessKey != "" && cfg.SecretKey != "" {
		s.access, s.secret = cfg.AccessKey, cfg.SecretKey
	}
	s.seed()
	return s
}

// generateKeys derives a key pair from the seed: a 20-letter access key and
// a 40-character secret, shaped like the fixture's keys.
func generateKeys(seed int64) (string, string) {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6b657973))
	const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	a := make([]byte, 20)
	for i := range a {
		a[i] = upper[r.IntN(len(upper))]
	}
	sk := make([]byte, 40)
	for i := range sk {
		sk[i] = b64[r.IntN(len(b64))]
	}
	return string(a), string(sk)
}

// URL is the endpoint of a listening server, version included:
// "http://127.0.0.1:PORT/api/enstratus/2012-06-15". It is what
// enstratus.Credentials.Endpoint should hold. "" for NewHandler; Root is
// the scheme and host only.
func (s *Server) URL() string {
	if s.Root() == "" {
		return ""
	}
	return s.Root() + basePrefix + "/" + Version
}

// AccessKey is the simulator's own access key.
func (s *Server) AccessKey() string { return s.access }

// SecretKey is the secret key that goes with AccessKey.
func (s *Server) SecretKey() string { return s.secret }

// Client builds a client for this simulator: its URL, its key pair and
// its clock (signatures are checked against it, so a manual clock needs
// it), then opts (which win). The program must import models/enstratus,
// which registers the provider.
func (s *Server) Client(opts ...stratus.Option) (*stratus.Client, error) {
	creds := map[string]string{"access_key": s.access, "secret_key": s.secret}
	return simulator.ClientFor(wire.Name, s.URL(), creds, s.Now, opts...)
}

func (s *Server) clock() time.Time { return s.clk.Now() }

// CompleteJobs finishes every running job now.
func (s *Server) CompleteJobs() { simulator.Settle(s.Shell, true) }

// FailNextJobs makes the next n jobs created end in ERROR, without their
// effect (a failed launch leaves its server TERMINATED).
func (s *Server) FailNextJobs(n int) {
	simulator.Locked(s.Shell, func(time.Time) bool { s.failNext = max(n, 0); return true })
}

// PendingJobs is the number of jobs still RUNNING.
func (s *Server) PendingJobs() int {
	return simulator.Locked(s.Shell, func(time.Time) int { return len(s.pending) })
}

// ServerIDs lists the ids of every server, TERMINATED ones included,
// ascending.
func (s *Server) ServerIDs() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.kinds[kServer]
	ids := make([]int64, 0, len(k.order))
	for _, o := range k.order {
		ids = append(ids, o.num)
	}
	return ids
}

// ServerStatus is the status of a server (PENDING, RUNNING, PAUSED,
// STOPPED, TERMINATED), or "" if there is none with this id.
func (s *Server) ServerStatus(id int64) string {
	return simulator.Locked(s.Shell, func(time.Time) string {
		if o := s.kinds[kServer].byID[strconv.FormatInt(id, 10)]; o != nil {
			return o.str("status")
		}
		return ""
	})
}

// relPath returns the path below /api/enstratus/<version>/ and the
// version, or ok=false for a path outside any version.
func relPath(p string) (rel, version string, ok bool) {
	rest, found := strings.CutPrefix(p, basePrefix+"/")
	if !found {
		return "", "", false
	}
	version, rel, _ = strings.Cut(rest, "/")
	if !validVersion(version) {
		return "", "", false
	}
	return rel, version, true
}

func validVersion(v string) bool {
	if len(v) != 10 {
		return false
	}
	_, err := time.Parse("2006-01-02", v)
	return err == nil
}

// countKey is the path a request is counted under: relative to the
// version, or the full path outside a version.
func countKey(r *http.Request) string {
	key := r.URL.EscapedPath()
	if rel, _, ok := relPath(key); ok {
		key = rel
	}
	return key
}

// handle produces the reply under the lock.
func (s *Server) handle(r *http.Request, body []byte, readErr error, f Fault) *simulator.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	s.settle(now, false)
	c := &call{r: r, now: now, body: body, rep: simulator.NewReply()}
	if f.Replaces() {
		faultReply(c, f)
		return c.rep
	}
	path := r.URL.EscapedPath()
	if strings.TrimRight(path, "/") == basePrefix {
		s.versions(c)
		return c.rep
	}
	if msg, ok := s.authenticate(r, now); !ok {
		c.fail(http.StatusForbidden, msg)
		return c.rep
	}
	if readErr != nil {
		c.fail(http.StatusBadRequest, "The request body could not be read")
		return c.rep
	}
	rel, _, ok := relPath(path)
	if !ok {
		c.fail(http.StatusNotFound, "Not found: "+path)
		return c.rep
	}
	s.route(c, rel)
	return c.rep
}

// Messages of the authentication failures. The API documents none of them
// beyond "Invalid access keys"; see doc.go.
const (
	msgInvalidKeys      = "Invalid access keys"
	msgInvalidSignature = "Invalid signature"
	msgExpired          = "Request has expired"
)

// authenticate checks the three x-esauth headers against the stored keys.
// The signed text is access:METHOD:escaped-path:timestamp:User-Agent, the
// path being the request's own, without the query. It is computed here,
// independently of the transport package, so that a shared bug cannot make
// client and simulator agree.
func (s *Server) authenticate(r *http.Request, now time.Time) (string, bool) {
	access := r.Header.Get("x-esauth-access")
	tsText := r.Header.Get("x-esauth-timestamp")
	sig := r.Header.Get("x-esauth-signature")
	if access == "" || tsText == "" || sig == "" {
		return msgInvalidKeys, false
	}
	secret, ok := s.keys[access]
	if !ok {
		return msgInvalidKeys, false
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return msgInvalidSignature, false
	}
	toSign := access + ":" + r.Method + ":" + r.URL.EscapedPath() + ":" + tsText + ":" + r.Header.Get("User-Agent")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(toSign))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if subtle.ConstantTimeCompare([]byte(want), []byte(sig)) != 1 {
		return msgInvalidSignature, false
	}
	skew := now.Sub(time.UnixMilli(ts))
	if skew > s.cfg.TimeWindow || skew < -s.cfg.TimeWindow {
		return msgExpired, false
	}
	return "", true
}

// versions answers GET /api/enstratus, unsigned.
func (s *Server) versions(c *call) {
	if c.r.Method != http.MethodGet && c.r.Method != http.MethodHead {
		c.methodNotAllowed("GET")
		return
	}
	type v struct {
		VersionID string `json:"versionId"`
	}
	c.rep.Status = http.StatusOK
	c.rep.Body = marshal(struct {
		Current   v   `json:"current"`
		Supported []v `json:"supported"`
	}{v{Version}, []v{{"2012-06-15"}, {"2014-07-30"}, {"2015-05-25"}}})
}

// sortedKeys returns the keys of m in ascending order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Routes lists the API routes the simulator serves, sorted, one per method
// and path: "GET /geography/Cloud/*", where "*" stands for one path segment
// and the path is relative to URL(). HEAD is served wherever GET is and is
// not listed; nor is the version list outside any version.
func (s *Server) Routes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for path, k := range s.routes {
		for _, hasID := range []bool{false, true} {
			p := "/" + path
			if hasID {
				p += "/*"
			}
			for _, m := range allowed(k, hasID) {
				if m != http.MethodHead {
					out = append(out, m+" "+p)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
