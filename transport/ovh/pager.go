package ovh

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// The bulk page mode: undocumented for API users, used by OVH's own
// control panel. A GET on an id list with these headers answers a page of
// whole objects and the total in X-Pagination-Elements.
const (
	HeaderMode     = "X-Pagination-Mode"
	ModeBulk       = "CachedObjectList-Pages"
	HeaderNumber   = "X-Pagination-Number"
	HeaderSize     = "X-Pagination-Size"
	HeaderElements = "X-Pagination-Elements"
)

// DefaultBulkSize is the page size asked for when none is set; it is the
// limit OVH's control panel assumes by default.
const DefaultBulkSize = 1000

// NoBulk is the query key (never sent) that turns the bulk mode off for a
// list: Filter(ovh.NoBulk, "1").
const NoBulk = "X-Stratus-No-Bulk"

// Pager asks id lists for whole pages of objects in the bulk mode. A
// server that ignores the mode answers the plain id list, which ends the
// list at once: the fallback costs no request.
type Pager struct{}

var (
	_ transport.PageAddresser = Pager{}
	_ transport.HeaderPager   = Pager{}
)

// First asks for page 1, unless the bulk mode is off for this list.
func (p Pager) First(q url.Values, size int) url.Values {
	if q.Get(NoBulk) != "" {
		return transport.CloneQuery(q)
	}
	return p.Page(q, 1, size)
}

// Page asks for page n (1-based) of the given size.
func (Pager) Page(q url.Values, n, size int) url.Values {
	if size <= 0 {
		size = DefaultBulkSize
	}
	out := transport.CloneQuery(q)
	out.Set(HeaderMode, ModeBulk)
	out.Set(HeaderNumber, strconv.Itoa(n))
	out.Set(HeaderSize, strconv.Itoa(size))
	return out
}

// Next reads the total from X-Pagination-Elements. Without it the answer
// was the whole id list.
func (Pager) Next(q url.Values, h transport.Header, _ gjson.Result, count int) (url.Values, int) {
	el := h.Get(HeaderElements)
	if q.Get(HeaderMode) == "" || el == "" {
		return nil, count
	}
	total, err := strconv.Atoi(el)
	if err != nil || total < 0 {
		return nil, -1
	}
	n, _ := strconv.Atoi(q.Get(HeaderNumber))
	size, _ := strconv.Atoi(q.Get(HeaderSize))
	if count == 0 || n <= 0 || size <= 0 || n*size >= total {
		return nil, total
	}
	return Pager{}.Page(q, n+1, size), total
}

// Split moves the page state into headers; the NoBulk key is dropped.
func (Pager) Split(q url.Values) (url.Values, http.Header) {
	var h http.Header
	out := q
	for k := range q {
		if strings.HasPrefix(k, "X-Pagination-") || k == NoBulk {
			if h == nil {
				h = http.Header{}
				out = transport.CloneQuery(q)
			}
			if k != NoBulk {
				h.Set(k, q.Get(k))
			}
			delete(out, k)
		}
	}
	return out, h
}
