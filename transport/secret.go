package transport

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"github.com/tidwall/gjson"
)

// Redacted is what every printout shows in place of a secret.
const Redacted = "[redacted]"

// Secret is a credential: an API token, a key, an application secret, a
// consumer key, an OAuth refresh or access token. Whatever prints or logs
// it (fmt with any verb, slog with either handler, encoding/json,
// encoding/xml, text marshalling) sees "[redacted]"; only an explicit
// conversion, string(s), reads the value, which is what signers do.
type Secret string

// String hides the value.
func (Secret) String() string { return Redacted }

// GoString hides the value from %#v.
func (Secret) GoString() string { return `"` + Redacted + `"` }

// Format hides the value from every verb (%s, %v, %q, %x, %d...).
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprint(f, `"`+Redacted+`"`)
	case 'v':
		if f.Flag('#') {
			fmt.Fprint(f, s.GoString())
			return
		}
		fmt.Fprint(f, Redacted)
	default:
		fmt.Fprint(f, Redacted)
	}
}

// LogValue keeps the value out of slog records.
func (Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalText hides the value from encoders that use text (JSON keys and
// values, XML, YAML libraries).
func (Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// MarshalJSON hides the value from encoding/json.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// Empty says whether no value is set, without reading it.
func (s Secret) Empty() bool { return s == "" }

// SecretQuery names the query parameters whose values are redacted in every
// URL the client shows (logs, Response.URL, errors), whatever the provider.
var SecretQuery = []string{"token", "access_token", "api_key", "apikey", "key", "secret", "client_secret", "signature", "password", "passwd", "refresh_token"}

// minSecret is the shortest string treated as a secret: a shorter one would
// redact ordinary words from every message.
const minSecret = 4

// redactor replaces known secrets in text. Secrets can be added while
// requests run (tokens minted at run time); readers take a snapshot.
type redactor struct {
	mu      sync.Mutex
	secrets []string
	r       *strings.Replacer
}

func newRedactor(secrets []string) *redactor {
	rd := &redactor{}
	rd.add(secrets...)
	return rd
}

func (rd *redactor) add(secrets ...string) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	changed := false
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		dup := false
		for _, old := range rd.secrets {
			if old == s {
				dup = true
				break
			}
		}
		if !dup {
			rd.secrets = append(rd.secrets, s)
			// Query-escaped forms appear in URLs and echoed requests.
			if e := url.QueryEscape(s); e != s {
				rd.secrets = append(rd.secrets, e)
			}
			changed = true
		}
	}
	if changed || rd.r == nil {
		pairs := make([]string, 0, 2*len(rd.secrets))
		for _, s := range rd.secrets {
			pairs = append(pairs, s, Redacted)
		}
		rd.r = strings.NewReplacer(pairs...)
	}
}

func (rd *redactor) replace(s string) string {
	rd.mu.Lock()
	r, secrets := rd.r, rd.secrets
	rd.mu.Unlock()
	// Most text holds no secret: looking costs no allocation, where the
	// replacer copies every string it is given.
	for _, sec := range secrets {
		if strings.Contains(s, sec) {
			return r.Replace(s)
		}
	}
	return s
}

// AddSecret registers credentials made while the client runs (an OAuth
// access token when it is issued or refreshed, a session key) so that no
// later log line, error or Response.URL shows them. Token sources call it
// as they mint a credential. A per-request signature need not be
// registered: it would grow the redactor with every call, and it is
// worthless once its timestamp has passed. Strings shorter than four bytes
// are ignored. Safe for concurrent use.
func (c *Client) AddSecret(secrets ...string) { c.redact.add(secrets...) }

// RedactURL returns u as text with its password and the values of secret
// query parameters (SecretQuery, and the provider's RedactQuery) hidden,
// and any known secret replaced.
func (c *Client) RedactURL(u *url.URL) string { return c.redactURL(u) }

// RedactURLString is RedactURL for a URL given as text; text that does not
// parse as a URL has only the known secrets replaced.
func (c *Client) RedactURLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return c.Redact(s)
	}
	return c.redactURL(u)
}

// MaxDepth is the deepest nesting of arrays and objects accepted in an
// answer. Real API answers nest a few levels; a bound keeps every
// recursive reader (validation, decoders, printouts) off the stack's end.
const MaxDepth = 128

// DepthOK says, in one linear pass without recursion, whether b nests
// arrays and objects no deeper than max. It does not validate: brackets
// inside strings are skipped, anything else is counted as it comes.
func DepthOK(b []byte, max int) bool {
	depth := 0
	in := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if in {
			switch c {
			case '\\':
				i++
			case '"':
				in = false
			}
			continue
		}
		switch c {
		case '"':
			in = true
		case '[', '{':
			if depth++; depth > max {
				return false
			}
		case ']', '}':
			depth--
		}
	}
	return true
}

// ValidJSON says whether b is valid JSON nested no deeper than MaxDepth.
// Every decoder of answers checks it before parsing.
func ValidJSON(b []byte) bool { return DepthOK(b, MaxDepth) && gjson.ValidBytes(b) }

// redactParams hides the value of every name=value pair in s whose name
// is a secret query parameter, wherever it stands in the text.
func (c *Client) redactParams(s string) string {
	if strings.IndexByte(s, '=') < 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for j := 0; j < len(s); j++ {
		if s[j] != '=' {
			continue
		}
		k := j
		for k > 0 && paramNameByte(s[k-1]) {
			k--
		}
		if k == j || (k > 0 && strings.IndexByte("?&; \t\r\n\"'(,", s[k-1]) < 0) || !secretParam(s[k:j], c.cfg.RedactQuery) {
			continue
		}
		e := j + 1
		for e < len(s) && strings.IndexByte("&#; \t\r\n\"')<>,", s[e]) < 0 {
			e++
		}
		if e == j+1 || s[j+1:e] == Redacted {
			continue
		}
		b.WriteString(s[last : j+1])
		b.WriteString(Redacted)
		last, j = e, e-1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func paramNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}
