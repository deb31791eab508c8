// Command compare runs the same work with stratus and with the official Go
// SDKs (godo for DigitalOcean, go-ovh for OVH) against the in-process
// simulators, with a chosen latency per request, and prints one table row
// per scenario and latency: requests counted at the simulator, the median
// wall time of each side, how many times faster stratus is, and the
// allocations per item. A "targets" section follows.
//
// Both sides run in the same process, alternating (ours, theirs, ours,
// theirs, ...) for several rounds, each run with a fresh client built
// before the clock starts. Every run is checked: both sides must read the
// same number of items and the same values (a checksum of what each run
// read); a mismatch or an SDK error makes the program exit 1. A missed
// target does not: the program is a report.
//
//	go run ./examples/compare            # 5 rounds, latencies 0, 20ms, 50ms
//	go run ./examples/compare -quick     # 1 round, 0 and 20ms, sizes / 10
//	go run ./examples/compare -latency 20ms -run 'ovh servers'
//
// Allocations are counted with runtime.ReadMemStats (Mallocs) around each
// run. The program is a single client at a time, but the simulator answers
// in the same process, so the raw counts include the server's allocations,
// for both sides alike. A second table subtracts a bare net/http replay of
// each side's own requests against the same simulator (the server's work
// plus a minimal client): what remains is what the SDK adds.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"
)

func main() { os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr)) }

// realMain parses the flags, runs the comparison and prints the report on
// stdout and the progress on stderr. It returns the exit code: 2 for bad
// flags, 1 if any run failed, 3 with -strict if a target was missed, 0
// otherwise.
func realMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rounds := fs.Int("rounds", 5, "measured runs of each side per scenario and latency (1 with -quick)")
	quick := fs.Bool("quick", false, "one round, latencies 0 and 20ms, sizes divided by 10")
	scale := fs.Int("scale", 0, "divide the scenario sizes by this (default 1, 10 with -quick)")
	var lats latencyList
	fs.Var(&lats, "latency", "simulated latency per request, or a comma-separated list (default 0,20ms,50ms; 0,20ms with -quick)")
	conc := fs.Int("concurrency", defaultConcurrency, "stratus.WithConcurrency: requests in flight per stratus client")
	runExpr := fs.String("run", "", "only the scenarios whose name matches this regular expression")
	strict := fs.Bool("strict", false, "exit 3 when a target is missed (every run succeeding)")
	baseline := fs.Bool("baseline", true, "measure a bare net/http replay of each side's requests to net out the simulator's allocations")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memprofile := fs.String("memprofile", "", "record every allocation (slow) and write the heap profile to this file at the end")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: go run ./examples/compare [flags]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "compare: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	cfg := config{
		Rounds:      *rounds,
		Latencies:   []time.Duration{0, 20 * time.Millisecond, 50 * time.Millisecond},
		Sizes:       fullSizes,
		Concurrency: *conc,
		Baseline:    *baseline,
		Progress:    stderr,
	}
	div := 1
	if *quick {
		div = 10
		cfg.Latencies = []time.Duration{0, 20 * time.Millisecond}
		if !set["rounds"] {
			cfg.Rounds = 1
		}
	}
	if set["scale"] {
		div = *scale
	}
	if div < 1 || cfg.Rounds < 1 || cfg.Concurrency < 1 {
		fmt.Fprintln(stderr, "compare: -scale, -rounds and -concurrency must be at least 1")
		return 2
	}
	cfg.Sizes = cfg.Sizes.divided(div)
	if len(lats) > 0 {
		cfg.Latencies = lats
	}
	if *runExpr != "" {
		re, err := regexp.Compile(*runExpr)
		if err != nil {
			fmt.Fprintf(stderr, "compare: -run: %v\n", err)
			return 2
		}
		cfg.Run = re
	}

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintf(stderr, "compare: %v\n", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "compare: %v\n", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}

	if *memprofile != "" {
		runtime.MemProfileRate = 1
		defer func() {
			if err := writeHeapProfile(*memprofile); err != nil {
				fmt.Fprintf(stderr, "compare: %v\n", err)
			}
		}()
	}

	printHeader(stdout, cfg)
	start := time.Now()
	rep, err := run(context.Background(), cfg)
	rep.print(stdout)
	fmt.Fprintf(stdout, "\nelapsed: %s\n", time.Since(start).Round(time.Second))
	if err != nil {
		fmt.Fprintf(stderr, "compare: %v\n", err)
		fmt.Fprintf(stdout, "\nERROR: %v\n", err)
		return 1
	}
	if *strict {
		for _, t := range rep.targets() {
			if !t.ok && !t.na {
				fmt.Fprintf(stderr, "compare: target missed: %s\n", t.text)
				return 3
			}
		}
	}
	return 0
}

func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// defaultConcurrency is the stratus clients' concurrency unless -concurrency
// says otherwise (the rows "with the defaults" use the library's own,
// stratus.DefaultConcurrency). The targets for 200 gets
// (10x) and 1,000 id loads (15x) cannot be met with fewer than about 10
// and 16 requests in flight, whatever the library does, and 16 sits at the
// edge of the second: 32 leaves room.
const defaultConcurrency = 32

// latencyList is the -latency flag: durations separated by commas.
type latencyList []time.Duration

func (l *latencyList) String() string {
	parts := make([]string, len(*l))
	for i, d := range *l {
		parts[i] = fmtLatency(d)
	}
	return strings.Join(parts, ",")
}

func (l *latencyList) Set(s string) error {
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		d, err := time.ParseDuration(part)
		if err != nil {
			return err
		}
		if d < 0 {
			return fmt.Errorf("negative latency %s", d)
		}
		*l = append(*l, d)
	}
	if len(*l) == 0 {
		return errors.New("no latency given")
	}
	return nil
}

// printHeader writes the machine and the settings of the run.
func printHeader(w io.Writer, cfg config) {
	fmt.Fprintf(w, "machine: %s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	if m := cpuModel(); m != "" {
		fmt.Fprintf(w, " (%s)", m)
	}
	fmt.Fprintf(w, ", %s\n", runtime.Version())
	fmt.Fprintf(w, "sdks: godo %s, go-ovh %s; stratus concurrency %d (stratus.WithConcurrency)\n",
		moduleVersion("github.com/digitalocean/godo"), moduleVersion("github.com/ovh/go-ovh"), cfg.Concurrency)
	lats := latencyList(cfg.Latencies)
	fmt.Fprintf(w, "rounds: %d per side, alternating; latencies: %s; simulators in-process, rate limits off\n",
		cfg.Rounds, lats.String())
	fmt.Fprintln(w)
}

// moduleVersion is the version of a dependency compiled in, or "?".
func moduleVersion(path string) string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "?"
	}
	for _, d := range bi.Deps {
		if d.Path == path {
			if d.Replace != nil && d.Replace.Version != "" {
				return d.Replace.Version
			}
			return d.Version
		}
	}
	return "?"
}

// cpuModel is the processor's name on Linux, "" elsewhere.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
