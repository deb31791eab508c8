package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
)

// oneShot runs one command as "repl [flags] COMMAND ARGS..." does, with
// stdout and stderr apart.
func oneShot(t *testing.T, cfg config, command ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	if cfg.getenv == nil {
		cfg.getenv = noEnv
	}
	cfg.sandbox, cfg.clientOpts, cfg.stderr, cfg.command = fast, fastWaits, &errOut, command
	err = run(context.Background(), strings.NewReader(""), &out, cfg)
	return out.String(), errOut.String(), err
}

func TestOneShotJSON(t *testing.T) {
	stdout, stderr, err := oneShot(t, config{forceSandbox: true, format: "json"}, "ls", "droplets", "limit=3")
	require.NoError(t, err, stderr)
	var got []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &got), "stdout is exactly one JSON document:\n%s", stdout)
	require.Len(t, got, 3)
	for _, d := range got {
		assert.NotEmpty(t, d["id"])
		assert.NotEmpty(t, d["name"])
		assert.Contains(t, d, "networks", "the whole object, as the API gives it")
	}
	assert.Contains(t, stderr, "-sandbox: using the built-in simulator of digitalocean at http://127.0.0.1:")
	assert.Contains(t, stderr, "3 of 6 droplets")
	assert.NotContains(t, stdout, "droplets (more", "the footer is on stderr")

	// -columns keeps the chosen ones, by header or field, in any case.
	stdout, stderr, err = oneShot(t, config{forceSandbox: true, format: "json", columns: []string{"NAME", "status", "region"}}, "ls", "droplets", "limit=2")
	require.NoError(t, err, stderr)
	var cols []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &cols), stdout)
	require.Len(t, cols, 2)
	assert.Equal(t, map[string]any{"name": "web-0001", "status": "active", "region": "nyc1"}, cols[0])
}

func TestOneShotCSV(t *testing.T) {
	stdout, stderr, err := oneShot(t, config{forceSandbox: true, format: "csv", columns: []string{"name", "status", "tags"}}, "ls", "droplets", "limit=4")
	require.NoError(t, err, stderr)
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err, stdout)
	require.Len(t, rows, 5)
	assert.Equal(t, []string{"name", "status", "tags"}, rows[0])
	assert.Equal(t, []string{"web-0001", "active", "web,env:prod"}, rows[1], "a list in one cell, quoted")

	stdout, _, err = oneShot(t, config{forceSandbox: true, format: "csv", noHeader: true, columns: []string{"name"}}, "ls", "droplets", "limit=2")
	require.NoError(t, err)
	assert.Equal(t, "web-0001\ndb-0002\n", stdout)

	stdout, _, err = oneShot(t, config{forceSandbox: true, noHeader: true, columns: []string{"id", "name"}}, "ls", "droplets", "limit=2")
	require.NoError(t, err)
	assert.Regexp(t, `^\d+  web-0001\n\d+  db-0002\n$`, stdout, "a table without its header")
}

func TestOneShotFails(t *testing.T) {
	stdout, stderr, err := oneShot(t, config{forceSandbox: true}, "ls", "dropplets")
	assert.ErrorIs(t, err, errScriptFailed, "a failed command fails the run")
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `error: digitalocean has no kind "dropplets" (did you mean "droplets"?)`)

	_, stderr, err = oneShot(t, config{forceSandbox: true}, "lst", "droplets")
	assert.ErrorIs(t, err, errScriptFailed)
	assert.Contains(t, stderr, `error: unknown command "lst" (did you mean "ls" or "list"?)`)

	_, stderr, err = oneShot(t, config{forceSandbox: true}, "ls", "droplets", "web")
	assert.ErrorIs(t, err, errScriptFailed)
	assert.Contains(t, stderr, `error: ls droplets: unexpected word "web" (filters are FILTER=VALUE`)

	_, stderr, err = oneShot(t, config{forceSandbox: true, columns: []string{"nmae"}}, "ls", "droplets")
	assert.ErrorIs(t, err, errScriptFailed)
	assert.Contains(t, stderr, `error: -columns: droplets has no column "nmae" (did you mean "name"?)`)

	_, _, err = oneShot(t, config{forceSandbox: true, format: "yaml"}, "ls", "droplets")
	assert.ErrorContains(t, err, `-o "yaml": the output is table, json or csv`)
}

// Kinds, fields and states match in any case; a trailing comment is
// dropped, a # inside a word is kept.
func TestCommentsAndCase(t *testing.T) {
	var out bytes.Buffer
	script := strings.Join([]string{
		"# a whole-line comment",
		"ls DROPLETS limit=1   # the first one",
		"get Droplet 400000000 NAME # any case",
		"get droplet 400000000 networks.v4.#.ip_address",
		"wait droplet 400000000 ACTIVE timeout=5s # already active",
		"get droplet 400000000 nmae",
	}, "\n") + "\n"
	err := run(context.Background(), strings.NewReader(script), &out, config{getenv: noEnv, sandbox: fast, clientOpts: fastWaits})
	require.ErrorIs(t, err, errScriptFailed, "the last line fails")
	got := out.String()
	assert.Regexp(t, `(?m)^400000000\s+web-0001\s+active`, got)
	assert.Regexp(t, `(?m)^web-0001$`, got)
	assert.Regexp(t, `(?m)^\[\s*"\d+\.\d+\.\d+\.\d+"`, got, "the gjson path with # is read")
	assert.Contains(t, got, "droplet 400000000 is active after")
	assert.Contains(t, got, `error: droplet 400000000 has no field "nmae" (did you mean "name"?)`)
	assert.Equal(t, 1, strings.Count(got, "error:"), got)
}

