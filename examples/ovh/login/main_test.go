package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	"github.com/stratus-cloud/stratus/models/ovh"
	wire "github.com/stratus-cloud/stratus/transport/ovh"
)

// fast validates requested keys quickly.
var fast = sandbox.Options{Droplets: 2, ActionDuration: 200 * time.Millisecond}

var fastWaits = []stratus.Option{stratus.WithWaitInterval(20*time.Millisecond, 50*time.Millisecond)}

// sandboxEnv starts a sandbox owned by the test and returns the OVH_*
// variables of its application (and of its consumer key when withKey),
// and a client of its own.
func sandboxEnv(t *testing.T, withKey bool) (env map[string]string, ep sandbox.Endpoint, c *stratus.Client) {
	t.Helper()
	sb, err := sandbox.Start(fast)
	require.NoError(t, err)
	t.Cleanup(sb.Close)
	ep = sb.Endpoints[ovh.Provider.Name]
	env = map[string]string{
		"OVH_ENDPOINT":           ep.URL(),
		"OVH_APPLICATION_KEY":    ep[ovh.CredApplicationKey],
		"OVH_APPLICATION_SECRET": ep[ovh.CredApplicationSecret],
	}
	if withKey {
		env["OVH_CONSUMER_KEY"] = ep[ovh.CredConsumerKey]
	}
	c, err = sb.Open(ovh.Provider.Name, stratus.WithoutCache())
	require.NoError(t, err)
	return env, ep, c
}

// keyLine finds the printed consumer key: the line after the warning.
var keyLine = regexp.MustCompile(`never paste it in a ticket\):\n([A-Za-z0-9]+)\n`)

func printedKey(out string) string {
	if m := keyLine.FindStringSubmatch(out); m != nil {
		return m[1]
	}
	return ""
}

func TestLoginAgainstTheSandbox(t *testing.T) {
	sandbox.Isolate(t)
	// The sandbox is seeded: a sandbox of our own has the same account.
	_, _, own := sandboxEnv(t, false)
	first := ovh.Me(own).FirstName()
	require.NotEmpty(t, first)

	var out bytes.Buffer
	cfg := config{Setup: sandbox.Setup{Getenv: sandbox.NoEnv, Options: fast}, timeout: 10 * time.Second}
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	got := out.String()
	for _, re := range []string{
		`^no credentials found: using the built-in simulator at http://127\.0\.0\.1:\d+/1\.0\n`,
		`(?m)^requested a consumer key for GET /me, GET /me/\* \(pendingValidation\)$`,
		`(?m)^  http://127\.0\.0\.1:\d+/auth/\?credentialToken=\S+$`,
		`(?m)^waiting for the validation \(at most 10s\)$`,
		`(?m)^  poll 1, [0-9.]+s: pendingValidation$`,
		`(?m)^  poll \d+, [0-9.]+s: validated$`,
		`(?m)^the key is validated$`,
		`(?m)^Welcome, ` + regexp.QuoteMeta(first) + `!$`,
		`(?m)^the consumer key is a secret and is not printed; run with -print-key`,
	} {
		assert.Regexp(t, re, got)
	}
	assert.Empty(t, printedKey(got))
	assert.NotRegexp(t, `(?m)^[A-Za-z0-9]{32}$`, got, "no key on a line of its own")
}

