// Command list-instances lists the operational instances of a RightScale
// cloud (python-rightscale's list_instances), optionally of one
// deployment only. Credentials come from ~/.rightscalerc; without them it
// runs against the built-in simulator.
//
//	go run ./examples/rightscale/list-instances -cloud "EC2 us-east-1" -deployment production
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	rs "github.com/stratus-cloud/stratus/models/rightscale"
)

type config struct {
	sandbox.Setup
	cloud, deployment, view string
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("list-instances", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

const about = "Lists the operational instances of a RightScale cloud, optionally of one deployment."

func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.cloud, "cloud", "EC2 us-east-1", "the cloud's exact name")
	fs.StringVar(&cfg.deployment, "deployment", "", "only the instances of the deployment of this exact name")
	fs.StringVar(&cfg.view, "view", "tiny", "the view asked for (tiny, default, extended, full)")
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	conn, err := cfg.Connect(rs.Provider.Name, "")
	if err != nil {
		return err
	}
	defer conn.Close()
	instances, err := rs.ListInstances(ctx, conn.Client, cfg.cloud, cfg.deployment, cfg.view)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d operational instances in %s\n", len(instances), cfg.cloud)
	for _, in := range instances {
		// Fields beyond the view load the instance (tiny carries name and state).
		fmt.Fprintf(out, "%-48s %-16s %-12s %s\n", in.Href(), in.Name(), in.State(), in.ResourceUID())
	}
	return nil
}
