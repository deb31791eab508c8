package stratus_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/internal/oldpage"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/tidwall/gjson"
)

// dropletPage is page 1 of 200 droplets, as the seeded simulator answers
// it, with the answer's headers.
func dropletPage(tb testing.TB, n int) ([]byte, http.Header) {
	tb.Helper()
	srv := digitaloceantest.NewHandler(digitaloceantest.Config{Droplets: n, HourlyLimit: -1, BurstLimit: -1})
	req := httptest.NewRequest(http.MethodGet, "/v2/droplets?page=1&per_page=200", nil)
	req.Header.Set("Authorization", "Bearer "+digitaloceantest.DefaultToken)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		tb.Fatalf("simulator answered %d: %s", rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes(), rec.Header()
}

// replay answers every request with the same page, in memory.
type replay struct {
	body   []byte
	header http.Header
	n      atomic.Int64
}

func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	r.n.Add(1)
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: r.header.Clone(), Body: io.NopCloser(bytes.NewReader(r.body)),
		ContentLength: int64(len(r.body)), Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

func replayClient(tb testing.TB, body []byte, h http.Header) (*stratus.Client, *replay) {
	tb.Helper()
	rt := &replay{body: body, header: h}
	c, err := do.New(do.Token(digitaloceantest.DefaultToken), stratus.WithBaseURL("http://replay.invalid"),
		stratus.WithHTTPClient(&http.Client{Transport: rt}), stratus.WithoutCache(), stratus.WithRateWindows())
	if err != nil {
		tb.Fatal(err)
	}
	return c, rt
}

// BenchmarkPageFetch reads the first page of a 200-droplet listing through
// the whole client (an in-memory transport, no cache): request, answer,
// validation, split and items.
func BenchmarkPageFetch(b *testing.B) {
	body, h := dropletPage(b, 200)
	c, rt := replayClient(b, body, h)
	ctx := context.Background()
	col := do.Droplets(c).PageSize(200).Collection
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	loopCPU(b, func() {
		for p, err := range col.Pages(ctx) {
			if err != nil {
				b.Fatal(err)
			}
			if len(p.Items) != 200 {
				b.Fatalf("%d items", len(p.Items))
			}
			break
		}
	})
	if rt.n.Load() == 0 {
		b.Fatal("no request sent")
	}
}

// oldDecodePage is how a page was decoded before the one-pass scanner,
// kept here to compare against: a depth walk and gjson's validation of the
// answer, a walk to split the list from links and meta, and a walk over
// the list for the items.
func oldDecodePage(c *stratus.Client, k *stratus.Kind, body []byte, h http.Header, q url.Values, meta *atomic.Pointer[gjson.Result]) ([]*do.DropletHandle, url.Values, int, bool) {
	s := unsafe.String(unsafe.SliceData(body), len(body))
	if !transport.DepthOK(body, transport.MaxDepth) || !gjson.Valid(s) {
		return nil, nil, 0, false
	}
	res := gjson.Parse(s)
	arr, rest := oldpage.SplitList(res, k.ListKey)
	if !arr.IsArray() {
		return nil, nil, 0, false
	}
	var items []*do.DropletHandle
	count := 0
	arr.ForEach(func(_, v gjson.Result) bool {
		count++
		items = append(items, &do.DropletHandle{Resource: stratus.Hydrate(c, k, v, k.Partial)})
		return true
	})
	if m := rest.Get("meta"); m.Exists() {
		meta.Store(&m)
	}
	next, total := k.Pager.Next(q, h, rest, count)
	return items, next, total, true
}

// BenchmarkDecodePage decodes one 200-droplet page from its bytes.
func BenchmarkDecodePage(b *testing.B) {
	body, h := dropletPage(b, 200)
	c, _ := replayClient(b, body, h)
	col := do.Droplets(c).PageSize(200).Collection
	q := col.Kind().Pager.First(nil, 200)
	b.Run("old", func(b *testing.B) {
		var meta atomic.Pointer[gjson.Result]
		k := col.Kind()
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		loopCPU(b, func() {
			items, _, _, ok := oldDecodePage(c, k, body, h, q, &meta)
			if !ok || len(items) != 200 {
				b.Fatalf("%d items", len(items))
			}
		})
	})
	b.Run("new", func(b *testing.B) {
		ctx := context.Background()
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		loopCPU(b, func() {
			p, err := col.DecodePage(ctx, body, h)
			if err != nil || len(p.Items) != 200 {
				b.Fatalf("%v, %d items", err, len(p.Items))
			}
		})
	})
}

// cpuTime is the CPU time the process has used (user and system, every
// thread: the collector's work counts).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loopCPU runs f in b.Loop and reports the CPU time per run beside the
// wall time: on a shared machine it is the steadier of the two.
func loopCPU(b *testing.B, f func()) {
	var t0 time.Duration
	n := 0
	for b.Loop() {
		if n == 0 {
			t0 = cpuTime()
		}
		f()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cpuTime()-t0)/float64(n), "cpu-ns/op")
	}
}
