package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/digitalocean/godo"
	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/internal/oldpage"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
)

// The decode row: one page of 200 droplets, as the simulator answers it,
// decoded from its bytes, with no request sent. stratus reads it with
// Collection.DecodePage (what a listing does with each page it fetches:
// one pass that validates the answer and yields the items and the
// links/meta together); godo with encoding/json into the []godo.Droplet
// of its list answer, as its Droplets.List does. The row's times are one
// page's, wall clock. The target is read from CPU time (testing.Benchmark,
// the process's user and system time per page): stratus's pass beside the
// way stratus decoded pages before it (kept below, measured in the same
// run) and beside that way's CPU time as recorded when the pass was built.
const nameDecode = "do decode a 200-droplet page"

// decodePer is the page's size: DigitalOcean's largest.
const decodePer = 200

// recordedDecodeCPU is the CPU time per page of the earlier decoding
// (a depth walk and gjson's validation, a split of the list from links
// and meta, a walk over the list), measured on the project's 2-core
// machine under load before the one pass replaced it: 1.05-1.09 ms.
const recordedDecodeCPU = 1070 * time.Microsecond

// decodeCPU is what the scenario measured, for the target.
var decodeCPU atomic.Pointer[decodeTimes]

type decodeTimes struct {
	ours, before, godo time.Duration // CPU time per page
	bytes              int
}

// godoDropletsRoot is the shape godo decodes a droplet list into.
type godoDropletsRoot struct {
	Droplets []godo.Droplet `json:"droplets"`
	Links    *godo.Links    `json:"links"`
	Meta     *godo.Meta     `json:"meta"`
}

func decodeScenario() *scenario {
	srv := doServer(decodePer)
	body, header, err := decodePage(srv)
	if err != nil {
		panic("compare: the simulator's page: " + err.Error())
	}
	c, err := do.New(do.Token(srv.Token()), stratus.WithBaseURL(srv.URL()), stratus.WithoutCache())
	if err != nil {
		panic("compare: " + err.Error())
	}
	col := do.Droplets(c).PageSize(decodePer).Collection
	ours := func(ctx context.Context) (tally, error) {
		var t tally
		p, err := col.DecodePage(ctx, body, header)
		if err != nil {
			return t, err
		}
		for _, d := range p.Items {
			t.add(int64(len(d.Name()) + len(d.Status())))
		}
		return t, nil
	}
	theirs := func(context.Context) (tally, error) {
		var t tally
		var root godoDropletsRoot
		if err := json.Unmarshal(body, &root); err != nil {
			return t, err
		}
		for _, d := range root.Droplets {
			t.add(int64(len(d.Name) + len(d.Status)))
		}
		return t, nil
	}
	k, q := col.Kind(), col.Kind().Pager.First(nil, decodePer)
	before := func() error {
		n, ok := decodeBefore(c, k, q, body, header)
		if !ok || n != decodePer {
			return fmt.Errorf("the earlier decoding read %d items", n)
		}
		return nil
	}
	measureDecodeCPU(len(body), ours, theirs, before)
	return &scenario{
		sdk: "godo", items: decodePer, srv: srv, noBaseline: true,
		ours:   []side{{name: nameDecode, prepare: func(*recorder) (runFunc, error) { return ours, nil }}},
		theirs: side{name: "godo", prepare: func(*recorder) (runFunc, error) { return theirs, nil }},
		note:   nameDecode + ": no request is sent; the times are one page's decoding (see the target for CPU time)",
	}
}

// decodePage reads page 1 of the droplets, 200 a page, from the simulator.
func decodePage(srv *digitaloceantest.Server) ([]byte, http.Header, error) {
	req, err := http.NewRequest(http.MethodGet, srv.URL()+fmt.Sprintf("/v2/droplets?page=1&per_page=%d", decodePer), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return body, resp.Header, err
}

// measureDecodeCPU runs testing.Benchmark on each decoder and keeps its
// CPU time per page.
func measureDecodeCPU(size int, ours, theirs func(context.Context) (tally, error), before func() error) {
	ctx := context.Background()
	o := cpuPerOp(func() { ours(ctx) })
	b := cpuPerOp(func() { before() })
	g := cpuPerOp(func() { theirs(ctx) })
	decodeCPU.Store(&decodeTimes{ours: o, before: b, godo: g, bytes: size})
}

// cpuPerOp is the process's CPU time per call of f, over the calls of
// testing.Benchmark's last (longest) round.
func cpuPerOp(f func()) time.Duration {
	var per time.Duration
	testing.Benchmark(func(b *testing.B) {
		t0 := processCPU()
		for range b.N {
			f()
		}
		per = (processCPU() - t0) / time.Duration(b.N)
	})
	return per
}

// processCPU is the CPU time the process has used, user and system, on
// every thread (the collector's work counts).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// decodeTarget is the row's target: stratus's CPU time per page at most
// 0.7x that of the earlier decoding, measured in the same run.
func decodeTarget(rep *report) []target {
	if len(rep.rowsNamed(nameDecode)) == 0 {
		return nil
	}
	m := decodeCPU.Load()
	if m == nil {
		return []target{{na: true, text: nameDecode + ": CPU time per page (not measured)"}}
	}
	x := ratio(float64(m.ours), float64(m.before))
	return []target{{ok: x <= 0.7, text: fmt.Sprintf("%s (%d KB): CPU a page: stratus %s, before the one pass %s (%sx; target <= 0.7x; recorded %s, %sx), godo %s (%sx ours)",
		nameDecode, m.bytes/1000, fmtCPU(m.ours), fmtCPU(m.before), fmtFloat(x), fmtCPU(recordedDecodeCPU), fmtFloat(ratio(float64(m.ours), float64(recordedDecodeCPU))),
		fmtCPU(m.godo), fmtFloat(ratio(float64(m.godo), float64(m.ours))))}}
}

func fmtCPU(d time.Duration) string {
	return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond))
}

// decodeBefore is how stratus decoded a page before the one pass, for
// the comparison: ValidJSON's two walks, a walk to split the list from the
// other members, and a walk over the list hydrating the items.
func decodeBefore(c *stratus.Client, k *stratus.Kind, q url.Values, body []byte, h http.Header) (int, bool) {
	s := unsafe.String(unsafe.SliceData(body), len(body))
	if !transport.DepthOK(body, transport.MaxDepth) || !gjson.Valid(s) {
		return 0, false
	}
	list, rest := oldpage.SplitList(gjson.Parse(s), k.ListKey)
	if !list.IsArray() {
		return 0, false
	}
	var items []*do.DropletHandle
	list.ForEach(func(_, v gjson.Result) bool {
		items = append(items, &do.DropletHandle{Resource: stratus.Hydrate(c, k, v, k.Partial)})
		return true
	})
	if m := rest.Get("meta"); m.Exists() {
		lastMeta.Store(&m)
	}
	k.Pager.Next(q, h, rest, len(items))
	return len(items), true
}

var lastMeta atomic.Pointer[gjson.Result]
