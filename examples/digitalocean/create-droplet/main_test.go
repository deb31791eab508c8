package main

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

func testConfig(getenv func(string) string) config {
	return config{Setup: sandbox.Setup{Getenv: getenv, Options: sandbox.Options{Droplets: 2, ActionDuration: 200 * time.Millisecond}},
		name: "test-droplet", region: "nyc3", size: "s-1vcpu-1gb", image: "ubuntu-24-04-x64",
		timeout: 10 * time.Second,
	}
}

func TestCreatesAgainstTheSandbox(t *testing.T) {
	var out bytes.Buffer
	cfg := testConfig(func(string) string { return "" }) // no credentials, whatever the shell has
	cfg.Stderr = &out
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	got := out.String()
	assert.Regexp(t, `^no credentials found: using the built-in simulator at http://127\.0\.0\.1:\d+\n`, got)
	assert.Regexp(t, `(?m)^created droplet \d+ \(test-droplet\), status new$`, got)
	assert.Regexp(t, `(?m)^waiting for create action \d+$`, got)
	assert.Regexp(t, `(?m)^  poll 1, \d+\.\ds: `, got, "the wait shows its progress")
	assert.Regexp(t, `(?m)^name:      test-droplet\nstatus:    active\npublic ip: \d+\.\d+\.\d+\.\d+$`, got)
	assert.NotContains(t, got, "billed", "no billing warning for the simulator")
}

func TestCreatesWithCredentialsFromTheEnvironment(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{Droplets: 2, ActionDuration: 200 * time.Millisecond})
	require.NoError(t, err)
	defer sb.Close()
	ep := sb.Endpoints["digitalocean"]
	env := map[string]string{"DIGITALOCEAN_ACCESS_TOKEN": ep["token"], "DIGITALOCEAN_API_URL": ep.URL()}
	cfg := testConfig(func(k string) string { return env[k] })
	cfg.tags = []string{"created"}
	cfg.Yes = true
	cfg.ClientOpts = []stratus.Option{stratus.WithWaitInterval(20*time.Millisecond, 50*time.Millisecond)}

	var out bytes.Buffer
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	assert.Contains(t, out.String(), "using credentials from the environment: "+ep.URL())
	assert.Contains(t, out.String(), "it is billed until deleted")
	assert.NotContains(t, out.String(), ep["token"])

	c, err := sb.Open("digitalocean")
	require.NoError(t, err)
	ds, err := do.Droplets(c).Tag("created").Collect(context.Background())
	require.NoError(t, err)
	require.Len(t, ds, 1, "exactly one droplet was created")
	assert.Equal(t, "test-droplet", ds[0].Name())
	assert.Equal(t, do.StatusActive, ds[0].Status())
}

func TestRefusedCreateIsAnError(t *testing.T) {
	cfg := testConfig(func(string) string { return "" })
	cfg.size = "no-such-size"
	var out bytes.Buffer
	cfg.Stderr = &out
	err := run(context.Background(), &out, cfg)
	require.Error(t, err)
	assert.ErrorIs(t, err, stratus.ErrInvalid)
}

// The common flags: no request to a real account without -yes, the
// simulator with -sandbox whatever the environment holds.
func TestSafety(t *testing.T) {
	sandbox.TestSafety(t, do.Provider.Name, true, func(s sandbox.Setup, args []string) int {
		s.Options = sandbox.Options{Droplets: 2, ActionDuration: 200 * time.Millisecond}
		s.ClientOpts = []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond)}
		cfg := &config{Setup: s}
		return cfg.Main("create-droplet", about, args, cfg.flags, func(ctx context.Context) error {
			cfg.name, cfg.region, cfg.size, cfg.image, cfg.timeout = "t", "nyc3", "s-1vcpu-1gb", "ubuntu-24-04-x64", 10*time.Second
			return run(ctx, io.Discard, *cfg)
		})
	})
}
