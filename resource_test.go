package stratus_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A tiny provider over a counting test server: it pins down the lazy
// handle, collection and cache semantics without any real provider.

const testSecret = "s3cr3t-token-value"

type fakeAPI struct {
	srv      *httptest.Server
	requests atomic.Int64
	items    int
	mu       sync.Mutex
	names    map[int]string
	body     func(w http.ResponseWriter, r *http.Request) bool // optional override
}

func newFakeAPI(t *testing.T, items int) *fakeAPI {
	f := &fakeAPI{items: items, names: map[int]string{}}
	for i := 1; i <= items; i++ {
		f.names[i] = fmt.Sprintf("thing-%04d", i)
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	if r.Header.Get("Authorization") != "Bearer "+testSecret {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"id":"unauthorized","message":"Unable to authenticate you"}`)
		return
	}
	if f.body != nil && f.body(w, r) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.URL.Path == "/things" && r.Method == "GET":
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		if page < 1 {
			page = 1
		}
		if per < 1 {
			per = 20
		}
		var parts []string
		for i := (page-1)*per + 1; i <= page*per && i <= f.items; i++ {
			parts = append(parts, f.thing(i))
		}
		links := ""
		if page*per < f.items {
			links = fmt.Sprintf(`"pages":{"next":"http://elsewhere.example/things?page=%d&per_page=%d"}`, page+1, per)
		}
		fmt.Fprintf(w, `{"things":[%s],"links":{%s},"meta":{"total":%d}}`, strings.Join(parts, ","), links, f.items)
	case r.URL.Path == "/stubs":
		var parts []string
		for i := 1; i <= f.items; i++ {
			parts = append(parts, fmt.Sprintf(`{"id":%d,"name":%q}`, i, f.names[i]))
		}
		fmt.Fprintf(w, `{"things":[%s]}`, strings.Join(parts, ","))
	case strings.HasPrefix(r.URL.Path, "/things/") && r.Method == "GET":
		id, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/things/"))
		if _, ok := f.names[id]; !ok {
			w.Header().Set("X-Request-Id", "req-404")
			w.WriteHeader(404)
			fmt.Fprint(w, `{"id":"not_found","message":"The resource you requested could not be found."}`)
			return
		}
		fmt.Fprintf(w, `{"thing":%s}`, f.thing(id))
	case strings.HasPrefix(r.URL.Path, "/things/") && r.Method == "PUT":
		id, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/things/"))
		f.names[id] = "renamed"
		fmt.Fprintf(w, `{"thing":%s}`, f.thing(id))
	default:
		w.WriteHeader(404)
		fmt.Fprint(w, `{"id":"not_found","message":"no route"}`)
	}
}

func (f *fakeAPI) thing(i int) string {
	return fmt.Sprintf(`{"id":%d,"name":%q,"size":%d,"on":%t,"created_at":"2026-01-02T03:04:05Z","tags":["a","b"],"password":"hunter2","future_field":{"x":[1,2]}}`, i, f.names[i], i*8, i%2 == 0)
}

var thingKind = &stratus.Kind{
	Name: "thing", Plural: "things", ItemPath: "/things/{id}", ListPath: "/things",
	ItemKey: "thing", ListKey: "things", Pager: pagePager{},
}

// pagePager is the links.pages.next style, written here so the root tests
// depend on no provider package.
type pagePager struct{}

var fakeProvider = &stratus.Provider{
	Name:        "fake",
	Kinds:       []*stratus.Kind{thingKind},
	Credentials: []string{"token"},
	Secret:      []string{"token"},
	MetaPath:    "meta",
	Transport: func(s *stratus.Settings) (transport.Config, error) {
		tok := s.Credentials["token"]
		return transport.Config{BaseURL: "http://invalid", Signer: transport.SignerFunc(func(r *http.Request, _ []byte) error {
			r.Header.Set("Authorization", "Bearer "+tok)
			return nil
		}), DecodeError: func(e *transport.Error, _ http.Header, body []byte) {
			if i := bytes.Index(body, []byte(`"message":"`)); i >= 0 {
				rest := body[i+11:]
				if j := bytes.IndexByte(rest, '"'); j >= 0 {
					e.Message = string(rest[:j])
				}
			}
		}}, nil
	},
}

func init() { stratus.Register(fakeProvider) }

