package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"unicode"

	"golang.org/x/term"

	"github.com/stratus-cloud/stratus"
	// The sandbox package imports every provider (one file each), which
	// registers itself with the stratus registry; each one with an
	// extension (its own file here) also gets its actions and waiters.
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

// config is how run starts.
type config struct {
	getenv       func(string) string // the environment (os.Getenv)
	forceSandbox bool                // simulators even when credentials are set
	yes          bool                // change real resources without asking
	provider     string              // provider to use at start
	sandbox      sandbox.Options     // how the simulators run
	clientOpts   []stratus.Option    // extra options for every client (tests: short waits)

	stderr   io.Writer // banner, progress and errors; nil: out
	format   string    // "table" (default), "json" or "csv"
	columns  []string  // the columns of ls, by header or field path; nil: the kind's own
	noHeader bool      // tables and CSV without their header line
	width    int       // the terminal's width, to fit tables in; 0: no limit
	history  string    // the history file; "": none
	command  []string  // one-shot mode: the command to run, then leave
}

// errScriptFailed ends a script in which a command failed.
var errScriptFailed = errors.New("command(s) failed")

// errInterrupt is what reading a line returns when Ctrl-C clears it.
var errInterrupt = errors.New("interrupted")

// run is the REPL: it reads commands from in until EOF, "quit" or the end
// of ctx, and writes everything to out. When in and out are a terminal it
// edits lines in raw mode with history; otherwise it reads plain lines.
// A script (not a terminal) in which a command failed returns an error
// matching errScriptFailed.
func run(ctx context.Context, in io.Reader, out io.Writer, cfg config) error {
	if cfg.getenv == nil {
		cfg.getenv = func(string) string { return "" }
	}
	if cfg.stderr == nil {
		cfg.stderr = out
	}
	switch cfg.format {
	case "", "table", "json", "csv":
	default:
		return fmt.Errorf("-o %q: the output is table, json or csv", cfg.format)
	}
	s, err := newSession(out, cfg)
	if err != nil {
		return err
	}
	defer s.close()

	if len(cfg.command) > 0 {
		// One-shot mode: one command, its data on out, the rest on
		// stderr; it fails when the command fails.
		s.where()
		s.exec(ctx, strings.Join(cfg.command, " "))
		if s.failures > 0 {
			return fmt.Errorf("%s: %w", cfg.command[0], errScriptFailed)
		}
		return nil
	}

	var src lineSource
	if ts, ok := newTerminalSource(in, out, s.complete, cfg.history); ok {
		defer ts.restore()
		src, s.interactive, s.term = ts, true, ts
	} else {
		src = newScannerSource(in)
	}
	s.banner()

	lines := make(chan lineResult)
	done := make(chan struct{})
	defer close(done)
	for {
		// Lines are read by a goroutine so that the end of ctx (SIGTERM)
		// is seen even while a read blocks.
		go func(prompt string) {
			line, err := src.readLine(prompt)
			select {
			case lines <- lineResult{line, err}:
			case <-done:
			}
		}(s.prompt())
		var res lineResult
		select {
		case res = <-lines:
		case <-ctx.Done():
			return nil
		}
		switch {
		case errors.Is(res.err, errInterrupt):
			continue
		case errors.Is(res.err, io.EOF):
			if s.interactive {
				fmt.Fprintln(out)
			}
			return s.result()
		case res.err != nil:
			return res.err
		}
		if quit := s.exec(ctx, res.line); quit {
			return s.result()
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

type lineResult struct {
	line string
	err  error
}

// lineSource reads one command line.
type lineSource interface {
	readLine(prompt string) (string, error)
}

// scannerSource reads plain lines, without a prompt: scripts and pipes.
type scannerSource struct{ sc *bufio.Scanner }

func newScannerSource(in io.Reader) *scannerSource {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	return &scannerSource{sc}
}

func (s *scannerSource) readLine(string) (string, error) {
	if s.sc.Scan() {
		return s.sc.Text(), nil
	}
	if err := s.sc.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}

// terminalSource edits lines on a terminal with x/term: raw mode only while
// a line is read, so that commands run in the normal mode where Ctrl-C
// sends SIGINT and interrupts them.
type terminalSource struct {
	fd       int
	orig     *term.State
	rw       io.ReadWriter
	complete func(line string, pos int, key rune) (string, int, bool)
	t        *term.Terminal
	keys     *keyWatch
	history  term.History
}

// newTerminalSource returns a terminal source when in and out are both
// the terminal. History is kept in the file history ("" for none).
func newTerminalSource(in io.Reader, out io.Writer, complete func(line string, pos int, key rune) (string, int, bool), history string) (*terminalSource, bool) {
	fin, ok1 := in.(*os.File)
	fout, ok2 := out.(*os.File)
	if !ok1 || !ok2 || !term.IsTerminal(int(fin.Fd())) || !term.IsTerminal(int(fout.Fd())) {
		return nil, false
	}
	fd := int(fin.Fd())
	orig, err := term.GetState(fd)
	if err != nil {
		return nil, false
	}
	keys := &keyWatch{r: fin}
	ts := &terminalSource{fd: fd, orig: orig, keys: keys, complete: complete, rw: struct {
		io.Reader
		io.Writer
	}{keys, fout}}
	if history != "" {
		ts.history = openHistory(history)
	}
	ts.reset()
	return ts, true
}

// show writes text above the line being edited (the candidates of a
// completion), and draws the prompt and the line again below it.
func (ts *terminalSource) show(text string) {
	_, _ = ts.t.Write([]byte(text))
}

// reset starts a new line editor that keeps the history: x/term keeps the
// text of a line abandoned with Ctrl-C, and has no way to clear it.
func (ts *terminalSource) reset() {
	t := term.NewTerminal(ts.rw, "")
	t.AutoCompleteCallback = ts.complete
	switch {
	case ts.t != nil:
		t.History = ts.t.History
	case ts.history != nil:
		t.History = ts.history
	}
	ts.t = t
}

func (ts *terminalSource) readLine(prompt string) (string, error) {
	old, err := term.MakeRaw(ts.fd)
	if err != nil {
		return "", err
	}
	defer func() { _ = term.Restore(ts.fd, old) }()
	if w, h, err := term.GetSize(ts.fd); err == nil && w > 0 && h > 0 {
		_ = ts.t.SetSize(w, h)
	}
	ts.t.SetPrompt(prompt)
	ts.keys.ctrlC.Store(false)
	line, err := ts.t.ReadLine()
	if errors.Is(err, io.EOF) && ts.keys.ctrlC.Load() {
		// x/term reports Ctrl-C as the end of input: like a shell, drop
		// the line instead of leaving.
		_, _ = ts.rw.Write([]byte("^C\r\n"))
		ts.reset()
		return "", errInterrupt
	}
	return line, err
}

// restore puts the terminal back as it was found.
func (ts *terminalSource) restore() { _ = term.Restore(ts.fd, ts.orig) }

// keyWatch notes whether Ctrl-C went through a read.
type keyWatch struct {
	r     io.Reader
	ctrlC atomic.Bool
}

func (k *keyWatch) Read(p []byte) (int, error) {
	n, err := k.r.Read(p)
	if strings.IndexByte(string(p[:n]), 3) >= 0 {
		k.ctrlC.Store(true)
	}
	return n, err
}

// endpoint is one provider's client and where it points.
type endpoint struct {
	client    *stratus.Client
	simulated bool
}

// session is the state of one REPL run.
type session struct {
	out         io.Writer // data
	errw        io.Writer // banner, progress, errors
	cfg         config
	interactive bool
	term        *terminalSource // nil unless interactive
	seen        *seenIDs        // ids the session has printed, by kind
	pacer       *pacer          // retries and pauses of every client

	sb          *sandbox.Sandbox
	endpoints   map[string]*endpoint
	unavailable map[string]string // provider -> why it cannot be used
	simulated   []string          // providers on a simulator for want of credentials
	current     string

	lastErr  error
	failures int
}

// newSession builds a client for every registered provider: from the
// environment's credentials when there are any, else against the built-in
// simulators, started once for all of them.
func newSession(out io.Writer, cfg config) (*session, error) {
	s := &session{out: out, errw: cfg.stderr, cfg: cfg, endpoints: map[string]*endpoint{}, unavailable: map[string]string{}, seen: newSeenIDs(), pacer: newPacer(cfg.stderr)}
	// Every client reports its retries and pauses (stderr) and what it saw
	// (ratelimit); the caller's options come after and may replace it.
	cfg.clientOpts = append([]stratus.Option{stratus.WithLogger(slog.New(s.pacer))}, cfg.clientOpts...)
	s.cfg = cfg
	var missing []string
	for _, name := range stratus.Providers() {
		p, err := stratus.Lookup(name)
		if err != nil {
			return nil, err
		}
		if !cfg.forceSandbox {
			opts, err := sandbox.EnvOptions(p, cfg.getenv)
			switch {
			case err == nil:
				c, err := stratus.New(p, append(opts, cfg.clientOpts...)...)
				if err != nil {
					s.unavailable[name] = oneLine(err.Error())
					continue
				}
				s.endpoints[name] = &endpoint{client: c}
				continue
			case !errors.Is(err, sandbox.ErrNoCredentials):
				s.unavailable[name] = oneLine(err.Error())
				continue
			}
		}
		missing = append(missing, name)
	}
	if len(missing) > 0 {
		sb, err := sandbox.Start(cfg.sandbox)
		if err != nil {
			return nil, err
		}
		s.sb = sb
		for _, name := range missing {
			c, err := sb.Open(name, cfg.clientOpts...)
			if err != nil {
				s.unavailable[name] = "no credentials found and no simulator"
				continue
			}
			s.endpoints[name] = &endpoint{client: c, simulated: true}
			s.simulated = append(s.simulated, name)
		}
	}
	switch {
	case cfg.provider != "":
		if _, ok := s.endpoints[cfg.provider]; !ok {
			s.close()
			return nil, fmt.Errorf("provider %q is not available (have %s)", cfg.provider, strings.Join(stratus.Providers(), ", "))
		}
		s.current = cfg.provider
	default:
		// The only provider with credentials of its own; else the first
		// one available, in name order.
		var real []string
		for name, ep := range s.endpoints {
			if !ep.simulated {
				real = append(real, name)
			}
		}
		if len(real) == 1 {
			s.current = real[0]
			break
		}
		for _, name := range stratus.Providers() {
			if _, ok := s.endpoints[name]; ok {
				s.current = name
				break
			}
		}
	}
	return s, nil
}

func (s *session) close() {
	if s.sb != nil {
		s.sb.Close()
	}
}

// banner says, on stderr, where each provider points; it never shows a
// credential.
func (s *session) banner() {
	fmt.Fprintln(s.errw, `stratus REPL: type "help" for the commands, "quit" to leave.`)
	if len(s.simulated) > 0 {
		fmt.Fprintf(s.errw, "%s: using the built-in simulators for %s\n", s.why(), strings.Join(s.simulated, ", "))
	}
	s.printProviders(s.errw)
	if s.current != "" {
		fmt.Fprintf(s.errw, "using %s\n", s.current)
	} else if len(s.endpoints) > 1 {
		fmt.Fprintln(s.errw, "choose a provider with: use PROVIDER")
	}
}

// where says in one line, on stderr, what the provider in use points at.
func (s *session) where() {
	if ep, ok := s.endpoints[s.current]; ok {
		if ep.simulated {
			fmt.Fprintf(s.errw, "%s: using the built-in simulator of %s at %s\n", s.why(), s.current, ep.client.BaseURL())
		} else {
			fmt.Fprintf(s.errw, "using credentials from the environment: %s at %s\n", s.current, ep.client.BaseURL())
		}
	}
}

func (s *session) why() string {
	if s.cfg.forceSandbox {
		return "-sandbox"
	}
	return "no credentials found"
}

func (s *session) prompt() string {
	if s.current == "" {
		return "stratus> "
	}
	return s.current + "> "
}

// result is what run returns at the end: an error for a script in which
// a command failed.
func (s *session) result() error {
	if !s.interactive && s.failures > 0 {
		return fmt.Errorf("%d %w", s.failures, errScriptFailed)
	}
	return nil
}

// exec runs one command line. SIGINT (Ctrl-C) while it runs interrupts
// the command: the REPL goes on, a script stops. It reports whether the
// session is over.
func (s *session) exec(ctx context.Context, line string) (quit bool) {
	line = strings.TrimSpace(stripComment(line))
	if line == "" {
		return false
	}
	name, rest := cutWord(line)
	cmd := lookupCommand(name)
	if cmd == nil {
		s.fail(fmt.Errorf("unknown command %q%s", name, didYouMean(name, commandNames(), "try help")))
		return false
	}
	cctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	err := s.call(cctx, cmd, rest)
	if err != nil {
		if cctx.Err() != nil && ctx.Err() == nil {
			s.fail(fmt.Errorf("%s: interrupted", cmd.name))
			return !s.interactive
		}
		s.fail(err)
	}
	return cmd.quit
}

// call runs a command; a panic becomes an error, so that no command can
// crash the REPL.
func (s *session) call(ctx context.Context, cmd *command, rest string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in %s: %v", cmd.name, r)
			if os.Getenv("STRATUS_REPL_DEBUG") != "" {
				err = fmt.Errorf("%w\n%s", err, debug.Stack())
			}
		}
	}()
	return cmd.run(s, ctx, strings.Fields(rest), rest)
}

// stripComment removes a trailing comment: "#" at the start of the line
// or after white space, outside quotes. A "#" inside a word stays (gjson
// paths such as networks.v4.#.ip_address).
func stripComment(line string) string {
	var quote rune
	prev := ' '
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#' && unicode.IsSpace(prev):
			return line[:i]
		}
		prev = r
	}
	return line
}

