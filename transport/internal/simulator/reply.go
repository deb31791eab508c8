package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
)

// Reply is a finished answer. A simulator builds it under its lock;
// Frontend.Serve writes it to the connection after the lock is released.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// NewReply returns an empty reply with a header map to fill.
func NewReply() *Reply { return &Reply{Header: http.Header{}} }

// Content types a reply may name.
const (
	ContentTypeJSON = "application/json; charset=utf-8"
	ContentTypeXML  = "text/xml; charset=utf-8"
	ContentTypeHTML = "text/html; charset=utf-8"
)

// Send sets the status and body; a non-empty contentType replaces the
// Wire's default for this reply.
func (rep *Reply) Send(status int, contentType string, body []byte) {
	rep.Status, rep.Body = status, body
	if contentType != "" {
		rep.Header.Set("Content-Type", contentType)
	}
}

// JSON answers v in JSON, with the Wire's Content-Type: v is sent as is
// when it is a []byte or a json.RawMessage (already encoded), else encoded
// with Marshal.
func (rep *Reply) JSON(status int, v any) {
	switch b := v.(type) {
	case []byte:
		rep.Send(status, "", b)
	case json.RawMessage:
		rep.Send(status, "", b)
	default:
		rep.Send(status, "", Marshal(v))
	}
}

// XML answers an XML document, Content-Type text/xml.
func (rep *Reply) XML(status int, body []byte) { rep.Send(status, ContentTypeXML, body) }

// Wire is how a simulator frames its replies on the connection.
type Wire struct {
	// ContentType is the Content-Type of a reply that sets none.
	ContentType string
	// BareNoContent sends a 204 without the default Content-Type too.
	BareNoContent bool
}

// Write sends rep: the status, rep's headers, ContentType when they name
// none, and a Content-Length of the whole body (none on a 204), then the
// first n bytes of the body. Writing fewer bytes than announced makes
// net/http close the connection after the handler returns, so the client's
// read of the body fails.
func (wf Wire) Write(w http.ResponseWriter, rep *Reply, n int) {
	h := w.Header()
	for k, v := range rep.Header {
		h[k] = v
	}
	noContent := rep.Status == http.StatusNoContent
	if h.Get("Content-Type") == "" && !(noContent && wf.BareNoContent) {
		h.Set("Content-Type", wf.ContentType)
	}
	if !noContent {
		h.Set("Content-Length", strconv.Itoa(len(rep.Body)))
	}
	w.WriteHeader(rep.Status)
	if n > 0 {
		_, _ = w.Write(rep.Body[:n])
	}
}

// MaxBody is the largest request body a simulator reads.
const MaxBody = 1 << 20

// ErrBodyTooLarge is the read error of a request body over MaxBody bytes.
var ErrBodyTooLarge = errors.New("simulator: request body over 1 MiB")

// ReadBody reads a request body of at most MaxBody bytes.
func ReadBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err == nil && len(body) > MaxBody {
		err = ErrBodyTooLarge
	}
	return body, err
}

// ResetConn drops the connection without an answer. With a hijackable
// connection the close is abortive (a TCP RST); otherwise the handler is
// aborted, which makes net/http close the connection.
func ResetConn(w http.ResponseWriter) {
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

// Marshal encodes v compactly, without HTML escaping and without a
// trailing newline. It panics if v cannot be encoded: simulators encode
// only their own types.
func Marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("simulator: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'})
}

// Array encodes n already-encoded JSON values as a JSON array, into one
// buffer of the right size: list pages are the hot path.
func Array(n int, item func(i int) []byte) []byte {
	items := make([][]byte, n)
	size := 2
	for i := range n {
		items[i] = item(i)
		size += len(items[i]) + 1
	}
	b := make([]byte, 0, size)
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	return append(b, ']')
}

// Member is one member of a JSON object being built: a key and its
// already-encoded value.
type Member struct {
	Key string
	Val []byte
}

// M is a Member.
func M(key string, val []byte) Member { return Member{key, val} }

// Object encodes members as a JSON object, in their order (an envelope
// whose keys come in the API's order).
func Object(members ...Member) []byte {
	size := 2
	for _, m := range members {
		size += len(m.Key) + len(m.Val) + 4
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, m := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, Marshal(m.Key)...)
		b = append(b, ':')
		b = append(b, m.Val...)
	}
	return append(b, '}')
}
