package digitalocean

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	wire "github.com/stratus-cloud/stratus/transport/digitalocean"
)

// Provider is DigitalOcean's registry entry.
var Provider = &stratus.Provider{
	Name:        wire.Name,
	Kinds:       kinds,
	Credentials: []string{"token"},
	Secret:      []string{"token"},
	Transport:   transportConfig,
	Rate:        rateLimit,
	MetaPath:    "meta",
	Env:         env,
}

// New builds a DigitalOcean client. Pass Token(...) and any stratus options.
func New(opts ...stratus.Option) (*stratus.Client, error) { return stratus.New(Provider, opts...) }

// Token sets the API token.
func Token(t string) stratus.Option { return stratus.WithCredential("token", wire.CleanToken(t)) }

// FromEnv returns the options that LoadEnv finds (token and endpoint).
// getenv is usually os.Getenv.
func FromEnv(getenv func(string) string) ([]stratus.Option, error) {
	return Provider.FromEnv(getenv)
}

func env(getenv func(string) string) (map[string]string, error) {
	creds, err := wire.LoadEnv(getenv)
	if errors.Is(err, wire.ErrNoToken) {
		return nil, fmt.Errorf("%w: %w", stratus.ErrNoCredentials, err)
	}
	if err != nil {
		return nil, err
	}
	m := map[string]string{"token": string(creds.Token)}
	if creds.BaseURL != "" {
		m["url"] = creds.BaseURL
	}
	return m, nil
}

func transportConfig(s *stratus.Settings) (transport.Config, error) {
	tok := wire.Token(wire.CleanToken(s.Credentials["token"]))
	if tok == "" {
		return transport.Config{}, &stratus.Error{Provider: wire.Name, Message: "no API token: use digitalocean.Token or FromEnv", Kind: stratus.ErrUnauthorized}
	}
	base := wire.DefaultBaseURL
	if u := s.Credentials["url"]; u != "" {
		base = u
	}
	return transport.Config{
		Provider:    wire.Name,
		BaseURL:     base,
		UserAgent:   "stratus-digitalocean",
		Header:      http.Header{"Accept": {"application/json"}},
		Signer:      wire.Signer(tok),
		DecodeError: wire.DecodeError,
		Windows:     wire.Windows,
	}, nil
}

func rateLimit(h http.Header) (stratus.RateLimit, bool) {
	r, ok := wire.ParseRate(h)
	return stratus.RateLimit{Limit: r.Limit, Remaining: r.Remaining, Reset: r.Reset}, ok
}
