package stratus_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
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
	"github.com/tidwall/gjson"
)

// An id list (OVH style): /ids answers [1,2,...]; with the X-Bulk header it
// answers pages of whole objects instead, and the total in X-Total.
var idKind = &stratus.Kind{
	Name: "idthing", Plural: "idthings", ItemPath: "/things/{id}", ListPath: "/ids",
	ItemKey: "thing", IDList: true, Pager: bulkPager{}, Provider: fakeProvider, IDField: "id",
}

// bulkPager keeps its page state in the query under "X-Page" and moves it
// into a header; "nobulk" in the query turns it off.
type bulkPager struct{}

func (bulkPager) First(q url.Values, size int) url.Values {
	out := transport.CloneQuery(q)
	if q.Get("nobulk") == "" {
		out.Set("X-Page", "1")
		out.Set("X-Size", strconv.Itoa(size))
	}
	return out
}

func (bulkPager) Next(q url.Values, h transport.Header, _ gjson.Result, count int) (url.Values, int) {
	if h.Get("X-Total") == "" {
		return nil, count
	}
	total, _ := strconv.Atoi(h.Get("X-Total"))
	n, _ := strconv.Atoi(q.Get("X-Page"))
	size, _ := strconv.Atoi(q.Get("X-Size"))
	if n*size >= total {
		return nil, total
	}
	out := transport.CloneQuery(q)
	out.Set("X-Page", strconv.Itoa(n+1))
	return out, total
}

func (bulkPager) Split(q url.Values) (url.Values, http.Header) {
	out, h := url.Values{}, http.Header{}
	for k, vs := range q {
		switch {
		case k == "nobulk":
		case strings.HasPrefix(k, "X-"):
			h.Set(k, vs[0])
		default:
			out[k] = vs
		}
	}
	return out, h
}

type idAPI struct {
	*fakeAPI
	inFlight, maxInFlight atomic.Int64
	bulk                  bool
	delay                 time.Duration
}

func newIDAPI(t *testing.T, n int, bulk bool, delay time.Duration) *idAPI {
	a := &idAPI{fakeAPI: newFakeAPI(t, n), bulk: bulk, delay: delay}
	a.body = func(w http.ResponseWriter, r *http.Request) bool {
		cur := a.inFlight.Add(1)
		defer a.inFlight.Add(-1)
		for {
			m := a.maxInFlight.Load()
			if cur <= m || a.maxInFlight.CompareAndSwap(m, cur) {
				break
			}
		}
		if r.URL.Path != "/ids" {
			time.Sleep(a.delay)
			return false
		}
		assert.Empty(t, r.URL.Query().Get("X-Page"), "page state travels in headers only")
		if !a.bulk || r.Header.Get("X-Page") == "" {
			ids := make([]string, a.items)
			for i := range ids {
				ids[i] = strconv.Itoa(i + 1)
			}
			fmt.Fprintf(w, "[%s]", strings.Join(ids, ","))
			return true
		}
		page, _ := strconv.Atoi(r.Header.Get("X-Page"))
		size, _ := strconv.Atoi(r.Header.Get("X-Size"))
		var parts []string
		for i := (page-1)*size + 1; i <= page*size && i <= a.items; i++ {
			parts = append(parts, a.thing(i))
		}
		w.Header().Set("X-Total", strconv.Itoa(a.items))
		fmt.Fprintf(w, "[%s]", strings.Join(parts, ","))
		return true
	}
	return a
}

func idThings(c *stratus.Client) stratus.Collection[*Thing] {
	return stratus.NewCollection(c, idKind, wrapThing)
}

func TestIDListReadingOnlyIDsSendsOneRequest(t *testing.T) {
	a := newIDAPI(t, 30, false, 0)
	c := newFakeClient(t, a.fakeAPI, stratus.WithConcurrency(8))
	var ids []string
	for th, err := range idThings(c).All(t.Context()) {
		require.NoError(t, err)
		assert.False(t, th.Loaded())
		ids = append(ids, th.ID())
	}
	assert.Len(t, ids, 30)
	assert.Equal(t, "30", ids[29])
	time.Sleep(20 * time.Millisecond)
	assert.EqualValues(t, 1, a.requests.Load(), "no detail is loaded unless a field is read")
}

