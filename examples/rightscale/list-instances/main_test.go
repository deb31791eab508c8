package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func TestListsInstancesOfACloudAndADeployment(t *testing.T) {
	var out, errs bytes.Buffer
	cfg := config{Setup: sandbox.Setup{Getenv: func(string) string { return "" }, Stderr: &errs}, cloud: "EC2 us-east-1", view: "tiny"}
	require.NoError(t, run(context.Background(), &out, cfg))
	assert.Contains(t, errs.String(), "simulator")
	assert.Regexp(t, `^\d+ operational instances in EC2 us-east-1\n`, out.String())
	assert.Regexp(t, `(?m)^/api/clouds/1/instances/\S+\s+app-1\s+operational\s+i-`, out.String())
	assert.NotContains(t, out.String(), "stopped")

	out.Reset()
	cfg.deployment = "Operations"
	require.NoError(t, run(context.Background(), &out, cfg))
	assert.True(t, strings.HasPrefix(out.String(), "1 operational instances in EC2 us-east-1\n"), out.String())
	assert.Contains(t, out.String(), "Ops Test Target")

	cfg.cloud = "No such cloud"
	assert.ErrorContains(t, run(context.Background(), &out, cfg), "no cloud is named")
}
