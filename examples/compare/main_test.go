package main

import (
	"bytes"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests check counts and agreement, never timings.

var tinySizes = sizes{List: 450, Get: 20, Servers: 40, Bills: 30, Cache: 50, Readers: 50, Big: 600, Default: 300, Waits: 10}

func TestRunCounts(t *testing.T) {
	cfg := config{Rounds: 1, Latencies: []time.Duration{0}, Sizes: tinySizes, Concurrency: 8, Baseline: true}
	rep, err := run(t.Context(), cfg)
	require.NoError(t, err)

	rows := map[string]*row{}
	for _, r := range rep.Rows {
		require.NotContains(t, rows, r.Name, "one row per scenario and latency")
		rows[r.Name] = r
	}
	for _, name := range scenarioNames {
		r := rows[name]
		require.NotNil(t, r, name)
		require.NoError(t, r.Err, name)
		require.Len(t, r.Ours, 1, name)
		require.Len(t, r.Theirs, 1, name)
		ours, theirs := r.Ours[0], r.Theirs[0]
		assert.Equal(t, r.Items, ours.t.items, name)
		assert.Equal(t, r.Items, theirs.t.items, name)
		assert.NotZero(t, ours.t.check, name)
		assert.Equal(t, theirs.t.check, ours.t.check, "%s: both sides read the same values", name)
		assert.NotZero(t, ours.mallocs, name)
		assert.NotZero(t, theirs.mallocs, name)
	}

	// 450 droplets at 200 a page: 3 pages each, stratus fetching ahead.
	assert.Equal(t, 3, rows[nameList].Ours[0].requests)
	assert.Equal(t, 3, rows[nameList].Theirs[0].requests)
	assert.Equal(t, 20, rows[nameGet].Ours[0].requests)
	assert.Equal(t, 20, rows[nameGet].Theirs[0].requests)
	// OVH: the server clock, then one bulk page, or the list and each server.
	assert.Equal(t, 2, rows[nameBulk].Ours[0].requests)
	assert.Equal(t, 2+40, rows[nameIDs].Ours[0].requests)
	assert.Equal(t, 2+40, rows[nameBulk].Theirs[0].requests)
	assert.Equal(t, 2, rows[nameBills].Ours[0].requests)
	assert.Equal(t, 2+30, rows[nameBills].Theirs[0].requests)
	// The second listing comes from the cache; godo lists again.
	assert.Equal(t, 2*50, rows[nameCache].Items)
	assert.Equal(t, 0, rows[nameCache].Ours[0].requests)
	assert.Equal(t, 1, rows[nameCache].Theirs[0].requests)
	// Fifty readers of one unloaded handle: one request.
	assert.Equal(t, 1, rows[nameReaders].Ours[0].requests)
	assert.Equal(t, 50, rows[nameReaders].Theirs[0].requests)

	// With the limits on: 600 droplets at 200 a page; the defaults ask
	// for 200 a page where godo's README loop gets 20; a wait on 10
	// actions is one list request a round.
	for _, name := range limitNames {
		r := rows[name]
		require.NotNil(t, r, name)
		require.NoError(t, r.Err, name)
		assert.Equal(t, r.Items, r.Ours[0].t.items, name)
		assert.Equal(t, r.Theirs[0].t.check, r.Ours[0].t.check, name)
	}
	assert.Equal(t, 3, rows[nameLimitList].Ours[0].requests)
	assert.Equal(t, 3, rows[nameLimitList].Theirs[0].requests)
	assert.Equal(t, 2, rows[nameDefaultList].Ours[0].requests)
	assert.Equal(t, 15, rows[nameDefaultList].Theirs[0].requests)
	assert.Equal(t, int64(1), waitRounds.Load(), "one list request a round")
	assert.Less(t, rows[nameWait].Ours[0].requests, rows[nameWait].Theirs[0].requests)

	// The decode row sends nothing: it reads one page's bytes.
	require.NotNil(t, rows[nameDecode])
	require.NoError(t, rows[nameDecode].Err)
	assert.Equal(t, 200, rows[nameDecode].Ours[0].t.items)
	assert.Equal(t, rows[nameDecode].Theirs[0].t.check, rows[nameDecode].Ours[0].t.check)
	assert.Equal(t, 0, rows[nameDecode].Ours[0].requests+rows[nameDecode].Theirs[0].requests)

	require.Len(t, rep.Allocs, len(scenarioNames)+len(limitNames)+len(streamNames)+1+len(fileRowNames))
	for _, a := range rep.Allocs {
		assert.NoError(t, a.Err, a.Name)
		if a.Name == nameWait || a.Name == nameDecode || a.Name == nameTagWait {
			continue // no bare replay: its setup posts actions, or no request
		}
		assert.Positive(t, a.OursReplay, a.Name)
		assert.Positive(t, a.TheirsReplay, a.Name)
	}

	var buf bytes.Buffer
	rep.print(&buf)
	out := buf.String()
	for _, name := range scenarioNames {
		assert.Contains(t, out, name)
	}
	assert.Contains(t, out, "targets")
	// Count targets are checkable at latency 0; the speed targets are not.
	assert.Regexp(t, `PASS  do list twice \(cache\): second listing requests exactly 0`, out)
	assert.Regexp(t, `PASS  do readers, one handle: requests exactly 1`, out)
	assert.Contains(t, out, "n/a   do get droplets by id: >= 10x faster (not measured at 20ms)")
}

func TestRunSelectsVariants(t *testing.T) {
	cfg := config{Rounds: 2, Latencies: []time.Duration{0}, Sizes: tinySizes, Concurrency: 4, Run: regexp.MustCompile(`ids`)}
	rep, err := run(t.Context(), cfg)
	require.NoError(t, err)
	require.Len(t, rep.Rows, 1)
	r := rep.Rows[0]
	assert.Equal(t, nameIDs, r.Name)
	assert.Len(t, r.Ours, 2)
	assert.Len(t, r.Theirs, 2)
	for _, m := range append(r.Ours, r.Theirs...) {
		assert.Equal(t, 2+40, m.requests)
	}
	require.Len(t, rep.Allocs, 1)
	assert.True(t, math.IsNaN(rep.Allocs[0].OursReplay), "no replay without Baseline")
}

func TestVerifier(t *testing.T) {
	v := verifier{items: 3}
	require.NoError(t, v.check(tally{3, 10}))
	require.NoError(t, v.check(tally{3, 10}))
	assert.ErrorContains(t, v.check(tally{2, 10}), "read 2 items, want 3")
	assert.ErrorContains(t, v.check(tally{3, 11}), "checksum")
}

func TestMainFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	code := realMain([]string{"-quick", "-scale", "100", "-latency", "0", "-run", "cache|readers", "-baseline=false"}, &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	s := out.String()
	assert.True(t, strings.HasPrefix(s, "machine: "), s)
	assert.Contains(t, s, "rounds: 1 per side")
	assert.Contains(t, s, "latencies: 0;")
	assert.Contains(t, s, nameCache)
	assert.Contains(t, s, nameReaders)
	assert.NotContains(t, s, nameList+" ")

	assert.Equal(t, 2, realMain([]string{"-latency", "fast"}, io.Discard, io.Discard))
	assert.Equal(t, 2, realMain([]string{"-rounds", "0"}, io.Discard, io.Discard))
	assert.Equal(t, 2, realMain([]string{"-run", "("}, io.Discard, io.Discard))
	assert.Equal(t, 2, realMain([]string{"extra"}, io.Discard, io.Discard))
}

func TestLatencyList(t *testing.T) {
	var l latencyList
	require.NoError(t, l.Set("0, 20ms,50ms"))
	assert.Equal(t, latencyList{0, 20 * time.Millisecond, 50 * time.Millisecond}, l)
	assert.Equal(t, "0,20ms,50ms", l.String())
	assert.Error(t, new(latencyList).Set("-1ms"))
	assert.Error(t, new(latencyList).Set(","))
}

func TestSizesDivided(t *testing.T) {
	assert.Equal(t, sizes{1000, 20, 100, 50, 200, 100, 10000, 1000, 10}, fullSizes.divided(10))
	assert.Equal(t, sizes{2, 2, 2, 2, 2, 2, 2, 2, 2}, fullSizes.divided(1e6))
}
