package enstratustest

import (
	"net/http"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// Fault is a failure the simulator can inject into a request. The type is
// shared with the other simulators of this module; this one offers the
// kinds below and serves a request with any other fault normally.
type Fault = simulator.Fault

// The faults. Those that answer in place of the API (429, 500, 503HTML,
// Malformed) and Reset leave the simulated cloud untouched and come before
// the signature check; ResetAfter and Truncated serve the request first, so its
// effects happen although the client never sees a complete answer.
const (
	FaultNone       Fault = simulator.FaultNone
	Fault429        Fault = simulator.Fault429        // 429 {"error":{"message":...}} with Retry-After: 1
	Fault500        Fault = simulator.Fault500        // 500 {"error":{"message":...}}
	Fault503HTML    Fault = simulator.Fault503HTML    // 503 with an HTML maintenance page, Content-Type text/html
	FaultReset      Fault = simulator.FaultReset      // connection closed before the request is processed
	FaultResetAfter Fault = simulator.FaultResetAfter // request processed, then the connection closed with no answer
	FaultTruncated  Fault = simulator.FaultTruncated  // correct status and Content-Length, half the body, then closed
	FaultMalformed  Fault = simulator.FaultMalformed  // 200 with a body that is not valid JSON
)

// newFaults is the fault schedule: the answering faults this simulator
// renders in faultReply.
func newFaults(seed int64) *simulator.Faults {
	return simulator.NewFaults(seed, Fault429, Fault500, Fault503HTML, FaultMalformed)
}

func faultReply(c *call, f Fault) {
	switch f {
	case Fault429:
		c.rep.Header.Set("Retry-After", "1")
		c.fail(http.StatusTooManyRequests, "Too many requests; slow down")
	case Fault500:
		c.fail(http.StatusInternalServerError, "An internal error occurred")
	case Fault503HTML:
		c.rep.Header.Set("Content-Type", "text/html; charset=iso-8859-1")
		c.rep.Status = http.StatusServiceUnavailable
		c.rep.Body = []byte(`<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
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
		c.rep.Status = http.StatusOK
		c.rep.Body = []byte(`{"servers":[{"serverId":331810,"name":"Sample-Tier-indep`)
	}
}
