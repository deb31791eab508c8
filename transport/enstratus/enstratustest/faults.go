package enstratustest

import (
	"net"
	"net/http"
	"strconv"
)

// Fault is a failure the simulator can inject into a request.
type Fault int

// The faults. Those that answer in place of the API (429, 500, 503HTML,
// Malformed) and Reset leave the simulated cloud untouched and come before
// the signature check; ResetAfter and Truncated serve the request first, so its
// effects happen although the client never sees a complete answer.
const (
	FaultNone       Fault = iota
	Fault429              // 429 {"error":{"message":...}} with Retry-After: 1
	Fault500              // 500 {"error":{"message":...}}
	Fault503HTML          // 503 with an HTML maintenance page, Content-Type text/html
	FaultReset            // connection closed before the request is processed
	FaultResetAfter       // request processed, then the connection closed with no answer
	FaultTruncated        // correct status and Content-Length, half the body, then closed
	FaultMalformed        // 200 with a body that is not valid JSON
)

var faultNames = [...]string{"none", "429", "500", "503-html", "reset", "reset-after", "truncated", "malformed"}

func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}

// replaces reports whether the fault answers instead of the API.
func (f Fault) replaces() bool {
	switch f {
	case Fault429, Fault500, Fault503HTML, FaultMalformed:
		return true
	}
	return false
}

// InjectNext queues faults: the next requests get them, one each, in order,
// before any random fault.
func (s *Server) InjectNext(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultQueue = append(s.faultQueue, f...)
}

// SetFaultRate faults each request independently with probability rate,
// choosing uniformly among kinds with the seeded generator. A rate of 0, or
// no kinds, disables random faults.
func (s *Server) SetFaultRate(rate float64, kinds ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultRate = rate
	s.faultKinds = append([]Fault(nil), kinds...)
}

func (s *Server) nextFault() Fault {
	if len(s.faultQueue) > 0 {
		f := s.faultQueue[0]
		s.faultQueue = s.faultQueue[1:]
		return f
	}
	if s.faultRate > 0 && len(s.faultKinds) > 0 && s.faultRand.Float64() < s.faultRate {
		return s.faultKinds[s.faultRand.IntN(len(s.faultKinds))]
	}
	return FaultNone
}

func faultReply(c *call, f Fault) {
	switch f {
	case Fault429:
		c.rep.header.Set("Retry-After", "1")
		c.fail(http.StatusTooManyRequests, "Too many requests; slow down")
	case Fault500:
		c.fail(http.StatusInternalServerError, "An internal error occurred")
	case Fault503HTML:
		h := c.rep.header
		h.Set("Content-Type", "text/html; charset=iso-8859-1")
		c.rep.status = http.StatusServiceUnavailable
		c.rep.body = []byte(`<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>503 Service Temporarily Unavailable</title>
</head><body>
<h1>Service Temporarily Unavailable</h1>
<p>The server is temporarily unable to service your
request due to maintenance downtime or capacity
problems. Please try again later.</p>
</body></html>
`)
	case FaultMalformed:
		c.rep.status = http.StatusOK
		c.rep.body = []byte(`{"servers":[{"serverId":331810,"name":"Sample-Tier-indep`)
	}
}

// resetConn drops the connection without an answer. With a hijackable
// connection the close is abortive (a TCP RST); otherwise the handler is
// aborted, which makes net/http close the connection.
func resetConn(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		conn, _, err := hj.Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
