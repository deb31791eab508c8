package stratus_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
)

// dropletThing is a DigitalOcean droplet answer as the simulator gives it
// (about 1.7 kB), under the fake provider's envelope; %d is the id, %06d
// the name's number.
const dropletThing = `{"thing":{"id":%d,"name":"db-%06d","memory":8192,"vcpus":2,"disk":25,"disk_info":[{"type":"local","size":{"amount":25,"unit":"gib"}}],"locked":false,"status":"active","kernel":null,"created_at":"2025-12-31T21:45:10Z","features":["private_networking","monitoring"],"backup_ids":[],"next_backup_window":null,"snapshot_ids":[],"image":{"id":112929454,"name":"22.04 (LTS) x64","type":"snapshot","distribution":"Ubuntu","slug":"ubuntu-22-04-x64","public":true,"regions":["nyc1","nyc3","sfo2","sfo3","ams3","fra1","lon1","sgp1","tor1","blr1","syd1","atl1"],"created_at":"2022-06-09T05:47:50Z","min_disk_size":7,"size_gigabytes":2.28,"description":"Ubuntu 22.04 (LTS) x64","tags":[],"status":"available","error_message":""},"volume_ids":[],"size":{"slug":"g-2vcpu-8gb","memory":8192,"vcpus":2,"disk":25,"transfer":4,"price_monthly":63,"price_hourly":0.09375,"regions":["nyc1","nyc3","sfo2","sfo3","ams3","fra1","lon1","sgp1","tor1","blr1","syd1","atl1"],"available":true,"description":"General Purpose","disk_info":[{"type":"local","size":{"amount":25,"unit":"gib"}}]},"size_slug":"g-2vcpu-8gb","networks":{"v4":[{"ip_address":"146.16.1.4","netmask":"255.255.255.0","gateway":"146.16.1.1","type":"public"},{"ip_address":"10.100.1.4","netmask":"255.255.0.0","gateway":"10.100.0.1","type":"private"}],"v6":[]},"region":{"slug":"nyc1","name":"New York 1","features":["private_networking","backups","ipv6","metadata","install_agent","storage","image_transfer"],"available":true,"sizes":["s-1vcpu-512mb-10gb","s-1vcpu-1gb","s-1vcpu-2gb","s-2vcpu-2gb","s-2vcpu-4gb","s-4vcpu-8gb","s-8vcpu-16gb","c-2","c-4","g-2vcpu-8gb","m-2vcpu-16gb"]},"tags":["db","env:prod"],"vpc_uuid":"3e92f2bb-4d5b-4dc7-8710-01a8969efb1a"}}`

// droplets answers GET /things/<id> in process (no socket) with a droplet
// of that id and the simulator's headers.
type droplets struct{}

func (droplets) RoundTrip(r *http.Request) (*http.Response, error) {
	id, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/things/"))
	if err != nil {
		return &http.Response{StatusCode: 404, Body: io.NopCloser(strings.NewReader(`{"message":"no route"}`)), Request: r}, nil
	}
	body := fmt.Sprintf(dropletThing, id, id%1000000)
	h := http.Header{
		"Content-Type":        {"application/json; charset=utf-8"},
		"Content-Length":      {strconv.Itoa(len(body))},
		"Date":                {"Wed, 02 Dec 2026 00:30:40 GMT"},
		"Ratelimit-Limit":     {"5000"},
		"Ratelimit-Remaining": {"4999"},
		"Ratelimit-Reset":     {"1767229200"},
		"X-Request-Id":        {fmt.Sprintf("910a2dec-8902-4cc1-9e41-%012d", id)},
	}
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(bytes.NewReader([]byte(body))),
		ContentLength: int64(len(body)), Request: r}, nil
}

func heapAfterGC() (inuse, alloc uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse, ms.HeapAlloc
}

// BenchmarkCacheSoak loads 1,000,000 distinct handles through a client
// (the full path: key, lookup, request sharing, transport, store) against
// an in-process handler of droplet-sized answers, and prints the heap in
// use after GC every 100,000 loads. The cache is a MemoryCache of the
// default budget (64 MiB), alone in the process: the heap stays flat
// once the budget is full.
//
//	go test -run '^$' -bench CacheSoak -benchtime 1x .
func BenchmarkCacheSoak(b *testing.B) {
	const loads, every = 1_000_000, 100_000
	for b.Loop() {
		m := stratus.NewBoundedCache(stratus.DefaultCacheBudget)
		c, err := stratus.Open("fake", stratus.WithBaseURL("http://soak.invalid"), stratus.WithCredential("token", testSecret),
			stratus.WithHTTPClient(&http.Client{Transport: droplets{}}), stratus.WithCache(m), stratus.WithCacheTTL(time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		inuse0, alloc0 := heapAfterGC()
		fmt.Printf("%9s %12s %12s %9s %12s %10s %14s", "loaded", "heap in use", "live heap", "entries", "accounted", "evictions", "live/entry\n")
		start := time.Now()
		for i := 1; i <= loads; i++ {
			if err := newThing(c, i).Load(ctx); err != nil {
				b.Fatal(err)
			}
			if i%every != 0 {
				continue
			}
			inuse, alloc := heapAfterGC()
			st := m.Stats()
			fmt.Printf("%9d %9.1f MiB %9.1f MiB %9d %8.1f MiB %10d %8d bytes\n", i, mib(inuse-min(inuse, inuse0)), mib(alloc-min(alloc, alloc0)),
				st.Entries, mib(uint64(st.Bytes)), st.Evictions, (alloc-min(alloc, alloc0))/uint64(max(st.Entries, 1)))
			if grown := alloc - min(alloc, alloc0); grown > uint64(stratus.DefaultCacheBudget)*5/4 {
				b.Fatalf("after %d loads the live heap grew by %.1f MiB, over 1.25 x the %d MiB budget", i, mib(grown), stratus.DefaultCacheBudget>>20)
			}
		}
		st := m.Stats()
		fmt.Printf("%d loads in %s; hits %d, misses %d, evictions %d, expired %d, rejected %d\n", loads, time.Since(start).Round(time.Millisecond),
			st.Hits, st.Misses, st.Evictions, st.Expired, st.Rejected)
		b.ReportMetric(float64(st.Entries), "entries")
	}
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }
