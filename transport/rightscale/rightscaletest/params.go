package rightscaletest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// params are a request's parameters, merged from the query string, a form
// body and a JSON body, with Rails bracket names expanded: "a[b]=1" gives
// {"a":{"b":"1"}}, "a[]=1&a[]=2" gives {"a":["1","2"]} and
// "a[][n]=x&a[][v]=y&a[][n]=z" gives {"a":[{"n":"x","v":"y"},{"n":"z"}]}.
type params map[string]any

// parsePairs reads "k=v&k2=v2" in order (url.ParseQuery would lose the
// order that a[][c] needs).
func parsePairs(raw string, into params) error {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return fmt.Errorf("bad parameter name %q", k)
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return fmt.Errorf("bad value of parameter %q", key)
		}
		if err := into.set(key, val); err != nil {
			return err
		}
	}
	return nil
}

// mergeJSON adds the members of a JSON object body.
func mergeJSON(body []byte, into params) error {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return fmt.Errorf("the body is not a JSON object")
	}
	for k, v := range m {
		if strings.Contains(k, "[") {
			if s, ok := v.(string); ok {
				if err := into.set(k, s); err != nil {
					return err
				}
				continue
			}
		}
		into[k] = v
	}
	return nil
}

// set stores one bracketed name. Nesting is bounded.
func (p params) set(name string, v string) error {
	base, rest, _ := strings.Cut(name, "[")
	if base == "" {
		return fmt.Errorf("bad parameter name %q", name)
	}
	var keys []string
	if rest != "" {
		rest = "[" + rest
		for rest != "" {
			if rest[0] != '[' {
				return fmt.Errorf("bad parameter name %q", name)
			}
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return fmt.Errorf("bad parameter name %q", name)
			}
			keys = append(keys, rest[1:end])
			rest = rest[end+1:]
		}
	}
	if len(keys) > 8 {
		return fmt.Errorf("parameter %q is nested too deeply", name)
	}
	p[base] = normalize(p[base], keys, v)
	return nil
}

// normalize puts v at keys below cur, as Rails does.
func normalize(cur any, keys []string, v string) any {
	if len(keys) == 0 {
		return v
	}
	k, rest := keys[0], keys[1:]
	if k == "" { // an array
		arr, _ := cur.([]any)
		if len(rest) == 0 {
			return append(arr, v)
		}
		// a[][c]: fill the last hash unless it already has c.
		if n := len(arr); n > 0 && len(rest) > 0 && rest[0] != "" {
			if last, ok := arr[n-1].(map[string]any); ok {
				if _, has := last[rest[0]]; !has {
					arr[n-1] = normalize(last, rest, v)
					return arr
				}
			}
		}
		return append(arr, normalize(map[string]any{}, rest, v))
	}
	m, ok := cur.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	m[k] = normalize(m[k], rest, v)
	return m
}

// str reads a string parameter at a path of keys ("server", "name").
func (p params) str(keys ...string) string {
	var cur any = map[string]any(p)
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[k]
	}
	switch x := cur.(type) {
	case string:
		return x
	case float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}

// has says whether a documented parameter ("instance[name]", "tags") is
// present and, if nonBlank, not empty.
func (p params) has(name string) bool {
	base, rest, _ := strings.Cut(name, "[")
	cur, ok := p[base]
	if !ok {
		return false
	}
	for rest != "" {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			break
		}
		k := rest[:end]
		rest = strings.TrimPrefix(rest[end+1:], "[")
		if k == "" || k == "*" {
			break
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[k]; !ok {
			return false
		}
	}
	switch x := cur.(type) {
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return cur != nil
}

// list reads an array parameter of strings ("filter", "tags",
// "resource_hrefs"); a single string counts as a one-item list.
func (p params) list(name string) []string {
	switch x := p[name].(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, v := range x {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	case string:
		return []string{x}
	}
	return nil
}

// object reads a hash parameter ("server") as string fields.
func (p params) object(name string) map[string]any {
	m, _ := p[name].(map[string]any)
	return m
}