// On a real account (here a simulator reached through the environment,
// as a real one would be) a script cannot change anything without -yes.
func TestScriptRefusesToChangeARealAccountWithoutYes(t *testing.T) {
	env, c, _ := simulator(t)
	d := firstActive(t, c)
	var out bytes.Buffer
	script := "do power_off droplet " + strconv.Itoa(d.ID()) + "\nraw DELETE /v2/droplets/" + strconv.Itoa(d.ID()) + "\n"
	err := run(context.Background(), strings.NewReader(script), &out, config{getenv: env, clientOpts: fastWaits})
	assert.ErrorIs(t, err, errScriptFailed)
	assert.Contains(t, out.String(), "error: refusing to power_off droplet "+strconv.Itoa(d.ID())+" on the real digitalocean account at ")
	assert.Contains(t, out.String(), "error: refusing to DELETE /v2/droplets/"+strconv.Itoa(d.ID())+" on the real digitalocean account")
	assert.Contains(t, out.String(), "without -yes: there is no terminal to ask on (nothing was sent)")

	fresh := do.Droplet(c, d.ID())
	require.NoError(t, fresh.Reload(context.Background()))
	assert.Equal(t, do.StatusActive, fresh.Status(), "nothing was sent")
	acts, err := do.Actions(c).Collect(context.Background())
	require.NoError(t, err)
	for _, a := range acts {
		assert.NotEqual(t, d.ID(), a.ResourceID(), "no action on the droplet")
	}
}

// Filters are the registry's: unknown keys are refused before any
// request, naming the accepted ones; aliases and any case are taken.
func TestFiltersFromTheRegistry(t *testing.T) {
	var out bytes.Buffer
	script := strings.Join([]string{
		"ls droplets tag=web limit=2",
		"ls droplets TAG_NAME=db",
		"ls droplets status=off",
		"ls droplets bogus=1",
		"ls domain_records",
	}, "\n") + "\n"
	err := run(context.Background(), strings.NewReader(script), &out, config{getenv: noEnv, sandbox: fast, clientOpts: fastWaits})
	require.ErrorIs(t, err, errScriptFailed)
	got := out.String()
	assert.Regexp(t, `(?m)^\d+\s+web-0001\s+active.*\bweb\b`, got)
	assert.Regexp(t, `(?m)^\d+\s+web-0003\s`, got)
	assert.Regexp(t, `(?m)^\d+\s+db-0002\s`, got, "the API's name in any case")
	assert.Contains(t, got, `error: ls droplets: unknown filter "status"; accepted: name, tag_name (tag), type`)
	assert.Contains(t, got, `error: ls droplets: unknown filter "bogus"; accepted: name, tag_name (tag), type`)
	assert.Contains(t, got, `error: ls domain_records: give domain=VALUE (the path is /v2/domains/{domain}/records)`)
	// tag=web kept the web droplets only.
	i, j := strings.Index(got, "NAME"), strings.Index(got, "droplets (more")
	require.True(t, i >= 0 && j > i, got)
	assert.NotContains(t, got[i:j], "db-", "tag=web filtered")
}

// Retries are reported on stderr as they happen, and ratelimit shows what
// every provider reported or what was observed.
func TestPacingIsVisible(t *testing.T) {
	srv := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: 3})
	t.Cleanup(srv.Close)
	srv.InjectNext(digitaloceantest.Fault503)
	env := map[string]string{"DIGITALOCEAN_TOKEN": srv.Token(), "DIGITALOCEAN_API_URL": srv.URL()}
	var out, errOut bytes.Buffer
	retry := stratus.WithRetry(transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})
	err := run(context.Background(), strings.NewReader("ls droplets\nratelimit\n"), &out, config{
		getenv: func(k string) string { return env[k] }, provider: "digitalocean", sandbox: fast, stderr: &errOut,
		clientOpts: []stratus.Option{retry},
	})
	require.NoError(t, err, errOut.String())
	assert.Regexp(t, `(?m)^  digitalocean: attempt 1 of GET \S+/v2/droplets\S* failed \(503\); retrying in \d+ms$`, errOut.String())
	assert.Regexp(t, `(?m)^\* digitalocean rate limit: \d+ of \d+ requests left, resets at .*; observed 1 requests, 1 retries, 0 rate-limit pauses`, out.String())
	assert.Regexp(t, `(?m)^  ovh rate limit: not reported by its answers so far; observed 0 requests`, out.String())
	assert.NotContains(t, errOut.String()+out.String(), srv.Token())
}
