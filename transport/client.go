package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Signer adds credentials to one attempt of a request. It receives the
// attempt's request, which it may modify, and the exact body bytes that
// will be sent. It must Set its headers, not Add them: a retry may start
// from a request an earlier attempt signed.
type Signer interface {
	Sign(req *http.Request, body []byte) error
}

// SignerFunc adapts a function to Signer.
type SignerFunc func(req *http.Request, body []byte) error

// Sign calls f.
func (f SignerFunc) Sign(req *http.Request, body []byte) error { return f(req, body) }

// ErrorDecoder reads a provider's error body into e, whose Status, Op,
// Provider and Kind (from KindForStatus) are already set. It fills Code,
// Message and RequestID and may refine Kind. It must not panic on any input.
type ErrorDecoder func(e *Error, header http.Header, body []byte)

// BodyDecoder turns a successful answer that is not JSON (SoftLayer's
// XML-RPC) into JSON bytes. It runs once per answer, on arrival, before
// anything else reads the body: handles, collections, the cache and gjson
// getters then see JSON only. It may return a *Error to report a fault the
// provider sends with a success status (an XML-RPC fault comes with 200):
// its Code, Message and Kind are kept, and Provider, Op, Status, Attempts
// and RequestID are filled in when empty. Any other error becomes
// ErrMalformed. It must not panic on any input; a panic is turned into
// ErrMalformed.
type BodyDecoder func(header http.Header, body []byte) ([]byte, error)

// Config describes one provider endpoint and how to talk to it.
type Config struct {
	Provider   string       // provider name used in errors and logs
	BaseURL    string       // "https://api.digitalocean.com"; no trailing slash needed
	HTTPClient *http.Client // its Transport is the innermost layer; nil means a pooled default
	UserAgent  string
	Header     http.Header // fixed headers sent on every request (Accept, ...)
	Logger     *slog.Logger
	Retry      RetryPolicy
	Signer     Signer // nil: no authentication
	// Throttle is the client-side rate limit (requests per second and
	// burst); zero means none.
	Throttle rate.Limit
	Burst    int
	// MaxInFlight bounds the requests in flight at once; 0 means no bound.
	MaxInFlight int
	// Windows are the provider's documented rate limits (DigitalOcean:
	// 250 a minute, 5,000 an hour). The client counts its own sends in
	// each and holds a request until every window has room.
	Windows []Window
	// Spender is a rate budget shared with other processes (a fleet's);
	// each request is admitted by the client's own limiter and then by it.
	// nil: none.
	Spender Spender
	// MaxPause bounds how long any one rate-limit signal (Retry-After, a
	// quota reset, a full window) holds a request; a longer wait fails at
	// once with ErrRateLimited and Error.RetryAt. 0 means Retry.MaxElapsed.
	MaxPause time.Duration
	// Timeout bounds a call whose context has no deadline: the time spent
	// on attempts and back-off, not the time the rate limiter holds it
	// (each hold is bounded by MaxPause). 0 means no bound.
	Timeout     time.Duration
	DecodeError ErrorDecoder
	// DecodeBody, if set, turns every 2xx answer into JSON (see
	// BodyDecoder). Error statuses still go to DecodeError, raw.
	DecodeBody BodyDecoder
	// Observe is called with every response that arrives (all attempts,
	// errors included), for rate-limit bookkeeping.
	Observe func(resp *http.Response)
	// Quota reads the server's remaining request quota and when it resets
	// from a response (DigitalOcean's ratelimit-* headers). With it the
	// client never has more requests in flight than the quota left, waits
	// for the reset when none is left, and paces requests once fewer than
	// LowQuota remain: it slows down rather than collect 429s.
	Quota func(h http.Header) (remaining int, reset time.Time, ok bool)
	// RetryHint lets a provider decide whether a response is retried and
	// after how long, beyond the generic rules (429, 5xx); ok=false defers
	// to them. A provider that says retry vouches that the server did not
	// act on the request, so it is retried whatever its method.
	RetryHint func(resp *http.Response, body []byte) (retry bool, after time.Duration, ok bool)
	// Secrets are strings that must never appear in logs or errors.
	Secrets []string
	// RedactQuery names query parameters whose values are secret.
	RedactQuery []string
	// MaxBody bounds how much of a response is read, after any
	// decompression; 0 means DefaultMaxBody. A larger answer is refused
	// with ErrBodyTooLarge.
	MaxBody int64
	// Bind, if set, is called with the client once it is built: a signer
	// that must itself call the API (OVH's server time) keeps it.
	Bind func(*Client)
	// RootPaths are path prefixes resolved against the host's root rather
	// than the base URL's path (OVH: "/v1/" and "/v2/" beside "/1.0").
	RootPaths []string
}

