package rightscale

import (
	"context"
	"iter"
	"net/http"
	"slices"
	"strings"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/rightscale"
)

// List is a collection of one kind at an href: an index with filters,
// a view and other parameters. It is an immutable value: every refinement
// returns a new List, and nothing is sent until All, Collect, First,
// Count or FindByName runs. Items come hydrated from the answer (one
// request per listing, never one per item); with a view that carries
// fewer fields than the default (tiny), items are partial and load in
// full when a missing field is read.
type List[T stratus.Object] struct {
	c       *stratus.Client
	kind    *stratus.Kind
	href    string
	filters []string
	view    string
	params  Params
	wrap    func(*stratus.Resource) T
	fresh   bool
}

func newList[T stratus.Object](c *stratus.Client, k *stratus.Kind, href string, wrap func(*stratus.Resource) T) *List[T] {
	return &List[T]{c: c, kind: k, href: href, wrap: wrap}
}

func (l *List[T]) clone() *List[T] {
	cp := *l
	cp.filters = slices.Clone(l.filters)
	cp.params = Params{}
	for k, v := range l.params {
		cp.params[k] = slices.Clone(v)
	}
	return &cp
}

// Href is the collection's href ("/api/clouds/1/instances").
func (l *List[T]) Href() string { return l.href }

// Where adds filter[]=<field><op><value>; op is "==" or "<>". On the
// fields the API marks partial (names, descriptions) "==" matches a
// substring; on the others (hrefs, states) it matches exactly.
func (l *List[T]) Where(field, op, value string) *List[T] {
	cp := l.clone()
	cp.filters = append(cp.filters, field+op+value)
	return cp
}

// Eq is Where(field, "==", value).
func (l *List[T]) Eq(field, value string) *List[T] { return l.Where(field, "==", value) }

// Ne is Where(field, "<>", value).
func (l *List[T]) Ne(field, value string) *List[T] { return l.Where(field, "<>", value) }

// View asks for a view ("tiny", "extended", "full", "instance_detail",
// ...). A tiny view makes the items partial.
func (l *List[T]) View(v string) *List[T] {
	cp := l.clone()
	cp.view = v
	return cp
}

// Param adds any other documented parameter of the index
// (latest_only=true, with_deleted=true).
func (l *List[T]) Param(key string, values ...string) *List[T] {
	cp := l.clone()
	cp.params[key] = values
	return cp
}

// Fresh bypasses the cache.
func (l *List[T]) Fresh() *List[T] {
	cp := l.clone()
	cp.fresh = true
	return cp
}

// Filters returns the filter[] entries.
func (l *List[T]) Filters() []string { return slices.Clone(l.filters) }

func (l *List[T]) collection() stratus.Collection[T] {
	// Items are addressed by their self href (the kind's HrefField).
	partial := l.view == "tiny"
	col := stratus.NewCollection(l.c, l.kind, l.wrap).At(l.href).PartialItems(partial)
	if len(l.filters) > 0 {
		col = col.Filter("filter[]", l.filters...)
	}
	if l.view != "" {
		col = col.Filter("view", l.view)
	}
	for k, v := range l.params {
		col = col.Filter(k, v...)
	}
	if l.fresh {
		col = col.Fresh()
	}
	return col
}

func (l *List[T]) check() error {
	if l.href == "" || !strings.HasPrefix(l.href, "/") {
		return &stratus.Error{Provider: wire.Name, Op: "index " + l.kind.Plural, Message: "no href to list (the link is missing)", Kind: stratus.ErrNotFound}
	}
	return nil
}

// All yields every item; breaking out of the loop stops. An error is
// yielded once, last.
func (l *List[T]) All(ctx context.Context) iter.Seq2[T, error] {
	if err := l.check(); err != nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, err)
		}
	}
	return l.collection().All(ctx)
}

// Collect returns every item.
func (l *List[T]) Collect(ctx context.Context) ([]T, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	return l.collection().Collect(ctx)
}

// First returns the first item, or an error matching ErrNotFound.
func (l *List[T]) First(ctx context.Context) (T, error) {
	if err := l.check(); err != nil {
		var zero T
		return zero, err
	}
	return l.collection().First(ctx)
}

// Count returns the number of items (one request).
func (l *List[T]) Count(ctx context.Context) (int, error) {
	items, err := l.Collect(ctx)
	return len(items), err
}

// FindByName returns the item whose name is exactly name, as
// python-rightscale's find_by_name: the API's name filter matches
// substrings, so the answer is checked. No exact match is an error
// matching ErrNotFound; several are ErrConflict.
func (l *List[T]) FindByName(ctx context.Context, name string) (T, error) {
	var zero T
	var found []T
	for it, err := range l.Eq("name", name).All(ctx) {
		if err != nil {
			return zero, err
		}
		if it.Handle().Peek("name").String() == name {
			found = append(found, it)
		}
	}
	switch len(found) {
	case 0:
		return zero, &stratus.Error{Provider: wire.Name, Op: "find " + l.kind.Name, Message: "no " + l.kind.Name + " is named " + quote(name), Kind: stratus.ErrNotFound}
	case 1:
		return found[0], nil
	}
	return zero, &stratus.Error{Provider: wire.Name, Op: "find " + l.kind.Name, Message: "several " + l.kind.Plural + " are named " + quote(name), Kind: stratus.ErrConflict}
}

// Create sends the kind's create to this collection (POST, 201) with
// fields in the API's form ("deployment[name]"), and returns a handle on
// the new object (from the Location; nothing more is sent).
func (l *List[T]) Create(ctx context.Context, p Params) (T, error) {
	var zero T
	if err := l.check(); err != nil {
		return zero, err
	}
	res, err := send(ctx, l.c, http.MethodPost, l.href, p)
	if err != nil {
		return zero, err
	}
	if res.Location == "" {
		return zero, &stratus.Error{Provider: wire.Name, Op: "POST " + l.href, Status: res.Status, Message: "the answer names no Location", Kind: stratus.ErrMalformed}
	}
	return l.wrap(stratus.NewResourceHref(l.c, l.kind, res.Location)), nil
}
