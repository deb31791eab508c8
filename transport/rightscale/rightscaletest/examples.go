package rightscaletest

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	wire "github.com/stratus-cloud/stratus/transport/rightscale"
)

// seedExamples gives every resource type that the seed left empty one
// object, made from the metadata's example answer, at the first show route
// whose parents exist (passes repeat until no route can be filled): every
// kind of the API can then be shown and listed.
func (s *Server) seedExamples() {
	for progress := true; progress; {
		progress = false
		for i := range wire.API {
			r := &wire.API[i]
			if r.Type == "" || s.count(r.Type) > 0 {
				continue
			}
			// Prefer the show route with the fewest parents; a kind that
			// cannot be shown gets an object in its first index.
			var paths []string
			if show, ok := r.Action("show"); ok {
				for _, rt := range show.Routes {
					paths = append(paths, rt.Path)
				}
			} else if idx, ok := r.Action("index"); ok && strings.HasSuffix(idx.ContentType, ";type=collection") {
				for _, rt := range idx.Routes {
					paths = append(paths, rt.Path+"/:id")
				}
			}
			sort.SliceStable(paths, func(i, j int) bool { return strings.Count(paths[i], ":") < strings.Count(paths[j], ":") })
			for _, p := range paths {
				href, ok := s.fill(p)
				if !ok {
					continue
				}
				s.put(s.fromExample(r, href))
				progress = true
				break
			}
		}
	}
}

func (s *Server) count(typ string) int {
	n := 0
	for _, o := range s.order {
		if o.typ == typ {
			n++
		}
	}
	return n
}

// fill makes an href for a show route: each :<kind>_id is an existing
// object of that kind under the prefix so far, :id a new id.
func (s *Server) fill(tmpl string) (string, bool) {
	segs := strings.Split(strings.Trim(tmpl, "/"), "/")
	prefix := ""
	for i, seg := range segs {
		name, isVar := strings.CutPrefix(seg, ":")
		switch {
		case !isVar:
			prefix += "/" + seg
		case name == "id" && i == len(segs)-1:
			id := strconv.Itoa(s.id())
			if strings.Count(prefix, "/") > 2 {
				id = s.uid()
			}
			return prefix + "/" + id, true
		default:
			typ := strings.TrimSuffix(name, "_id")
			var found string
			for _, o := range s.order {
				if o.typ == typ && strings.HasPrefix(o.href, prefix+"/") && !strings.Contains(o.href[len(prefix)+1:], "/") {
					found = o.href
					break
				}
			}
			if found == "" {
				return "", false
			}
			prefix = found
		}
	}
	return "", false
}

func (s *Server) fromExample(r *wire.Resource, href string) *object {
	var ex map[string]any
	if json.Unmarshal([]byte(r.Example), &ex) != nil || len(ex) == 0 {
		// No example: the documented attributes, empty.
		ex = map[string]any{}
		for _, a := range r.Attributes {
			ex[a] = ""
		}
		ex["name"] = r.Type + "-1"
	}
	o := &object{typ: r.Type, href: href, coll: href[:strings.LastIndexByte(href, '/')], data: map[string]any{}, links: []link{{"self", href}}, actions: fixed()}
	for k, v := range ex {
		if k != "links" && k != "actions" {
			o.data[k] = v
		}
	}
	return o
}

// Sample describes the first object of a resource type ("instance"):
// its href, the href of the list it is in, and how many objects that list
// holds. ok is false when the simulator holds none.
func (s *Server) Sample(typ string) (href, list string, total int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.order {
		if o.typ == typ && o.coll != "" {
			for _, x := range s.order {
				if x.typ == typ && x.coll == o.coll {
					total++
				}
			}
			return o.href, o.coll, total, true
		}
	}
	return "", "", 0, false
}

// Routes lists the routes the simulator serves, "METHOD /api/clouds/*",
// "*" standing for a path parameter, sorted.
func (s *Server) Routes() []string {
	set := map[string]bool{"GET /api/sessions": true, "GET /api/session": true}
	for _, r := range wire.API {
		for _, a := range r.Actions {
			for _, rt := range a.Routes {
				segs := strings.Split(rt.Path, "/")
				for i, seg := range segs {
					if strings.HasPrefix(seg, ":") {
						segs[i] = "*"
					}
				}
				set[rt.Method+" "+strings.Join(segs, "/")] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for r := range set {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
