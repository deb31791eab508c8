// Command login gets an OVH consumer key and greets the account holder it
// acts for: it asks the API for a key with the access rules given on the
// command line, prints the URL where the account owner validates it,
// waits for that validation (printing each state read), then reads /me
// with the new key and says "Welcome, <first name>!".
//
// When a consumer key is already configured it is used as it is, unless
// -new asks for another one. The key is a secret: it is printed only with
// -print-key, together with a warning; store it like a password, e.g. as
// consumer_key in ovh.conf.
//
// The application key and secret come from ovh.conf (/etc/ovh.conf,
// ~/.ovh.conf, ./ovh.conf, merged per key) and the OVH_* variables on top
// (OVH_ENDPOINT, OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET,
// OVH_CONSUMER_KEY), read by the provider's own loader. Without any, the
// program starts the built-in simulator, whose application it uses; a key
// requested there validates itself after a few seconds, as if its owner
// had clicked the link (opening the link validates it at once).
//
// -sandbox uses the simulator whatever the environment holds; stderr
// says which endpoint is used. Before it changes a real account it asks
// on the terminal, and without -yes it refuses when stdin is not a
// terminal: "-sandbox -yes" runs it to the end unattended.
//
//	go run ./examples/ovh/login [-sandbox] [-yes] [-read PATH]... [-write PATH]... [-redirect URL] [-new] [-print-key] [-timeout 10m]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	"github.com/stratus-cloud/stratus/models/ovh"
)

// config is the program's input: the flags and where to find credentials.
type config struct {
	sandbox.Setup

	read, write []string // paths granted, with everything under them
	redirect    string   // where the validation page sends the owner afterwards
	newKey      bool     // request a key even when one is configured
	printKey    bool     // print the new key (a secret)
	timeout     time.Duration
}

// paths is a repeatable flag.
type paths []string

func (p *paths) String() string { return strings.Join(*p, ",") }

func (p *paths) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*p = append(*p, s)
		}
	}
	return nil
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("login", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

// about is what -h says before the flags.
const about = "Requests an OVH consumer key, waits for its validation and greets the account."

// flags registers the program's own flags.
func (cfg *config) flags(fs *flag.FlagSet) {
	fs.Var((*paths)(&cfg.read), "read", "grant GET on this path and below (repeatable; /me is always granted: the greeting reads it)")
	fs.Var((*paths)(&cfg.write), "write", "grant GET, POST, PUT and DELETE on this path and below (repeatable)")
	fs.StringVar(&cfg.redirect, "redirect", "", "URL the validation page sends the owner to afterwards")
	fs.BoolVar(&cfg.newKey, "new", false, "request a new consumer key even when one is configured")
	fs.BoolVar(&cfg.printKey, "print-key", false, "print the new consumer key (a secret)")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Minute, "longest wait for the validation")
}

// rules returns the access rules to ask for: GET on /me and below (the
// greeting reads /me), then the -read and -write paths, without
// duplicates.
func rules(cfg config) []ovh.Rule {
	out := ovh.RecursiveRules(ovh.ReadOnly, "/me")
	add := func(rs []ovh.Rule) {
		for _, r := range rs {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	for _, p := range cfg.read {
		add(ovh.RecursiveRules(ovh.ReadOnly, p))
	}
	for _, p := range cfg.write {
		add(ovh.RecursiveRules(ovh.ReadWrite, p))
	}
	return out
}

func describeRules(rs []ovh.Rule) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Method + " " + r.Path
	}
	return strings.Join(parts, ", ")
}

// application is the OVH application the program acts as: its key and
// secret, the consumer key configured (if any), and the options that
// point a client at its endpoint.
type application struct {
	appKey, appSecret, consumerKey string
	opts                           []stratus.Option // endpoint and waits, without credentials
	simulated                      bool
	close                          func()
}

// client builds a client of the application that signs with consumerKey
// ("" for none: only the consumer-key request works then).
func (a *application) client(consumerKey string, extra []stratus.Option) (*stratus.Client, error) {
	opts := append(slices.Clone(a.opts), ovh.Credentials(a.appKey, a.appSecret, consumerKey))
	return ovh.New(append(opts, extra...)...)
}

