// Package scope is the provider-neutral view of stratus, in mixcoatl's
// vocabulary: geography (Cloud, Region, DataCenter), infrastructure
// (Server, MachineImage, Volume, Size), network (Firewall, IPAddress,
// DNSZone, DNSRecord) and admin (Account, User, Job, Bill). The typed
// kinds live in the sub-packages; this package holds what they share: the
// mapping tables that say, for each provider, which native kind stands for
// a neutral one and where its fields are, and the machinery that lists and
// reads through them.
//
// A neutral item is a view over a native handle: Native returns the
// provider's own typed handle (a *digitalocean.DropletHandle, an
// *ovh.DedicatedServerHandle, ...) and nothing is copied. A kind a provider
// lacks answers an error matching stratus.ErrUnsupported.
//
// Listings across clients stream. List (and every typed listing built on
// it, such as infrastructure.Servers) starts every client's listing at
// once and yields each page as it arrives: the first item comes with the
// fastest provider's first page, not after any whole listing. The order:
// pages (chunks of id lists, once loaded) in the order they arrived,
// whole; within one source (a client's native kind) its own order, page
// after page. An error of one client is
// yielded after the items it gave, and the others go on. Each source holds
// at most one page waiting for the loop and one being read (plus the pages
// its collection fetches ahead), so a slow loop holds the listings back;
// a break cancels them all, and the loop returns once they have returned.
// Pages are the collections' own size: by default the largest the
// provider allows.
//
// The tables name native kinds by their registry names, so this package
// imports no model package: a provider's table takes effect once its model
// package is imported (which registers the provider).
package scope

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"
	"sync"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
)

// The neutral kinds.
const (
	KindCloud        = "cloud"
	KindRegion       = "region"
	KindDataCenter   = "datacenter"
	KindServer       = "server"
	KindMachineImage = "machine_image"
	KindVolume       = "volume"
	KindSize         = "size"
	KindFirewall     = "firewall"
	KindIPAddress    = "ip_address"
	KindDNSZone      = "dns_zone"
	KindDNSRecord    = "dns_record"
	KindAccount      = "account"
	KindUser         = "user"
	KindJob          = "job"
	KindBill         = "bill"
)

// Kinds lists the neutral kinds by scope.
var Kinds = map[string][]string{
	"geography":      {KindCloud, KindRegion, KindDataCenter},
	"infrastructure": {KindServer, KindMachineImage, KindVolume, KindSize},
	"network":        {KindFirewall, KindIPAddress, KindDNSZone, KindDNSRecord},
	"admin":          {KindAccount, KindUser, KindJob, KindBill},
}

