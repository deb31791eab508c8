package ovh_test

import (
	"context"
	"fmt"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

// Turn the burst on for every dedicated server of one datacenter. The list
// comes in bulk pages: reading the datacenter sends no request per server.
func ExampleDedicatedServers() {
	srv := ovhtest.NewServer(ovhtest.Config{DedicatedServers: 30, RateLimit: -1})
	defer srv.Close()
	c, err := ovh.New(ovh.Credentials(srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()), stratus.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	enabled, locked := 0, 0
	for d, err := range ovh.DedicatedServers(c).All(ctx) {
		if err != nil {
			panic(err)
		}
		if d.Datacenter() != "gra3" {
			continue
		}
		b, err := d.Burst(ctx)
		if err != nil {
			panic(err)
		}
		if b.Status == ovh.BurstInactiveLocked {
			locked++ // OVH's to decide
			continue
		}
		if err := d.EnableBurst(ctx); err != nil {
			panic(err)
		}
		enabled++
	}
	fmt.Println("gra3: burst enabled on", enabled, "servers,", locked, "locked")
	// Output: gra3: burst enabled on 2 servers, 1 locked
}

// Add a record, change it, publish the zone.
func ExampleZoneHandle_CreateRecord() {
	srv := ovhtest.NewServer(ovhtest.Config{RateLimit: -1})
	defer srv.Close()
	c, err := ovh.New(ovh.Credentials(srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()), stratus.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	zone := ovh.Zone(c, "example.com")
	r, err := zone.CreateRecord(ctx, ovh.RecordSpec{FieldType: "A", SubDomain: "api", Target: "192.0.2.10", TTL: 3600})
	if err != nil {
		panic(err)
	}
	if err := r.Update(ctx, ovh.RecordUpdate{Target: ovh.String("192.0.2.11")}); err != nil {
		panic(err)
	}
	if err := zone.Refresh(ctx); err != nil {
		panic(err)
	}
	fmt.Println(r.FieldType(), r.SubDomain(), r.Target(), r.TTL())
	// Output: A api 192.0.2.11 3600
}
