package stratus_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
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

// Hostile answers from raw loopback servers, through the public API only.

type hostile struct {
	srv      *httptest.Server
	requests atomic.Int64
}

func newHostile(t *testing.T, h http.HandlerFunc) *hostile {
	t.Helper()
	hs := &hostile{}
	hs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hs.requests.Add(1)
		h(w, r)
	}))
	t.Cleanup(hs.srv.Close)
	return hs
}

func (hs *hostile) client(t *testing.T, opts ...stratus.Option) *stratus.Client {
	t.Helper()
	base := []stratus.Option{stratus.WithBaseURL(hs.srv.URL), stratus.WithCredential("token", testSecret), stratus.WithRetry(transport.NoRetry)}
	c, err := stratus.Open("fake", append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func TestHTMLErrorPageWithNonASCIITitleDoesNotPanic(t *testing.T) {
	for _, title := range []string{"\xc9chec \xe9norme", "İİİİ Fehler İ", "\xff\xfe<TITLE>"} {
		hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
			w.WriteHeader(502)
			fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>%s</title></head><body>%s</body></html>", title, strings.Repeat("İ", 100))
		})
		c := hs.client(t)
		th := newThing(c, 1)
		assert.Equal(t, "", th.Name(), "a getter survives the answer")
		require.ErrorIs(t, th.LastError(), stratus.ErrUnavailable)
		assert.Contains(t, th.LastError().Error(), "HTML error page")
		_, err := c.Do(context.Background(), "GET", "/things/1", nil, nil)
		require.ErrorIs(t, err, stratus.ErrUnavailable)
	}
}

// A provider whose error decoder panics: the panic is a decoding bug that
// must reach no caller as a panic.
var panickyProvider = &stratus.Provider{
	Name: "panicky", Kinds: []*stratus.Kind{{Name: "thing", ItemPath: "/things/{id}", ItemKey: "thing"}},
	Transport: func(s *stratus.Settings) (transport.Config, error) {
		return transport.Config{BaseURL: "http://invalid", DecodeError: func(e *transport.Error, _ http.Header, body []byte) {
			_ = body[len(body)+1] // index out of range
		}}, nil
	},
}

func init() { stratus.Register(panickyProvider) }

func TestPanicInSharedLoadIsMalformed(t *testing.T) {
	hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		fmt.Fprint(w, `{"oops":1}`)
	})
	c, err := stratus.New(panickyProvider, stratus.WithBaseURL(hs.srv.URL), stratus.WithRetry(transport.NoRetry))
	require.NoError(t, err)
	k := panickyProvider.Kinds[0]
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := stratus.NewResource(c, k, "1")
			assert.False(t, r.Get("name").Exists())
			assert.ErrorIs(t, r.LastError(), stratus.ErrMalformed)
		}()
	}
	wg.Wait()
	err = stratus.NewResource(c, k, "2").Load(context.Background())
	assert.ErrorIs(t, err, stratus.ErrMalformed)
}

func gzipped(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// repeatedGzip is n gzip members, each of unit: a multi-member stream
// that inflates to n*len(unit) bytes while compressing unit only once.
func repeatedGzip(t *testing.T, head []byte, unit []byte, n int) []byte {
	one := gzipped(t, unit)
	out := gzipped(t, head)
	for range n {
		out = append(out, one...)
	}
	return out
}

func TestDeepNestingIsMalformedNotAStackOverflow(t *testing.T) {
	const levels = 4 << 20
	wire := repeatedGzip(t, []byte(`{"thing":`), bytes.Repeat([]byte("["), 1<<20), levels>>20)
	t.Logf("%d bytes on the wire inflate to %d levels", len(wire), levels)
	for _, status := range []int{200, 500} {
		hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write(wire)
		})
		c := hs.client(t)
		err := newThing(c, 1).Load(context.Background())
		require.Error(t, err)
		if status == 200 {
			assert.ErrorIs(t, err, stratus.ErrMalformed)
			assert.Contains(t, err.Error(), "deeper than")
		} else {
			assert.ErrorIs(t, err, stratus.ErrUnavailable)
		}
	}
}

