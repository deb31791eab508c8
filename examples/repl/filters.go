package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus"
)

// filterKey is what the REPL reads of one filter a kind declares.
type filterKey struct {
	name     string   // the API's name: "tag_name"
	aliases  []string // other names: "tag"
	required bool     // the list is refused without it
}

// filterKeys returns the filters a kind's lists accept, from the
// registry; ok is false when the kind declares none to check against.
func filterKeys(k *stratus.Kind) (keys []filterKey, ok bool) {
	return declaredFilters(k)
}

// describeFilters lists filters as "tag_name (tag), type".
func describeFilters(keys []filterKey) string {
	if len(keys) == 0 {
		return "none"
	}
	parts := make([]string, len(keys))
	for i, f := range keys {
		parts[i] = f.name
		if len(f.aliases) > 0 {
			parts[i] += " (" + strings.Join(f.aliases, ", ") + ")"
		}
		if f.required {
			parts[i] += " required"
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// checkFilters refuses, before any request, a filter the kind does not
// declare (naming the accepted ones) and a missing required one; names and
// aliases match in any case and are replaced by the API's name.
func checkFilters(k *stratus.Kind, params map[string]string) error {
	keys, ok := filterKeys(k)
	if !ok {
		return nil
	}
	var names []string
	for _, f := range keys {
		names = append(names, f.name)
		names = append(names, f.aliases...)
	}
	given := slices.Sorted(func(yield func(string) bool) {
		for key := range params {
			if !yield(key) {
				return
			}
		}
	})
	for _, key := range given {
		i := slices.IndexFunc(keys, func(f filterKey) bool {
			return strings.EqualFold(f.name, key) || slices.ContainsFunc(f.aliases, func(a string) bool { return strings.EqualFold(a, key) })
		})
		if i < 0 {
			return fmt.Errorf("ls %s: unknown filter %q%s; accepted: %s", k.Plural, key, didYouMean(key, names), describeFilters(keys))
		}
		if name := keys[i].name; name != key {
			params[name] = params[key]
			delete(params, key)
		}
	}
	for _, f := range keys {
		if _, ok := params[f.name]; f.required && !ok {
			return fmt.Errorf("ls %s: give %s=VALUE (%s are listed per %s)", k.Plural, f.name, k.Plural, f.name)
		}
	}
	return nil
}

// parentParams names the KEY=VALUE arguments a nested kind needs: the
// parent in its path ("domain=NAME") and its required filters.
func (s *session) parentParams(c *stratus.Client, k *stratus.Kind) []string {
	var out []string
	path := s.ext(c).listPath(k)
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			break
		}
		if name := path[i+1 : i+j]; name != "id" {
			out = append(out, name+"=ID")
		}
		path = path[i+j+1:]
	}
	if keys, ok := filterKeys(k); ok {
		for _, f := range keys {
			if f.required {
				out = append(out, f.name+"=ID")
			}
		}
	}
	return out
}

// foldPath finds a dotted field path in obj ignoring case, and returns it
// as obj spells it ("" if there is none).
func foldPath(obj gjson.Result, path string) string {
	var out []string
	cur := obj
	for _, part := range strings.Split(path, ".") {
		found := ""
		if cur.IsArray() {
			found = part
		} else {
			cur.ForEach(func(key, _ gjson.Result) bool {
				if strings.EqualFold(key.String(), part) {
					found = key.String()
					return false
				}
				return true
			})
		}
		if found == "" {
			return ""
		}
		out = append(out, found)
		cur = cur.Get(gjson.Escape(found))
	}
	return strings.Join(out, ".")
}

// confirm asks before a request that changes a real account: on the
// terminal, or refuses when there is none to ask on, unless -yes. Work on
// a simulator is never asked about.
func (s *session) confirm(c *stratus.Client, what string) error {
	ep := s.endpoints[c.Provider().Name]
	if s.cfg.yes || ep == nil || ep.simulated {
		return nil
	}
	where := fmt.Sprintf("%s on the real %s account at %s", what, c.Provider().Name, c.BaseURL())
	if s.term == nil {
		return fmt.Errorf("refusing to %s without -yes: there is no terminal to ask on (nothing was sent)", where)
	}
	answer, err := s.term.readLine(where + "? [y/N] ")
	if err != nil {
		return fmt.Errorf("not confirmed: nothing was sent")
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	return fmt.Errorf("not confirmed: nothing was sent")
}
