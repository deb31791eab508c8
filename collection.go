package stratus

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// Page is one page of a collection.
type Page[T Object] struct {
	Number int
	Items  []T
	Total  int          // size of the whole collection, -1 if unknown
	Body   gjson.Result // the whole answer
	Header http.Header  // response headers (nil when served from cache without them)
	group  *loadGroup   // loads id-list items ahead of the loop
	count  int          // items the page carried, before any limit
	next   url.Values   // the query of the following page, nil on the last
}

// Collection is an immutable query over a kind: every refinement returns
// a new value, and All can be run again. Items are hydrated from the list
// pages: reading their fields sends no request unless the list carries
// partial objects.
type Collection[T Object] struct {
	c     *Client
	kind  *Kind
	path  string
	q     url.Values
	limit int
	size  int
	fresh bool
	key   *string
	item  string // item path template of the items ("{id}" replaced); "" = the kind's
	part  *bool  // whether items are partial; nil = the kind's Partial
	wrap  func(*Resource) T
	err   *Error // a refinement refused (an unknown filter): yielded, nothing sent
}

// NewCollection returns the collection of kind k at its list path.
func NewCollection[T Object](c *Client, k *Kind, wrap func(*Resource) T) Collection[T] {
	k = k.registered()
	return Collection[T]{c: c, kind: k, path: k.ListPath, wrap: wrap}
}

// Kind returns a copy of the collection's kind.
func (col Collection[T]) Kind() *Kind { return col.kind.view() }

// At returns the collection listed at another path (a sub-list such as a
// droplet's snapshots).
func (col Collection[T]) At(path string) Collection[T] {
	col.path = path
	return col
}

// ListKey returns the collection read from another key of the list answer
// (a sub-list whose envelope differs from the kind's).
func (col Collection[T]) ListKey(key string) Collection[T] {
	col.key = &key
	return col
}

// ItemsAt sets where each item of the list is read from: a path with
// "{id}" standing for the item's id (records nested under their zone).
func (col Collection[T]) ItemsAt(pathTemplate string) Collection[T] {
	col.item = pathTemplate
	return col
}

// PartialItems says whether this list's objects lack fields of the item
// answer (a list asked for in less detail), overriding the kind's Partial:
// reading a missing field of a partial item loads the whole object.
func (col Collection[T]) PartialItems(partial bool) Collection[T] {
	col.part = &partial
	return col
}

// Filter adds one of the kind's filters (Kind.Filters), by the API's name
// or an alias, replacing any earlier value. An unknown key is refused:
// the collection then yields an ErrInvalid naming the accepted keys, and
// sends nothing.
func (col Collection[T]) Filter(key string, values ...string) Collection[T] {
	f, ok := col.kind.Filter(key)
	if !ok {
		if col.err == nil {
			col.err = invalid(providerName(col.c), "list "+col.kind.Plural, "%s lists have no filter %q; accepted: %s", col.kind.Name, key, col.kind.FilterNames())
		}
		return col
	}
	return col.Param(f.Name, values...)
}

// Param adds a query parameter unchecked (replacing any earlier value of
// key): for parameters the registry does not describe, and for the
// control keys a provider's pager reads.
func (col Collection[T]) Param(key string, values ...string) Collection[T] {
	col.q = transport.CloneQuery(col.q)
	col.q[key] = append([]string(nil), values...)
	return col
}

// check refuses a collection that a refinement refused or that lacks a
// required filter, before anything is sent.
func (col Collection[T]) check() *Error {
	if col.err != nil {
		return col.err
	}
	for _, f := range col.kind.Filters {
		if f.Required && col.q.Get(f.Name) == "" {
			hint := ""
			if f.Hint != "" {
				hint = ": use " + f.Hint
			}
			return invalid(providerName(col.c), "list "+col.kind.Plural, "%s lists need %s%s", col.kind.Name, f.Name, hint)
		}
	}
	return nil
}

// Limit bounds the total number of items yielded (0: no bound).
func (col Collection[T]) Limit(n int) Collection[T] {
	col.limit = n
	return col
}

// PageSize sets how many items each request asks for.
func (col Collection[T]) PageSize(n int) Collection[T] {
	col.size = n
	return col
}

// Fresh bypasses the cache (waiters use it).
func (col Collection[T]) Fresh() Collection[T] {
	col.fresh = true
	return col
}

// Query returns a copy of the filters.
func (col Collection[T]) Query() url.Values { return transport.CloneQuery(col.q) }

// Path returns the list path.
func (col Collection[T]) Path() string { return col.path }

func (col Collection[T]) pageSize() int {
	size := col.size
	if size <= 0 {
		size = col.c.settings.PageSize
	}
	if col.limit > 0 && (size <= 0 || col.limit < size) {
		size = col.limit
	}
	return size
}

