package stratus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
	"golang.org/x/sync/errgroup"
)

// Resource is the lazy handle under every typed model. Creating one does
// no I/O; the first field read loads the whole object once. It is safe for
// concurrent use, and concurrent first loads share one request.
type Resource struct {
	c    *Client
	kind *Kind
	id   string
	path string

	st      atomic.Pointer[resState]
	mu      sync.Mutex // serialises loads of this handle
	lastErr atomic.Pointer[errBox]
	tried   atomic.Bool // a lazy load already failed: getters stop calling out
	grp     *loadGroup  // the id-list page it came from, if any
	idx     int         // its place in that page
}

type resState struct {
	obj     gjson.Result
	at      time.Time
	partial bool
}

type errBox struct{ err error }

// hydrated allocates a resource and its first state together.
type hydrated struct {
	r Resource
	s resState
}

// NewResource returns an unloaded handle for id, at the kind's item path.
func NewResource(c *Client, k *Kind, id string) *Resource {
	return &Resource{c: c, kind: k, id: id}
}

// NewResourceAt returns an unloaded handle whose item path is given
// (objects nested under another, such as a domain's records).
func NewResourceAt(c *Client, k *Kind, id, path string) *Resource {
	return &Resource{c: c, kind: k, id: id, path: path}
}

// Hydrate returns a handle filled from obj, an object read from a list page
// or a create answer. partial says the object lacks fields that the item
// answer has. The handle keeps obj's bytes; nothing is copied.
func Hydrate(c *Client, k *Kind, obj gjson.Result, partial bool) *Resource {
	h := &hydrated{s: resState{obj: obj, at: time.Now(), partial: partial}}
	h.r.c, h.r.kind = c, k
	h.r.st.Store(&h.s)
	return &h.r
}

// HydrateAt is Hydrate for a handle whose item path is given.
func HydrateAt(c *Client, k *Kind, obj gjson.Result, path string) *Resource {
	r := Hydrate(c, k, obj, false)
	r.path = path
	return r
}

// Handle returns r itself; it makes every typed model an Object.
func (r *Resource) Handle() *Resource { return r }

// Client returns the client the handle belongs to.
func (r *Resource) Client() *Client { return r.c }

// Kind returns the handle's kind.
func (r *Resource) Kind() *Kind { return r.kind }

// ID returns the identifier as a string, without loading.
func (r *Resource) ID() string {
	if r.id != "" {
		return r.id
	}
	if st := r.st.Load(); st != nil {
		return st.obj.Get(r.kind.IDField).String()
	}
	return ""
}

// IntID returns a numeric identifier without allocating; 0 if the id is
// not a number.
func (r *Resource) IntID() int {
	if r.id != "" {
		n, _ := strconv.Atoi(r.id)
		return n
	}
	if st := r.st.Load(); st != nil {
		return int(st.obj.Get(r.kind.IDField).Int())
	}
	return 0
}

// Path returns the item path ("/v2/droplets/12345").
func (r *Resource) Path() string {
	if r.path != "" {
		return r.path
	}
	return strings.Replace(r.kind.ItemPath, "{id}", url.PathEscape(r.ID()), 1)
}

// Loaded says whether any data is held (full or partial).
func (r *Resource) Loaded() bool { return r.st.Load() != nil }

// Partial says whether the data held lacks fields of the full object.
func (r *Resource) Partial() bool {
	st := r.st.Load()
	return st == nil || st.partial
}

// LoadedAt returns when the data held was read (zero if never).
func (r *Resource) LoadedAt() time.Time {
	if st := r.st.Load(); st != nil {
		return st.at
	}
	return time.Time{}
}

// LastError returns the error of the last load or action on this handle,
// nil after a success. Getters never return error text as a value: they
// return zero values and record the error here.
func (r *Resource) LastError() error {
	if b := r.lastErr.Load(); b != nil {
		return b.err
	}
	return nil
}

// SetError records err as the handle's last error (nil clears it). Model
// packages call it after actions.
func (r *Resource) SetError(err error) {
	if err == nil {
		r.lastErr.Store(nil)
		return
	}
	r.lastErr.Store(&errBox{err})
}

