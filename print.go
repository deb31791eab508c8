package stratus

import (
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// String describes the handle without loading it.
func (r *Resource) String() string {
	state := ""
	switch st := r.st.Load(); {
	case st == nil:
		state = " (not loaded)"
	case st.partial:
		state = " (partial)"
	}
	// An id may be a credential (an API key's id is its access key).
	return r.c.Redact(fmt.Sprintf("%s %s %s%s", r.c.provider.Name, r.kind.Name, r.ID(), state))
}

// Pprint writes the object as indented JSON, loading it first, with secret
// fields and the client's credentials redacted. If the object cannot be
// loaded it writes null and returns the error.
func (r *Resource) Pprint(w io.Writer) error {
	raw := r.JSON()
	if raw == "" {
		_, err := io.WriteString(w, "null\n")
		if le := r.LastError(); le != nil {
			return le
		}
		return err
	}
	var b strings.Builder
	writeJSON(&b, gjson.Parse(raw), "", r.kind.Secret)
	b.WriteByte('\n')
	_, err := io.WriteString(w, r.c.Redact(b.String()))
	return err
}

// secretNames are field names redacted in every kind.
var secretNames = []string{"password", "passwd", "root_password", "admin_pass", "adminpass", "secret", "secret_key", "secretkey", "token", "access_token", "refresh_token", "private_key", "privatekey", "api_key", "apikey", "application_secret", "consumer_key", "signature", "authorization"}

// IsSecret reports whether a field of that name has its value redacted by
// Pprint: one of the common secret names, or one of extra (a kind's list).
func IsSecret(name string, extra []string) bool { return isSecret(name, extra) }

func isSecret(name string, extra []string) bool {
	l := strings.ToLower(name)
	for _, s := range extra {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	for _, s := range secretNames {
		if l == s {
			return true
		}
	}
	return false
}

// WriteJSON writes v indented, redacting the values of secret keys.
func WriteJSON(b *strings.Builder, v gjson.Result, secret []string) {
	writeJSON(b, v, "", secret)
}

func writeJSON(b *strings.Builder, v gjson.Result, indent string, secret []string) {
	switch {
	case v.IsObject():
		b.WriteByte('{')
		first := true
		v.ForEach(func(k, x gjson.Result) bool {
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString("\n" + indent + "  ")
			b.WriteString(k.Raw)
			b.WriteString(": ")
			if isSecret(k.String(), secret) && x.Type != gjson.Null {
				b.WriteString(`"[redacted]"`)
			} else {
				writeJSON(b, x, indent+"  ", secret)
			}
			return true
		})
		if !first {
			b.WriteString("\n" + indent)
		}
		b.WriteByte('}')
	case v.IsArray():
		b.WriteByte('[')
		first := true
		v.ForEach(func(_, x gjson.Result) bool {
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString("\n" + indent + "  ")
			writeJSON(b, x, indent+"  ", secret)
			return true
		})
		if !first {
			b.WriteString("\n" + indent)
		}
		b.WriteByte(']')
	case v.Type == gjson.String && strings.Contains(v.Str, "://") && strings.ContainsRune(v.Str, '?'):
		b.WriteString(strconv.Quote(redactURL(v.Str, secret)))
	default:
		if v.Raw == "" {
			b.WriteString("null")
		} else {
			b.WriteString(v.Raw)
		}
	}
}

// redactURL hides the values of secret query parameters in a URL held in
// a field (OVH's bill URLs carry ?passwd=...), keeping the rest as it is.
func redactURL(s string, secret []string) string {
	i := strings.IndexByte(s, '?')
	query, frag, _ := strings.Cut(s[i+1:], "#")
	parts := strings.Split(query, "&")
	changed := false
	for j, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); err == nil && isSecret(name, secret) {
			parts[j] = k + "=[redacted]"
			changed = true
		}
	}
	if !changed {
		return s
	}
	out := s[:i+1] + strings.Join(parts, "&")
	if frag != "" || strings.Contains(s[i+1:], "#") {
		out += "#" + frag
	}
	return out
}

// LoadAll loads many handles at once, with at most the client's
