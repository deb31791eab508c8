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
	if !looksXML(resp.Header, raw) {
		return replaceBody(resp, raw), nil
	}
	js, fault, err := DecodeResponse(raw)
	switch {
	case err != nil && resp.StatusCode >= 200 && resp.StatusCode < 300:
		// Not a readable document: left as it came, the client reports a
		// malformed answer.
		return replaceBody(resp, raw), nil
	case err != nil:
		return replaceBody(resp, raw), nil
	case fault != nil:
		resp.StatusCode = StatusOf(fault.Code, fault.String)
		resp.Status = strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode)
		resp.Header.Set("Content-Type", "application/json")
		return replaceBody(resp, ErrorBody(fault.Code, fault.String)), nil
	}
	resp.Header.Set("Content-Type", "application/json")
	return replaceBody(resp, js), nil
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
