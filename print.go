package stratus

import (
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus/transport"
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
	complete := writeJSONBounded(&b, gjson.Parse(raw), r.kind.Secret, len(raw))
	b.WriteByte('\n')
	if _, err := io.WriteString(w, r.c.Redact(b.String())); err != nil {
		return err
	}
	if !complete {
		return &Error{Provider: r.c.provider.Name, Op: "print " + r.kind.Name, Message: "printout cut short: the object is too large or too deeply nested to indent", Kind: ErrMalformed}
	}
	return nil
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

// WriteJSON writes v indented, redacting the values of secret keys. The
// printout is bounded: indentation stops growing past printDepth levels,
// and a printout that would pass printBudget(len(v.Raw)) bytes is cut
// short with a marker; WriteJSON reports whether it is complete.
func WriteJSON(b *strings.Builder, v gjson.Result, secret []string) bool {
	return writeJSONBounded(b, v, secret, len(v.Raw))
}

// printDepth is the deepest level that gets its own indentation; deeper
// levels print at that indentation. Without it a printout grows with the
// square of the nesting (125 MB from a 15 KB answer).
const printDepth = 32

// printBudget bounds the printout of an n-byte object: indenting a normal
// object multiplies its size a few times at most.
func printBudget(n int) int { return 8*n + 64<<10 }

func writeJSONBounded(b *strings.Builder, v gjson.Result, secret []string, n int) bool {
	p := &printer{b: b, limit: b.Len() + printBudget(n), secret: secret}
	p.write(v, 0)
	if p.cut {
		b.WriteString("\n... (printout cut short)")
	}
	return !p.cut
}

type printer struct {
	b      *strings.Builder
	limit  int
	cut    bool
	secret []string
}

func (p *printer) newline(depth int) {
	p.b.WriteByte('\n')
	for i := 0; i < min(depth, printDepth); i++ {
		p.b.WriteString("  ")
	}
}

func (p *printer) write(v gjson.Result, depth int) {
	if p.cut {
		return
	}
	if p.b.Len() > p.limit || depth > transport.MaxDepth {
		p.cut = true
		return
	}
	b, secret := p.b, p.secret
	switch {
	case v.IsObject():
		b.WriteByte('{')
		first := true
		v.ForEach(func(k, x gjson.Result) bool {
			if !first {
				b.WriteByte(',')
			}
			first = false
			p.newline(depth + 1)
			b.WriteString(k.Raw)
			b.WriteString(": ")
			if isSecret(k.String(), secret) && x.Type != gjson.Null {
				b.WriteString(`"[redacted]"`)
			} else {
				p.write(x, depth+1)
			}
			return !p.cut
		})
		if !first && !p.cut {
			p.newline(depth)
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
			p.newline(depth + 1)
			p.write(x, depth+1)
			return !p.cut
		})
		if !first && !p.cut {
			p.newline(depth)
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
