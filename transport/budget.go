package transport

import (
	"context"
	"net/http"
	"time"
)

// Fleet is what the clients of many processes share: one cache of answers
// and one rate budget per account. transport/fleet keeps both in Redis;
// stratus.WithFleet plugs one into a client. Without a fleet a client
// keeps its own cache and its own limiter, as before.
type Fleet interface {
	// Cache is the shared cache of answers.
	Cache() Cache
	// Spender returns the shared rate budget of one account (the client's
	// Account: a hash, never a credential), spending the provider's
	// windows; nil means the fleet shares no budget.
	Spender(account string, windows []Window) Spender
}

// Spender is one account's share of a rate budget kept outside the
// process. The client's limiter admits a request first (its own windows,
// the server's quota, its bound on requests in flight) and then asks the
// spender, so the tighter of the two sets the pace.
type Spender interface {
	// Take admits one request under the shared budget. It returns nil when
	// the request may go, after waiting while the budget is spent; it never
	// waits past maxPause nor past ctx's deadline, and returns instead an
	// *Error of kind ErrRateLimited whose RetryAt says when calls are
	// accepted again. It returns ctx.Err() when ctx ends first.
	Take(ctx context.Context, maxPause time.Duration) error
	// Observe is told of every answer: its status, the pause a 429 named
	// (Retry-After; 0 when none), and the quota the provider reported
	// (quotaOK false when the answer carried none).
	Observe(status int, retryAfter time.Duration, remaining int, reset time.Time, quotaOK bool)
}

// spend asks the shared budget, if any, to admit one request.
func (l *limiter) spend(ctx context.Context) error {
	if l.spender == nil {
		return nil
	}
	return l.spender.Take(ctx, l.maxPause)
}

// tell passes an answer's rate signals to the shared budget, if any.
func (l *limiter) tell(resp *http.Response, now time.Time) {
	if l.spender == nil {
		return
	}
	var pause time.Duration
	if resp.StatusCode == http.StatusTooManyRequests {
		pause = RetryAfter(resp.Header, now)
	}
	var (
		rem   int
		reset time.Time
		ok    bool
	)
	if l.quota != nil {
		rem, reset, ok = l.quota(resp.Header)
	}
	l.spender.Observe(resp.StatusCode, pause, rem, reset, ok)
}
