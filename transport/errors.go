package transport

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Portable error kinds. Every *Error maps to at most one of them, and
// errors.Is(err, ErrNotFound) works whatever the provider.
var (
	ErrNotFound     = errors.New("not found")
	ErrUnauthorized = errors.New("unauthorized")
	ErrForbidden    = errors.New("forbidden")
	ErrRateLimited  = errors.New("rate limited")
	ErrConflict     = errors.New("conflict")
	ErrUnsupported  = errors.New("unsupported")
	// ErrInvalid: the API refused the request as malformed or unprocessable
	// (400, 422), or the client refused it before sending.
	ErrInvalid = errors.New("invalid request")
	// ErrUnavailable: a server-side or network failure (5xx, reset
	// connection, truncated body) that outlived the retries.
	ErrUnavailable = errors.New("service unavailable")
	// ErrMalformed: the response could not be read: not JSON, an HTML page
	// where JSON was due, or a missing envelope key.
	ErrMalformed = errors.New("malformed response")
)

// ErrBodyTooLarge: the answer is larger than the client's body limit
// (Config.MaxBody, stratus.WithMaxBody). It also matches ErrMalformed.
var ErrBodyTooLarge = SubKind("response body too large", ErrMalformed)

// Error is the one error type of stratus. It never holds a secret: the
// message comes from the provider's error body or from stratus itself, and
// the operation names the method and path only (no query string values that
// could carry credentials).
type Error struct {
	Provider  string // "digitalocean", "ovh", ...
	Op        string // "GET /v2/droplets/12345"
	Status    int    // HTTP status, 0 when no response arrived
	Code      string // the provider's own code: "not_found", "INVALID_SIGNATURE", ...
	Message   string // the provider's message, or ours
	RequestID string // request or query id for support tickets
	Attempts  int    // how many times the request was sent
	Kind      error  // the portable sentinel it matches, or nil
	Err       error  // the underlying cause (network, decoding), or nil
	// RetryAt, on an ErrRateLimited error, is when the API accepts calls
	// again: from the server's Retry-After or quota reset, or from the
	// client-side limiter that refused to hold the request that long (zero
	// when unknown). It is the server's own word, not capped.
	RetryAt time.Time
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Provider)
	if e.Op != "" {
		b.WriteString(": ")
		b.WriteString(e.Op)
	}
	b.WriteString(": ")
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteByte(' ')
	}
	if e.Code != "" {
		b.WriteString(e.Code)
		b.WriteString(": ")
	}
	switch {
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	case e.Kind != nil:
		b.WriteString(e.Kind.Error())
	default:
		b.WriteString("error")
	}
	if e.Message != "" && e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request %s)", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// Unwrap exposes both the portable kind and the cause to errors.Is/As.
func (e *Error) Unwrap() []error {
	var out []error
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// KindForStatus is the default mapping from an HTTP status to a portable
// kind. Providers refine it from their error codes.
func KindForStatus(status int) error {
	switch {
	case status == 401:
		return ErrUnauthorized
	case status == 403:
		return ErrForbidden
	case status == 404 || status == 410:
		return ErrNotFound
	case status == 409 || status == 412:
		return ErrConflict
	case status == 429:
		return ErrRateLimited
	case status == 501 || status == 405:
		return ErrUnsupported
	case status >= 400 && status < 500:
		return ErrInvalid
	case status >= 500:
		return ErrUnavailable
	}
	return nil
}

// SubKind makes a provider's own error kind that also matches a portable
// one: errors.Is(err, ovh.ErrNotGranted) and errors.Is(err, ErrForbidden)
// both hold for a call outside a consumer key's rules.
func SubKind(text string, portable error) error { return &subKind{text, portable} }

type subKind struct {
	text     string
	portable error
}

func (k *subKind) Error() string { return k.text }
func (k *subKind) Unwrap() error { return k.portable }
