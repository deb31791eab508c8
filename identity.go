package stratus

import (
	"net/url"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// Identity: a kind is addressed either by an id in its item path template
// ("/v2/droplets/{id}") or by an href, the object's own path as the API
// names it ("/api/clouds/1/instances/ABC123", RightScale). Both forms give
// the same canonical path, so handles made either way have the same ID and
// Path, share one cache entry and, loaded at once, one request.

// NewResourceHref returns an unloaded handle addressed by href, a path on
// the API's host or an absolute URL (only its path is kept: requests always
// go to the client's endpoint). Its ID is the last segment of the path. An
// href that is empty, relative, carries a query or a fragment, or has empty
// or dot segments makes a handle whose loads fail with ErrInvalid and send
// nothing.
func NewResourceHref(c *Client, k *Kind, href string) *Resource {
	r := &Resource{c: c, kind: k.registered()}
	p, id, err := canonicalHref(href)
	if err != "" {
		name := ""
		if c != nil {
			name = c.provider.Name
		}
		r.bad = invalid(name, "load "+k.Name, "%s (href %q)", err, snippetOf(href))
		return r
	}
	r.id, r.path = id, p
	return r
}

// HydrateHref is Hydrate for an object whose href is known beside it
// (an answer that names the object in a Location header).
func HydrateHref(c *Client, k *Kind, obj gjson.Result, href string) *Resource {
	r := NewResourceHref(c, k, href)
	if r.bad == nil {
		r.st.Store(&resState{obj: obj, at: time.Now()})
	}
	return r
}

// Href returns the handle's path on the API host: its href for kinds whose
// objects carry one, its item path otherwise. It is Path under another name,
// for code that speaks of hrefs.
func (r *Resource) Href() string { return r.Path() }

// Same reports whether a and b name the same object: same provider, same
// kind and the same canonical path, however each handle was made (id,
// href, list page). Handles of different clients of one provider and
// account compare equal too; their loaded data may differ in age.
func Same(a, b Object) bool {
	if a == nil || b == nil {
		return false
	}
	ra, rb := a.Handle(), b.Handle()
	if ra == nil || rb == nil {
		return false
	}
	if ra == rb {
		return true
	}
	if ra.kind.Name != rb.kind.Name || providerName(ra.c) != providerName(rb.c) {
		return false
	}
	pa, pb := ra.Path(), rb.Path()
	if pa == "" || pb == "" {
		return pa == pb && ra.ID() != "" && ra.ID() == rb.ID()
	}
	return pa == pb
}

func providerName(c *Client) string {
	if c == nil {
		return ""
	}
	return c.provider.Name
}

// hrefOf reads the self href of a loaded object, canonical, or "".
func (r *Resource) hrefOf() (path, id string) {
	if r.kind.HrefField == "" {
		return "", ""
	}
	st := r.st.Load()
	if st == nil {
		return "", ""
	}
	h := st.obj.Get(r.kind.HrefField).String()
	if h == "" {
		return "", ""
	}
	p, id, bad := canonicalHref(h)
	if bad != "" {
		return "", ""
	}
	return p, id
}

// canonicalHref turns an href into the canonical path (each segment
// unescaped and escaped again, as item path templates escape ids) and its
// last segment, the id. A non-empty third result says why it is refused.
func canonicalHref(href string) (path, id, bad string) {
	if href == "" {
		return "", "", "empty href"
	}
	u, err := url.Parse(href)
	if err != nil {
		return "", "", "href is not a URL"
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", "", "href carries a query or fragment"
	}
	if !strings.HasPrefix(u.Path, "/") {
		return "", "", "href is not an absolute path"
	}
	raw := u.EscapedPath()
	segs := strings.Split(raw[1:], "/")
	var b strings.Builder
	b.Grow(len(raw))
	for _, s := range segs {
		seg, err := url.PathUnescape(s)
		if err != nil || seg == "" || seg == "." || seg == ".." {
			return "", "", "href has an empty, dot or badly escaped segment"
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(seg))
		id = seg
	}
	return b.String(), id, ""
}

func snippetOf(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
