package ovh

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
	"golang.org/x/sync/singleflight"
)

// Name is the provider's registry name.
const Name = "ovh"

// DefaultEndpoint is the alias used when none is configured (as go-ovh).
const DefaultEndpoint = "ovh-eu"

// Endpoints maps every alias to its base URL. runabove-ca is the historical
// RunAbove endpoint, which both official clients dropped.
var Endpoints = map[string]string{
	"ovh-eu":        "https://eu.api.ovh.com/1.0",
	"ovh-ca":        "https://ca.api.ovh.com/1.0",
	"ovh-us":        "https://api.us.ovhcloud.com/1.0",
	"kimsufi-eu":    "https://eu.api.kimsufi.com/1.0",
	"kimsufi-ca":    "https://ca.api.kimsufi.com/1.0",
	"soyoustart-eu": "https://eu.api.soyoustart.com/1.0",
	"soyoustart-ca": "https://ca.api.soyoustart.com/1.0",
	"runabove-ca":   "https://api.runabove.com/1.0",
}

// RootPaths are the version prefixes sent to the host's root rather than
// under /1.0: "/v2/iam/policy" goes to https://eu.api.ovh.com/v2/iam/policy.
var RootPaths = []string{"/v1/", "/v2/"}

// ErrUnknownEndpoint says an endpoint is neither an alias nor a URL.
var ErrUnknownEndpoint = errors.New("ovh: unknown endpoint")

// ResolveEndpoint turns an alias or a URL into a base URL. Like go-ovh, any
// string containing "/" is taken as a URL; unlike go-ovh, a trailing slash
// is removed rather than refused.
func ResolveEndpoint(e string) (string, error) {
	e = strings.TrimSpace(e)
	if e == "" {
		e = DefaultEndpoint
	}
	if u, ok := Endpoints[strings.ToLower(e)]; ok {
		return u, nil
	}
	if strings.Contains(e, "/") {
		return strings.TrimRight(e, "/"), nil
	}
	return "", &transport.Error{Provider: Name, Message: "unknown endpoint " + strconv.Quote(e) + " (an alias such as ovh-eu, or a URL)", Kind: transport.ErrInvalid, Err: ErrUnknownEndpoint}
}

// Secret is a credential string that no printout, log record or encoding
// shows: the one secret type of every provider.
type Secret = transport.Secret

// Credentials are the application-key scheme's three parts and the
// endpoint (an alias or a URL).
type Credentials struct {
	Endpoint          string
	ApplicationKey    Secret
	ApplicationSecret Secret
	ConsumerKey       Secret
}

// Sign returns the X-Ovh-Signature of one call: "$1$" and the hex SHA-1
// of AS+CK+METHOD+URL+BODY+TIMESTAMP joined with "+". url is the full URL
// as requested, query included; body is the exact bytes sent.
func Sign(appSecret, consumerKey, method, url string, body []byte, timestamp int64) string {
	var out [3 + 2*sha1.Size]byte
	return string(appendSignature(out[:0], appSecret, consumerKey, method, url, body, timestamp))
}

// appendSignature appends Sign's result to dst. The signed text is put
// together on the stack when it fits (a GET's does), so that signing
// allocates nothing of its own.
func appendSignature(dst []byte, appSecret, consumerKey, method, url string, body []byte, timestamp int64) []byte {
	var stack [1024]byte
	in := stack[:0]
	for _, part := range [...]string{appSecret, consumerKey, method, url} {
		in = append(in, part...)
		in = append(in, '+')
	}
	in = append(in, body...)
	in = append(in, '+')
	in = strconv.AppendInt(in, timestamp, 10)
	sum := sha1.Sum(in)
	dst = append(dst, "$1$"...)
	return hex.AppendEncode(dst, sum[:])
}

// Unauthenticated says whether a call is sent with the application key
// only: the server time and the consumer-key request.
func Unauthenticated(method, path string) bool {
	path = strings.TrimSuffix(path, "/")
	return (method == http.MethodGet && strings.HasSuffix(path, "/auth/time")) ||
		(method == http.MethodPost && strings.HasSuffix(path, "/auth/credential"))
}

