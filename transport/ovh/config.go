package ovh

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/stratus-cloud/stratus/transport"
)

// The configuration keys, as in ovh.conf and (upper-cased, prefixed with
// OVH_) in the environment.
const (
	KeyEndpoint          = "endpoint"
	KeyApplicationKey    = "application_key"
	KeyApplicationSecret = "application_secret"
	KeyConsumerKey       = "consumer_key"
	KeyClientID          = "client_id"
	KeyClientSecret      = "client_secret"
	KeyAccessToken       = "access_token"
)

// DefaultFiles are the configuration files every official client reads,
// lowest priority first: /etc/ovh.conf, ~/.ovh.conf, ./ovh.conf.
func DefaultFiles() []string {
	files := []string{"/etc/ovh.conf"}
	if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".ovh.conf"))
	}
	return append(files, "ovh.conf")
}

// Loader reads the configuration the way the official clients do: every
// file in order, merged key by key (a later file overrides single keys of
// an earlier one), then OVH_* variables on top, then Endpoint.
type Loader struct {
	Files    []string                     // nil: DefaultFiles()
	Getenv   func(string) string          // nil: no environment
	ReadFile func(string) ([]byte, error) // nil: os.ReadFile
	Endpoint string                       // an explicit endpoint wins over files and environment
}

// ErrConfig is matched by every configuration error.
var ErrConfig = errors.New("ovh: configuration")

// ConfigError is a configuration error: a malformed file or a missing or
// half-given credential. It never holds a credential value.
type ConfigError struct {
	File string // the file at fault, if any
	Msg  string
	// Nothing says that no credential was found at all (as opposed to a
	// half-given one).
	Nothing bool
}

func (e *ConfigError) Error() string {
	if e.File != "" {
		return "ovh: cannot load configuration " + e.File + ": " + e.Msg
	}
	return "ovh: " + e.Msg
}

// Is makes errors.Is(err, ErrConfig) and errors.Is(err, ErrInvalid) hold.
func (e *ConfigError) Is(target error) bool {
	return target == ErrConfig || target == transport.ErrInvalid
}

// Load returns the credentials for the endpoint chosen by, in order:
// l.Endpoint, OVH_ENDPOINT, [default] endpoint=, and "ovh-eu". The keys are
// read from the section named by that endpoint (an alias or a URL).
func (l Loader) Load() (Credentials, error) {
	files := l.Files
	if files == nil {
		files = DefaultFiles()
	}
	read := l.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	merged := map[string]map[string]string{}
	for _, f := range files {
		data, err := read(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return Credentials{}, &ConfigError{File: f, Msg: "cannot read: " + err.Error()}
		}
		secs, err := ParseINI(data)
		if err != nil {
			return Credentials{}, &ConfigError{File: f, Msg: err.Error()}
		}
		for name, kv := range secs {
			if merged[name] == nil {
				merged[name] = map[string]string{}
			}
			for k, v := range kv {
				merged[name][k] = v
			}
		}
	}
	getenv := l.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	env := func(k string) string { return strings.TrimSpace(getenv("OVH_" + strings.ToUpper(k))) }

	endpoint := l.Endpoint
	if endpoint == "" {
		endpoint = env(KeyEndpoint)
	}
	if endpoint == "" {
		endpoint = merged["default"][KeyEndpoint]
	}
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	sec := merged[endpoint]
	get := func(k string) string {
		if v := env(k); v != "" {
			return v
		}
		return sec[k]
	}
	cr := Credentials{
		Endpoint:          endpoint,
		ApplicationKey:    Secret(get(KeyApplicationKey)),
		ApplicationSecret: Secret(get(KeyApplicationSecret)),
		ConsumerKey:       Secret(get(KeyConsumerKey)),
	}
	if _, err := ResolveEndpoint(endpoint); err != nil {
		return cr, &ConfigError{Msg: fmt.Sprintf("unknown endpoint %q", endpoint)}
	}
	return cr, Validate(cr, get(KeyClientID) != "" || get(KeyClientSecret) != "", get(KeyAccessToken) != "")
}

// Validate applies the official clients' rules: the application key and
// secret go together, and some credential must be given. OAuth2 client
// credentials and access tokens are recognised but not supported.
func Validate(cr Credentials, oauth2, accessToken bool) error {
	switch {
	case (cr.ApplicationKey == "") != (cr.ApplicationSecret == ""):
		return &ConfigError{Msg: "invalid authentication config, both application_key and application_secret must be given"}
	case cr.ApplicationKey != "":
		return nil
	case oauth2 || accessToken:
		return &ConfigError{Msg: "OAuth2 client credentials and access tokens are not supported; give application_key and application_secret"}
	}
	return &ConfigError{Nothing: true, Msg: "missing authentication information, you need to provide application_key and application_secret (and a consumer_key, or request one)"}
}

// ParseINI reads an INI file into sections of keys: "[section]" headers,
// "key=value" (or "key: value") lines, ";" and "#" comments. Keys before
// any header belong to "default". Keys are lower-cased.
func ParseINI(data []byte) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	section := "default"
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		switch {
		case line == "" || line[0] == ';' || line[0] == '#':
			continue
		case line[0] == '[':
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("line %d: unclosed section", n)
			}
			section = strings.TrimSpace(line[1 : len(line)-1])
			if section == "" {
				return nil, fmt.Errorf("line %d: empty section name", n)
			}
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i <= 0 {
			return nil, fmt.Errorf("line %d: expected key=value", n)
		}
		k := strings.ToLower(strings.TrimSpace(line[:i]))
		v := strings.TrimSpace(line[i+1:])
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		if out[section] == nil {
			out[section] = map[string]string{}
		}
		out[section][k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
