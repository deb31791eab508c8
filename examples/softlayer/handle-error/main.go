// Command handle-error shows the error handling softlayer-python's users
// write around a call:
//
//	try:
//	    client['Virtual_Guest'].getObject(id=42)
//	except SoftLayer.SoftLayerAPIError as e:
//	    print("Unable to retrieve virtual guest. faultCode=%s, faultString=%s" % (e.faultCode, e.faultString))
//
// In Go the error is a *stratus.Error that keeps SoftLayer's exception
// code and message, and matches the portable sentinels: a missing object
// is stratus.ErrNotFound over REST and XML-RPC alike, a refused key
// stratus.ErrUnauthorized.
//
//	go run ./examples/softlayer/handle-error
//	go run ./examples/softlayer/handle-error -id 100 -xmlrpc
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	sl "github.com/stratus-cloud/stratus/models/softlayer"
)

type config struct {
	getenv     func(string) string
	sandbox    sandbox.Options
	clientOpts []stratus.Option
	id         int
	xmlrpc     bool
}

func main() {
	cfg := config{getenv: os.Getenv}
	flag.IntVar(&cfg.id, "id", 42, "guest id to read")
	flag.BoolVar(&cfg.xmlrpc, "xmlrpc", false, "speak XML-RPC instead of REST")
	flag.Parse()
	sandbox.Main("handle-error", func(ctx context.Context) error { return run(ctx, os.Stdout, cfg) })
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	opts := cfg.clientOpts
	if cfg.xmlrpc {
		opts = append(opts, sl.OverXMLRPC())
	}
	conn, err := sandbox.Connect(sl.Name, cfg.getenv, cfg.sandbox, opts...)
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Fprintln(out, conn.Describe())

	r, err := sl.Call(ctx, conn.Client, "Virtual_Guest", "getObject", sl.ID(cfg.id))
	var se *stratus.Error
	switch {
	case err == nil:
		fmt.Fprintf(out, "guest %d is %s\n", cfg.id, r.Get("fullyQualifiedDomainName").String())
	case errors.As(err, &se):
		fmt.Fprintf(out, "Unable to retrieve virtual guest. faultCode=%s, faultString=%s\n", se.Code, se.Message)
		fmt.Fprintf(out, "HTTP status %d, not found: %v, unauthorized: %v\n", se.Status,
			errors.Is(err, stratus.ErrNotFound), errors.Is(err, stratus.ErrUnauthorized))
	default:
		return err
	}

	// The same through a lazy handle: the getter gives the zero value and
	// the handle keeps the error.
	g := sl.Guest(conn.Client, cfg.id)
	fmt.Fprintf(out, "hostname %q, last error: %v\n", g.Hostname(), g.LastError())
	return nil
}
