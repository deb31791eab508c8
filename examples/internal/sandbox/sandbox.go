// Package sandbox starts the simulator of every provider on loopback and
// tells how to reach each one: its base URL and its credentials, by the
// provider's own names. The sandbox program, the REPL, the query tool and
// the scenario programs share it, so that each of them runs with no
// account at all.
//
// Adding a provider is one file here that registers its simulator
// (Register, from init) and imports its model package; the programs that
// use the sandbox then know the provider.
//
// A Sandbox is safe for concurrent use once started.
package sandbox

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
)

// Options tune the simulators. The zero value is the default.
type Options struct {
	// Droplets is the number of droplets the DigitalOcean simulator seeds
	// (and the seed size of the other providers' main kind); 0 means 25,
	// a negative number seeds none.
	Droplets int
	// ActionDuration is how long asynchronous work (actions, tasks, jobs)
	// stays in progress, on the wall clock; 0 means 3s.
	ActionDuration time.Duration
}

// Default values of Options.
const (
	DefaultDroplets       = 25
	DefaultActionDuration = 3 * time.Second
)

func (o Options) withDefaults() Options {
	if o.Droplets == 0 {
		o.Droplets = DefaultDroplets
	}
	if o.ActionDuration <= 0 {
		o.ActionDuration = DefaultActionDuration
	}
	return o
}

// URLKey is the key of an Endpoint that holds the base URL.
const URLKey = "url"

// Endpoint is how to reach one simulator: URLKey holds the base URL and
// every other key is a credential named as the provider names it
// (stratus.Provider.Credentials).
type Endpoint map[string]string

// URL returns the base URL.
func (e Endpoint) URL() string { return e[URLKey] }

// Credentials returns the credentials, without the URL.
func (e Endpoint) Credentials() map[string]string {
	m := maps.Clone(map[string]string(e))
	delete(m, URLKey)
	return m
}

// Endpoints maps a provider name to its simulator's endpoint. It encodes
// to JSON as the sandbox program prints it:
// {"digitalocean":{"token":"...","url":"http://127.0.0.1:PORT"}}.
type Endpoints map[string]Endpoint

// simulator is one entry of the table: the registry name of a provider
// and how to start its simulator.
type simulator struct {
	provider string
	start    StartFunc
}

// StartFunc starts one provider's simulator with o and returns its
// endpoint and how to stop it.
type StartFunc func(o Options) (Endpoint, func(), error)

// simulators is every simulator the sandbox runs, one entry per provider,
// filled by Register from each provider's file of this package.
var simulators []simulator

// Register adds the simulator of a registered provider. Each provider's
// file in this package calls it from init, so that a new provider adds a
// file and touches no other. It panics on a duplicate.
func Register(provider string, start StartFunc) {
	for _, s := range simulators {
		if s.provider == provider {
			panic("sandbox: Register called twice for " + provider)
		}
	}
	simulators = append(simulators, simulator{provider, start})
	slices.SortFunc(simulators, func(a, b simulator) int { return strings.Compare(a.provider, b.provider) })
}

// Names returns the providers that have a simulator, sorted.
func Names() []string {
	names := make([]string, len(simulators))
	for i, s := range simulators {
		names[i] = s.provider
	}
	slices.Sort(names)
	return names
}

// Sandbox is a set of running simulators.
type Sandbox struct {
	// Endpoints tells how to reach each simulator. Do not modify it.
	Endpoints Endpoints
	opts      Options
	closers   []func()
}

// Start starts every simulator on 127.0.0.1, each on its own free port.
// Call Close when done. If one simulator fails to start, the ones already
// started are closed and the error names the provider.
func Start(o Options) (*Sandbox, error) {
	o = o.withDefaults()
	sb := &Sandbox{Endpoints: Endpoints{}, opts: o}
	for _, sim := range simulators {
		ep, closeFn, err := sim.start(o)
		if err != nil {
			sb.Close()
			return nil, fmt.Errorf("sandbox: starting the %s simulator: %w", sim.provider, err)
		}
		sb.closers = append(sb.closers, closeFn)
		sb.Endpoints[sim.provider] = ep
	}
	return sb, nil
}

