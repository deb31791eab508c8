package softlayer

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
	"github.com/tidwall/gjson"
)

// handle is what every typed handle of this package embeds: the lazy
// resource and the mask its data was loaded with, if it was partial.
type handle struct {
	*stratus.Resource
	mask wire.Mask
	m    *meta
}

type meta struct {
	// stale is set by an action that changed the object: the next read
	// loads it again, bypassing the cache.
	stale atomic.Bool
}

func newHandle(r *stratus.Resource, m wire.Mask) handle {
	return handle{Resource: r, mask: m, m: &meta{}}
}

func (h handle) markStale() { h.m.stale.Store(true) }

// refresh reloads a handle an action made stale.
func (h handle) refresh(ctx context.Context) (bool, error) {
	if !h.m.stale.Swap(false) {
		return false, nil
	}
	return true, h.Reload(ctx)
}

// Load reads the object if no full data is held, or again after an
// action changed it.
func (h handle) Load(ctx context.Context) error {
	if did, err := h.refresh(ctx); did {
		return err
	}
	return h.Resource.Load(ctx)
}

// Exists says whether the API knows the object (after Delete it asks).
func (h handle) Exists(ctx context.Context) (bool, error) {
	did, err := h.refresh(ctx)
	switch {
	case !did:
		return h.Resource.Exists(ctx)
	case err == nil:
		return true, nil
	case errors.Is(err, stratus.ErrNotFound):
		return false, nil
	}
	return false, err
}

// field reads a field. A handle loaded with a mask knows which fields it
// holds: a field the mask covers is answered from the data held (absent
// means the object has none); any other loads the object once, with the
// kind's mask and the one it was loaded with.
func (h handle) field(path string) gjson.Result {
	if h.m.stale.Load() {
		ctx, cancel := context.WithTimeout(context.Background(), h.Client().Settings().Timeout)
		_, _ = h.refresh(ctx)
		cancel()
	}
	if !h.mask.Empty() && h.Loaded() && h.Partial() && h.mask.Covers(path) {
		return h.Peek(path)
	}
	return h.Get(path)
}

func (h handle) str(path string) string     { return h.field(path).String() }
func (h handle) int(path string) int        { return int(h.field(path).Int()) }
func (h handle) uint(path string) uint      { return uint(h.field(path).Uint()) }
func (h handle) bool(path string) bool      { return h.field(path).Bool() }
func (h handle) time(path string) time.Time { return stratus.ParseTime(h.field(path)) }

// LoadedMask is the mask the data held was loaded with when it is
// partial; "" when the object was loaded whole (with the kind's mask).
func (h handle) LoadedMask() string {
	if !h.Partial() {
		return ""
	}
	return h.mask.String()
}

func (h handle) tags() []string {
	var out []string
	h.field("tagReferences").ForEach(func(_, t gjson.Result) bool {
		if n := t.Get("tag.name").String(); n != "" {
			out = append(out, n)
		}
		return true
	})
	return out
}

// call runs a method on the handle's object and records its error.
func (h handle) call(ctx context.Context, service, method string, opts ...Option) (Result, error) {
	r, err := Call(ctx, h.Client(), service, method, append([]Option{ID(h.IntID())}, opts...)...)
	h.SetError(err)
	return r, err
}

// action runs a method that answers true, as a write.
func (h handle) action(ctx context.Context, service, method string, opts ...Option) error {
	r, err := h.call(ctx, service, method, append(opts, asWrite)...)
	if err != nil {
		return err
	}
	if r.Type != gjson.True {
		err = &stratus.Error{Provider: Name, Op: service + "::" + method, Message: "the API answered " + snip(r.Raw), Kind: stratus.ErrMalformed}
		h.SetError(err)
	}
	return err
}

func snip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

func asWrite(c *wire.Call) error { c.Write = true; return nil }

// loadMasked makes a handle loaded with mask m: the object is read now
// with m; fields outside it load the rest once, with the kind's mask and
// m together.
func loadMasked(ctx context.Context, c *stratus.Client, k *stratus.Kind, id string, m wire.Mask) (handle, error) {
	opts := []Option{WithMask(m.String())}
	service, method := serviceMethod(k)
	if id != "" {
		opts = append(opts, func(cl *wire.Call) error { cl.ID = id; return nil })
	}
	r, err := Call(ctx, c, service, method, opts...)
	if err != nil {
		return handle{}, err
	}
	if !r.IsObject() {
		return handle{}, &stratus.Error{Provider: Name, Op: service + "::" + method, Message: "the answer is not an object", Kind: stratus.ErrMalformed}
	}
	res := stratus.NewResourceAt(c, k, id, strings.Replace(itemPath(k, fullMask(k, m)), "{id}", id, 1))
	res.Fill(r.Result, true)
	return newHandle(res, m), nil
}

// serviceMethod reads the service and method of a kind's item path.
func serviceMethod(k *stratus.Kind) (string, string) {
	p, _, _ := strings.Cut(k.ItemPath, "?")
	p = strings.TrimSuffix(strings.TrimPrefix(p, "/"), ".json")
	parts := strings.Split(p, "/")
	return parts[0], parts[len(parts)-1]
}

// filled makes a full handle from an object the API answered (a create),
// keeping its id.
func filled(c *stratus.Client, k *stratus.Kind, obj gjson.Result) handle {
	r := stratus.NewResource(c, k, obj.Get("id").String())
	r.Fill(obj, false)
	return newHandle(r, wire.Mask{})
}
