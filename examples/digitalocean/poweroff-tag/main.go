// Command poweroff-tag powers off every droplet that carries a tag, waits
// until they are all off and prints how many there are (doapi's second
// scenario). By default it sends one by-tag request, which the API turns
// into one action per droplet; -per-droplet sends one request per
// droplet that is not off yet instead.
//
// With DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN) set it acts on
// the real account; without, on the built-in simulator, whose seeded
// droplets include some tagged "web".
//
// -sandbox uses the simulator whatever the environment holds; stderr
// says which endpoint is used. Before it changes a real account it asks
// on the terminal, and without -yes it refuses when stdin is not a
// terminal: "-sandbox -yes" runs it to the end unattended.
//
//	go run ./examples/digitalocean/poweroff-tag [-sandbox] [-yes] [-tag web] [-per-droplet]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

type config struct {
	sandbox.Setup

	tag        string
	perDroplet bool
	timeout    time.Duration
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("poweroff-tag", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

// about is what -h says before the flags.
const about = "Powers off every droplet that carries a tag and waits until they are all off."

// flags registers the program's own flags.
func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.tag, "tag", "web", "power off the droplets that carry this tag")
	fs.BoolVar(&cfg.perDroplet, "per-droplet", false, "one action request per droplet instead of one by-tag request")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Minute, "longest wait for the actions")
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	if !do.ValidTagName(cfg.tag) {
		return fmt.Errorf("%q is not a valid tag name", cfg.tag)
	}
	conn, err := cfg.Connect(do.Provider.Name, "power off every droplet tagged "+cfg.tag)
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client

	tagged, err := do.Droplets(c).Tag(cfg.tag).Collect(ctx)
	if err != nil {
		return err
	}
	if len(tagged) == 0 {
		fmt.Fprintf(out, "no droplet is tagged %s\n", cfg.tag)
		return nil
	}
	wasOff := 0
	for _, d := range tagged {
		if d.Status() == do.StatusOff {
			wasOff++
		}
	}
	fmt.Fprintf(out, "%d droplet(s) tagged %s, %d already off\n", len(tagged), cfg.tag, wasOff)

	var acts []*do.ActionHandle
	if cfg.perDroplet {
		for _, d := range tagged {
			if d.Status() == do.StatusOff {
				continue
			}
			a, err := d.PowerOff(ctx)
			if err != nil {
				return fmt.Errorf("droplet %d: %w", d.ID(), err)
			}
			acts = append(acts, a)
		}
		fmt.Fprintf(out, "sent %d power_off action(s), one per droplet\n", len(acts))
	} else {
		if acts, err = do.ActOnTag(ctx, c, cfg.tag, "power_off"); err != nil {
			return err
		}
		fmt.Fprintf(out, "sent one power_off request for tag %s: %d action(s)\n", cfg.tag, len(acts))
	}

	// One wait for all of them; it refreshes the droplets they acted on.
	o := stratus.WaitOptions{Timeout: cfg.timeout, Progress: func(p stratus.WaitProgress) {
		fmt.Fprintf(out, "  %d/%d action(s) done after %.1fs\n", p.Done, p.Total, p.Elapsed.Seconds())
	}}
	if _, err := do.WaitActions(ctx, acts, o); err != nil {
		return err
	}

	// Read the tagged droplets again, in one request, to report what the
	// API says now.
	now, err := do.Droplets(c).Tag(cfg.tag).Fresh().Collect(ctx)
	if err != nil {
		return err
	}
	off := 0
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS")
	for _, d := range now {
		if d.Status() == do.StatusOff {
			off++
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", d.ID(), d.Name(), d.Status())
	}
	tw.Flush()
	if off != len(now) {
		return fmt.Errorf("%d of %d droplet(s) tagged %s are off after the actions completed", off, len(now), cfg.tag)
	}
	fmt.Fprintf(out, "%d droplet(s) tagged %s are off\n", off, cfg.tag)
	return nil
}
