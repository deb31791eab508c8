package enstratus

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
)

// handle is what every typed handle of this package embeds: the lazy
// resource, and what mixcoatl kept beside an object's fields (the job of
// its last asynchronous operation and the status of its last request).
type handle struct {
	*stratus.Resource
	m *meta
}

type meta struct {
	job  atomic.Int64
	last atomic.Pointer[call]
}

// call is the outcome of the last write sent on a handle.
type call struct {
	status int
	at     time.Time
}

func newHandle(r *stratus.Resource) handle { return handle{r, &meta{}} }

// CurrentJob returns the id of the job the last asynchronous operation on
// this handle started (a 202 answer), or 0 when there was none.
func (h handle) CurrentJob() int { return int(h.m.job.Load()) }

// LastRequest describes the last answer this handle knows of, as mixcoatl
// printed it: "<Response [200]>" after a load, "<Response [404]>" after a
// failed one, "<Response [202]>" after an operation that started a job.
// It is "" when no answer arrived (nothing sent yet, or a network error).
func (h handle) LastRequest() string {
	if s := h.lastStatus(); s > 0 {
		return "<Response [" + strconv.Itoa(s) + "]>"
	}
	return ""
}

func (h handle) lastStatus() int {
	if err := h.LastError(); err != nil {
		var se *stratus.Error
		if errors.As(err, &se) {
			return se.Status
		}
		return 0
	}
	lc := h.m.last.Load()
	if lc != nil && (!h.Loaded() || lc.at.After(h.LoadedAt())) {
		return lc.status
	}
	if h.Loaded() {
		return http.StatusOK
	}
	return 0
}

// record notes the answer to a write on this handle: its status, and the
// job it started, if any. err is recorded in LastError (nil clears it).
func (h handle) record(status int, job int64, err error) {
	if status > 0 {
		h.m.last.Store(&call{status: status, at: time.Now()})
	}
	if job > 0 {
		h.m.job.Store(job)
	}
	h.SetError(err)
}

// Field reads a field by a dotted path in the API's camelCase or mixcoatl's
// snake_case ("cloud_provider_console_url"); see the package function
// Field.
func (h handle) Field(name string) gjson.Result { return Field(h.Resource, name) }

// Pprint writes the object the way mixcoatl's pprint shows it: every field
// under its snake_case name (nested objects too), keys sorted, plus
// "path" (the item path below the version, "geography/Cloud/1"),
// "last_request" ("<Response [200]>", or null), "last_error" (the API's
// message, or null) and "current_job" (the job id of the last 202 on this
// handle, or null). It loads the object first. Secret fields (passwords,
// API secret keys, the kind's Secret list) are written "[redacted]" and
// the client's credentials never appear. When the object cannot be loaded
// it still writes the id and the four entries, and returns the error.
func (h handle) Pprint(w io.Writer) error {
	raw := h.JSON()
	var b strings.Builder
	writeMixcoatl(&b, h, raw)
	b.WriteByte('\n')
	_, err := io.WriteString(w, h.Client().Redact(b.String()))
	if raw == "" {
		if le := h.LastError(); le != nil {
			return le
		}
	}
	return err
}

type entry struct {
	name string
	raw  string       // a JSON value, or
	val  gjson.Result // one to write with snake_case keys
	orig string       // the API's name, for the secret check
}

func writeMixcoatl(b *strings.Builder, h handle, raw string) {
	k := h.Kind()
	var entries []entry
	obj := gjson.Parse(raw)
	if raw != "" {
		obj.ForEach(func(key, v gjson.Result) bool {
			entries = append(entries, entry{name: Uncamel(key.Str), val: v, orig: key.Str})
			return true
		})
	}
	if raw == "" || !obj.Get(k.IDField).Exists() {
		id := h.Resource.ID()
		idRaw := strconv.Quote(id)
		if _, err := strconv.ParseInt(id, 10, 64); err == nil {
			idRaw = id
		}
		entries = append(entries, entry{name: Uncamel(k.IDField), raw: idRaw, orig: k.IDField})
	}
	null := func(s string) string {
		if s == "" {
			return "null"
		}
		return strconv.Quote(s)
	}
	lastErr := ""
	if err := h.LastError(); err != nil {
		var se *stratus.Error
		if errors.As(err, &se) && se.Message != "" {
			lastErr = se.Message
		} else {
			lastErr = err.Error()
		}
	}
	job := "null"
	if j := h.CurrentJob(); j > 0 {
		job = strconv.Itoa(j)
	}
	entries = append(entries,
		entry{name: "path", raw: strconv.Quote(h.Path())},
		entry{name: "last_request", raw: null(h.LastRequest())},
		entry{name: "last_error", raw: null(lastErr)},
		entry{name: "current_job", raw: job},
	)
	writeEntries(b, entries, "", k.Secret)
}

func writeEntries(b *strings.Builder, entries []entry, indent string, secret []string) {
	slices.SortStableFunc(entries, func(a, c entry) int { return strings.Compare(a.name, c.name) })
	b.WriteByte('{')
	for i, e := range entries {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n" + indent + "  ")
		b.WriteString(strconv.Quote(e.name))
		b.WriteString(": ")
		switch {
		case e.raw != "":
			b.WriteString(e.raw)
		case e.val.Type != gjson.Null && (stratus.IsSecret(e.orig, secret) || stratus.IsSecret(e.name, secret)):
			b.WriteString(`"[redacted]"`)
		default:
			writeSnake(b, e.val, indent+"  ", secret)
		}
	}
	if len(entries) > 0 {
		b.WriteString("\n" + indent)
	}
	b.WriteByte('}')
}

