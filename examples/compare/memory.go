package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/digitalocean/godo"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

// The peak memory of a streaming listing: every droplet of the big
// listing (100,000 in the full run) read once, name and status, and
// dropped. stratus runs with the library's defaults (page size 200, its
// default concurrency, the process's shared bounded cache); godo with its
// README loop at 200 a page.
//
// Each run is a process of its own (this program started again), against
// the simulator in this one, so that what is measured is the client's
// alone: the peak resident set of the child (VmHWM, the kernel's
// high-water mark), the same way for both sides. The child also samples
// its heap (runtime/metrics, every 200 µs) and reports the peak of heap
// objects for the note. The child's start-up is in both sides' times.
const (
	nameMemory   = "do streaming list, peak memory"
	memorySample = 200 * time.Microsecond
	memoryEnv    = "STRATUS_COMPARE_MEMORY_CHILD" // "stratus" or "godo": run as the child
	memoryURLEnv = "STRATUS_COMPARE_MEMORY_URL"
	memoryTokEnv = "STRATUS_COMPARE_MEMORY_TOKEN"
)

func init() {
	if side := os.Getenv(memoryEnv); side != "" {
		os.Exit(memoryChild(side))
	}
	extraTargets = append(extraTargets, memoryTarget)
}

// freshProcess empties the process's shared stratus cache before a run,
// so that a fresh client starts as it would in a fresh process: with
// nothing cached (every client without a cache option shares it).
func freshProcess() {
	stratus.DefaultCache().Flush(context.Background())
	stratus.DefaultCache().ResetStats()
}

// memoryRun is what a child reports.
type memoryRun struct {
	rss, heap uint64 // peak resident set, peak heap objects
	stats     stratus.CacheStats
}

// peaks holds the children's reports, per side.
var peaks struct {
	sync.Mutex
	ours, theirs []memoryRun
}

// memoryChild lists every droplet of the simulator at the URL the parent
// gave and prints the tally and the peaks on stdout.
func memoryChild(side string) int {
	ctx := context.Background()
	url, tok := os.Getenv(memoryURLEnv), os.Getenv(memoryTokEnv)
	var heap uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(memorySample)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			heap = max(heap, sample[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	var t tally
	var err error
	var st stratus.CacheStats
	switch side {
	case "stratus":
		// The library's defaults, but for the client's rate windows: the
		// simulator's limits are off in this row.
		var c *stratus.Client
		if c, err = do.New(do.Token(tok), stratus.WithBaseURL(url), stratus.WithRateWindows()); err == nil {
			for d, derr := range do.Droplets(c).All(ctx) {
				if derr != nil {
					err = derr
					break
				}
				t.add(int64(len(d.Name()) + len(d.Status())))
			}
		}
		st = stratus.DefaultCache().Stats()
	case "godo":
		c := godo.NewFromToken(tok)
		if u, perr := c.BaseURL.Parse(url + "/"); perr != nil {
			err = perr
		} else {
			c.BaseURL = u
			t, err = godoListDroplets(ctx, c)
		}
	default:
		err = fmt.Errorf("unknown side %q", side)
	}
	close(stop)
	<-done
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("items=%d check=%d rss=%d heap=%d entries=%d bytes=%d skipped=%d evictions=%d\n",
		t.items, t.check, peakRSS(), heap, st.Entries, st.Bytes, st.ListingSkipped, st.Evictions)
	return 0
}

// peakRSS is the process's resident high-water mark in bytes (Linux's
// /proc/self/status VmHWM), 0 where there is none.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// childSide runs one side as a child process and keeps its report.
func childSide(name, which string, url, tok string, keep *[]memoryRun) side {
	return side{name: name, prepare: func(rec *recorder) (runFunc, error) {
		if rec != nil {
			return nil, fmt.Errorf("%s: a child process cannot be recorded", name)
		}
		return func(ctx context.Context) (tally, error) {
			cmd := exec.CommandContext(ctx, os.Args[0])
			cmd.Env = append(os.Environ(), memoryEnv+"="+which, memoryURLEnv+"="+url, memoryTokEnv+"="+tok)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				return tally{}, fmt.Errorf("%s child: %w: %s", which, err, strings.TrimSpace(stderr.String()))
			}
			var t tally
			var r memoryRun
			if _, err := fmt.Sscanf(string(out), "items=%d check=%d rss=%d heap=%d entries=%d bytes=%d skipped=%d evictions=%d",
				&t.items, &t.check, &r.rss, &r.heap, &r.stats.Entries, &r.stats.Bytes, &r.stats.ListingSkipped, &r.stats.Evictions); err != nil {
				return tally{}, fmt.Errorf("%s child: report %q: %w", which, out, err)
			}
			peaks.Lock()
			*keep = append(*keep, r)
			peaks.Unlock()
			return t, nil
		}, nil
	}}
}

// Scenario: the big listing streamed by each side in a process of its
// own, its peak memory kept.
func memoryScenario(n int) *scenario {
	srv := doServer(n)
	return &scenario{
		sdk: "godo", items: n, srv: srv, fix: doFix(srv), noBaseline: true, noAllocs: true,
		note: fmt.Sprintf("%s: %d droplets streamed (read, then dropped), each side in a child process; peak RSS (VmHWM) of the child; stratus with its defaults (page size 200, concurrency %d, the shared %d MiB cache, where a listing larger than 1/%d of it keeps no page)",
			nameMemory, n, stratus.DefaultConcurrency, stratus.DefaultCacheBudget>>20, stratus.ListingShare),
		ours:   []side{childSide(nameMemory, "stratus", srv.URL(), srv.Token(), &peaks.ours)},
		theirs: childSide("godo", "godo", srv.URL(), srv.Token(), &peaks.theirs),
	}
}

// median is the median of the measured runs of one side (the warm-up,
// first, left out when there are others).
func median(rs []memoryRun) memoryRun {
	if len(rs) > 1 {
		rs = rs[1:]
	}
	if len(rs) == 0 {
		return memoryRun{}
	}
	s := slices.SortedFunc(slices.Values(rs), func(a, b memoryRun) int { return int(a.rss>>10) - int(b.rss>>10) })
	return s[len(s)/2]
}

func fmtMiB(n uint64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// memoryTarget: stratus's peak RSS under 2x godo's.
func memoryTarget(rep *report) []target {
	const want = "peak RSS < 2x godo's"
	if len(rep.rowsNamed(nameMemory)) == 0 {
		return []target{{na: true, text: nameMemory + ": " + want + " (not run)"}}
	}
	peaks.Lock()
	defer peaks.Unlock()
	ours, theirs := median(peaks.ours), median(peaks.theirs)
	if ours.rss == 0 || theirs.rss == 0 {
		return []target{{na: true, text: nameMemory + ": " + want + " (no resident set measured on this system)"}}
	}
	x := float64(ours.rss) / float64(theirs.rss)
	st := ours.stats
	return []target{{ok: x < 2, text: fmt.Sprintf("%s: peak RSS %s vs godo %s = %sx (target < 2x; median of %d runs each)",
		nameMemory, fmtMiB(ours.rss), fmtMiB(theirs.rss), fmtFloat(x), max(len(peaks.ours)-1, 1)),
		detail: []string{
			fmt.Sprintf("peak heap objects: stratus %s, godo %s", fmtMiB(ours.heap), fmtMiB(theirs.heap)),
			fmt.Sprintf("stratus's shared cache at the end: %d entries, %s; listing pages not kept %d, evictions %d",
				st.Entries, fmtMiB(uint64(st.Bytes)), st.ListingSkipped, st.Evictions)}}}
}