// Source says how one native kind stands for a neutral kind.
type Source struct {
	// Kind is the native kind's registry name ("droplet").
	Kind string
	// Fields maps a neutral field name to a gjson path in the native
	// object ("public_ip" -> `networks.v4.#(type=="public").ip_address`).
	Fields map[string]string
	// States maps native states (the "state" field's values) to the
	// neutral ones; a value not in the map is passed through lower-cased.
	States map[string]string
	// Single marks a kind with one object per account (DigitalOcean's
	// account, OVH's /me): listing gives that object.
	Single bool
	// Pages overrides how the kind is listed (OVH's cloud instances, one
	// list per project), page by page: each page is handed to the loop of
	// List as soon as it arrives. Items must be handles of Kind. It must
	// return soon after ctx ends.
	Pages func(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[[]stratus.Object, error]
	// List overrides how the kind is listed, item by item; it takes
	// precedence over Pages. Its items are handed to the loop one at a
	// time (a loop over many items is better served by Pages).
	List func(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[stratus.Object, error]
}

// Table maps neutral kinds to the native sources of one provider. A
// neutral kind may have several sources (OVH's servers are dedicated
// servers and cloud instances).
type Table map[string][]Source

var tables = struct {
	sync.RWMutex
	m map[string]Table
}{m: map[string]Table{}}

// Register sets the table of a provider, replacing any earlier one. The
// tables of the built-in providers are registered by this package.
func Register(provider string, t Table) {
	tables.Lock()
	defer tables.Unlock()
	tables.m[provider] = t
}

// TableOf returns the table registered for a provider (nil if none).
func TableOf(provider string) Table {
	tables.RLock()
	defer tables.RUnlock()
	return tables.m[provider]
}

// Sources returns the sources of a neutral kind for a client's provider,
// or an error matching stratus.ErrUnsupported.
func Sources(c *stratus.Client, kind string) ([]Source, error) {
	name := c.Provider().Name
	tables.RLock()
	srcs := tables.m[name][kind]
	tables.RUnlock()
	if len(srcs) == 0 {
		return nil, unsupported(name, kind)
	}
	return srcs, nil
}

func unsupported(provider, kind string) error {
	return &stratus.Error{Provider: provider, Op: "scope " + kind, Message: provider + " has no " + strings.ReplaceAll(kind, "_", " ") + " kind", Kind: stratus.ErrUnsupported}
}

// Item is one neutral object: a view over a native handle.
type Item struct {
	native stratus.Object
	src    *Source
	err    error // why there is no native handle (an unsupported kind)
}

// Native returns the provider's own typed handle.
func (i Item) Native() stratus.Object { return i.native }

// Resource returns the native handle's resource (nil for a zero Item).
func (i Item) Resource() *stratus.Resource {
	if i.native == nil {
		return nil
	}
	return i.native.Handle()
}

// Provider returns the provider's name ("" for a zero Item).
func (i Item) Provider() string {
	if r := i.Resource(); r != nil {
		return r.Client().Provider().Name
	}
	return ""
}

// NativeKind returns the native kind's name.
func (i Item) NativeKind() string {
	if i.src == nil {
		return ""
	}
	return i.src.Kind
}

// Field reads a neutral field through the source's path, loading the
// native object if needed; empty if the provider has no such field.
func (i Item) Field(name string) gjson.Result {
	r := i.Resource()
	if r == nil || i.src == nil {
		return gjson.Result{}
	}
	path, ok := i.src.Fields[name]
	if !ok {
		return gjson.Result{}
	}
	return r.Get(path)
}

// String reads a neutral field as text.
func (i Item) String(name string) string { return i.Field(name).String() }

// ID returns the native id.
func (i Item) ID() string {
	if r := i.Resource(); r != nil {
		return r.ID()
	}
	return ""
}

// State returns the neutral state of the "state" field: the source's
// mapping of the native value, else the native value lower-cased.
func (i Item) State() string {
	v := i.String("state")
	if i.src != nil {
		if s, ok := i.src.States[v]; ok {
			return s
		}
	}
	return strings.ToLower(v)
}

// NativeState returns the native value of the "state" field.
func (i Item) NativeState() string { return i.String("state") }

// LastError returns the native handle's last error, or why there is no
// native handle (the provider lacks the kind).
func (i Item) LastError() error {
	if r := i.Resource(); r != nil {
		return r.LastError()
	}
	return i.err
}

// Load reads the native object if it is not held in full.
func (i Item) Load(ctx context.Context) error {
	if r := i.Resource(); r != nil {
		return r.Load(ctx)
	}
	return i.err
}

// Pprint prints the native object the way its provider prints it.
func (i Item) Pprint(w io.Writer) error {
	if i.native == nil {
		_, err := io.WriteString(w, "null\n")
		if i.err != nil {
			return i.err
		}
		return err
	}
	if p, ok := i.native.(interface{ Pprint(io.Writer) error }); ok {
		return p.Pprint(w)
	}
	return i.Resource().Pprint(w)
}

// One is Get for the typed constructors, with id an int or a string. It
// never fails: an
// unsupported kind gives an Item whose LastError says so and whose
// fields are empty (mixcoatl's Cloud(1) returns at once).
func One(c *stratus.Client, kind string, id any) Item {
	it, err := Get(c, kind, fmt.Sprint(id))
	if err != nil {
		return Item{err: err}
	}
	return it
}

// ListOf is List with each item wrapped in a typed kind.
func ListOf[T any](ctx context.Context, kind string, wrap func(Item) T, clients ...*stratus.Client) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for it, err := range List(ctx, kind, clients...) {
			if !yield(wrap(it), err) {
				return
			}
		}
	}
}

// As returns the native handle as T (a provider's typed handle), and
// whether it is one.
func As[T stratus.Object](i Item) (T, bool) {
	t, ok := i.native.(T)
	return t, ok
}

func nativeKind(c *stratus.Client, src *Source) (*stratus.Kind, error) {
	k, ok := c.Provider().Kind(src.Kind)
	if !ok || k.New == nil {
		return nil, fmt.Errorf("scope: %s has no kind %q (its table is out of date)", c.Provider().Name, src.Kind)
	}
	return k, nil
}

// Get returns a handle for id of a neutral kind, without any request: the
// first source that can read items by id.
func Get(c *stratus.Client, kind, id string) (Item, error) {
	srcs, err := Sources(c, kind)
	if err != nil {
		return Item{}, err
	}
	for i := range srcs {
		src := &srcs[i]
		k, err := nativeKind(c, src)
		if err != nil {
			return Item{}, err
		}
		switch {
		case src.Single:
			return Item{native: k.New(stratus.NewResource(c, k, "")), src: src}, nil
		case k.ItemPath != "" && id != "":
			return Item{native: k.New(stratus.NewResource(c, k, id)), src: src}, nil
		}
	}
	if id == "" {
		return Item{}, &stratus.Error{Provider: c.Provider().Name, Op: "scope " + kind, Message: "an id is needed", Kind: stratus.ErrInvalid}
	}
	return Item{}, unsupported(c.Provider().Name, kind+" by id")
}

// GetUnder returns a handle for a nested object (a DNS record of a zone).
func GetUnder(c *stratus.Client, kind, parent, id string) (Item, error) {
	srcs, err := Sources(c, kind)
	if err != nil {
		return Item{}, err
	}
	for i := range srcs {
		src := &srcs[i]
		k, err := nativeKind(c, src)
		if err != nil {
			return Item{}, err
		}
		if k.Under == nil {
			continue
		}
		return Item{native: k.New(stratus.NewResourceUnder(c, k, parent, id)), src: src}, nil
	}
	return Item{}, unsupported(c.Provider().Name, kind+" under a parent")
}