// Load reads the object if no full data is held yet.
func (r *Resource) Load(ctx context.Context) error {
	if st := r.st.Load(); st != nil && !st.partial {
		return nil
	}
	return r.fetch(ctx, false)
}

// Reload reads the object again, bypassing the cache.
func (r *Resource) Reload(ctx context.Context) error { return r.fetch(ctx, true) }

// Exists loads the object and reports whether the API knows it. A
// not-found answer is (false, nil); other failures are errors.
func (r *Resource) Exists(ctx context.Context) (bool, error) {
	err := r.Load(ctx)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNotFound):
		return false, nil
	}
	return false, err
}

func (r *Resource) fetch(ctx context.Context, fresh bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !fresh {
		if st := r.st.Load(); st != nil && !st.partial {
			return nil
		}
	}
	if r.kind.ItemPath == "" && r.path == "" {
		err := &Error{Provider: r.c.provider.Name, Op: "load " + r.kind.Name, Message: "this kind cannot be read by id", Kind: ErrUnsupported}
		r.SetError(err)
		return err
	}
	path := r.Path()
	body, _, err := r.c.get(ctx, path, nil, r.kind.TTL, fresh)
	if err != nil {
		r.SetError(err)
		return err
	}
	obj, err := r.c.unwrap(body, r.kind.ItemKey, "GET "+path)
	if err != nil {
		r.SetError(err)
		return err
	}
	r.st.Store(&resState{obj: obj, at: time.Now()})
	r.tried.Store(false)
	r.SetError(nil)
	return nil
}

// Forget drops the data held: the next read loads the object again (after
// a delete, Exists asks the API rather than trusting what it held).
func (r *Resource) Forget() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.st.Store(nil)
	r.tried.Store(false)
}

// Fill replaces the data held by obj (an object the API returned from an
// update or an action). Model packages call it.
func (r *Resource) Fill(obj gjson.Result, partial bool) {
	r.st.Store(&resState{obj: obj, at: time.Now(), partial: partial})
	r.SetError(nil)
}

// unwrap takes the object out of its envelope; a missing key is a
// malformed answer.
func (c *Client) unwrap(body gjson.Result, key, op string) (gjson.Result, error) {
	obj := body
	if key != "" {
		obj = body.Get(key)
	}
	if !obj.IsObject() {
		what := "an object"
		if key != "" {
			what = fmt.Sprintf("the %q key", key)
		}
		return gjson.Result{}, &Error{Provider: c.provider.Name, Op: op, Message: "answer lacks " + what, Kind: ErrMalformed}
	}
	return obj, nil
}

// lazy loads on behalf of a getter, under the client's default timeout. A
// failed lazy load is not repeated by later getters (Load or Reload try
// again); its error is in LastError.
func (r *Resource) lazy() *resState {
	if r.tried.Load() {
		return r.st.Load()
	}
	if r.grp != nil {
		r.grp.touched(r.idx)
	}
	ctx, cancel := r.c.withTimeout(context.Background())
	defer cancel()
	if err := r.fetch(ctx, false); err != nil {
		r.tried.Store(true)
	}
	return r.st.Load()
}

// Get reads a field by gjson path, loading the object on first use (or
// when partial data lacks the field). A missing field or a failed load
// gives an empty result; see LastError.
func (r *Resource) Get(path string) gjson.Result {
	st := r.st.Load()
	if st != nil {
		v := st.obj.Get(path)
		if !st.partial || v.Exists() {
			return v
		}
	}
	if st = r.lazy(); st == nil {
		return gjson.Result{}
	}
	return st.obj.Get(path)
}

// Peek reads a field from the data held, never loading.
func (r *Resource) Peek(path string) gjson.Result {
	if st := r.st.Load(); st != nil {
		return st.obj.Get(path)
	}
	return gjson.Result{}
}

// JSON returns the raw object (loading it first), or "" if it cannot load.
func (r *Resource) JSON() string {
	if st := r.st.Load(); st != nil && !st.partial {
		return st.obj.Raw
	}
	if st := r.lazy(); st != nil {
		return st.obj.Raw
	}
	return ""
}

// Field helpers for model getters: no allocation for numbers and booleans.

