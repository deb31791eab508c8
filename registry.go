package stratus

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
	"golang.org/x/sync/singleflight"
	"golang.org/x/time/rate"
)

// Provider describes one cloud API to the registry: its kinds and how to
// build its transport from settings. Provider packages (models/...)
// declare one and Register it in init.
type Provider struct {
	Name  string
	Kinds []*Kind
	// Credentials names the settings the provider reads, in the provider's
	// own words ("token"; "application_key", ...). The REPL, the query tool
	// and the sandbox use them.
	Credentials []string
	// Secret lists which of Credentials are secret (redacted everywhere).
	Secret []string
	// Transport builds the wire configuration from the settings.
	Transport func(s *Settings) (transport.Config, error)
	// Rate reads the provider's rate-limit headers, if it has any.
	Rate func(h http.Header) (RateLimit, bool)
	// MetaPath is where list answers keep their metadata ("meta").
	MetaPath string
	// Env reads the provider's environment variables and config files
	// into credentials. Only loaders call it; constructors never do.
	Env func(getenv func(string) string) (map[string]string, error)
}

// Kind is one resource type of a provider and its routes.
type Kind struct {
	Name     string // "droplet"
	Plural   string // "droplets"
	Scope    string // neutral scope it belongs to: "geography", "infrastructure", "network", "admin"
	ItemPath string // "/v2/droplets/{id}"; "" if items cannot be fetched one by one
	ListPath string // "/v2/droplets"; "" if the kind cannot be listed
	ItemKey  string // gjson path of the object in an item answer ("droplet"; "" = whole body)
	ListKey  string // gjson path of the array in a list answer ("droplets"; "" = whole body)
	IDField  string // gjson path of the id in an object ("id")
	// IDList marks lists that return ids, not objects (OVH): items are
	// partial handles loaded on demand.
	IDList bool
	// Partial marks lists whose objects carry fewer fields than the item
	// answer: reading a missing field loads the whole object.
	Partial bool
	Pager   transport.Pager // nil: SinglePage
	TTL     time.Duration   // cache lifetime of answers; 0: the client default
	Fields  []Field         // documented fields, for the REPL and docs
	Secret  []string        // field names whose values Pprint redacts
	// New wraps a resource into the provider's typed handle.
	New func(r *Resource) Object
	// Provider is set by Register.
	Provider *Provider
}

// Field documents one field of a kind.
type Field struct {
	Name string // snake_case name as the API spells it, a gjson path
	Type string // "int", "string", "bool", "time", "[]string", "object", ...
	Doc  string
}

// Object is what every typed handle is: a view over a Resource.
type Object interface {
	Handle() *Resource
}

var registry struct {
	sync.RWMutex
	m map[string]*Provider
}

// Register makes a provider available by name. It panics on nil, on an
// empty name and on a duplicate, like database/sql.Register.
func Register(p *Provider) {
	if p == nil || p.Name == "" {
		panic("stratus: Register of a nil or unnamed provider")
	}
	registry.Lock()
	defer registry.Unlock()
	if registry.m == nil {
		registry.m = map[string]*Provider{}
	}
	if _, dup := registry.m[p.Name]; dup {
		panic("stratus: Register called twice for provider " + p.Name)
	}
	for _, k := range p.Kinds {
		k.Provider = p
		if k.Pager == nil {
			k.Pager = transport.SinglePage{}
		}
		if k.IDField == "" {
			k.IDField = "id"
		}
	}
	registry.m[p.Name] = p
}