// fail records an error and prints it on one line on stderr, secrets
// redacted.
func (s *session) fail(err error) {
	s.lastErr = err
	s.failures++
	fmt.Fprintln(s.errw, "error: "+s.redact(oneLine(err.Error())))
}

// redact removes every client's credentials from text.
func (s *session) redact(text string) string {
	for _, ep := range s.endpoints {
		text = ep.client.Redact(text)
	}
	return text
}

// cutWord splits text after its first word, at any white space.
func cutWord(text string) (word, rest string) {
	text = strings.TrimSpace(text)
	i := strings.IndexFunc(text, unicode.IsSpace)
	if i < 0 {
		return text, ""
	}
	return text[:i], strings.TrimSpace(text[i:])
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// client returns the client of the provider in use.
func (s *session) client() (*stratus.Client, error) {
	if s.current == "" {
		return nil, errors.New(`no provider in use: type "use PROVIDER" ("providers" lists them)`)
	}
	return s.endpoints[s.current].client, nil
}

// clientKind returns the client in use and its kind named name.
func (s *session) clientKind(name string) (*stratus.Client, *stratus.Kind, error) {
	c, err := s.client()
	if err != nil {
		return nil, nil, err
	}
	k, err := s.kind(c, name)
	return c, k, err
}

// kind finds a kind of the provider in use by name or plural, ignoring
// case; "-" may stand for "_".
func (s *session) kind(c *stratus.Client, name string) (*stratus.Kind, error) {
	p := c.Provider()
	if k, ok := p.Kind(name); ok {
		return k, nil
	}
	norm := strings.ReplaceAll(strings.ToLower(name), "-", "_")
	if k, ok := p.Kind(norm); ok {
		return k, nil
	}
	for _, k := range p.Kinds {
		if strings.EqualFold(k.Name, norm) || strings.EqualFold(k.Plural, norm) {
			return k, nil
		}
	}
	var names []string
	for _, k := range p.Kinds {
		names = append(names, k.Name, k.Plural)
	}
	return nil, fmt.Errorf("%s has no kind %q%s", p.Name, name, didYouMean(norm, names, "kinds lists them"))
}

// ext returns what the REPL knows of a provider beyond the registry.
func (s *session) ext(c *stratus.Client) *extension {
	if e := extensions[c.Provider().Name]; e != nil {
		return e
	}
	return &extension{}
}
