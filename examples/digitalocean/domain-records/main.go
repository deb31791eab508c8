// Command domain-records walks through DNS management (doapi's fourth
// scenario): it creates a domain, adds A, CNAME and MX records, updates
// one, lists the zone's records, deletes a record and then the domain.
//
// With DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN) set it changes
// the real account's DNS; without, the built-in simulator's.
//
// -sandbox uses the simulator whatever the environment holds; stderr
// says which endpoint is used. Before it changes a real account it asks
// on the terminal, and without -yes it refuses when stdin is not a
// terminal: "-sandbox -yes" runs it to the end unattended.
//
//	go run ./examples/digitalocean/domain-records [-sandbox] [-yes] [-domain stratus-example.com] [-keep]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

type config struct {
	sandbox.Setup

	domain string
	ip     string // of the www A record
	newIP  string // what the update sets
	keep   bool   // keep the domain at the end
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("domain-records", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

// about is what -h says before the flags.
const about = "Creates a domain, adds, updates and deletes records, then deletes the domain (unless -keep)."

// flags registers the program's own flags.
func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.domain, "domain", "stratus-example.com", "domain to create (it must not exist)")
	fs.StringVar(&cfg.ip, "ip", "192.0.2.10", "address of the www A record")
	fs.StringVar(&cfg.newIP, "new-ip", "192.0.2.20", "address the update gives the www A record")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the domain at the end instead of deleting it")
}

func run(ctx context.Context, out io.Writer, cfg config) (err error) {
	conn, err := cfg.Connect(do.Provider.Name, "create the domain "+cfg.domain+" and change its records")
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client

	d, err := do.CreateDomain(ctx, c, cfg.domain, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created domain %s\n", d.Name())
	if !cfg.keep {
		// Delete the domain even when a later step fails: it would block
		// the next run.
		defer func() {
			if derr := d.Delete(context.WithoutCancel(ctx)); derr != nil {
				err = errors.Join(err, fmt.Errorf("deleting %s: %w", d.Name(), derr))
				return
			}
			fmt.Fprintf(out, "deleted domain %s\n", d.Name())
		}()
	}

	records := []do.RecordCreate{
		{Type: "A", Name: "www", Data: cfg.ip},
		{Type: "A", Name: "mail", Data: cfg.ip, TTL: do.Int(3600)},
		{Type: "CNAME", Name: "blog", Data: "www." + cfg.domain + "."},
		{Type: "MX", Name: "@", Data: "mail." + cfg.domain + ".", Priority: do.Int(10)},
	}
	created := make([]*do.DomainRecordHandle, len(records))
	for i, req := range records {
		r, err := d.CreateRecord(ctx, req)
		if err != nil {
			return fmt.Errorf("adding %s %s: %w", req.Type, req.Name, err)
		}
		created[i] = r
		fmt.Fprintf(out, "added %s %s -> %s (record %d)\n", r.Type(), r.Name(), r.Data(), r.ID())
	}

	www := created[0]
	if err := www.Update(ctx, do.RecordUpdate{Data: cfg.newIP, TTL: do.Int(600)}); err != nil {
		return fmt.Errorf("updating record %d: %w", www.ID(), err)
	}
	fmt.Fprintf(out, "updated %s %s -> %s, ttl %d\n", www.Type(), www.Name(), www.Data(), www.TTL())

	if err := listRecords(ctx, out, d); err != nil {
		return err
	}

	blog := created[2]
	if err := blog.Delete(ctx); err != nil {
		return fmt.Errorf("deleting record %d: %w", blog.ID(), err)
	}
	fmt.Fprintf(out, "deleted %s %s (record %d)\n", blog.Type(), blog.Name(), blog.ID())
	n, err := d.Records().Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s has %d records left\n", d.Name(), n)
	return nil
}

// listRecords prints the zone's records, the ones the API adds (SOA, NS)
// included.
func listRecords(ctx context.Context, out io.Writer, d *do.DomainHandle) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tNAME\tDATA\tPRIORITY\tTTL")
	n := 0
	for r, err := range d.Records().All(ctx) {
		if err != nil {
			return err
		}
		n++
		prio := "-"
		if p := r.Priority(); p != nil {
			prio = strconv.Itoa(*p)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\n", r.ID(), r.Type(), r.Name(), r.Data(), prio, r.TTL())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d records in %s\n", n, d.Name())
	return nil
}
