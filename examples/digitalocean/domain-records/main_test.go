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

var opts = sandbox.Options{Droplets: 1, ActionDuration: 200 * time.Millisecond}

func testConfig(getenv func(string) string) config {
	return config{Setup: sandbox.Setup{Getenv: getenv, Options: opts}, domain: "stratus-test.com", ip: "192.0.2.10", newIP: "192.0.2.20"}
}

func TestWalksThroughTheRecordsInTheSandbox(t *testing.T) {
	var out bytes.Buffer
	cfg := testConfig(func(string) string { return "" })
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	got := out.String()
	assert.Contains(t, got, "no credentials found: using the built-in simulator")
	for _, re := range []string{
		`(?m)^created domain stratus-test\.com$`,
		`(?m)^added A www -> 192\.0\.2\.10 \(record \d+\)$`,
		`(?m)^added CNAME blog -> www\.stratus-test\.com\. \(record \d+\)$`,
		`(?m)^added MX @ -> mail\.stratus-test\.com\. \(record \d+\)$`,
		`(?m)^updated A www -> 192\.0\.2\.20, ttl 600$`,
		`(?m)^\d+\s+A\s+www\s+192\.0\.2\.20\s+-\s+600$`,
		`(?m)^\d+\s+MX\s+@\s+mail\.stratus-test\.com\.\s+10\s+\d+$`,
		`(?m)^\d+\s+SOA\s`,
		`(?m)^deleted CNAME blog \(record \d+\)$`,
		`(?m)^deleted domain stratus-test\.com$`,
	} {
		assert.Regexp(t, re, got)
	}
	assert.NotRegexp(t, `(?m)^\d+\s+A\s+www\s+192\.0\.2\.10\s`, got, "the list shows the updated record")
}

func TestKeptDomainHoldsTheRecords(t *testing.T) {
	sb, err := sandbox.Start(opts)
	require.NoError(t, err)
	defer sb.Close()
	ep := sb.Endpoints["digitalocean"]
	env := map[string]string{"DIGITALOCEAN_TOKEN": ep["token"], "DIGITALOCEAN_API_URL": ep.URL()}
	cfg := testConfig(func(k string) string { return env[k] })
	cfg.Yes = true
	cfg.keep = true

	var out bytes.Buffer
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	assert.NotContains(t, out.String(), "deleted domain")
	assert.NotContains(t, out.String(), ep["token"])

	c, err := sb.Open("digitalocean", stratus.WithoutCache())
	require.NoError(t, err)
	d := do.Domain(c, "stratus-test.com")
	recs, err := d.Records().Collect(context.Background())
	require.NoError(t, err)
	byName := map[string]*do.DomainRecordHandle{}
	for _, r := range recs {
		if r.Type() != "NS" && r.Type() != "SOA" {
			byName[r.Type()+" "+r.Name()] = r
		}
	}
	require.Len(t, byName, 3, "A www, A mail, MX @; the CNAME was deleted")
	require.Contains(t, byName, "A www")
	assert.Equal(t, "192.0.2.20", byName["A www"].Data())
	assert.Equal(t, 600, byName["A www"].TTL())
	require.Contains(t, byName, "MX @")
	assert.Equal(t, 10, *byName["MX @"].Priority())
	assert.NotContains(t, byName, "CNAME blog")

	// A second run fails on the existing domain and must leave it alone.
	cfg.keep = false
	cfg.Stderr = &out
	err = run(context.Background(), &out, cfg)
	require.Error(t, err)
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	ok, err := do.Domain(c, "stratus-test.com").Exists(context.Background())
	require.NoError(t, err)
	assert.True(t, ok, "a failed create does not delete the domain that was there")
}

// The common flags: no request to a real account without -yes, the
// simulator with -sandbox whatever the environment holds.
func TestSafety(t *testing.T) {
	sandbox.TestSafety(t, do.Provider.Name, true, func(s sandbox.Setup, args []string) int {
		s.Options = sandbox.Options{Droplets: 1, ActionDuration: 200 * time.Millisecond}
		s.ClientOpts = []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond)}
		cfg := &config{Setup: s}
		return cfg.Main("domain-records", about, args, cfg.flags, func(ctx context.Context) error {
			return run(ctx, io.Discard, *cfg)
		})
	})
}
