// Command servers-by-tag finds the servers that carry tags (tags/by_tag;
// wildcards such as server:role=* work) and prints each with its tags.
//
//	go run ./examples/rightscale/servers-by-tag -tags 'server:role=*'
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	rs "github.com/stratus-cloud/stratus/models/rightscale"
)

type config struct {
	sandbox.Setup
	all  bool
	tags []string
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("servers-by-tag", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

const about = "Finds the servers that carry tags (server:role=app, server:role=*) and prints their tags."

func (cfg *config) flags(fs *flag.FlagSet) {
	fs.BoolVar(&cfg.all, "all", false, "servers must carry every tag (default: any)")
	fs.Func("tags", "comma-separated tags to look for (default server:role=*)", func(v string) error {
		cfg.tags = strings.Split(v, ",")
		return nil
	})
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	if len(cfg.tags) == 0 {
		cfg.tags = []string{"server:role=*"}
	}
	conn, err := cfg.Connect(rs.Provider.Name, "")
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client
	servers, err := rs.ServersByTag(ctx, c, cfg.all, cfg.tags...)
	if err != nil {
		return err
	}
	hrefs := make([]string, len(servers))
	for i, s := range servers {
		hrefs[i] = s.Href()
	}
	tags := map[string][]string{}
	if len(hrefs) > 0 {
		if tags, err = rs.Tags(ctx, c, hrefs...); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "%d servers tagged %s\n", len(servers), strings.Join(cfg.tags, " or "))
	for _, s := range servers {
		fmt.Fprintf(out, "%-20s %-12s %-18s %s\n", s.Href(), s.State(), s.Name(), strings.Join(tags[s.Href()], " "))
		if err := s.LastError(); err != nil {
			return err
		}
	}
	return nil
}