// writeSnake writes v indented, object keys in snake_case and sorted.
func writeSnake(b *strings.Builder, v gjson.Result, indent string, secret []string) {
	switch {
	case v.IsObject():
		var entries []entry
		v.ForEach(func(key, x gjson.Result) bool {
			entries = append(entries, entry{name: Uncamel(key.Str), val: x, orig: key.Str})
			return true
		})
		writeEntries(b, entries, indent, secret)
	case v.IsArray():
		b.WriteByte('[')
		n := 0
		v.ForEach(func(_, x gjson.Result) bool {
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			b.WriteString("\n" + indent + "  ")
			writeSnake(b, x, indent+"  ", secret)
			return true
		})
		if n > 0 {
			b.WriteString("\n" + indent)
		}
		b.WriteByte(']')
	case v.Raw == "":
		b.WriteString("null")
	default:
		b.WriteString(v.Raw)
	}
}

// ref returns the resource a reference field names ({"regionId":19344}):
// hydrated, partial, from the fields the reference carries when it is an
// extended one, else unloaded. nil when the field holds no reference.
func (h handle) ref(field string, k *stratus.Kind) *stratus.Resource {
	return refOf(h.Client(), h.Get(field), k)
}

// refs is ref for an array of references.
func (h handle) refs(field string, k *stratus.Kind) []*stratus.Resource {
	var out []*stratus.Resource
	h.Get(field).ForEach(func(_, v gjson.Result) bool {
		if r := refOf(h.Client(), v, k); r != nil {
			out = append(out, r)
		}
		return true
	})
	return out
}

func refOf(c *stratus.Client, v gjson.Result, k *stratus.Kind) *stratus.Resource {
	if !v.IsObject() {
		return nil
	}
	id := v.Get(k.IDField)
	if id.Type != gjson.Number && id.Type != gjson.String {
		return nil
	}
	n := 0
	v.ForEach(func(_, _ gjson.Result) bool { n++; return n < 2 })
	if n > 1 {
		return stratus.Hydrate(c, k, v, true)
	}
	return stratus.NewResource(c, k, id.String())
}

// refID reads the id of a reference field: RegionID reads region.regionId.
func (h handle) refID(field, idKey string) int { return h.GetInt(field + "." + idKey) }

// refIDs reads the ids of an array of references.
func (h handle) refIDs(field, idKey string) []int { return h.GetInts(field + ".#." + idKey) }

// List is what every list of this package is made of: a
// stratus.Collection of typed handles (T) whose refinements, generic and
// typed, return the list type (L) and chain in any order. The filters the
// API requires (regionId for data centers, machine images, server
// products and firewalls) are declared with the kinds and checked by the
// collection before anything is sent, whichever refinement came last.
//
// A list asks for basic detail unless told otherwise (Firewall and
// FirewallRule lists: none); its items are then partial, and reading a
// field the list lacks loads that item, once. Extended lists give whole
// objects. Each detail level of a list is a request of its own, cached on
// its own.
type List[T stratus.Object, L any] struct {
	stratus.Refinements[T, L]
}

// newList builds a list of kind k; mk makes the list type from a List.
func newList[T stratus.Object, L any](c *stratus.Client, k *stratus.Kind, wrap func(*stratus.Resource) T, mk func(List[T, L]) L) L {
	var self func(stratus.Collection[T]) L
	self = func(col stratus.Collection[T]) L { return mk(List[T, L]{stratus.Refine(col, self)}) }
	return self(stratus.NewCollection(c, k, wrap).PartialItems(true))
}

func (l List[T, L]) filter(key, value string) L { return l.Filter(key, value) }

func (l List[T, L]) detail(level string) L {
	return l.With(l.Collection.Param(DetailKey, level).PartialItems(level != DetailExtended))
}

// Basic asks for basic detail (the default of most lists).
func (l List[T, L]) Basic() L { return l.detail(DetailBasic) }

// Extended asks for extended detail: whole objects.
func (l List[T, L]) Extended() L { return l.detail(DetailExtended) }

// None asks for detail none: ids and little else.
func (l List[T, L]) None() L { return l.detail(DetailNone) }

// Detail returns the detail level the list asks for.
func (l List[T, L]) Detail() string {
	if d := l.Query().Get(DetailKey); d != "" {
		return d
	}
	if p, ok := l.Kind().Pager.(Pager); ok && p.Detail != "" {
		return p.Detail
	}
	return DetailBasic
}

// Keys returns the ids of the items without loading any, as mixcoatl's
// keys_only: one request, asked for with detail none (the smallest
// answer).
func (l List[T, L]) Keys(ctx context.Context) ([]string, error) {
	var keys []string
	for it, err := range l.Collection.Param(DetailKey, DetailNone).All(ctx) {
		if err != nil {
			return keys, err
		}
		keys = append(keys, it.Handle().ID())
	}
	return keys, nil
}

// IDs is Keys for the kinds whose ids are numbers (all but ApiKey).
func (l List[T, L]) IDs(ctx context.Context) ([]int, error) {
	keys, err := l.Keys(ctx)
	ids := make([]int, 0, len(keys))
	for _, k := range keys {
		n, perr := strconv.Atoi(k)
		if perr != nil {
			return ids, &stratus.Error{Provider: Name, Op: "list " + l.Kind().Plural, Message: "id " + strconv.Quote(k) + " is not a number: use Keys", Kind: stratus.ErrMalformed}
		}
		ids = append(ids, n)
	}
	return ids, err
}
