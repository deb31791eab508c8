package softlayer

import (
	"net/url"
	"strconv"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// HeaderTotal is the response header that gives a list's size after
// filtering, before the result limit.
const HeaderTotal = "SoftLayer-Total-Items"

// DefaultPageSize is the page size of lists that name none
// (softlayer-python's default).
const DefaultPageSize = 100

// MaxPageSize bounds a page.
const MaxPageSize = 5000

// Pager pages with resultLimit=offset,limit and reads SoftLayer-Total-Items.
// It is a transport.PageAddresser: once the first page gave the total,
// any page can be asked for, so later pages are fetched ahead.
type Pager struct {
	// Size is the page size when the list names none; 0 means
	// DefaultPageSize.
	Size int
}

var _ transport.PageAddresser = Pager{}

func (p Pager) size(n int) int {
	if n <= 0 {
		n = p.Size
	}
	if n <= 0 {
		n = DefaultPageSize
	}
	return min(n, MaxPageSize)
}

// First asks for the first page.
func (p Pager) First(q url.Values, pageSize int) url.Values { return p.Page(q, 1, pageSize) }

// Page asks for page n (1-based) of pageSize items.
func (p Pager) Page(q url.Values, n, pageSize int) url.Values {
	size := p.size(pageSize)
	out := transport.CloneQuery(q)
	out.Set("resultLimit", strconv.Itoa((n-1)*size)+","+strconv.Itoa(size))
	return out
}

// Next reads the total from SoftLayer-Total-Items and names the following
// page while items remain; without the header, a full page means there
// may be more.
func (p Pager) Next(q url.Values, h transport.Header, _ gjson.Result, count int) (url.Values, int) {
	offset, limit, ok := ParseResultLimit(q.Get("resultLimit"))
	if !ok || limit <= 0 {
		return nil, -1
	}
	total := -1
	if v := h.Get(HeaderTotal); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			total = n
		}
	}
	more := count > 0 && count >= limit
	if total >= 0 {
		more = count > 0 && offset+count < total
	}
	if !more {
		return nil, total
	}
	out := transport.CloneQuery(q)
	out.Set("resultLimit", strconv.Itoa(offset+count)+","+strconv.Itoa(limit))
	return out, total
}