func TestPprintOfDeepNestingIsBounded(t *testing.T) {
	// Just within the nesting bound, repeated: indenting each level anew
	// would print hundreds of times the answer.
	one := strings.Repeat("[", transport.MaxDepth-3) + strings.Repeat("]", transport.MaxDepth-3)
	parts := make([]string, 400)
	for i := range parts {
		parts[i] = one
	}
	body := `{"thing":{"id":1,"x":[` + strings.Join(parts, ",") + `]}}`
	hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) })
	c := hs.client(t)
	th := newThing(c, 1)
	require.NoError(t, th.Load(context.Background()))
	var out bytes.Buffer
	err := th.Pprint(&out)
	t.Logf("answer %d bytes, printout %d bytes", len(body), out.Len())
	assert.LessOrEqual(t, out.Len(), 8*len(body)+64<<10+100+transport.MaxDepth*66, "printout bounded: the budget and one element's closing lines")
	if err != nil {
		assert.ErrorIs(t, err, stratus.ErrMalformed)
		assert.Contains(t, out.String(), "cut short")
	}
	// An ordinary object prints whole.
	f := newFakeAPI(t, 3)
	out.Reset()
	require.NoError(t, newThing(newFakeClient(t, f), 2).Pprint(&out))
	assert.NotContains(t, out.String(), "cut short")
}

func heapAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

func TestHugeTotalsAreUnknown(t *testing.T) {
	for _, total := range []string{"9223372036854775807", "2000000", "-5", "1e300"} {
		hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
			page := r.URL.Query().Get("page")
			next := ""
			switch page {
			case "1":
				next = `"pages":{"next":"http://x/things?page=2&per_page=2"}`
			case "2":
				next = `"pages":{"next":"http://x/things?page=3&per_page=2"}`
			}
			fmt.Fprintf(w, `{"things":[{"id":1},{"id":2}],"links":{%s},"meta":{"total":%s}}`, next, total)
		})
		c := hs.client(t, stratus.WithConcurrency(8))
		before := heapAlloc()
		items, err := things(c).PageSize(2).Collect(context.Background())
		grew := heapAlloc() - before
		require.NoError(t, err, total)
		assert.Len(t, items, 6, total)
		assert.Equal(t, int64(3), hs.requests.Load(), "pages read one after the other: %s", total)
		assert.Less(t, grew, uint64(8<<20), "no table sized by the total %s (%d bytes)", total, grew)
		n, err := things(c).PageSize(2).Count(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 6, n, "an implausible total is counted by listing")
	}
}

// rawServer answers each connection with the given bytes and closes it.
func rawServer(t *testing.T, answer []byte) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				buf := make([]byte, 4096)
				conn.Read(buf)
				conn.Write(answer)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

