package rightscale

import (
	"strings"
)

// Resource is one resource of the API's metadata: its media type, the
// attributes and links its answers carry, an example answer, and its
// actions. The table (API) is generated from the metadata.
type Resource struct {
	Name       string   // "Instances", as the metadata names it
	Type       string   // "instance": the media type is application/vnd.rightscale.<Type>+json
	Attributes []string // attribute names, "links" and "actions" included
	Links      []string // link rels, "self" included
	Example    string   // an example object (JSON) from the metadata, or ""
	Actions    []Action
}

// Action is one action of a resource with every route that reaches it.
type Action struct {
	Name        string  // "index", "show", "run_executable", ...
	Routes      []Route // one or more; the same action may be reached under several parents
	Status      int     // the success status: 200, 201, 202 or 204
	ContentType string  // the media type of a 200 answer, ";type=collection" for lists; "" otherwise
	Location    bool    // the answer carries a Location header (201, 202)
	Params      []Param
	Filters     []Filter // the filter[] fields of an index
	Views       []string // the values of the view parameter, if any
}

// Route is a method and a path template with :name segments:
// "/api/clouds/:cloud_id/instances/:id".
type Route struct {
	Method string
	Path   string
}

// Param is one documented parameter, named in Rails bracket notation
// ("server[name]", "inputs[][name]", "tags").
type Param struct {
	Name      string
	Class     string // "String", "Array", "Hash", "Integer", "Enumerable", ...
	Mandatory bool
	NonBlank  bool
	Values    []string // valid values, if restricted
}

// Filter is one field an index filters on. Partial filters match a
// substring, ignoring case (the API compares with SQL LIKE); the others
// match exactly.
type Filter struct {
	Name    string
	Partial bool
}

// ResourceByName finds a resource of the table by its metadata name.
func ResourceByName(name string) (*Resource, bool) {
	for i := range API {
		if API[i].Name == name {
			return &API[i], true
		}
	}
	return nil, false
}

// ResourceByType finds a resource of the table by its media type name
// ("instance").
func ResourceByType(typ string) (*Resource, bool) {
	for i := range API {
		if API[i].Type == typ {
			return &API[i], true
		}
	}
	return nil, false
}

// Action finds one of the resource's actions.
func (r *Resource) Action(name string) (*Action, bool) {
	for i := range r.Actions {
		if r.Actions[i].Name == name {
			return &r.Actions[i], true
		}
	}
	return nil, false
}

// Match reports whether path (no query, no format suffix) fits the
// template, and returns the values of its :name segments.
func (rt Route) Match(method, path string) (map[string]string, bool) {
	if !strings.EqualFold(rt.Method, method) {
		return nil, false
	}
	return MatchPath(rt.Path, path)
}

// MatchPath matches a path against a template with :name segments. A
// segment value is never empty and never holds a "/".
func MatchPath(template, path string) (map[string]string, bool) {
	t := strings.Split(strings.Trim(template, "/"), "/")
	p := strings.Split(strings.Trim(path, "/"), "/")
	if len(t) != len(p) {
		return nil, false
	}
	var vars map[string]string
	for i, seg := range t {
		if name, ok := strings.CutPrefix(seg, ":"); ok {
			if p[i] == "" {
				return nil, false
			}
			if vars == nil {
				vars = map[string]string{}
			}
			vars[name] = p[i]
			continue
		}
		if seg != p[i] {
			return nil, false
		}
	}
	return vars, true
}

// Collection reports whether the media type names a list
// ("application/vnd.rightscale.server+json;type=collection").
func Collection(contentType string) bool {
	for _, part := range strings.Split(contentType, ";")[1:] {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok && strings.EqualFold(k, "type") && strings.EqualFold(strings.TrimSpace(v), "collection") {
			return true
		}
	}
	return false
}

// MediaType returns the resource type a media type names:
// "application/vnd.rightscale.server+json;type=collection" gives "server".
func MediaType(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	rest, ok := strings.CutPrefix(mt, "application/vnd.rightscale.")
	if !ok {
		return ""
	}
	t, _, _ := strings.Cut(rest, "+")
	return t
}

// SnakePlural is the collection name of a metadata resource name:
// "IpAddresses" gives "ip_addresses".
func SnakePlural(name string) string {
	var b strings.Builder
	for i, c := range name {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}
