package ovh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	wire "github.com/stratus-cloud/stratus/transport/ovh"
	"github.com/tidwall/gjson"
)

// The credential names, as in ovh.conf. "url" (or "endpoint") is the API
// base: an alias such as ovh-eu, or a URL.
const (
	CredApplicationKey    = wire.KeyApplicationKey
	CredApplicationSecret = wire.KeyApplicationSecret
	CredConsumerKey       = wire.KeyConsumerKey
	CredEndpoint          = wire.KeyEndpoint
	CredURL               = "url"
)

// Provider is OVH's registry entry.
var Provider = &stratus.Provider{
	Name:        wire.Name,
	Kinds:       kinds,
	Credentials: []string{CredApplicationKey, CredApplicationSecret, CredConsumerKey},
	Secret:      []string{CredApplicationKey, CredApplicationSecret, CredConsumerKey},
	Transport:   transportConfig,
	Env:         env,
}

// New builds an OVH client. Pass Credentials(...) (or FromConfig) and any
// stratus options.
func New(opts ...stratus.Option) (*stratus.Client, error) { return stratus.New(Provider, opts...) }

// Credentials sets the application key, its secret and the consumer key
// (which may be empty until RequestConsumerKey gives one).
func Credentials(appKey, appSecret, consumerKey string) stratus.Option {
	return stratus.WithCredentials(map[string]string{
		CredApplicationKey: appKey, CredApplicationSecret: appSecret, CredConsumerKey: consumerKey,
	})
}

// Endpoint chooses the API: an alias (ovh-eu, ovh-ca, ovh-us, kimsufi-eu,
// kimsufi-ca, soyoustart-eu, soyoustart-ca, runabove-ca) or a URL.
func Endpoint(e string) stratus.Option { return stratus.WithCredential(CredEndpoint, e) }

// FromConfig reads ovh.conf (/etc/ovh.conf, ~/.ovh.conf, ./ovh.conf,
// merged per key) and the OVH_* variables, as the official clients do, and
// returns the options for New. getenv is usually os.Getenv.
func FromConfig(getenv func(string) string) ([]stratus.Option, error) {
	return Provider.FromEnv(getenv)
}

func env(getenv func(string) string) (map[string]string, error) {
	cr, err := wire.Loader{Getenv: getenv}.Load()
	if ce, ok := errors.AsType[*wire.ConfigError](err); ok && ce.Nothing {
		return nil, fmt.Errorf("%w: %w", stratus.ErrNoCredentials, err)
	}
	if err != nil {
		return nil, err
	}
	return map[string]string{
		CredEndpoint:          cr.Endpoint,
		CredApplicationKey:    string(cr.ApplicationKey),
		CredApplicationSecret: string(cr.ApplicationSecret),
		CredConsumerKey:       string(cr.ConsumerKey),
	}, nil
}

func transportConfig(s *stratus.Settings) (transport.Config, error) {
	cr := wire.Credentials{
		Endpoint:          s.Credentials[CredEndpoint],
		ApplicationKey:    wire.Secret(s.Credentials[CredApplicationKey]),
		ApplicationSecret: wire.Secret(s.Credentials[CredApplicationSecret]),
		ConsumerKey:       wire.Secret(s.Credentials[CredConsumerKey]),
	}
	if u := s.Credentials[CredURL]; u != "" {
		cr.Endpoint = u
	}
	if s.BaseURL != "" {
		cr.Endpoint = s.BaseURL
	}
	if err := wire.Validate(cr, false, false); err != nil {
		return transport.Config{}, err
	}
	cfg, _, err := wire.Config(cr, wire.Options{Now: s.Now})
	if err != nil {
		return transport.Config{}, err
	}
	cfg.UserAgent = "stratus-ovh"
	return cfg, nil
}

// Raw calls, in python-ovh's shape: client.get('/me'),
// client.put(path, status='active'). Paths are relative to the endpoint
// ("/me"), or start with /v1/ or /v2/ for those branches. The answer is
// the raw JSON (an empty result for a void answer).

// Get sends a signed GET with params in the query string.
func Get(ctx context.Context, c *stratus.Client, path string, params url.Values) (gjson.Result, error) {
	return c.Do(ctx, http.MethodGet, path, params, nil)
}

// Post sends a signed POST with body (any value, encoded as compact JSON;
// nil sends no body).
func Post(ctx context.Context, c *stratus.Client, path string, body any) (gjson.Result, error) {
	return send(ctx, c, http.MethodPost, path, nil, body)
}

// Put sends a signed PUT with body.
func Put(ctx context.Context, c *stratus.Client, path string, body any) (gjson.Result, error) {
	return send(ctx, c, http.MethodPut, path, nil, body)
}

// Delete sends a signed DELETE with params in the query string.
func Delete(ctx context.Context, c *stratus.Client, path string, params url.Values) (gjson.Result, error) {
	return c.Do(ctx, http.MethodDelete, path, params, nil)
}

func send(ctx context.Context, c *stratus.Client, method, path string, params url.Values, body any) (gjson.Result, error) {
	if body == nil {
		return c.Do(ctx, method, path, params, nil)
	}
	return c.DoJSON(ctx, method, path, params, body)
}

// Params builds a query from pairs, as python-ovh's keyword arguments:
// Params("fieldType", "A", "subDomain", "www"). Booleans are written
// "true"/"false" by the caller; an odd trailing key is ignored.
func Params(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

// ServerTime returns the API's clock (GET /auth/time, unsigned).
func ServerTime(ctx context.Context, c *stratus.Client) (int64, error) {
	return wire.ServerTime(ctx, c.Transport())
}
