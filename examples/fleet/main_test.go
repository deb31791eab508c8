package main

import (
	"bytes"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/fleet/redistest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test binary is also the workers' program: run again with workerEnv
// set, it is one worker.
func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) != "" {
		os.Exit(workerMain(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

var lastLine = regexp.MustCompile(`^fleet: (\d+) workers, (\d+) reads, (\d+) hot: shared (\d+), per-process (\d+), no cache (\d+) origin requests; refused (\d+)$`)

// The program's main path at a small scale: 4 worker processes, 200
// reads of 10 hot droplets. Every read without a cache is a request
// (concurrent reads of one droplet in one worker share one);
// with a cache in each process each worker fetches each droplet once;
// the shared cache fetches each about once for the whole fleet.
func TestFleetExample(t *testing.T) {
	var out bytes.Buffer
	cfg := config{
		Workers: 4, Reads: 200, Hot: 10, RedisURL: redistest.URL(t), Exe: os.Args[0],
		Windows: []transport.Window{{Limit: 1000, Period: time.Second}, {Limit: 20000, Period: 20 * time.Second}},
		Slack:   300 * time.Millisecond,
	}
	require.NoError(t, run(t.Context(), &out, cfg))
	t.Log("\n" + out.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	m := lastLine.FindStringSubmatch(lines[len(lines)-1])
	require.NotNil(t, m, "last line: %q", lines[len(lines)-1])
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	assert.Equal(t, []int{4, 200, 10}, []int{n(1), n(2), n(3)})
	sharedN, perProcessN, noCacheN, refused := n(4), n(5), n(6), n(7)
	// Without a cache every read is a request, but for two readers of one
	// worker asking for one droplet at the same moment: concurrent loads
	// of one key share one request, cache or not.
	assert.LessOrEqual(t, noCacheN, 200)
	assert.GreaterOrEqual(t, noCacheN, 180, "about every read a request")
	assert.Equal(t, 40, perProcessN, "each worker fetches each droplet once")
	assert.Less(t, sharedN, perProcessN)
	assert.LessOrEqual(t, sharedN, 12, "about one fetch a droplet for the fleet")
	assert.Equal(t, 0, refused)
	assert.NotContains(t, out.String(), "first error")
}
