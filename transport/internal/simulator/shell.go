package simulator

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// ShellConfig is what a simulator hands to NewShell.
type ShellConfig struct {
	// Faults is the simulator's fault schedule (NewFaults).
	Faults *Faults
	// Wire frames the replies.
	Wire Wire
	// Key is the path a request is counted under (RequestsTo); nil counts
	// it under r.URL.Path.
	Key func(r *http.Request) string
	// Handle produces the reply to a request. It takes Lock itself.
	Handle Handler
	// Lock is the simulator's mutex: it guards the simulated cloud and
	// Clock. Now and Advance take it.
	Lock sync.Locker
	// Clock is the simulator's clock, guarded by Lock.
	Clock *Clock
	// Settle, if set, runs under Lock with the clock's time: timed work
	// that came due completes there, or all of it when all is set. Advance
	// calls it after moving the clock, Settle and Locked before their work.
	Settle func(now time.Time, all bool)
}

// Shell is the part of a simulator that every simulator has alike: the
// loopback listener, the request counters, the latency, the fault
// schedule, the clock's public face and ServeHTTP. A simulator's Server
// embeds a *Shell, so these methods are the Server's own; the simulator
// adds its API, its configuration and its data.
//
// All methods are safe for concurrent use.
type Shell struct {
	front  Frontend
	key    func(*http.Request) string
	handle Handler
	lock   sync.Locker
	clock  *Clock
	settle func(time.Time, bool)
	ts     *httptest.Server
}

// NewShell builds the shell of a simulator. It does not listen: Listen
// does (a simulator's NewServer calls it; its NewHandler does not).
func NewShell(cfg ShellConfig) *Shell {
	if cfg.Faults == nil {
		cfg.Faults = NewFaults(0)
	}
	if cfg.Lock == nil {
		cfg.Lock = new(sync.Mutex)
	}
	if cfg.Clock == nil {
		c := NewClock(ClockReal, time.Time{})
		cfg.Clock = &c
	}
	return &Shell{
		front:  Frontend{Faults: cfg.Faults, Wire: cfg.Wire},
		key:    cfg.Key,
		handle: cfg.Handle,
		lock:   cfg.Lock,
		clock:  cfg.Clock,
		settle: cfg.Settle,
	}
}

// Listen serves sh on 127.0.0.1 with a random port. It is a function, not
// a method, so that it stays out of the simulators' own API.
func Listen(sh *Shell) {
	sh.ts = httptest.NewServer(sh)
}

// Simulator is a simulator's Server: any type that embeds a *Shell.
type Simulator interface {
	http.Handler
	shell() *Shell
}

func (sh *Shell) shell() *Shell { return sh }

// Started makes s listen on 127.0.0.1 with a random port and returns it:
// a simulator's NewServer is Started(NewHandler(cfg)).
func Started[S Simulator](s S) S {
	Listen(s.shell())
	return s
}

// ServeHTTP answers one request: it counts it, waits the latency, draws a
// fault and has the simulator produce the reply (Frontend.Serve).
func (sh *Shell) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path
	if sh.key != nil {
		key = sh.key(r)
	}
	sh.front.Serve(w, r, key, sh.handle)
}

// Root is the scheme and host of a listening simulator,
// "http://127.0.0.1:PORT", with no trailing slash; "" for one that does
// not listen (built with NewHandler).
func (sh *Shell) Root() string {
	if sh.ts == nil {
		return ""
	}
	return sh.ts.URL
}

// Close stops a listening simulator and closes its connections. It does
// nothing for one that does not listen.
func (sh *Shell) Close() {
	if sh.ts != nil {
		sh.ts.Close()
	}
}

// Now is the simulator's current time.
func (sh *Shell) Now() time.Time {
	sh.lock.Lock()
	defer sh.lock.Unlock()
	return sh.clock.Now()
}

// Advance moves a manual clock forward by d; timed work whose time has
// come (actions, jobs, builds) completes and applies its effects. On the
// wall clock it moves nothing and only settles what the wall clock has
// already made due.
func (sh *Shell) Advance(d time.Duration) {
	sh.lock.Lock()
	defer sh.lock.Unlock()
	sh.clock.Advance(d)
	sh.settleLocked(false)
}

func (sh *Shell) settleLocked(all bool) time.Time {
	now := sh.clock.Now()
	if sh.settle != nil {
		sh.settle(now, all)
	}
	return now
}

// Settle completes timed work under the simulator's lock: what is due,
// or all of it (a simulator's CompleteActions, CompleteJobs). It is a
// function, not a method, so that it stays out of the simulators' API.
func Settle(sh *Shell, all bool) {
	sh.lock.Lock()
	defer sh.lock.Unlock()
	sh.settleLocked(all)
}

// Locked runs f under the simulator's lock, after settling the work that
// is due, with the clock's time, and returns what f returns: the shape of
// a simulator's inspection methods (PendingActions, DropletStatus).
func Locked[T any](sh *Shell, f func(now time.Time) T) T {
	sh.lock.Lock()
	defer sh.lock.Unlock()
	return f(sh.settleLocked(false))
}

// ManualClock reports whether the simulator's clock is a manual one,
// which moves only through Advance.
func (sh *Shell) ManualClock() bool {
	sh.lock.Lock()
	defer sh.lock.Unlock()
	return sh.clock.Manual()
}

// Requests is the number of HTTP requests that reached the simulator,
// faulted and refused ones included.
func (sh *Shell) Requests() int { return sh.front.Counter.Requests() }

// RequestsTo counts the requests with the given method ("" for any, case
// ignored) whose counted path starts with pathPrefix. Each simulator says
// which path it counts (the whole path, or the part below its version).
func (sh *Shell) RequestsTo(method, pathPrefix string) int {
	return sh.front.Counter.RequestsTo(method, pathPrefix)
}

// ResetRequests zeroes the request counters.
func (sh *Shell) ResetRequests() { sh.front.Counter.Reset() }

// SetLatency makes every request wait d (wall time) before it is answered.
// A request whose context ends while waiting gets no answer.
func (sh *Shell) SetLatency(d time.Duration) { sh.front.Latency.Set(d) }

// InjectNext queues faults: the next requests get them, one each, in
// order, before any random fault. A kind the simulator does not offer is
// served as no fault.
func (sh *Shell) InjectNext(f ...Fault) { sh.front.Faults.InjectNext(f...) }

// SetFaultRate faults each request independently with probability rate,
// choosing uniformly among kinds with the seeded generator. A rate of 0,
// or no kinds, disables random faults.
func (sh *Shell) SetFaultRate(rate float64, kinds ...Fault) {
	sh.front.Faults.SetRate(rate, kinds...)
}