// GetString reads a string field.
func (r *Resource) GetString(path string) string { return r.Get(path).String() }

// GetInt reads an integer field.
func (r *Resource) GetInt(path string) int { return int(r.Get(path).Int()) }

// GetFloat reads a number field.
func (r *Resource) GetFloat(path string) float64 { return r.Get(path).Float() }

// GetBool reads a boolean field.
func (r *Resource) GetBool(path string) bool { return r.Get(path).Bool() }

// GetTime reads an RFC 3339 timestamp (or Unix seconds); zero if absent.
func (r *Resource) GetTime(path string) time.Time { return ParseTime(r.Get(path)) }

// GetStrings reads an array of strings.
func (r *Resource) GetStrings(path string) []string {
	v := r.Get(path)
	if !v.IsArray() {
		return nil
	}
	var out []string
	v.ForEach(func(_, x gjson.Result) bool {
		out = append(out, x.String())
		return true
	})
	return out
}

// GetInts reads an array of integers.
func (r *Resource) GetInts(path string) []int {
	v := r.Get(path)
	if !v.IsArray() {
		return nil
	}
	var out []int
	v.ForEach(func(_, x gjson.Result) bool {
		out = append(out, int(x.Int()))
		return true
	})
	return out
}

// ParseTime reads a timestamp value: RFC 3339 text or Unix seconds.
func ParseTime(v gjson.Result) time.Time {
	switch v.Type {
	case gjson.String:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02T15:04:05.000-0700", "2006-01-02 15:04:05", "2006-01-02"} {
			if t, err := time.Parse(layout, v.Str); err == nil {
				return t
			}
		}
	case gjson.Number:
		return time.Unix(v.Int(), 0).UTC()
	}
	return time.Time{}
}

// String describes the handle without loading it.
func (r *Resource) String() string {
	state := ""
	switch st := r.st.Load(); {
	case st == nil:
		state = " (not loaded)"
	case st.partial:
		state = " (partial)"
	}
	return fmt.Sprintf("%s %s %s%s", r.c.provider.Name, r.kind.Name, r.ID(), state)
}

// Pprint writes the object as indented JSON, loading it first, with secret
// fields and the client's credentials redacted. If the object cannot be
// loaded it writes null and returns the error.
func (r *Resource) Pprint(w io.Writer) error {
	raw := r.JSON()
	if raw == "" {
		_, err := io.WriteString(w, "null\n")
		if le := r.LastError(); le != nil {
			return le
		}
		return err
	}
	var b strings.Builder
	writeJSON(&b, gjson.Parse(raw), "", r.kind.Secret)
	b.WriteByte('\n')
	_, err := io.WriteString(w, r.c.Redact(b.String()))
	return err
}

// secretNames are field names redacted in every kind.
var secretNames = []string{"password", "passwd", "root_password", "admin_pass", "adminpass", "secret", "secret_key", "secretkey", "token", "access_token", "refresh_token", "private_key", "privatekey", "api_key", "apikey", "application_secret", "consumer_key", "signature", "authorization"}

// IsSecret reports whether a field of that name has its value redacted by
// Pprint: one of the common secret names, or one of extra (a kind's list).
func IsSecret(name string, extra []string) bool { return isSecret(name, extra) }

