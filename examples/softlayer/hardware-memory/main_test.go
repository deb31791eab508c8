package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func TestListsServersWithMoreMemory(t *testing.T) {
	sandbox.Isolate(t)
	var out bytes.Buffer
	cfg := config{getenv: func(string) string { return "" }, sandbox: sandbox.Options{Droplets: 3}, memory: "> 8", datacenter: "dal10"}
	require.NoError(t, run(context.Background(), &out, cfg))
	got := out.String()
	assert.Contains(t, got, `"memoryCapacity":{"operation":"> 8"}`)
	rows := regexp.MustCompile(`(?m)^\d+\s+\S+\s+(\S+)\s+(\d+) GB`).FindAllStringSubmatch(got, -1)
	require.NotEmpty(t, rows, got)
	for _, r := range rows {
		assert.Equal(t, "dal10", r[1])
		gb, _ := strconv.Atoi(r[2])
		assert.Greater(t, gb, 8)
	}
	assert.Regexp(t, `(?m)^`+strconv.Itoa(len(rows))+` servers$`, got)

	out.Reset()
	cfg.datacenter, cfg.memory = "", "<= 8"
	require.NoError(t, run(context.Background(), &out, cfg))
	for _, r := range regexp.MustCompile(`(?m)^\d+\s+\S+\s+\S+\s+(\d+) GB`).FindAllStringSubmatch(out.String(), -1) {
		gb, _ := strconv.Atoi(r[1])
		assert.LessOrEqual(t, gb, 8)
	}
}