// Pages yields the collection page by page, fetching each page only when
// the loop asks for it.
func (col Collection[T]) Pages(ctx context.Context) iter.Seq2[*Page[T], error] {
	return func(yield func(*Page[T], error) bool) {
		if col.path == "" {
			yield(nil, &Error{Provider: col.c.provider.Name, Op: "list " + col.kind.Name, Message: "this kind cannot be listed", Kind: ErrUnsupported})
			return
		}
		if err := col.check(); err != nil {
			yield(nil, err)
			return
		}
		ctx := withListing(ctx) // the listing's answers share one part of the cache's budget
		pager := col.kind.Pager
		q := pager.First(col.q, col.pageSize())
		seen := 0
		visited := pageSet{}
		for n := 1; ; n++ {
			if err := col.checkPage(visited, q, n); err != nil {
				yield(nil, err)
				return
			}
			p, next, err := col.fetchPage(ctx, q, n, seen)
			if err != nil {
				yield(nil, err)
				return
			}
			seen += len(p.Items)
			if !yield(p, nil) || next == nil || (col.limit > 0 && seen >= col.limit) {
				return
			}
			if n == 1 {
				// Once the total is known, the other pages can be fetched
				// ahead, several at a time.
				if pa, ok := pager.(transport.PageAddresser); ok {
					var stop bool
					if n, next, seen, stop = col.pagesAhead(ctx, pa, p, yield, visited); stop || next == nil {
						return
					}
				}
			}
			q = next
		}
	}
}

func (col Collection[T]) fetchPage(ctx context.Context, q url.Values, n, seen int) (*Page[T], url.Values, error) {
	sc, rh, err := col.getPage(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	p, err := col.decodePage(ctx, q, n, seen, &sc, rh)
	putSpans(sc.Items)
	if err != nil {
		return nil, nil, err
	}
	return p, p.next, nil
}

// listKey is the key of the list in the answers.
func (col Collection[T]) listKey() string {
	if col.key != nil {
		return *col.key
	}
	return col.kind.ListKey
}

// getPage reads the page of query q and scans it: one pass over the
// answer validates it and finds the list, its items and the other members
// (links, meta). An answer that arrives is scanned as it arrives, in
// place of the plain validation, so that it is walked once; one served
// from the cache (or by a request that another reader sent) is scanned
// when it is served.
func (col Collection[T]) getPage(ctx context.Context, q url.Values) (transport.PageScan, http.Header, error) {
	send, hdr := q, http.Header(nil)
	if hp, ok := col.kind.Pager.(transport.HeaderPager); ok {
		send, hdr = hp.Split(q)
	}
	key := col.listKey()
	var sc transport.PageScan
	scanned := false
	check := func(resp *transport.Response) error {
		s, err := transport.ScanPage(resp.Body, key, getSpans())
		if err != nil {
			return col.c.malformed(col.path, resp, err)
		}
		sc, scanned = s, true
		return nil
	}
	body, rh, err := col.c.getWith(ctx, col.path, send, hdr, q, col.kind.TTL, col.fresh, check)
	if err != nil {
		return transport.PageScan{}, nil, err
	}
	if scanned && sameEnd(sc.Body(), body.Raw) {
		return sc, rh, nil
	}
	// The answer was validated when it arrived; the scan finds its items.
	// body.Raw lacks only the whitespace before the answer, if any.
	raw := unsafe.Slice(unsafe.StringData(body.Raw), len(body.Raw))
	if sc, err = transport.ScanPage(raw, key, getSpans()); err != nil {
		return transport.PageScan{}, nil, &Error{Provider: col.c.provider.Name, Op: "GET " + col.path, Message: scanMessage(err), Kind: ErrMalformed}
	}
	return sc, rh, nil
}

// sameEnd says whether raw, the text of an answer that getWith returned,
// is the end of body: whether a scan of body serves it.
func sameEnd(body, raw string) bool {
	return len(raw) > 0 && len(raw) <= len(body) && unsafe.StringData(raw) == unsafe.StringData(body[len(body)-len(raw):])
}

// malformed is the error of an answer that a page's scan refused: the
// one that the plain validation gives, with the server's text in it.
func (c *Client) malformed(path string, resp *transport.Response, scanErr error) error {
	if _, err := c.parse(http.MethodGet, path, resp); err != nil {
		return err
	}
	return &Error{Provider: c.provider.Name, Op: transport.Op(http.MethodGet, path), Status: resp.Status, Message: scanMessage(scanErr), Kind: ErrMalformed, RequestID: resp.RequestID, Attempts: resp.Attempts}
}

// scanMessage is the message of a scan's error (which names no part of
// the answer).
func scanMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "answer is not valid JSON"
}