func isSecret(name string, extra []string) bool {
	l := strings.ToLower(name)
	for _, s := range extra {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	for _, s := range secretNames {
		if l == s {
			return true
		}
	}
	return false
}

// WriteJSON writes v indented, redacting the values of secret keys.
func WriteJSON(b *strings.Builder, v gjson.Result, secret []string) {
	writeJSON(b, v, "", secret)
}

func writeJSON(b *strings.Builder, v gjson.Result, indent string, secret []string) {
	switch {
	case v.IsObject():
		b.WriteByte('{')
		first := true
		v.ForEach(func(k, x gjson.Result) bool {
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString("\n" + indent + "  ")
			b.WriteString(k.Raw)
			b.WriteString(": ")
			if isSecret(k.String(), secret) && x.Type != gjson.Null {
				b.WriteString(`"[redacted]"`)
			} else {
				writeJSON(b, x, indent+"  ", secret)
			}
			return true
		})
		if !first {
			b.WriteString("\n" + indent)
		}
		b.WriteByte('}')
	case v.IsArray():
		b.WriteByte('[')
		first := true
		v.ForEach(func(_, x gjson.Result) bool {
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString("\n" + indent + "  ")
			writeJSON(b, x, indent+"  ", secret)
			return true
		})
		if !first {
			b.WriteString("\n" + indent)
		}
		b.WriteByte(']')
	case v.Type == gjson.String && strings.Contains(v.Str, "://") && strings.ContainsRune(v.Str, '?'):
		b.WriteString(strconv.Quote(redactURL(v.Str, secret)))
	default:
		if v.Raw == "" {
			b.WriteString("null")
		} else {
			b.WriteString(v.Raw)
		}
	}
}

// redactURL hides the values of secret query parameters in a URL held in
// a field (OVH's bill URLs carry ?passwd=...), keeping the rest as it is.
func redactURL(s string, secret []string) string {
	i := strings.IndexByte(s, '?')
	query, frag, _ := strings.Cut(s[i+1:], "#")
	parts := strings.Split(query, "&")
	changed := false
	for j, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); err == nil && isSecret(name, secret) {
			parts[j] = k + "=[redacted]"
			changed = true
		}
	}
	if !changed {
		return s
	}
	out := s[:i+1] + strings.Join(parts, "&")
	if frag != "" || strings.Contains(s[i+1:], "#") {
		out += "#" + frag
	}
	return out
}

// LoadAll loads many handles at once, with at most the client's
// concurrency in flight per client, through the cache and its request
// sharing. It returns the first error; every handle records its own.
func LoadAll(ctx context.Context, objs ...Object) error {
	g, ctx := errgroup.WithContext(ctx)
	limit := 4
	if len(objs) > 0 {
		limit = objs[0].Handle().c.settings.Concurrency
	}
	g.SetLimit(limit)
	for _, o := range objs {
		r := o.Handle()
		if st := r.st.Load(); st != nil && !st.partial {
			continue
		}
		g.Go(func() error { return r.Load(ctx) })
	}
	return g.Wait()
}

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
}

// NewCollection returns the collection of kind k at its list path.
func NewCollection[T Object](c *Client, k *Kind, wrap func(*Resource) T) Collection[T] {
	return Collection[T]{c: c, kind: k, path: k.ListPath, wrap: wrap}
}

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

// Filter adds a query parameter (replacing any earlier value of key).
func (col Collection[T]) Filter(key string, values ...string) Collection[T] {
	col.q = transport.CloneQuery(col.q)
	col.q[key] = append([]string(nil), values...)
	return col
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
		pager := col.kind.Pager
		q := pager.First(col.q, col.pageSize())
		seen := 0
		for n := 1; ; n++ {
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
					if n, next, seen, stop = col.pagesAhead(ctx, pa, p, yield); stop || next == nil {
						return
					}
				}
			}
			q = next
		}
	}
}

func (col Collection[T]) fetchPage(ctx context.Context, q url.Values, n, seen int) (*Page[T], url.Values, error) {
	send, hdr := q, http.Header(nil)
	if hp, ok := col.kind.Pager.(transport.HeaderPager); ok {
		send, hdr = hp.Split(q)
	}
	body, rh, err := col.c.getWith(ctx, col.path, send, hdr, q, col.kind.TTL, col.fresh)
	if err != nil {
		return nil, nil, err
	}
	key := col.kind.ListKey
	if col.key != nil {
		key = *col.key
	}
	// One pass over the answer: the list, and the rest (links, meta) kept
	// apart so that reading them does not scan the list again.
	arr, rest := splitList(body, key)
	if !arr.IsArray() {
		return nil, nil, &Error{Provider: col.c.provider.Name, Op: "GET " + col.path, Message: fmt.Sprintf("answer lacks the %q list", key), Kind: ErrMalformed}
	}
	p := &Page[T]{Number: n, Body: body, Header: rh}
	count := 0
	var ids []*Resource
	arr.ForEach(func(_, v gjson.Result) bool {
		count++
		if col.limit > 0 && seen+len(p.Items) >= col.limit {
			return true
		}
		var r *Resource
		switch {
		case col.kind.IDList && !v.IsObject():
			// An id list gives ids; a list in bulk mode gives whole objects.
			r = NewResource(col.c, col.kind, v.String())
			ids = append(ids, r)
		default:
			partial := col.kind.Partial
			if col.part != nil {
				partial = *col.part
			}
			r = Hydrate(col.c, col.kind, v, partial)
		}
		if col.item != "" {
			r.path = strings.Replace(col.item, "{id}", url.PathEscape(r.ID()), 1)
		}
		p.Items = append(p.Items, col.wrap(r))
		return true
	})
	if len(ids) > 1 {
		p.group = newLoadGroup(col.c, ctx, ids)
	}
	if mp := col.c.provider.MetaPath; mp != "" {
		if m := rest.Get(mp); m.Exists() {
			col.c.meta.Store(&m)
		}
	}
	var hv transport.Header = rh
	if rh == nil {
		hv = http.Header{}
	}
	next, total := col.kind.Pager.Next(q, hv, rest, count)
	p.Total, p.next, p.count = total, next, count
	return p, next, nil
}

