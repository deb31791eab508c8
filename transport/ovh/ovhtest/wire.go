package ovhtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// call is one request being served.
type call struct {
	s       *Server
	r       *http.Request
	now     time.Time
	queryID string
	body    []byte
	path    string      // the API path, without /1.0 or /v1 and without query
	params  []string    // the * segments of the matched route
	app     *app        // POST /auth/credential: the calling application
	cred    *credential // signed calls: the calling key
	rep     *simulator.Reply
}

// base is the scheme and host the client used.
func (c *call) base() string {
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.r.Host
}

func (c *call) query(k string) string { return c.r.URL.Query().Get(k) }

// errorClass is the "class" of an error body for a status.
func errorClass(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Client::BadRequest"
	case http.StatusUnauthorized:
		return "Client::Unauthorized"
	case http.StatusForbidden:
		return "Client::Forbidden"
	case http.StatusNotFound:
		return "Client::NotFound"
	case http.StatusMethodNotAllowed:
		return "Client::MethodNotAllowed"
	case http.StatusConflict:
		return "Client::Conflict"
	case http.StatusTooManyRequests:
		return "Client::TooManyRequests"
	case http.StatusServiceUnavailable:
		return "Server::ServiceUnavailable"
	}
	if status >= 500 {
		return "Server::InternalServerError"
	}
	return "Client::BadRequest"
}

// fail answers with the union of OVH's two error shapes: class and message
// (what go-ovh reads), errorCode and httpCode (what python-ovh and the
// legacy auth layer use). An empty code leaves errorCode out.
func (c *call) fail(status int, code, message string) {
	c.rep.Status = status
	c.rep.Body = marshal(struct {
		Class     string `json:"class"`
		Message   string `json:"message"`
		ErrorCode string `json:"errorCode,omitempty"`
		HTTPCode  string `json:"httpCode"`
	}{errorClass(status), message, code, strconv.Itoa(status) + " " + http.StatusText(status)})
}

func (c *call) badRequest(format string, args ...any) {
	c.fail(http.StatusBadRequest, "", fmt.Sprintf(format, args...))
}

// noService is the 404 for a service (server, project, domain, zone) that
// the account does not have.
func (c *call) noService() {
	c.fail(http.StatusNotFound, "", "This service does not exist")
}

// noObject is the 404 for an object inside a service.
func (c *call) noObject(key, id string) {
	c.fail(http.StatusNotFound, "", fmt.Sprintf("The requested object (%s = %s) does not exist", key, id))
}

func (c *call) conflict(msg string) { c.fail(http.StatusConflict, "", msg) }

// send answers 200 with already-encoded JSON.
func (c *call) send(b []byte) { c.rep.Status, c.rep.Body = http.StatusOK, b }

// void answers a call that returns nothing: 200 with "null".
func (c *call) void() { c.rep.Status, c.rep.Body = http.StatusOK, []byte("null") }

// marshal encodes v compactly, without HTML escaping and without a
// trailing newline.
func marshal(v any) []byte { return simulator.Marshal(v) }

// rawJSON is pre-encoded JSON; empty encodes as null.
type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}

// array writes n encoded items as a JSON array.
func array(n int, item func(i int) []byte) []byte { return simulator.Array(n, item) }

// Bulk mode: OVH's own control panel asks the 1.0 API for pages of full
// objects with these headers (undocumented for API users).
const (
	hdrMode     = "X-Pagination-Mode"
	hdrNumber   = "X-Pagination-Number"
	hdrSize     = "X-Pagination-Size"
	hdrElements = "X-Pagination-Elements"
	bulkMode    = "CachedObjectList-Pages"
	defaultPage = 1000
)

// ids answers an id-list route: the n ids as a JSON array or, in bulk
// mode, one page of the n objects in the same order.
func (c *call) ids(n int, id, obj func(i int) []byte) {
	if c.s.bulk && c.r.Header.Get(hdrMode) == bulkMode {
		c.page(n, obj)
		return
	}
	c.send(array(n, id))
}

// objects answers a route that lists full objects (cloud instances); bulk
// mode pages it too.
func (c *call) objects(n int, obj func(i int) []byte) { c.ids(n, obj, obj) }

