package providertest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stretchr/testify/require"
)

// fastRetry keeps retries quick against the simulator: the suite counts
// attempts, it does not time them.
var fastRetry = transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// Run checks the provider against every rule of the suite, each as a
// named subtest. The subtests run one after another: faults are injected
// into the simulator's next request, whoever sends it.
func Run(t *testing.T, h Harness) {
	s := newSuite(t, h)
	t.Run("routes", s.routeChecks)
	for _, ki := range s.kinds {
		t.Run(ki.name, func(t *testing.T) { s.kindChecks(t, ki) })
	}
	t.Run("provider", s.providerChecks)
	t.Run("secrets", s.secretChecks)
}

// suite holds one run: the harness, the kinds as the registry has them,
// and everything the checks saw, for the secrecy checks at the end.
type suite struct {
	h     Harness
	kinds []*kindInfo
	rt    http.RoundTripper

	text, json lockedBuffer // the clients' log lines, both slog handlers
	logger     *slog.Logger

	mu      sync.Mutex
	errs    []error
	objs    []stratus.Object
	clients []*stratus.Client
	secrets []string
}

func newSuite(t *testing.T, h Harness) *suite {
	t.Helper()
	require.NotNil(t, h.Provider, "Harness.Provider")
	require.NotNil(t, h.NewClient, "Harness.NewClient")
	require.NotNil(t, h.Write, "Harness.Write")
	require.NotNil(t, h.Inject, "Harness.Inject")
	require.NotEmpty(t, h.Routes, "Harness.Routes")
	require.NotEmpty(t, h.Secrets, "Harness.Secrets")
	for _, sec := range h.Secrets {
		require.GreaterOrEqual(t, len(sec), 6, "a secret this short would be found by chance in any text")
	}
	p, err := stratus.Lookup(h.Provider.Name)
	require.NoError(t, err, "the provider is registered")
	require.Same(t, h.Provider, p, "the registered provider is the one under test")

	s := &suite{h: h, secrets: slices.Clone(h.Secrets)}
	// A connection per request: net/http would otherwise replay a GET
	// whose reused connection was reset, below the counter.
	s.rt = &http.Transport{DisableKeepAlives: true}
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	s.logger = slog.New(slog.NewMultiHandler(slog.NewTextHandler(&s.text, opts), slog.NewJSONHandler(&s.json, opts)))

	seen := map[string]bool{}
	for _, k := range h.Provider.Kinds {
		ki := describe(k)
		spec, ok := h.Kinds[ki.name]
		require.True(t, ok, "Harness.Kinds has no entry for the registered kind %q", ki.name)
		ki.spec = spec
		s.validate(t, ki)
		seen[ki.name] = true
		s.kinds = append(s.kinds, ki)
	}
	for name := range h.Kinds {
		require.True(t, seen[name], "Harness.Kinds names %q, which the provider does not register", name)
	}
	return s
}

// validate checks that a kind's entry says what the suite needs, and that
// what it says cannot apply is true of the registry.
func (s *suite) validate(t *testing.T, ki *kindInfo) {
	t.Helper()
	sp := ki.spec
	path, query, _ := strings.Cut(sp.List, "?")
	if ki.nested {
		byParent := (sp.NoItem == "" && !strings.HasPrefix(sp.ID, "/") && strings.Contains(ki.item, "{parent}")) ||
			(sp.NoList == "" && path == "" && strings.Contains(ki.list, "{parent}"))
		if byParent {
			require.NotEmpty(t, sp.Parent, "%s lives under a %s: give Parent, the id of one", ki.name, ki.k.Under.Parent)
		}
	} else {
		require.Empty(t, sp.Parent, "%s: Parent, yet the kind is not nested", ki.name)
	}
	switch {
	case sp.NoItem != "":
		require.Empty(t, ki.item, "%s: NoItem, yet the registry has an item path", ki.name)
		require.Empty(t, sp.ID, "%s: NoItem with an ID", ki.name)
	case ki.singleton():
		require.Empty(t, sp.ID, "%s: a singleton (item path %q) has no ID", ki.name, ki.item)
		require.NotEmpty(t, sp.NoMissing, "%s: a singleton says why none can be missing (NoMissing)", ki.name)
	default:
		require.NotEmpty(t, sp.ID, "%s: an existing object (ID) or NoItem", ki.name)
		if !strings.HasPrefix(sp.ID, "/") {
			require.NotEmpty(t, ki.item, "%s: the registry has no item path: give ID as an href", ki.name)
		}
		require.NotEmpty(t, sp.Missing, "%s: a missing object (Missing)", ki.name)
		require.Empty(t, sp.NoMissing, "%s: NoMissing applies to singletons only", ki.name)
	}
	if sp.NoList != "" {
		require.Empty(t, ki.list, "%s: NoList, yet the registry has a list path", ki.name)
		require.Empty(t, sp.List, "%s: NoList with a List", ki.name)
		return
	}
	require.True(t, ki.list != "" || path != "", "%s: the registry has no list path: give List, or NoList with the reason", ki.name)
	_, err := url.ParseQuery(query)
	require.NoError(t, err, "%s: the query of List", ki.name)
	require.Positive(t, sp.Total, "%s: Total, the number of items listed", ki.name)
	if sp.PageSize > 0 {
		require.Less(t, sp.PageSize, sp.Total, "%s: a PageSize below Total, so that the list has several pages", ki.name)
	}
}

