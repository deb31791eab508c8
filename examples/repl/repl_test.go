package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

// fast are the simulator settings of the tests: actions end quickly.
var fast = sandbox.Options{Droplets: 6, ActionDuration: 300 * time.Millisecond}

// fastWaits polls often, to match.
var fastWaits = []stratus.Option{stratus.WithWaitInterval(20*time.Millisecond, 100*time.Millisecond)}

// noEnv is an environment without credentials, whatever the developer's
// shell holds: the tests never reach a real account.
func noEnv(string) string { return "" }

// syncBuffer is an output that the test reads while run writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// simulator starts a sandbox owned by the test and returns an environment
// that points the REPL at it, and a client of its own to check the result.
func simulator(t *testing.T) (env func(string) string, c *stratus.Client, token string) {
	t.Helper()
	sb, err := sandbox.Start(fast)
	require.NoError(t, err)
	t.Cleanup(sb.Close)
	ep := sb.Endpoints["digitalocean"]
	vars := map[string]string{"DIGITALOCEAN_TOKEN": ep["token"], "DIGITALOCEAN_API_URL": ep.URL()}
	c, err = sb.Open("digitalocean", stratus.WithoutCache())
	require.NoError(t, err)
	return func(k string) string { return vars[k] }, c, ep["token"]
}

func firstActive(t *testing.T, c *stratus.Client) *do.DropletHandle {
	t.Helper()
	for d, err := range do.Droplets(c).All(context.Background()) {
		require.NoError(t, err)
		if d.Status() == do.StatusActive {
			return d
		}
	}
	t.Fatal("the simulator has no active droplet")
	return nil
}

func TestScriptPowersOffADropletAndWaits(t *testing.T) {
	env, c, token := simulator(t)
	d := firstActive(t, c)
	id := d.ID()

	script := fmt.Sprintf(`use digitalocean
ls droplets
do power_off droplet %[1]d
wait droplet %[1]d off
get droplet %[1]d status
quit
ls droplets
`, id)
	var out bytes.Buffer
	err := run(context.Background(), strings.NewReader(script), &out, config{getenv: env, yes: true, clientOpts: fastWaits})
	require.NoError(t, err, out.String())
	got := out.String()

	assert.Regexp(t, `(?m)^\* digitalocean\s+environment\s`, got, "credentials in the environment are used")
	assert.NotContains(t, got, "simulators for digitalocean", "digitalocean is not simulated")
	assert.Regexp(t, fmt.Sprintf(`(?m)^%d\s+%s\s+active\s`, id, regexp.QuoteMeta(d.Name())), got, "ls shows the droplet active first")
	assert.Regexp(t, `(?m)^6 droplets$`, got)
	assert.Regexp(t, fmt.Sprintf(`(?m)^action \d+: power_off on droplet %d, in-progress$`, id), got)
	assert.Regexp(t, `(?m)^  poll 1, [0-9.]+s: active$`, got, "wait reports progress")
	assert.Regexp(t, fmt.Sprintf(`(?m)^droplet %d is off after [0-9.]+s$`, id), got)
	assert.Regexp(t, `(?m)^off$`, got, "get reads the refreshed status")
	assert.Equal(t, 1, strings.Count(got, "ID    "), "nothing runs after quit")
	assert.NotContains(t, got, token, "the token is never printed")
	assert.NotContains(t, got, "error:")

	require.NoError(t, d.Reload(context.Background()))
	assert.Equal(t, do.StatusOff, d.Status(), "the simulator has the droplet off")
}

// piped runs a session that reads from a pipe, as a user types: send
// writes lines, waitFor waits until the output matches re and returns the
// submatches, done yields run's result. The pipe closes when the test ends.
func piped(t *testing.T, cfg config) (send func(lines ...string), waitFor func(re string) []string, out *syncBuffer, done chan error) {
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.Close() })
	out = &syncBuffer{}
	done = make(chan error, 1)
	go func() { done <- run(context.Background(), pr, out, cfg) }()
	send = func(lines ...string) {
		_, err := io.WriteString(pw, strings.Join(lines, "\n")+"\n")
		require.NoError(t, err)
	}
	waitFor = func(re string) []string {
		t.Helper()
		var m []string
		require.Eventually(t, func() bool {
			m = regexp.MustCompile(re).FindStringSubmatch(out.String())
			return m != nil
		}, 10*time.Second, 10*time.Millisecond, "no %q in:\n%s", re, out)
		return m
	}
	return send, waitFor, out, done
}

// TestNoCredentialsUsesTheSimulators drives the REPL through a pipe, as a
// user would: read the list, pick a droplet, act on it.
func TestNoCredentialsUsesTheSimulators(t *testing.T) {
	send, waitFor, out, done := piped(t, config{getenv: noEnv, sandbox: fast, clientOpts: fastWaits})

	send("providers", "ls droplets")
	waitFor(`(?m)^6 droplets$`)
	banner := out.String()
	assert.Contains(t, banner, "no credentials found: using the built-in simulators for digitalocean")
	assert.Regexp(t, `(?m)^\* digitalocean\s+simulator\s+http://127\.0\.0\.1:\d+\s`, banner)
	assert.Contains(t, banner, "using digitalocean", "the only provider is used at once")
	id := waitFor(`(?m)^(\d+)\s+\S+\s+active\s`)[1]

	send("do power_off droplet "+id, "wait droplet "+id+" off", "ls droplets")
	waitFor(`(?m)^droplet ` + id + ` is off after`)
	waitFor(`(?ms)is off after.*^` + id + `\s+\S+\s+off\s`)
	send("quit")
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after quit")
	}
}

