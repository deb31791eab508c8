// Command sandbox serves every provider's simulator on loopback until it
// is interrupted, so that any program, in any language, can run against
// them with no account.
//
// Its first line on stdout is one JSON object that maps each provider to
// its base URL and its credentials, by the provider's own names:
//
//	{"digitalocean":{"token":"dop_v1_...","url":"http://127.0.0.1:40123"}}
//
// Everything else goes to stderr. Stop it with SIGINT or SIGTERM.
//
// Usage:
//
//	go run ./examples/sandbox [-droplets N] [-action-duration 3s]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		os.Exit(2)
	}
}

// run starts the simulators, prints their endpoints as the first line of
// stdout and serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	droplets := fs.Int("droplets", sandbox.DefaultDroplets, "how many DigitalOcean droplets are seeded (also the number of OVH dedicated servers and enStratus servers)")
	actionDuration := fs.Duration("action-duration", sandbox.DefaultActionDuration, "how long asynchronous actions stay in progress")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: sandbox [-droplets N] [-action-duration D]\n\n"+
			"Serves the simulators of %v on loopback until interrupted.\n"+
			"The first line of stdout maps each provider to its url and credentials.\n\n", sandbox.Names())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if *droplets < 0 || *actionDuration <= 0 {
		return errors.New("-droplets must be >= 0 and -action-duration > 0")
	}
	n := *droplets
	if n == 0 {
		n = -1 // the simulators read 0 as "the default"; the flag means none
	}
	sb, err := sandbox.Start(sandbox.Options{Droplets: n, ActionDuration: *actionDuration})
	if err != nil {
		return err
	}
	defer sb.Close()

	line, err := json.Marshal(sb.Endpoints)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		return err
	}
	for _, name := range sandbox.Names() {
		fmt.Fprintf(stderr, "sandbox: %s simulator at %s\n", name, sb.Endpoints[name].URL())
	}
	fmt.Fprintln(stderr, "sandbox: serving; stop with Ctrl-C or SIGTERM")
	<-ctx.Done()
	fmt.Fprintln(stderr, "sandbox: stopped")
	return nil
}