// kindInfo is a kind as the checks read it. describe is the one place
// that reads the registry's Kind.
type kindInfo struct {
	k      *stratus.Kind
	name   string
	item   string // item path template ("{id}", "{parent}"); "" if none
	list   string // list path template ("{parent}"); "" if none
	nested bool   // the kind lives under a parent object (Kind.Under)
	idList bool
	href   string   // gjson path of the objects' own href; "" if none
	fields []string // documented fields
	spec   Kind
}

func describe(k *stratus.Kind) *kindInfo {
	ki := &kindInfo{k: k, name: k.Name, item: k.ItemPath, list: k.ListPath, idList: k.IDList, href: k.HrefField}
	if u := k.Under; u != nil {
		ki.nested = true
		if ki.item == "" {
			ki.item = u.ItemPath
		}
		if ki.list == "" {
			ki.list = u.ListPath
		}
	}
	for _, f := range k.Fields {
		ki.fields = append(ki.fields, f.Name)
	}
	if len(ki.fields) == 0 {
		ki.fields = []string{k.IDField}
	}
	return ki
}

func (ki *kindInfo) singleton() bool { return ki.item != "" && !strings.Contains(ki.item, "{") }

func (ki *kindInfo) hasItem() bool { return ki.spec.NoItem == "" }

func (ki *kindInfo) lists() bool { return ki.spec.NoList == "" }

// fill puts the harness's parent into a path template.
func (ki *kindInfo) fill(tmpl string) string {
	return strings.ReplaceAll(tmpl, "{parent}", url.PathEscape(ki.spec.Parent))
}

// handle makes a handle of ref: an id, an href, or "" for a singleton.
func (ki *kindInfo) handle(c *stratus.Client, ref string) stratus.Object {
	switch {
	case strings.HasPrefix(ref, "/"):
		return ki.k.New(stratus.NewResourceHref(c, ki.k, ref))
	case ki.nested && ki.spec.Parent != "" && ki.k.ItemPath == "" && ki.item != "":
		path := strings.Replace(ki.fill(ki.item), "{id}", url.PathEscape(ref), 1)
		return ki.k.New(stratus.NewResourceAt(c, ki.k, ref, path))
	}
	return ki.k.New(stratus.NewResource(c, ki.k, ref))
}

// collection is the kind's list, with the filters the harness gives.
func (ki *kindInfo) collection(c *stratus.Client) stratus.Collection[stratus.Object] {
	col := stratus.NewCollection(c, ki.k, ki.k.New)
	path, query, _ := strings.Cut(ki.spec.List, "?")
	switch {
	case path != "":
		col = col.At(path)
	case ki.nested && ki.spec.Parent != "":
		col = col.At(ki.fill(ki.list))
	}
	if ki.nested && ki.spec.Parent != "" && ki.k.ItemPath == "" && ki.item != "" {
		col = col.ItemsAt(ki.fill(ki.item))
	}
	q, _ := url.ParseQuery(query)
	for k, v := range q {
		col = col.Filter(k, v...)
	}
	return col
}

// client builds a client through the harness with the suite's HTTP client
// (a fresh counter), logger and retry policy; opts come last.
func (s *suite) client(t testing.TB, opts ...stratus.Option) (*stratus.Client, *counter) {
	t.Helper()
	cnt := &counter{next: s.rt}
	base := []stratus.Option{
		stratus.WithHTTPClient(&http.Client{Transport: cnt}),
		stratus.WithLogger(s.logger),
		stratus.WithRetry(fastRetry),
		// A cache of its own, as in a fresh process: the checks count
		// requests, and the simulator's state changes between them.
		stratus.WithCacheBudget(stratus.DefaultCacheBudget),
	}
	c := s.h.NewClient(t, append(base, opts...)...)
	require.NotNil(t, c)
	cnt.reset()
	s.mu.Lock()
	s.clients = append(s.clients, c)
	s.mu.Unlock()
	return c, cnt
}

// saw keeps errors and objects for the secrecy checks.
func (s *suite) sawErr(errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, err := range errs {
		if err != nil {
			s.errs = append(s.errs, err)
		}
	}
}

func (s *suite) sawObj(objs ...stratus.Object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range objs {
		s.objs = append(s.objs, o)
		if err := o.Handle().LastError(); err != nil {
			s.errs = append(s.errs, err)
		}
	}
}

// counter is the http.RoundTripper under every client of the suite: it
// counts what reaches the simulator, attempts of retries included.
type counter struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []string
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.reqs = append(c.reqs, r.Method+" "+r.URL.Path)
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

// n is the number of requests sent so far.
func (c *counter) n() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.reqs)
}

// sent lists the requests sent since the mark.
func (c *counter) sent(mark int) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.reqs[mark:])
}

func (c *counter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reqs = nil
}

// lockedBuffer takes the concurrent writes of a logger.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// ctx is the context of a check.
func ctx(t *testing.T) context.Context { return t.Context() }
