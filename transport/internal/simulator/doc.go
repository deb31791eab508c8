// Package simulator is the kit the API simulators (digitaloceantest,
// ovhtest, enstratustest, and every later one) are built from. It holds
// what they do alike and around their API rather than in it:
//
//   - Shell: the part every simulator's Server embeds (*Shell) — the
//     loopback listener (Listen, Root, Close), ServeHTTP, the request
//     counters (Requests, RequestsTo, ResetRequests), the latency
//     (SetLatency), the fault schedule (InjectNext, SetFaultRate) and the
//     clock's public face (Now, Advance, ManualClock).
//   - Clock and ClockMode: a manual clock that moves only through Advance,
//     or the wall clock; ClockAuto is manual in a test binary and real in
//     any other program. Either can be stepped (Skew).
//   - Router: the route table, path patterns with "*" parameters, one
//     handler per method, 404 and 405 told apart, HEAD as GET, and an
//     optional trailing slash; Routes lists what a simulator serves.
//   - Fault and Faults: one fault vocabulary (Fault429 ... FaultTruncated,
//     FaultMalformed) and its seeded schedule. A simulator re-exports the
//     kinds it renders under the same names.
//   - Reply, Wire and the body helpers: JSON (Marshal, Array, Object,
//     Reply.JSON), XML and XML-RPC (Reply.XML, Reply.XMLRPC,
//     Reply.XMLRPCFault, MarshalXMLRPC, JSONToXMLRPC), and any other type
//     (Reply.Send). Frontend.Serve writes the reply after the simulator's
//     lock is released, all of it, half of it (FaultTruncated) or none.
//
// A simulator keeps its own words: its error bodies, its HTML error pages,
// its malformed body, the faults it offers and how it keys its request
// counters. It passes them in through ShellConfig; nothing
// provider-specific lives here.
//
// Faults, Counter, Latency and Shell are safe for concurrent use and take
// their own small locks, so a simulator's mutex guards only its simulated
// cloud, Clock included: the clock has no lock of its own, and the Shell
// takes the simulator's mutex (ShellConfig.Lock) to read or move it.
//
// # Building a simulator
//
//	type Server struct {
//		*simulator.Shell
//		mu  sync.Mutex
//		clk simulator.Clock
//		...
//	}
//
//	func NewHandler(cfg Config) *Server {
//		s := &Server{clk: simulator.NewClock(cfg.Clock, epoch)}
//		s.Shell = simulator.NewShell(simulator.ShellConfig{
//			Faults: simulator.NewFaults(cfg.Seed, simulator.Fault500),
//			Wire:   simulator.Wire{ContentType: simulator.ContentTypeXML},
//			Handle: s.handle, Lock: &s.mu, Clock: &s.clk, Settle: s.settle,
//		})
//		return s
//	}
//
//	func NewServer(cfg Config) *Server { s := NewHandler(cfg); simulator.Listen(s.Shell); return s }
//
// The handle function locks s.mu, renders a fault that Replaces the
// answer in the API's words, routes the request with a Router and fills
// the Reply.
package simulator
