package softlayertest

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/internal/simulator"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
	"github.com/tidwall/gjson"
)

// endpoint splits a request path into its protocol and the rest:
// /rest/v3.1/SoftLayer_Account.json -> rest, /SoftLayer_Account.json.
func endpoint(p string) (xmlrpc bool, rest string, ok bool) {
	for _, pre := range []string{"/rest/v3.1/", "/rest/v3/", "/xmlrpc/v3.1/", "/xmlrpc/v3/"} {
		if r, found := strings.CutPrefix(p, pre); found {
			return strings.HasPrefix(pre, "/xmlrpc"), "/" + r, true
		}
	}
	return false, "", false
}

// countKey counts a request under its path below the endpoint
// ("/SoftLayer_Account/getObject.json"; XML-RPC "/SoftLayer_Account").
func countKey(r *http.Request) string {
	key := r.URL.EscapedPath()
	if _, rest, ok := endpoint(key); ok {
		key = rest
	}
	return key
}

// req is one call being served.
type req struct {
	wire.Call
	xmlrpc bool
	now    time.Time
	mask   wire.Mask
	params []gjson.Result
}

// answer is what a method returns: a list (filtered, sorted, limited and
// masked here), one object (masked here) or a scalar.
type answer struct {
	list   []obj
	isList bool
	root   string // the filter's root property
	one    obj
	scalar any
	err    *apiErr
}

type apiErr struct {
	status    int
	code, msg string
}

func fail(status int, code, msg string) answer { return answer{err: &apiErr{status, code, msg}} }

func notFound(id string) answer {
	return fail(http.StatusNotFound, wire.CodeObjectNotFound, "Unable to find object with id of '"+id+"'.")
}

func (s *Server) handle(r *http.Request, body []byte, readErr error, f Fault) *simulator.Reply {
	rep := simulator.NewReply()
	xmlrpc, rest, ok := endpoint(r.URL.EscapedPath())
	if !ok {
		rep.Status = http.StatusNotFound
		rep.Header.Set("Content-Type", "text/plain")
		rep.Body = []byte("404 page not found")
		return rep
	}
	if f.Replaces() || f == FaultRateLimit {
		faultReply(rep, xmlrpc, f)
		return rep
	}
	if readErr != nil {
		apiError(rep, xmlrpc, http.StatusBadRequest, wire.CodePublic, "The request body could not be read.")
		return rep
	}
	var c wire.Call
	var auth wire.Auth
	if xmlrpc {
		if r.Method != http.MethodPost {
			apiError(rep, true, http.StatusMethodNotAllowed, wire.CodePublic, "XML-RPC calls are POSTed.")
			return rep
		}
		x, err := wire.DecodeCall(body)
		if err != nil {
			apiError(rep, true, http.StatusOK, "-32700", "parse error. not well formed")
			return rep
		}
		svc := strings.Trim(rest, "/")
		c, auth = wire.CallFromXML(svc, x)
	} else {
		var err error
		if c, err = wire.ParseREST(r.Method, rest, r.URL.Query(), body); err != nil {
			var te *transport.Error
			msg := "Malformed request"
			if errors.As(err, &te) {
				msg = te.Message
			}
			apiError(rep, false, http.StatusInternalServerError, wire.CodePublic, msg)
			return rep
		}
	}
	if u, p, ok := r.BasicAuth(); ok {
		auth = wire.Auth{Username: u, APIKey: wire.Secret(p)}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clk.Now()
	s.settle(now)
	c.Service = serviceName(c.Service)
	s.calls[c.Service+"::"+c.Method]++

	switch {
	case auth.Username == "" && auth.APIKey == "":
		apiError(rep, xmlrpc, http.StatusUnauthorized, wire.CodePublic, wire.MsgAccessDenied)
		return rep
	case subtle.ConstantTimeCompare([]byte(auth.Username), []byte(s.user)) != 1 ||
		subtle.ConstantTimeCompare([]byte(auth.APIKey), []byte(s.apiKey)) != 1:
		apiError(rep, xmlrpc, http.StatusUnauthorized, wire.CodePublic, wire.MsgInvalidToken)
		return rep
	}
	if s.cfg.RateLimit > 0 {
		sec := now.Truncate(time.Second)
		if !sec.Equal(s.rate.second) {
			s.rate.second, s.rate.n = sec, 0
		}
		if s.rate.n++; s.rate.n > s.cfg.RateLimit {
			apiError(rep, xmlrpc, http.StatusInternalServerError, wire.CodeRateLimit, MsgRateLimit)
			return rep
		}
	}
	q := &req{Call: c, xmlrpc: xmlrpc, now: now}
	if c.Mask != "" {
		m, err := wire.ParseMask(c.Mask)
		if err != nil {
			var te *transport.Error
			msg := "Error parsing the object mask"
			if errors.As(err, &te) {
				msg = "Error on object mask: " + te.Message
			}
			apiError(rep, xmlrpc, http.StatusInternalServerError, wire.CodeParser, msg)
			return rep
		}
		q.mask = m
	}
	if c.Filter != "" && !gjson.Valid(c.Filter) {
		apiError(rep, xmlrpc, http.StatusInternalServerError, wire.CodeParser, "Unable to parse the object filter.")
		return rep
	}
	if len(c.Params) > 0 {
		q.params = gjson.ParseBytes(c.Params).Array()
	}
	a := s.dispatch(q)
	s.render(rep, q, a)
	return rep
}

// render writes an answer in the protocol of the call.
func (s *Server) render(rep *simulator.Reply, q *req, a answer) {
	if a.err != nil {
		apiError(rep, q.xmlrpc, a.err.status, a.err.code, a.err.msg)
		return
	}
	var v any
	switch {
	case a.isList:
		items := query(a.list, q.Filter, a.root)
		total := len(items)
		if q.HasLimit {
			lo := min(q.Offset, total)
			hi := total
			if q.Limit > 0 {
				hi = min(lo+q.Limit, total)
			}
			items = items[lo:hi]
		}
		out := make([]any, len(items))
		for i, it := range items {
			out[i] = masked(it, q.mask)
		}
		rep.Header.Set(wire.HeaderTotal, strconv.Itoa(total))
		v = out
	case a.one != nil:
		v = masked(a.one, q.mask)
	default:
		v = a.scalar
	}
	js := simulator.Marshal(v)
	rep.Status = http.StatusOK
	if q.xmlrpc {
		doc, err := wire.EncodeResponse(js)
		if err != nil {
			apiError(rep, true, http.StatusOK, wire.CodePublic, "Internal Error")
			return
		}
		rep.Header.Set("Content-Type", "text/xml")
		rep.Body = doc
		return
	}
	rep.Header.Set("Content-Type", "application/json")
	rep.Body = js
}

// param reads positional parameter i as a Go value (objects as obj).
func (q *req) param(i int) (any, bool) {
	if i >= len(q.params) {
		return nil, false
	}
	var v any
	d := json.NewDecoder(strings.NewReader(q.params[i].Raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	return normalize(v), true
}

// normalize turns decoded JSON into the simulator's types: objects as obj.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		o := obj(x)
		for k, e := range o {
			o[k] = normalize(e)
		}
		return o
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
		return x
	}
	return v
}

func (q *req) id() (int64, bool) {
	if q.ID == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(q.ID, 10, 64)
	return n, err == nil
}
