package softlayertest

import (
	"net/http"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
)

// Fault is a failure the simulator can inject into a request; the type is
// shared with the other simulators.
type Fault = simulator.Fault

// The faults this simulator offers. Those that answer instead of the API
// are rendered in SoftLayer's words, for the protocol of the request.
const (
	FaultNone       Fault = simulator.FaultNone
	Fault429        Fault = simulator.Fault429        // 429 with Retry-After: 1 and the rate-limit exception
	Fault500        Fault = simulator.Fault500        // 500 Internal Error (REST body; XML-RPC fault at 200)
	Fault503        Fault = simulator.Fault503        // 503 with the REST error body
	Fault502HTML    Fault = simulator.Fault502HTML    // 502 HTML page from a proxy
	Fault504HTML    Fault = simulator.Fault504HTML    // 504 HTML page from a proxy
	Fault503HTML    Fault = simulator.Fault503HTML    // 503 HTML page from a proxy
	FaultReset      Fault = simulator.FaultReset      // connection closed before the request is processed
	FaultResetAfter Fault = simulator.FaultResetAfter // processed, then closed with no answer
	FaultTruncated  Fault = simulator.FaultTruncated  // half the body, then closed
	FaultMalformed  Fault = simulator.FaultMalformed  // 200 with a body cut short
	// FaultRateLimit is SoftLayer_Exception_WebService_RateLimitExceeded:
	// a 500 over REST, a fault over XML-RPC.
	FaultRateLimit Fault = 40
)

// MsgRateLimit is the rate-limit exception's message.
const MsgRateLimit = "Rate limit of 50 requests for every 1 second(s) exceeded."

func proxyPage(status int, title string) []byte {
	return []byte("<!DOCTYPE html>\n<html><head><title>" + title + "</title></head><body><h1>" + title + "</h1></body></html>\n")
}

// faultReply renders an answering fault.
func faultReply(rep *simulator.Reply, xmlrpc bool, f Fault) {
	switch f {
	case Fault429:
		rep.Header.Set("Retry-After", "1")
		apiError(rep, xmlrpc, http.StatusTooManyRequests, wire.CodeRateLimit, MsgRateLimit)
	case FaultRateLimit:
		apiError(rep, xmlrpc, http.StatusInternalServerError, wire.CodeRateLimit, MsgRateLimit)
	case Fault500:
		apiError(rep, xmlrpc, http.StatusInternalServerError, wire.CodePublic, "Internal Error")
	case Fault503:
		rep.Status = http.StatusServiceUnavailable
		rep.Header.Set("Content-Type", "application/json")
		rep.Body = wire.ErrorBody(wire.CodePublic, "Service Unavailable")
	case Fault502HTML:
		rep.Status, rep.Body = http.StatusBadGateway, proxyPage(502, "502 Bad Gateway")
		rep.Header.Set("Content-Type", "text/html")
	case Fault504HTML:
		rep.Status, rep.Body = http.StatusGatewayTimeout, proxyPage(504, "504 Gateway Time-out")
		rep.Header.Set("Content-Type", "text/html")
	case Fault503HTML:
		rep.Status, rep.Body = http.StatusServiceUnavailable, proxyPage(503, "503 Service Unavailable")
		rep.Header.Set("Content-Type", "text/html")
	case FaultMalformed:
		rep.Status = http.StatusOK
		if xmlrpc {
			rep.Header.Set("Content-Type", "text/xml")
			rep.Body = []byte(wire.ResponsePrefix + "<array><data><value><struct><member><name>id</name>")
		} else {
			rep.Header.Set("Content-Type", "application/json")
			rep.Body = []byte(`[{"id":100,"hostname":"vs-te`)
		}
	}
}

// apiError renders an exception: the REST body with status, or an
// XML-RPC fault with HTTP 200 (a 429 keeps its status).
func apiError(rep *simulator.Reply, xmlrpc bool, status int, code, msg string) {
	if xmlrpc {
		rep.Status = http.StatusOK
		if status == http.StatusTooManyRequests {
			rep.Status = status
		}
		rep.Header.Set("Content-Type", "text/xml")
		rep.Body = wire.EncodeFault(code, msg)
		return
	}
	rep.Status = status
	rep.Header.Set("Content-Type", "application/json")
	rep.Body = wire.ErrorBody(code, msg)
}
