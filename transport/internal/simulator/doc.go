// Package simulator holds what the in-process API simulators
// (digitaloceantest, ovhtest, enstratustest) do alike and around their API
// rather than in it: the fault kinds and their schedule, the request
// counters, the latency wait, the order in which these apply to a request,
// the framing of a reply on the connection, and the manual clock.
//
// A simulator keeps its own words: its error bodies, its HTML error pages,
// its malformed body, the faults it offers and how it keys its request
// counters. It passes them in through Frontend.Serve's Handler and the
// Frontend's fields; nothing provider-specific lives here.
//
// Faults, Counter, Latency and Frontend are safe for concurrent use and
// take their own small locks, so a simulator's mutex guards only its
// simulated cloud, Clock included: the clock has no lock of its own.
package simulator
