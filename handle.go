package stratus

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
	tried   atomic.Bool            // a lazy load already failed: getters stop calling out
	kept    atomic.Pointer[string] // the id of a hydrated handle whose data was forgotten
	grp     *loadGroup             // the id-list page it came from, if any
	idx     int                    // its place in that page
	bad     *Error                 // the handle was made from an href it refused
	up      *relist                // re-lists its page in full for a missing field, if any
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
	return &Resource{c: c, kind: k.registered(), id: id}
}

// NewResourceAt returns an unloaded handle whose item path is given
// (objects nested under another, such as a domain's records).
func NewResourceAt(c *Client, k *Kind, id, path string) *Resource {
	return &Resource{c: c, kind: k.registered(), id: id, path: path}
}

// Hydrate returns a handle filled from obj, an object read from a list page
// or a create answer. partial says the object lacks fields that the item
// answer has. The handle keeps obj's bytes; nothing is copied.
func Hydrate(c *Client, k *Kind, obj gjson.Result, partial bool) *Resource {
	h := &hydrated{s: resState{obj: obj, at: time.Now(), partial: partial}}
	h.r.c, h.r.kind = c, k.registered()
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

// Kind returns a copy of the handle's kind: changing it changes no route.
func (r *Resource) Kind() *Kind { return r.kind.view() }

// ID returns the identifier as a string, without loading.
func (r *Resource) ID() string {
	if r.id != "" {
		return r.id
	}
	if st := r.st.Load(); st != nil {
		if id := st.obj.Get(r.kind.IDField).String(); id != "" || r.kind.HrefField == "" {
			return id
		}
		_, id := r.hrefOf()
		return id
	}
	if id := r.kept.Load(); id != nil {
		return *id
	}
	return ""
}

// IntID returns a numeric identifier without allocating; 0 if the id is
// not a number. An integer id beyond what int holds is not read as the
// largest int: IntID returns 0 and LastError says why.
func (r *Resource) IntID() int {
	if r.id != "" {
		n, err := strconv.Atoi(r.id)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				r.SetError(invalid(r.c.provider.Name, "id of "+r.kind.Name, "id %s is beyond the integer range", r.id))
			}
			return 0
		}
		return n
	}
	if st := r.st.Load(); st != nil {
		v := st.obj.Get(r.kind.IDField)
		if !v.Exists() && r.kind.HrefField != "" {
			_, id := r.hrefOf()
			n, _ := strconv.Atoi(id)
			return n
		}
		if v.Type == gjson.Number {
			n, err := strconv.ParseInt(v.Raw, 10, strconv.IntSize)
			if err != nil {
				if errors.Is(err, strconv.ErrRange) {
					r.SetError(&Error{Provider: r.c.provider.Name, Op: "id of " + r.kind.Name, Message: "id " + v.Raw + " is beyond the integer range", Kind: ErrMalformed})
					return 0
				}
				return int(v.Int())
			}
			return int(n)
		}
		return int(v.Int())
	}
	return 0
}

// CheckID refuses an id that would make a path name something else: ""
// (the collection itself), "." and ".." (a parent once dot segments are
// removed). Model constructors and actions need not call it: every load
// does, and the transport refuses such a segment in any path.
func (c *Client) CheckID(k *Kind, id string) error {
	switch id {
	case "", ".", "..":
		name := "object"
		if k != nil {
			name = k.Name
		}
		return invalid(c.provider.Name, "load "+name, "invalid id %q", id)
	}
	return nil
}

// Path returns the item path ("/v2/droplets/12345").
func (r *Resource) Path() string {
	if r.path != "" {
		return r.path
	}
	if p, _ := r.hrefOf(); p != "" {
		return p
	}
	if r.kind.ItemPath == "" {
		return ""
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
	if r.bad != nil {
		r.SetError(r.bad)
		return r.bad
	}
	path := r.Path()
	if path == "" {
		err := &Error{Provider: r.c.provider.Name, Op: "load " + r.kind.Name, Message: "this kind cannot be read by id", Kind: ErrUnsupported}
		r.SetError(err)
		return err
	}
	if r.path == "" && strings.Contains(r.kind.ItemPath, "{id}") {
		if err := r.c.CheckID(r.kind, r.ID()); err != nil {
			r.SetError(err)
			return err
		}
	}
	body, _, err := r.c.get(ctx, path, nil, r.kind.TTL, fresh)
	if err != nil {
		r.SetError(err)
		return err
	}
	obj, err := r.c.unwrap(body, r.kind.ItemKey, "GET", path)
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
	if st := r.st.Load(); st != nil && r.id == "" {
		// A handle read from a list knows its id from its data only:
		// keep the id, or the next load would ask for the collection.
		id := st.obj.Get(r.kind.IDField).String()
		r.kept.Store(&id)
	}
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
func (c *Client) unwrap(body gjson.Result, key, method, path string) (gjson.Result, error) {
	obj := body
	if key != "" {
		obj = body.Get(key)
	}
	if !obj.IsObject() {
		what := "an object"
		if key != "" {
			what = fmt.Sprintf("the %q key", key)
		}
		return gjson.Result{}, &Error{Provider: c.provider.Name, Op: method + " " + path, Message: "answer lacks " + what, Kind: ErrMalformed}
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
	if r.up != nil && r.up.fill(ctx, r) {
		return r.st.Load()
	}
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
