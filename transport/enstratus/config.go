package enstratus

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport"
)

// Name is the provider's registry name.
const Name = "enstratus"

// DefaultVersion is the API version used when the configuration names none.
const DefaultVersion = "2012-06-15"

// DefaultHost is the scheme and host of the public API (mixcoatl up to 2014).
const DefaultHost = "https://api.enstratus.com"

// BasePrefix is the path under which every API version is mounted; the
// version follows it: /api/enstratus/2012-06-15.
const BasePrefix = "/api/enstratus/"

// DefaultUserAgent is the User-Agent a Signer sends and signs when the
// request carries none.
const DefaultUserAgent = "stratus"

// Environment variables read by LoadEnv. The DCM_* names (mixcoatl 2015)
// win over the ES_* names (mixcoatl 2012-2014), one variable at a time.
const (
	EnvAccessKey  = "ES_ACCESS_KEY"
	EnvSecretKey  = "ES_SECRET_KEY"
	EnvAPIVersion = "ES_API_VERSION"
	EnvEndpoint   = "ES_ENDPOINT"

	EnvDCMAccessKey  = "DCM_ACCESS_KEY"
	EnvDCMSecretKey  = "DCM_SECRET_KEY"
	EnvDCMAPIVersion = "DCM_API_VERSION"
	EnvDCMEndpoint   = "DCM_ENDPOINT"
)

// Secret is the API secret key: the one secret type of every provider,
// which no printout, log record or encoding shows; use string(s) where the
// bytes are needed.
type Secret = transport.Secret

// Credentials are what an enStratus client needs.
type Credentials struct {
	AccessKey Secret // x-esauth-access: it names the key pair, and is kept out of printouts too
	SecretKey Secret // the HMAC key
	// Endpoint is the full base URL including /api/enstratus/<version>,
	// with no trailing slash. Every request path is relative to it, and the
	// path signed is the one actually requested.
	Endpoint string
	// Version is the API version the configuration names. It is
	// informational: requests go to Endpoint, whatever this says.
	Version string
}

// ErrMissingKey is matched (errors.Is) by a *ConfigError for a missing
// access or secret key.
var ErrMissingKey = errors.New("enstratus: missing API key")

// ErrBadConfig is matched by a *ConfigError for a value that is present but
// unusable (a malformed version or endpoint).
var ErrBadConfig = errors.New("enstratus: invalid configuration")

// ConfigError names the environment variable at fault. It never carries a
// secret value.
type ConfigError struct {
	Var     string // the variable, e.g. "ES_ACCESS_KEY"
	Missing bool   // true: the variable (and its DCM_/ES_ twin) is unset
	Problem string // for a bad value: what is wrong with it
}

func (e *ConfigError) Error() string {
	if e.Missing {
		return "enstratus: missing " + e.Var + " (or " + twin(e.Var) + ")"
	}
	return "enstratus: " + e.Var + ": " + e.Problem
}

// Unwrap makes errors.Is(err, ErrMissingKey) and errors.Is(err,
// ErrBadConfig) work.
func (e *ConfigError) Unwrap() error {
	if e.Missing {
		return ErrMissingKey
	}
	return ErrBadConfig
}

func twin(v string) string {
	if s, ok := strings.CutPrefix(v, "DCM_"); ok {
		return "ES_" + s
	}
	if s, ok := strings.CutPrefix(v, "ES_"); ok {
		return "DCM_" + s
	}
	return v
}