// Providers returns the registered provider names, sorted.
func Providers() []string {
	registry.RLock()
	defer registry.RUnlock()
	names := make([]string, 0, len(registry.m))
	for n := range registry.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup finds a registered provider.
func Lookup(name string) (*Provider, error) {
	registry.RLock()
	p := registry.m[name]
	registry.RUnlock()
	if p == nil {
		return nil, fmt.Errorf("stratus: unknown provider %q (forgotten import?)", name)
	}
	return p, nil
}

// FromEnv runs the provider's loader (Env) with getenv (nil: os.Getenv)
// and returns the client options its credentials make. With nothing
// configured the error matches ErrNoCredentials.
func (p *Provider) FromEnv(getenv func(string) string) ([]Option, error) {
	if p.Env == nil {
		return nil, fmt.Errorf("stratus: %s: %w (the provider has no loader)", p.Name, ErrNoCredentials)
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	creds, err := p.Env(getenv)
	if err != nil {
		return nil, err
	}
	found := false
	for _, name := range p.Credentials {
		found = found || creds[name] != ""
	}
	if !found {
		return nil, fmt.Errorf("stratus: %s: %w", p.Name, ErrNoCredentials)
	}
	var opts []Option
	if u := creds["url"]; u != "" {
		opts = append(opts, WithBaseURL(u))
	}
	return append(opts, WithCredentials(creds)), nil
}

// Kind finds one of the provider's kinds by name or plural.
func (p *Provider) Kind(name string) (*Kind, bool) {
	for _, k := range p.Kinds {
		if k.Name == name || k.Plural == name {
			return k, true
		}
	}
	return nil, false
}

// Settings is everything a client is built from. Options fill it.
type Settings struct {
	BaseURL     string
	HTTPClient  *http.Client
	Logger      *slog.Logger
	Retry       transport.RetryPolicy
	Timeout     time.Duration // default per-request and lazy-load timeout; default 60s
	UserAgent   string
	PageSize    int           // default page size of collections; 0: provider default
	Concurrency int           // requests a collection or batch keeps in flight; default 4
	WaitMin     time.Duration // waiter delays; default 2s (doapi's wait_interval)
	WaitMax     time.Duration // default 30s
	WaitTime    time.Duration // longest wait; 0: until ctx ends
	Cache       Cache         // nil: a new in-memory cache
	NoCache     bool
	CacheTTL    time.Duration // default lifetime of cached answers; default 30s
	RateLimit   rate.Limit    // client-side requests per second; 0: none
	RateBurst   int
	Credentials map[string]string
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

// WithPageSize sets the default page size of collections.
func WithPageSize(n int) Option { return func(s *Settings) { s.PageSize = n } }

// WithConcurrency bounds the requests a collection or batch keeps in flight.
func WithConcurrency(n int) Option { return func(s *Settings) { s.Concurrency = n } }

// WithWaitInterval sets the waiters' shortest and longest poll delays.
func WithWaitInterval(min, max time.Duration) Option {
	return func(s *Settings) { s.WaitMin, s.WaitMax = min, max }
}

// WithWaitTime bounds every wait (0: until the context ends).
func WithWaitTime(d time.Duration) Option { return func(s *Settings) { s.WaitTime = d } }

// WithCache uses c as the cache.
func WithCache(c Cache) Option { return func(s *Settings) { s.Cache = c; s.NoCache = false } }

// WithoutCache turns caching off: every read goes to the API.
func WithoutCache() Option { return func(s *Settings) { s.NoCache = true } }

// WithCacheTTL sets the default lifetime of cached answers.
func WithCacheTTL(d time.Duration) Option { return func(s *Settings) { s.CacheTTL = d } }

// WithRateLimit brakes the client to r requests per second with a burst.
func WithRateLimit(r rate.Limit, burst int) Option {
	return func(s *Settings) { s.RateLimit, s.RateBurst = r, burst }
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
	flight   singleflight.Group
	gen      atomic.Uint64
	id       uint64
	rate     atomic.Pointer[RateLimit]
	meta     atomic.Pointer[gjson.Result]
	secrets  []string
}

var clientIDs atomic.Uint64

// New builds a client for provider p.
func New(p *Provider, opts ...Option) (*Client, error) {
	s := Settings{
		Timeout:     60 * time.Second,
		Concurrency: 4,
		WaitMin:     2 * time.Second,
		WaitMax:     30 * time.Second,
		CacheTTL:    30 * time.Second,
	}
	for _, o := range opts {
		o(&s)
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
	c := &Client{provider: p, settings: s, id: clientIDs.Add(1)}
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
	if c.t, err = transport.New(cfg); err != nil {
		return nil, err
	}
	switch {
	case s.NoCache:
	case s.Cache != nil:
		c.cache = s.Cache
	default:
		c.cache = NewMemoryCache(time.Minute)
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
	s.Credentials = map[string]string{}
	for k, v := range c.settings.Credentials {
		if slices.Contains(c.provider.Secret, k) {
			v = "[redacted]"
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

func (c *Client) String() string {
	return fmt.Sprintf("stratus.Client(%s %s)", c.provider.Name, c.BaseURL())
}

// ctx applies the client's default timeout when ctx has no deadline.
func (c *Client) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok || c.settings.Timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.settings.Timeout)
}

// Do sends a raw request and returns the answer as JSON. params go in the
// query string; body, if not nil, is sent as JSON. It is how the query tool
// reaches paths that no kind describes. A non-GET invalidates the cache.
func (c *Client) Do(ctx context.Context, method, path string, params url.Values, body []byte) (gjson.Result, error) {
	resp, err := c.Send(ctx, &transport.Request{Method: method, Path: path, Query: params, Body: body})
	if err != nil {
		return gjson.Result{}, err
	}
	res, err := c.parse(method, path, resp)
	if err == nil && c.provider.MetaPath != "" && res.IsObject() {
		if m := res.Get(c.provider.MetaPath); m.Exists() {
			c.meta.Store(&m)
		}
	}
	return res, err
}

// DoJSON is Do with a body marshalled from v.
func (c *Client) DoJSON(ctx context.Context, method, path string, params url.Values, v any) (gjson.Result, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return gjson.Result{}, invalid(c.provider.Name, method+" "+path, "cannot encode request body: %v", err)
	}
	return c.Do(ctx, method, path, params, body)
}

// Send is the lowest level: one request through the transport, with the
// client's timeout and cache invalidation on writes.
func (c *Client) Send(ctx context.Context, req *transport.Request) (*transport.Response, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		defer c.invalidate()
	}
	return c.t.Do(ctx, req)
}

// parse checks that a body is JSON (empty is allowed: 204) and wraps it
// without copying.
func (c *Client) parse(method, path string, resp *transport.Response) (gjson.Result, error) {
	body := resp.Body
	if len(body) == 0 {
		return gjson.Result{}, nil
	}
	s := unsafe.String(unsafe.SliceData(body), len(body))
	if !gjson.Valid(s) {
		return gjson.Result{}, &Error{Provider: c.provider.Name, Op: transport.Op(method, path), Status: 200,
			Message: "answer is not valid JSON: " + snippet(s), Kind: ErrMalformed, RequestID: resp.RequestID, Attempts: resp.Attempts}
	}
	return gjson.Parse(s), nil
}

// get reads a GET answer through the cache; concurrent identical reads
// share one request. fresh skips the cache lookup (Reload, waiters).
func (c *Client) get(ctx context.Context, path string, q url.Values, ttl time.Duration, fresh bool) (gjson.Result, http.Header, error) {
	return c.getWith(ctx, path, q, nil, q, ttl, fresh)
}

// getWith is get with request headers: q is sent, hdr added to the
// request, and keyq (q plus whatever state the headers carry) names the
// answer in the cache.
func (c *Client) getWith(ctx context.Context, path string, q url.Values, hdr http.Header, keyq url.Values, ttl time.Duration, fresh bool) (gjson.Result, http.Header, error) {
	raw := ""
	if len(keyq) > 0 {
		raw = keyq.Encode()
	}
	key := c.cacheKey(path, raw)
	if c.cache != nil && !fresh {
		if e, ok := c.cache.Get(key); ok {
			return gjson.Parse(unsafe.String(unsafe.SliceData(e.Body), len(e.Body))), e.Header, nil
		}
	}
	if ttl <= 0 {
		ttl = c.settings.CacheTTL
	}
	flightKey := key
	if fresh {
		flightKey = "fresh " + key
	}
	// The shared request runs detached from any one caller's cancellation
	// (bounded by the client timeout); each caller still stops waiting when
	// its own ctx ends.
	shared := context.WithoutCancel(ctx)
	ch := c.flight.DoChan(flightKey, func() (any, error) {
		resp, err := c.Send(shared, &transport.Request{Method: http.MethodGet, Path: path, Query: q, Header: hdr})
		if err != nil {
			return nil, err
		}
		if _, err := c.parse(http.MethodGet, path, resp); err != nil {
			return nil, err
		}
		e := Entry{Body: resp.Body, Header: resp.Header}
		if c.cache != nil {
			c.cache.Set(key, e, ttl)
		}
		return e, nil
	})
	var res singleflight.Result
	select {
	case res = <-ch:
	case <-ctx.Done():
		return gjson.Result{}, nil, &Error{Provider: c.provider.Name, Op: "GET " + path, Message: "request abandoned", Err: ctx.Err()}
	}
	if res.Err != nil {
		return gjson.Result{}, nil, res.Err
	}
	e := res.Val.(Entry)
	return gjson.Parse(unsafe.String(unsafe.SliceData(e.Body), len(e.Body))), e.Header, nil
}

func snippet(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return fmt.Sprintf("%q", s)
}