type Thing struct{ *stratus.Resource }

func (t *Thing) Name() string { return t.GetString("name") }
func (t *Thing) Size() int    { return t.GetInt("size") }

func wrapThing(r *stratus.Resource) *Thing { return &Thing{r} }

func newThing(c *stratus.Client, id int) *Thing {
	return &Thing{stratus.NewResource(c, thingKind, strconv.Itoa(id))}
}

func things(c *stratus.Client) stratus.Collection[*Thing] {
	return stratus.NewCollection(c, thingKind, wrapThing)
}

func newFakeClient(t *testing.T, f *fakeAPI, opts ...stratus.Option) *stratus.Client {
	t.Helper()
	base := []stratus.Option{stratus.WithBaseURL(f.srv.URL), stratus.WithCredential("token", testSecret),
		stratus.WithRetry(transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: time.Millisecond})}
	c, err := stratus.Open("fake", append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func TestHandleIsLazyAndLoadsOnce(t *testing.T) {
	f := newFakeAPI(t, 10)
	c := newFakeClient(t, f)
	th := newThing(c, 3)
	assert.Zero(t, f.requests.Load(), "making a handle sends nothing")
	assert.False(t, th.Loaded())
	assert.Equal(t, "thing-0003", th.Name())
	assert.Equal(t, int64(1), f.requests.Load())
	assert.Equal(t, 24, th.Size())
	assert.Equal(t, []string{"a", "b"}, th.GetStrings("tags"))
	assert.Equal(t, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), th.GetTime("created_at"))
	assert.Equal(t, int64(1), f.requests.Load(), "later reads send nothing")
	assert.True(t, th.Loaded())
	assert.False(t, th.Partial())
	assert.False(t, th.LoadedAt().IsZero())
	assert.NoError(t, th.LastError())
}

func TestConcurrentFirstReadsShareOneRequest(t *testing.T) {
	f := newFakeAPI(t, 10)
	c := newFakeClient(t, f, stratus.WithoutCache())
	th := newThing(c, 5)
	other := newThing(c, 5) // a second handle on the same object
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := th
			if i%2 == 1 {
				h = other
			}
			assert.Equal(t, "thing-0005", h.Name())
		}()
	}
	wg.Wait()
	// th's 50 readers share one load; other's may share it too (singleflight)
	// or, with the cache off, send one more once the first finished.
	assert.LessOrEqual(t, f.requests.Load(), int64(2))
	assert.GreaterOrEqual(t, f.requests.Load(), int64(1))
}

func TestConcurrentReadsOfOneHandleSendOne(t *testing.T) {
	f := newFakeAPI(t, 10)
	c := newFakeClient(t, f, stratus.WithoutCache())
	th := newThing(c, 5)
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _ = th.Size() }()
	}
	wg.Wait()
	assert.Equal(t, int64(1), f.requests.Load())
}

func TestMissingObjectRecordsErrorAndReturnsZeroValues(t *testing.T) {
	f := newFakeAPI(t, 3)
	c := newFakeClient(t, f)
	th := newThing(c, 99)
	assert.Equal(t, "", th.Name(), "a getter never returns the error text")
	assert.Zero(t, th.Size())
	err := th.LastError()
	require.Error(t, err)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	var se *stratus.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 404, se.Status)
	assert.Equal(t, "req-404", se.RequestID)
	assert.Equal(t, "The resource you requested could not be found.", se.Message)
	assert.Equal(t, int64(1), f.requests.Load(), "a failed lazy load is not repeated by every getter")

	ok, err := th.Exists(context.Background())
	assert.NoError(t, err)
	assert.False(t, ok)
	ok, err = newThing(c, 2).Exists(context.Background())
	assert.NoError(t, err)
	assert.True(t, ok)
}