// findApplication reads the application from the configuration (files and
// OVH_* variables, by the provider's loader) or, when there is none,
// starts the simulator and takes its application. sandbox.Connect cannot
// serve here: the simulator's endpoint comes with a consumer key already
// validated, and the program must ask for a new one with the application
// key and secret alone, which a built client does not give back.
func findApplication(cfg config) (*application, error) {
	err := sandbox.ErrNoCredentials
	if !cfg.Sandbox {
		_, err = sandbox.EnvOptions(ovh.Provider, cfg.Getenv)
	}
	switch {
	case err == nil:
		creds, err := ovh.Provider.Env(cfg.Getenv)
		if err != nil {
			return nil, err
		}
		return &application{
			appKey: creds[ovh.CredApplicationKey], appSecret: creds[ovh.CredApplicationSecret],
			consumerKey: creds[ovh.CredConsumerKey],
			// Someone is waiting to click: poll every few seconds at most.
			opts:  []stratus.Option{ovh.Endpoint(creds[ovh.CredEndpoint]), stratus.WithWaitInterval(time.Second, 5*time.Second)},
			close: func() {},
		}, nil
	case !errors.Is(err, sandbox.ErrNoCredentials):
		return nil, err
	}
	sb, err := sandbox.Start(cfg.Options)
	if err != nil {
		return nil, err
	}
	ep := sb.Endpoints[ovh.Provider.Name]
	d := cfg.Options.ActionDuration
	if d <= 0 {
		d = sandbox.DefaultActionDuration
	}
	minWait, maxWait := sandbox.WaitInterval(d)
	return &application{
		appKey: ep[ovh.CredApplicationKey], appSecret: ep[ovh.CredApplicationSecret],
		opts:      []stratus.Option{stratus.WithBaseURL(ep.URL()), stratus.WithWaitInterval(minWait, maxWait)},
		simulated: true,
		close:     sb.Close,
	}, nil
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	cfg.Defaults()
	app, err := findApplication(cfg)
	if err != nil {
		return err
	}
	defer app.close()

	if app.consumerKey != "" && !cfg.newKey {
		c, err := app.client(app.consumerKey, cfg.ClientOpts)
		if err != nil {
			return err
		}
		fmt.Fprintln(cfg.Stderr, "using credentials from the environment: the consumer key of the configuration at "+c.BaseURL()+" (-new requests another one)")
		return greet(ctx, out, c)
	}

	// Without a consumer key the client can send one signed call only:
	// the request for a key.
	c0, err := app.client("", cfg.ClientOpts)
	if err != nil {
		return err
	}
	switch {
	case app.simulated && cfg.Sandbox:
		fmt.Fprintln(cfg.Stderr, "-sandbox: using the built-in simulator at "+c0.BaseURL())
	case app.simulated:
		fmt.Fprintln(cfg.Stderr, "no credentials found: using the built-in simulator at "+c0.BaseURL())
	default:
		fmt.Fprintln(cfg.Stderr, "using credentials from the environment: the application of the configuration at "+c0.BaseURL())
		if !cfg.Yes {
			if err := cfg.Confirm("request a new consumer key for the real application at " + c0.BaseURL()); err != nil {
				return err
			}
		}
	}
	rs := rules(cfg)
	req, err := ovh.RequestConsumerKey(ctx, c0, rs, cfg.redirect)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "requested a consumer key for %s (%s)\n", describeRules(rs), req.State)
	fmt.Fprintf(out, "open this URL, log in and validate the key:\n  %s\n", req.ValidationURL)
	if app.simulated {
		fmt.Fprintln(out, "(the simulator validates it by itself after a few seconds, as if you had clicked)")
	}

	c, err := app.client(req.ConsumerKey, cfg.ClientOpts)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "waiting for the validation (at most %s)\n", cfg.timeout)
	o := stratus.WaitOptions{Timeout: cfg.timeout, Progress: func(p stratus.WaitProgress) {
		if p.State != "" {
			fmt.Fprintf(out, "  poll %d, %.1fs: %s\n", p.Attempt, p.Elapsed.Seconds(), p.State)
		}
	}}
	cred, err := ovh.WaitForValidation(ctx, c, o)
	if err != nil {
		if errors.Is(err, stratus.ErrWaitTimeout) {
			return fmt.Errorf("the key was not validated in time (%w); run again to request another one", err)
		}
		return err
	}
	fmt.Fprintf(out, "the key is %s\n", cred.Status())
	if err := greet(ctx, out, c); err != nil {
		return err
	}

	switch {
	case cfg.printKey:
		fmt.Fprintln(out, "\nconsumer key (a SECRET: with the application's key and secret it acts as you within its rules;")
		fmt.Fprintln(out, "store it like a password, e.g. as consumer_key in ovh.conf, and never paste it in a ticket):")
		fmt.Fprintln(out, req.ConsumerKey)
		if app.simulated {
			fmt.Fprintln(out, "(a key of the simulator: it ends with this program)")
		}
	default:
		fmt.Fprintln(out, "the consumer key is a secret and is not printed; run with -print-key to see it and keep it")
	}
	return nil
}

// greet reads the account the client's key acts for and welcomes its
// holder by first name.
func greet(ctx context.Context, out io.Writer, c *stratus.Client) error {
	me := ovh.Me(c)
	if err := me.Load(ctx); err != nil {
		return err
	}
	name := me.FirstName()
	if name == "" {
		name = me.Nichandle()
	}
	fmt.Fprintf(out, "Welcome, %s!\n", name)
	return nil
}