// Request is one API call. Path is relative to the base URL ("/v2/droplets")
// or an absolute URL on the same host. Body is sent as is (JSON); it is
// replayed on retries.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Body   []byte
	Header http.Header
}

// Response is a complete answer: status, headers and the whole body.
type Response struct {
	Status    int
	Header    http.Header
	Body      []byte
	Attempts  int
	RequestID string
	URL       string // the URL requested, query values redacted
	Duration  time.Duration
}

// Client sends requests through the layer chain. Safe for concurrent use.
type Client struct {
	cfg     Config
	base    *url.URL
	rt      http.RoundTripper // the whole chain below logging
	limiter *limiter
	redact  *redactor
	last    atomic.Pointer[Response]
}

// New builds a client from cfg.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, &Error{Provider: cfg.Provider, Message: "no base URL", Kind: ErrInvalid}
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, &Error{Provider: cfg.Provider, Message: "base URL must be absolute: " + cfg.BaseURL, Kind: ErrInvalid}
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	cfg.Retry = cfg.Retry.withDefaults()
	inner := defaultTransport()
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		inner = cfg.HTTPClient.Transport
	}
	c := &Client{cfg: cfg, base: base}
	c.redact = newRedactor(cfg.Secrets)
	if base.User != nil {
		if pw, ok := base.User.Password(); ok {
			c.redact.add(pw)
		}
	}
	if cfg.MaxPause <= 0 {
		cfg.MaxPause = cfg.Retry.MaxElapsed
	}
	c.limiter = newLimiter(cfg.Throttle, cfg.Burst, cfg.MaxInFlight, cfg.Windows, cfg.MaxPause)
	c.limiter.quota = cfg.Quota
	c.limiter.spender = cfg.Spender
	var rt http.RoundTripper = &limitLayer{next: inner, lim: c.limiter}
	if cfg.Signer != nil {
		rt = &signLayer{next: rt, signer: cfg.Signer}
	}
	c.rt = &retryLayer{next: rt, c: c}
	if cfg.Bind != nil {
		cfg.Bind(c)
	}
	return c, nil
}

var sharedTransport = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	return t
}()

func defaultTransport() http.RoundTripper { return sharedTransport }

// BaseURL returns the endpoint the client talks to, with any password in
// it masked.
func (c *Client) BaseURL() string { return c.base.Redacted() }

// Provider returns the provider name.
func (c *Client) Provider() string { return c.cfg.Provider }

// Last returns the last complete response received (any status), or nil.
func (c *Client) Last() *Response { return c.last.Load() }

// Redact removes from s every secret the client knows (configured or
// added with AddSecret) and the values of secret query parameters
// (token=..., signature=...) wherever a URL appears in the text: a server
// may echo the request it received into its error message.
func (c *Client) Redact(s string) string { return c.redactParams(c.redact.replace(s)) }

// String describes the client without any credential.
func (c *Client) String() string {
	return "transport.Client(" + c.cfg.Provider + " " + c.BaseURL() + ")"
}

// GoString is String: %#v of a client shows no credential and reads no
// field that requests in flight write.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb, so that no formatting of a client
// walks its configuration (credentials, signer state).
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	io.WriteString(f, c.String())
}