func TestCacheServesRepeatedLoadsAndMutationInvalidates(t *testing.T) {
	f := newFakeAPI(t, 5)
	c := newFakeClient(t, f)
	ctx := context.Background()
	require.NoError(t, newThing(c, 1).Load(ctx))
	require.NoError(t, newThing(c, 1).Load(ctx))
	assert.Equal(t, int64(1), f.requests.Load(), "second handle served from the cache")

	_, err := c.Do(ctx, "PUT", "/things/1", nil, []byte(`{"name":"renamed"}`))
	require.NoError(t, err)
	assert.Equal(t, "renamed", newThing(c, 1).Name(), "a write invalidates what was cached")
	assert.Equal(t, int64(3), f.requests.Load())

	th := newThing(c, 1)
	require.NoError(t, th.Load(ctx))
	before := f.requests.Load()
	require.NoError(t, th.Reload(ctx))
	assert.Equal(t, before+1, f.requests.Load(), "Reload bypasses the cache")

	nc := newFakeClient(t, f, stratus.WithoutCache())
	before = f.requests.Load()
	require.NoError(t, newThing(nc, 1).Load(ctx))
	require.NoError(t, newThing(nc, 1).Load(ctx))
	assert.Equal(t, before+2, f.requests.Load(), "no cache: every load is a request")
}

func TestCollectionPagesLazilyAndHydrates(t *testing.T) {
	f := newFakeAPI(t, 1000)
	c := newFakeClient(t, f)
	ctx := context.Background()
	var got []*Thing
	for th, err := range things(c).PageSize(200).All(ctx) {
		require.NoError(t, err)
		got = append(got, th)
	}
	require.Len(t, got, 1000)
	assert.Equal(t, int64(5), f.requests.Load())
	for i, th := range got {
		assert.Equal(t, fmt.Sprintf("thing-%04d", i+1), th.Name())
	}
	assert.Equal(t, int64(5), f.requests.Load(), "items are hydrated: reading them sends nothing")
	assert.Equal(t, int64(1000), c.LastMeta().Get("total").Int())
	f.mu.Lock()
	f.items = 999
	f.mu.Unlock()
	_, err := c.Do(ctx, "GET", "/things", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(999), c.LastMeta().Get("total").Int(), "raw calls update the meta too")
	f.mu.Lock()
	f.items = 1000
	f.mu.Unlock()
	f.requests.Add(-1)

	// Breaking out of the loop stops fetching.
	f.requests.Store(0)
	n := 0
	for _, err := range things(c).Fresh().PageSize(10).All(ctx) {
		require.NoError(t, err)
		n++
		if n == 15 {
			break
		}
	}
	assert.Equal(t, int64(2), f.requests.Load())

	// Limit is a total; the page size shrinks to it.
	f.requests.Store(0)
	few, err := things(c).Fresh().Limit(7).Collect(ctx)
	require.NoError(t, err)
	assert.Len(t, few, 7)
	assert.Equal(t, int64(1), f.requests.Load())

	// Count uses the total of a one-item page.
	f.requests.Store(0)
	total, err := things(c).Fresh().Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1000, total)
	assert.Equal(t, int64(1), f.requests.Load())

	first, err := things(c).First(ctx)
	require.NoError(t, err)
	assert.Equal(t, "thing-0001", first.Name())

	// Collections are values: a refinement does not change the original.
	base := things(c)
	_ = base.Filter("tag", "x").Limit(3)
	assert.Empty(t, base.Query())
}

func TestCollectionTypedErrors(t *testing.T) {
	f := newFakeAPI(t, 5)
	c := newFakeClient(t, f, stratus.WithRetry(transport.NoRetry))
	ctx := context.Background()
	for name, body := range map[string]string{
		"html":        "<html><title>502 Bad Gateway</title></html>",
		"truncated":   `{"things":[{"id":1`,
		"no envelope": `{"widgets":[]}`,
		"not json":    `hello`,
	} {
		t.Run(name, func(t *testing.T) {
			f.body = func(w http.ResponseWriter, r *http.Request) bool { fmt.Fprint(w, body); return true }
			defer func() { f.body = nil }()
			_, err := things(c).Fresh().Collect(ctx)
			require.Error(t, err)
			assert.ErrorIs(t, err, stratus.ErrMalformed)
			var se *stratus.Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, "fake", se.Provider)
		})
	}
	f.body = func(w http.ResponseWriter, r *http.Request) bool {
		w.WriteHeader(502)
		fmt.Fprint(w, "<!doctype html><html><head><title>502 Bad Gateway</title></head></html>")
		return true
	}
	_, err := things(c).Fresh().Collect(ctx)
	assert.ErrorIs(t, err, stratus.ErrUnavailable)
	assert.Contains(t, err.Error(), "502 Bad Gateway")
	f.body = nil
}

