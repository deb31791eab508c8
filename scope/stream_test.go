package scope_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/scope"
	"github.com/stratus-cloud/stratus/scope/infrastructure"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests prove the streaming of scope listings by the order of
// events and by counts, never by timings: a gate in front of each
// simulator holds requests until the test lets them go.

// events is the ordered record of what the gates let through and what the
// loop received.
type events struct {
	mu  sync.Mutex
	log []string
}

func (e *events) add(s string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = append(e.log, s)
	return len(e.log) - 1
}

func (e *events) lastIndex(s string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := len(e.log) - 1; i >= 0; i-- {
		if e.log[i] == s {
			return i
		}
	}
	return -1
}

// gateWait bounds how long a gate holds a request that the test never
// releases: only a listing that does not stream waits that long, and the
// order recorded then shows it.
const gateWait = 10 * time.Second

// gate is the innermost transport of one client. It lets the first free
// requests through, holds the others until open is closed (or the request
// is abandoned), and records each request it lets through as "<name>
// sent" (before the simulator answers it) in the shared events.
type gate struct {
	name    string
	next    http.RoundTripper
	ev      *events
	free    int32
	open    chan struct{}
	arrived atomic.Int32 // requests that reached the gate
	sent    atomic.Int32 // requests let through
	refuse  func(*http.Request) bool
}

func newGate(name string, ev *events, free int32, open chan struct{}) *gate {
	return &gate{name: name, next: http.DefaultTransport.(*http.Transport).Clone(), ev: ev, free: free, open: open}
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	if g.arrived.Add(1) > g.free {
		t := time.NewTimer(gateWait)
		defer t.Stop()
		select {
		case <-g.open:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		case <-t.C:
		}
	}
	g.sent.Add(1)
	g.ev.add(g.name + " sent")
	if g.refuse != nil && g.refuse(r) {
		return &http.Response{
			StatusCode: http.StatusForbidden, Status: "403 Forbidden", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:  http.Header{"Content-Type": {"application/json"}},
			Body:    io.NopCloser(strings.NewReader(`{"id":"forbidden","message":"You do not have access for the attempted action."}`)),
			Request: r,
		}, nil
	}
	return g.next.RoundTrip(r)
}

func (g *gate) client() stratus.Option { return stratus.WithHTTPClient(&http.Client{Transport: g}) }

// threeClouds is a DigitalOcean, an OVH and an enStratus simulator, each
// behind its gate, and a client of each.
type threeClouds struct {
	ev         *events
	open       chan struct{}
	once       sync.Once
	dg, og, eg *gate
	dc, oc, ec *stratus.Client
	dsrv       *digitaloceantest.Server
	osrv       *ovhtest.Server
	esrv       *enstratustest.Server
}

