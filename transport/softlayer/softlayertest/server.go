package softlayertest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// epoch is where the manual clock starts.
var epoch = time.Date(2014, 3, 7, 19, 52, 31, 0, time.UTC)

// Config sets up a Server. The zero value is a usable configuration.
type Config struct {
	// Seed makes the generated data, the API key and the fault randomness
	// deterministic.
	Seed int64
	// Guests is the number of virtual guests seeded: the fixture's two
	// first, then generated ones spread over the datacenters. 0 means 10;
	// negative, none.
	Guests int
	// Hardware is the number of bare-metal servers: the fixture's first,
	// then generated ones with more than 8 GB. 0 means 6; negative, none.
	Hardware int
	// Domains is the number of DNS zones, each with records. 0 means 3;
	// negative, none.
	Domains int
	// ProvisionStep is how long each of the three transactions of a new
	// guest's provisioning lasts on the simulator's clock; 0 means 20 s.
	ProvisionStep time.Duration
	// Clock chooses the clock. ClockAuto (the zero value) is a manual
	// clock in tests and the wall clock in programs (the sandbox);
	// ClockManual and ClockReal say so. The manual clock starts at
	// 2014-03-07T19:52:31Z and moves only through Advance.
	Clock ClockMode
	// RealTime is Clock: ClockReal, for existing callers.
	RealTime bool
	// Username and APIKey, when set, replace the defaults ("SL12345" and a
	// 64-hex-digit key derived from Seed).
	Username, APIKey string
	// RateLimit, when positive, is the number of calls allowed per second
	// of the simulator's clock; more get the rate-limit exception.
	RateLimit int
}

// ClockMode chooses the clock (Config.Clock).
type ClockMode = simulator.ClockMode

// The clock modes.
const ClockAuto, ClockManual, ClockReal = simulator.ClockAuto, simulator.ClockManual, simulator.ClockReal

// Server is the simulated SoftLayer API, REST and XML-RPC, v3 and v3.1.
// It is an http.Handler; NewServer also serves it on a loopback port.
// The embedded Shell gives it ServeHTTP, Root, Close, Now, Advance,
// Requests, RequestsTo, ResetRequests, SetLatency, InjectNext and
// SetFaultRate. All methods are safe for concurrent use.
type Server struct {
	*simulator.Shell

	cfg    Config
	user   string
	apiKey string

	mu    sync.Mutex // guards everything below
	clk   simulator.Clock
	calls map[string]int // "Service::method" -> count
	rate  struct {
		second time.Time
		n      int
	}
	world
}

// NewServer starts a simulator on 127.0.0.1 with a random port. Call
// Close when done.
func NewServer(cfg Config) *Server { return simulator.Started(NewHandler(cfg)) }

// NewHandler builds a simulator that does not listen; mount it at the
// root of a server. The URL methods return "" and Close does nothing.
func NewHandler(cfg Config) *Server {
	def := func(n *int, d int) {
		switch {
		case *n == 0:
			*n = d
		case *n < 0:
			*n = 0
		}
	}
	def(&cfg.Guests, 10)
	def(&cfg.Hardware, 6)
	def(&cfg.Domains, 3)
	if cfg.ProvisionStep <= 0 {
		cfg.ProvisionStep = 20 * time.Second
	}
	if cfg.RealTime {
		cfg.Clock = ClockReal
	}
	s := &Server{cfg: cfg, clk: simulator.NewClock(cfg.Clock, epoch), calls: map[string]int{}}
	s.Shell = simulator.NewShell(simulator.ShellConfig{
		Faults: simulator.NewFaults(cfg.Seed, Fault429, Fault500, Fault503, Fault502HTML, Fault504HTML, Fault503HTML, FaultMalformed, FaultRateLimit),
		Key:    countKey,
		Handle: s.handle,
		Lock:   &s.mu,
		Clock:  &s.clk,
		Settle: func(now time.Time, _ bool) { s.settle(now) },
	})
	s.user, s.apiKey = "SL12345", generateKey(cfg.Seed)
	if cfg.Username != "" {
		s.user = cfg.Username
	}
	if cfg.APIKey != "" {
		s.apiKey = cfg.APIKey
	}
	s.seed(cfg)
	return s
}

func generateKey(seed int64) string {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6b6579))
	const hex = "0123456789abcdef"
	b := make([]byte, 64)
	for i := range b {
		b[i] = hex[r.IntN(16)]
	}
	return string(b)
}

// URL is the REST endpoint, "http://127.0.0.1:PORT/rest/v3.1" ("" for
// NewHandler).
func (s *Server) URL() string { return s.RESTURL() }

// RESTURL is the REST endpoint of v3.1.
func (s *Server) RESTURL() string { return s.root("/rest/v3.1") }

// XMLRPCURL is the XML-RPC endpoint of v3.1.
func (s *Server) XMLRPCURL() string { return s.root("/xmlrpc/v3.1") }

func (s *Server) root(p string) string {
	if r := s.Shell.Root(); r != "" {
		return r + p
	}
	return ""
}

// Username is the API user the simulator accepts.
func (s *Server) Username() string { return s.user }

// APIKey is the API key that goes with Username.
func (s *Server) APIKey() string { return s.apiKey }

// Calls is the number of calls of service::method that were answered
// (the SoftLayer_ prefix optional; method "" for any method), over both
// protocols, refused ones included.
func (s *Server) Calls(service, method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	service = serviceName(service)
	if method != "" {
		return s.calls[service+"::"+method]
	}
	n := 0
	for k, v := range s.calls {
		if len(k) > len(service)+2 && k[:len(service)+2] == service+"::" {
			n += v
		}
	}
	return n
}

// ResetRequests zeroes the request and call counters.
func (s *Server) ResetRequests() {
	s.Shell.ResetRequests()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
}

// GuestIDs lists the ids of the virtual guests, ascending.
func (s *Server) GuestIDs() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.guests.ids()
}

// Provisioning says whether a guest still has an active transaction.
func (s *Server) Provisioning(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.clk.Now())
	g := s.guests.get(id)
	return g != nil && g["activeTransaction"] != nil
}

func (s *Server) String() string { return fmt.Sprintf("softlayertest.Server(%s)", s.RESTURL()) }

var _ http.Handler = (*Server)(nil)