// page answers one bulk page and its headers.
func (c *call) page(n int, obj func(i int) []byte) {
	number, size := 1, defaultPage
	for _, p := range []struct {
		hdr string
		dst *int
	}{{hdrNumber, &number}, {hdrSize, &size}} {
		v := c.r.Header.Get(p.hdr)
		if v == "" {
			continue
		}
		x, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || x < 1 {
			c.badRequest("Invalid value for header %s: %q", p.hdr, v)
			return
		}
		*p.dst = x
	}
	start := n
	if number-1 < (n+size-1)/size {
		start = (number - 1) * size
	}
	end := n
	if size < n-start {
		end = start + size
	}
	h := c.rep.Header
	h.Set(hdrElements, strconv.Itoa(n))
	h.Set(hdrNumber, strconv.Itoa(number))
	h.Set(hdrSize, strconv.Itoa(size))
	c.send(array(end-start, func(i int) []byte { return obj(start + i) }))
}

func quote(s string) []byte { return strconv.AppendQuote(nil, s) }

// fields reads a JSON object request body. Getters record the first
// problem, answer 400 for it, and make ok false.
type fields struct {
	c    *call
	m    map[string]json.RawMessage
	seen map[string]bool
	bad  bool
}

// object decodes the body as a JSON object; an empty body is an empty
// object.
func (c *call) object() (*fields, bool) {
	f := &fields{c: c, m: map[string]json.RawMessage{}, seen: map[string]bool{}}
	body := bytes.TrimSpace(c.body)
	if len(body) == 0 {
		return f, true
	}
	if body[0] != '{' || json.Unmarshal(body, &f.m) != nil {
		c.badRequest("Invalid JSON received")
		return nil, false
	}
	return f, true
}

func (f *fields) get(key string, dst any, typ string, nullable bool) bool {
	raw, ok := f.m[key]
	f.seen[key] = true
	if !ok || f.bad {
		return false
	}
	if string(raw) == "null" {
		if nullable {
			return true
		}
		f.invalid(key, raw, typ)
		return false
	}
	if json.Unmarshal(raw, dst) != nil {
		f.invalid(key, raw, typ)
		return false
	}
	return true
}

func (f *fields) invalid(key string, raw json.RawMessage, typ string) {
	v := string(raw)
	if len(v) > 60 {
		v = v[:57] + "..."
	}
	f.fail("[%s] Given data (%s) is not valid for type %s", key, v, typ)
}

func (f *fields) fail(format string, args ...any) {
	if !f.bad {
		f.bad = true
		f.c.badRequest(format, args...)
	}
}

// str reads a string member; it reports whether the member was given.
func (f *fields) str(key string) (string, bool) {
	var v string
	return v, f.get(key, &v, "string", false)
}

// nullStr reads a string member that may be null (nil).
func (f *fields) nullStr(key string) (*string, bool) {
	var v *string
	return v, f.get(key, &v, "string", true)
}

func (f *fields) integer(key string) (int64, bool) {
	var v int64
	return v, f.get(key, &v, "long", false)
}

func (f *fields) boolean(key string) (bool, bool) {
	var v bool
	return v, f.get(key, &v, "boolean", false)
}

func (f *fields) into(key string, dst any, typ string) bool { return f.get(key, dst, typ, false) }

// enum checks that a given value belongs to a set.
func (f *fields) enum(key, v, name string, values ...string) {
	if !slices.Contains(values, v) {
		f.fail("[%s] Given data (%s) does not belong to the %s enumeration", key, v, name)
	}
}

// require records a missing mandatory member.
func (f *fields) require(key string, given bool) {
	if !given {
		f.fail("[%s] Property is mandatory", key)
	}
}

