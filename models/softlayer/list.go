package softlayer

import (
	"context"
	"iter"
	"net/url"
	"strings"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
)

// List is a collection of SoftLayer objects: an immutable query with a
// mask, a filter and a limit. Every refinement returns a new List and All
// can be run again. Pages are fetched with resultLimit; once the first
// page gives SoftLayer-Total-Items the others are fetched ahead, in
// order, up to the client's concurrency at once. Without an orderBy the
// list is sorted by id, so that pages are stable.
//
// Items are hydrated from the pages. A list with a mask of its own gives
// partial items: each knows the fields its mask asked for, and reading
// any other loads the object once, with the kind's mask and the list's.
type List[T stratus.Object] struct {
	c      *stratus.Client
	kind   *stratus.Kind
	path   string
	root   string // the filter's root property; "" for static methods
	mask   wire.Mask
	masked bool // the mask is the caller's
	filter Filter
	limit  int
	size   int
	fresh  bool
	err    error
	wrap   func(*stratus.Resource, wire.Mask) T
}

func newList[T stratus.Object](c *stratus.Client, k *stratus.Kind, path, root string, wrap func(*stratus.Resource, wire.Mask) T) List[T] {
	return List[T]{c: c, kind: k, path: path, root: root, mask: defaultMask(k), wrap: wrap}
}

// Mask returns the list asking for the fields of m, in either form
// (mask[id,hostname,datacenter[name]] or id;hostname;datacenter.name).
func (l List[T]) Mask(m string) List[T] {
	mk, err := wire.ParseMask(m)
	if err != nil {
		l.err = err
		return l
	}
	return l.WithMask(mk)
}

// MaskOf returns the list asking for the fields at these paths.
func (l List[T]) MaskOf(paths ...string) List[T] { return l.WithMask(wire.MaskOf(paths...)) }

// WithMask returns the list asking for m.
func (l List[T]) WithMask(m wire.Mask) List[T] {
	l.mask, l.masked = m, !m.Empty()
	if m.Empty() {
		l.mask = defaultMask(l.kind)
	}
	return l
}

// Filter returns the list with the conditions of f added.
func (l List[T]) Filter(f Filter) List[T] {
	l.filter = l.filter.And(f)
	return l
}

// Where returns the list with one condition added (see Filter.Where).
func (l List[T]) Where(path, operation string) List[T] {
	l.filter = l.filter.Where(path, operation)
	return l
}

// OrderBy returns the list sorted by a property.
func (l List[T]) OrderBy(path string, desc bool) List[T] {
	l.filter = l.filter.OrderBy(path, desc)
	return l
}

// Limit bounds the number of items yielded (0: all).
func (l List[T]) Limit(n int) List[T] {
	l.limit = n
	return l
}

// PageSize sets the items asked for per request.
func (l List[T]) PageSize(n int) List[T] {
	l.size = n
	return l
}

// Fresh bypasses the cache.
func (l List[T]) Fresh() List[T] {
	l.fresh = true
	return l
}

// FilterJSON is the objectFilter the list sends.
func (l List[T]) FilterJSON() string {
	f := l.filter
	if !f.HasOrder() {
		f = f.OrderBy("id", false)
	}
	return f.Rooted(l.root)
}

// MaskString is the objectMask the list sends.
func (l List[T]) MaskString() string { return l.mask.String() }

func (l List[T]) collection() stratus.Collection[T] {
	mask := l.mask
	col := stratus.NewCollection(l.c, l.kind, func(r *stratus.Resource) T { return l.wrap(r, maskIf(l.masked, mask)) }).At(l.path)
	if s := mask.String(); s != "" {
		col = col.Filter("objectMask", s)
	}
	col = col.Filter("objectFilter", l.FilterJSON())
	if l.limit > 0 {
		col = col.Limit(l.limit)
	}
	if l.size > 0 {
		col = col.PageSize(l.size)
	}
	if l.fresh {
		col = col.Fresh()
	}
	if l.masked && l.kind.ItemPath != "" {
		// A partial item loads what it lacks with the kind's mask and
		// the list's together.
		col = col.PartialItems(true).ItemsAt(itemPath(l.kind, fullMask(l.kind, mask)))
	} else {
		col = col.PartialItems(false)
	}
	return col
}

func maskIf(ok bool, m wire.Mask) wire.Mask {
	if ok {
		return m
	}
	return wire.Mask{}
}

// All yields every item, fetching pages as the loop needs them.
func (l List[T]) All(ctx context.Context) iter.Seq2[T, error] {
	if l.err != nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, l.err)
		}
	}
	return l.collection().All(ctx)
}

// Pages yields the list page by page.
func (l List[T]) Pages(ctx context.Context) iter.Seq2[*stratus.Page[T], error] {
	if l.err != nil {
		return func(yield func(*stratus.Page[T], error) bool) { yield(nil, l.err) }
	}
	return l.collection().Pages(ctx)
}

// Collect returns every item.
func (l List[T]) Collect(ctx context.Context) ([]T, error) {
	if l.err != nil {
		return nil, l.err
	}
	return l.collection().Collect(ctx)
}

// First returns the first item (ErrNotFound when there is none).
func (l List[T]) First(ctx context.Context) (T, error) {
	if l.err != nil {
		var zero T
		return zero, l.err
	}
	return l.collection().First(ctx)
}

// Count returns the number of items: one request for a one-item page,
// read from SoftLayer-Total-Items.
func (l List[T]) Count(ctx context.Context) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	return l.collection().Count(ctx)
}

// itemPath is the kind's item path with another mask in its query.
func itemPath(k *stratus.Kind, m wire.Mask) string {
	p, _, _ := strings.Cut(k.ItemPath, "?")
	if m.Empty() {
		return p
	}
	return p + "?" + url.Values{"objectMask": {m.String()}}.Encode()
}