// newThreeClouds starts the simulators. free says how many requests each
// gate lets through before the test opens it (digitalocean, ovh,
// enstratus).
func newThreeClouds(t *testing.T, droplets, dedicated, esServers int, free [3]int32, opts ...stratus.Option) *threeClouds {
	t.Helper()
	tc := &threeClouds{ev: &events{}, open: make(chan struct{})}
	tc.dg = newGate("digitalocean", tc.ev, free[0], tc.open)
	tc.og = newGate("ovh", tc.ev, free[1], tc.open)
	tc.eg = newGate("enstratus", tc.ev, free[2], tc.open)

	tc.dsrv = digitaloceantest.NewServer(digitaloceantest.Config{Droplets: droplets, HourlyLimit: -1, BurstLimit: -1})
	t.Cleanup(tc.dsrv.Close)
	tc.osrv = ovhtest.NewServer(ovhtest.Config{DedicatedServers: dedicated, Projects: 2, Instances: 3, RateLimit: -1})
	t.Cleanup(tc.osrv.Close)
	tc.esrv = enstratustest.NewServer(enstratustest.Config{Servers: esServers})
	t.Cleanup(tc.esrv.Close)

	var err error
	tc.dc, err = do.New(append([]stratus.Option{do.Token(tc.dsrv.Token()), stratus.WithBaseURL(tc.dsrv.URL()), fast, tc.dg.client()}, opts...)...)
	require.NoError(t, err)
	tc.oc, err = ovh.New(append([]stratus.Option{ovh.Credentials(tc.osrv.AppKey(), tc.osrv.AppSecret(), tc.osrv.ConsumerKey()),
		stratus.WithBaseURL(tc.osrv.URL()), fast, tc.og.client()}, opts...)...)
	require.NoError(t, err)
	tc.ec, err = enstratus.New(append([]stratus.Option{enstratus.Keys(tc.esrv.AccessKey(), tc.esrv.SecretKey()),
		stratus.WithBaseURL(tc.esrv.URL()), stratus.WithClock(tc.esrv.Now), fast, tc.eg.client()}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(tc.release)
	return tc
}

func (tc *threeClouds) release() { tc.once.Do(func() { close(tc.open) }) }

// The first server of three clouds is yielded while every provider still
// has requests of its listing to send: DigitalOcean's first page (of 5) is
// the only answer let through before the loop has its first item; OVH's
// and enStratus's first requests and DigitalOcean's pages 2 to 5 wait at
// the gates. The clients are given with DigitalOcean last: a listing that
// waited for the first client's whole listing could never yield.
func TestFirstServerBeforeAnyListingEnds(t *testing.T) {
	tc := newThreeClouds(t, 1000, 30, 40, [3]int32{1, 0, 0})
	count := map[string]int{}
	order := map[string][]string{}
	first := -1
	for s, err := range infrastructure.Servers(t.Context(), tc.oc, tc.ec, tc.dc) {
		require.NoError(t, err)
		if first < 0 {
			first = tc.ev.add("first item")
			assert.Equal(t, "digitalocean", s.Provider(), "only DigitalOcean's first page was let through")
			tc.release()
		}
		count[s.Provider()]++
		order[s.Provider()+"/"+s.NativeKind()] = append(order[s.Provider()+"/"+s.NativeKind()], s.ID())
	}
	assert.Equal(t, map[string]int{"digitalocean": 1000, "ovh": 30 + 2*3, "enstratus": 40}, count)

	t.Logf("events: %d requests let through; first item at event %d", len(tc.ev.log)-1, first)
	for _, g := range []*gate{tc.dg, tc.og, tc.eg} {
		end := tc.ev.lastIndex(g.name + " sent")
		t.Logf("%s: %d requests, the last let through at event %d", g.name, g.sent.Load(), end)
		assert.Greater(t, end, first, "%s's listing ended before the first item was yielded", g.name)
	}
	assert.Equal(t, int32(5), tc.dg.sent.Load(), "1,000 droplets at 200 a page")

	// Each source keeps its own order: the same as one client listed
	// alone, source by source.
	alone := map[string][]string{}
	for _, c := range []*stratus.Client{tc.dc, tc.oc, tc.ec} {
		for s, err := range infrastructure.Servers(t.Context(), c) {
			require.NoError(t, err)
			k := s.Provider() + "/" + s.NativeKind()
			alone[k] = append(alone[k], s.ID())
		}
	}
	assert.Len(t, alone, 4, "droplets, dedicated servers, cloud instances, enStratus servers")
	assert.Equal(t, alone, order)
	var native []string
	for d, err := range do.Droplets(tc.dc).All(t.Context()) {
		require.NoError(t, err)
		native = append(native, fmt.Sprint(d.ID()))
	}
	assert.Equal(t, native, order["digitalocean/droplet"], "DigitalOcean's order")
}

// stratusGoroutines counts the goroutines running code of the library or
// of scope: after a listing is over, none of its own may remain.
var ownFrame = regexp.MustCompile(`github\.com/stratus-cloud/stratus(/scope(/[a-z]+)?)?\.`)

func stratusGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if ownFrame.MatchString(g) {
			count++
		}
	}
	return count
}

// settle waits (a bounded number of short polls) until the library's
// goroutines are back to want, and returns the count it saw last.
func settle(want int) int {
	n := stratusGoroutines()
	for i := 0; i < 500 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = stratusGoroutines()
	}
	return n
}

// A break at the first item stops every provider's listing: the requests
// held at the gates are abandoned, none is let through afterwards, and no
// goroutine of the listing outlives the loop.
func TestBreakStopsEveryListing(t *testing.T) {
	tc := newThreeClouds(t, 3000, 500, 300, [3]int32{1, 0, 0}, stratus.WithConcurrency(4))
	before := stratusGoroutines()
	n := 0
	for s, err := range infrastructure.Servers(t.Context(), tc.oc, tc.ec, tc.dc) {
		require.NoError(t, err)
		assert.Equal(t, "digitalocean", s.Provider())
		n++
		break
	}
	assert.Equal(t, 1, n)
	// The loop has returned: every producer has returned with it.
	assert.Equal(t, before, settle(before), "goroutines of the listing left running")
	sent := []int32{tc.dg.sent.Load(), tc.og.sent.Load(), tc.eg.sent.Load()}
	arrived := []int32{tc.dg.arrived.Load(), tc.og.arrived.Load(), tc.eg.arrived.Load()}
	t.Logf("requests let through (do, ovh, es): %v; reached the gates: %v", sent, arrived)
	assert.Equal(t, []int32{1, 0, 0}, sent, "only DigitalOcean's first page was sent")
	// Pages ahead are bounded by the concurrency (4 in flight) whatever
	// the total (15 pages).
	assert.LessOrEqual(t, arrived[0], int32(1+4))
	assert.Positive(t, arrived[1])
	assert.Positive(t, arrived[2])

	// Opening the gates now sends nothing: nobody is left to send.
	tc.release()
	assert.Equal(t, before, settle(before))
	assert.Equal(t, sent, []int32{tc.dg.sent.Load(), tc.og.sent.Load(), tc.eg.sent.Load()})
	assert.Equal(t, arrived, []int32{tc.dg.arrived.Load(), tc.og.arrived.Load(), tc.eg.arrived.Load()})
}

