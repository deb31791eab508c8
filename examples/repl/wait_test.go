package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

// wait takes several ids, or a tag, and waits on them together: one
// listing a round, which the progress lines show.
func TestWaitSeveralDropletsAndATag(t *testing.T) {
	env, c, _ := simulator(t)
	ctx := context.Background()
	ds, err := do.Droplets(c).Collect(ctx)
	require.NoError(t, err)
	var web, two []string
	for _, d := range ds {
		if slicesHas(d.Tags(), "web") {
			web = append(web, fmt.Sprint(d.ID()))
		} else if d.Status() == do.StatusActive && len(two) < 2 {
			two = append(two, fmt.Sprint(d.ID()))
		}
	}
	require.Len(t, web, 3)
	require.Len(t, two, 2)

	script := fmt.Sprintf(`use digitalocean
do power_off tag web
wait droplet tag=web off
do power_off droplet %[1]s
do power_off droplet %[2]s
wait droplet %[1]s,%[2]s off
wait action tag=web
wait droplet 1,,2 off
quit
`, two[0], two[1])
	var out bytes.Buffer
	err = run(ctx, strings.NewReader(script), &out, config{getenv: env, yes: true, clientOpts: fastWaits})
	require.EqualError(t, err, "2 command(s) failed", out.String()) // the two refused waits
	got := out.String()
	assert.Regexp(t, `(?m)^wait for them with: wait action \d+,\d+,\d+$`, got, "a by-tag action suggests one wait for all")
	assert.Regexp(t, `(?m)^waiting for droplet tag=web to be off `, got)
	assert.Regexp(t, `(?m)^  poll 1, [0-9.]+s: [0-3] of 3 off, 1 request\(s\)$`, got, "one listing of the tag a round")
	assert.Regexp(t, `(?m)^3 droplets tagged web are off after [0-9.]+s$`, got)
	assert.Regexp(t, `(?m)^  poll 1, [0-9.]+s: 0 of 2 off, 1 request\(s\)$`, got, "two droplets: one listing a round")
	assert.Regexp(t, `(?m)^2 droplets are off after [0-9.]+s$`, got)
	assert.Contains(t, got, "error: actions cannot be waited on by tag")
	assert.Contains(t, got, `error: wait: empty id in "1,,2"`)
	assert.NotRegexp(t, regexp.MustCompile(`(?m)^  poll \d+, [0-9.]+s: \d+ of \d+ off, [2-9] request`), got, "never more than one request a round")
	for _, id := range append(web, two...) {
		var n int
		fmt.Sscan(id, &n)
		assert.Equal(t, do.StatusOff, mustStatus(t, c, n))
	}
}

func slicesHas(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func mustStatus(t *testing.T, c *stratus.Client, id int) do.DropletStatus {
	t.Helper()
	d := do.Droplet(c, id)
	require.NoError(t, d.Reload(context.Background()))
	return d.Status()
}

// enStratus: several jobs, several servers, each one listing a round.
func TestWaitSeveralJobsAndServersOfEnstratus(t *testing.T) {
	send, waitFor, out, done := piped(t, config{getenv: noEnv, sandbox: fast, clientOpts: fastWaits})
	send("use enstratus", "ls servers")
	rows := waitFor(`(?m)^(\d+)\s+\S+\s+RUNNING\s(?s:.*)^(\d+)\s+\S+\s+RUNNING\s`)
	a, b := rows[1], rows[2]
	send("do pause server "+a, "do pause server "+b)
	jobs := waitFor(`(?s)action (\d+): pause on server ` + a + `.*action (\d+): pause on server ` + b)
	send("wait job "+jobs[1]+","+jobs[2], "wait server "+a+","+b+" paused", "quit")
	waitFor(`(?m)^2 jobs are COMPLETE after`)
	waitFor(`(?m)^2 servers are PAUSED after`)
	require.NoError(t, <-done, out.String())
	assert.Regexp(t, `(?m)^  poll 1, [0-9.]+s: \d of 2 COMPLETE, 1 request\(s\)$`, out.String())
	assert.Regexp(t, `(?m)^  poll 1, [0-9.]+s: \d of 2 PAUSED, 1 request\(s\)$`, out.String())
}
