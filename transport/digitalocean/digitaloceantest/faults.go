package digitaloceantest

import (
	"fmt"
	"net/http"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// Fault is a failure the simulator can inject into a request. The type is
// shared with the other simulators of this module; this one offers the
// kinds below and serves a request with any other fault normally.
type Fault = simulator.Fault

// The faults. Those that answer in place of the API (429, 5xx, Malformed,
// Reset) leave the simulated cloud untouched; ResetAfter and Truncated serve
// the request first, so its effects happen although the client never sees a
// complete answer.
const (
	FaultNone       Fault = simulator.FaultNone
	Fault429        Fault = simulator.Fault429        // 429 too_many_requests with retry-after: 1 and the ratelimit headers
	Fault500        Fault = simulator.Fault500        // 500 JSON, id "server_error"
	Fault503        Fault = simulator.Fault503        // 503 JSON, id "service_unavailable"
	Fault502HTML    Fault = simulator.Fault502HTML    // 502 with an HTML page, Content-Type text/html
	Fault504HTML    Fault = simulator.Fault504HTML    // 504 with an HTML page, like a Cloudflare gateway timeout
	FaultReset      Fault = simulator.FaultReset      // connection closed before the request is processed
	FaultResetAfter Fault = simulator.FaultResetAfter // request processed, then the connection closed with no response
	FaultTruncated  Fault = simulator.FaultTruncated  // correct status and Content-Length, half the body, then closed
	FaultMalformed  Fault = simulator.FaultMalformed  // 200 with a body that is not valid JSON
)

// newFaults is the fault schedule: the answering faults this simulator
// renders in faultReply.
func newFaults(seed int64) *simulator.Faults {
	return simulator.NewFaults(seed, Fault429, Fault500, Fault503, Fault502HTML, Fault504HTML, FaultMalformed)
}

func (s *Server) faultReply(c *call, f Fault) {
	switch f {
	case Fault429:
		c.rep.Header.Set("ratelimit-remaining", "0")
		c.rep.Header.Set("retry-after", "1")
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
		c.rep.Status = http.StatusOK
		c.rep.Body = []byte(`{"droplets": [{"id": 1, "name": "web-0001", "status": "act`)
	}
}

// html answers like a proxy in front of the API would: an HTML page, and
// none of the API's own headers.
func (c *call) html(status int, title string) {
	h := c.rep.Header
	for _, k := range []string{"x-request-id", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"} {
		h.Del(k)
	}
	h.Set("Content-Type", "text/html; charset=UTF-8")
	h.Set("Server", "cloudflare")
	h.Set("cf-ray", c.reqID[:8]+c.reqID[9:13]+"-IAD")
	c.rep.Status = status
	c.rep.Body = fmt.Appendf(nil, `<!DOCTYPE html>
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