// Resolve turns a request path into an absolute URL on the client's host.
// A relative path is appended to the base URL's path. An absolute URL keeps
// only its path and query: a pagination link that names another host is
// still sent to ours. Values in q are added to the query.
func (c *Client) Resolve(path string, q url.Values) (*url.URL, error) {
	var rel *url.URL
	if strings.HasPrefix(path, "/") && !strings.ContainsAny(path, "?#%") && !strings.HasPrefix(path, "//") {
		rel = &url.URL{Path: path} // a plain path: nothing to parse
	} else {
		var err error
		if rel, err = url.Parse(path); err != nil {
			return nil, err
		}
	}
	u := *c.base
	if rel.IsAbs() {
		u.Path, u.RawPath = rel.Path, rel.RawPath
	} else {
		p, raw := rel.Path, rel.RawPath
		if !strings.HasPrefix(p, "/") {
			p, raw = "/"+p, "/"+raw
		}
		basePath, baseRaw := c.base.Path, c.base.EscapedPath()
		for _, root := range c.cfg.RootPaths {
			if strings.HasPrefix(p, root) {
				basePath, baseRaw = "", ""
				break
			}
		}
		u.Path = basePath + p
		u.RawPath = ""
		if rel.RawPath != "" {
			u.RawPath = baseRaw + raw
		}
	}
	if len(q) == 0 {
		u.RawQuery = rel.RawQuery
		return &u, nil
	}
	query := rel.Query()
	for k, vs := range q {
		query[k] = vs
	}
	u.RawQuery = query.Encode()
	return &u, nil
}

type callInfo struct {
	attempts int
	wrote    bool
	path     string // the API path, below the base URL's: what windows match
}

type callKey struct{}

// Do sends req and returns the complete response. Any status outside
// 200-299 is returned as *Error together with the response.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	start := time.Now()
	// The operation's name is made only where an error or a decoder needs
	// it: a call that succeeds allocates nothing for it.
	op := func() string { return Op(req.Method, req.Path) }
	u, err := c.Resolve(req.Path, req.Query)
	if err != nil {
		return nil, &Error{Provider: c.cfg.Provider, Op: op(), Message: "bad path", Kind: ErrInvalid, Err: err}
	}
	if seg, ok := badSegment(u); !ok {
		// An id "", "." or ".." would name another resource once a proxy
		// or the server removes dot segments (DELETE /v2/domains/..).
		return nil, &Error{Provider: c.cfg.Provider, Op: op(), Message: fmt.Sprintf("bad path: segment %q (an empty, \".\" or \"..\" id?)", seg), Kind: ErrInvalid}
	}
	if !validMethod(req.Method) {
		return nil, &Error{Provider: c.cfg.Provider, Op: op(), Message: "bad request", Kind: ErrInvalid, Err: fmt.Errorf("invalid method %q", req.Method)}
	}
	if err := ctx.Err(); err != nil {
		// Nothing is sent for a caller that has already given up.
		return nil, &Error{Provider: c.cfg.Provider, Op: op(), Message: "request abandoned", Err: err}
	}
	// The request is built from the resolved URL, not from its text: no
	// second parse per call.
	info := &callInfo{path: strings.TrimPrefix(u.Path, strings.TrimSuffix(c.base.Path, "/"))}
	hreq := (&http.Request{
		Method: req.Method, URL: u, Host: u.Host, Header: make(http.Header, len(c.cfg.Header)+len(req.Header)+2),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}).WithContext(context.WithValue(ctx, callKey{}, info))
	for k, vs := range c.cfg.Header {
		hreq.Header[k] = vs
	}
	for k, vs := range req.Header {
		hreq.Header[k] = vs
	}
	if c.cfg.UserAgent != "" && hreq.Header.Get("User-Agent") == "" {
		hreq.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	if req.Body != nil {
		body := req.Body
		hreq.Body = io.NopCloser(bytes.NewReader(body))
		hreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		hreq.ContentLength = int64(len(body))
		if hreq.Header.Get("Content-Type") == "" {
			hreq.Header.Set("Content-Type", "application/json")
		}
	}
	hresp, rerr := c.rt.RoundTrip(hreq)
	resp := &Response{Attempts: info.attempts, URL: c.redactURL(u), Duration: time.Since(start)}
	if rerr != nil {
		e := c.transportError(ctx, op(), rerr, info.attempts)
		c.log(ctx, req.Method, resp, e)
		return nil, e
	}
	resp.Status = hresp.StatusCode
	resp.Header = hresp.Header
	resp.Body, _ = bodyBytes(hresp.Body) // the retry layer buffered it already
	resp.RequestID = c.Redact(requestID(hresp.Header))
	var fault *Error
	if c.cfg.DecodeBody != nil && resp.Status >= 200 && resp.Status <= 299 {
		fault = c.decodeBody(op(), resp) // before anyone else can see resp
	}
	c.last.Store(resp)
	if fault != nil {
		c.log(ctx, req.Method, resp, fault)
		return resp, fault
	}
	if resp.Status < 200 || resp.Status > 299 {
		e := &Error{Provider: c.cfg.Provider, Op: op(), Status: resp.Status, Attempts: info.attempts, Kind: KindForStatus(resp.Status), RequestID: resp.RequestID}
		if c.cfg.DecodeError != nil {
			c.cfg.DecodeError(e, resp.Header, resp.Body)
		}
		if resp.Status == http.StatusTooManyRequests || e.Kind == ErrRateLimited {
			e.RetryAt = c.retryAt(resp.Header)
		}
		if e.Message == "" {
			e.Message = describeBody(resp.Header, resp.Body)
		}
		// A server may echo what it was sent (a token) in any of them.
		e.Message = c.Redact(e.Message)
		e.Code = c.Redact(e.Code)
		e.RequestID = c.Redact(e.RequestID)
		c.log(ctx, req.Method, resp, e)
		return resp, e
	}
	c.log(ctx, req.Method, resp, nil)
	return resp, nil
}