func TestIDListLoadsAheadInOrderWithBoundedConcurrency(t *testing.T) {
	a := newIDAPI(t, 40, false, 5*time.Millisecond)
	c := newFakeClient(t, a.fakeAPI, stratus.WithConcurrency(6))
	i := 0
	for th, err := range idThings(c).All(t.Context()) {
		require.NoError(t, err)
		i++
		assert.Equal(t, fmt.Sprintf("thing-%04d", i), th.Name(), "items come in list order")
	}
	assert.Equal(t, 40, i)
	assert.EqualValues(t, 41, a.requests.Load(), "the id list and one load per item, none twice")
	assert.LessOrEqual(t, a.maxInFlight.Load(), int64(6), "never more than the client's concurrency in flight")
	assert.Greater(t, a.maxInFlight.Load(), int64(2), "loads overlap")

	// The same loop again is served by the cache.
	for th, err := range idThings(c).All(t.Context()) {
		require.NoError(t, err)
		_ = th.Name()
	}
	assert.EqualValues(t, 41, a.requests.Load())
}

func TestIDListBreakStopsLoadingAhead(t *testing.T) {
	a := newIDAPI(t, 100, false, 2*time.Millisecond)
	c := newFakeClient(t, a.fakeAPI, stratus.WithConcurrency(4))
	n := 0
	for th, err := range idThings(c).All(t.Context()) {
		require.NoError(t, err)
		_ = th.Name()
		if n++; n == 3 {
			break
		}
	}
	time.Sleep(30 * time.Millisecond)
	assert.LessOrEqual(t, a.requests.Load(), int64(1+3+4), "at most one window beyond the break")
}

func TestIDListBulkPagesGiveWholeObjects(t *testing.T) {
	a := newIDAPI(t, 50, true, 0)
	c := newFakeClient(t, a.fakeAPI)
	n := 0
	for th, err := range idThings(c).PageSize(20).All(t.Context()) {
		require.NoError(t, err)
		n++
		assert.True(t, th.Loaded())
		assert.False(t, th.Partial())
		assert.Equal(t, fmt.Sprintf("thing-%04d", n), th.Name())
		assert.Equal(t, strconv.Itoa(n), th.ID())
		assert.Equal(t, "/things/"+strconv.Itoa(n), th.Path())
	}
	assert.Equal(t, 50, n)
	assert.EqualValues(t, 3, a.requests.Load(), "ceil(50/20) pages, no detail loads")

	// Turned off, the same list falls back to ids.
	a.requests.Store(0)
	n = 0
	for th, err := range idThings(c).Param("nobulk", "1").All(t.Context()) {
		require.NoError(t, err)
		assert.False(t, th.Loaded())
		n++
	}
	assert.Equal(t, 50, n)
	assert.EqualValues(t, 1, a.requests.Load())
}

func TestItemsAtSetsNestedPaths(t *testing.T) {
	a := newIDAPI(t, 3, false, 0)
	c := newFakeClient(t, a.fakeAPI)
	items, err := idThings(c).ItemsAt("/zone/a b/things/{id}").Collect(t.Context())
	require.NoError(t, err)
	require.Len(t, items, 3)
	assert.Equal(t, "/zone/a b/things/2", items[1].Path())
}

// addrPager is pagePager that can also name any page: collections fetch
// ahead once the first page gave the total.
type addrPager struct{ pagePager }

func (addrPager) Page(q url.Values, n, size int) url.Values {
	out := transport.CloneQuery(q)
	out.Set("page", strconv.Itoa(n))
	if size > 0 {
		out.Set("per_page", strconv.Itoa(size))
	}
	return out
}

var aheadKind = &stratus.Kind{
	Name: "thing", Plural: "things", ItemPath: "/things/{id}", ListPath: "/things",
	ItemKey: "thing", ListKey: "things", Pager: addrPager{}, Provider: fakeProvider, IDField: "id",
}

func aheadThings(c *stratus.Client) stratus.Collection[*Thing] {
	return stratus.NewCollection(c, aheadKind, wrapThing)
}