// LoadEnv reads the credentials the way mixcoatl does, through getenv
// (os.Getenv in programs, a map lookup in tests). An empty value counts as
// unset.
//
//   - Each setting is read from its DCM_* variable, else from its ES_* twin
//     (mixcoatl 2015 copies ES_* into DCM_* only where DCM_* is unset).
//   - The access key and then the secret key are required; a missing one is
//     a *ConfigError naming ES_ACCESS_KEY or ES_SECRET_KEY.
//   - Version: ES_API_VERSION when set (it must look like YYYY-MM-DD).
//     Otherwise, when ES_ENDPOINT is set, the last segment of its path, which
//     must then be a YYYY-MM-DD date (mixcoatl 2014 raised "Incorrect data
//     format, should be YYYY-MM-DD"). Otherwise DefaultVersion.
//   - Endpoint: ES_ENDPOINT used as given (trailing slashes removed); the
//     version is never appended to it, because the two settings are not
//     cumulative. Otherwise DefaultHost + BasePrefix + version.
//
// When both ES_ENDPOINT and ES_API_VERSION are set, this follows mixcoatl
// 2014 exactly: Version is ES_API_VERSION and Endpoint is ES_ENDPOINT
// unchanged. mixcoatl then signed with /api/enstratus/<ES_API_VERSION> while
// requesting the endpoint's path, so a disagreement made every request fail;
// stratus signs the path it requests, so requests go to the endpoint's
// version and Version only reports what was configured.
func LoadEnv(getenv func(string) string) (Credentials, error) {
	get := func(dcm, es string) (string, string) {
		if v := strings.TrimSpace(getenv(dcm)); v != "" {
			return v, dcm
		}
		if v := strings.TrimSpace(getenv(es)); v != "" {
			return v, es
		}
		return "", es
	}
	var c Credentials
	access, accessVar := get(EnvDCMAccessKey, EnvAccessKey)
	if access == "" {
		return c, &ConfigError{Var: accessVar, Missing: true}
	}
	secret, secretVar := get(EnvDCMSecretKey, EnvSecretKey)
	if secret == "" {
		return c, &ConfigError{Var: secretVar, Missing: true}
	}
	c.AccessKey, c.SecretKey = Secret(access), Secret(secret)

	version, versionVar := get(EnvDCMAPIVersion, EnvAPIVersion)
	endpoint, endpointVar := get(EnvDCMEndpoint, EnvEndpoint)
	endpoint = strings.TrimRight(endpoint, "/")
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, &ConfigError{Var: endpointVar, Problem: "not an absolute http(s) URL"}
		}
	}
	switch {
	case version != "":
		if !validVersion(version) {
			return c, &ConfigError{Var: versionVar, Problem: "incorrect format, should be YYYY-MM-DD"}
		}
	case endpoint != "":
		v, ok := VersionOf(endpoint)
		if !ok {
			return c, &ConfigError{Var: endpointVar, Problem: "the last path segment must be the API version (YYYY-MM-DD) when " + versionVar + " is unset"}
		}
		version = v
	default:
		version = DefaultVersion
	}
	if endpoint == "" {
		endpoint = Endpoint(DefaultHost, version)
	}
	c.Endpoint, c.Version = endpoint, version
	return c, nil
}

// Endpoint builds the base URL of a version: Endpoint("https://h", "2012-06-15")
// is "https://h/api/enstratus/2012-06-15". An empty host means DefaultHost,
// an empty version DefaultVersion.
func Endpoint(host, version string) string {
	host = strings.TrimRight(host, "/")
	if host == "" {
		host = DefaultHost
	}
	if version == "" {
		version = DefaultVersion
	}
	return host + BasePrefix + version
}

// VersionOf returns the API version an endpoint names: the last segment of
// its path, when that is a YYYY-MM-DD date. A trailing slash is ignored.
func VersionOf(endpoint string) (string, bool) {
	p := endpoint
	if u, err := url.Parse(endpoint); err == nil {
		p = u.Path
	}
	p = strings.TrimRight(p, "/")
	seg := p[strings.LastIndexByte(p, '/')+1:]
	if !validVersion(seg) {
		return "", false
	}
	return seg, true
}

// validVersion reports whether s is a real date written YYYY-MM-DD.
func validVersion(s string) bool {
	if len(s) != len("2006-01-02") {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}
