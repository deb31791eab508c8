package enstratustest

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
	"github.com/tidwall/gjson"
)

// call is one request being served.
type call struct {
	r    *http.Request
	now  time.Time
	body []byte
	rep  *simulator.Reply
}

func (c *call) query(k string) string { return strings.TrimSpace(c.r.URL.Query().Get(k)) }

// fail answers with the API's error body {"error":{"message":...}}.
func (c *call) fail(status int, message string) {
	type msg struct {
		Message string `json:"message"`
	}
	c.rep.Status = status
	c.rep.Body = marshal(struct {
		Error msg `json:"error"`
	}{msg{message}})
}

func (c *call) badRequest(message string) { c.fail(http.StatusBadRequest, message) }

func (c *call) notFound(k *kind, id string) {
	c.fail(http.StatusNotFound, "No such "+k.noun+" ID: "+id)
}

func (c *call) methodNotAllowed(allow ...string) {
	c.rep.Header.Set("Allow", strings.Join(allow, ", "))
	c.fail(http.StatusMethodNotAllowed, "Method "+c.r.Method+" is not allowed on this resource")
}

// jobsAccepted answers 202 with the job references of an asynchronous
// operation: {"jobs":[{"jobId":N,"status":"RUNNING"}]}.
func (c *call) jobsAccepted(jobs ...*object) {
	b := []byte(`{"jobs":[`)
	for i, j := range jobs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"jobId":`...)
		b = strconv.AppendInt(b, j.num, 10)
		b = append(b, `,"status":`...)
		b = append(b, marshal(j.str("status"))...)
		b = append(b, '}')
	}
	c.rep.Status, c.rep.Body = http.StatusAccepted, append(b, "]}"...)
}

// envelope answers {"<coll>":[...]} with the objects at detail d.
func (s *Server) envelope(c *call, status int, k *kind, objs []*object, d detail) {
	b := make([]byte, 0, 64+len(objs)*512)
	b = append(b, '{')
	b = append(b, marshal(k.coll)...)
	b = append(b, ":["...)
	for i, o := range objs {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.render(b, o, d)
	}
	b = append(b, "]}"...)
	c.rep.Status, c.rep.Body = status, b
}

// details reads x-es-details; absent means extended. An unknown value is
// answered with 400.
func (c *call) details() (detail, bool) {
	switch v := strings.ToLower(strings.TrimSpace(c.r.Header.Get("x-es-details"))); v {
	case "", "extended":
		return detailExtended, true
	case "basic":
		return detailBasic, true
	case "none":
		return detailNone, true
	default:
		c.badRequest("Invalid x-es-details value: " + v + " (expected basic, extended or none)")
		return 0, false
	}
}

// jsonBody parses the request body, which must be a JSON object. mixcoatl
// sends no Content-Type, so none is required.
func (c *call) jsonBody() (gjson.Result, bool) {
	body := bytes.TrimSpace(c.body)
	if len(body) == 0 {
		c.badRequest("A JSON request body is required")
		return gjson.Result{}, false
	}
	if !gjson.ValidBytes(body) {
		c.badRequest("The request body is not valid JSON")
		return gjson.Result{}, false
	}
	r := gjson.ParseBytes(body)
	if !r.IsObject() {
		c.badRequest("The request body must be a JSON object")
		return gjson.Result{}, false
	}
	return r, true
}

// marshal encodes v without HTML escaping and without a trailing newline.
func marshal(v any) []byte { return simulator.Marshal(v) }

// route dispatches a signed call; rel is the path below the version,
// "<scope>/<Resource>[/<id>]".
func (s *Server) route(c *call, rel string) {
	segs := strings.Split(strings.TrimSuffix(rel, "/"), "/")
	if len(segs) < 2 || len(segs) > 3 {
		c.fail(http.StatusNotFound, "Not found: "+rel)
		return
	}
	k := s.routes[segs[0]+"/"+segs[1]]
	if k == nil {
		c.fail(http.StatusNotFound, "Not found: "+rel)
		return
	}
	id, hasID := "", len(segs) == 3
	if hasID {
		var err error
		if id, err = url.PathUnescape(segs[2]); err != nil || id == "" {
			c.notFound(k, segs[2])
			return
		}
	}
	method := c.r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	switch {
	case method == http.MethodGet && hasID:
		s.getOne(c, k, id)
	case method == http.MethodGet:
		s.list(c, k)
	case k.name == kServer && method == http.MethodPost && !hasID:
		s.launch(c)
	case k.name == kServer && method == http.MethodPut && hasID:
		s.serverOperation(c, id)
	case k.name == kServer && method == http.MethodDelete && hasID:
		s.terminate(c, id)
	case k.name == kFirewallRule && method == http.MethodPost && !hasID:
		s.createRules(c)
	case k.name == kFirewallRule && method == http.MethodDelete && hasID:
		s.deleteRule(c, id)
	default:
		c.methodNotAllowed(allowed(k, hasID)...)
	}
}

// allowed lists the methods a path accepts.
func allowed(k *kind, hasID bool) []string {
	m := []string{"GET", "HEAD"}
	switch {
	case k.name == kServer && hasID:
		m = append(m, "PUT", "DELETE")
	case k.name == kServer, k.name == kFirewallRule && !hasID:
		m = append(m, "POST")
	case k.name == kFirewallRule:
		m = append(m, "DELETE")
	}
	return m
}

// getOne answers one object, still inside its collection envelope.
func (s *Server) getOne(c *call, k *kind, id string) {
	d, ok := c.details()
	if !ok {
		return
	}
	o := k.lookup(id)
	if o == nil {
		c.notFound(k, id)
		return
	}
	s.envelope(c, http.StatusOK, k, []*object{o}, d)
}

// list answers a whole collection, filtered. There is no pagination.
func (s *Server) list(c *call, k *kind) {
	d, ok := c.details()
	if !ok {
		return
	}
	keep := func(*object) bool { return true }
	if k.filter != nil {
		if keep, ok = k.filter(s, c); !ok {
			return
		}
	}
	objs := make([]*object, 0, len(k.order))
	for _, o := range k.order {
		if keep(o) {
			objs = append(objs, o)
		}
	}
	s.envelope(c, http.StatusOK, k, objs, d)
}
