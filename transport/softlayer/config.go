package softlayer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport"
)

// Name is the provider's registry name.
const Name = "softlayer"

// Endpoints of the API. The transport is chosen by the URL: one that
// contains /xmlrpc/ speaks XML-RPC, any other REST.
const (
	PublicREST     = "https://api.softlayer.com/rest/v3.1"
	PrivateREST    = "https://api.service.softlayer.com/rest/v3.1"
	PublicXMLRPC   = "https://api.softlayer.com/xmlrpc/v3.1"
	PrivateXMLRPC  = "https://api.service.softlayer.com/xmlrpc/v3.1"
	PublicRESTv3   = "https://api.softlayer.com/rest/v3"
	PublicXMLRPCv3 = "https://api.softlayer.com/xmlrpc/v3"
)

// DefaultEndpoint is used when the configuration names none.
const DefaultEndpoint = PublicREST

// Environment variables read by LoadConfig (softlayer-go's names; the
// SOFTLAYER_* spellings are read too).
const (
	EnvUsername = "SL_USERNAME"
	EnvAPIKey   = "SL_API_KEY"
	EnvEndpoint = "SL_ENDPOINT_URL"
	EnvTimeout  = "SL_TIMEOUT"
)

// Protocol is the wire format of an endpoint.
type Protocol int

// The two protocols.
const (
	REST Protocol = iota
	XMLRPCProtocol
)

func (p Protocol) String() string {
	if p == XMLRPCProtocol {
		return "xmlrpc"
	}
	return "rest"
}

// ProtocolOf says which protocol an endpoint URL speaks: XML-RPC when its
// path has an /xmlrpc segment, REST otherwise.
func ProtocolOf(endpoint string) Protocol {
	p := endpoint
	if u, err := url.Parse(endpoint); err == nil && u.Path != "" {
		p = u.Path
	}
	if strings.Contains(p+"/", "/xmlrpc/") {
		return XMLRPCProtocol
	}
	return REST
}

// Secret is the API key: the project's one secret type, redacted in
// every printing, logging and marshalling path.
type Secret = transport.Secret

// Credentials are what a SoftLayer client needs.
type Credentials struct {
	Username string // the API user, "SL12345"; not a secret
	APIKey   Secret
	Endpoint string        // base URL, no trailing slash; DefaultEndpoint when empty
	Timeout  time.Duration // 0: none set
}

// ErrNoConfig is matched by the error of LoadConfig when nothing at all is
// configured (no variable, no file entry).
var ErrNoConfig = errors.New("softlayer: no configuration")

// ConfigError names the setting at fault and where it came from. It never
// carries the key.
type ConfigError struct {
	Source  string // "SL_TIMEOUT", "~/.softlayer"
	Problem string
}

func (e *ConfigError) Error() string { return "softlayer: " + e.Source + ": " + e.Problem }

// LoadConfig reads the settings the way softlayer-python and softlayer-go
// users have them: the variables SL_USERNAME, SL_API_KEY, SL_ENDPOINT_URL
// and SL_TIMEOUT (or their SOFTLAYER_* spellings) through getenv, then the
// [softlayer] section of the file that readFile returns (username,
// api_key, endpoint_url, timeout; the caller passes ~/.softlayer's bytes,
// or nil when there is none). A variable wins over the file, key by key.
// A timeout is in seconds, fractions allowed; 0 means none.
//
// With nothing configured the error matches ErrNoConfig; a username
// without a key (or the reverse) is a *ConfigError.
func LoadConfig(getenv func(string) string, file []byte) (Credentials, error) {
	var c Credentials
	ini, err := ParseINI(file)
	if err != nil {
		return c, err
	}
	sec := ini["softlayer"]
	get := func(env, alt, key string) (string, string) {
		for _, v := range []string{env, alt} {
			if s := strings.TrimSpace(getenv(v)); s != "" {
				return s, v
			}
		}
		if s := strings.TrimSpace(sec[key]); s != "" {
			return s, "~/.softlayer " + key
		}
		return "", ""
	}
	user, _ := get(EnvUsername, "SOFTLAYER_USERNAME", "username")
	key, _ := get(EnvAPIKey, "SOFTLAYER_API_KEY", "api_key")
	ep, epSrc := get(EnvEndpoint, "SOFTLAYER_ENDPOINT_URL", "endpoint_url")
	to, toSrc := get(EnvTimeout, "SOFTLAYER_TIMEOUT", "timeout")
	if user == "" && key == "" && ep == "" && to == "" {
		return c, ErrNoConfig
	}
	switch {
	case user == "" && key == "":
		return c, fmt.Errorf("%w: no username and no API key", ErrNoConfig)
	case user == "":
		return c, &ConfigError{Source: EnvUsername + " / ~/.softlayer username", Problem: "an API key is set but no username"}
	case key == "":
		return c, &ConfigError{Source: EnvAPIKey + " / ~/.softlayer api_key", Problem: "a username is set but no API key"}
	}
	c.Username, c.APIKey = user, Secret(key)
	if ep != "" {
		u, err := url.Parse(ep)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, &ConfigError{Source: epSrc, Problem: "not an absolute http(s) URL"}
		}
		c.Endpoint = strings.TrimRight(ep, "/")
	}
	if to != "" {
		f, err := strconv.ParseFloat(to, 64)
		if err != nil || f < 0 || f > 1e6 {
			return c, &ConfigError{Source: toSrc, Problem: "not a number of seconds"}
		}
		c.Timeout = time.Duration(f * float64(time.Second))
	}
	return c, nil
}

// ParseINI reads an INI text into sections of keys (both lower-cased).
// "key = value" and "key: value" are accepted, # and ; start comments,
// keys before any section are ignored. A line that is neither a section,
// a key nor a comment is a *ConfigError naming its number.
func ParseINI(b []byte) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	var cur map[string]string
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
				return nil, &ConfigError{Source: "~/.softlayer", Problem: "line " + strconv.Itoa(n) + ": unclosed section"}
			}
			name := strings.ToLower(strings.TrimSpace(line[1:end]))
			if out[name] == nil {
				out[name] = map[string]string{}
			}
			cur = out[name]
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i <= 0 {
			return nil, &ConfigError{Source: "~/.softlayer", Problem: "line " + strconv.Itoa(n) + ": not a key = value line"}
		}
		if cur != nil {
			cur[strings.ToLower(strings.TrimSpace(line[:i]))] = strings.TrimSpace(line[i+1:])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ConfigError{Source: "~/.softlayer", Problem: "line " + strconv.Itoa(n+1) + ": too long"}
	}
	return out, nil
}