// spanPool keeps the buffers of items' ranges between pages.
var spanPool sync.Pool

func getSpans() []transport.Span {
	if b, ok := spanPool.Get().(*[]transport.Span); ok {
		return (*b)[:0]
	}
	return nil
}

func putSpans(b []transport.Span) {
	if cap(b) > 0 && cap(b) <= 1<<16 {
		spanPool.Put(&b)
	}
}

// DecodePage reads an answer already in hand (a recorded page) as the
// first page of the collection, the way a listing reads each page it
// fetches: validated, split and hydrated in one pass over body, whose
// bytes the items keep (body must not change afterwards). Nothing is sent
// or cached. A body that is not JSON, or that lacks the list, gives an
// ErrMalformed error.
func (col Collection[T]) DecodePage(ctx context.Context, body []byte, header http.Header) (*Page[T], error) {
	if err := col.check(); err != nil {
		return nil, err
	}
	sc, err := transport.ScanPage(body, col.listKey(), getSpans())
	if err != nil {
		return nil, &Error{Provider: col.c.provider.Name, Op: "GET " + col.path, Message: scanMessage(err), Kind: ErrMalformed}
	}
	p, err := col.decodePage(ctx, col.kind.Pager.First(col.q, col.pageSize()), 1, 0, &sc, header)
	putSpans(sc.Items)
	return p, err
}

// decodePage makes page n of query q from its scan; seen items came
// before it.
func (col Collection[T]) decodePage(ctx context.Context, q url.Values, n, seen int, sc *transport.PageScan, rh http.Header) (*Page[T], error) {
	if !sc.List.IsArray() {
		return nil, &Error{Provider: col.c.provider.Name, Op: "GET " + col.path, Message: fmt.Sprintf("answer lacks the %q list", col.listKey()), Kind: ErrMalformed}
	}
	p := &Page[T]{Number: n, Body: gjson.Parse(sc.Body()), Header: rh}
	partial := col.kind.Partial
	if col.part != nil {
		partial = *col.part
	}
	count := 0
	var ids []*Resource
	add := func(v gjson.Result) {
		count++
		if col.limit > 0 && seen+len(p.Items) >= col.limit {
			return
		}
		var r *Resource
		switch {
		case col.kind.IDList && !v.IsObject():
			// An id list gives ids; a list in bulk mode gives whole objects.
			r = NewResource(col.c, col.kind, v.String())
			ids = append(ids, r)
		default:
			r = Hydrate(col.c, col.kind, v, partial)
		}
		if col.item != "" {
			r.path = strings.Replace(col.item, "{id}", url.PathEscape(r.ID()), 1)
		}
		p.Items = append(p.Items, col.wrap(r))
	}
	if sc.Plain {
		sc.List.ForEach(func(_, v gjson.Result) bool {
			add(v)
			return true
		})
	} else {
		want := len(sc.Items)
		if col.limit > 0 {
			want = max(min(want, col.limit-seen), 0)
		}
		p.Items = make([]T, 0, want)
		for i := range sc.Items {
			add(sc.Item(i))
		}
	}
	if len(ids) > 1 {
		p.group = newLoadGroup(col.c, ctx, ids)
	}
	if len(ids) == 0 && len(p.Items) > 1 {
		col.relistFull(q, p.Items)
	}
	if mp := col.c.provider.MetaPath; mp != "" {
		if m := sc.Rest.Get(mp); m.Exists() {
			col.c.meta.Store(&m)
		}
	}
	var hv transport.Header = rh
	if rh == nil {
		hv = http.Header{}
	}
	next, total := col.kind.Pager.Next(q, hv, sc.Rest, count)
	p.Total, p.next, p.count = plausibleTotal(total, count), next, count
	return p, nil
}

// MaxPages is the most pages one listing reads. A collection larger than
// that (a hundred thousand pages: millions of objects) is an error, not an
// endless loop: a server whose links never end cannot hold a program.
const MaxPages = 100_000

// maxPages is MaxPages; tests lower it.
var maxPages = MaxPages

// pageSet remembers the pages a listing has read, by query.
type pageSet map[string]struct{}

func (s pageSet) add(q url.Values) bool {
	k := q.Encode()
	if _, dup := s[k]; dup {
		return false
	}
	s[k] = struct{}{}
	return true
}

// checkPage refuses page n of query q when the listing has read that page
// already (next links that cycle) or has read MaxPages pages.
func (col Collection[T]) checkPage(visited pageSet, q url.Values, n int) error {
	if n > maxPages {
		return &Error{Provider: col.c.provider.Name, Op: "GET " + col.path, Message: fmt.Sprintf("listing stopped after %d pages", maxPages), Kind: ErrMalformed}
	}
	if !visited.add(q) {
		return &Error{Provider: col.c.provider.Name, Op: "GET " + col.path, Message: fmt.Sprintf("page %d links back to a page already read", n-1), Kind: ErrMalformed}
	}
	return nil
}

