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
	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func testConfig() config {
	return config{Setup: sandbox.Setup{Getenv: func(string) string { return "" }, Options: sandbox.Options{Droplets: 5, ActionDuration: 200 * time.Millisecond}, ClientOpts: []stratus.Option{stratus.WithWaitInterval(20*time.Millisecond, 50*time.Millisecond)}},
		region: 19344, product: "m1.small", name: "example-web",
	}
}

func TestLaunchesWaitsAndTerminates(t *testing.T) {
	var out bytes.Buffer
	cfg := testConfig()
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg))
	got := out.String()
	assert.Contains(t, got, "no credentials found: using the built-in simulator")

	// The cloud as mixcoatl printed it.
	cloud := jsonAfter(t, got, "cloud 1\n")
	assert.Equal(t, "geography/Cloud/1", cloud.Get("path").String())
	assert.Equal(t, "<Response [200]>", cloud.Get("last_request").String())
	assert.Equal(t, "http://aws.amazon.com", cloud.Get("cloud_provider_console_url").String())

	assert.Contains(t, got, "region 19344: Oregon (us-west-2) (us-west-2)")
	assert.Regexp(t, `(?m)^data center\s+64351\s+us-west-2a\s+ACTIVE$`, got)
	assert.Regexp(t, `(?m)^image\s+281535\s+WordpressDemoImage\s+UBUNTU I64$`, got)
	assert.Regexp(t, `(?m)^product\s+652\s+m1\.small\s+UNIX, 1700 MB, 0\.085 USD/h$`, got)

	m := regexp.MustCompile(`(?m)^launch: job (\d+) RUNNING$`).FindStringSubmatch(got)
	require.NotNil(t, m, got)
	assert.Regexp(t, `(?m)^  poll \d+: COMPLETE$`, got)
	srvLine := regexp.MustCompile(`(?m)^server (\d+) is RUNNING at 203\.0\.113\.\d+$`).FindStringSubmatch(got)
	require.NotNil(t, srvLine, got)
	server := jsonAfter(t, got, srvLine[0]+"\n\n")
	assert.Equal(t, "example-web", server.Get("name").String())
	assert.Equal(t, "infrastructure/Server/"+srvLine[1], server.Get("path").String())
	assert.Equal(t, "RUNNING", server.Get("status").String())
	assert.EqualValues(t, 64351, server.Get("data_center.data_center_id").Int())

	assert.Regexp(t, `(?m)^terminate: job \d+ RUNNING$`, got)
	assert.Contains(t, got, "server "+srvLine[1]+" is TERMINATED\n")
}

func TestRefusesAnUnknownRegion(t *testing.T) {
	cfg := testConfig()
	cfg.region = 1
	var out bytes.Buffer
	cfg.Stderr = &out
	err := run(context.Background(), &out, cfg)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	assert.ErrorContains(t, err, "No such region ID: 1")
}

// jsonAfter parses the indented JSON object printed after marker.
func jsonAfter(t *testing.T, text, marker string) gjson.Result {
	t.Helper()
	i := strings.Index(text, marker)
	require.GreaterOrEqual(t, i, 0, "no %q in:\n%s", marker, text)
	rest := text[i+len(marker):]
	end := strings.Index(rest, "\n}\n")
	require.Greater(t, end, 0)
	obj := rest[:end+2]
	require.True(t, gjson.Valid(obj), obj)
	return gjson.Parse(obj)
}

// The common flags: no request to a real account without -yes, the
// simulator with -sandbox whatever the environment holds.
func TestSafety(t *testing.T) {
	sandbox.TestSafety(t, "enstratus", true, func(s sandbox.Setup, args []string) int {
		s.Options = sandbox.Options{Droplets: 5, ActionDuration: 200 * time.Millisecond}
		s.ClientOpts = []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond)}
		cfg := &config{Setup: s}
		return cfg.Main("launch-server", about, args, cfg.flags, func(ctx context.Context) error {
			return run(ctx, io.Discard, *cfg)
		})
	})
}
