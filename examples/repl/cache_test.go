package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
)

func TestCacheCommand(t *testing.T) {
	env, _, _ := simulator(t)
	script := "ls droplets limit=2\nls droplets limit=2\ncache\ncache flush\ncache\ncache now\n"
	var out bytes.Buffer
	err := run(context.Background(), strings.NewReader(script), &out, config{getenv: env, yes: true,
		clientOpts: append(fastWaits, stratus.WithCacheBudget(1<<20))})
	assert.ErrorContains(t, err, "1 command(s) failed")
	got := out.String()
	// The REPL reads fresh (it shows what the API says now) and stores
	// what it read: the second listing replaced the first one's entry.
	assert.Regexp(t, `cache: its own, 1 entries, [1-9]\.\d KiB of 1\.0 MiB\n  hits 0, misses 0 \(hit ratio -\), stored 2, evictions 0, expired 0\n`, got)
	assert.Contains(t, got, "  not kept: 0 over 1/8 of the budget, 0 past a listing's 1/16, 0 of an older generation\n")
	assert.Contains(t, got, "cache: flushed\ncache: its own, 0 entries, 0.0 KiB of 1.0 MiB\n")
	assert.Contains(t, got, "usage: cache [flush]")
	require.NotContains(t, got, "panic")

	out.Reset()
	err = run(context.Background(), strings.NewReader("cache\n"), &out, config{getenv: env, yes: true,
		clientOpts: append(fastWaits, stratus.WithoutCache())})
	require.NoError(t, err)
	assert.Contains(t, out.String(), "cache: off (every read goes to the API)\n")
}
