package transport

import (
	"net/http"
	"net/url"

	"github.com/tidwall/gjson"
)

// Pager is a provider's pagination style. It works on query values only,
// so one strategy serves every list of a provider.
type Pager interface {
	// First returns the query of the first page, given the caller's
	// filters and the page size wanted (0: the provider's default).
	First(q url.Values, pageSize int) url.Values
	// Next reads a page and returns the query of the following page, or nil
	// on the last one. count is the number of items the page carried;
	// total is the size of the whole collection, or -1 if unknown.
	Next(q url.Values, header Header, body gjson.Result, count int) (next url.Values, total int)
}

// PageAddresser is a Pager that can name any page directly once the total
// is known, which lets a collection fetch later pages concurrently.
type PageAddresser interface {
	Pager
	// Page returns the query of page n (1-based) of the given size.
	Page(q url.Values, n, pageSize int) url.Values
}

// HeaderPager is a Pager whose page state travels in request headers
// (OVH's bulk mode). Its First, Next and Page keep that state in the query
// values, under keys the provider chooses, so that each page has its own
// cache key; Split moves it out before the request is sent.
type HeaderPager interface {
	Pager
	// Split returns the query to send and the headers to add.
	Split(q url.Values) (url.Values, http.Header)
}

// Header is the read-only view of response headers that pagers need.
type Header interface {
	Get(key string) string
}

// SinglePage is the pager of lists that come whole in one answer.
type SinglePage struct{}

// First returns q unchanged.
func (SinglePage) First(q url.Values, _ int) url.Values { return q }

// Next always ends the list.
func (SinglePage) Next(url.Values, Header, gjson.Result, int) (url.Values, int) { return nil, -1 }

// CloneQuery copies q so that callers never share a map.
func CloneQuery(q url.Values) url.Values {
	out := make(url.Values, len(q)+2)
	for k, vs := range q {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// PathJoin builds a path from segments, escaping each one:
// PathJoin("/v2/domains", name, "records") never lets a name carry a slash.
func PathJoin(prefix string, segments ...string) string {
	n := len(prefix)
	for _, s := range segments {
		n += len(s) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, prefix...)
	for _, s := range segments {
		b = append(b, '/')
		b = append(b, url.PathEscape(s)...)
	}
	return string(b)
}
