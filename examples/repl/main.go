// Command repl is the interactive shell of stratus: list, show, act on and
// wait for the objects of any registered provider, or send raw requests.
//
// With no credentials in the environment (for DigitalOcean:
// DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN) it starts the built-in
// simulators and works against them; with credentials it uses the real
// API of that provider, and asks before any command that changes it (do,
// raw with a method other than GET). -sandbox forces the simulators; -yes
// answers yes, and is needed to change a real account from a script.
//
// On a terminal it offers line editing, history kept across sessions (in
// $XDG_STATE_HOME/stratus/repl_history or ~/.local/state/stratus, readable
// by its owner only), and tab completion that lists the candidates:
// commands, kinds, fields, filter keys and the ids seen so far. Ctrl-C
// interrupts a running command or clears the line, Ctrl-D or "quit"
// leaves. When stdin is not a terminal it reads one command per line, so
// that it can be scripted:
//
//	printf 'use digitalocean\nls droplets\n' | go run ./examples/repl
//
// With arguments it runs them as one command and exits, non-zero when it
// fails:
//
//	go run ./examples/repl -sandbox -o json ls droplets limit=3
//
// Data goes to stdout; the banner, progress and errors to stderr. -o
// table|json|csv chooses the output of ls, -columns its columns and
// -no-header drops the header line. A script's exit status is 1 if any
// command failed. Type "help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func main() {
	os.Exit(mainCode(os.Args[1:]))
}

// mainCode parses the flags and runs the REPL; it returns the exit code.
func mainCode(args []string) int {
	fs := flag.NewFlagSet("repl", flag.ContinueOnError)
	useSandbox := fs.Bool("sandbox", false, "use the built-in simulators even when credentials are set")
	yes := fs.Bool("yes", false, "change real resources without asking (needed when stdin is not a terminal)")
	provider := fs.String("provider", "", "provider to use at start (default: the only one with credentials set, else the first by name)")
	format := fs.String("o", "table", "output of ls: table, json or csv")
	columns := fs.String("columns", "", "columns of ls, by header or field, comma-separated (name,status)")
	noHeader := fs.Bool("no-header", false, "tables and CSV without their header line")
	history := fs.String("history", "", "history file (default: under the user's state directory; \"-\": none)")
	droplets := fs.Int("droplets", sandbox.DefaultDroplets, "simulators: how many DigitalOcean droplets are seeded (also the number of OVH dedicated servers and enStratus servers)")
	actionDuration := fs.Duration("action-duration", sandbox.DefaultActionDuration, "simulators: how long actions, tasks and jobs stay in progress")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: repl [flags] [COMMAND ARGS...]\n\n"+
			"The stratus shell. Without a command it reads commands from stdin;\n"+
			"with one it runs it and exits (non-zero when it fails).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}

	cfg := config{
		getenv:       os.Getenv,
		forceSandbox: *useSandbox,
		yes:          *yes,
		provider:     *provider,
		sandbox:      sandbox.Options{Droplets: *droplets, ActionDuration: *actionDuration},
		stderr:       os.Stderr,
		format:       strings.ToLower(*format),
		noHeader:     *noHeader,
		command:      fs.Args(),
	}
	if *columns != "" {
		cfg.columns = strings.Split(*columns, ",")
	}
	switch *history {
	case "":
		cfg.history = defaultHistoryFile(os.Getenv)
	case "-":
	default:
		cfg.history = *history
	}
	if term.IsTerminal(int(os.Stdout.Fd())) {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			cfg.width = w
		}
	}

	// SIGINT interrupts the running command (see session.exec); SIGTERM
	// and SIGHUP end the session, restoring the terminal.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	err := run(ctx, os.Stdin, os.Stdout, cfg)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errScriptFailed):
		fmt.Fprintln(os.Stderr, "repl:", err)
		return 1
	default:
		fmt.Fprintln(os.Stderr, "repl:", err)
		return 2
	}
}
