package stratus

import (
	"errors"
	"fmt"
	"time"

	"github.com/stratus-cloud/stratus/transport"
)

// Error is the one error type of the requests of stratus. It never holds
// a secret. It is transport.Error, whose fields are:
//
//	Provider  string    // "digitalocean", "ovh", ...
//	Op        string    // "GET /v2/droplets/12345" (no query values)
//	Status    int       // HTTP status, 0 when no response arrived
//	Code      string    // the provider's own code: "not_found", "INVALID_SIGNATURE", ...
//	Message   string    // the provider's message, or stratus's
//	RequestID string    // request or query id, for support tickets
//	Attempts  int       // how many times the request was sent
//	Kind      error     // the portable sentinel it matches (ErrNotFound, ...), or nil
//	Err       error     // the underlying cause (network, decoding), or nil
//	RetryAt   time.Time // on ErrRateLimited: when the API accepts calls again
//
// A waiter that runs out of time returns a *WaitTimeoutError instead
// (errors.Is(err, ErrWaitTimeout)); a cancelled context, ctx.Err().
type Error = transport.Error

// Portable sentinels, matched with errors.Is whatever the provider.
var (
	ErrNotFound     = transport.ErrNotFound
	ErrUnauthorized = transport.ErrUnauthorized
	ErrForbidden    = transport.ErrForbidden
	ErrRateLimited  = transport.ErrRateLimited
	ErrConflict     = transport.ErrConflict
	ErrUnsupported  = transport.ErrUnsupported
	ErrInvalid      = transport.ErrInvalid
	ErrUnavailable  = transport.ErrUnavailable
	ErrMalformed    = transport.ErrMalformed
	// ErrBodyTooLarge: an answer larger than WithMaxBody; it also matches
	// ErrMalformed.
	ErrBodyTooLarge = transport.ErrBodyTooLarge
)

// ErrNoCredentials says that a provider's loader (Provider.Env) found no
// credentials at all: no variable, no file. A loader that found some but
// not enough returns another error, so that a half-done configuration is
// reported rather than silently replaced by a simulator.
var ErrNoCredentials = errors.New("no credentials found")

// ErrWaitTimeout matches a *WaitTimeoutError.
var ErrWaitTimeout = errors.New("wait time exceeded")

// ErrFailed says that asynchronous work ended in a failure state (an
// action "errored", a job that failed).
var ErrFailed = errors.New("ended in a failure state")

// WaitTimeoutError is returned when a waiter ran out of wait time. Pending
// holds the objects that had not reached the wanted state, refreshed at
// the last poll.
type WaitTimeoutError struct {
	Waited  time.Duration
	Pending []Object
}

func (e *WaitTimeoutError) Error() string {
	return fmt.Sprintf("stratus: wait time exceeded after %s with %d object(s) unfinished", e.Waited.Round(time.Millisecond), len(e.Pending))
}

// Is makes errors.Is(err, ErrWaitTimeout) true.
func (e *WaitTimeoutError) Is(target error) bool { return target == ErrWaitTimeout }

// invalid builds a client-side validation error: nothing was sent.
func invalid(provider, op, format string, args ...any) *Error {
	return &Error{Provider: provider, Op: op, Message: fmt.Sprintf(format, args...), Kind: ErrInvalid}
}

// Invalid builds the error a model returns when it refuses a request before
// sending it (a missing required argument, two exclusive ones...).
func Invalid(c *Client, op, format string, args ...any) *Error {
	name := ""
	if c != nil {
		name = c.provider.Name
	}
	return invalid(name, op, format, args...)
}
