// Command launch-server walks through mixcoatl's README with the native
// enStratus model: it prints a cloud as mixcoatl's pprint did, lists the
// data centers, images and products of a region (one request each),
// launches a server, waits for its job, prints the new server, then
// terminates it and waits again.
//
// With ES_ACCESS_KEY and ES_SECRET_KEY (or their DCM_ twins, and
// ES_ENDPOINT) set it works on that account; without, on the built-in
// simulator.
//
// -sandbox uses the simulator whatever the environment holds; stderr
// says which endpoint is used. Before it changes a real account it asks
// on the terminal, and without -yes it refuses when stdin is not a
// terminal: "-sandbox -yes" runs it to the end unattended.
//
//	go run ./examples/enstratus/launch-server [-sandbox] [-yes]
//	go run ./examples/enstratus/launch-server -region 19344 -product m1.small -keep
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	es "github.com/stratus-cloud/stratus/models/enstratus"
)

type config struct {
	sandbox.Setup
	region  int
	product string
	name    string
	keep    bool // leave the server running
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("launch-server", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

// about is what -h says before the flags.
const about = "Launches an enStratus server, waits until it runs, then terminates it (unless -keep)."

// flags registers the program's own flags.
func (cfg *config) flags(fs *flag.FlagSet) {
	fs.IntVar(&cfg.region, "region", 19344, "region id (19344: Oregon, us-west-2)")
	fs.StringVar(&cfg.product, "product", "m1.small", "the cloud's product id")
	fs.StringVar(&cfg.name, "name", "stratus-example", "name of the new server")
	fs.BoolVar(&cfg.keep, "keep", false, "do not terminate the server at the end")
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	conn, err := cfg.Connect(es.Provider.Name, "launch the server "+cfg.name+" ("+cfg.product+")")
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client

	// mixcoatl's README: Cloud(1).pprint().
	fmt.Fprintln(out, "\ncloud 1")
	if err := es.Cloud(c, 1).Pprint(out); err != nil {
		return err
	}

	region := es.Region(c, cfg.region)
	fmt.Fprintf(out, "\nregion %d: %s (%s)\n", region.ID(), region.Name(), region.ProviderID())
	if err := region.LastError(); err != nil {
		return err
	}
	dcs, err := region.DataCenters().Collect(ctx)
	if err != nil {
		return err
	}
	images, err := es.MachineImages(c).InRegion(cfg.region).Collect(ctx)
	if err != nil {
		return err
	}
	products, err := es.ServerProducts(c).InRegion(cfg.region).Collect(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tID\tNAME\tDETAIL")
	for _, dc := range dcs {
		fmt.Fprintf(tw, "data center\t%d\t%s\t%s\n", dc.ID(), dc.Name(), dc.Status())
	}
	for _, im := range images {
		fmt.Fprintf(tw, "image\t%d\t%s\t%s %s\n", im.ID(), im.Name(), im.Platform(), im.Architecture())
	}
	for _, p := range products {
		fmt.Fprintf(tw, "product\t%d\t%s\t%s, %d MB, %.3f %s/h\n", p.ID(), p.ProviderProductID(), p.Platform(), p.RAMInMB(), p.HourlyRate(), p.Currency())
	}
	tw.Flush()
	if len(dcs) == 0 || len(images) == 0 {
		return errors.New("the region has no data center or no image to launch from")
	}

	spec := es.LaunchSpec{
		Name: cfg.name, Description: "launched by the stratus example", ProductID: cfg.product,
		MachineImageID: images[0].ID(), DataCenterID: dcs[0].ID(), Label: "example",
	}
	job, err := es.LaunchServer(ctx, c, spec)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nlaunch: job %d %s\n", job.ID(), job.Status())
	progress := stratus.WaitOptions{Progress: func(p stratus.WaitProgress) {
		fmt.Fprintf(out, "  poll %d: %s\n", p.Attempt, p.State)
	}}
	s, err := job.WaitServer(ctx, progress)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "server %d is %s at %s\n\n", s.ID(), s.Status(), s.PublicIPAddress())
	if err := s.Pprint(out); err != nil {
		return err
	}
	if cfg.keep {
		return nil
	}

	job, err = s.Terminate(ctx, "the example is over")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nterminate: job %d %s\n", job.ID(), job.Status())
	if err := job.Wait(ctx, progress); err != nil {
		return err
	}
	fmt.Fprintf(out, "server %d is %s\n", s.ID(), s.Status())
	return nil
}
