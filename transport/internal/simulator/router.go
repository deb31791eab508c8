package simulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Router is a simulator's route table: path patterns whose "*" segments
// are parameters, each with a handler per method. H is the simulator's
// handler type (a func of its own call type, or a struct that also says
// what access the route needs). Routes are matched in the order they were
// added, so literal segments go before parameters at the same depth
// ("droplets/actions" before "droplets/*"). The zero value is ready; a
// Router is not safe for concurrent Add and Match, and is built once.
type Router[H any] struct {
	// TrailingSlash makes a path with one trailing slash match the route
	// of the path without it ("/dedicated/server/" as "/dedicated/server").
	TrailingSlash bool

	routes []route[H]
}

type route[H any] struct {
	pattern string
	segs    []string
	methods map[string]H
}

// Add adds a route: pattern is a slash-separated path, without a leading
// or trailing slash ("v2/droplets/*/actions"); methods maps an HTTP method
// to its handler.
func (rt *Router[H]) Add(pattern string, methods map[string]H) {
	pattern = strings.Trim(pattern, "/")
	rt.routes = append(rt.routes, route[H]{pattern, strings.Split(pattern, "/"), methods})
}

// Match is the outcome of routing a request.
type Match[H any] struct {
	// Found is false when no pattern matches the path (a 404).
	Found bool
	// OK is true when the pattern has a handler for the method (or, for
	// HEAD, for GET). Found && !OK is a 405, and Allow lists the methods.
	OK bool
	// Handler is the route's handler for the method.
	Handler H
	// Params are the "*" segments of the path, unescaped, in order.
	Params []string
	// Pattern is the matched pattern, as added.
	Pattern string
	// Allow lists the methods of the matched pattern, sorted.
	Allow []string
}

// Match routes method and path (escaped, as r.URL.EscapedPath() gives it;
// a leading slash is optional). A parameter never matches an empty
// segment. HEAD falls back to the GET handler.
func (rt *Router[H]) Match(method, path string) Match[H] {
	path = strings.TrimPrefix(path, "/")
	if rt.TrailingSlash && strings.HasSuffix(path, "/") {
		path = path[:len(path)-1]
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		}
	}
	for _, r := range rt.routes {
		params, ok := matchSegs(r.segs, segs)
		if !ok {
			continue
		}
		m := Match[H]{Found: true, Params: params, Pattern: r.pattern, Allow: sortedMethods(r.methods)}
		h, ok := r.methods[method]
		if !ok && method == http.MethodHead {
			h, ok = r.methods[http.MethodGet]
		}
		m.Handler, m.OK = h, ok
		return m
	}
	return Match[H]{}
}

func matchSegs(pattern, segs []string) ([]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params []string
	for i, p := range pattern {
		switch {
		case segs[i] == "":
			return nil, false
		case p == "*":
			params = append(params, segs[i])
		case p != segs[i]:
			return nil, false
		}
	}
	return params, true
}

func sortedMethods[H any](m map[string]H) []string {
	ms := make([]string, 0, len(m))
	for k := range m {
		ms = append(ms, k)
	}
	slices.Sort(ms)
	return ms
}

// RouteInfo is one method of one route, for listings.
type RouteInfo struct {
	Method  string // "GET"
	Pattern string // "v2/droplets/*"
}

// Routes lists every method of every route, in the order the routes were
// added and, within a route, by method.
func (rt *Router[H]) Routes() []RouteInfo {
	var out []RouteInfo
	for _, r := range rt.routes {
		for _, m := range sortedMethods(r.methods) {
			out = append(out, RouteInfo{m, r.pattern})
		}
	}
	return out
}

// Listing lists every method of every route as "METHOD /pattern"
// ("GET /v2/droplets/*"), sorted: the form the conformance suite compares
// with a provider's registry. HEAD, served wherever GET is, is not listed
// unless a route adds it.
func (rt *Router[H]) Listing() []string {
	var out []string
	for _, r := range rt.Routes() {
		out = append(out, r.Method+" /"+r.Pattern)
	}
	slices.Sort(out)
	return out
}
