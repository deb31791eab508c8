package stratus

import (
	"fmt"
	"net/http"
	"os"
	"sort"
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
	// New wraps a resource into the provider's typed handle.
	New func(r *Resource) Object
	// Provider is set by Register.
	Provider *Provider
}

// Field documents one field of a kind.
type Field struct {
	Name string // snake_case name as the API spells it, a gjson path
	Type string // "int", "string", "bool", "time", "[]string", "object", ...
	Doc  string
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
		k.Provider = p
		if k.Pager == nil {
			k.Pager = transport.SinglePage{}
		}
		if k.IDField == "" {
			k.IDField = "id"
		}
	}
	registry.m[p.Name] = p
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

// Kind finds one of the provider's kinds by name or plural.
func (p *Provider) Kind(name string) (*Kind, bool) {
	for _, k := range p.Kinds {
		if k.Name == name || k.Plural == name {
			return k, true
		}
	}
	return nil, false
}
