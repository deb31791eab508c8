// Command query sends one raw request to a provider and prints the JSON
// answer, like mixcoatl's query script. It reaches any path, whether or
// not the registry models it.
//
// Usage:
//
//	go run ./examples/query [-sandbox] [-X METHOD] PROVIDER PATH [PARAMS_JSON]
//
// PARAMS_JSON is a JSON object: the query string of a GET, HEAD or DELETE,
// the body of a POST, PUT or PATCH. Without -sandbox the credentials come
// from the provider's environment loader (for DigitalOcean
// DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN, and DIGITALOCEAN_API_URL);
// with -sandbox the request goes to the provider's simulator, started in
// the process. The answer goes to stdout, indented; an error goes to
// stderr and the exit status is 1.
//
//	go run ./examples/query -sandbox digitalocean /v2/droplets '{"per_page":5}'
//	go run ./examples/query -X POST digitalocean /v2/tags '{"name":"web"}'
//
// Paths are relative to the provider's base URL; a leading "/" may be left
// out, as mixcoatl's es-dump.py wrote them (the enStratus base URL holds
// the API version):
//
//	go run ./examples/query -sandbox enstratus admin/Job
//	go run ./examples/query -sandbox enstratus geography/DataCenter '{"regionId":19344}'
//	go run ./examples/query -sandbox rightscale /api/clouds '{"filter[]":["name==EC2"]}'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/rawcall"
	// The sandbox package imports every provider, which registers
	// itself with the stratus registry.
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the request failed
	exitUsage = 2 // bad command line
)

// run is the program: it returns the exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.SetOutput(stderr)
	useSandbox := fs.Bool("sandbox", false, "send the request to the provider's simulator, started in the process")
	method := fs.String("X", http.MethodGet, "HTTP method: "+strings.Join(rawcall.Methods, ", "))
	yes := fs.Bool("yes", false, "send a request other than GET to a real account without asking (needed when stdin is not a terminal)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: query [-sandbox] [-yes] [-X METHOD] PROVIDER PATH [PARAMS_JSON]\n\nproviders: %s\n\n",
			strings.Join(stratus.Providers(), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() < 2 || fs.NArg() > 3 {
		fs.Usage()
		return exitUsage
	}
	provider, path, params := fs.Arg(0), fs.Arg(1), fs.Arg(2)
	m, err := rawcall.Method(*method)
	if err != nil {
		fmt.Fprintln(stderr, "query:", err)
		return exitUsage
	}
	if _, _, _, err := rawcall.Build(m, path, params); err != nil {
		fmt.Fprintln(stderr, "query:", err)
		return exitUsage
	}

	c, closeFn, err := connect(provider, *useSandbox, getenv)
	if err != nil {
		fmt.Fprintln(stderr, "query:", err)
		return exitError
	}
	defer closeFn()
	if *useSandbox {
		fmt.Fprintln(stderr, "query: -sandbox: using the built-in simulator at "+c.BaseURL())
	} else if m != http.MethodGet && m != http.MethodHead && !*yes {
		setup := sandbox.Setup{Stderr: stderr}
		if err := setup.Confirm("send " + m + " " + path + " to the real " + provider + " account at " + c.BaseURL()); err != nil {
			fmt.Fprintln(stderr, "query:", err)
			return exitError
		}
	}

	res, err := rawcall.Do(ctx, c, m, path, params)
	if err != nil {
		fmt.Fprintln(stderr, "query:", describe(c, err))
		return exitError
	}
	if res.Raw == "" {
		if last := c.LastResponse(); last != nil {
			fmt.Fprintf(stderr, "query: empty answer (HTTP %d)\n", last.Status)
		}
		return exitOK
	}
	if err := rawcall.Write(stdout, c, res); err != nil {
		fmt.Fprintln(stderr, "query:", err)
		return exitError
	}
	return exitOK
}

// connect builds the client: against the simulator with -sandbox, from
// the environment otherwise.
func connect(provider string, useSandbox bool, getenv func(string) string) (*stratus.Client, func(), error) {
	p, err := stratus.Lookup(provider)
	if err != nil {
		return nil, nil, err
	}
	if useSandbox {
		sb, err := sandbox.Start(sandbox.Options{})
		if err != nil {
			return nil, nil, err
		}
		c, err := sb.Open(provider)
		if err != nil {
			sb.Close()
			return nil, nil, err
		}
		return c, sb.Close, nil
	}
	opts, err := sandbox.EnvOptions(p, getenv)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (or use -sandbox)", err)
	}
	c, err := stratus.New(p, opts...)
	if err != nil {
		return nil, nil, err
	}
	return c, func() {}, nil
}

// describe renders an error on one line: the stratus error, then its
// portable kind when the message does not already say it.
func describe(c *stratus.Client, err error) string {
	msg := c.Redact(err.Error())
	var se *stratus.Error
	if errors.As(err, &se) && se.Kind != nil && !strings.Contains(msg, se.Kind.Error()) {
		msg += " [" + se.Kind.Error() + "]"
	}
	return strings.ReplaceAll(msg, "\n", " ")
}
