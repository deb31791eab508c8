// Command create-cci orders a virtual guest (a CCI) twice, as
// softlayer-python's users do: once with the raw call the seed shows,
// client['Virtual_Guest'].createObject(template), and once with the
// manager's create_instance, validated before any request. It waits until
// each is ready (no active transaction and a provision date), prints it,
// then cancels it.
//
// With SL_USERNAME and SL_API_KEY (or ~/.softlayer) set it works on that
// account; without, on the built-in simulator.
//
//	go run ./examples/softlayer/create-cci
//	go run ./examples/softlayer/create-cci -xmlrpc -datacenter dal09 -keep
package main

import (
	"context"
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
	datacenter string
	hostname   string
	domain     string
	xmlrpc     bool
	keep       bool
}

func main() {
	cfg := config{getenv: os.Getenv}
	flag.StringVar(&cfg.datacenter, "datacenter", "dal10", "datacenter name")
	flag.StringVar(&cfg.hostname, "hostname", "stratus-example", "hostname of the new guests (suffixed -raw and -manager)")
	flag.StringVar(&cfg.domain, "domain", "example.com", "domain of the new guests")
	flag.BoolVar(&cfg.xmlrpc, "xmlrpc", false, "speak XML-RPC instead of REST")
	flag.BoolVar(&cfg.keep, "keep", false, "do not cancel the guests at the end")
	flag.Parse()
	sandbox.Main("create-cci", func(ctx context.Context) error { return run(ctx, os.Stdout, cfg) })
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
	c := conn.Client
	fmt.Fprintln(out, conn.Describe())

	// The seed's raw call: Virtual_Guest::createObject with a template.
	tpl := sl.Instance{Hostname: cfg.hostname + "-raw", Domain: cfg.domain, CPUs: 1, MemoryMB: 1024,
		Hourly: true, OSCode: "UBUNTU_LATEST", Datacenter: cfg.datacenter}.Template()
	r, err := sl.Call(ctx, c, "Virtual_Guest", "createObject", sl.Params(tpl))
	if err != nil {
		return err
	}
	raw := sl.Guest(c, int(r.Get("id").Int()))
	fmt.Fprintf(out, "createObject: guest %d %s\n", raw.ID(), r.Get("fullyQualifiedDomainName").String())

	// The manager's form, validated before any request.
	if _, err := sl.CreateInstance(ctx, c, sl.Instance{Hostname: cfg.hostname, Domain: cfg.domain}); err != nil {
		fmt.Fprintf(out, "refused before sending: %v\n", err)
	}
	g, err := sl.CreateInstance(ctx, c, sl.Instance{Hostname: cfg.hostname + "-manager", Domain: cfg.domain, CPUs: 2, MemoryMB: 2048,
		Hourly: true, OSCode: "UBUNTU_LATEST", Datacenter: cfg.datacenter, Tags: []string{"stratus", "example"}})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "create_instance: guest %d %s (%s)\n", g.ID(), g.FQDN(), g.ActiveTransaction())

	for _, h := range []*sl.GuestHandle{raw, g} {
		err := h.WaitReady(ctx, stratus.WaitOptions{Progress: func(p stratus.WaitProgress) {
			fmt.Fprintf(out, "  guest %d poll %d: %s\n", h.ID(), p.Attempt, p.State)
		}})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "guest %d is ready: %s in %s, %d CPU, %d MB, %s, provisioned %s, tags %v\n", h.ID(), h.FQDN(), h.Datacenter(),
			h.MaxCPU(), h.MaxMemory(), h.PowerStateName(), h.ProvisionDate().Format("2006-01-02 15:04:05"), h.Tags())
	}
	if cfg.keep {
		return nil
	}
	for _, h := range []*sl.GuestHandle{raw, g} {
		if err := h.Delete(ctx); err != nil {
			return err
		}
		fmt.Fprintf(out, "guest %d cancelled\n", h.ID())
	}
	return nil
}
