package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func TestRunsAScriptAndWaits(t *testing.T) {
	var out, errs bytes.Buffer
	cfg := config{Setup: sandbox.Setup{Getenv: func(string) string { return "" }, Stderr: &errs,
		Options:    sandbox.Options{ActionDuration: 150 * time.Millisecond},
		ClientOpts: []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 30*time.Millisecond)}},
		script: "Hello World", server: "app-1", inputs: "GREETING:hello there,KEY:cred:SSH_KEY"}
	require.NoError(t, run(context.Background(), &out, cfg))
	got := out.String()
	assert.Regexp(t, `(?m)^task /api/clouds/1/instances/\w+/live/tasks/ae-\d+$`, got)
	assert.Contains(t, got, "status: completed: Hello World\n")
	assert.Contains(t, got, "done: completed: Hello World\n")

	cfg.server = "db-1"
	assert.ErrorContains(t, run(context.Background(), &out, cfg), "not running")
	cfg.inputs = "no colon"
	assert.ErrorContains(t, run(context.Background(), &out, cfg), "NAME:VALUE")
}

func TestParseInputs(t *testing.T) {
	in, err := parseInputs("Key1:value one,key 2:value2")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"Key1": "value one", "key 2": "value2"}, in)
}