func TestPagesAheadInOrderBounded(t *testing.T) {
	a := newIDAPI(t, 95, false, 5*time.Millisecond)
	c := newFakeClient(t, a.fakeAPI, stratus.WithConcurrency(4))
	i := 0
	for th, err := range aheadThings(c).PageSize(10).All(t.Context()) {
		require.NoError(t, err)
		i++
		require.Equal(t, fmt.Sprintf("thing-%04d", i), th.Peek("name").String(), "items in list order")
	}
	assert.Equal(t, 95, i)
	assert.EqualValues(t, 10, a.requests.Load(), "exactly one request per page")
	assert.LessOrEqual(t, a.maxInFlight.Load(), int64(4))
	assert.Greater(t, a.maxInFlight.Load(), int64(1), "pages overlap")
}

func TestPagesAheadLimitAndBreak(t *testing.T) {
	a := newIDAPI(t, 95, false, 2*time.Millisecond)
	c := newFakeClient(t, a.fakeAPI, stratus.WithConcurrency(3), stratus.WithoutCache())
	got, err := aheadThings(c).PageSize(10).Limit(25).Collect(t.Context())
	require.NoError(t, err)
	assert.Len(t, got, 25)
	assert.EqualValues(t, 3, a.requests.Load(), "no page past the limit")

	a.requests.Store(0)
	n := 0
	for _, err := range aheadThings(c).PageSize(10).All(t.Context()) {
		require.NoError(t, err)
		if n++; n == 15 {
			break
		}
	}
	time.Sleep(20 * time.Millisecond)
	assert.LessOrEqual(t, a.requests.Load(), int64(2+2*3), "a break leaves at most the pages held ahead (twice the concurrency) beyond the one read")
}

func TestPagesAheadFirstErrorStops(t *testing.T) {
	a := newIDAPI(t, 95, false, 0)
	inner := a.body
	a.body = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Query().Get("page") == "4" {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"id":"bad_request","message":"page four is cursed"}`)
			return true
		}
		return inner(w, r)
	}
	c := newFakeClient(t, a.fakeAPI, stratus.WithConcurrency(4))
	n := 0
	var last error
	for _, err := range aheadThings(c).PageSize(10).All(t.Context()) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	require.Error(t, last)
	assert.Contains(t, last.Error(), "page four is cursed")
	assert.Equal(t, 30, n, "pages before the failed one are yielded, none after")
}

func TestPartialItemsOverridesTheKind(t *testing.T) {
	a := newIDAPI(t, 5, false, 0)
	c := newFakeClient(t, a.fakeAPI)
	items, err := aheadThings(c).PartialItems(true).Collect(t.Context())
	require.NoError(t, err)
	require.Len(t, items, 5)
	assert.True(t, items[0].Partial())
	assert.Equal(t, "thing-0001", items[0].Name(), "a field the list has")
	assert.EqualValues(t, 1, a.requests.Load())
	assert.Empty(t, items[0].GetString("not_in_list"))
	assert.EqualValues(t, 2, a.requests.Load(), "a missing field loads the item once")
	assert.False(t, items[0].Partial())
}

// bodyCounter counts, per listing, the answers whose headers have
// arrived and the answers whose bodies the client has begun to read.
type bodyCounter struct {
	next            http.RoundTripper
	headers, bodies atomic.Int64
}

func (b *bodyCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := b.next.RoundTrip(r)
	if err == nil {
		b.headers.Add(1)
		resp.Body = &firstRead{ReadCloser: resp.Body, n: &b.bodies}
	}
	return resp, err
}

type firstRead struct {
	io.ReadCloser
	n    *atomic.Int64
	once sync.Once
}

func (f *firstRead) Read(p []byte) (int, error) {
	f.once.Do(func() { f.n.Add(1) })
	return f.ReadCloser.Read(p)
}

// Pages ahead go out up to the concurrency, but only AheadBytes of
// answers are read ahead of the loop: the others wait, unread, in their
// connections, and the pages still come in order, one request each.
// bigPages serves items things in pages of per, each item carrying 30 KiB
// of padding (pages of about 300 KiB), and records the first page's size.
func bigPages(t *testing.T, items, per int) (*idAPI, *atomic.Int64) {
	a := newIDAPI(t, items, false, 0)
	pad := strings.Repeat("p", 30<<10)
	var firstSize atomic.Int64
	a.body = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/things" {
			return false
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		var b strings.Builder
		b.WriteString(`{"things":[`)
		for i := (page-1)*per + 1; i <= page*per; i++ {
			if i > (page-1)*per+1 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":%d,"name":"thing-%04d","pad":%q}`, i, i, pad)
		}
		links := ""
		if page*per < items {
			links = fmt.Sprintf(`"pages":{"next":"http://elsewhere.example/things?page=%d&per_page=%d"}`, page+1, per)
		}
		fmt.Fprintf(&b, `],"links":{%s},"meta":{"total":%d}}`, links, items)
		if page == 1 {
			firstSize.Store(int64(b.Len()))
		}
		_, _ = io.WriteString(w, b.String())
		return true
	}
	return a, &firstSize
}

