package enstratus

import (
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
)

// Uncamel turns an API name into mixcoatl's snake_case attribute name. It
// applies mixcoatl's rule exactly: the regular expression
//
//	(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))
//
// puts "_" before every upper-case letter that follows a lower-case one or
// that is followed by something other than an upper-case letter or the end
// of the name; the result is lower-cased and stripped of leading and
// trailing "_". So cloudProviderConsoleURL is cloud_provider_console_url,
// hasCloudAPIAccess is has_cloud_api_access, computeX509CertLabel is
// compute_x509_cert_label and dataCenterId is data_center_id. Only ASCII
// letters count as upper or lower case, as in the expression.
func Uncamel(name string) string {
	isUpper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	isLower := func(c byte) bool { return c >= 'a' && c <= 'z' }
	var b strings.Builder
	b.Grow(len(name) + 4)
	for i := 0; i < len(name); i++ {
		c := name[i]
		if isUpper(c) {
			afterLower := i > 0 && isLower(name[i-1])
			beforeOther := i+1 < len(name) && !isUpper(name[i+1])
			if afterLower || beforeOther {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return strings.Trim(strings.ToLower(b.String()), "_")
}

// Field reads a field of any handle of this package (or any resource) by
// a dotted path whose parts may be spelled as the API does (camelCase:
// "dataCenter.dataCenterId") or as mixcoatl does (snake_case:
// "data_center.data_center_id"), mixed at will. Array indexes and other
// gjson syntax ("firewalls.0.firewallId", "firewalls.#") pass through.
//
// It loads the object when it holds none, or when the data held (a list
// item) lacks the field. A field the object does not have gives an empty
// result.
func Field(o stratus.Object, name string) gjson.Result {
	r := o.Handle()
	if held := r.Peek("@this"); held.Exists() {
		if p, ok := resolvePath(held, name); ok {
			return r.Get(p)
		}
		if !r.Partial() {
			return gjson.Result{}
		}
	}
	if r.JSON() == "" {
		return gjson.Result{}
	}
	held := r.Peek("@this")
	p, ok := resolvePath(held, name)
	if !ok {
		return gjson.Result{}
	}
	return held.Get(p)
}

// resolvePath rewrites a dotted path into the API's spelling by looking at
// the keys of v: a part that is a key stays, a part that is the snake_case
// form of a key becomes that key. ok is false when a part matches nothing.
func resolvePath(v gjson.Result, name string) (string, bool) {
	if name == "" {
		return "", false
	}
	parts := strings.Split(name, ".")
	cur := v
	for i, part := range parts {
		switch {
		case part == "":
			return "", false
		case cur.IsArray() || strings.ContainsAny(part, "#*?@|\\!=<>%"):
			// gjson syntax or an index: leave it to gjson.
			cur = cur.Get(part)
		case cur.IsObject():
			if x := cur.Get(part); x.Exists() {
				cur = x
				continue
			}
			found := false
			cur.ForEach(func(k, x gjson.Result) bool {
				if Uncamel(k.Str) == part {
					parts[i], cur, found = k.Str, x, true
					return false
				}
				return true
			})
			if !found {
				return "", false
			}
		default:
			return "", false
		}
	}
	if !cur.Exists() {
		return "", false
	}
	return strings.Join(parts, "."), true
}