// Clock keeps the difference between the local clock and the API's,
// fetched lazily from GET /auth/time, and fetches it again on demand
// (after the API refused a timestamp or a signature). Neither official
// client ever refreshes it.
type Clock struct {
	now    func() time.Time
	client atomic.Pointer[transport.Client] // reads /auth/time; set by Bind
	delta  atomic.Int64                     // local minus server, in seconds
	known  atomic.Bool
	flight singleflight.Group
}

// Bind gives the clock the client to read /auth/time with (the client
// built from Config's result calls it through Config.Bind).
func (c *Clock) Bind(t *transport.Client) { c.client.Store(t) }

// Delta returns local minus server time, fetching it on first use.
func (c *Clock) Delta(ctx context.Context) (time.Duration, error) {
	if c.known.Load() {
		return time.Duration(c.delta.Load()) * time.Second, nil
	}
	_, err, _ := c.flight.Do("sync", func() (any, error) { return nil, c.sync(ctx) })
	if err != nil {
		return 0, err
	}
	return time.Duration(c.delta.Load()) * time.Second, nil
}

// Now returns the API's current Unix time as the client estimates it.
func (c *Clock) Now(ctx context.Context) (int64, error) {
	d, err := c.Delta(ctx)
	if err != nil {
		return 0, err
	}
	return c.now().Add(-d).Unix(), nil
}

func (c *Clock) sync(ctx context.Context) error {
	t := c.client.Load()
	if t == nil {
		return errors.New("ovh: clock not bound to a client")
	}
	server, err := ServerTime(ctx, t)
	if err != nil {
		return err
	}
	local := c.now()
	c.delta.Store(local.Unix() - server)
	c.known.Store(true)
	return nil
}

// Resync is called when the API refused a call signed with timestamp
// signed. It reports whether the call is worth another try: yes if the
// call was signed with an older delta than the current one (another call
// already re-synced), or if fetching the server time again moved the delta
// (the clock stepped). A wrong secret leaves the delta where it was: no.
// Concurrent re-syncs share one request.
func (c *Clock) Resync(ctx context.Context, signed int64) bool {
	if c.known.Load() && signed > 0 {
		if now := c.now().Unix() - c.delta.Load(); now-signed > staleAfter || signed-now > staleAfter {
			return true
		}
	}
	v, _, _ := c.flight.Do("resync", func() (any, error) {
		before, had := c.delta.Load(), c.known.Load()
		if err := c.sync(ctx); err != nil {
			return false, nil
		}
		return !had || c.delta.Load() != before, nil
	})
	return v.(bool)
}

// staleAfter is how far (seconds) a refused call's timestamp may be from
// the current estimate before it counts as signed with an older delta.
const staleAfter = 2

// Signer signs each attempt: X-Ovh-Application always; X-Ovh-Consumer,
// X-Ovh-Timestamp and X-Ovh-Signature on authenticated calls. The URL
// signed is the one sent, query included.
func Signer(cr Credentials, clock *Clock) transport.Signer {
	ak, as, ck := string(cr.ApplicationKey), string(cr.ApplicationSecret), string(cr.ConsumerKey)
	return transport.SignerFunc(func(r *http.Request, body []byte) error {
		if ak == "" {
			return &transport.Error{Provider: Name, Message: "no application key", Kind: ErrInvalidKey}
		}
		if Unauthenticated(r.Method, r.URL.Path) {
			r.Header.Set("X-Ovh-Application", ak)
			return nil
		}
		if ck == "" {
			return &transport.Error{Provider: Name, Message: "no consumer key (request one with RequestConsumerKey)", Kind: ErrNotCredential}
		}
		if as == "" {
			return &transport.Error{Provider: Name, Message: "no application secret", Kind: ErrInvalidKey}
		}
		ts, err := clock.Now(r.Context())
		if err != nil {
			return &transport.Error{Provider: Name, Op: "GET /auth/time", Message: "cannot read the API's clock", Kind: transport.ErrUnavailable, Err: err}
		}
		// The timestamp and the signature share one string, and the four
		// header values one array: three allocations in all, with the URL.
		var buf [20 + 3 + 2*sha1.Size]byte
		b := strconv.AppendInt(buf[:0], ts, 10)
		n := len(b)
		text := string(appendSignature(b, as, ck, r.Method, r.URL.String(), body, ts))
		vals := [...]string{ak, ck, text[:n], text[n:]}
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header["X-Ovh-Application"] = vals[0:1:1]
		r.Header["X-Ovh-Consumer"] = vals[1:2:2]
		r.Header["X-Ovh-Timestamp"] = vals[2:3:3]
		r.Header["X-Ovh-Signature"] = vals[3:4:4]
		return nil
	})
}

