package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

// hundred seeds 100 dedicated servers: sbg1 holds eight, one with its
// burst inactive, one inactiveLocked, six active.
var hundred = sandbox.Options{Droplets: 100, ActionDuration: 200 * time.Millisecond}

func TestEnablesTheBurstInSbg1OfTheSandbox(t *testing.T) {
	sandbox.Isolate(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: sandbox.NoEnv, Options: hundred}, datacenter: "sbg1"}), out.String())
	got := out.String()
	assert.Contains(t, got, "no credentials found: using the built-in simulator")
	assert.Regexp(t, `(?m)^SERVER\s+IP\s+BURST\s+RESULT$`, got)
	server := `ns\d+\.ip-[0-9-]+\.eu\s+\d+\.\d+\.\d+\.\d+\s+`
	assert.Len(t, regexp.MustCompile(`(?m)^`+server+`active\s+already active, left alone$`).FindAllString(got, -1), 6, got)
	assert.Regexp(t, `(?m)^`+server+`inactiveLocked\s+skipped: locked by OVH$`, got)
	assert.Regexp(t, `(?m)^`+server+`inactive\s+enabled: now active, \d+ Mbps$`, got)
	assert.Contains(t, got, "sbg1: burst enabled on 1 server(s), 6 already active, 1 locked, 0 failed (of 8)\n")
}

// TestOnlyTheDatacenterChanges points the program at a simulator of the
// test's own through the OVH_* variables, without a rate limit, and reads
// every burst before and after through the simulator's hooks.
func TestOnlyTheDatacenterChanges(t *testing.T) {
	sandbox.Isolate(t)
	srv := ovhtest.NewServer(ovhtest.Config{DedicatedServers: 100, RateLimit: -1})
	defer srv.Close()
	env := map[string]string{
		"OVH_ENDPOINT": srv.URL(), "OVH_APPLICATION_KEY": srv.AppKey(),
		"OVH_APPLICATION_SECRET": srv.AppSecret(), "OVH_CONSUMER_KEY": srv.ConsumerKey(),
	}
	c, err := ovh.New(ovh.Credentials(srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()), stratus.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	ctx := context.Background()
	datacenter := map[string]string{}
	for d, err := range ovh.DedicatedServers(c).All(ctx) {
		require.NoError(t, err)
		datacenter[d.Name()] = d.Datacenter()
	}
	require.Len(t, datacenter, 100)
	before := map[string]string{}
	for name := range datacenter {
		before[name] = srv.Burst(name)
	}

	cfg := config{Setup: sandbox.Setup{Flags: sandbox.Flags{Yes: true}, Getenv: func(k string) string { return env[k] }}, datacenter: "GRA3"}
	var out bytes.Buffer
	cfg.Stderr = &out
	require.NoError(t, run(ctx, &out, cfg), out.String())
	assert.Contains(t, out.String(), "using credentials from the environment: "+srv.URL())
	for _, s := range []string{srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()} {
		assert.NotContains(t, out.String(), s)
	}

	changed, locked := 0, 0
	for name, dc := range datacenter {
		now := srv.Burst(name)
		switch {
		case dc != "gra3":
			assert.Equal(t, before[name], now, "%s is in %s: left alone", name, dc)
		case before[name] == ovh.BurstInactiveLocked:
			assert.Equal(t, ovh.BurstInactiveLocked, now, name)
			locked++
		default:
			assert.Equal(t, ovh.BurstActive, now, name)
			if before[name] != ovh.BurstActive {
				changed++
			}
		}
	}
	assert.Positive(t, changed)
	assert.Positive(t, locked)
	assert.Contains(t, out.String(), fmt.Sprintf("gra3: burst enabled on %d server(s), ", changed))
	assert.Contains(t, out.String(), fmt.Sprintf(", %d locked, 0 failed (of 8)\n", locked))

	// A second run finds nothing to do.
	out.Reset()
	cfg.Stderr = &out
	require.NoError(t, run(ctx, &out, cfg), out.String())
	assert.Contains(t, out.String(), "gra3: burst enabled on 0 server(s), ")
	assert.NotContains(t, out.String(), "enabled: now")
}

func TestEmptyDatacenter(t *testing.T) {
	sandbox.Isolate(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: sandbox.NoEnv, Options: hundred}, datacenter: "mars1"}))
	assert.Contains(t, out.String(), "no dedicated server in datacenter mars1\n")
	assert.Error(t, run(context.Background(), &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: sandbox.NoEnv, Options: hundred}, datacenter: " "}))
}

// The common flags: no request to a real account without -yes, the
// simulator with -sandbox whatever the environment holds.
func TestSafety(t *testing.T) {
	sandbox.TestSafety(t, ovh.Provider.Name, true, func(s sandbox.Setup, args []string) int {
		s.Options = sandbox.Options{Droplets: 20, ActionDuration: 200 * time.Millisecond}
		s.ClientOpts = []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond)}
		cfg := &config{Setup: s}
		return cfg.Main("burst", about, args, cfg.flags, func(ctx context.Context) error {
			return run(ctx, io.Discard, *cfg)
		})
	})
}