func TestErrorsAreOneLineAndTheREPLGoesOn(t *testing.T) {
	env, _, token := simulator(t)
	script := `bogus
show droplet 1
lasterror
ls nothings
do power_off droplet abc
do fly droplet 1
wait droplet 1 sideways
ls account
get account email
ls droplets limit=2
ratelimit
raw GET /v2/droplets {"per_page": 2}
raw GET /v2/droplets {per_page
raw	GET	/v2/account
`
	var out bytes.Buffer
	err := run(context.Background(), strings.NewReader(script), &out, config{getenv: env, yes: true, clientOpts: fastWaits})
	assert.ErrorIs(t, err, errScriptFailed, "a script with failures ends in error")
	assert.ErrorContains(t, err, "8 command(s) failed")
	got := out.String()

	for _, want := range []string{
		`error: unknown command "bogus" (try help)`,
		`error: digitalocean: GET /v2/droplets/1: 404 not_found: `,
		`  code        not_found`,
		`  kind        not found`,
		`error: digitalocean has no kind "nothings" (kinds lists them)`,
		`error: a droplet id is a positive number, got "abc"`,
		`error: no action "fly" for droplets (have `,
		`error: a droplet can be waited on to be active, off, new, archive, not "sideways"`,
		`error: account cannot be listed (try: show account)`,
		"sammy@example.com\n",
		`rate limit: `,
		`last list meta: { "total": 6 }`,
		`error: parameters are not valid JSON`,
		`  "email": "sammy@example.com",`,
	} {
		assert.Contains(t, got, want)
	}
	assert.Regexp(t, `(?s)"droplets": \[\n    \{.*"meta": \{\n    "total": 6`, got, "raw prints the answer indented")
	for _, line := range strings.Split(got, "\n") {
		if strings.Contains(line, "error:") {
			assert.True(t, strings.HasPrefix(line, "error: "), "an error is one line of its own: %q", line)
		}
	}
	assert.NotContains(t, got, token)
}

func TestWaitTimesOut(t *testing.T) {
	env, c, _ := simulator(t)
	d := firstActive(t, c)
	var out bytes.Buffer
	script := fmt.Sprintf("wait droplet %d off timeout=150ms\nlasterror\n", d.ID())
	err := run(context.Background(), strings.NewReader(script), &out, config{getenv: env, yes: true, clientOpts: fastWaits})
	assert.ErrorIs(t, err, errScriptFailed)
	assert.Regexp(t, `error: stratus: wait time exceeded after \S+ with 1 object\(s\) unfinished`, out.String())
	assert.Contains(t, out.String(), fmt.Sprintf("still pending: digitalocean droplet %d", d.ID()))
}

func TestCancelledContextEndsTheSession(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, pr, io.Discard, config{getenv: noEnv, sandbox: fast}) }()
	cancel() // run blocks reading the pipe: it must still return
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run ignored the end of its context")
	}
}

func TestPanicsBecomeErrors(t *testing.T) {
	var out bytes.Buffer
	s := &session{out: &out, endpoints: map[string]*endpoint{}}
	err := s.call(context.Background(), &command{name: "boom", run: func(*session, context.Context, []string, string) error {
		var m map[string]int
		m["x"] = 1
		return nil
	}}, "")
	assert.ErrorContains(t, err, "internal error in boom")
}

func TestComplete(t *testing.T) {
	s, err := newSession(io.Discard, config{getenv: noEnv, sandbox: fast})
	require.NoError(t, err)
	defer s.close()
	tests := []struct{ line, want string }{
		{"pro", "providers "},
		{"ls drop", "ls droplets "},
		{"show dom", "show domain"}, // domain and domain_record
		{"do power_o", "do power_o"},
		{"do power_of", "do power_off "},
		{"do power_off t", "do power_off tag "},
		{"use digi", "use digitalocean "},
		{"raw PO", "raw POST "},
		{"ls droplets ta", "ls droplets tag"}, // tag= and tag_name=
		{"ls droplets tag_", "ls droplets tag_name="},
		{"ls domain_records d", "ls domain_records domain="},
		{"get droplet 1 size_s", "get droplet 1 size_slug "},
		{"wait droplet 1 of", "wait droplet 1 off "},
		{"LS DROP", "LS droplets "},
		{"show droplet 4", "show droplet 4"}, // no id seen yet
	}
	for _, tt := range tests {
		got, pos, ok := s.complete(tt.line, len(tt.line), '\t')
		if tt.want == tt.line {
			assert.False(t, ok, tt.line)
			continue
		}
		require.True(t, ok, tt.line)
		assert.Equal(t, tt.want, got, tt.line)
		assert.Equal(t, len(got), pos)
	}
	_, _, ok := s.complete("ls", 2, 'x')
	assert.False(t, ok, "only tab completes")

	// Ids complete from what the session has printed.
	s.seen.add("digitalocean", "droplet", "400000001", "400000002")
	got, _, ok := s.complete("show droplet 4", len("show droplet 4"), '\t')
	require.True(t, ok)
	assert.Equal(t, "show droplet 40000000", got)
	got, _, _ = s.complete("do power_off droplet 400000002", len("do power_off droplet 400000002"), '\t')
	assert.Equal(t, "do power_off droplet 400000002 ", got)
}
