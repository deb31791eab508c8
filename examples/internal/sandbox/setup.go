package sandbox

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/stratus-cloud/stratus"
)

// Flags are the two flags every scenario program takes.
type Flags struct {
	// Sandbox (-sandbox) uses the built-in simulators even when the
	// environment holds credentials.
	Sandbox bool
	// Yes (-yes) changes real resources without asking first.
	Yes bool
}

// Register adds -sandbox and -yes to fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.BoolVar(&f.Sandbox, "sandbox", f.Sandbox, "use the built-in simulators even when credentials are set")
	fs.BoolVar(&f.Yes, "yes", f.Yes, "change real resources without asking (needed when stdin is not a terminal)")
}

// Setup is how a scenario program reaches its provider: the environment
// it reads credentials from, the two common flags, how the simulators run
// when it uses them, and where it asks and reports. Zero fields take the
// process's own (os.Getenv, os.Stdin, os.Stderr).
type Setup struct {
	Getenv     func(string) string
	Options    Options          // the simulators, when they are used
	ClientOpts []stratus.Option // extra options for the client (tests: short waits)
	Flags
	Stdin  io.Reader // the confirmation is asked here, when it is a terminal
	Stderr io.Writer // which endpoint is used, questions and errors
}

// Defaults fills the zero fields with the process's own.
func (s *Setup) Defaults() {
	if s.Getenv == nil {
		s.Getenv = os.Getenv
	}
	if s.Stdin == nil {
		s.Stdin = os.Stdin
	}
	if s.Stderr == nil {
		s.Stderr = os.Stderr
	}
}

// Main parses a program's flags (-sandbox and -yes, then the program's
// own, registered by flags), and runs body with a context that ends on
// SIGINT or SIGTERM. It returns the exit code: 0 on success and for -h
// (which prints about and the flags), 2 for a usage error, 1 when body
// fails ("name: error" on stderr).
func (s *Setup) Main(name, about string, args []string, flags func(fs *flag.FlagSet), body func(ctx context.Context) error) int {
	s.Defaults()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(s.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s [flags]\n\n%s\n\nFlags:\n", name, about)
		fs.PrintDefaults()
	}
	s.Flags.Register(fs)
	if flags != nil {
		flags(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(s.Stderr, "%s: unexpected argument %q (flags come first; -h lists them)\n", name, fs.Arg(0))
		return 2
	}
	return Run(name, s.Stderr, body)
}

// ErrNotConfirmed is the error of a program that was told not to change
// real resources, or that could not ask.
var ErrNotConfirmed = errors.New("not confirmed: nothing was changed")

// Connect builds a client of provider: against its simulator with
// -sandbox or when the environment holds no credentials for it, else with
// the environment's credentials. It says on stderr which one it uses.
//
// change describes what the program does to real resources ("power off
// every droplet tagged web"); "" for a program that only reads. With
// real credentials and a change, Connect asks on the terminal before
// anything is sent, and refuses without -yes when stdin is not a
// terminal: the error matches ErrNotConfirmed and no request was sent.
// Close the Conn when done.
func (s *Setup) Connect(provider, change string) (*Conn, error) {
	s.Defaults()
	p, err := stratus.Lookup(provider)
	if err != nil {
		return nil, err
	}
	if !s.Sandbox {
		opts, err := EnvOptions(p, s.Getenv)
		switch {
		case err == nil:
			c, err := stratus.New(p, append(opts, s.ClientOpts...)...)
			if err != nil {
				return nil, err
			}
			conn := &Conn{Client: c}
			fmt.Fprintln(s.Stderr, conn.Describe())
			if change != "" && !s.Yes {
				if err := s.Confirm(change + " on the real account at " + c.BaseURL()); err != nil {
					return nil, err
				}
			}
			return conn, nil
		case !errors.Is(err, ErrNoCredentials):
			return nil, err
		}
	}
	sb, err := Start(s.Options)
	if err != nil {
		return nil, err
	}
	c, err := sb.Open(provider, s.ClientOpts...)
	if err != nil {
		sb.Close()
		return nil, err
	}
	conn := &Conn{Client: c, Simulated: true, Forced: s.Sandbox, sb: sb}
	fmt.Fprintln(s.Stderr, conn.Describe())
	return conn, nil
}

// Confirm asks on the terminal whether to go on with what ("power off 13
// droplets on the real account at ..."); only "y" or "yes" go on. When
// stdin is not a terminal it asks nothing and refuses. Either refusal
// matches ErrNotConfirmed.
func (s *Setup) Confirm(what string) error {
	s.Defaults()
	f, ok := s.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return fmt.Errorf("refusing to %s without -yes: stdin is not a terminal to ask on (-sandbox uses the simulator): %w", what, ErrNotConfirmed)
	}
	fmt.Fprintf(s.Stderr, "This will %s.\nGo on? [y/N] ", what)
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("no answer: %w", ErrNotConfirmed)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return ErrNotConfirmed
}
