// Command repl is the interactive shell of stratus: list, show, act on and
// wait for the objects of any registered provider, or send raw requests.
//
// With no credentials in the environment (for DigitalOcean:
// DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN) it starts the built-in
// simulators and works against them; with credentials it uses the real
// API of that provider. -sandbox forces the simulators.
//
// On a terminal it offers line editing, history (up and down arrows) and
// tab completion; Ctrl-C interrupts a running command or clears the line,
// Ctrl-D or "quit" leaves. When stdin is not a terminal it reads one
// command per line, so that it can be scripted:
//
//	printf 'use digitalocean\nls droplets\n' | go run ./examples/repl
//
// A script's exit status is 1 if any command failed. Type "help" for the
// commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func main() {
	useSandbox := flag.Bool("sandbox", false, "use the built-in simulators even when credentials are set")
	provider := flag.String("provider", "", "provider to use at start (default: the only one with credentials set, else the first by name)")
	droplets := flag.Int("droplets", sandbox.DefaultDroplets, "simulators: number of seeded DigitalOcean droplets")
	actionDuration := flag.Duration("action-duration", sandbox.DefaultActionDuration, "simulators: how long actions stay in progress")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "repl: unexpected arguments %q (commands are read from stdin)\n", flag.Args())
		os.Exit(2)
	}

	// SIGINT interrupts the running command (see session.exec); SIGTERM
	// and SIGHUP end the session, restoring the terminal.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	err := run(ctx, os.Stdin, os.Stdout, config{
		getenv:       os.Getenv,
		forceSandbox: *useSandbox,
		provider:     *provider,
		sandbox:      sandbox.Options{Droplets: *droplets, ActionDuration: *actionDuration},
	})
	switch {
	case err == nil:
	case errors.Is(err, errScriptFailed):
		fmt.Fprintln(os.Stderr, "repl:", err)
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "repl:", err)
		os.Exit(2)
	}
}
