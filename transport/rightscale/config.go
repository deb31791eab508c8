package rightscale

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/stratus-cloud/stratus/transport"
)

// Name is the provider's registry name.
const Name = "rightscale"

// DefaultEndpoint is the shard the API is reached at when nothing says
// otherwise. Accounts live on a shard (us-3, us-4); the OAuth endpoint
// does not redirect, so a refresh token must be used on its own shard.
const DefaultEndpoint = "https://us-3.rightscale.com"

// Version is the API version every call names.
const Version = "1.5"

// Headers of the protocol.
const (
	HeaderVersion = "X-Api-Version" // mandatory on every call
	HeaderAccount = "X-Account"     // optional: the account the call acts on
)

// Prefix is where every API path starts.
const Prefix = "/api"

// Secret is a credential (the refresh token, an access token), hidden
// from every printout.
type Secret = transport.Secret

const redacted = transport.Redacted

// Credentials are what a client needs: the shard's endpoint (scheme and
// host, "https://us-3.rightscale.com"), a refresh token, and optionally the
// account the calls act on (sent as X-Account).
type Credentials struct {
	Endpoint     string
	RefreshToken Secret
	AccountID    string
}

// ErrNoConfig is matched (errors.Is) when the rc file does not exist or
// names no refresh token.
var ErrNoConfig = errors.New("rightscale: no configuration")

// ErrBadConfig is matched by a present but unusable configuration.
var ErrBadConfig = errors.New("rightscale: invalid configuration")

// RCFile is the configuration file python-rightscale reads, in the home
// directory.
const RCFile = ".rightscalerc"

// LoadRC reads ~/.rightscalerc, home being getenv("HOME"). See ParseRC.
// A missing file is an error matching ErrNoConfig.
func LoadRC(getenv func(string) string) (Credentials, error) {
	home := getenv("HOME")
	if home == "" {
		return Credentials{}, fmt.Errorf("%w: HOME is not set", ErrNoConfig)
	}
	path := filepath.Join(home, RCFile)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return Credentials{}, fmt.Errorf("%w: no %s", ErrNoConfig, path)
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("%w: %s: %v", ErrBadConfig, path, err)
	}
	defer f.Close()
	return ParseRC(io.LimitReader(f, 1<<20))
}

// ParseRC reads an INI file the way python-rightscale's ConfigParser use
// does: section [OAuth], keys api_endpoint (with its scheme: paths are
// appended to it) and refresh_token; an optional account_id is read too.
// Keys are case-insensitive, "=" or ":" separate them from values, lines
// starting with "#" or ";" are comments, and other sections ([Testing])
// are ignored. No refresh token is an error matching ErrNoConfig; an
// endpoint that is not an absolute http(s) URL matches ErrBadConfig. The
// endpoint defaults to DefaultEndpoint. Errors never quote the token.
func ParseRC(r io.Reader) (Credentials, error) {
	var c Credentials
	section := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				return Credentials{}, fmt.Errorf("%w: line %d: unclosed section header", ErrBadConfig, n)
			}
			section = strings.TrimSpace(line[1:end])
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i < 0 {
			return Credentials{}, fmt.Errorf("%w: line %d: expected key = value", ErrBadConfig, n)
		}
		if !strings.EqualFold(section, "OAuth") {
			continue
		}
		key, val := strings.ToLower(strings.TrimSpace(line[:i])), strings.TrimSpace(line[i+1:])
		switch key {
		case "api_endpoint":
			c.Endpoint = strings.TrimRight(val, "/")
		case "refresh_token":
			c.RefreshToken = Secret(val)
		case "account_id":
			c.AccountID = val
		}
	}
	if err := sc.Err(); err != nil {
		return Credentials{}, fmt.Errorf("%w: %v", ErrBadConfig, err)
	}
	if c.RefreshToken == "" {
		return Credentials{}, fmt.Errorf("%w: [OAuth] refresh_token is not set", ErrNoConfig)
	}
	if c.Endpoint == "" {
		c.Endpoint = DefaultEndpoint
	}
	if err := CheckEndpoint(c.Endpoint); err != nil {
		return Credentials{}, err
	}
	return c, nil
}

// CheckEndpoint says whether e is usable as an endpoint: an absolute
// http(s) URL whose path, if any, is not under /api (paths are appended).
func CheckEndpoint(e string) error {
	u, err := url.Parse(e)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: api_endpoint must be an absolute http(s) URL with its scheme", ErrBadConfig)
	}
	return nil
}
