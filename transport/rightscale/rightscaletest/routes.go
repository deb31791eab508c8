package rightscaletest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	wire "github.com/stratus-cloud/stratus/transport/rightscale"
)

// match is the route a request reached.
type match struct {
	res  *wire.Resource
	act  *wire.Action
	tmpl string
	vars map[string]string
}

// find picks the route of the metadata that fits the request, preferring
// the one with the most literal segments (".../instances/multi_terminate"
// over ".../instances/:id").
func find(method, path string) (*match, bool) {
	var best *match
	bestLit := -1
	pathKnown := false
	for i := range wire.API {
		r := &wire.API[i]
		for j := range r.Actions {
			a := &r.Actions[j]
			for _, rt := range a.Routes {
				vars, ok := wire.MatchPath(rt.Path, path)
				if !ok {
					continue
				}
				pathKnown = true
				if !strings.EqualFold(rt.Method, method) {
					continue
				}
				lit := strings.Count(rt.Path, "/") - strings.Count(rt.Path, ":")
				if lit > bestLit {
					best, bestLit = &match{r, a, rt.Path, vars}, lit
				}
			}
		}
	}
	return best, pathKnown
}

// typeName is the API's class name of a media type for error messages:
// "ip_address" gives "IpAddress".
func typeName(t string) string {
	var b strings.Builder
	for _, w := range strings.Split(t, "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

func (s *Server) notFound(c *call, typ, id string) {
	c.text(422, "ResourceNotFound: Couldn't find "+typeName(typ)+" with ID="+id+" ")
}

// route answers an authenticated request from the metadata's route table.
func (s *Server) route(c *call) {
	if c.path == "/api/sessions" || c.path == "/api/session" {
		if c.r.Method == http.MethodGet {
			s.session(c)
			return
		}
	}
	m, known := find(c.r.Method, c.path)
	if m == nil {
		if known {
			c.text(http.StatusNotFound, "Unknown action or route: "+c.r.Method+" "+c.path)
			return
		}
		c.text(http.StatusNotFound, "Unknown action or route: "+c.path)
		return
	}
	// Parents named in the path must exist.
	if !s.parentsExist(c, m) {
		return
	}
	for _, p := range m.act.Params {
		if p.Mandatory && !c.p.has(p.Name) {
			c.text(422, "InvalidParameter: "+p.Name+" is required")
			return
		}
		if len(p.Values) > 0 && p.Class == "String" && !strings.Contains(p.Name, "[") {
			if v := c.p.str(p.Name); v != "" && !slices.Contains(p.Values, v) {
				c.text(422, fmt.Sprintf("InvalidParameter: %s must be one of %s", p.Name, strings.Join(p.Values, ", ")))
				return
			}
		}
	}
	typ := m.res.Type
	switch m.act.Name {
	case "index":
		s.index(c, m)
		return
	case "show":
		if o := s.target(c, m); o != nil {
			c.json(http.StatusOK, o.typ, false, s.view(c, o))
		}
		return
	case "update":
		if o := s.target(c, m); o != nil {
			s.update(c, o)
		}
		return
	case "destroy":
		if o := s.target(c, m); o != nil {
			s.remove(o)
			c.noContent()
		}
		return
	case "create":
		if typ != "" {
			s.create(c, m)
			return
		}
	}
	s.action(c, m)
}

// parentsExist checks the objects a nested path names (:cloud_id, ...).
func (s *Server) parentsExist(c *call, m *match) bool {
	segs := strings.Split(strings.Trim(c.path, "/"), "/")
	tsegs := strings.Split(strings.Trim(m.tmpl, "/"), "/")
	for i, t := range tsegs {
		name, ok := strings.CutPrefix(t, ":")
		if !ok || name == "id" || i == 0 {
			continue
		}
		href := "/" + strings.Join(segs[:i+1], "/")
		if _, ok := s.objs[href]; !ok {
			typ := strings.TrimSuffix(name, "_id")
			s.notFound(c, typ, segs[i])
			return false
		}
	}
	return true
}

// target is the object a member route names, or nil after a 422.
func (s *Server) target(c *call, m *match) *object {
	href := c.path
	if !strings.HasSuffix(m.tmpl, "/:id") {
		// A member action: the object is the path less its action.
		href = c.path[:strings.LastIndexByte(c.path, '/')]
	}
	o := s.objs[href]
	if o == nil || (m.res.Type != "" && o.typ != m.res.Type && m.act.Name != "launch" && m.act.Name != "terminate" && m.act.Name != "reboot") {
		typ := m.res.Type
		if typ == "" {
			typ = strings.TrimSuffix(m.res.Name, "s")
		}
		s.notFound(c, typ, href[strings.LastIndexByte(href, '/')+1:])
		return nil
	}
	return o
}

func (s *Server) view(c *call, o *object) map[string]any {
	return o.render(c.p.str("view"), &s.world)
}

// index lists a collection, filtered.
func (s *Server) index(c *call, m *match) {
	typ := m.res.Type
	if m.res.Name == "Sessions" {
		s.session(c)
		return
	}
	filters, err := parseFilters(c.p.list("filter"), m.act.Filters)
	if err != nil {
		c.text(422, "InvalidParameter: "+err.Error())
		return
	}
	var items []*object
	direct := false
	for _, o := range s.order {
		if o.coll == c.path && o.typ == typ {
			direct = true
			break
		}
	}
	parent := c.path[:strings.LastIndexByte(c.path, '/')]
	for _, o := range s.order {
		if o.typ != typ {
			continue
		}
		if direct || parent == "/api" {
			if o.coll != c.path {
				continue
			}
		} else if !linksTo(o, parent) {
			continue
		}
		if typ == "right_script" && c.p.str("latest_only") == "true" && o.data["revision"] != 0 {
			continue
		}
		if s.matches(o, filters) {
			items = append(items, o)
		}
	}
	out := make([]map[string]any, 0, len(items))
	for _, o := range items {
		out = append(out, s.view(c, o))
	}
	c.json(http.StatusOK, typ, true, out)
}

func linksTo(o *object, href string) bool {
	for _, l := range o.links {
		if l.href == href && l.rel != "self" {
			return true
		}
	}
	return false
}

type cond struct {
	field, value string
	neg, partial bool
}

// parseFilters reads filter[] entries "field==value" and "field<>value".
func parseFilters(fs []string, known []wire.Filter) ([]cond, error) {
	var out []cond
	for _, f := range fs {
		i, neg := strings.Index(f, "=="), false
		if j := strings.Index(f, "<>"); j >= 0 && (i < 0 || j < i) {
			i, neg = j, true
		}
		if i <= 0 {
			return nil, fmt.Errorf("filter %q must be field==value or field<>value", f)
		}
		field := f[:i]
		k := slices.IndexFunc(known, func(x wire.Filter) bool { return x.Name == field })
		if k < 0 {
			return nil, fmt.Errorf("%q is not a filter of this index", field)
		}
		out = append(out, cond{field: field, value: f[i+2:], neg: neg, partial: known[k].Partial})
	}
	return out, nil
}

// field reads a filterable value: "<rel>_href" is the href of a link
// (a server's cloud is its current instance's), others an attribute.
func (s *Server) field(o *object, name string) string {
	if rel, ok := strings.CutSuffix(name, "_href"); ok {
		if h := o.link(rel); h != "" {
			return h
		}
		if o.typ == "server" && rel == "cloud" {
			if in := s.objs[o.link("current_instance")]; in != nil {
				return in.link("cloud")
			}
		}
		return ""
	}
	switch v := o.data[name].(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		var parts []string
		for _, x := range v {
			parts = append(parts, fmt.Sprint(x))
		}
		return strings.Join(parts, " ")
	}
	return ""
}

func (s *Server) matches(o *object, cs []cond) bool {
	for _, c := range cs {
		v := s.field(o, c.field)
		var ok bool
		if c.partial {
			ok = strings.Contains(strings.ToLower(v), strings.ToLower(c.value))
		} else {
			ok = v == c.value
		}
		if ok == c.neg {
			return false
		}
	}
	return true
}

// session answers GET /api/sessions: the links to the top-level
// collections.
func (s *Server) session(c *call) {
	var links []map[string]string
	for _, r := range wire.API {
		a, ok := r.Action("index")
		if !ok || r.Type == "" || r.Name == "Sessions" {
			continue
		}
		for _, rt := range a.Routes {
			if !strings.Contains(rt.Path, ":") {
				links = append(links, map[string]string{"rel": wire.SnakePlural(r.Name), "href": rt.Path})
				break
			}
		}
	}
	links = append(links, map[string]string{"rel": "accounts", "href": "/api/accounts"},
		map[string]string{"rel": "tags", "href": "/api/tags"}, map[string]string{"rel": "self", "href": "/api/session"})
	if c.p.str("view") == "whoami" {
		c.json(http.StatusOK, "session", false, map[string]any{"links": []map[string]string{{"rel": "user", "href": "/api/users/888"}, {"rel": "account", "href": "/api/accounts/" + strconv.Itoa(s.cfg.AccountID)}}})
		return
	}
	c.json(http.StatusOK, "session", false, map[string]any{
		"message": "You have successfully logged into the RightScale API.", "links": links, "actions": []any{},
	})
}
