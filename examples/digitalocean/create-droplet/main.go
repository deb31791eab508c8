// Command create-droplet creates a droplet, waits for its create action
// and prints its name, status and public IPv4 address (doapi's first
// scenario).
//
// With DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN) set it creates a
// real droplet, which is billed until you delete it; without, it runs
// against the built-in simulator.
//
// -sandbox uses the simulator whatever the environment holds; stderr
// says which endpoint is used. Before it changes a real account it asks
// on the terminal, and without -yes it refuses when stdin is not a
// terminal: "-sandbox -yes" runs it to the end unattended.
//
//	go run ./examples/digitalocean/create-droplet [-sandbox] [-yes] [-name N] [-region nyc3] [-size s-1vcpu-1gb] [-image ubuntu-24-04-x64]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

// config is the program's input: the flags and where to find credentials.
type config struct {
	sandbox.Setup

	name, region, size, image string
	tags                      []string
	timeout                   time.Duration
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("create-droplet", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

// about is what -h says before the flags.
const about = "Creates a droplet, waits until it is active and prints its address."

// flags registers the program's own flags.
func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.name, "name", "stratus-example", "droplet name")
	fs.StringVar(&cfg.region, "region", "nyc3", "region slug")
	fs.StringVar(&cfg.size, "size", "s-1vcpu-1gb", "size slug")
	fs.StringVar(&cfg.image, "image", "ubuntu-24-04-x64", "image slug")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Minute, "longest wait for the create action")
	fs.Func("tag", "tag to put on the droplet (optional, repeatable)", func(v string) error {
		cfg.tags = append(cfg.tags, v)
		return nil
	})
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	conn, err := cfg.Connect(do.Provider.Name, fmt.Sprintf("create the droplet %s (%s in %s), which is billed until deleted", cfg.name, cfg.size, cfg.region))
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client

	d, act, err := do.CreateDroplet(ctx, c, do.DropletCreate{
		Name: cfg.name, Region: cfg.region, Size: cfg.size, Image: do.ImageSlug(cfg.image), Tags: cfg.tags,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created droplet %d (%s), status %s\n", d.ID(), d.Name(), d.Status())

	o := stratus.WaitOptions{Timeout: cfg.timeout, Progress: func(p stratus.WaitProgress) {
		state := p.State
		if state == "" {
			state = fmt.Sprintf("%d/%d done", p.Done, p.Total)
		}
		fmt.Fprintf(cfg.Stderr, "  poll %d, %.1fs: %s\n", p.Attempt, p.Elapsed.Seconds(), state)
	}}
	if act != nil {
		fmt.Fprintf(out, "waiting for create action %d\n", act.ID())
		// Wait refreshes the droplet the action created.
		if err := act.Wait(ctx, o); err != nil {
			return fmt.Errorf("droplet %d: %w", d.ID(), err)
		}
	} else {
		// An answer without links.actions: wait on the droplet itself.
		if _, err := do.WaitDroplets(ctx, []*do.DropletHandle{d}, do.UntilStatus(do.StatusActive), o); err != nil {
			return fmt.Errorf("droplet %d: %w", d.ID(), err)
		}
	}
	if d.Status() != do.StatusActive {
		return errors.New("the create action completed but the droplet is " + string(d.Status()))
	}
	ip := d.PublicIPv4()
	if ip == "" {
		ip = "(none)"
	}
	fmt.Fprintf(out, "name:      %s\nstatus:    %s\npublic ip: %s\n", d.Name(), d.Status(), ip)
	if err := d.LastError(); err != nil {
		return err
	}
	if !conn.Simulated {
		fmt.Fprintf(out, "it is billed until deleted: go run ./examples/query -X DELETE digitalocean /v2/droplets/%d\n", d.ID())
	}
	return nil
}