func TestAnnouncedLengthIsNotPreallocated(t *testing.T) {
	url := rawServer(t, []byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 268435456\r\n\r\n{"))
	// Under the default bound the answer is refused from its header.
	c, err := stratus.Open("fake", stratus.WithBaseURL(url), stratus.WithCredential("token", testSecret), stratus.WithRetry(transport.NoRetry))
	require.NoError(t, err)
	_, err = c.Do(context.Background(), "GET", "/things/1", nil, nil)
	require.ErrorIs(t, err, stratus.ErrBodyTooLarge)
	require.ErrorIs(t, err, stratus.ErrMalformed)
	// Allowed by a larger bound, the short body is truncated, and memory
	// follows the byte sent, not the length announced.
	c, err = stratus.Open("fake", stratus.WithBaseURL(url), stratus.WithCredential("token", testSecret), stratus.WithRetry(transport.NoRetry), stratus.WithMaxBody(1<<30))
	require.NoError(t, err)
	before := heapAlloc()
	for range 8 {
		_, err = c.Do(context.Background(), "GET", "/things/1", nil, nil)
		require.ErrorIs(t, err, stratus.ErrUnavailable)
		assert.Contains(t, err.Error(), "truncated")
	}
	grew := heapAlloc() - before
	t.Logf("8 answers announcing 256 MiB: %d bytes allocated", grew)
	assert.Less(t, grew, uint64(16<<20))
}

func TestGzipBombIsCapped(t *testing.T) {
	bomb := repeatedGzip(t, nil, bytes.Repeat([]byte(" "), 1<<20), 64)
	t.Logf("%d bytes on the wire inflate to 64 MiB", len(bomb))
	hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	c := hs.client(t, stratus.WithMaxBody(1<<20))
	before := heapAlloc()
	_, err := c.Do(context.Background(), "GET", "/things/1", nil, nil)
	grew := heapAlloc() - before
	require.ErrorIs(t, err, stratus.ErrBodyTooLarge)
	assert.Less(t, grew, uint64(16<<20), "%d bytes allocated", grew)

	// A gzip answer the caller asked for itself (the HTTP layer leaves it
	// encoded) is decoded under the same bound.
	small := gzipped(t, []byte(`{"thing":{"id":1,"name":"z"}}`))
	hs2 := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		if strings.Contains(r.URL.Path, "bomb") {
			w.Write(bomb)
			return
		}
		w.Write(small)
	})
	c2 := hs2.client(t, stratus.WithMaxBody(1<<20))
	resp, err := c2.Send(context.Background(), &transport.Request{Method: "GET", Path: "/things/1", Header: http.Header{"Accept-Encoding": {"gzip"}}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"thing":{"id":1,"name":"z"}}`, string(resp.Body))
	_, err = c2.Send(context.Background(), &transport.Request{Method: "GET", Path: "/bomb", Header: http.Header{"Accept-Encoding": {"gzip"}}})
	require.ErrorIs(t, err, stratus.ErrBodyTooLarge)
}

func TestMaxBodyAllowsSmallerAnswers(t *testing.T) {
	body := `{"thing":{"id":1,"name":"` + strings.Repeat("n", 2000) + `"}}`
	hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) })
	assert.Len(t, newThing(hs.client(t, stratus.WithMaxBody(4096)), 1).Name(), 2000)
	// No cache: the process's shared one holds the first client's answer.
	err := newThing(hs.client(t, stratus.WithMaxBody(1024), stratus.WithoutCache()), 1).Load(context.Background())
	assert.ErrorIs(t, err, stratus.ErrBodyTooLarge)
	_, err = stratus.Open("fake", stratus.WithBaseURL(hs.srv.URL), stratus.WithMaxBody(-1))
	assert.ErrorIs(t, err, stratus.ErrInvalid)
}

func TestSharedLoadHonoursTheCallersLongerDeadline(t *testing.T) {
	release := make(chan struct{})
	hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		<-release
		fmt.Fprint(w, `{"thing":{"id":1,"name":"slow"}}`)
	})
	c := hs.client(t, stratus.WithTimeout(20*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan error, 1)
	th := newThing(c, 1)
	go func() { done <- th.Load(ctx) }()
	// Answer only once the client timeout has certainly passed.
	time.Sleep(100 * time.Millisecond)
	close(release)
	require.NoError(t, <-done)
	assert.Equal(t, "slow", th.Name())
}

func TestCancelledContextSendsNothing(t *testing.T) {
	f := newFakeAPI(t, 5)
	c := newFakeClient(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, newThing(c, 1).Load(ctx), context.Canceled)
	assert.ErrorIs(t, newThing(c, 1).Reload(ctx), context.Canceled)
	_, err := things(c).Collect(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = c.Do(ctx, "GET", "/things", nil, nil)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = c.Do(ctx, "PUT", "/things/1", nil, []byte(`{}`))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, f.requests.Load())
}

// eventually polls cond until it holds or a generous bound passes; it
// waits for background work to finish, it asserts no timing.
func eventually(cond func() bool) bool {
	for range 500 {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

func TestAbandonedLoadsLeakNothing(t *testing.T) {
	var open atomic.Int64
	arrived := make(chan struct{}, 100)
	hs := &hostile{}
	hs.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hs.requests.Add(1)
		arrived <- struct{}{}
		<-r.Context().Done() // never answers
	}))
	hs.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	hs.srv.Start()
	defer hs.srv.Close()
	c := hs.client(t, stratus.WithTimeout(0), stratus.WithoutCache())
	runtime.GC()
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	for i := range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := newThing(c, i+1).Load(ctx)
			assert.ErrorIs(t, err, context.Canceled)
		}()
		<-arrived
		cancel()
	}
	wg.Wait()
	ok := eventually(func() bool { return runtime.NumGoroutine() <= before+2 && open.Load() == 0 })
	t.Logf("goroutines before %d, after %d; connections open %d", before, runtime.NumGoroutine(), open.Load())
	assert.True(t, ok, "abandoned loads left goroutines or connections behind")
	assert.Equal(t, int64(20), hs.requests.Load())
}

func TestCyclingNextLinksEnd(t *testing.T) {
	hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		other := "2"
		if r.URL.Query().Get("page") == "2" {
			other = "1"
		}
		fmt.Fprintf(w, `{"things":[{"id":1},{"id":2}],"links":{"pages":{"next":"http://x/things?page=%s"}}}`, other)
	})
	for _, fresh := range []bool{false, true} {
		hs.requests.Store(0)
		col := things(hs.client(t))
		if fresh {
			col = col.Fresh()
		}
		items, err := col.Collect(context.Background())
		require.ErrorIs(t, err, stratus.ErrMalformed)
		assert.Contains(t, err.Error(), "already read")
		assert.Len(t, items, 4)
		assert.Equal(t, int64(2), hs.requests.Load())
	}
}

func TestListingHasAHardPageBound(t *testing.T) {
	defer stratus.SetMaxPages(50)()
	hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.URL.Query().Get("page"), &n)
		fmt.Fprintf(w, `{"things":[{"id":%d}],"links":{"pages":{"next":"http://x/things?page=%d"}}}`, n, n+1)
	})
	items, err := things(hs.client(t)).Collect(context.Background())
	require.ErrorIs(t, err, stratus.ErrMalformed)
	assert.Contains(t, err.Error(), "after 50 pages")
	assert.Len(t, items, 50)
	assert.Equal(t, int64(50), hs.requests.Load())
}

func TestCallerMistakes(t *testing.T) {
	f := newFakeAPI(t, 5)
	c := newFakeClient(t, f, nil) // a nil option is skipped
	ctx := context.Background()
	for _, id := range []string{"", ".", ".."} {
		th := &Thing{stratus.NewResource(c, thingKind, id)}
		assert.ErrorIs(t, th.Load(ctx), stratus.ErrInvalid, "%q", id)
		assert.Equal(t, "", th.Name())
		assert.ErrorIs(t, th.LastError(), stratus.ErrInvalid)
		_, err := c.Do(ctx, "DELETE", th.Path(), nil, nil)
		assert.ErrorIs(t, err, stratus.ErrInvalid, "%q", id)
	}
	for _, p := range []string{"/things/%2e%2e", "/things/./1", "/things//1", "/things/1/.."} {
		_, err := c.Do(ctx, "GET", p, nil, nil)
		assert.ErrorIs(t, err, stratus.ErrInvalid, p)
	}
	assert.Zero(t, f.requests.Load(), "nothing sent")
	_, err := stratus.Open("fake", nil, stratus.WithBaseURL(f.srv.URL), nil)
	require.NoError(t, err)

	big := stratus.NewResource(c, thingKind, "99999999999999999999")
	assert.Zero(t, big.IntID())
	assert.ErrorIs(t, big.LastError(), stratus.ErrInvalid)
	assert.Contains(t, big.LastError().Error(), "99999999999999999999")

	hs := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"things":[{"id":100000000000000000000},{"id":7}]}`)
	})
	items, err := things(hs.client(t)).Collect(ctx)
	require.NoError(t, err)
	require.Len(t, items, 2)
	assert.Zero(t, items[0].IntID())
	assert.ErrorIs(t, items[0].LastError(), stratus.ErrMalformed)
	assert.Equal(t, 7, items[1].IntID())
	assert.NoError(t, items[1].LastError())
}
