package main

import (
	"bytes"
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

var fast = sandbox.Options{Droplets: 10, ActionDuration: 200 * time.Millisecond}

func noEnv(string) string { return "" }

func TestPowersOffTheTaggedDropletsOfTheSandbox(t *testing.T) {
	for _, perDroplet := range []bool{false, true} {
		name := "by-tag"
		if perDroplet {
			name = "per-droplet"
		}
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			cfg := config{Setup: sandbox.Setup{Getenv: noEnv, Options: fast}, tag: "web", perDroplet: perDroplet, timeout: 10 * time.Second}
			cfg.Stderr = &out
			require.NoError(t, run(context.Background(), &out, cfg), out.String())
			got := out.String()
			// Of the 10 seeded droplets, 1, 3, 5, 7 and 9 are web ones and
			// every fifth (5 and 10) is off.
			assert.Contains(t, got, "no credentials found: using the built-in simulator")
			assert.Contains(t, got, "5 droplet(s) tagged web, 1 already off\n")
			if perDroplet {
				assert.Contains(t, got, "sent 4 power_off action(s), one per droplet\n")
				assert.Regexp(t, `(?m)^  4/4 action\(s\) done after`, got)
			} else {
				assert.Contains(t, got, "sent one power_off request for tag web: 5 action(s)\n")
				assert.Regexp(t, `(?m)^  5/5 action\(s\) done after`, got)
			}
			assert.Regexp(t, `(?m)^\d+\s+web-0001\s+off$`, got)
			assert.NotRegexp(t, `(?m)\s(active|new)$`, got)
			assert.Contains(t, got, "5 droplet(s) tagged web are off\n")
		})
	}
}

func TestOnlyTheTaggedDropletsChange(t *testing.T) {
	sb, err := sandbox.Start(fast)
	require.NoError(t, err)
	defer sb.Close()
	ep := sb.Endpoints["digitalocean"]
	env := map[string]string{"DIGITALOCEAN_TOKEN": ep["token"], "DIGITALOCEAN_API_URL": ep.URL()}
	cfg := config{Setup: sandbox.Setup{Flags: sandbox.Flags{Yes: true}, Getenv: func(k string) string { return env[k] }, ClientOpts: []stratus.Option{stratus.WithWaitInterval(20*time.Millisecond, 50*time.Millisecond)}}, tag: "db", timeout: 10 * time.Second}

	var out bytes.Buffer
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	assert.Contains(t, out.String(), "droplet(s) tagged db are off")

	c, err := sb.Open("digitalocean", stratus.WithoutCache())
	require.NoError(t, err)
	all, err := do.Droplets(c).Collect(context.Background())
	require.NoError(t, err)
	require.Len(t, all, 10)
	for _, d := range all {
		if slices.Contains(d.Tags(), "db") {
			assert.Equal(t, do.StatusOff, d.Status(), d.Name())
		} else if d.Name() == "web-0001" {
			assert.Equal(t, do.StatusActive, d.Status(), "droplets without the tag are left alone")
		}
	}
}

func TestUnknownTagPowersOffNothing(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: noEnv, Options: fast}, tag: "nope"}))
	assert.Contains(t, out.String(), "no droplet is tagged nope\n")
	assert.Error(t, run(context.Background(), &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: noEnv, Options: fast}, tag: "bad tag"}))
}

// The common flags: no request to a real account without -yes, the
// simulator with -sandbox whatever the environment holds.
func TestSafety(t *testing.T) {
	sandbox.TestSafety(t, do.Provider.Name, true, func(s sandbox.Setup, args []string) int {
		s.Options = fast
		s.ClientOpts = []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond)}
		cfg := &config{Setup: s}
		return cfg.Main("poweroff-tag", about, args, cfg.flags, func(ctx context.Context) error {
			return run(ctx, io.Discard, *cfg)
		})
	})
}
