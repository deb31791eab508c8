package providertest

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// route is a method and a path split into segments; "*" is a parameter.
type route struct {
	method string
	segs   []string
}

func (r route) String() string { return r.method + " /" + strings.Join(r.segs, "/") }

// parseRoute reads "GET /v2/droplets/*"; a path alone is a GET. Segments
// in braces ("{id}") are parameters, like "*".
func parseRoute(s string) route {
	method, path, ok := strings.Cut(s, " ")
	if !ok {
		method, path = http.MethodGet, s
	}
	path, _, _ = strings.Cut(path, "?") // a fixed query (a default mask) is no segment
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, seg := range segs {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			segs[i] = "*"
		}
	}
	return route{method, segs}
}

// serves reports whether the simulator route sim answers req: same method,
// same length, and each segment equal or a parameter of sim's. A
// parameter of req's is matched by a parameter only.
func serves(sim, req route) bool {
	if sim.method != req.method || len(sim.segs) != len(req.segs) {
		return false
	}
	for i, p := range sim.segs {
		if p != "*" && p != req.segs[i] {
			return false
		}
	}
	return true
}

// below reports whether the path of sim is that of base or lies below it
// (a sub-resource or an action of an object), base's parameters standing
// for any segment.
func below(sim, base route) bool {
	if len(sim.segs) < len(base.segs) {
		return false
	}
	for i, b := range base.segs {
		if b != "*" && b != sim.segs[i] {
			return false
		}
	}
	return true
}

// registryRoutes are the GET routes the kinds name: item and list paths,
// nested ones included, and the list paths and hrefs the harness gives.
func (s *suite) registryRoutes() []route {
	var out []route
	for _, ki := range s.kinds {
		list, _, _ := strings.Cut(ki.spec.List, "?")
		for _, p := range []string{ki.item, ki.list, list} {
			if p != "" {
				out = append(out, parseRoute(p))
			}
		}
		if strings.HasPrefix(ki.spec.ID, "/") {
			out = append(out, parseRoute(ki.spec.ID))
		}
	}
	return out
}

// known reports whether the registry stands for the simulator route: it
// is a kind's list path, or its item path or below it.
func (s *suite) known(sim route) bool {
	for _, ki := range s.kinds {
		if ki.list != "" && slices.Equal(parseRoute(ki.list).segs, sim.segs) {
			return true
		}
		if ki.item != "" && below(sim, parseRoute(ki.item)) {
			return true
		}
	}
	return false
}

func (s *suite) routeChecks(t *testing.T) {
	var sims []route
	for _, r := range s.h.Routes {
		sims = append(sims, parseRoute(r))
	}
	t.Run("registry_routes_served_by_simulator", func(t *testing.T) {
		rr := s.registryRoutes()
		require.NotEmpty(t, rr)
		for _, r := range rr {
			assert.True(t, slices.ContainsFunc(sims, func(sim route) bool { return serves(sim, r) }),
				"the registry names %s; the simulator does not serve it", r)
		}
	})
	t.Run("simulator_routes_known_to_registry", func(t *testing.T) {
		var unknown []string
		covered := map[string]bool{}
		for _, sim := range sims {
			if s.known(sim) {
				continue
			}
			prefix := s.outside(sim)
			if prefix == "" {
				unknown = append(unknown, sim.String())
				continue
			}
			covered[prefix] = true
			t.Logf("outside the registry: %s (%s)", sim, s.h.Outside[prefix])
		}
		assert.Empty(t, unknown, "simulator routes no registered kind stands for")
		for p, why := range s.h.Outside {
			assert.NotEmpty(t, why, "Harness.Outside[%q] gives a reason", p)
			assert.True(t, covered[p], "Harness.Outside names %s, under which the simulator serves nothing the registry does not know", p)
		}
	})
}

// outside returns the entry of Harness.Outside that covers sim: the path
// itself or one above it, any method.
func (s *suite) outside(sim route) string {
	for p := range s.h.Outside {
		if below(sim, parseRoute("ANY "+p)) {
			return p
		}
	}
	return ""
}
