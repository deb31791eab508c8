package digitaloceantest

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
)

// Fault is a failure the simulator can inject into a request.
type Fault int

// The faults. Those that answer in place of the API (429, 5xx, Malformed,
// Reset) leave the simulated cloud untouched; ResetAfter and Truncate serve
// the request first, so its effects happen although the client never sees a
// complete answer.
const (
	FaultNone       Fault = iota
	Fault429              // 429 too_many_requests with retry-after: 1 and the ratelimit headers
	Fault500              // 500 JSON, id "server_error"
	Fault503              // 503 JSON, id "service_unavailable"
	Fault502HTML          // 502 with an HTML page, Content-Type text/html
	Fault504HTML          // 504 with an HTML page, like a Cloudflare gateway timeout
	FaultReset            // connection closed before the request is processed
	FaultResetAfter       // request processed, then the connection closed with no response
	FaultTruncate         // correct status and Content-Length, half the body, then closed
	FaultMalformed        // 200 with a body that is not valid JSON
)

var faultNames = [...]string{"none", "429", "500", "503", "502-html", "504-html", "reset", "reset-after", "truncate", "malformed"}

func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}

// replaces reports whether the fault answers instead of the API.
func (f Fault) replaces() bool {
	switch f {
	case Fault429, Fault500, Fault503, Fault502HTML, Fault504HTML, FaultMalformed:
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

func (s *Server) faultReply(c *call, f Fault) {
	switch f {
	case Fault429:
		c.rep.header.Set("ratelimit-remaining", "0")
		c.rep.header.Set("retry-after", "1")
		c.fail(http.StatusTooManyRequests, "too_many_requests", "API rate limit exceeded.")
	case Fault500:
		c.fail(http.StatusInternalServerError, "server_error", "Unexpected server-side error")
	case Fault503:
		c.fail(http.StatusServiceUnavailable, "service_unavailable", "The service is temporarily unavailable. Please try again later.")
	case Fault502HTML:
		c.html(http.StatusBadGateway, "Bad gateway")
	case Fault504HTML:
		c.html(http.StatusGatewayTimeout, "Gateway time-out")
	case FaultMalformed:
		c.rep.status = http.StatusOK
		c.rep.body = []byte(`{"droplets": [{"id": 1, "name": "web-0001", "status": "act`)
	}
}

// html answers like a proxy in front of the API would: an HTML page, and
// none of the API's own headers.
func (c *call) html(status int, title string) {
	h := c.rep.header
	for _, k := range []string{"x-request-id", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"} {
		h.Del(k)
	}
	h.Set("Content-Type", "text/html; charset=UTF-8")
	h.Set("Server", "cloudflare")
	h.Set("cf-ray", c.reqID[:8]+c.reqID[9:13]+"-IAD")
	c.rep.status = status
	c.rep.body = fmt.Appendf(nil, `<!DOCTYPE html>
<html lang="en-US">
<head><title>api.digitalocean.com | %d: %s</title></head>
<body>
<h1>Error %d</h1>
<p>%s</p>
<p>Ray ID: %s</p>
</body>
</html>
`, status, title, status, title, h.Get("cf-ray"))
}

// resetConn drops the connection without an answer. With a hijackable
// connection the close is abortive (a TCP RST); otherwise the handler is
// aborted, which makes net/http close the connection.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if ok {
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
