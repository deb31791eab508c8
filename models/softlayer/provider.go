package softlayer

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
)

// Name is the provider's registry name.
const Name = wire.Name

// Credential names, as softlayer-python's configuration spells them.
const (
	CredUsername = "username"
	CredAPIKey   = "api_key"
	CredURL      = "url"          // the endpoint; "endpoint_url" is read too
	CredEndpoint = "endpoint_url" // softlayer-python's key
	CredTimeout  = "timeout"      // seconds; sets the client's default timeout
)

// UserAgent is the User-Agent sent before the client's own.
const UserAgent = "stratus-softlayer"

// Provider is SoftLayer in the registry.
var Provider = &stratus.Provider{
	Name:        Name,
	Kinds:       kinds,
	Credentials: []string{CredUsername, CredAPIKey, CredURL},
	Secret:      []string{CredAPIKey},
	Transport:   transportConfig,
	Env:         env,
}

func init() { stratus.Register(Provider) }

// New builds a SoftLayer client. Pass Credentials(...) (or the options of
// FromEnv) and any stratus options. The endpoint decides the protocol: a
// URL with /xmlrpc/ speaks XML-RPC, any other REST (the default is
// wire.PublicREST); stratus.WithBaseURL or Endpoint point it elsewhere.
func New(opts ...stratus.Option) (*stratus.Client, error) { return stratus.New(Provider, opts...) }

// Credentials sets the API username and key.
func Credentials(username, apiKey string) stratus.Option {
	return stratus.WithCredentials(map[string]string{
		CredUsername: strings.TrimSpace(username), CredAPIKey: strings.TrimSpace(apiKey),
	})
}

// Endpoint sets the endpoint URL ("https://api.softlayer.com/xmlrpc/v3.1").
func Endpoint(u string) stratus.Option { return stratus.WithCredential(CredURL, u) }

// FromEnv returns the options the configuration gives, read as the SDKs'
// users have it: SL_USERNAME, SL_API_KEY, SL_ENDPOINT_URL and SL_TIMEOUT,
// then the [softlayer] section of ~/.softlayer (HOME from getenv). With
// nothing configured the error matches stratus.ErrNoCredentials.
func FromEnv(getenv func(string) string) ([]stratus.Option, error) {
	opts, err := Provider.FromEnv(getenv)
	if err != nil {
		return nil, err
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	if c, err := load(getenv); err == nil && c.Timeout > 0 {
		opts = append(opts, stratus.WithTimeout(c.Timeout))
	}
	return opts, nil
}

func load(getenv func(string) string) (wire.Credentials, error) {
	var file []byte
	if home := getenv("HOME"); home != "" {
		b, err := os.ReadFile(filepath.Join(home, ".softlayer"))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return wire.Credentials{}, &wire.ConfigError{Source: "~/.softlayer", Problem: "cannot be read"}
		}
		file = b
	}
	return wire.LoadConfig(getenv, file)
}

func env(getenv func(string) string) (map[string]string, error) {
	c, err := load(getenv)
	if err != nil {
		if errors.Is(err, wire.ErrNoConfig) {
			return nil, fmt.Errorf("%w: %w", stratus.ErrNoCredentials, err)
		}
		return nil, err
	}
	m := map[string]string{CredUsername: c.Username, CredAPIKey: string(c.APIKey)}
	if c.Endpoint != "" {
		m[CredURL] = c.Endpoint
	}
	if c.Timeout > 0 {
		m[CredTimeout] = strconv.FormatFloat(c.Timeout.Seconds(), 'f', -1, 64)
	}
	return m, nil
}

func endpointOf(s *stratus.Settings) string {
	for _, u := range []string{s.BaseURL, s.Credentials[CredURL], s.Credentials[CredEndpoint]} {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			return u
		}
	}
	return wire.DefaultEndpoint
}

// transportConfig builds the wire configuration: Basic auth for REST; for
// XML-RPC, the round tripper that speaks it beneath the REST-shaped
// requests (the authenticate header carries the key).
func transportConfig(s *stratus.Settings) (transport.Config, error) {
	user := strings.TrimSpace(s.Credentials[CredUsername])
	key := wire.Secret(strings.TrimSpace(s.Credentials[CredAPIKey]))
	if user == "" || key == "" {
		return transport.Config{}, &stratus.Error{Provider: Name, Message: "no username or API key: use softlayer.Credentials or FromEnv", Kind: stratus.ErrUnauthorized}
	}
	if t := s.Credentials[CredTimeout]; t != "" {
		if f, err := strconv.ParseFloat(t, 64); err == nil && f > 0 {
			s.Timeout = time.Duration(f * float64(time.Second))
		}
	}
	ep := endpointOf(s)
	cfg := transport.Config{
		Provider:    Name,
		BaseURL:     ep,
		UserAgent:   UserAgent,
		Header:      http.Header{"Accept": {"application/json"}},
		DecodeError: wire.DecodeError,
		RetryHint:   wire.RetryHint,
	}
	if wire.ProtocolOf(ep) == wire.REST {
		cfg.Signer = wire.BasicAuth(user, key)
		return cfg, nil
	}
	u, err := url.Parse(ep)
	if err != nil {
		return transport.Config{}, &stratus.Error{Provider: Name, Message: "bad endpoint URL", Kind: stratus.ErrInvalid}
	}
	var inner http.RoundTripper
	if s.HTTPClient != nil {
		inner = s.HTTPClient.Transport
	}
	// The client's innermost layer becomes the XML-RPC round tripper over
	// the caller's transport.
	s.HTTPClient = &http.Client{Transport: &wire.XMLRPC{Next: inner, BasePath: u.Path, Auth: wire.Auth{Username: user, APIKey: key}}}
	cfg.DecodeBody = wire.DecodeBody
	return cfg, nil
}

// OverXMLRPC makes the client speak XML-RPC at the endpoint it was given:
// "/rest/" in the endpoint URL becomes "/xmlrpc/" (the public and private
// endpoints, v3 and v3.1, are laid out alike). Put it after the options
// that set the endpoint.
func OverXMLRPC() stratus.Option {
	return func(s *stratus.Settings) {
		swap := func(u string) string {
			if u == "" {
				return u
			}
			return strings.Replace(u, "/rest/", "/xmlrpc/", 1)
		}
		if s.BaseURL == "" && s.Credentials[CredURL] == "" && s.Credentials[CredEndpoint] == "" {
			s.BaseURL = wire.PublicXMLRPC
			return
		}
		s.BaseURL = swap(s.BaseURL)
		if s.Credentials != nil {
			for _, k := range []string{CredURL, CredEndpoint} {
				if v := s.Credentials[k]; v != "" {
					s.Credentials[k] = swap(v)
				}
			}
		}
	}
}
