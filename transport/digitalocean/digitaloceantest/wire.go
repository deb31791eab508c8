package digitaloceantest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// call is one request being served.
type call struct {
	r      *http.Request
	now    time.Time
	reqID  string
	body   []byte
	params []string
	rep    *simulator.Reply
}

// base is the scheme and host the client used, for absolute links.
func (c *call) base() string {
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.r.Host
}

func (c *call) query(k string) string { return c.r.URL.Query().Get(k) }

// fail answers with the DigitalOcean error body.
func (c *call) fail(status int, id, message string) {
	c.rep.Status = status
	c.rep.Body = marshal(struct {
		ID        string `json:"id"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	}{id, message, c.reqID})
}

func (c *call) notFound() {
	c.fail(http.StatusNotFound, "not_found", "The resource you were accessing could not be found.")
}

func (c *call) badRequest(msg string) { c.fail(http.StatusBadRequest, "bad_request", msg) }

func (c *call) unprocessable(msg string) {
	c.fail(http.StatusUnprocessableEntity, "unprocessable_entity", msg)
}

// ok answers with an envelope of already-encoded members, in order.
func (c *call) ok(status int, members ...member) {
	c.rep.JSON(status, simulator.Object(members...))
}

func (c *call) noContent() { c.rep.Status = http.StatusNoContent }

type member = simulator.Member

func m(key string, val []byte) member { return simulator.M(key, val) }

// marshal encodes v without HTML escaping and without a trailing newline.
func marshal(v any) []byte { return simulator.Marshal(v) }

// decode reads a JSON request body into v. An empty body is an empty
// object. It answers 400 for malformed JSON and 422 for wrong types.
func (c *call) decode(v any) bool {
	body := bytes.TrimSpace(c.body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return true
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		c.unprocessable("The value of " + te.Field + " has the wrong type.")
		return false
	}
	c.badRequest("The request body is not valid JSON.")
	return false
}

// page reads page and per_page; it answers 400 when they are invalid.
func (c *call) page() (page, perPage int, ok bool) {
	q := c.r.URL.Query()
	page, perPage = 1, 20
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			c.badRequest("page must be a positive integer")
			return 0, 0, false
		}
		page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			c.badRequest("per_page must be a positive integer")
			return 0, 0, false
		}
		perPage = min(n, 200)
	}
	return page, perPage, true
}

// list answers a paginated collection of total items under key; item(i)
// encodes the i-th one. The key is a plain identifier.
func (c *call) list(key string, total int, item func(i int) []byte) {
	page, perPage, ok := c.page()
	if !ok {
		return
	}
	start := min((page-1)*perPage, total)
	end := min(start+perPage, total)
	links := c.pageLinks(page, perPage, total)
	items := make([][]byte, 0, end-start)
	size := 64 + len(key) + len(links)
	for i := start; i < end; i++ {
		it := item(i)
		items = append(items, it)
		size += len(it) + 1
	}
	// One buffer of the right size: list pages are the hot path.
	b := make([]byte, 0, size)
	b = append(b, `{"`...)
	b = append(b, key...)
	b = append(b, `":[`...)
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	b = append(b, `],"links":`...)
	b = append(b, links...)
	b = append(b, `,"meta":{"total":`...)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, "}}"...)
	c.rep.Status, c.rep.Body = http.StatusOK, b
}

// listOf answers a paginated collection of values already in memory.
func listOf[T any](c *call, key string, items []T, enc func(T) []byte) {
	c.list(key, len(items), func(i int) []byte { return enc(items[i]) })
}

// pageLinks builds links.pages from the request's own URL, keeping its
// other query parameters and replacing page. Only the sensible keys appear;
// a single page has "links": {}.
func (c *call) pageLinks(page, perPage, total int) []byte {
	last := max((total+perPage-1)/perPage, 1)
	if page == 1 && last == 1 {
		return []byte("{}")
	}
	link := func(p int) string {
		q := c.r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		return c.base() + c.r.URL.EscapedPath() + "?" + q.Encode()
	}
	type pages struct {
		First string `json:"first,omitempty"`
		Prev  string `json:"prev,omitempty"`
		Next  string `json:"next,omitempty"`
		Last  string `json:"last,omitempty"`
	}
	var p pages
	if page > 1 {
		p.First, p.Prev = link(1), link(page-1)
	}
	if page < last {
		p.Next, p.Last = link(page+1), link(last)
	}
	return marshal(struct {
		Pages pages `json:"pages"`
	}{p})
}

// actionLinks is the links member of a create response.
func (c *call) actionLinks(rel string, ids ...int) []byte {
	type link struct {
		ID   int    `json:"id"`
		Rel  string `json:"rel"`
		HREF string `json:"href"`
	}
	links := make([]link, len(ids))
	for i, id := range ids {
		links[i] = link{id, rel, c.base() + "/v2/actions/" + strconv.Itoa(id)}
	}
	return marshal(struct {
		Actions []link `json:"actions"`
	}{links})
}

func (s *Server) routes() *simulator.Router[func(*call)] {
	type h = map[string]func(*call)
	rt := &simulator.Router[func(*call)]{TrailingSlash: true}
	r := rt.Add
	r("v2/account", h{"GET": s.getAccount})
	r("v2/account/keys", h{"GET": s.listKeys, "POST": s.createKey})
	r("v2/account/keys/*", h{"GET": s.getKey, "PUT": s.updateKey, "DELETE": s.deleteKey})
	r("v2/actions", h{"GET": s.listActions})
	r("v2/actions/*", h{"GET": s.getAction})
	r("v2/droplets", h{"GET": s.listDroplets, "POST": s.createDroplets, "DELETE": s.deleteDropletsByTag})
	r("v2/droplets/actions", h{"POST": s.dropletActionsByTag})
	r("v2/droplets/*", h{"GET": s.getDroplet, "DELETE": s.deleteDroplet})
	r("v2/droplets/*/kernels", h{"GET": s.listKernels})
	r("v2/droplets/*/snapshots", h{"GET": s.listDropletSnapshots})
	r("v2/droplets/*/backups", h{"GET": s.listDropletBackups})
	r("v2/droplets/*/neighbors", h{"GET": s.dropletNeighbors})
	r("v2/droplets/*/actions", h{"GET": s.listDropletActions, "POST": s.postDropletAction})
	r("v2/droplets/*/actions/*", h{"GET": s.getDropletAction})
	r("v2/reports/droplet_neighbors_ids", h{"GET": s.neighborIDs})
	r("v2/reports/droplet_neighbors", h{"GET": s.neighborsReport})
	r("v2/images", h{"GET": s.listImages, "POST": s.createCustomImage})
	r("v2/images/*", h{"GET": s.getImage, "PUT": s.updateImage, "DELETE": s.deleteImage})
	r("v2/images/*/actions", h{"GET": s.listImageActions, "POST": s.postImageAction})
	r("v2/images/*/actions/*", h{"GET": s.getImageAction})
	r("v2/regions", h{"GET": s.listRegions})
	r("v2/sizes", h{"GET": s.listSizes})
	r("v2/domains", h{"GET": s.listDomains, "POST": s.createDomain})
	r("v2/domains/*", h{"GET": s.getDomain, "DELETE": s.deleteDomain})
	r("v2/domains/*/records", h{"GET": s.listRecords, "POST": s.createRecord})
	r("v2/domains/*/records/*", h{"GET": s.getRecord, "PUT": s.updateRecord, "PATCH": s.updateRecord, "DELETE": s.deleteRecord})
	for _, k := range []ipKind{floatingKind, reservedKind} {
		r("v2/"+k.many, ipRoutes(s, k, "list"))
		r("v2/"+k.many+"/*", ipRoutes(s, k, "item"))
		r("v2/"+k.many+"/*/actions", ipRoutes(s, k, "actions"))
		r("v2/"+k.many+"/*/actions/*", ipRoutes(s, k, "action"))
	}
	r("v2/tags", h{"GET": s.listTags, "POST": s.createTag})
	r("v2/tags/*", h{"GET": s.getTag, "DELETE": s.deleteTag})
	r("v2/tags/*/resources", h{"POST": s.tagResources, "DELETE": s.untagResources})
	return rt
}

// route dispatches a call: 404 for an unknown path, 405 with Allow for a
// known path and another method.
func (s *Server) route(c *call) {
	m := s.routeTable.Match(c.r.Method, c.r.URL.EscapedPath())
	switch {
	case !m.Found:
		c.notFound()
	case !m.OK:
		c.rep.Header.Set("Allow", strings.Join(m.Allow, ", "))
		c.fail(http.StatusMethodNotAllowed, "method_not_allowed", "Method "+c.r.Method+" is not allowed on this resource.")
	default:
		c.params = m.Params
		m.Handler(c)
		if c.rep.Status == 0 {
			c.rep.Status = http.StatusOK
		}
	}
}

// intParam parses the i-th path parameter as a positive integer id.
func (c *call) intParam(i int) (int, bool) {
	n, err := strconv.Atoi(c.params[i])
	if err != nil || n < 1 {
		return 0, false
	}
	return n, true
}

// stamp formats a time like the API: RFC 3339, UTC, whole seconds.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// nonNil turns a nil slice into an empty one, so that it encodes as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
