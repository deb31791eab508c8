package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func TestCreatesAZoneAndARecord(t *testing.T) {
	sandbox.Isolate(t)
	var out bytes.Buffer
	cfg := config{getenv: func(string) string { return "" }, zone: "example.org", host: "www", data: "192.0.2.10", ttl: 900}
	require.NoError(t, run(context.Background(), &out, cfg))
	got := out.String()
	assert.Regexp(t, `(?m)^zone \d+ example\.org serial \d{10}$`, got)
	assert.Regexp(t, `(?m)^record \d+: www a 192\.0\.2\.10 ttl 900$`, got)
	assert.Contains(t, got, "example.org has 1 records\n")
	assert.Contains(t, got, "A www -> 192.0.2.10\n")
	assert.Contains(t, got, "$ORIGIN example.org.\n")
	assert.Contains(t, got, "www 900 IN A 192.0.2.10\n")
	assert.Regexp(t, `(?m)^zone \d+ deleted$`, got)
}