func TestBadCredentialsAreTypedAndSecretFree(t *testing.T) {
	f := newFakeAPI(t, 5)
	var logs bytes.Buffer
	c, err := stratus.Open("fake", stratus.WithBaseURL(f.srv.URL), stratus.WithCredential("token", "wrong-"+testSecret),
		stratus.WithLogger(slogTo(&logs)))
	require.NoError(t, err)
	th := newThing(c, 1)
	assert.Empty(t, th.Name())
	assert.ErrorIs(t, th.LastError(), stratus.ErrUnauthorized)
	assert.NotContains(t, th.LastError().Error(), testSecret)
	assert.NotContains(t, logs.String(), testSecret)
	assert.NotContains(t, fmt.Sprintf("%v %+v", c, c.Settings()), testSecret)
}

func TestPprintRedactsSecrets(t *testing.T) {
	f := newFakeAPI(t, 5)
	c := newFakeClient(t, f)
	var out bytes.Buffer
	require.NoError(t, newThing(c, 2).Pprint(&out))
	assert.Contains(t, out.String(), `"name": "thing-0002"`)
	assert.Contains(t, out.String(), `"password": "[redacted]"`)
	assert.NotContains(t, out.String(), "hunter2")
	// Fields no model knows are kept, printed and readable by path.
	assert.Contains(t, out.String(), `"future_field": {`)
	assert.Equal(t, int64(2), newThing(c, 2).Get("future_field.x.1").Int())
	assert.Equal(t, "fake thing 2", newThing(c, 2).String()[:12])

	out.Reset()
	err := newThing(c, 42).Pprint(&out)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	assert.Equal(t, "null\n", out.String())
}

func TestLoadAllBounded(t *testing.T) {
	f := newFakeAPI(t, 50)
	c := newFakeClient(t, f, stratus.WithConcurrency(8))
	var objs []stratus.Object
	for i := 1; i <= 50; i++ {
		objs = append(objs, newThing(c, i))
	}
	require.NoError(t, stratus.LoadAll(context.Background(), objs...))
	assert.Equal(t, int64(50), f.requests.Load())
	for i, o := range objs {
		assert.Equal(t, fmt.Sprintf("thing-%04d", i+1), o.(*Thing).Name())
	}
	assert.Equal(t, int64(50), f.requests.Load())
}

