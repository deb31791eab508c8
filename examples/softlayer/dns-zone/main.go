// Command dns-zone creates a DNS zone and an A record in it, as
// softlayer-python's DNSManager users do (create_zone, then
// Dns_Domain::createARecord(host, data, ttl)), reads the zone back with its
// records, lists the A records by host, prints the zone file and deletes
// the zone.
//
//	go run ./examples/softlayer/dns-zone
//	go run ./examples/softlayer/dns-zone -zone example.org -host www -data 192.0.2.10 -keep
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	sl "github.com/stratus-cloud/stratus/models/softlayer"
)

type config struct {
	getenv     func(string) string
	sandbox    sandbox.Options
	clientOpts []stratus.Option
	zone       string
	host, data string
	ttl        int
	keep       bool
}

func main() {
	cfg := config{getenv: os.Getenv}
	flag.StringVar(&cfg.zone, "zone", "stratus-example.com", "zone to create")
	flag.StringVar(&cfg.host, "host", "www", "host of the A record")
	flag.StringVar(&cfg.data, "data", "192.0.2.10", "address of the A record")
	flag.IntVar(&cfg.ttl, "ttl", 900, "TTL of the record")
	flag.BoolVar(&cfg.keep, "keep", false, "do not delete the zone at the end")
	flag.Parse()
	sandbox.Main("dns-zone", func(ctx context.Context) error { return run(ctx, os.Stdout, cfg) })
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	conn, err := sandbox.Connect(sl.Name, cfg.getenv, cfg.sandbox, cfg.clientOpts...)
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client
	fmt.Fprintln(out, conn.Describe())

	z, err := sl.CreateZone(ctx, c, cfg.zone, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "zone %d %s serial %d\n", z.ID(), z.Name(), z.Serial())
	rec, err := z.CreateARecord(ctx, cfg.host, cfg.data, cfg.ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "record %d: %s %s %s ttl %d\n", rec.ID(), rec.Host(), rec.Type(), rec.Data(), rec.TTL())

	zone, recs, err := sl.ZoneWithRecords(ctx, c, z.ID())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s has %d records\n", zone.Name(), len(recs))
	as, err := sl.Records(c, z.ID(), sl.RecordQuery{Type: "a", Host: cfg.host}).Collect(ctx)
	if err != nil {
		return err
	}
	for _, r := range as {
		fmt.Fprintf(out, "A %s -> %s\n", r.Host(), r.Data())
	}
	file, err := sl.DumpZone(ctx, c, z.ID())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "zone file:\n%s", file)
	if cfg.keep {
		return nil
	}
	if err := z.Delete(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "zone %d deleted\n", z.ID())
	return nil
}
