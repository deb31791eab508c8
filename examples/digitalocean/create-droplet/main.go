// Command create-droplet creates a droplet, waits for its create action
// and prints its name, status and public IPv4 address (doapi's first
// scenario).
//
// With DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN) set it creates a
// real droplet, which is billed until you delete it; without, it runs
// against the built-in simulator.
//
//	go run ./examples/digitalocean/create-droplet [-name N] [-region nyc3] [-size s-1vcpu-1gb] [-image ubuntu-24-04-x64]
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
	getenv     func(string) string
	sandbox    sandbox.Options
	clientOpts []stratus.Option

	name, region, size, image string
	tags                      []string
	timeout                   time.Duration
}

func main() {
	cfg := config{getenv: os.Getenv}
	flag.StringVar(&cfg.name, "name", "stratus-example", "droplet name")
	flag.StringVar(&cfg.region, "region", "nyc3", "region slug")
	flag.StringVar(&cfg.size, "size", "s-1vcpu-1gb", "size slug")
	flag.StringVar(&cfg.image, "image", "ubuntu-24-04-x64", "image slug")
	tag := flag.String("tag", "", "tag to put on the droplet (optional)")
	flag.DurationVar(&cfg.timeout, "timeout", 10*time.Minute, "longest wait for the create action")
	flag.Parse()
	if *tag != "" {
		cfg.tags = []string{*tag}
	}
	sandbox.Main("create-droplet", func(ctx context.Context) error { return run(ctx, os.Stdout, cfg) })
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	conn, err := sandbox.Connect(do.Provider.Name, cfg.getenv, cfg.sandbox, cfg.clientOpts...)
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Fprintln(out, conn.Describe())
	c := conn.Client

	d, act, err := do.CreateDroplet(ctx, c, do.DropletCreate{
		Name: cfg.name, Region: cfg.region, Size: cfg.size, Image: do.ImageSlug(cfg.image), Tags: cfg.tags,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created droplet %d (%s), status %s\n", d.ID(), d.Name(), d.Status())

	o := stratus.WaitOptions{Timeout: cfg.timeout}
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
