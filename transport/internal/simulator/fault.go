package simulator

import (
	"math/rand/v2"
	"strconv"
	"sync"
)

// Fault is a failure a simulator can inject into a request. Each simulator
// re-exports the kinds it offers under its own package name.
type Fault int

// The fault kinds. Those that Replace the answer are rendered by the
// simulator in its API's words; FaultReset, FaultResetAfter and
// FaultTruncated are applied by Frontend.Serve and need nothing from it.
// New kinds go at the end, so that the values of the others stay.
const (
	FaultNone       Fault = iota
	Fault429              // 429, answering instead of the API
	Fault500              // 500 with a JSON error body
	Fault503              // 503 with a JSON error body
	Fault502HTML          // 502 with an HTML page, as a proxy in front of the API would send
	Fault504HTML          // 504 with an HTML page
	FaultReset            // connection closed before the request is processed
	FaultResetAfter       // request processed, then the connection closed with no response
	FaultTruncated        // correct status and Content-Length, half the body, then closed
	FaultMalformed        // 200 with a body that is not valid JSON
	Fault503HTML          // 503 with an HTML page
)

var faultNames = [...]string{"none", "429", "500", "503", "502-html", "504-html", "reset", "reset-after", "truncated", "malformed", "503-html"}

func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}

// Replaces reports whether the fault answers instead of the API: the
// simulator renders it, and its simulated cloud is left untouched.
func (f Fault) Replaces() bool {
	switch f {
	case Fault429, Fault500, Fault503, Fault502HTML, Fault504HTML, Fault503HTML, FaultMalformed:
		return true
	}
	return false
}

// faultStream is the PCG stream of the fault randomness ("fault").
const faultStream = 0x6661756c74

// Faults decides which fault, if any, each request gets: first the queued
// ones, one a request, in order; then, with probability rate, one of the
// random kinds, drawn from a generator seeded by the simulator's seed.
type Faults struct {
	offered uint64 // bit f: the simulator renders f

	mu    sync.Mutex
	queue []Fault
	rate  float64
	kinds []Fault
	rand  *rand.Rand
}

// NewFaults builds the schedule of a simulator. answers are the faults that
// Replace the answer which the simulator renders; FaultReset,
// FaultResetAfter and FaultTruncated are always offered. A fault the
// simulator does not offer (another simulator's kind, or a value out of
// range) is drawn as FaultNone: the request is served normally.
func NewFaults(seed int64, answers ...Fault) *Faults {
	q := &Faults{rand: rand.New(rand.NewPCG(uint64(seed), faultStream))}
	for _, fs := range [][]Fault{answers, {FaultReset, FaultResetAfter, FaultTruncated}} {
		for _, f := range fs {
			if f >= 0 && f < 64 {
				q.offered |= 1 << uint(f)
			}
		}
	}
	return q
}

// InjectNext queues faults: the next requests get them, one each, in order,
// before any random fault.
func (q *Faults) InjectNext(f ...Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = append(q.queue, f...)
}

// SetRate faults each request independently with probability rate,
// choosing uniformly among kinds with the seeded generator. A rate of 0, or
// no kinds, disables random faults.
func (q *Faults) SetRate(rate float64, kinds ...Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.rate = rate
	q.kinds = append([]Fault(nil), kinds...)
}

// Next draws the fault of the next request.
func (q *Faults) Next() Fault {
	q.mu.Lock()
	defer q.mu.Unlock()
	f := FaultNone
	switch {
	case len(q.queue) > 0:
		f = q.queue[0]
		q.queue = q.queue[1:]
	case q.rate > 0 && len(q.kinds) > 0 && q.rand.Float64() < q.rate:
		f = q.kinds[q.rand.IntN(len(q.kinds))]
	}
	if !q.offers(f) {
		return FaultNone
	}
	return f
}

func (q *Faults) offers(f Fault) bool {
	return f >= 0 && f < 64 && q.offered&(1<<uint(f)) != 0
}