// Close stops every simulator. It may be called more than once.
func (sb *Sandbox) Close() {
	for i := len(sb.closers) - 1; i >= 0; i-- {
		sb.closers[i]()
	}
	sb.closers = nil
}

// Options returns the options that point a client of provider at its
// simulator: base URL, credentials, and waiter delays scaled to the
// simulated action duration.
func (sb *Sandbox) Options(provider string) ([]stratus.Option, error) {
	ep, ok := sb.Endpoints[provider]
	if !ok {
		return nil, fmt.Errorf("sandbox: no simulator for provider %q (have %v)", provider, Names())
	}
	minWait, maxWait := WaitInterval(sb.opts.ActionDuration)
	return []stratus.Option{
		stratus.WithBaseURL(ep.URL()),
		stratus.WithCredentials(ep.Credentials()),
		stratus.WithWaitInterval(minWait, maxWait),
	}, nil
}

// Open builds a client of provider against its simulator; extra options
// come last and win.
func (sb *Sandbox) Open(provider string, extra ...stratus.Option) (*stratus.Client, error) {
	opts, err := sb.Options(provider)
	if err != nil {
		return nil, err
	}
	return stratus.Open(provider, append(opts, extra...)...)
}

// WaitInterval returns waiter delays suited to actions that last d: a
// tenth of d to start with, half of d at most, never over the defaults
// of a real account (2s, 30s) and never under 10ms.
func WaitInterval(d time.Duration) (minWait, maxWait time.Duration) {
	minWait = min(max(d/10, 10*time.Millisecond), 2*time.Second)
	maxWait = min(max(d/2, minWait), 30*time.Second)
	return minWait, maxWait
}

// ErrNoCredentials says that the environment holds no credentials for a
// provider (stratus.ErrNoCredentials).
var ErrNoCredentials = stratus.ErrNoCredentials

// EnvOptions reads the credentials of provider p from the environment with
// the provider's own loader (p.Env) and returns the client options they
// make. When none are set it returns an error that matches
// ErrNoCredentials and carries the loader's reason.
func EnvOptions(p *stratus.Provider, getenv func(string) string) ([]stratus.Option, error) {
	opts, err := p.FromEnv(getenv)
	if err != nil {
		// Nothing configured (ErrNoCredentials): the caller may fall back
		// to a simulator. A half-done configuration is an error to show,
		// not to paper over.
		return nil, fmt.Errorf("%s: %w", p.Name, err)
	}
	return opts, nil
}

// Conn is a client and where it points.
type Conn struct {
	Client *stratus.Client
	// Simulated is true when the client talks to a simulator started for
	// it, because the environment had no credentials.
	Simulated bool
	// Forced is true when the simulator was asked for (-sandbox).
	Forced bool
	sb     *Sandbox
}

// Connect builds a client of provider from the environment's credentials
// or, when there are none, against a sandbox started for it (with o).
// Close the Conn when done. extra options come last and win.
func Connect(provider string, getenv func(string) string, o Options, extra ...stratus.Option) (*Conn, error) {
	p, err := stratus.Lookup(provider)
	if err != nil {
		return nil, err
	}
	opts, err := EnvOptions(p, getenv)
	switch {
	case err == nil:
		c, err := stratus.New(p, append(opts, extra...)...)
		if err != nil {
			return nil, err
		}
		return &Conn{Client: c}, nil
	case !errors.Is(err, ErrNoCredentials):
		return nil, err
	}
	sb, err := Start(o)
	if err != nil {
		return nil, err
	}
	c, err := sb.Open(provider, extra...)
	if err != nil {
		sb.Close()
		return nil, err
	}
	return &Conn{Client: c, Simulated: true, sb: sb}, nil
}

// Describe says where the client points, without any secret.
func (c *Conn) Describe() string {
	switch {
	case c.Forced:
		return "-sandbox: using the built-in simulator at " + c.Client.BaseURL()
	case c.Simulated:
		return "no credentials found: using the built-in simulator at " + c.Client.BaseURL()
	}
	return "using credentials from the environment: " + c.Client.BaseURL()
}

// Close stops the simulator started for the Conn, if any.
func (c *Conn) Close() {
	if c.sb != nil {
		c.sb.Close()
	}
}
