// Command hardware-memory lists the bare-metal servers with more than
// 8 GB of memory in a datacenter, as softlayer-python's
// HardwareManager.list_hardware(memory='> 8', datacenter=...) does: one
// filtered listing, the filter and the ordering done by the API.
//
//	go run ./examples/softlayer/hardware-memory
//	go run ./examples/softlayer/hardware-memory -datacenter dal09 -memory '> 16'
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	sl "github.com/stratus-cloud/stratus/models/softlayer"
)

type config struct {
	getenv     func(string) string
	sandbox    sandbox.Options
	clientOpts []stratus.Option
	datacenter string
	memory     string
}

func main() {
	cfg := config{getenv: os.Getenv}
	flag.StringVar(&cfg.datacenter, "datacenter", "", "datacenter name (all when empty)")
	flag.StringVar(&cfg.memory, "memory", "> 8", "memory filter in GB, as list_hardware reads it")
	flag.Parse()
	sandbox.Main("hardware-memory", func(ctx context.Context) error { return run(ctx, os.Stdout, cfg) })
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	conn, err := sandbox.Connect(sl.Name, cfg.getenv, cfg.sandbox, cfg.clientOpts...)
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Fprintln(out, conn.Describe())
	list := sl.ListHardware(conn.Client, sl.HardwareQuery{Memory: cfg.memory, Datacenter: cfg.datacenter})
	fmt.Fprintf(out, "filter %s\n", list.FilterJSON())
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tHOSTNAME\tDATACENTER\tMEMORY\tCORES\tIP")
	n := 0
	for h, err := range list.All(ctx) {
		if err != nil {
			return err
		}
		n++
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d GB\t%d\t%s\n", h.ID(), h.FQDN(), h.Datacenter(), h.MemoryGB(), h.Cores(), h.PrimaryIP())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d servers\n", n)
	return nil
}
