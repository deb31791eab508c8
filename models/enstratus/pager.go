package enstratus

import (
	"net/http"
	"net/url"

	"github.com/stratus-cloud/stratus/transport"
	wire "github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/tidwall/gjson"
)

// Detail levels of a list, as the x-es-details header spells them.
const (
	DetailBasic    = wire.DetailsBasic    // references as id objects ({"cloudId":1})
	DetailExtended = wire.DetailsExtended // references as the objects they name
	DetailNone     = wire.DetailsNone     // references left out
)

// DetailKey is the query key under which a list keeps its detail level.
// It is never sent: the pager moves it into the x-es-details header just
// before the request leaves, so that each detail level of a list has its
// own cache entry while the API sees a plain query.
const DetailKey = "x-stratus-details"

// Pager is the pagination of every enStratus list: there is none (a list
// is one answer), but the detail level travels with the list. It is a
// transport.HeaderPager: First puts the detail under DetailKey (Detail,
// or basic, when the list names none), Next ends the list at once with the
// number of items as the total, and Split moves the detail into the
// x-es-details header.
type Pager struct {
	// Detail is the level a list asks for when it names none; "" means
	// basic, as mixcoatl meant its lists to be.
	Detail string
}

var _ transport.HeaderPager = Pager{}

// First returns q with the detail level set.
func (p Pager) First(q url.Values, _ int) url.Values {
	out := transport.CloneQuery(q)
	if out.Get(DetailKey) == "" {
		d := p.Detail
		if d == "" {
			d = DetailBasic
		}
		out.Set(DetailKey, d)
	}
	return out
}

// Next ends the list: the answer was the whole of it, so its size is the
// total.
func (Pager) Next(_ url.Values, _ transport.Header, _ gjson.Result, count int) (url.Values, int) {
	return nil, count
}

// Split moves the detail level from the query into the x-es-details
// header.
func (Pager) Split(q url.Values) (url.Values, http.Header) {
	d, ok := q[DetailKey]
	if !ok {
		return q, nil
	}
	out := transport.CloneQuery(q)
	delete(out, DetailKey)
	var h http.Header
	if len(d) > 0 && d[0] != "" {
		h = http.Header{}
		h.Set(wire.HeaderDetails, d[0])
	}
	return out, h
}

// Full asks for the same list in extended detail, the detail of an item
// load: the first read of a field that a basic item lacks re-lists its
// page once in full instead of loading each item (one request for the
// page rather than one per item, and nothing more when the full answers
// lack the field too). False when q already asks for extended detail.
func (p Pager) Full(q url.Values) (url.Values, bool) {
	if q.Get(DetailKey) == DetailExtended {
		return nil, false
	}
	out := transport.CloneQuery(q)
	out.Set(DetailKey, DetailExtended)
	return out, true
}