// decodeBody runs the provider's BodyDecoder on a 2xx answer and replaces
// its body by the JSON made. A fault keeps the provider's code.
func (c *Client) decodeBody(op string, resp *Response) (e *Error) {
	defer func() {
		if p := recover(); p != nil {
			e = &Error{Provider: c.cfg.Provider, Op: op, Status: resp.Status, Attempts: resp.Attempts,
				RequestID: resp.RequestID, Kind: ErrMalformed, Message: "answer could not be decoded"}
		}
	}()
	out, err := c.cfg.DecodeBody(resp.Header, resp.Body)
	if err == nil {
		resp.Body = out
		return nil
	}
	if !errors.As(err, &e) {
		e = &Error{Kind: ErrMalformed, Message: "answer could not be decoded", Err: scrubError(err, c)}
	}
	if e.Provider == "" {
		e.Provider = c.cfg.Provider
	}
	if e.Op == "" {
		e.Op = op
	}
	if e.Status == 0 {
		e.Status = resp.Status
	}
	if e.Attempts == 0 {
		e.Attempts = resp.Attempts
	}
	if e.RequestID == "" {
		e.RequestID = resp.RequestID
	}
	if e.Kind == nil && e.Code == "" {
		e.Kind = ErrMalformed
	}
	e.Message = c.Redact(e.Message)
	e.Code = c.Redact(e.Code)
	return e
}

// retryAt is when a refused request may be sent again: the server's
// Retry-After, else its quota reset; zero when neither says.
func (c *Client) retryAt(h http.Header) time.Time {
	now := time.Now()
	if at, ok := RetryAt(h, now); ok {
		return at
	}
	if c.cfg.Quota != nil {
		if _, reset, ok := c.cfg.Quota(h); ok && reset.After(now) {
			return reset
		}
	}
	return time.Time{}
}

func (c *Client) transportError(ctx context.Context, op string, err error, attempts int) *Error {
	var te *Error
	if errors.As(err, &te) {
		te.Attempts = attempts
		te.Provider, te.Op = c.cfg.Provider, op
		return te
	}
	e := &Error{Provider: c.cfg.Provider, Op: op, Attempts: attempts, Err: scrubError(err, c)}
	switch {
	case ctx.Err() != nil:
		e.Message = "request abandoned"
		e.Err = ctx.Err()
	case errors.Is(err, io.ErrUnexpectedEOF):
		e.Message = "truncated response body"
		e.Kind = ErrUnavailable
	default:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			e.Message = "timeout"
		} else {
			e.Message = "network error"
		}
		e.Kind = ErrUnavailable
	}
	return e
}

// scrubError replaces err by a copy of its text with secrets and query
// strings removed: *url.Error carries the full URL, which may hold a token.
func scrubError(err error, c *Client) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if c.Redact(err.Error()) == err.Error() {
		return err
	}
	return errors.New(c.Redact(err.Error()))
}

