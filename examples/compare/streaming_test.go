package main

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The row over three clouds: both sides read the same servers with the
// same requests (counts, not times).
func TestStreamRowCounts(t *testing.T) {
	cfg := config{Rounds: 1, Latencies: []time.Duration{0}, Sizes: tinySizes, Concurrency: 8, Baseline: true,
		Run: regexp.MustCompile(regexp.QuoteMeta(nameStreamServers))}
	rep, err := run(t.Context(), cfg)
	require.NoError(t, err)
	require.Len(t, rep.Rows, 1)
	r := rep.Rows[0]
	require.NoError(t, r.Err)
	assert.Equal(t, nameStreamServers, r.Name)
	// 450 droplets, 40 dedicated servers and 2x10 instances, 450
	// enStratus servers.
	assert.Equal(t, 450+40+20+450, r.Items)
	require.Len(t, r.Ours, 1)
	require.Len(t, r.Theirs, 1)
	assert.Equal(t, r.Theirs[0].t, r.Ours[0].t, "both sides read the same values")
	// DigitalOcean: 3 pages of 200; OVH: the clock, one bulk page, the
	// projects, the instances of each of 2; enStratus: one answer.
	assert.Equal(t, 3+5+1, r.Ours[0].requests)
	assert.Equal(t, 3+5+1, r.Theirs[0].requests)
	require.Len(t, rep.Allocs, 1)
	assert.Positive(t, rep.Allocs[0].OursReplay)

	// Every run recorded when each provider's answers ended.
	st, n := streamMedian(nameStreamServers, 0)
	require.Positive(t, n)
	assert.Equal(t, map[string]int{"digitalocean": 3, "ovh": 5, "enstratus": 1}, st.answers)
	assert.Contains(t, streamProviders, st.from)

	var buf bytes.Buffer
	rep.print(&buf)
	assert.Contains(t, buf.String(), "n/a   "+nameStreamServers+": first item before any provider's listing has ended (not measured at 20ms)")
	assert.NotContains(t, buf.String(), nameStreamServers+": allocations per item", "no SDK on the other side")
}

// The target passes when the first item came before the end of every
// listing of several answers, and misses when it came after one.
func TestStreamTarget(t *testing.T) {
	lat := targetLatency
	ms := []measurement{{wall: time.Second, requests: 9}}
	rep := &report{Rows: []*row{{Name: nameStreamServers, SDK: sdkInTurn, Latency: lat, Items: 3, Ours: ms, Theirs: ms}}}
	ends := func(first time.Duration) streamTiming {
		return streamTiming{first: first, from: "digitalocean",
			ends:    map[string]time.Duration{"digitalocean": 60 * time.Millisecond, "ovh": 90 * time.Millisecond, "enstratus": 20 * time.Millisecond},
			answers: map[string]int{"digitalocean": 5, "ovh": 5, "enstratus": 1}}
	}
	streamRuns.Lock()
	saved := streamRuns.m
	streamRuns.m = map[string]map[time.Duration][]streamTiming{}
	streamRuns.Unlock()
	t.Cleanup(func() {
		streamRuns.Lock()
		streamRuns.m = saved
		streamRuns.Unlock()
	})

	recordStream(nameStreamServers, lat, ends(25*time.Millisecond))
	recordStream(sdkInTurn, lat, ends(90*time.Millisecond))
	got := streamTargets(rep)
	require.Len(t, got, 1)
	assert.True(t, got[0].ok, got[0].text)
	assert.Contains(t, got[0].text, "first item (digitalocean) after 25.0ms")
	assert.Contains(t, got[0].detail[0], "one-answer listings included: no")

	streamRuns.Lock()
	streamRuns.m = map[string]map[time.Duration][]streamTiming{}
	streamRuns.Unlock()
	recordStream(nameStreamServers, lat, ends(70*time.Millisecond)) // after DigitalOcean's end
	got = streamTargets(rep)
	assert.False(t, got[0].ok, got[0].text)
}
