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
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

var row = regexp.MustCompile(`(?m)^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(ACTIVE|SHUTOFF|BUILD|REBOOT)$`)

func TestListsTheInstancesOfTheSandbox(t *testing.T) {
	sandbox.Isolate(t)
	var out bytes.Buffer
	cfg := config{Setup: sandbox.Setup{Getenv: sandbox.NoEnv, Options: sandbox.Options{Droplets: 1, ActionDuration: 200 * time.Millisecond}}}
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	got := out.String()
	assert.Contains(t, got, "no credentials found: using the built-in simulator")
	assert.Regexp(t, `(?m)^PROJECT\s+NAME\s+IP\s+REGION\s+STATUS$`, got)
	rows := row.FindAllStringSubmatch(got, -1)
	require.Len(t, rows, 4, got)
	for _, r := range rows {
		assert.Equal(t, "production", r[1])
		assert.Regexp(t, `^\d+\.\d+\.\d+\.\d+$`, r[3], "the public IPv4 address")
	}
	assert.Equal(t, "SHUTOFF", rows[3][5], "every fourth seeded instance is stopped")
	assert.Contains(t, got, "4 instance(s) in 1 project(s)\n")
}

// TestEveryProjectOrOne points the program at a simulator of the test's
// own, with three projects of five instances.
func TestEveryProjectOrOne(t *testing.T) {
	sandbox.Isolate(t)
	srv := ovhtest.NewServer(ovhtest.Config{Projects: 3, Instances: 5})
	defer srv.Close()
	env := map[string]string{
		"OVH_ENDPOINT": srv.URL(), "OVH_APPLICATION_KEY": srv.AppKey(),
		"OVH_APPLICATION_SECRET": srv.AppSecret(), "OVH_CONSUMER_KEY": srv.ConsumerKey(),
	}
	getenv := func(k string) string { return env[k] }
	c, err := ovh.New(ovh.Credentials(srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()), stratus.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	ctx := context.Background()

	var out bytes.Buffer
	require.NoError(t, run(ctx, &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: getenv}}), out.String())
	got := out.String()
	assert.Contains(t, got, "using credentials from the environment: "+srv.URL())
	assert.Contains(t, got, "15 instance(s) in 3 project(s)\n")
	rows := row.FindAllStringSubmatch(got, -1)
	require.Len(t, rows, 15, got)
	k := 0
	for _, id := range srv.ProjectIDs() {
		p := ovh.Project(c, id)
		ins, err := p.Instances().Collect(ctx)
		require.NoError(t, err)
		for _, in := range ins {
			assert.Equal(t, []string{p.Name(), in.Name(), in.PublicIPv4(), in.Region(), in.Status()}, rows[k][1:], "row %d", k)
			k++
		}
	}
	for _, s := range []string{srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()} {
		assert.NotContains(t, got, s)
	}

	second := srv.ProjectIDs()[1]
	out.Reset()
	require.NoError(t, run(ctx, &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: getenv}, project: second}), out.String())
	assert.Contains(t, out.String(), "5 instance(s) in 1 project(s)\n")
	for _, r := range row.FindAllStringSubmatch(out.String(), -1) {
		assert.Equal(t, ovh.Project(c, second).Name(), r[1])
	}

	err = run(ctx, &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: getenv}, project: strings.Repeat("0", 32)})
	require.Error(t, err)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	assert.ErrorContains(t, err, "project 0000")
}

// The common flags: no request to a real account without -yes, the
// simulator with -sandbox whatever the environment holds.
func TestSafety(t *testing.T) {
	sandbox.TestSafety(t, ovh.Provider.Name, false, func(s sandbox.Setup, args []string) int {
		s.Options = sandbox.Options{Droplets: 1, ActionDuration: 200 * time.Millisecond}
		s.ClientOpts = []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond)}
		cfg := &config{Setup: s}
		return cfg.Main("instances", about, args, cfg.flags, func(ctx context.Context) error {
			return run(ctx, io.Discard, *cfg)
		})
	})
}
