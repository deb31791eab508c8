// Command run-script runs a RightScript on a server's current instance
// with inputs and waits for the task (python-rightscale's
// run_script_on_server), printing each status the task reports.
//
//	go run ./examples/rightscale/run-script -script "Hello World" -server app-1 -inputs "GREETING:hello,NAME:world"
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	rs "github.com/stratus-cloud/stratus/models/rightscale"
)

type config struct {
	sandbox.Setup
	script, server, inputs string
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("run-script", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

const about = "Runs a RightScript on a server with inputs and waits for the task to complete."

func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.script, "script", "Hello World", "the RightScript's exact name")
	fs.StringVar(&cfg.server, "server", "app-1", "the server's exact name")
	fs.StringVar(&cfg.inputs, "inputs", "GREETING:hello", "inputs as python-rightscale's rc file writes them: Key1:value one,key 2:value2")
}

// parseInputs reads "Key1:value one,key 2:value2".
func parseInputs(s string) (map[string]string, error) {
	in := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("input %q is not NAME:VALUE", pair)
		}
		in[strings.TrimSpace(k)] = v
	}
	return in, nil
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	inputs, err := parseInputs(cfg.inputs)
	if err != nil {
		return err
	}
	conn, err := cfg.Connect(rs.Provider.Name, "run the RightScript "+cfg.script+" on the server "+cfg.server)
	if err != nil {
		return err
	}
	defer conn.Close()
	task, err := rs.RunScriptOnServer(ctx, conn.Client, cfg.script, cfg.server, inputs)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "task %s\n", task.Href())
	last := ""
	err = task.Wait(ctx, stratus.WaitOptions{Progress: func(p stratus.WaitProgress) {
		if p.State != last {
			fmt.Fprintf(out, "status: %s\n", p.State)
			last = p.State
		}
	}})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "done: %s\n", task.Summary())
	return nil
}
