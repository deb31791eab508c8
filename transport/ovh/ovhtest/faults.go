package ovhtest

import (
	"net/http"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// Fault is a failure the simulator can inject into a request. The type is
// shared with the other simulators of this module; this one offers the
// kinds below and serves a request with any other fault normally.
type Fault = simulator.Fault

// The faults. Those that answer in place of the API (429, 500, 503 HTML,
// Malformed) and Reset leave the simulated account untouched and spend no
// rate budget; ResetAfter and Truncated serve the request first, so its
// effects happen although the client never sees a complete answer.
const (
	FaultNone       Fault = simulator.FaultNone
	Fault429        Fault = simulator.Fault429        // 429 Client::TooManyRequests with Retry-After: 1
	Fault500        Fault = simulator.Fault500        // 500 JSON, class Server::InternalServerError
	Fault503HTML    Fault = simulator.Fault503HTML    // 503 with an HTML maintenance page, Content-Type text/html
	FaultReset      Fault = simulator.FaultReset      // connection closed before the request is processed
	FaultResetAfter Fault = simulator.FaultResetAfter // request processed, then the connection closed with no response
	FaultTruncated  Fault = simulator.FaultTruncated  // correct status and Content-Length, half the body, then closed
	FaultMalformed  Fault = simulator.FaultMalformed  // 200 with a body that is not valid JSON
)

// newFaults is the fault schedule: the answering faults this simulator
// renders in faultReply.
func newFaults(seed int64) *simulator.Faults {
	return simulator.NewFaults(seed, Fault429, Fault500, Fault503HTML, FaultMalformed)
}

func (s *Server) faultReply(c *call, f Fault) {
	switch f {
	case Fault429:
		c.rep.Header.Set("Retry-After", "1")
		c.fail(http.StatusTooManyRequests, "", "Too many requests, please retry later")
	case Fault500:
		c.fail(http.StatusInternalServerError, "", "Internal server error")
	case Fault503HTML:
		c.rep.Status = http.StatusServiceUnavailable
		c.rep.Header.Set("Content-Type", "text/html; charset=utf-8")
		c.rep.Body = []byte(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>503 Service Unavailable</title></head>
<body>
<h1>Service Unavailable</h1>
<p>The OVHcloud API is under maintenance. Please try again in a few minutes.</p>
<p>Query id: ` + c.queryID + `</p>
</body>
</html>
`)
	case FaultMalformed:
		c.rep.Status = http.StatusOK
		c.rep.Body = []byte(`{"name":"ns3001234.ip-51-68-10.eu","state":"o`)
	}
}
