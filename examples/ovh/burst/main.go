// Command burst turns the bandwidth burst on for every dedicated server of
// one datacenter (sbg1 unless -datacenter says otherwise). It reads each
// server's burst first: a server whose burst is already active is left
// alone, and so is one whose burst is inactiveLocked, which only OVH can
// change. It prints each server of the datacenter with what it found and
// did, then the counts.
//
// The server list comes in the bulk page mode where the API answers it
// (whole pages of servers, so reading the datacenter sends no request per
// server); elsewhere the servers load ahead of the loop.
//
// With ovh.conf or the OVH_* variables (OVH_ENDPOINT,
// OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY) it
// changes the real servers: the consumer key needs GET on
// /dedicated/server and below and PUT on /dedicated/server/*/burst.
// Without, it runs against the built-in simulator, seeded with 100
// servers so that sbg1 holds bursts in every state.
//
// -sandbox uses the simulator whatever the environment holds; stderr
// says which endpoint is used. Before it changes a real account it asks
// on the terminal, and without -yes it refuses when stdin is not a
// terminal: "-sandbox -yes" runs it to the end unattended.
//
//	go run ./examples/ovh/burst [-sandbox] [-yes] [-datacenter sbg1]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	"github.com/stratus-cloud/stratus/models/ovh"
)

type config struct {
	sandbox.Setup

	datacenter string
}

func main() {
	// 100 simulated servers: of the eight in sbg1, one has its burst
	// inactive and one locked.
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv, Options: sandbox.Options{Droplets: 100}}}
	os.Exit(cfg.Main("burst", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

// about is what -h says before the flags.
const about = "Turns the bandwidth burst on for every dedicated server of a datacenter."

// flags registers the program's own flags.
func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.datacenter, "datacenter", "sbg1", "datacenter whose servers get the burst (rbx8, gra3, sbg1, bhs6, ...)")
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	dc := strings.ToLower(strings.TrimSpace(cfg.datacenter))
	if dc == "" {
		return errors.New("-datacenter is required")
	}
	conn, err := cfg.Connect(ovh.Provider.Name, "turn the bandwidth burst on for every dedicated server in "+cfg.datacenter)
	if err != nil {
		return err
	}
	defer conn.Close()

	var enabled, active, locked, seen int
	var failed []error
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVER\tIP\tBURST\tRESULT")
	for d, err := range ovh.DedicatedServers(conn.Client).All(ctx) {
		if err != nil {
			tw.Flush()
			return err
		}
		if !strings.EqualFold(d.Datacenter(), dc) {
			if err := d.LastError(); err != nil {
				tw.Flush()
				return fmt.Errorf("server %s: %w", d.Name(), err)
			}
			continue
		}
		seen++
		before, err := d.Burst(ctx)
		if err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", d.Name(), err))
			fmt.Fprintf(tw, "%s\t%s\t?\tfailed to read the burst\n", d.Name(), d.IP())
			continue
		}
		switch before.Status {
		case ovh.BurstActive:
			active++
			fmt.Fprintf(tw, "%s\t%s\t%s\talready active, left alone\n", d.Name(), d.IP(), before.Status)
			continue
		case ovh.BurstInactiveLocked:
			locked++
			fmt.Fprintf(tw, "%s\t%s\t%s\tskipped: locked by OVH\n", d.Name(), d.IP(), before.Status)
			continue
		}
		if err := d.EnableBurst(ctx); err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", d.Name(), err))
			fmt.Fprintf(tw, "%s\t%s\t%s\tfailed: %s\n", d.Name(), d.IP(), before.Status, oneLine(err))
			continue
		}
		// Read it back: the result is what the API now says.
		after, err := d.Burst(ctx)
		if err != nil {
			failed = append(failed, fmt.Errorf("%s: enabled, but reading it back: %w", d.Name(), err))
			fmt.Fprintf(tw, "%s\t%s\t%s\tenabled, not read back\n", d.Name(), d.IP(), before.Status)
			continue
		}
		enabled++
		fmt.Fprintf(tw, "%s\t%s\t%s\tenabled: now %s, %d %s\n", d.Name(), d.IP(), before.Status, after.Status,
			after.Capacity.Value, after.Capacity.Unit)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if seen == 0 {
		fmt.Fprintf(out, "no dedicated server in datacenter %s\n", dc)
		return nil
	}
	fmt.Fprintf(out, "%s: burst enabled on %d server(s), %d already active, %d locked, %d failed (of %d)\n",
		dc, enabled, active, locked, len(failed), seen)
	return errors.Join(failed...)
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
