// Package oldpage keeps how a list page was split before transport.ScanPage
// walked it once: the reference the scan is held to (FuzzPageScan's
// oracle) and measured against (BenchmarkDecodePage and the comparison
// program's "before" figure). Nothing in the library calls it.
package oldpage

import (
	"strings"

	"github.com/tidwall/gjson"
)

// SplitList returns the list at key in one walk over a top-level object,
// with an object of the other members; a key that is a path, or no key,
// is read the plain way.
func SplitList(body gjson.Result, key string) (list, rest gjson.Result) {
	if key == "" {
		return body, gjson.Result{}
	}
	if !body.IsObject() || strings.ContainsAny(key, ".*?|#@\\") {
		return body.Get(key), body
	}
	var b strings.Builder
	b.WriteByte('{')
	body.ForEach(func(k, v gjson.Result) bool {
		if k.Str == key && !list.Exists() {
			list = v
			return true
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(k.Raw)
		b.WriteByte(':')
		b.WriteString(v.Raw)
		return true
	})
	b.WriteByte('}')
	return list, gjson.Parse(b.String())
}
