package softlayer

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus/transport"
)

// XMLRPC is the http.RoundTripper at the bottom of a client's chain when
// the endpoint speaks XML-RPC. It takes each request in the REST grammar
// (as the model builds it), sends the same call as an XML-RPC methodCall
// to {base}/{Service} with the authenticate header, and hands back the
// answer as JSON: a value as its JSON (status 200), a <fault> as the REST
// error body {"error","code"} with the status the REST endpoint gives
// that exception (StatusOf). Response headers (SoftLayer-Total-Items) are
// kept. A body that is not an XML-RPC document is passed on as it came.
type XMLRPC struct {
	Next     http.RoundTripper // nil: http.DefaultTransport
	BasePath string            // the endpoint's path, "/xmlrpc/v3.1"
	Auth     Auth
	// MaxBody bounds the answer read; 0 means 256 MiB.
	MaxBody int64
}

// RoundTrip sends one call.
func (x *XMLRPC) RoundTrip(req *http.Request) (*http.Response, error) {
	next := x.Next
	if next == nil {
		next = http.DefaultTransport
	}
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	base := strings.TrimRight(x.BasePath, "/")
	rel, ok := strings.CutPrefix(req.URL.Path, base)
	if !ok {
		rel = req.URL.Path
	}
	call, err := ParseREST(req.Method, rel, req.URL.Query(), body)
	if err != nil {
		return nil, err
	}
	doc, err := EncodeCall(call, x.Auth)
	if err != nil {
		return nil, err
	}
	u := *req.URL
	u.Path = base + "/" + ServiceName(call.Service)
	u.RawPath, u.RawQuery = "", ""
	out := req.Clone(req.Context())
	out.Method = http.MethodPost
	out.URL = &u
	out.Host = u.Host
	out.Header = req.Header.Clone()
	out.Header.Del("Authorization")
	out.Header.Set("Content-Type", "text/xml")
	out.Body = io.NopCloser(bytes.NewReader(doc))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(doc)), nil }
	out.ContentLength = int64(len(doc))
	resp, err := next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	limit := x.MaxBody
	if limit <= 0 {
		limit = 256 << 20
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) > limit {
		return nil, &transport.Error{Provider: Name, Op: transport.Op(req.Method, req.URL.Path), Status: resp.StatusCode, Message: "answer larger than the body bound", Kind: transport.ErrMalformed}
	}
	resp.Request = req
	// A fault is turned into the REST error and status here, below the
	// retry layer, so that the rate-limit exception is retried as a
	// throttle and a missing object is a 404 on both protocols. A value
	// is left as it came: the client's body decoder (DecodeBody) turns it
	// into JSON once, on arrival.
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 && looksXML(resp.Header, raw) && isFault(raw) {
		if _, fault, err := DecodeResponse(raw); err == nil && fault != nil {
			resp.StatusCode = StatusOf(fault.Code, fault.String)
			resp.Status = strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode)
			resp.Header.Set("Content-Type", "application/json")
			return replaceBody(resp, ErrorBody(fault.Code, fault.String)), nil
		}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// An error status with a fault document (a 429) keeps its status;
		// its fault becomes the REST error body for the error decoder.
		if looksXML(resp.Header, raw) {
			if _, fault, err := DecodeResponse(raw); err == nil && fault != nil {
				resp.Header.Set("Content-Type", "application/json")
				return replaceBody(resp, ErrorBody(fault.Code, fault.String)), nil
			}
		}
	}
	return replaceBody(resp, raw), nil
}

// isFault says whether a methodResponse carries a fault: its first
// element is <fault>.
func isFault(doc []byte) bool {
	head := doc[:min(len(doc), 512)]
	if i := bytes.Index(head, []byte("<methodResponse")); i >= 0 {
		rest := doc[i+len("<methodResponse"):]
		j := bytes.IndexByte(rest, '>')
		return j >= 0 && bytes.HasPrefix(bytes.TrimSpace(rest[j+1:]), []byte("<fault"))
	}
	if bytes.HasPrefix(bytes.TrimSpace(head), []byte("<?xml")) {
		if j := bytes.Index(head, []byte("?>")); j >= 0 {
			return bytes.HasPrefix(bytes.TrimSpace(doc[j+2:]), []byte("<fault"))
		}
	}
	return false
}

// DecodeBody is the client's body decoder for XML-RPC endpoints: a
// methodResponse becomes the JSON of its value; a fault that reached it
// is a *transport.Error with the exception's code and kind; anything
// else is ErrMalformed.
func DecodeBody(_ http.Header, body []byte) ([]byte, error) {
	js, fault, err := DecodeResponse(body)
	if err != nil {
		return nil, err
	}
	if fault != nil {
		kind := KindOf(fault.Code, fault.String)
		if kind == nil {
			kind = transport.KindForStatus(StatusOf(fault.Code, fault.String))
		}
		return nil, &transport.Error{Code: fault.Code, Message: fault.String, Kind: kind}
	}
	return js, nil
}

func looksXML(h http.Header, b []byte) bool {
	ct := h.Get("Content-Type")
	if strings.Contains(ct, "xml") {
		return true
	}
	t := bytes.TrimSpace(b)
	return bytes.HasPrefix(t, []byte("<?xml")) || bytes.HasPrefix(t, []byte("<methodResponse"))
}

func replaceBody(resp *http.Response, b []byte) *http.Response {
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
	resp.Header.Del("Content-Encoding")
	resp.Uncompressed = false
	return resp
}