// Error kinds of the API's authentication layer. Each also matches a
// portable kind: errors.Is(err, ErrNotGranted) and
// errors.Is(err, transport.ErrForbidden) both hold.
var (
	ErrInvalidSignature  = transport.SubKind("invalid signature", transport.ErrUnauthorized)
	ErrTimestamp         = transport.SubKind("query out of time", transport.ErrUnauthorized)
	ErrNotCredential     = transport.SubKind("unknown consumer key", transport.ErrUnauthorized)
	ErrInvalidCredential = transport.SubKind("consumer key not valid (pending, refused, expired or revoked)", transport.ErrUnauthorized)
	ErrNotGranted        = transport.SubKind("call not granted to this consumer key", transport.ErrForbidden)
	ErrInvalidKey        = transport.SubKind("invalid application key", transport.ErrUnauthorized)
	ErrServiceExpired    = transport.SubKind("service expired", transport.ErrForbidden)
)

// StatusServiceExpired is OVH's status for a call on an expired service.
const StatusServiceExpired = 460

// DecodeError reads both body shapes, {"class","message","details"} and
// {"errorCode","httpCode","message"} (or their union), and the query id
// header. A non-JSON body (an HTML 503 page) keeps the generic text.
func DecodeError(e *transport.Error, h http.Header, body []byte) {
	if q := h.Get("X-Ovh-Queryid"); q != "" {
		e.RequestID = q
	}
	if e.Status == StatusServiceExpired {
		e.Kind = ErrServiceExpired
	}
	if !transport.ValidJSON(body) {
		return
	}
	r := gjson.ParseBytes(body)
	if !r.IsObject() {
		return
	}
	class := r.Get("class").String()
	code := r.Get("errorCode").String()
	if m := r.Get("message"); m.Type == gjson.String && m.Str != "" {
		e.Message = m.Str
	}
	if d := r.Get("details"); d.IsObject() {
		var missing []string
		for _, k := range []string{"unauthorizedActionsByAuthentication", "unauthorizedActionsByIAM"} {
			d.Get(k).ForEach(func(_, v gjson.Result) bool {
				missing = append(missing, v.String())
				return true
			})
		}
		if len(missing) > 0 {
			e.Message += " (missing IAM permissions: " + strings.Join(missing, ", ") + ")"
		}
	}
	switch {
	case code != "":
		e.Code = code
	case class != "":
		e.Code = class
	}
	switch code {
	case "INVALID_SIGNATURE":
		e.Kind = ErrInvalidSignature
	case "QUERY_TIME_OUT":
		e.Kind = ErrTimestamp
	case "NOT_CREDENTIAL":
		e.Kind = ErrNotCredential
	case "INVALID_CREDENTIAL":
		e.Kind = ErrInvalidCredential
	case "NOT_GRANTED_CALL":
		e.Kind = ErrNotGranted
	case "INVALID_KEY":
		e.Kind = ErrInvalidKey
	case "FORBIDDEN":
		e.Kind = transport.ErrForbidden
	case "":
		// go-ovh's shape carries the class only; its messages tell.
		switch {
		case e.Status == 400 && strings.EqualFold(e.Message, "Invalid signature"):
			e.Kind = ErrInvalidSignature
		case e.Status == 403 && strings.Contains(strings.ToLower(e.Message), "application key"):
			e.Kind = ErrInvalidKey
		case e.Status == 403 && e.Message == "This call has not been granted":
			e.Kind = ErrNotGranted
		case e.Status == 403 && e.Message == "This credential does not exist":
			e.Kind = ErrNotCredential
		case e.Status == 403 && e.Message == "This credential is not valid":
			e.Kind = ErrInvalidCredential
		}
	}
}