// plausibleTotal treats a total that one page cannot have come from (more
// than MaxPages pages of this page's size, or negative) as unknown.
func plausibleTotal(total, count int) int {
	if total < 0 || (total > count && total/max(count, 1) >= MaxPages) {
		return -1
	}
	return total
}

// FullLister is a Pager whose lists can also be asked for with the whole
// objects (enStratus: x-es-details extended, which is what an item load
// answers). Full returns the query of the same page in full, and false
// when q already asks for it.
type FullLister interface {
	Full(q url.Values) (url.Values, bool)
}

// relist serves the partial items of one page: the first read of a field
// that an item lacks asks once for the page in full and fills every item
// of it, instead of one load per item (a field that the full answers lack
// too then costs nothing more). It is shared by the page's items.
type relist struct {
	once  sync.Once
	fetch func(ctx context.Context) ([]gjson.Result, error)
	idKey string
	items []*Resource
}

// relistFull gives the partial items of a page a shared relist, when the
// pager can ask for the page in full.
func (col Collection[T]) relistFull(q url.Values, items []T) {
	fl, ok := col.kind.Pager.(FullLister)
	if !ok {
		return
	}
	fq, ok := fl.Full(q)
	if !ok {
		return
	}
	rl := &relist{idKey: col.kind.IDField, items: make([]*Resource, 0, len(items))}
	for _, it := range items {
		if r := it.Handle(); r.Partial() {
			r.up = rl
			rl.items = append(rl.items, r)
		}
	}
	if len(rl.items) < 2 {
		for _, r := range rl.items {
			r.up = nil
		}
		return
	}
	rl.fetch = func(ctx context.Context) ([]gjson.Result, error) {
		sc, _, err := col.getPage(ctx, fq)
		if err != nil {
			return nil, err
		}
		defer putSpans(sc.Items)
		if !sc.List.IsArray() {
			return nil, &Error{Provider: col.c.provider.Name, Op: "GET " + col.path, Message: fmt.Sprintf("answer lacks the %q list", col.listKey()), Kind: ErrMalformed}
		}
		if sc.Plain {
			return sc.List.Array(), nil
		}
		items := make([]gjson.Result, len(sc.Items))
		for i := range items {
			items[i] = sc.Item(i)
		}
		return items, nil
	}
}

// fill asks for the page in full (once for all its items) and reports
// whether r is now whole. On failure the items load one by one as before.
func (rl *relist) fill(ctx context.Context, r *Resource) bool {
	rl.once.Do(func() {
		items, err := rl.fetch(ctx)
		if err != nil {
			return
		}
		byID := make(map[string]*Resource, len(rl.items))
		for _, it := range rl.items {
			byID[it.ID()] = it
		}
		now := time.Now()
		for _, v := range items {
			if it := byID[v.Get(rl.idKey).String()]; it != nil {
				if st := it.st.Load(); st == nil || st.partial {
					it.st.Store(&resState{obj: v, at: now})
				}
			}
		}
	})
	st := r.st.Load()
	return st != nil && !st.partial
}

// All yields every item, fetching pages lazily; breaking out of the loop
// stops fetching. An error is yielded once, last.
func (col Collection[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for p, err := range col.Pages(ctx) {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for i, it := range p.Items {
				if p.group != nil {
					p.group.ahead(i)
				}
				if !yield(it, nil) {
					if p.group != nil {
						p.group.stop()
					}
					return
				}
			}
		}
	}
}

// Collect returns every item.
func (col Collection[T]) Collect(ctx context.Context) ([]T, error) {
	var out []T
	for it, err := range col.All(ctx) {
		if err != nil {
			return out, err
		}
		out = append(out, it)
	}
	return out, nil
}

// First returns the first item, or an ErrNotFound error if there is none.
func (col Collection[T]) First(ctx context.Context) (T, error) {
	for it, err := range col.Limit(1).All(ctx) {
		return it, err
	}
	var zero T
	return zero, &Error{Provider: col.c.provider.Name, Op: "list " + col.kind.Plural, Message: "no item matches", Kind: ErrNotFound}
}

// Count returns the number of items: from the provider's total when the
// first page carries one (one request for a single item), else by listing.
func (col Collection[T]) Count(ctx context.Context) (int, error) {
	if col.limit == 0 {
		probe := col.PageSize(1)
		for p, err := range probe.Pages(ctx) {
			if err != nil {
				return 0, err
			}
			if p.Total >= 0 {
				return p.Total, nil
			}
			break
		}
	}
	n := 0
	for _, err := range col.All(ctx) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
