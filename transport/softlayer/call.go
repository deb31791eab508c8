package softlayer

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// Call is one API call in the terms both protocols share.
type Call struct {
	Service string // full service name: "SoftLayer_Virtual_Guest"
	Method  string // "getObject", "getVirtualGuests", ...
	ID      string // the init parameter (object id); "" for none
	Mask    string // object mask, as given
	Filter  string // object filter, JSON text; "" for none
	// Limit and Offset are the result limit; HasLimit says one was given.
	Limit, Offset int
	HasLimit      bool
	// Params is the method's positional arguments as a JSON array; nil
	// for none.
	Params []byte
	// Write sends a call without parameters as a POST with an empty
	// parameter list: actions (powerOff, rebootSoft) change the object, so
	// the client treats them as writes (not retried after reaching the
	// server, the cache invalidated).
	Write bool
}

// ServiceName adds the "SoftLayer_" prefix when s lacks it:
// ServiceName("Virtual_Guest") is "SoftLayer_Virtual_Guest".
func ServiceName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "SoftLayer_") {
		return s
	}
	return "SoftLayer_" + s
}

// implicit are the methods that a REST path may leave out: the HTTP verb
// names them.
var implicit = map[string]string{
	"getObject":    http.MethodGet,
	"deleteObject": http.MethodDelete,
	"editObject":   http.MethodPut,
	"createObject": http.MethodPost,
}

// Verb is the HTTP method of a REST call: deleteObject DELETE,
// editObject(s) PUT, createObject(s) or any call with parameters POST,
// anything else GET.
func Verb(method string, hasParams bool) string {
	switch method {
	case "deleteObject":
		return http.MethodDelete
	case "editObject", "editObjects":
		return http.MethodPut
	case "createObject", "createObjects":
		return http.MethodPost
	}
	if hasParams {
		return http.MethodPost
	}
	return http.MethodGet
}

// hasParams says whether a JSON array holds anything.
func hasParams(p []byte) bool {
	p = bytes.TrimSpace(p)
	return len(p) > 0 && !bytes.Equal(p, []byte("[]")) && !bytes.Equal(p, []byte("null"))
}

// Request renders the call in the REST grammar, relative to the base URL:
// /{Service}[/{id}][/{method}].json, the method left out when the verb
// names it, mask, filter and limit in the query, parameters in the body
// as {"parameters":[...]}.
func (c Call) Request() *transport.Request {
	withParams := hasParams(c.Params)
	verb := Verb(c.Method, withParams || c.Write)
	segs := []string{ServiceName(c.Service)}
	if c.ID != "" {
		segs = append(segs, c.ID)
	}
	if v, ok := implicit[c.Method]; !ok || v != verb {
		segs = append(segs, c.Method)
	}
	path := transport.PathJoin("", segs...) + ".json"
	req := &transport.Request{Method: verb, Path: path, Query: c.Query()}
	if withParams || verb == http.MethodPost || verb == http.MethodPut {
		p := c.Params
		if !withParams {
			p = []byte("[]")
		}
		body := make([]byte, 0, len(p)+16)
		body = append(body, `{"parameters":`...)
		body = append(body, bytes.TrimSpace(p)...)
		body = append(body, '}')
		req.Body = body
	}
	return req
}

// Query returns the call's objectMask, objectFilter and resultLimit
// (offset first) as query values; nil when there are none.
func (c Call) Query() url.Values {
	var q url.Values
	set := func(k, v string) {
		if q == nil {
			q = url.Values{}
		}
		q.Set(k, v)
	}
	if c.Mask != "" {
		set("objectMask", c.Mask)
	}
	if c.Filter != "" {
		set("objectFilter", c.Filter)
	}
	if c.HasLimit {
		set("resultLimit", strconv.Itoa(c.Offset)+","+strconv.Itoa(c.Limit))
	}
	return q
}

// ParseResultLimit reads "offset,limit" (or a bare "limit").
func ParseResultLimit(s string) (offset, limit int, ok bool) {
	a, b, two := strings.Cut(strings.TrimSpace(s), ",")
	if !two {
		n, err := strconv.Atoi(strings.TrimSpace(a))
		return 0, n, err == nil && n >= 0
	}
	o, err1 := strconv.Atoi(strings.TrimSpace(a))
	l, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || o < 0 || l < 0 {
		return 0, 0, false
	}
	return o, l, true
}

// ParseREST reads a REST request into a Call. path is relative to the
// version base ("/SoftLayer_Account/getVirtualGuests.json"); the method
// may be left out, the verb then names it (GET getObject, DELETE
// deleteObject, PUT editObject, POST createObject); a method named
// explicitly is taken with any verb. The body, when not empty, must be
// {"parameters":[...]}. Errors are *transport.Error with ErrInvalid.
func ParseREST(verb, path string, q url.Values, body []byte) (Call, error) {
	bad := func(msg string) (Call, error) {
		return Call{}, &transport.Error{Provider: Name, Op: transport.Op(verb, path), Message: msg, Kind: transport.ErrInvalid}
	}
	var c Call
	p := strings.Trim(path, "/")
	if i := strings.LastIndexByte(p, '.'); i >= 0 && !strings.Contains(p[i:], "/") {
		switch p[i:] {
		case ".json":
		default:
			return bad("only .json answers are served: " + p[i:])
		}
		p = p[:i]
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return bad("malformed path")
		}
		segs[i] = u
	}
	if len(segs) == 0 || len(segs) > 3 {
		return bad("the path must be /{Service}[/{id}][/{method}]")
	}
	c.Service = segs[0]
	if !validName(c.Service) {
		return bad("malformed service name")
	}
	rest := segs[1:]
	if len(rest) > 0 && isID(rest[0]) {
		c.ID, rest = rest[0], rest[1:]
	}
	switch len(rest) {
	case 0:
		switch verb {
		case http.MethodGet, http.MethodHead:
			c.Method = "getObject"
		case http.MethodDelete:
			c.Method = "deleteObject"
		case http.MethodPut:
			c.Method = "editObject"
		case http.MethodPost:
			c.Method = "createObject"
		default:
			return bad("no method for " + verb)
		}
	case 1:
		c.Method = rest[0]
		if !validName(c.Method) {
			return bad("malformed method name")
		}
	default:
		return bad("the path must be /{Service}[/{id}][/{method}]")
	}
	c.Mask = q.Get("objectMask")
	c.Filter = q.Get("objectFilter")
	if c.Filter != "" && !gjson.Valid(c.Filter) {
		return bad("objectFilter is not JSON")
	}
	if rl := q.Get("resultLimit"); rl != "" {
		o, l, ok := ParseResultLimit(rl)
		if !ok {
			return bad("resultLimit must be offset,limit")
		}
		c.Offset, c.Limit, c.HasLimit = o, l, true
	}
	if b := bytes.TrimSpace(body); len(b) > 0 {
		if !gjson.ValidBytes(b) {
			return bad("the body is not JSON")
		}
		r := gjson.ParseBytes(b)
		ps := r.Get("parameters")
		switch {
		case !r.IsObject():
			return bad(`the body must be {"parameters":[...]}`)
		case ps.IsArray():
			c.Params = []byte(ps.Raw)
		case ps.Exists():
			return bad("parameters must be an array")
		}
	}
	return c, nil
}

func isID(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validName accepts the letters, digits and underscores of service and
// method names.
func validName(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