// clockFailure says whether an answer refused the call's timestamp or
// signature: the two faults a stale time delta causes.
func clockFailure(status int, body []byte) bool {
	if status != 400 && status != 401 && status != 403 {
		return false
	}
	if !transport.ValidJSON(body) {
		return false
	}
	r := gjson.ParseBytes(body)
	switch r.Get("errorCode").String() {
	case "INVALID_SIGNATURE", "QUERY_TIME_OUT":
		return true
	}
	m := strings.ToLower(r.Get("message").String())
	return m == "invalid signature" || strings.Contains(m, "out of time") || strings.Contains(m, "timestamp")
}

// RetryHint re-syncs the clock when the API refuses a timestamp or a
// signature, and asks for one more try if the delta moved (the clock
// stepped). A wrong secret leaves the delta where it was: no retry.
func RetryHint(clock *Clock) func(resp *http.Response, body []byte) (bool, time.Duration, bool) {
	return func(resp *http.Response, body []byte) (bool, time.Duration, bool) {
		if !clockFailure(resp.StatusCode, body) {
			return false, 0, false
		}
		ctx := context.Background()
		var signed int64
		if resp.Request != nil {
			ctx = resp.Request.Context()
			signed, _ = strconv.ParseInt(resp.Request.Header.Get("X-Ovh-Timestamp"), 10, 64)
		}
		return clock.Resync(ctx, signed), time.Millisecond, true
	}
}

// Options tune Config beyond the credentials.
type Options struct {
	// Now is the local clock (nil: time.Now). Tests skew it.
	Now func() time.Time
}

// Config builds the transport configuration: endpoint, signer, clock,
// error decoding and the re-sync hint. The clock reads /auth/time through
// the transport client built from the returned Config (its Bind hook).
func Config(cr Credentials, o Options) (transport.Config, *Clock, error) {
	base, err := ResolveEndpoint(cr.Endpoint)
	if err != nil {
		return transport.Config{}, nil, err
	}
	clock := &Clock{now: o.Now}
	if clock.now == nil {
		clock.now = time.Now
	}
	cfg := transport.Config{
		Provider:    Name,
		BaseURL:     base,
		Header:      http.Header{"Accept": {"application/json"}},
		Signer:      Signer(cr, clock),
		DecodeError: DecodeError,
		RetryHint:   RetryHint(clock),
		RootPaths:   RootPaths,
		Bind:        clock.Bind,
	}
	for _, s := range []Secret{cr.ApplicationKey, cr.ApplicationSecret, cr.ConsumerKey} {
		if s != "" {
			cfg.Secrets = append(cfg.Secrets, string(s))
		}
	}
	return cfg, clock, nil
}

// ServerTime reads GET /auth/time: a bare integer of Unix seconds.
func ServerTime(ctx context.Context, t *transport.Client) (int64, error) {
	resp, err := t.Do(ctx, &transport.Request{Method: http.MethodGet, Path: "/auth/time"})
	if err != nil {
		return 0, err
	}
	v := strings.TrimSpace(string(resp.Body))
	n, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil {
		return 0, &transport.Error{Provider: Name, Op: "GET /auth/time", Status: resp.Status, Message: "server time is not an integer", Kind: transport.ErrMalformed, RequestID: resp.RequestID}
	}
	return n, nil
}