// ok reports whether every member was read without a problem and none was
// unknown.
func (f *fields) ok() bool {
	if f.bad {
		return false
	}
	var unknown []string
	for k := range f.m {
		if !f.seen[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		f.fail("Received not described parameters: (%s)", strings.Join(unknown, ", "))
	}
	return !f.bad
}

// access says what a route needs from the caller.
type access int

const (
	signed   access = iota // a validated consumer key whose rules cover the call
	open                   // nothing (GET /auth/time)
	appOnly                // a known X-Ovh-Application, unsigned (POST /auth/credential)
	anyState               // a correctly signed call, whatever the key's state or rules
	ownKey                 // a validated key, whatever its rules
)

type endpoint struct {
	fn     func(*call)
	access access
}

func (s *Server) routes() *simulator.Router[endpoint] {
	type m = map[string]endpoint
	// python-ovh's own examples list with a trailing slash
	// ("/dedicated/server/"), and the API answers both forms alike.
	rt := &simulator.Router[endpoint]{TrailingSlash: true}
	r := rt.Add
	get := func(fn func(*call)) endpoint { return endpoint{fn: fn} }
	r("auth/time", m{"GET": {s.authTime, open}})
	r("auth/credential", m{"POST": {s.requestCredential, appOnly}})
	r("auth/currentCredential", m{"GET": {s.currentCredential, anyState}})
	r("auth/logout", m{"POST": {s.logout, ownKey}})
	r("me", m{"GET": get(s.getMe), "PUT": get(s.putMe)})
	r("me/bill", m{"GET": get(s.listBills)})
	r("me/bill/*", m{"GET": get(s.getBill)})
	r("me/bill/*/details", m{"GET": get(s.listBillDetails)})
	r("me/bill/*/details/*", m{"GET": get(s.getBillDetail)})
	r("me/api/credential", m{"GET": get(s.listAPICredentials)})
	r("me/api/credential/*", m{"GET": get(s.getAPICredential), "DELETE": get(s.deleteAPICredential)})
	r("dedicated/server", m{"GET": get(s.listServers)})
	r("dedicated/server/*", m{"GET": get(s.getServer), "PUT": get(s.putServer)})
	r("dedicated/server/*/burst", m{"GET": get(s.getBurst), "PUT": get(s.putBurst)})
	r("dedicated/server/*/ips", m{"GET": get(s.serverIPs)})
	r("dedicated/server/*/reboot", m{"POST": get(s.rebootServer)})
	r("dedicated/server/*/task", m{"GET": get(s.listServerTasks)})
	r("dedicated/server/*/task/*", m{"GET": get(s.getServerTask)})
	r("cloud/project", m{"GET": get(s.listProjects)})
	r("cloud/project/*", m{"GET": get(s.getProject)})
	r("cloud/project/*/flavor", m{"GET": get(s.listFlavors)})
	r("cloud/project/*/image", m{"GET": get(s.listImages)})
	r("cloud/project/*/sshkey", m{"GET": get(s.listSSHKeys)})
	r("cloud/project/*/instance", m{"GET": get(s.listInstances), "POST": get(s.createInstance)})
	r("cloud/project/*/instance/*", m{"GET": get(s.getInstance), "PUT": get(s.putInstance), "DELETE": get(s.deleteInstance)})
	r("cloud/project/*/instance/*/start", m{"POST": get(s.startInstance)})
	r("cloud/project/*/instance/*/stop", m{"POST": get(s.stopInstance)})
	r("cloud/project/*/instance/*/reboot", m{"POST": get(s.rebootInstance)})
	r("domain", m{"GET": get(s.listDomains)})
	r("domain/zone", m{"GET": get(s.listZones)})
	r("domain/*", m{"GET": get(s.getDomain)})
	r("domain/zone/*", m{"GET": get(s.getZone)})
	r("domain/zone/*/record", m{"GET": get(s.listRecords), "POST": get(s.createRecord)})
	r("domain/zone/*/record/*", m{"GET": get(s.getRecord), "PUT": get(s.putRecord), "DELETE": get(s.deleteRecord)})
	r("domain/zone/*/refresh", m{"POST": get(s.refreshZone)})
	return rt
}

// dispatch routes a call: the validation page, then the API (404 for an
// unknown path, 405 for a known path and another method), authentication
// as the route needs it, then the handler.
func (s *Server) dispatch(c *call) {
	p := c.r.URL.Path
	if p == "/auth/" || p == "/auth" {
		s.validationPage(c)
		return
	}
	api, ok := apiPath(p)
	if !ok {
		c.fail(http.StatusNotFound, "", "Got an invalid (or empty) URL")
		return
	}
	c.path = api
	escaped, _ := apiPath(c.r.URL.EscapedPath())
	rm := s.routeTable.Match(c.r.Method, escaped)
	switch {
	case !rm.Found:
		c.fail(http.StatusNotFound, "", "Got an invalid (or empty) URL")
	case !rm.OK:
		c.rep.Header.Set("Allow", strings.Join(rm.Allow, ", "))
		c.fail(http.StatusMethodNotAllowed, "", "Method "+c.r.Method+" is not allowed on this URL")
	default:
		c.params = rm.Params
		if !s.authorize(c, rm.Handler.access) {
			return
		}
		rm.Handler.fn(c)
	}
}

// stamp formats a time like the cloud and auth APIs: RFC 3339, UTC, whole
// seconds.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// paris is the fixed offset used for billing and domain dates, which OVH
// writes in local (Paris) time with an offset. We do not model summer time.
var paris = time.FixedZone("CET", 3600)

func localStamp(t time.Time) string { return t.In(paris).Format("2006-01-02T15:04:05-07:00") }

// nonNil turns a nil slice into an empty one, so that it encodes as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