// A loop that stops reading holds the listings back: with 50 pages to
// list and 2 requests in flight, a loop that has taken one item and waits
// leaves at most a handful of pages fetched.
func TestSlowLoopHoldsListingsBack(t *testing.T) {
	srv := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: 10000, HourlyLimit: -1, BurstLimit: -1})
	t.Cleanup(srv.Close)
	dc2, err := do.New(do.Token(srv.Token()), stratus.WithBaseURL(srv.URL()), fast, stratus.WithConcurrency(2), stratus.WithoutCache())
	require.NoError(t, err)
	before := stratusGoroutines()
	stable := func() int {
		last, same := -1, 0
		for same < 30 {
			time.Sleep(10 * time.Millisecond)
			if n := srv.Requests(); n == last {
				same++
			} else {
				last, same = n, 0
			}
		}
		return last
	}
	n := 0
	for _, err := range infrastructure.Servers(t.Context(), dc2) {
		require.NoError(t, err)
		if n++; n == 1 {
			held := stable()
			t.Logf("requests while the loop waits on its first item: %d of 50 pages", held)
			// Page 1, the collection's pages ahead (2 in flight, 4
			// fetched and not taken), one page waiting in the source's
			// channel and one the source holds.
			assert.LessOrEqual(t, held, 1+2+4+2)
			assert.GreaterOrEqual(t, held, 2, "the next pages are fetched while the loop reads")
		}
		if n == 1000 {
			break
		}
	}
	assert.Equal(t, before, settle(before))
}

// The page size is the collection's: by default the provider's largest,
// 1,000 droplets in 5 requests (the API's default page would take 50);
// a client's WithPageSize is kept.
func TestServersPageSize(t *testing.T) {
	for _, tt := range []struct {
		opts []stratus.Option
		want int
	}{{nil, 5}, {[]stratus.Option{stratus.WithPageSize(20)}, 50}} {
		srv := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: 1000, HourlyLimit: -1, BurstLimit: -1})
		dc, err := do.New(append([]stratus.Option{do.Token(srv.Token()), stratus.WithBaseURL(srv.URL()), fast}, tt.opts...)...)
		require.NoError(t, err)
		oc, osrv := ovhClient(t, ovhtest.Config{DedicatedServers: 300, Projects: -1})
		ec, esrv := esClient(t, 100)
		n := 0
		for _, err := range infrastructure.Servers(t.Context(), dc, oc, ec) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 1000+300+100, n)
		assert.Equal(t, tt.want, srv.RequestsTo("GET", "/v2/droplets"), "droplet pages")
		// OVH: the server clock, 300 servers in one bulk page, the list
		// of projects (none); enStratus: one answer.
		assert.Equal(t, 3, osrv.Requests(), "ovh")
		assert.Equal(t, 1, esrv.Requests(), "enstratus")
		srv.Close()
	}
}

// A provider whose listing fails yields one error, after the items it
// gave, and the others list everything.
func TestOneProviderFails(t *testing.T) {
	tc := newThreeClouds(t, 1000, 30, 40, [3]int32{1000, 1000, 1000}, stratus.WithConcurrency(1))
	// DigitalOcean refuses its third page.
	tc.dg.refuse = func(r *http.Request) bool { return r.URL.Query().Get("page") == "3" }
	count := map[string]int{}
	var errs []error
	for s, err := range infrastructure.Servers(t.Context(), tc.dc, tc.oc, tc.ec) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		count[s.Provider()]++
	}
	require.Len(t, errs, 1)
	var se *stratus.Error
	require.True(t, errors.As(errs[0], &se), "%T %v", errs[0], errs[0])
	assert.Equal(t, "digitalocean", se.Provider)
	assert.Equal(t, map[string]int{"digitalocean": 400, "ovh": 36, "enstratus": 40}, count, "pages 1 and 2 of DigitalOcean, everything else")
	assert.Equal(t, int32(3), tc.dg.sent.Load(), "nothing after the failed page")
}

