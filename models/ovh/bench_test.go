package ovh_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

// BenchmarkDedicatedServers lists 500 dedicated servers and reads the
// datacenter of each, at 20 ms of latency per request:
//
//   - serial: the id list, then one call after another (concurrency 1);
//     what the official clients' loop does;
//   - ahead: the id list, then the details loaded ahead of the loop with
//     16 in flight;
//   - bulk: the bulk page mode, whole pages of objects.
//
// Run it with -benchtime 1x: the serial case takes about ten seconds.
//
//	go test -run XXX -bench DedicatedServers -benchtime 1x ./models/ovh/
func BenchmarkDedicatedServers(b *testing.B) {
	const servers, latency = 500, 20 * time.Millisecond
	srv := ovhtest.NewServer(ovhtest.Config{DedicatedServers: servers, RateLimit: -1})
	defer srv.Close()
	srv.SetLatency(latency)
	cases := []struct {
		name        string
		concurrency int
		bulk        bool
	}{
		{"serial", 1, false},
		{"ahead-16", 16, false},
		{"bulk", 4, true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			srv.SetBulk(tc.bulk)
			var requests int
			for range b.N {
				b.StopTimer()
				c, err := ovh.New(ovh.Credentials(srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()),
					stratus.WithBaseURL(srv.URL()), stratus.WithConcurrency(tc.concurrency))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ovh.CurrentCredential(b.Context(), c); err != nil { // syncs the clock, outside the count
					b.Fatal(err)
				}
				srv.ResetRequests()
				b.StartTimer()
				n := 0
				for s, err := range ovh.DedicatedServers(c).All(b.Context()) {
					if err != nil {
						b.Fatal(err)
					}
					if s.Datacenter() == "" {
						b.Fatal(fmt.Errorf("%s: no datacenter: %v", s.Name(), s.LastError()))
					}
					n++
				}
				if n != servers {
					b.Fatalf("listed %d servers, want %d", n, servers)
				}
				requests += srv.Requests()
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}
