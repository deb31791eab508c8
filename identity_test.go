package stratus_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A provider that names its objects by href, as RightScale does: every
// object carries links[rel=self].href; instances are nested under clouds
// and have no path template of their own.

const selfHref = `links.#(rel=="self").href`

var (
	hrefCloudKind = &stratus.Kind{
		Name: "cloud", Plural: "clouds", ItemPath: "/api/clouds/{id}", ListPath: "/api/clouds",
		HrefField: selfHref, IDField: "uid",
	}
	hrefInstanceKind = &stratus.Kind{
		Name: "instance", Plural: "instances", HrefField: selfHref, IDField: "uid", Partial: true,
	}
)

var hrefProvider = &stratus.Provider{
	Name:  "hrefs",
	Kinds: []*stratus.Kind{hrefCloudKind, hrefInstanceKind},
	Transport: func(s *stratus.Settings) (transport.Config, error) {
		return transport.Config{BaseURL: "http://invalid"}, nil
	},
}

func init() { stratus.Register(hrefProvider) }

type hrefAPI struct {
	srv      *httptest.Server
	requests atomic.Int64
	paths    sync.Map // path -> *atomic.Int64
	gate     chan struct{}
}

func (a *hrefAPI) count(path string) int64 {
	v, ok := a.paths.Load(path)
	if !ok {
		return 0
	}
	return v.(*atomic.Int64).Load()
}

func newHrefAPI(t *testing.T) *hrefAPI {
	a := &hrefAPI{}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.requests.Add(1)
		v, _ := a.paths.LoadOrStore(r.URL.Path, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
		if a.gate != nil {
			<-a.gate
		}
		self := func(h string) string {
			return fmt.Sprintf(`"links":[{"rel":"clouds","href":"/api/clouds"},{"rel":"self","href":%q}]`, h)
		}
		switch r.URL.Path {
		case "/api/clouds":
			fmt.Fprintf(w, `[{"name":"one",%s},{"name":"two",%s}]`, self("/api/clouds/1"), self("/api/clouds/2"))
		case "/api/clouds/1":
			fmt.Fprintf(w, `{"name":"one","region":"us",%s}`, self("/api/clouds/1"))
		case "/api/clouds/1/instances":
			fmt.Fprintf(w, `[{"name":"web",%s}]`, self("/api/clouds/1/instances/ABC123"))
		case "/api/clouds/1/instances/ABC123":
			fmt.Fprintf(w, `{"name":"web","state":"operational",%s}`, self("/api/clouds/1/instances/ABC123"))
		default:
			w.WriteHeader(404)
			fmt.Fprint(w, `{"message":"no such thing"}`)
		}
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func hrefClient(t *testing.T, a *hrefAPI) *stratus.Client {
	c, err := stratus.Open("hrefs", stratus.WithBaseURL(a.srv.URL))
	require.NoError(t, err)
	return c
}

func TestHandlesByIDAndByHrefAreEqual(t *testing.T) {
	a := newHrefAPI(t)
	c := hrefClient(t, a)
	byID := stratus.NewResource(c, hrefCloudKind, "1")
	byHref := stratus.NewResourceHref(c, hrefCloudKind, "/api/clouds/1")
	byURL := stratus.NewResourceHref(c, hrefCloudKind, "https://elsewhere.example/api/clouds/%31")
	for _, h := range []*stratus.Resource{byHref, byURL} {
		assert.Equal(t, byID.ID(), h.ID())
		assert.Equal(t, byID.Path(), h.Path())
		assert.Equal(t, "/api/clouds/1", h.Href())
		assert.True(t, stratus.Same(byID, h))
	}
	assert.False(t, stratus.Same(byID, stratus.NewResource(c, hrefCloudKind, "2")))
	assert.Equal(t, int64(0), a.requests.Load(), "making handles sends nothing")

	assert.Equal(t, "us", byID.GetString("region"))
	assert.Equal(t, "us", byHref.GetString("region"))
	assert.Equal(t, "us", byURL.GetString("region"))
	assert.Equal(t, int64(1), a.requests.Load(), "one cache entry for both forms")
	assert.Equal(t, 1, byHref.IntID())
}

func TestConcurrentLoadsByIDAndHrefShareOneRequest(t *testing.T) {
	a := newHrefAPI(t)
	a.gate = make(chan struct{})
	c := hrefClient(t, a)
	handles := []*stratus.Resource{
		stratus.NewResource(c, hrefCloudKind, "1"),
		stratus.NewResourceHref(c, hrefCloudKind, "/api/clouds/1"),
		stratus.NewResourceHref(c, hrefCloudKind, "https://x.example/api/clouds/1"),
	}
	var wg sync.WaitGroup
	for _, h := range handles {
		wg.Add(1)
		go func() { defer wg.Done(); _ = h.Load(context.Background()) }()
	}
	for a.requests.Load() == 0 {
		// wait for the one request to arrive; the others join it
		runtime.Gosched()
	}
	close(a.gate)
	wg.Wait()
	for _, h := range handles {
		require.NoError(t, h.LastError())
		assert.Equal(t, "one", h.GetString("name"))
	}
	assert.Equal(t, int64(1), a.requests.Load())
}

func TestHrefItemsFromListsAndNestedKinds(t *testing.T) {
	a := newHrefAPI(t)
	c := hrefClient(t, a)
	clouds, err := stratus.NewCollection(c, hrefCloudKind, func(r *stratus.Resource) *stratus.Resource { return r }).Collect(context.Background())
	require.NoError(t, err)
	require.Len(t, clouds, 2)
	assert.Equal(t, "2", clouds[1].ID(), "the id is the href's last segment")
	assert.Equal(t, "/api/clouds/2", clouds[1].Path())
	assert.True(t, stratus.Same(clouds[0], stratus.NewResource(c, hrefCloudKind, "1")))

	insts, err := stratus.NewCollection(c, hrefInstanceKind, func(r *stratus.Resource) *stratus.Resource { return r }).
		At(clouds[0].Path() + "/instances").Collect(context.Background())
	require.NoError(t, err)
	require.Len(t, insts, 1)
	in := insts[0]
	assert.Equal(t, "ABC123", in.ID())
	assert.Equal(t, "/api/clouds/1/instances/ABC123", in.Path())
	before := a.requests.Load()
	assert.Equal(t, "operational", in.GetString("state"), "a partial item loads from its href")
	assert.Equal(t, before+1, a.requests.Load())
	assert.Equal(t, int64(1), a.count("/api/clouds/1/instances/ABC123"))

	again := stratus.NewResourceHref(c, hrefInstanceKind, "/api/clouds/1/instances/ABC123")
	assert.True(t, stratus.Same(in, again))
	assert.Equal(t, "operational", again.GetString("state"))
	assert.Equal(t, before+1, a.requests.Load(), "the href handle reads the same cache entry")
}

func TestBadHrefsAreRefusedBeforeSending(t *testing.T) {
	a := newHrefAPI(t)
	c := hrefClient(t, a)
	for _, h := range []string{"", "api/clouds/1", "/api/clouds/../1", "/api/clouds/./1", "/api//clouds", "/api/clouds/1?view=full", "/api/clouds/1#x", "/api/%zz", "http://[::1"} {
		r := stratus.NewResourceHref(c, hrefCloudKind, h)
		err := r.Load(context.Background())
		assert.ErrorIs(t, err, stratus.ErrInvalid, h)
		assert.ErrorIs(t, r.LastError(), stratus.ErrInvalid, h)
		assert.Empty(t, r.GetString("name"), h)
	}
	assert.Equal(t, int64(0), a.requests.Load())
}