func TestPoll(t *testing.T) {
	f := newFakeAPI(t, 1)
	c := newFakeClient(t, f)
	ctx := context.Background()
	var seen []int
	calls := 0
	err := stratus.Poll(ctx, c, stratus.WaitOptions{MinDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, Progress: func(p stratus.WaitProgress) {
		seen = append(seen, p.Attempt)
	}}, func(context.Context) (bool, stratus.WaitProgress, error) {
		calls++
		return calls == 3, stratus.WaitProgress{}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, seen)

	err = stratus.Poll(ctx, c, stratus.WaitOptions{MinDelay: time.Millisecond, Timeout: 10 * time.Millisecond}, func(context.Context) (bool, stratus.WaitProgress, error) {
		return false, stratus.WaitProgress{}, nil
	})
	assert.ErrorIs(t, err, stratus.ErrWaitTimeout)

	boom := errors.New("failed state")
	reported := 0
	err = stratus.Poll(ctx, c, stratus.WaitOptions{MinDelay: time.Millisecond, Progress: func(stratus.WaitProgress) { reported++ }}, func(context.Context) (bool, stratus.WaitProgress, error) {
		return false, stratus.WaitProgress{}, boom
	})
	assert.ErrorIs(t, err, boom)
	assert.Zero(t, reported, "a failed check is not reported as progress")

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	err = stratus.Poll(cctx, c, stratus.WaitOptions{MinDelay: time.Hour}, func(context.Context) (bool, stratus.WaitProgress, error) {
		return false, stratus.WaitProgress{}, nil
	})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestRegistry(t *testing.T) {
	assert.Contains(t, stratus.Providers(), "fake")
	_, err := stratus.Lookup("nope")
	assert.ErrorContains(t, err, "forgotten import")
	assert.Panics(t, func() { stratus.Register(fakeProvider) })
	assert.Panics(t, func() { stratus.Register(nil) })
	k, ok := fakeProvider.Kind("things")
	require.True(t, ok)
	assert.Equal(t, "thing", k.Name)
}

var stubKind = &stratus.Kind{
	Name: "stub", Plural: "stubs", ItemPath: "/things/{id}", ListPath: "/stubs",
	ItemKey: "thing", ListKey: "things", Partial: true, Pager: transport.SinglePage{}, IDField: "id",
}

func TestPartialItemsLoadMissingFieldsOnce(t *testing.T) {
	f := newFakeAPI(t, 4)
	c := newFakeClient(t, f)
	items, err := stratus.NewCollection(c, stubKind, wrapThing).Collect(context.Background())
	require.NoError(t, err)
	require.Len(t, items, 4)
	assert.Equal(t, int64(1), f.requests.Load())
	th := items[2]
	assert.True(t, th.Partial())
	assert.Equal(t, "thing-0003", th.Name(), "a field the list carries needs no request")
	assert.Equal(t, int64(1), f.requests.Load())
	assert.Equal(t, 24, th.Size(), "a field the list lacks loads the full object")
	assert.Equal(t, int64(2), f.requests.Load())
	assert.False(t, th.Partial())
	assert.True(t, th.GetBool("on") == false)
	_ = th.GetStrings("tags")
	assert.Equal(t, int64(2), f.requests.Load(), "once full, nothing more is loaded")
	assert.Equal(t, "3", th.ID())
	assert.Equal(t, "/things/3", th.Path())
}

func TestBaseURLPasswordMasked(t *testing.T) {
	c, err := stratus.Open("fake", stratus.WithBaseURL("https://user:hunter2@api.example.com"), stratus.WithCredential("token", testSecret))
	require.NoError(t, err)
	assert.NotContains(t, c.BaseURL(), "hunter2")
	assert.NotContains(t, c.String(), "hunter2")
}

func TestKindWithoutItemPathCannotLoadByID(t *testing.T) {
	f := newFakeAPI(t, 2)
	c := newFakeClient(t, f)
	listOnly := &stratus.Kind{Name: "region", Plural: "regions", ListPath: "/things", ListKey: "things", IDField: "id"}
	r := stratus.NewResource(c, listOnly, "1")
	err := r.Load(context.Background())
	assert.ErrorIs(t, err, stratus.ErrUnsupported)
	assert.Equal(t, int64(0), f.requests.Load(), "nothing is sent for a kind that has no item path")
	assert.ErrorIs(t, r.LastError(), stratus.ErrUnsupported)
}

func TestPprintRedactsSecretURLParameters(t *testing.T) {
	f := newFakeAPI(t, 1)
	f.body = func(w http.ResponseWriter, r *http.Request) bool {
		fmt.Fprint(w, `{"thing":{"id":1,"pdfUrl":"https://www.ovh.com/cgi-bin/order/facture.pdf?reference=FR1&passwd=hunter3","plain":"https://example.com/?q=1"}}`)
		return true
	}
	c := newFakeClient(t, f)
	var b strings.Builder
	require.NoError(t, newThing(c, 1).Pprint(&b))
	assert.Contains(t, b.String(), `"pdfUrl": "https://www.ovh.com/cgi-bin/order/facture.pdf?reference=FR1&passwd=[redacted]"`)
	assert.Contains(t, b.String(), `"plain": "https://example.com/?q=1"`)
	assert.NotContains(t, b.String(), "hunter3")
}

// A list under a path (not a top-level key) is read the plain way; a
// top-level one in one pass that also keeps the metadata.
func TestListKeyPathAndMetadata(t *testing.T) {
	f := newFakeAPI(t, 1)
	f.body = func(w http.ResponseWriter, r *http.Request) bool {
		fmt.Fprint(w, `{"data":{"items":[{"id":7,"name":"deep"}]},"things":[{"id":8,"name":"top"}],"meta":{"total":1}}`)
		return true
	}
	c := newFakeClient(t, f)
	deep, err := things(c).ListKey("data.items").Collect(t.Context())
	require.NoError(t, err)
	require.Len(t, deep, 1)
	assert.Equal(t, "deep", deep[0].Name())
	top, err := things(c).Fresh().Collect(t.Context())
	require.NoError(t, err)
	require.Len(t, top, 1)
	assert.Equal(t, "top", top[0].Name())
	assert.EqualValues(t, 1, c.LastMeta().Get("total").Int(), "the metadata beside the list is kept")
}
