package main

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rows of their own files, at tiny sizes: counts, never times.
func TestFileRowCounts(t *testing.T) {
	cfg := config{Rounds: 1, Latencies: []time.Duration{0}, Sizes: tinySizes, Concurrency: 8, Baseline: true,
		Run: regexp.MustCompile(`es field absent|wait droplets by tag`)}
	rep, err := run(t.Context(), cfg)
	require.NoError(t, err)
	rows := map[string]*row{}
	for _, r := range rep.Rows {
		rows[r.Name] = r
	}
	for _, name := range fileRowNames {
		r := rows[name]
		require.NotNil(t, r, name)
		require.NoError(t, r.Err, name)
		require.Len(t, r.Ours, 1, name)
		require.Len(t, r.Theirs, 1, name)
		assert.Equal(t, r.Items, r.Ours[0].t.items, name)
		assert.Equal(t, r.Theirs[0].t.check, r.Ours[0].t.check, "%s: both sides read the same values", name)
	}
	// 20 servers: the basic list and its one re-listing in full, against
	// the list and each server.
	assert.Equal(t, 20, rows[namePartial].Items)
	assert.Equal(t, 2, rows[namePartial].Ours[0].requests)
	assert.Equal(t, 21, rows[namePartial].Theirs[0].requests)
	// 10 droplets of a tag: one listing a round, against one GET per
	// locked droplet a round.
	assert.Equal(t, 10, rows[nameTagWait].Items)
	assert.Equal(t, int64(1), tagWaitRounds.Load())
	assert.Less(t, rows[nameTagWait].Ours[0].requests, rows[nameTagWait].Theirs[0].requests)

	var buf bytes.Buffer
	rep.print(&buf)
	assert.Regexp(t, `PASS  es field absent from basic items: 20 servers in <= 2 requests`, buf.String())
	assert.Contains(t, buf.String(), "n/a   do wait droplets by tag, limits on: <= 1 request a polling round per 200 droplets, faster than godo (not measured at 20ms)")
}
