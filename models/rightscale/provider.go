package rightscale

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	wire "github.com/stratus-cloud/stratus/transport/rightscale"
)

// Name is the provider's registry name.
const Name = wire.Name

// The credential names. "url" is the shard's endpoint, scheme included
// ("https://us-3.rightscale.com"); account_id is optional (sent as
// X-Account).
const (
	CredRefreshToken = "refresh_token"
	CredAccountID    = "account_id"
	CredURL          = "url"
)

// Provider is RightScale's registry entry.
var Provider = &stratus.Provider{
	Name:        Name,
	Kinds:       generatedKinds,
	Credentials: []string{CredRefreshToken, CredAccountID},
	Secret:      []string{CredRefreshToken},
	Transport:   transportConfig,
	Env:         env,
}

func init() { stratus.Register(Provider) }

// New builds a RightScale client. Pass RefreshToken(...) (or the options
// of FromRC) and any stratus options; stratus.WithBaseURL or Endpoint
// point it at a shard.
func New(opts ...stratus.Option) (*stratus.Client, error) { return stratus.New(Provider, opts...) }

// RefreshToken sets the OAuth refresh token.
func RefreshToken(t string) stratus.Option {
	return stratus.WithCredential(CredRefreshToken, strings.TrimSpace(t))
}

// AccountID sets the account the calls act on (X-Account).
func AccountID(id string) stratus.Option {
	return stratus.WithCredential(CredAccountID, strings.TrimSpace(id))
}

// Endpoint sets the shard's endpoint, scheme included.
func Endpoint(u string) stratus.Option { return stratus.WithCredential(CredURL, strings.TrimSpace(u)) }

// FromRC returns the options that ~/.rightscalerc gives ([OAuth]
// api_endpoint and refresh_token), home being getenv("HOME").
func FromRC(getenv func(string) string) ([]stratus.Option, error) { return Provider.FromEnv(getenv) }

func env(getenv func(string) string) (map[string]string, error) {
	cr, err := wire.LoadRC(getenv)
	if errors.Is(err, wire.ErrNoConfig) {
		return nil, fmt.Errorf("%w: %w", stratus.ErrNoCredentials, err)
	}
	if err != nil {
		return nil, err
	}
	m := map[string]string{CredRefreshToken: string(cr.RefreshToken), CredURL: cr.Endpoint}
	if cr.AccountID != "" {
		m[CredAccountID] = cr.AccountID
	}
	return m, nil
}

// auths remembers each client's Auth (by its transport), for Shard and
// for the tests that count refreshes.
var auths sync.Map // *transport.Client -> *wire.Auth

func transportConfig(s *stratus.Settings) (transport.Config, error) {
	endpoint := wire.DefaultEndpoint
	for _, u := range []string{s.BaseURL, s.Credentials[CredURL]} {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			endpoint = u
			break
		}
	}
	acct := strings.TrimSpace(s.Credentials[CredAccountID])
	for _, ch := range acct {
		if ch < '0' || ch > '9' {
			return transport.Config{}, &stratus.Error{Provider: Name, Message: "account_id must be a positive integer", Kind: stratus.ErrInvalid}
		}
	}
	cr := wire.Credentials{Endpoint: endpoint, RefreshToken: wire.Secret(strings.TrimSpace(s.Credentials[CredRefreshToken])), AccountID: acct}
	if cr.RefreshToken == "" {
		return transport.Config{}, &stratus.Error{Provider: Name, Message: "no refresh token: use rightscale.RefreshToken or FromRC", Kind: stratus.ErrUnauthorized}
	}
	var hc *http.Client
	if s.HTTPClient != nil {
		hc = s.HTTPClient
	}
	auth, err := wire.NewAuth(cr, hc, s.Now)
	if err != nil {
		return transport.Config{}, err
	}
	return transport.Config{
		Provider:    Name,
		BaseURL:     endpoint,
		UserAgent:   "stratus-rightscale",
		Header:      http.Header{"Accept": {"application/json"}, wire.HeaderVersion: {wire.Version}},
		Signer:      auth,
		RetryHint:   auth.RetryHint,
		Observe:     auth.Observe,
		DecodeError: wire.DecodeError,
		DecodeBody:  wire.DecodeBody,
		Bind: func(t *transport.Client) {
			auth.OnToken(func(tok string) { t.AddSecret(tok) }) // access tokens join the redactor as they are minted
			auths.Store(t, auth)
		},
	}, nil
}

// AuthOf returns the client's OAuth state (the shard it talks to, the
// refreshes made), or nil for a client of another provider.
func AuthOf(c *stratus.Client) *wire.Auth {
	if a, ok := auths.Load(c.Transport()); ok {
		return a.(*wire.Auth)
	}
	return nil
}

// Shard is the endpoint the client's calls go to now: its base URL until
// a redirect named another shard.
func Shard(c *stratus.Client) string {
	if a := AuthOf(c); a != nil {
		return a.Endpoint()
	}
	return c.BaseURL()
}

// scopeOf is the neutral scope of a kind.
func scopeOf(kind string) string {
	switch kind {
	case "cloud", "datacenter":
		return "geography"
	case "instance", "server", "server_array", "image", "multi_cloud_image", "instance_type", "volume", "volume_snapshot",
		"volume_attachment", "server_template", "deployment", "ssh_key", "placement_group":
		return "infrastructure"
	case "security_group", "security_group_rule", "ip_address", "ip_address_binding", "network", "subnet",
		"route_table", "route", "network_gateway":
		return "network"
	}
	return "admin"
}

// ttlOf is the cache lifetime of a kind's answers: short for what moves
// (instances, tasks), long for what hardly does (clouds, types).
func ttlOf(kind string) time.Duration {
	switch kind {
	case "task":
		return time.Second
	case "instance", "server", "server_array":
		return 15 * time.Second
	case "cloud", "datacenter", "instance_type", "image", "volume_type":
		return 10 * time.Minute
	}
	return time.Minute
}