// OVH without the bulk mode gives ids: they are loaded before they are
// yielded, a client's concurrency at a time, so reading their fields in
// the loop sends nothing more.
func TestIDListsLoadAheadInChunks(t *testing.T) {
	osrv := ovhtest.NewServer(ovhtest.Config{DedicatedServers: 50, Projects: -1, RateLimit: -1})
	t.Cleanup(osrv.Close)
	osrv.SetBulk(false)
	oc2, err := ovh.New(ovh.Credentials(osrv.AppKey(), osrv.AppSecret(), osrv.ConsumerKey()), stratus.WithBaseURL(osrv.URL()), fast, stratus.WithConcurrency(8))
	require.NoError(t, err)
	n := 0
	for s, err := range infrastructure.Servers(t.Context(), oc2) {
		require.NoError(t, err)
		// Loaded before it was yielded (while the next chunk loads):
		// reading a field sends nothing.
		assert.True(t, s.Resource().Loaded(), s.Name())
		path := "/dedicated/server/" + s.Name()
		assert.Equal(t, 1, osrv.RequestsTo("GET", path), path)
		assert.NotEmpty(t, s.Region(), s.Name())
		assert.Equal(t, 1, osrv.RequestsTo("GET", path), path)
		n++
	}
	assert.Equal(t, 50, n)
	// The clock, the id list, one request per server, the list of
	// projects (none).
	assert.Equal(t, 2+50+1, osrv.Requests())
}

// A context that ends mid-listing ends the loop with one error, the
// context's, and leaves no goroutine behind.
func TestContextEndsTheListing(t *testing.T) {
	tc := newThreeClouds(t, 1000, 30, 40, [3]int32{1, 0, 0})
	before := stratusGoroutines()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	n := 0
	var errs []error
	for _, err := range infrastructure.Servers(ctx, tc.oc, tc.ec, tc.dc) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if n++; n == 1 {
			cancel() // the gates never open: every other request is held
		}
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.LessOrEqual(t, n, 200, "at most the page that was in hand")
	assert.Equal(t, before, settle(before))
}

// A source can list item by item (Source.List) or page by page
// (Source.Pages); List wins when both are set. A lister that panics gives
// an error.
func TestSourcesListOrPages(t *testing.T) {
	dc, _ := doClient(t, 450)
	saved := scope.TableOf("digitalocean")
	t.Cleanup(func() { scope.Register("digitalocean", saved) })
	byItem := func(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[stratus.Object, error] {
		return stratus.NewCollection(c, k, k.New).Limit(7).All(ctx)
	}
	byPage := func(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[[]stratus.Object, error] {
		return func(yield func([]stratus.Object, error) bool) {
			for p, err := range stratus.NewCollection(c, k, k.New).Limit(300).Pages(ctx) {
				if !yield(p.Items, err) || err != nil {
					return
				}
			}
		}
	}
	panics := func(context.Context, *stratus.Client, *stratus.Kind) iter.Seq2[[]stratus.Object, error] {
		return func(func([]stratus.Object, error) bool) { panic("lister bug") }
	}
	for _, tt := range []struct {
		list  func(context.Context, *stratus.Client, *stratus.Kind) iter.Seq2[stratus.Object, error]
		pages func(context.Context, *stratus.Client, *stratus.Kind) iter.Seq2[[]stratus.Object, error]
		want  int
	}{{nil, nil, 450}, {byItem, nil, 7}, {nil, byPage, 300}, {byItem, byPage, 7}, {nil, panics, 0}} {
		tab := scope.Table{}
		for k, v := range saved {
			tab[k] = v
		}
		src := saved[scope.KindServer][0]
		src.List, src.Pages = tt.list, tt.pages
		tab[scope.KindServer] = []scope.Source{src}
		scope.Register("digitalocean", tab)
		n, errs := 0, 0
		for s, err := range infrastructure.Servers(t.Context(), dc) {
			if err != nil {
				errs++
				assert.ErrorContains(t, err, "panic: lister bug")
				continue
			}
			assert.NotEmpty(t, s.Name())
			n++
		}
		assert.Equal(t, tt.want, n)
		assert.Equal(t, tt.want == 0, errs == 1, "a lister that panics ends its source with an error")
	}
}
