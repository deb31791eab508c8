// Command list-images prints the distribution, application and private
// images of the account as tables (doapi's third scenario). Each table is
// one lazy collection read page by page.
//
// With DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN) set it lists the
// real account's images; without, the built-in simulator's.
//
// -sandbox uses the simulator whatever the environment holds; stderr
// says which endpoint is used. The program only reads.
//
//	go run ./examples/digitalocean/list-images [-sandbox] [-yes]
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

type config struct {
	sandbox.Setup
}

func main() {
	cfg := &config{}
	os.Exit(cfg.Main("list-images", about, os.Args[1:], nil, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

// about is what -h says before the flags.
const about = "Lists the distribution, application and private images of the account."

func run(ctx context.Context, out io.Writer, cfg config) error {
	conn, err := cfg.Connect(do.Provider.Name, "")
	if err != nil {
		return err
	}
	defer conn.Close()

	images := do.Images(conn.Client)
	sections := []struct {
		title string
		list  do.ImageList
	}{
		{"distribution images", images.Distribution()},
		{"application images", images.Application()},
		{"private images", images.Private()},
	}
	for _, sec := range sections {
		fmt.Fprintf(out, "\n%s\n", sec.title)
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSLUG\tNAME\tDISTRIBUTION\tTYPE\tMIN DISK\tREGIONS")
		n := 0
		// The API serves at most 200 items a page: ask for that many, so
		// that most tables take one request.
		for img, err := range sec.list.PageSize(200).All(ctx) {
			if err != nil {
				return fmt.Errorf("%s: %w", sec.title, err)
			}
			n++
			slug := img.Slug()
			if slug == "" {
				slug = "-"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d GB\t%d\n", img.ID(), slug, img.Name(), img.Distribution(),
				img.Type(), img.MinDiskSize(), len(img.Regions()))
		}
		tw.Flush()
		fmt.Fprintf(out, "%d %s\n", n, sec.title)
	}
	return nil
}
