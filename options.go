package stratus

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"golang.org/x/time/rate"
)

// Settings is everything a client is built from. Options fill it.
type Settings struct {
	BaseURL     string
	HTTPClient  *http.Client
	Logger      *slog.Logger
	Retry       transport.RetryPolicy
	Timeout     time.Duration // default per-request and lazy-load timeout; default 60s
	UserAgent   string
	PageSize    int           // default page size of collections; 0: the provider's largest
	Concurrency int           // requests a collection or batch keeps in flight; default DefaultConcurrency
	WaitMin     time.Duration // waiter delays; default 2s (doapi's wait_interval)
	WaitMax     time.Duration // default 30s
	WaitTime    time.Duration // longest wait; 0: DefaultWaitTime; < 0: until ctx ends
	Cache       Cache         // nil: DefaultCache(), or a cache of its own with CacheBudget
	CacheBudget int64         // > 0: a MemoryCache of this many bytes for this client alone
	NoCache     bool
	CacheTTL    time.Duration // default lifetime of cached answers; default 30s
	RateLimit   rate.Limit    // client-side requests per second; 0: none
	MaxBody     int64         // largest answer read, after decompression; 0: transport.DefaultMaxBody (32 MiB)
	RateBurst   int
	// RateWindows replaces the provider's documented rate windows (an
	// account with other limits; a simulator on a faster clock); nil keeps
	// them, an empty non-nil slice turns them off.
	RateWindows []transport.Window
	Credentials map[string]string
	// Fleet shares the cache and one rate budget per account with the
	// other processes of a fleet (transport/fleet); nil: this process
	// alone.
	Fleet transport.Fleet
	// Now is the local clock that signed requests read (nil: time.Now).
	// Tests skew it; providers whose signatures carry a timestamp use it.
	Now func() time.Time
}

// Option sets one setting.
type Option func(*Settings)

// WithBaseURL points the client at another endpoint (a simulator, a proxy).
func WithBaseURL(u string) Option { return func(s *Settings) { s.BaseURL = u } }

// WithHTTPClient uses hc's Transport as the innermost layer.
func WithHTTPClient(hc *http.Client) Option { return func(s *Settings) { s.HTTPClient = hc } }

// WithLogger logs every request (debug) and failure (warn), secrets redacted.
func WithLogger(l *slog.Logger) Option { return func(s *Settings) { s.Logger = l } }

// WithRetry sets the retry policy.
func WithRetry(p transport.RetryPolicy) Option { return func(s *Settings) { s.Retry = p } }

// WithTimeout bounds each request, and each lazy load, that has no deadline.
func WithTimeout(d time.Duration) Option { return func(s *Settings) { s.Timeout = d } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(s *Settings) { s.UserAgent = ua } }

// WithPageSize sets the default page size of collections (by default the
// largest the provider's pager allows: 200 on DigitalOcean).
func WithPageSize(n int) Option { return func(s *Settings) { s.PageSize = n } }

// WithConcurrency bounds the requests a collection or batch keeps in flight.
func WithConcurrency(n int) Option { return func(s *Settings) { s.Concurrency = n } }

// WithWaitInterval sets the waiters' shortest and longest poll delays.
func WithWaitInterval(min, max time.Duration) Option {
	return func(s *Settings) { s.WaitMin, s.WaitMax = min, max }
}

// WithWaitTime bounds every wait: 0 keeps DefaultWaitTime, a negative d
// waits until the context ends.
func WithWaitTime(d time.Duration) Option { return func(s *Settings) { s.WaitTime = d } }

// WithCache uses c as the cache. Without a cache option a client uses
// the process's shared DefaultCache.
func WithCache(c Cache) Option {
	return func(s *Settings) { s.Cache = c; s.CacheBudget = 0; s.NoCache = false }
}

// WithCacheBudget gives the client a MemoryCache of its own that holds at
// most bytes (as MemoryCache accounts them), instead of the process's
// shared DefaultCache: a client that reads a lot neither shrinks nor
// floods the other clients' cache. To resize the shared cache itself, use
// DefaultCache().SetBudget. bytes <= 0 keeps the shared cache.
func WithCacheBudget(bytes int64) Option {
	return func(s *Settings) { s.Cache = nil; s.CacheBudget = max(bytes, 0); s.NoCache = false }
}

// WithoutCache turns caching off: every read goes to the API.
func WithoutCache() Option { return func(s *Settings) { s.NoCache = true } }

// WithMaxBody bounds the size of an answer, after decompression (default
// 32 MiB). A larger answer is refused with an error that matches
// ErrBodyTooLarge (and ErrMalformed); the memory a client uses for one
// answer grows with the bytes that arrive, never with what the server
// announces.
func WithMaxBody(n int64) Option { return func(s *Settings) { s.MaxBody = n } }

// WithCacheTTL sets the default lifetime of cached answers.
func WithCacheTTL(d time.Duration) Option { return func(s *Settings) { s.CacheTTL = d } }

// WithRateLimit brakes the client to r requests per second with a burst.
func WithRateLimit(r rate.Limit, burst int) Option {
	return func(s *Settings) { s.RateLimit, s.RateBurst = r, burst }
}

// WithRateWindows sets the rate windows the client keeps to, in place of
// the provider's documented ones; with none, the client keeps to no
// window of its own (it still honours the server's quota and 429s).
func WithRateWindows(ws ...transport.Window) Option {
	return func(s *Settings) { s.RateWindows = append([]transport.Window{}, ws...) }
}

// WithClock sets the local clock that timestamped signatures read (OVH,
// enStratus). Tests use it to run a client whose clock is off.
func WithClock(now func() time.Time) Option { return func(s *Settings) { s.Now = now } }

// WithCredential sets one credential by the provider's own name.
func WithCredential(name, value string) Option {
	return func(s *Settings) {
		if s.Credentials == nil {
			s.Credentials = map[string]string{}
		}
		s.Credentials[name] = value
	}
}

// WithCredentials sets several credentials at once (from a loader).
func WithCredentials(m map[string]string) Option {
	return func(s *Settings) {
		for k, v := range m {
			WithCredential(k, v)(s)
		}
	}
}

// WithFleet shares the client's cache and its rate budget with the other
// processes of a fleet (transport/fleet keeps both in Redis): answers read
// by one worker serve all, a write by one is seen by all, and the
// provider's windows are spent once for the whole fleet. WithCache, when
// also given, replaces the fleet's cache; WithoutCache turns caching off.
func WithFleet(f transport.Fleet) Option { return func(s *Settings) { s.Fleet = f } }
