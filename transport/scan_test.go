package transport_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/internal/oldpage"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/tidwall/gjson"
)

// sameAsOracle checks ScanPage against what the old path decided and
// found: ValidJSON's verdict (an empty body aside), then oldpage.SplitList and a
// ForEach over the list.
func sameAsOracle(t *testing.T, body []byte, key string) {
	t.Helper()
	ps, err := transport.ScanPage(body, key, nil)
	valid := len(body) == 0 || transport.ValidJSON(body)
	if valid != (err == nil) {
		t.Fatalf("ScanPage(%q, %q): error %v, ValidJSON %v", body, key, err, valid)
	}
	if err != nil {
		if !errors.Is(err, transport.ErrMalformed) {
			t.Fatalf("error %v is not ErrMalformed", err)
		}
		deep := strings.Contains(err.Error(), "deeper")
		if deep == transport.DepthOK(body, transport.MaxDepth) {
			t.Fatalf("error %q, DepthOK %v", err, !deep)
		}
		return
	}
	list, rest := oldpage.SplitList(gjson.ParseBytes(body), key)
	if list.Exists() != ps.List.Exists() || list.IsArray() != ps.List.IsArray() || list.Raw != ps.List.Raw {
		t.Fatalf("list %q (%v), want %q (%v)", ps.List.Raw, ps.List.Type, list.Raw, list.Type)
	}
	if rest.Raw != ps.Rest.Raw || rest.Type != ps.Rest.Type {
		t.Fatalf("rest %q, want %q", ps.Rest.Raw, rest.Raw)
	}
	if !list.IsArray() {
		if len(ps.Items) != 0 {
			t.Fatalf("%d items of a list that is not an array", len(ps.Items))
		}
		return
	}
	var want []gjson.Result
	list.ForEach(func(_, v gjson.Result) bool {
		want = append(want, v)
		return true
	})
	if ps.Plain {
		return // the caller iterates the list itself
	}
	if len(want) != len(ps.Items) {
		t.Fatalf("%d items, want %d", len(ps.Items), len(want))
	}
	for i, w := range want {
		g := ps.Item(i)
		if g.Type != w.Type || g.Raw != w.Raw || g.Str != w.Str || (g.Num != w.Num && w.Num == w.Num) {
			t.Fatalf("item %d: %+v, want %+v", i, g, w)
		}
	}
}

func TestScanPage(t *testing.T) {
	deep := strings.Repeat("[", 129) + strings.Repeat("]", 129)
	ok128 := strings.Repeat("[", 128) + strings.Repeat("]", 128)
	cases := []string{
		``, ` `, `{}`, `[]`, `{"droplets":[]}`,
		`{"droplets":[{"id":1},{"id":2,"a":[1,{"b":null}]}],"links":{"pages":{"next":"x"}},"meta":{"total":2}}`,
		` { "meta" : {"total":3} , "droplets" : [ 1 , "two\u00e9" , true , false , null , -0.5e+3 , [ ] , { } ] } `,
		`{"droplets":{"not":"a list"},"links":{}}`,
		`{"drop\u006cets":[1,2],"x":1}`,
		`{"droplets":[1],"droplets":[2]}`,
		`{"other":[1]}`, `[1,2,3]`, `"str"`, `12`, `null`,
		`{"droplets":[1,]}`, `{"droplets":[1}`, `{"droplets":[1]`, `{"a" 1}`, `{"a":01}`, `{"a":1.}`, `{"a":"\x"}`,
		"{\"a\":\"\x01\"}", `{"a":tru}`, `[1] x`, `{"a":1,}`, `{,}`, `[,1]`, `{"a":"\u12"}`,
		deep, ok128, `{"droplets":` + deep + `}`, `[}` + deep, `{"droplets":[` + ok128 + `]}`,
	}
	for _, c := range cases {
		for _, k := range []string{"droplets", "", "meta.total", "0"} {
			t.Run(fmt.Sprintf("%.20q/%s", c, k), func(t *testing.T) { sameAsOracle(t, []byte(c), k) })
		}
	}
}

func TestScanPageItems(t *testing.T) {
	body := []byte(`{"droplets":[{"id":1},{"id":2}],"links":{"pages":{"next":"n"}},"meta":{"total":2}}`)
	ps, err := transport.ScanPage(body, "droplets", make([]transport.Span, 0, 4))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.Items) != 2 || ps.Item(1).Get("id").Int() != 2 {
		t.Fatalf("items %v", ps.Items)
	}
	if ps.Rest.Get("links.pages.next").String() != "n" || ps.Rest.Get("meta.total").Int() != 2 || ps.Rest.Get("droplets").Exists() {
		t.Fatalf("rest %s", ps.Rest.Raw)
	}
	allocs := testing.AllocsPerRun(100, func() {
		ps, _ = transport.ScanPage(body, "droplets", ps.Items)
	})
	if allocs > 1 { // the object of the other members
		t.Fatalf("ScanPage allocated %v times", allocs)
	}
}

// FuzzPageScan holds ScanPage to the old path's decisions: ValidJSON's
// verdict, and the same list, items and other members as oldpage.SplitList and a
// ForEach over the list.
func FuzzPageScan(f *testing.F) {
	for _, s := range []string{
		`{"droplets":[{"id":1,"name":"a\"b","tags":["x"]},{"id":2}],"links":{"pages":{"next":"https://h/v2/droplets?page=2"}},"meta":{"total":2}}`,
		`[1,"2",{"3":[4]}]`, `{"droplets":[1,2}`, `{"a":1}`, ` {"droplets" : [ ] } `, `[[[[[]]]]]`,
		`{"droplets":[` + strings.Repeat("[", 127) + strings.Repeat("]", 127) + `]}`,
		`{"droplets":[` + strings.Repeat(`{"a":`, 128) + `0` + strings.Repeat("}", 128) + `]}`,
	} {
		for k := range byte(4) {
			f.Add([]byte(s), k)
		}
	}
	keys := []string{"droplets", "", "a", "meta.total"}
	f.Fuzz(func(t *testing.T, body []byte, k byte) {
		sameAsOracle(t, body, keys[int(k)%len(keys)])
	})
}

// BenchmarkScanPage compares the one pass over a 200-droplet page with
// the walks it replaces.
func BenchmarkScanPage(b *testing.B) {
	srv := digitaloceantest.NewHandler(digitaloceantest.Config{Droplets: 200, HourlyLimit: -1, BurstLimit: -1})
	req := httptest.NewRequest(http.MethodGet, "/v2/droplets?page=1&per_page=200", nil)
	req.Header.Set("Authorization", "Bearer "+digitaloceantest.DefaultToken)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	body := rec.Body.Bytes()
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		var items []transport.Span
		loopCPU(b, func() {
			ps, err := transport.ScanPage(body, "droplets", items)
			if err != nil || len(ps.Items) != 200 {
				b.Fatal(err, len(ps.Items))
			}
			items = ps.Items
		})
	})
	b.Run("valid", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		loopCPU(b, func() {
			if !transport.DepthOK(body, transport.MaxDepth) || !gjson.ValidBytes(body) {
				b.Fatal("invalid")
			}
		})
	})
	b.Run("split", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		res := gjson.ParseBytes(body)
		loopCPU(b, func() {
			list, _ := oldpage.SplitList(res, "droplets")
			n := 0
			list.ForEach(func(_, v gjson.Result) bool { n++; return true })
			if n != 200 {
				b.Fatal(n)
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
