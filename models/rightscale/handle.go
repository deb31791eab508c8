package rightscale

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	wire "github.com/stratus-cloud/stratus/transport/rightscale"
	"github.com/tidwall/gjson"
)

// Params are an action's parameters in the API's Rails bracket notation,
// as python-rightscale's params and data dicts hold them:
// Params{"filter[]": {"name==web"}}, Params{"server[name]": {"web-1"}},
// Params{"inputs[NAME]": {"text:value"}}. Reads send them in the query
// string, writes as a form body.
type Params = url.Values

// hrefPath is where an object's identity lives: its self link.
const hrefPath = `links.#(rel=="self").href`

// handle is what every typed handle embeds: the lazy resource, addressed
// by its href.
type handle struct{ *stratus.Resource }

// newRef makes an unloaded handle from an href ("/api/servers/20", or an
// absolute URL on the API's host) or, for kinds shown at the top level, an
// id ("20"). A bare id of a kind that lives under another object cannot be
// resolved: loading the handle says ErrUnsupported and sends nothing.
func newRef(c *stratus.Client, k *stratus.Kind, ref string) *stratus.Resource {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
		return stratus.NewResourceHref(c, k, ref)
	}
	return stratus.NewResource(c, k, ref)
}

// hydrate makes a handle from an embedded object, addressed by its self
// href.
func hydrate(c *stratus.Client, k *stratus.Kind, obj gjson.Result, partial bool) *stratus.Resource {
	return stratus.Hydrate(c, k, obj, partial)
}

// Links returns the object's links, rel to href (loading it first).
func (h handle) Links() map[string]string {
	out := map[string]string{}
	h.Get("links").ForEach(func(_, l gjson.Result) bool {
		if rel := l.Get("rel").String(); rel != "" {
			if _, dup := out[rel]; !dup {
				out[rel] = l.Get("href").String()
			}
		}
		return true
	})
	return out
}

// Link returns the href of the link rel, or "" (loading the object
// first).
func (h handle) Link(rel string) string {
	return h.Get(`links.#(rel==` + quote(rel) + `).href`).String()
}

// Actions lists the actions the API allows on the object now ("launch",
// "terminate", ...), as its answer says.
func (h handle) Actions() []string {
	var out []string
	h.Get("actions").ForEach(func(_, a gjson.Result) bool {
		out = append(out, a.Get("rel").String())
		return true
	})
	return out
}

// Can says whether the action is allowed now.
func (h handle) Can(action string) bool {
	for _, a := range h.Actions() {
		if a == action {
			return true
		}
	}
	return false
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// follow returns the object linked as rel: hydrated from an embedded
// object of that name when the view carries one (a server's
// current_instance in view instance_detail), else a lazy handle on the
// link's href. A missing link gives a handle whose LastError says so.
func (h handle) follow(k *stratus.Kind, rel string) *stratus.Resource {
	if emb := h.Peek(rel); emb.IsObject() && emb.Get(hrefPath).String() != "" {
		return hydrate(h.Client(), k, emb, false)
	}
	href := h.Link(rel)
	if href == "" {
		// No such link (a server that is not running has no current
		// instance): a handle that fails to load, sending nothing.
		return stratus.NewResourceHref(h.Client(), k, "")
	}
	return stratus.NewResourceHref(h.Client(), k, href)
}

// act sends a member action: method <href>/<action>.
func (h handle) act(ctx context.Context, method, action string, p Params) (*Result, error) {
	res, err := send(ctx, h.Client(), method, h.Href()+"/"+action, p)
	h.SetError(err)
	if err == nil && method != http.MethodGet {
		h.Forget()
	}
	return res, err
}

// Update sends the object's update (PUT <href>, 204) with fields in the
// API's form ("server[name]"), then forgets what the handle held.
func (h handle) Update(ctx context.Context, p Params) error {
	_, err := send(ctx, h.Client(), http.MethodPut, h.Href(), p)
	h.SetError(err)
	if err == nil {
		h.Forget()
	}
	return err
}

// Destroy deletes the object (DELETE <href>, 204).
func (h handle) Destroy(ctx context.Context) error {
	_, err := send(ctx, h.Client(), http.MethodDelete, h.Href(), nil)
	h.SetError(err)
	if err == nil {
		h.Forget()
	}
	return err
}

// Result is the answer to an action: its status, its Location (the
// created object or the task to follow, relative) and its body (a JSON
// object or list for 200 answers, empty otherwise).
type Result struct {
	Status   int
	Location string
	Body     gjson.Result
	c        *stratus.Client
}

// Task is the task a 202 answer's Location names (nil if none).
func (r *Result) Task() *TaskHandle {
	if r == nil || r.Location == "" {
		return nil
	}
	return Task(r.c, r.Location)
}

// Instance is the instance a launch's Location names (nil if none).
func (r *Result) Instance() *InstanceHandle {
	if r == nil || r.Location == "" {
		return nil
	}
	return Instance(r.c, r.Location)
}

// send is one action: reads put p in the query string, writes send it as
// a form body (what python-rightscale and the Ruby client send).
func send(ctx context.Context, c *stratus.Client, method, path string, p Params) (*Result, error) {
	req := &transport.Request{Method: method, Path: path}
	if method == http.MethodGet || method == http.MethodDelete {
		req.Query = p
	} else if len(p) > 0 {
		req.Body = []byte(p.Encode())
		req.Header = http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	}
	resp, err := c.Send(ctx, req)
	if err != nil {
		return nil, err
	}
	res := &Result{Status: resp.Status, Location: resp.Header.Get("Location"), c: c}
	if u, err := url.Parse(res.Location); err == nil && u.IsAbs() {
		res.Location = u.Path
	}
	if b := strings.TrimSpace(string(resp.Body)); b != "" && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if !gjson.Valid(b) {
			return res, &stratus.Error{Provider: wire.Name, Op: transport.Op(method, path), Status: resp.Status, Message: "answer is not valid JSON", Kind: stratus.ErrMalformed}
		}
		res.Body = gjson.Parse(b)
	}
	return res, nil
}

// collectionAction sends an action on a collection: method <at>/<action>.
func collectionAction(ctx context.Context, c *stratus.Client, method, at, action string, p Params) (*Result, error) {
	return send(ctx, c, method, strings.TrimRight(at, "/")+"/"+action, p)
}

// ParseTime reads the API's timestamps ("2015/04/08 18:46:02 +0000");
// RFC 3339 is read too. Null or unreadable gives the zero time.
func ParseTime(v gjson.Result) time.Time {
	if v.Type != gjson.String {
		return time.Time{}
	}
	if t, err := time.Parse(wire.TimeLayout, v.Str); err == nil {
		return t.UTC()
	}
	return stratus.ParseTime(v)
}