func TestLoginWithTheApplicationFromTheEnvironment(t *testing.T) {
	sandbox.Isolate(t)
	env, ep, own := sandboxEnv(t, false)
	cfg := config{Setup: sandbox.Setup{Flags: sandbox.Flags{Yes: true}, Getenv: func(k string) string { return env[k] }, ClientOpts: fastWaits}, timeout: 10 * time.Second,
		read: []string{"/dedicated/server", "/me"}, write: []string{"/domain/zone/example.com"}, printKey: true}

	var out bytes.Buffer
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	got := out.String()
	assert.Contains(t, got, "using credentials from the environment: the application of the configuration at "+ep.URL()+"\n")
	assert.Contains(t, got, "requested a consumer key for GET /me, GET /me/*, GET /dedicated/server, GET /dedicated/server/*, "+
		"GET /domain/zone/example.com, POST /domain/zone/example.com, PUT /domain/zone/example.com, DELETE /domain/zone/example.com, "+
		"GET /domain/zone/example.com/*, POST /domain/zone/example.com/*, PUT /domain/zone/example.com/*, DELETE /domain/zone/example.com/*")
	assert.Contains(t, got, "Welcome, "+ovh.Me(own).FirstName()+"!\n")
	assert.Contains(t, got, "a SECRET")
	assert.NotContains(t, got, "simulator")
	assert.NotContains(t, got, ep[ovh.CredApplicationSecret])
	assert.NotContains(t, got, ep[ovh.CredConsumerKey], "the configured key is not the new one")

	// The printed key is a new, validated key with the rules asked for.
	ck := printedKey(got)
	require.Len(t, ck, 32, got)
	c, err := ovh.New(ovh.Credentials(ep[ovh.CredApplicationKey], ep[ovh.CredApplicationSecret], ck), stratus.WithBaseURL(ep.URL()))
	require.NoError(t, err)
	cred, err := ovh.CurrentCredential(context.Background(), c)
	require.NoError(t, err)
	assert.Equal(t, ovh.StateValidated, cred.Status())
	assert.Contains(t, cred.Rules(), ovh.Rule{Method: "GET", Path: "/dedicated/server/*"})
	assert.Contains(t, cred.Rules(), ovh.Rule{Method: "DELETE", Path: "/domain/zone/example.com/*"})
	assert.NotContains(t, cred.Rules(), ovh.Rule{Method: "GET", Path: "/*"})
	_, err = ovh.Projects(c).Collect(context.Background())
	assert.ErrorIs(t, err, wire.ErrNotGranted, "the key can do what it asked for, nothing more")
	assert.ErrorIs(t, err, stratus.ErrForbidden)
}

func TestConfiguredKeyIsUsedUnlessNew(t *testing.T) {
	sandbox.Isolate(t)
	env, _, own := sandboxEnv(t, true)
	cfg := config{Setup: sandbox.Setup{Flags: sandbox.Flags{Yes: true}, Getenv: func(k string) string { return env[k] }, ClientOpts: fastWaits}, timeout: 10 * time.Second}
	welcome := "Welcome, " + ovh.Me(own).FirstName() + "!\n"

	var out bytes.Buffer
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	assert.Contains(t, out.String(), "using credentials from the environment: the consumer key of the configuration at ")
	assert.Contains(t, out.String(), welcome)
	assert.NotContains(t, out.String(), "requested")

	out.Reset()
	cfg.newKey = true
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	assert.Contains(t, out.String(), "requested a consumer key for GET /me, GET /me/*")
	assert.Contains(t, out.String(), welcome)
	assert.NotContains(t, out.String(), env["OVH_CONSUMER_KEY"])
}

func TestUnvalidatedKeyTimesOut(t *testing.T) {
	sandbox.Isolate(t)
	var out bytes.Buffer
	// Keys validate themselves after a minute: the wait gives up first.
	cfg := config{Setup: sandbox.Setup{Getenv: sandbox.NoEnv, Options: sandbox.Options{Droplets: 1, ActionDuration: time.Minute}, ClientOpts: fastWaits}, timeout: 200 * time.Millisecond}
	cfg.Stderr = &out
	err := run(context.Background(), &out, cfg)
	require.Error(t, err)
	assert.ErrorIs(t, err, stratus.ErrWaitTimeout)
	assert.Contains(t, err.Error(), "run again to request another one")
	assert.NotContains(t, out.String(), "Welcome")
	assert.True(t, strings.Contains(out.String(), ": pendingValidation\n"), out.String())
}

func TestBadRulePathIsRefusedBeforeSending(t *testing.T) {
	sandbox.Isolate(t)
	var out bytes.Buffer
	err := run(context.Background(), &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: sandbox.NoEnv, Options: fast}, read: []string{"me"}, timeout: time.Second})
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.ErrorContains(t, err, `rule path "me" must start with /`)
}

// The common flags: no request to a real account without -yes, the
// simulator with -sandbox whatever the environment holds.
func TestSafety(t *testing.T) {
	sandbox.TestSafety(t, ovh.Provider.Name, true, func(s sandbox.Setup, args []string) int {
		s.Options = sandbox.Options{Droplets: 1, ActionDuration: 200 * time.Millisecond}
		s.ClientOpts = []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond)}
		cfg := &config{Setup: s}
		args = append([]string{"-new"}, args...) // a new key: the program's one change
		return cfg.Main("login", about, args, cfg.flags, func(ctx context.Context) error {
			return run(ctx, io.Discard, *cfg)
		})
	})
}
