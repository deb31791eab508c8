package enstratus

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	wire "github.com/stratus-cloud/stratus/transport/enstratus"
)

// Name is the provider's registry name.
const Name = wire.Name

// The credential names. "url" (or "endpoint") is the full base URL with
// the version: https://api.enstratus.com/api/enstratus/2012-06-15.
const (
	CredAccessKey = "access_key"
	CredSecretKey = "secret_key"
	CredURL       = "url"
	CredEndpoint  = "endpoint"
)

// UserAgent is the User-Agent the client sends, and signs.
const UserAgent = "stratus-enstratus"

// Provider is enStratus's registry entry.
var Provider = &stratus.Provider{
	Name:        Name,
	Kinds:       kinds,
	Credentials: []string{CredAccessKey, CredSecretKey},
	Secret:      []string{CredAccessKey, CredSecretKey},
	Transport:   transportConfig,
	Env:         env,
}

// New builds an enStratus client. Pass Keys(...) (or the options of
// FromEnv) and any stratus options; stratus.WithBaseURL or Endpoint point
// it at another endpoint, version included.
func New(opts ...stratus.Option) (*stratus.Client, error) { return stratus.New(Provider, opts...) }

// Keys sets the API access key and secret key.
func Keys(access, secret string) stratus.Option {
	return stratus.WithCredentials(map[string]string{
		CredAccessKey: strings.TrimSpace(access), CredSecretKey: strings.TrimSpace(secret),
	})
}

// Endpoint sets the base URL, version included
// ("https://api.enstratus.com/api/enstratus/2012-06-15").
func Endpoint(url string) stratus.Option { return stratus.WithCredential(CredURL, url) }

// FromEnv returns the options that the environment gives, read as mixcoatl
// reads it (DCM_* then ES_*: ACCESS_KEY, SECRET_KEY, API_VERSION,
// ENDPOINT; see transport/enstratus.LoadEnv). getenv is usually os.Getenv.
func FromEnv(getenv func(string) string) ([]stratus.Option, error) {
	return Provider.FromEnv(getenv)
}

func env(getenv func(string) string) (map[string]string, error) {
	cr, err := wire.LoadEnv(getenv)
	if err != nil {
		for _, v := range []string{wire.EnvAccessKey, wire.EnvSecretKey, wire.EnvDCMAccessKey, wire.EnvDCMSecretKey} {
			if getenv(v) != "" {
				return nil, err // some are set: report what is wrong
			}
		}
		return nil, fmt.Errorf("%w: %w", stratus.ErrNoCredentials, err)
	}
	return map[string]string{
		CredAccessKey: string(cr.AccessKey),
		CredSecretKey: string(cr.SecretKey),
		CredURL:       cr.Endpoint,
	}, nil
}

// endpointOf picks the base URL: the client's base URL, else the "url" or
// "endpoint" credential, else the public API at the default version.
func endpointOf(s *stratus.Settings) string {
	for _, u := range []string{s.BaseURL, s.Credentials[CredURL], s.Credentials[CredEndpoint]} {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			return u
		}
	}
	return wire.Endpoint("", "")
}

func transportConfig(s *stratus.Settings) (transport.Config, error) {
	cr := wire.Credentials{
		AccessKey: wire.Secret(strings.TrimSpace(s.Credentials[CredAccessKey])),
		SecretKey: wire.Secret(strings.TrimSpace(s.Credentials[CredSecretKey])),
		Endpoint:  endpointOf(s),
	}
	if cr.AccessKey == "" || cr.SecretKey == "" {
		return transport.Config{}, &stratus.Error{Provider: Name, Message: "no API keys: use enstratus.Keys or FromEnv", Kind: stratus.ErrUnauthorized}
	}
	cr.Version, _ = wire.VersionOf(cr.Endpoint)
	return transport.Config{
		Provider:    Name,
		BaseURL:     cr.Endpoint,
		UserAgent:   UserAgent,
		Header:      http.Header{"Accept": {"application/json"}},
		Signer:      wire.Signer(cr, s.Now),
		DecodeError: wire.DecodeError,
	}, nil
}
