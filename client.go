package stratus

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// RateLimit is the provider's rate-limit state from the last response.
type RateLimit struct {
	Limit     int
	Remaining int
	Reset     time.Time
}

// Client is a connection to one provider account. It is safe for
// concurrent use; build one per account and share it.
type Client struct {
	provider *Provider
	settings Settings
	t        *transport.Client
	cache    Cache
	flight   flightGroup
	account  string // the stable account identity cache keys begin with
	rate     atomic.Pointer[RateLimit]
	meta     atomic.Pointer[gjson.Result]
	secrets  []string
}

// DefaultConcurrency is how many requests a collection (pages ahead, loads
// of id-list items) or a batch keeps in flight unless WithConcurrency says
// otherwise. Thirty-two sends the 49 pages after the first of a
// 10,000-droplet listing in two rounds, within 1.5x of its floor at 20 ms
// of latency (docs/performance.md), while a DigitalOcean burst window of
// 250 requests is spent no faster than 32 at a time; every request still
// passes the client's rate limiter. Memory does not follow it: a listing
// reads at most AheadBytes of answers ahead of its loop, and the others
// wait unread in their connections.
const DefaultConcurrency = 32

// New builds a client for provider p.
func New(p *Provider, opts ...Option) (*Client, error) {
	s := Settings{
		Timeout:     60 * time.Second,
		Concurrency: DefaultConcurrency,
		WaitMin:     2 * time.Second,
		WaitMax:     30 * time.Second,
		CacheTTL:    30 * time.Second,
	}
	for _, o := range opts {
		if o != nil { // a nil option (a conditional one left unset) sets nothing
			o(&s)
		}
	}
	if s.MaxBody < 0 {
		return nil, &Error{Provider: p.Name, Op: "new client", Message: "negative body limit", Kind: ErrInvalid}
	}
	if s.Concurrency <= 0 {
		s.Concurrency = 1
	}
	if p.Transport == nil {
		return nil, fmt.Errorf("stratus: provider %s has no transport", p.Name)
	}
	cfg, err := p.Transport(&s)
	if err != nil {
		return nil, err
	}
	c := &Client{provider: p, settings: s}
	for _, name := range p.Secret {
		if v := s.Credentials[name]; v != "" {
			c.secrets = append(c.secrets, v)
		}
	}
	cfg.Secrets = append(cfg.Secrets, c.secrets...)
	if cfg.Provider == "" {
		cfg.Provider = p.Name
	}
	if s.BaseURL != "" {
		cfg.BaseURL = s.BaseURL
	}
	if s.HTTPClient != nil {
		cfg.HTTPClient = s.HTTPClient
	}
	if s.Logger != nil {
		cfg.Logger = s.Logger
	}
	if s.UserAgent != "" {
		cfg.UserAgent = s.UserAgent + " " + cfg.UserAgent
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "stratus"
	}
	cfg.Retry = s.Retry
	if s.MaxBody > 0 {
		cfg.MaxBody = s.MaxBody
	}
	cfg.Timeout = s.Timeout
	if s.RateWindows != nil {
		cfg.Windows = s.RateWindows
	}
	if s.RateLimit > 0 {
		cfg.Throttle, cfg.Burst = s.RateLimit, s.RateBurst
	}
	if p.Rate != nil && cfg.Quota == nil {
		// The rate-limit headers are read once per answer: for
		// LastRateLimit and for the transport's quota gate, which keeps
		// the client under the quota instead of running into 429s.
		cfg.Quota = func(h http.Header) (int, time.Time, bool) {
			rl, ok := p.Rate(h)
			if !ok {
				return 0, time.Time{}, false
			}
			c.storeRate(&rl)
			return rl.Remaining, rl.Reset, true
		}
	}
	c.account = accountID(p.Name, cfg.BaseURL, s.Credentials)
	if s.Fleet != nil {
		// The fleet shares the account's own windows; the windows of
		// single endpoints stay with each process's limiter (a spender
		// is not told the path).
		var shared []transport.Window
		for _, w := range cfg.Windows {
			if w.Path == "" && w.Method == "" {
				shared = append(shared, w)
			}
		}
		cfg.Spender = s.Fleet.Spender(c.account, shared)
	}
	if c.t, err = transport.New(cfg); err != nil {
		return nil, err
	}
	switch {
	case s.NoCache:
	case s.Cache != nil:
		c.cache = s.Cache
	case s.Fleet != nil && s.Fleet.Cache() != nil:
		c.cache = s.Fleet.Cache()
	case s.CacheBudget > 0:
		c.cache = NewBoundedCache(s.CacheBudget)
	default:
		c.cache = DefaultCache()
	}
	return c, nil
}

// Open builds a client for a registered provider by name.
func Open(name string, opts ...Option) (*Client, error) {
	p, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	return New(p, opts...)
}

// Provider returns the client's provider.
func (c *Client) Provider() *Provider { return c.provider }

// Settings returns a copy of the client's settings, credentials redacted.
func (c *Client) Settings() Settings {
	s := c.settings
	s.BaseURL = c.t.RedactURLString(s.BaseURL)
	s.Credentials = map[string]string{}
	for k, v := range c.settings.Credentials {
		switch {
		case slices.Contains(c.provider.Secret, k):
			v = transport.Redacted
		case strings.Contains(v, "://"):
			v = c.t.RedactURLString(v) // an endpoint may carry a password
		}
		s.Credentials[k] = v
	}
	return s
}

// BaseURL returns the endpoint.
func (c *Client) BaseURL() string { return c.t.BaseURL() }

// Transport returns the underlying wire client, for provider packages.
func (c *Client) Transport() *transport.Client { return c.t }

// storeRate keeps the latest rate-limit state. Answers overtake one
// another when requests run concurrently: within one window the lowest
// remaining count is the latest.
func (c *Client) storeRate(rl *RateLimit) {
	for {
		cur := c.rate.Load()
		if cur != nil && rl.Reset.Sub(cur.Reset).Abs() < time.Second && rl.Limit == cur.Limit && rl.Remaining > cur.Remaining {
			return
		}
		if c.rate.CompareAndSwap(cur, rl) {
			return
		}
	}
}

// LastRateLimit returns the rate-limit state of the last response that
// carried one (nil before any).
func (c *Client) LastRateLimit() *RateLimit { return c.rate.Load() }

// LastResponse returns the last complete response (any status), or nil.
func (c *Client) LastResponse() *transport.Response { return c.t.Last() }

// LastMeta returns the metadata of the last answer that carried one
// (DigitalOcean's "meta" object of list pages, through collections or Do);
// an empty result before any.
func (c *Client) LastMeta() gjson.Result {
	if m := c.meta.Load(); m != nil {
		return *m
	}
	return gjson.Result{}
}

// Redact removes the client's secrets from s.
func (c *Client) Redact(s string) string { return c.t.Redact(s) }

// String describes the client: provider and endpoint, never a credential.
func (c *Client) String() string {
	return fmt.Sprintf("stratus.Client(%s %s)", c.provider.Name, c.BaseURL())
}

// GoString is String: %#v of a client must not walk its settings (which
// hold the credentials) nor read state that requests in flight write.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb (%v, %+v, %#v, %s, %q...).
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	fmt.Fprint(f, c.String())
}

// ctx applies the client's default timeout when ctx has no deadline.
func (c *Client) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok || c.settings.Timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.settings.Timeout)
}