func TestPagesAheadReadOnlyTheBodiesNearTheLoop(t *testing.T) {
	const items, per, conc = 400, 10, 16
	a, firstSize := bigPages(t, items, per)
	counter := &bodyCounter{next: http.DefaultTransport.(*http.Transport).Clone()}
	c := newFakeClient(t, a.fakeAPI, stratus.WithConcurrency(conc), stratus.WithoutCache(),
		stratus.WithHTTPClient(&http.Client{Transport: counter}))

	var k int
	var maxBodies, maxHeaders int64
	done := int64(0) // pages the loop has finished
	look := func() {
		maxBodies = max(maxBodies, counter.bodies.Load()-done)
		maxHeaders = max(maxHeaders, counter.headers.Load()-done)
	}
	i := 0
	for th, err := range aheadThings(c).PageSize(per).All(t.Context()) {
		require.NoError(t, err)
		if i == 0 {
			k = max(min(conc, stratus.AheadBytes/int(firstSize.Load())), 2)
		}
		i++
		require.Equal(t, fmt.Sprintf("thing-%04d", i), th.Peek("name").String(), "items in list order")
		look()
		if i == per+1 {
			// The loop stalls on page 2 until more answers have arrived
			// than the bound lets it read, and the bound's bodies are in.
			require.Eventually(t, func() bool {
				return counter.headers.Load() >= int64(k+4) && counter.bodies.Load() >= int64(1+k)
			}, 20*time.Second, time.Millisecond, "answers ahead of a stalled loop")
			time.Sleep(50 * time.Millisecond) // room for a body read past the bound
			look()
		}
		if i%per == 0 {
			// A slow loop: the answers of later pages arrive meanwhile.
			time.Sleep(time.Millisecond)
			look()
			done++
		}
	}
	assert.Equal(t, items, i)
	assert.EqualValues(t, items/per, a.requests.Load(), "one request a page")
	require.Less(t, k, conc, "the pages are big enough for the bound on bytes to bind")
	t.Logf("bodies read ahead at most %d (bound %d), answers in at most %d", maxBodies, k, maxHeaders)
	// While the loop is on page done+1, pages up to done+k may be read:
	// with the loop stalled, exactly k are.
	assert.Equal(t, int64(k), maxBodies, "bodies read ahead of the loop")
	assert.Greater(t, maxHeaders, int64(k), "more requests answered ahead than bodies read: the rest wait unread")
}

// A listing inside a loop over the same listing shares the outer one's
// requests in flight. The outer loop is stalled meanwhile, so a shared
// answer cannot wait for the outer loop's pace: it is read for the inner
// one at once. Without that the two would wait on each other for good.
func TestPagesAheadSharedWithANestedListingOfTheSameCollection(t *testing.T) {
	const items, per = 400, 10
	a, _ := bigPages(t, items, per)
	c := newFakeClient(t, a.fakeAPI, stratus.WithConcurrency(16), stratus.WithoutCache())
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	outer, inner := 0, 0
	for _, err := range aheadThings(c).PageSize(per).All(ctx) {
		require.NoError(t, err)
		if outer++; outer == per+1 {
			// On the outer loop's second page, its pages ahead are in
			// flight; list the whole collection again meanwhile.
			for _, err := range aheadThings(c).PageSize(per).All(ctx) {
				require.NoError(t, err, "the nested listing")
				inner++
			}
		}
	}
	assert.Equal(t, items, outer)
	assert.Equal(t, items, inner)
	assert.LessOrEqual(t, a.requests.Load(), int64(2*items/per), "at most two requests a page")
}
