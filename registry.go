package stratus

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/stratus-cloud/stratus/transport"
)

// Provider describes one cloud API to the registry: its kinds and how to
// build its transport from settings. Provider packages (models/...)
// declare one and Register it in init.
type Provider struct {
	Name  string
	Kinds []*Kind
	// Credentials names the settings the provider reads, in the provider's
	// own words ("token"; "application_key", ...). The REPL, the query tool
	// and the sandbox use them.
	Credentials []string
	// Secret lists which of Credentials are secret (redacted everywhere).
	Secret []string
	// Transport builds the wire configuration from the settings.
	Transport func(s *Settings) (transport.Config, error)
	// Rate reads the provider's rate-limit headers, if it has any.
	Rate func(h http.Header) (RateLimit, bool)
	// MetaPath is where list answers keep their metadata ("meta").
	MetaPath string
	// Env reads the provider's environment variables and config files
	// into credentials. Only loaders call it; constructors never do.
	Env func(getenv func(string) string) (map[string]string, error)
}

// Kind is one resource type of a provider and its routes.
type Kind struct {
	Name     string // "droplet"
	Plural   string // "droplets"
	Scope    string // neutral scope it belongs to: "geography", "infrastructure", "network", "admin"
	ItemPath string // "/v2/droplets/{id}"; "" if items cannot be fetched one by one
	ListPath string // "/v2/droplets"; "" if the kind cannot be listed
	ItemKey  string // gjson path of the object in an item answer ("droplet"; "" = whole body)
	ListKey  string // gjson path of the array in a list answer ("droplets"; "" = whole body)
	IDField  string // gjson path of the id in an object ("id")
	// HrefField is the gjson path of the object's own href, for kinds
	// addressed by href (RightScale: `links.#(rel=="self").href`). A handle
	// hydrated from such an object takes its path from it, and its id
	// from the href's last segment when IDField is absent.
	HrefField string
	// IDList marks lists that return ids, not objects (OVH): items are
	// partial handles loaded on demand.
	IDList bool
	// Partial marks lists whose objects carry fewer fields than the item
	// answer: reading a missing field loads the whole object.
	Partial bool
	Pager   transport.Pager // nil: SinglePage
	TTL     time.Duration   // cache lifetime of answers; 0: the client default
	Fields  []Field         // documented fields, for the REPL and docs
	Secret  []string        // field names whose values Pprint redacts
	// Filters are the query parameters the kind's lists accept, by the
	// API's names. Collection.Filter refuses any other key before a
	// request is sent; a required one missing refuses the listing.
	Filters []FilterKey
	// Under declares a kind whose objects live below an object of
	// another kind (DNS records under their zone): the parent kind and
	// the paths. Scope tables, the REPL and the query tool read it.
	Under *Nesting
	// New wraps a resource into the provider's typed handle. It may be
	// set after Register (init order within a package): the registered
	// kind calls the declared one. nil: the bare *Resource.
	New func(r *Resource) Object
	// Provider is set by Register.
	Provider *Provider

	frozen *Kind // the copy Register made, which routes read
}

// Field documents one field of a kind.
type Field struct {
	Name string // snake_case name as the API spells it, a gjson path
	Type string // "int", "string", "bool", "time", "[]string", "object", ...
	Doc  string
}

// FilterKey is one query parameter a kind's lists accept.
type FilterKey struct {
	Name     string   // the API's name: "tag_name", "regionId", "fieldType"
	Aliases  []string // other names a caller may use: "tag"
	Required bool     // a list of the kind is refused without it
	// Hint names the refinement that sets it ("InRegion(regionID)"), for
	// the error of a missing required filter.
	Hint string
	Doc  string // what it keeps and its values
}

// Nesting places a kind below a parent object: "{parent}" in the paths
// stands for the parent's id, "{id}" for the object's.
type Nesting struct {
	Parent string // the parent kind's name: "domain", "dns_zone", "cloud_project"
	// Param names the parent in a command's arguments ("zone" for
	// zone=example.com); "" means the parent kind's name.
	Param    string
	ListPath string // "/v2/domains/{parent}/records"
	ItemPath string // "/v2/domains/{parent}/records/{id}"; "" if items cannot be read one by one
}

// Object is what every typed handle is: a view over a Resource.
type Object interface {
	Handle() *Resource
}

var registry struct {
	sync.RWMutex
	m map[string]*Provider
}

// Register makes a provider available by name. It panics on nil, on an
// empty name and on a duplicate, like database/sql.Register.
func Register(p *Provider) {
	if p == nil || p.Name == "" {
		panic("stratus: Register of a nil or unnamed provider")
	}
	registry.Lock()
	defer registry.Unlock()
	if registry.m == nil {
		registry.m = map[string]*Provider{}
	}
	if _, dup := registry.m[p.Name]; dup {
		panic("stratus: Register called twice for provider " + p.Name)
	}
	for _, k := range p.Kinds {
		if k == nil || k.Name == "" {
			panic("stratus: provider " + p.Name + " has a nil or unnamed kind")
		}
		k.Provider = p
		if k.Pager == nil {
			k.Pager = transport.SinglePage{}
		}
		if k.IDField == "" {
			k.IDField = "id"
		}
		k.freeze()
	}
	registry.m[p.Name] = p
}