// splitList finds the list at key in one pass over a top-level object and
// returns it with an object of the other members (links, meta), which is
// small. A key that is a path, or no key, is read the plain way.
func splitList(body gjson.Result, key string) (list, rest gjson.Result) {
	if key == "" {
		return body, gjson.Result{}
	}
	if !body.IsObject() || strings.ContainsAny(key, ".*?|#@\\") {
		return body.Get(key), body
	}
	var b strings.Builder
	b.WriteByte('{')
	body.ForEach(func(k, v gjson.Result) bool {
		if k.Str == key && !list.Exists() {
			list = v
			return true
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(k.Raw)
		b.WriteByte(':')
		b.WriteString(v.Raw)
		return true
	})
	b.WriteByte('}')
	return list, gjson.Parse(b.String())
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

// WaitOptions tune a waiter. Zero fields take the client's settings.
type WaitOptions struct {
	MinDelay time.Duration // first delay between polls
	MaxDelay time.Duration // longest delay between polls
	Timeout  time.Duration // longest wait; 0: until ctx ends
	Progress func(WaitProgress)
}

// WaitProgress is reported after each poll.
type WaitProgress struct {
	Attempt int
	Elapsed time.Duration
	Done    int // objects that reached the wanted state
	Total   int
	State   string // a short description of the latest state
}

// WaitOptions returns the client's default wait settings.
func (c *Client) WaitOptions() WaitOptions {
	return WaitOptions{MinDelay: c.settings.WaitMin, MaxDelay: c.settings.WaitMax, Timeout: c.settings.WaitTime}
}

func (o WaitOptions) merge(c *Client) WaitOptions {
	d := c.WaitOptions()
	if o.MinDelay <= 0 {
		o.MinDelay = d.MinDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = d.MaxDelay
	}
	if o.MaxDelay < o.MinDelay {
		o.MaxDelay = o.MinDelay
	}
	if o.Timeout <= 0 {
		o.Timeout = d.Timeout
	}
	return o
}

// Poll calls check until it reports done, it fails, ctx ends or the wait
// time runs out. Delays grow from MinDelay to MaxDelay with jitter. Running
// out of wait time returns a *WaitTimeoutError (errors.Is ErrWaitTimeout);
// a cancelled ctx returns ctx.Err().
func Poll(ctx context.Context, c *Client, o WaitOptions, check func(ctx context.Context) (done bool, p WaitProgress, err error)) error {
	o = o.merge(c)
	start := time.Now()
	var deadline time.Time
	if o.Timeout > 0 {
		deadline = start.Add(o.Timeout)
	}
	for attempt := 1; ; attempt++ {
		done, p, err := check(ctx)
		if err != nil {
			return err
		}
		p.Attempt, p.Elapsed = attempt, time.Since(start)
		if o.Progress != nil {
			o.Progress(p)
		}
		if done {
			return nil
		}
		delay := transport.Backoff(attempt, o.MinDelay, o.MaxDelay)
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return &WaitTimeoutError{Waited: time.Since(start)}
			}
			if delay > left {
				delay = left
			}
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
