// Command instances lists the Public Cloud instances of every project of
// the OVH account as one table: project, name, public IPv4 address,
// region and status. -project restricts it to one project (its 32-hex
// id).
//
// The API answers each project's instance list with whole objects: one
// request per project fills every row.
//
// With ovh.conf or the OVH_* variables (OVH_ENDPOINT,
// OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY) it lists
// the real account's instances (the consumer key needs GET on
// /cloud/project and below); without, the built-in simulator's.
//
// -sandbox uses the simulator whatever the environment holds; stderr
// says which endpoint is used. The program only reads.
//
//	go run ./examples/ovh/instances [-sandbox] [-yes] [-project ID]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	"github.com/stratus-cloud/stratus/models/ovh"
)

type config struct {
	sandbox.Setup

	project string // "" for every project
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("instances", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

// about is what -h says before the flags.
const about = "Lists the cloud instances of every OVH cloud project."

// flags registers the program's own flags.
func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.project, "project", "", "list the instances of this project only (its id)")
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	conn, err := cfg.Connect(ovh.Provider.Name, "")
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client

	projects := ovh.Projects(c).All(ctx)
	if id := strings.TrimSpace(cfg.project); id != "" {
		p := ovh.Project(c, id)
		// Read it first: a wrong id is a clear "does not exist", not an
		// empty table.
		if err := p.Load(ctx); err != nil {
			return fmt.Errorf("project %s: %w", id, err)
		}
		projects = one(p)
	}

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROJECT\tNAME\tIP\tREGION\tSTATUS")
	n, np := 0, 0
	for p, err := range projects {
		if err != nil {
			tw.Flush()
			return err
		}
		np++
		project := p.Name()
		if project == "" {
			project = p.ID()
		}
		for in, err := range p.Instances().All(ctx) {
			if err != nil {
				tw.Flush()
				return fmt.Errorf("project %s: %w", p.ID(), err)
			}
			n++
			ip := in.PublicIPv4()
			if ip == "" {
				ip = "-" // still building, or private only
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", project, in.Name(), ip, in.Region(), in.Status())
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d instance(s) in %d project(s)\n", n, np)
	return nil
}

// one yields a single project, as the list would.
func one(p *ovh.ProjectHandle) iter.Seq2[*ovh.ProjectHandle, error] {
	return func(yield func(*ovh.ProjectHandle, error) bool) { yield(p, nil) }
}