// freeze makes the registered copy of a declared kind: the one every
// handle and collection routes by, which no caller can reach to change.
// The declared kind (a provider package's variable) keeps a pointer to it.
func (k *Kind) freeze() {
	decl := k
	f := k.clone()
	f.New = func(r *Resource) Object {
		if decl.New != nil {
			return decl.New(r)
		}
		return r
	}
	f.frozen = f
	k.frozen = f
}

// clone copies a kind and the slices it holds.
func (k *Kind) clone() *Kind {
	c := *k
	c.Fields = slices.Clone(k.Fields)
	c.Secret = slices.Clone(k.Secret)
	c.Filters = slices.Clone(k.Filters)
	for i := range c.Filters {
		c.Filters[i].Aliases = slices.Clone(c.Filters[i].Aliases)
	}
	if k.Under != nil {
		u := *k.Under
		c.Under = &u
	}
	return &c
}

// registered returns the kind routes are read from: the copy Register
// made, or k itself for a kind never registered.
func (k *Kind) registered() *Kind {
	if k != nil && k.frozen != nil {
		return k.frozen
	}
	return k
}

// view returns a copy of the registered kind for a caller to read:
// changing it changes no route. Passed back to NewResource or
// NewCollection it stands for the registered kind.
func (k *Kind) view() *Kind {
	if k == nil {
		return nil
	}
	return k.registered().clone()
}

// Providers returns the registered provider names, sorted.
func Providers() []string {
	registry.RLock()
	defer registry.RUnlock()
	names := make([]string, 0, len(registry.m))
	for n := range registry.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup finds a registered provider.
func Lookup(name string) (*Provider, error) {
	registry.RLock()
	p := registry.m[name]
	registry.RUnlock()
	if p == nil {
		return nil, fmt.Errorf("stratus: unknown provider %q (forgotten import?)", name)
	}
	return p, nil
}

// FromEnv runs the provider's loader (Env) with getenv (nil: os.Getenv)
// and returns the client options its credentials make. With nothing
// configured the error matches ErrNoCredentials.
func (p *Provider) FromEnv(getenv func(string) string) ([]Option, error) {
	if p.Env == nil {
		return nil, fmt.Errorf("stratus: %s: %w (the provider has no loader)", p.Name, ErrNoCredentials)
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	creds, err := p.Env(getenv)
	if err != nil {
		return nil, err
	}
	found := false
	for _, name := range p.Credentials {
		found = found || creds[name] != ""
	}
	if !found {
		return nil, fmt.Errorf("stratus: %s: %w", p.Name, ErrNoCredentials)
	}
	var opts []Option
	if u := creds["url"]; u != "" {
		opts = append(opts, WithBaseURL(u))
	}
	return append(opts, WithCredentials(creds)), nil
}

// Kind finds one of the provider's kinds by name or plural. It returns a
// copy of the registered kind: changing it changes no route.
func (p *Provider) Kind(name string) (*Kind, bool) {
	for _, k := range p.Kinds {
		if k.Name == name || k.Plural == name {
			return k.view(), true
		}
	}
	return nil, false
}

// Is reports whether k and o stand for the same kind: the same registered
// kind (a declared kind, its copies and the handles' kinds all match), or
// the same value for kinds never registered.
func (k *Kind) Is(o *Kind) bool {
	if k == nil || o == nil {
		return k == o
	}
	return k.registered() == o.registered()
}

// Filter finds a filter of the kind by its API name or an alias, exactly
// or else ignoring case.
func (k *Kind) Filter(name string) (FilterKey, bool) {
	for pass := 0; pass < 2; pass++ {
		eq := func(a string) bool { return a == name }
		if pass == 1 {
			eq = func(a string) bool { return strings.EqualFold(a, name) }
		}
		for _, f := range k.Filters {
			if eq(f.Name) || slices.ContainsFunc(f.Aliases, eq) {
				return f, true
			}
		}
	}
	return FilterKey{}, false
}

// FilterNames describes the accepted filters: "name, tag_name (tag), type".
func (k *Kind) FilterNames() string {
	if len(k.Filters) == 0 {
		return "none"
	}
	names := make([]string, 0, len(k.Filters))
	for _, f := range k.Filters {
		n := f.Name
		if len(f.Aliases) > 0 {
			n += " (" + strings.Join(f.Aliases, ", ") + ")"
		}
		if f.Required {
			n += " required"
		}
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
