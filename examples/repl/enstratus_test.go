package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEnstratusPauseLaunchAndWait drives the enStratus table through a
// pipe: list, pause a server and wait for its job, launch a server and
// wait for it to run.
func TestEnstratusPauseLaunchAndWait(t *testing.T) {
	send, waitFor, out, done := piped(t, config{getenv: noEnv, sandbox: fast, provider: "enstratus", clientOpts: fastWaits})

	send("ls servers limit=0")
	waitFor(`(?m)^6 servers$`)
	assert.Contains(t, out.String(), "using enstratus")
	assert.Regexp(t, `(?m)^SERVERID\s+NAME\s+STATUS\s+REGION\s+DATA_CENTER\s+PRODUCT\s+PLATFORM$`, out.String())
	id := waitFor(`(?m)^(\d+)\s+.*\sRUNNING\s+\d+\s+\d+\s`)[1]

	send("do pause server " + id + " lunch break")
	job := waitFor(`(?m)^action (\d+): pause on server ` + id + `, RUNNING$`)[1]
	send("wait job "+job, "wait server "+id+" PAUSED", "get server "+id+" status")
	waitFor(`(?m)^job ` + job + ` is COMPLETE after`)
	waitFor(`(?m)^server ` + id + ` is PAUSED after`)
	waitFor(`(?m)^PAUSED$`)

	send("ls data_centers regionId=19344", "do launch machine_image 281535 64351 m1.small repl-web-1")
	waitFor(`(?m)^3 data_centers$`)
	launch := waitFor(`(?m)^action (\d+): launch on machine_image 281535, RUNNING$`)[1]
	send("wait job " + launch)
	waitFor(`(?m)^job ` + launch + ` is COMPLETE after`)
	send("get job " + launch + " message")
	newID := waitFor(`(?m)^(\d{6})$`)[1]
	send("get server " + newID + " name")
	waitFor(`(?m)^repl-web-1$`)

	send("do terminate server "+newID, "do terminate server "+newID+" end of the test", "ls data_centers")
	waitFor(`error: usage: do terminate server ID REASON`)
	waitFor(`(?m)^action \d+: terminate on server ` + newID + `, RUNNING$`)
	// The listing is refused before sending: the filter is required.
	waitFor(`error: ls data_centers: give regionId=VALUE \(data_centers are listed per regionId\)`)
	send("quit")
	select {
	case err := <-done:
		assert.ErrorIs(t, err, errScriptFailed)
		assert.ErrorContains(t, err, "2 command(s) failed", "the two refusals above")
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after quit")
	}
}

func TestEnstratusJobInErrorFails(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), strings.NewReader("wait job 5\nshow job 5\n"), &out,
		config{getenv: noEnv, sandbox: fast, provider: "enstratus", clientOpts: fastWaits})
	assert.ErrorIs(t, err, errScriptFailed)
	assert.Contains(t, out.String(), "error: job 5: enstratus: job 5 (Perform task 56) ended in ERROR: kaboom!")
	assert.Contains(t, out.String(), `"message": "kaboom!"`)
}

// show prints enStratus objects as the API spells them, like fields and
// every other provider, without a wrapper's artefacts; get also takes
// mixcoatl's snake_case names.
func TestEnstratusShowAndSnakeCase(t *testing.T) {
	var out bytes.Buffer
	script := "show cloud 1\nget cloud 1 cloud_provider_console_url\nget cloud 1 cloudProviderName\n"
	err := run(context.Background(), strings.NewReader(script), &out, config{getenv: noEnv, sandbox: fast, provider: "enstratus", clientOpts: fastWaits})
	require.NoError(t, err, out.String())
	got := out.String()
	assert.Contains(t, got, `"cloudId": 1`)
	assert.Contains(t, got, `"cloudProviderName": "Amazon"`)
	assert.NotContains(t, got, "last_request")
	assert.NotContains(t, got, "<Response")
	assert.NotContains(t, got, `"cloud_provider_name"`)
	assert.Regexp(t, `(?m)^https?://\S+$`, got, "the snake_case name reads cloudProviderConsoleURL")
	assert.Regexp(t, `(?m)^Amazon$`, got)
}
