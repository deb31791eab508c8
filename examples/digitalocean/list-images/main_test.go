package main

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

// sections splits the output into its tables by title.
func sections(out string) map[string]string {
	m := map[string]string{}
	for _, part := range strings.Split(out, "\n\n")[1:] {
		title, body, _ := strings.Cut(part, "\n")
		m[title] = body
	}
	return m
}

func TestListsTheThreeKindsOfImages(t *testing.T) {
	var out bytes.Buffer
	cfg := config{Setup: sandbox.Setup{Getenv: func(string) string { return "" }, Options: sandbox.Options{Droplets: 20, ActionDuration: time.Second}}}
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg))
	got := out.String()
	assert.Contains(t, got, "no credentials found: using the built-in simulator")

	secs := sections(got)
	require.Len(t, secs, 3, got)
	dist, app, priv := secs["distribution images"], secs["application images"], secs["private images"]

	assert.Regexp(t, `(?m)^ID\s+SLUG\s+NAME\s+DISTRIBUTION\s+TYPE\s+MIN DISK\s+REGIONS$`, dist)
	assert.Regexp(t, `(?m)^\d+\s+ubuntu-24-04-x64\s+24\.04 \(LTS\) x64\s+Ubuntu\s`, dist)
	assert.NotContains(t, dist, "docker-20-04", "application images are not distributions")
	assert.Regexp(t, `(?m)^\d+\s+docker-20-04\s`, app)
	assert.NotContains(t, app, "ubuntu-24-04-x64")
	assert.Regexp(t, `(?m)^\d+\s+-\s+\S.*\s(snapshot|backup)\s`, priv, "private images have no slug")
	assert.NotContains(t, priv, "ubuntu-24-04-x64", "public images are not private")

	for title, body := range secs {
		lines := strings.Split(strings.TrimSpace(body), "\n")
		require.GreaterOrEqual(t, len(lines), 3, "%s: a header, rows and a count", title)
		rows := lines[1 : len(lines)-1]
		assert.Equal(t, strconv.Itoa(len(rows))+" "+title, lines[len(lines)-1], "the count matches the rows")
	}
}

// The common flags: no request to a real account without -yes, the
// simulator with -sandbox whatever the environment holds.
func TestSafety(t *testing.T) {
	sandbox.TestSafety(t, "digitalocean", false, func(s sandbox.Setup, args []string) int {
		s.Options = sandbox.Options{Droplets: 1, ActionDuration: 200 * time.Millisecond}
		s.ClientOpts = []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond)}
		cfg := &config{Setup: s}
		return cfg.Main("list-images", about, args, nil, func(ctx context.Context) error {
			return run(ctx, io.Discard, *cfg)
		})
	})
}