func (c *Client) redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	cp := *u
	if cp.User != nil {
		if _, ok := cp.User.Password(); ok {
			cp.User = url.UserPassword(cp.User.Username(), Redacted)
		}
	}
	if cp.RawQuery != "" {
		q := cp.Query()
		changed := false
		for k := range q {
			if secretParam(k, c.cfg.RedactQuery) {
				q[k] = []string{Redacted}
				changed = true
			}
		}
		if changed {
			cp.RawQuery = q.Encode()
		}
	}
	return c.Redact(cp.String())
}

// secretParam says whether a query parameter's value is secret: one of
// SecretQuery or of the provider's own names, in any case.
func secretParam(name string, extra []string) bool {
	for _, k := range SecretQuery {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	for _, k := range extra {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

func (c *Client) log(ctx context.Context, method string, resp *Response, err *Error) {
	l := c.cfg.Logger
	if l == nil {
		return
	}
	level := slog.LevelDebug
	attrs := []slog.Attr{
		slog.String("provider", c.cfg.Provider),
		slog.String("method", method),
		slog.String("url", resp.URL),
		slog.Int("status", resp.Status),
		slog.Int("attempts", resp.Attempts),
		slog.Duration("duration", resp.Duration),
	}
	if resp.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", resp.RequestID))
	}
	if err != nil {
		level = slog.LevelWarn
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	if !l.Enabled(ctx, level) {
		return
	}
	l.LogAttrs(ctx, level, "stratus request", attrs...)
}

// logRetry records, at debug level, why an attempt is repeated.
func (c *Client) logRetry(ctx context.Context, r *http.Request, attempt int, resp *http.Response, err error, wait time.Duration) {
	l := c.cfg.Logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("provider", c.cfg.Provider),
		slog.String("method", r.Method),
		slog.String("url", c.redactURL(r.URL)),
		slog.Int("attempt", attempt),
		slog.Duration("wait", wait),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", scrubError(err, c).Error()))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "stratus retry", attrs...)
}

// Op names an operation for errors and logs: the method and the path,
// without the query string (which may carry values best kept out of logs)
// and without the host of an absolute URL.
func Op(method, path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if u, err := url.Parse(path); err == nil && u.IsAbs() {
		path = u.Path
	}
	return method + " " + path
}

func requestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "X-Ovh-Queryid", "X-Ovh-Query-Id", "X-Request-ID"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// describeBody gives a short text for an error body that the provider's
// decoder could not read: the first line of text, or the HTML title.
func describeBody(h http.Header, body []byte) string {
	if len(body) > 4096 {
		body = body[:4096]
	}
	s := strings.ToValidUTF8(strings.TrimSpace(string(body)), "?")
	if s == "" {
		return ""
	}
	// Only ASCII letters are folded, so that offsets in lower are offsets
	// in s (strings.ToLower changes the length of invalid or non-ASCII
	// text).
	lower := asciiLower(s)
	if strings.Contains(h.Get("Content-Type"), "html") || strings.HasPrefix(lower, "<!doctype") || strings.HasPrefix(lower, "<html") {
		if i := strings.Index(lower, "<title>"); i >= 0 {
			if j := strings.Index(lower[i:], "</title>"); j > 0 {
				t := strings.TrimSpace(s[i+7 : i+j])
				if len(t) > 200 {
					t = strings.ToValidUTF8(t[:200], "") + "..."
				}
				return "HTML error page: " + t
			}
		}
		return "HTML error page"
	}
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "..."
	}
	return s
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// badSegment finds an empty, "." or ".." segment in u's path (each segment
// unescaped on its own, so an escaped slash inside an id is no separator).
func badSegment(u *url.URL) (string, bool) {
	p := u.EscapedPath()
	if p == "" || p == "/" {
		return "", true
	}
	for _, seg := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		s, err := url.PathUnescape(seg)
		if err != nil {
			s = seg
		}
		if s == "." || s == ".." || s == "" {
			return s, false
		}
	}
	return "", true
}

// validMethod says whether m is an HTTP token, as net/http requires.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		switch c := m[i]; {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
