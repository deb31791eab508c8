// Command fleet runs a fleet of worker processes that share one
// DigitalOcean token, against the DigitalOcean simulator, three times:
// with no cache, with a cache in each process, and with the fleet's
// shared cache (transport/fleet, through Redis). Every run spends one
// rate budget for the whole fleet, kept in Redis. It prints, for each
// run, the requests that reached the simulator, the Redis commands per
// read, the share of shared-cache reads served by the process's near
// copy, the requests the simulator refused (429) and the part of the
// rate windows the run used, then one summary line.
//
// It needs a redis-server on PATH, or STRATUS_REDIS_URL naming a running
// Redis (6 or later):
//
//	go run ./examples/fleet
//	go run ./examples/fleet -workers 8 -reads 200
//
// The workers are processes: the program runs itself again with
// STRATUS_FLEET_EXAMPLE_WORKER set, so that every worker has its own
// client, its own connection to Redis and its own near copies, as the
// pods of a real fleet would.
//
// The simulator keeps DigitalOcean's two sliding windows, raised and
// shortened (by default 5,000 requests every 5 s and 20,000 every 20 s)
// so that the no-cache run's 20,000 requests take seconds rather than the
// hours DigitalOcean's own 250 a minute and 5,000 an hour would; -burst,
// -burst-window, -hourly and -hourly-window set them. -call-timeout sets
// the deadline of every Redis call (100 ms by default): on a machine
// loaded far beyond its cores Redis misses it, and the workers spend
// their local shares of the budget.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stratus-cloud/stratus/transport/fleet"
	"github.com/stratus-cloud/stratus/transport/fleet/redistest"
)

// workerEnv marks a worker process; the rest of its setup is in the
// variables of workerSetup, as JSON.
const (
	workerEnv   = "STRATUS_FLEET_EXAMPLE_WORKER"
	readyLine   = "ready"
	resultMark  = "result: "
	readersEach = 4 // readers in each worker process
)

// mode is how the workers cache answers.
type mode string

const (
	noCache    mode = "no cache"
	perProcess mode = "per-process"
	shared     mode = "shared"
)

type config struct {
	Workers, Reads, Hot int // processes, reads in all, hot droplets
	Windows             []transport.Window
	// Slack is the budget's margin for the delay between a slot and the
	// request's arrival (fleet.Options.Slack); 0: the default.
	Slack time.Duration
	// CallTimeout is fleet.Options.CallTimeout; 0: the default.
	CallTimeout time.Duration
	// RedisURL names the Redis; "" means STRATUS_REDIS_URL, or a
	// redis-server started for the run.
	RedisURL string
	// Exe is the program run as a worker (this one).
	Exe string
	// Progress receives a line as each run ends; nil: none.
	Progress io.Writer
}

func main() {
	if os.Getenv(workerEnv) != "" {
		os.Exit(workerMain(os.Stdin, os.Stdout))
	}
	cfg := config{Exe: os.Args[0], Progress: os.Stderr}
	var burst, hourly int
	var burstWindow, hourlyWindow time.Duration
	flag.IntVar(&cfg.Workers, "workers", 20, "worker processes")
	flag.IntVar(&cfg.Reads, "reads", 20000, "droplet reads in all, shared among the workers")
	flag.IntVar(&cfg.Hot, "hot", 200, "distinct droplets read")
	flag.IntVar(&burst, "burst", 5000, "requests allowed in the burst window")
	flag.DurationVar(&burstWindow, "burst-window", 5*time.Second, "the burst window")
	flag.IntVar(&hourly, "hourly", 20000, "requests allowed in the hourly window")
	flag.DurationVar(&hourlyWindow, "hourly-window", 20*time.Second, "the hourly window, shortened")
	flag.DurationVar(&cfg.CallTimeout, "call-timeout", 0, "the deadline of every Redis call (0: the library's default, 100 ms)")
	flag.DurationVar(&cfg.Slack, "slack", 300*time.Millisecond, "the budget's margin on every window, for the delay between a slot and its arrival (0: the library's default)")
	flag.Parse()
	cfg.Windows = []transport.Window{{Limit: burst, Period: burstWindow}, {Limit: hourly, Period: hourlyWindow}}
	sandbox.Main("fleet", func(ctx context.Context) error { return run(ctx, os.Stdout, cfg) })
}

// workerSetup is what a worker is told.
type workerSetup struct {
	Index, Reads int
	Mode         mode
	SimURL       string
	Token        string
	RedisURL     string
	Prefix       string
	IDs          []int
	Windows      []transport.Window
	Slack        time.Duration
	CallTimeout  time.Duration
}

// workerResult is what a worker reports.
type workerResult struct {
	Reads, Errors int
	FirstError    string
	Fleet         fleet.Stats
	Budget        fleet.BudgetStats
}

// row is one run's line of the table.
type row struct {
	mode                  mode
	origin, refused       int
	reads, errors         int
	commands              int64
	near, lookups         int64
	served, capacity      int
	fallbacks, budgetWait int64
	failures, opened      int64
	took                  time.Duration
	firstError            string
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	if cfg.Workers <= 0 || cfg.Reads <= 0 || cfg.Hot <= 0 {
		return errors.New("workers, reads and hot must be positive")
	}
	url := cfg.RedisURL
	if url == "" {
		url = os.Getenv(redistest.EnvURL)
	}
	if url == "" {
		srv, err := redistest.StartProcess()
		if err != nil {
			return err
		}
		defer srv.Stop()
		url = srv.URL
	}
	sim := digitaloceantest.NewServer(digitaloceantest.Config{
		Droplets: cfg.Hot, RealTime: true,
		BurstLimit: cfg.Windows[0].Limit, BurstWindow: cfg.Windows[0].Period,
		HourlyLimit: cfg.Windows[1].Limit, HourlyWindow: cfg.Windows[1].Period,
	})
	defer sim.Close()
	var raw [6]byte
	rand.Read(raw[:])
	// One prefix for the three runs: they spend one budget, as the
	// simulator's windows remember every run's requests.
	prefix := "stratus-example:" + hex.EncodeToString(raw[:]) + ":"

	var rows []row
	for _, m := range []mode{noCache, perProcess, shared} {
		r, err := runMode(ctx, cfg, m, sim, url, prefix)
		if err != nil {
			return fmt.Errorf("%s: %w", m, err)
		}
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "fleet: %s run done in %v\n", m, r.took.Round(time.Millisecond))
		}
		rows = append(rows, r)
	}

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "cache\torigin requests\tRedis cmds/read\tnear-hit\t429s\tbudget use\tlocal share\tRedis failures\treads\terrors\ttime\t")
	refused := 0
	for _, r := range rows {
		near := "-"
		if r.lookups > 0 {
			near = fmt.Sprintf("%.1f%%", 100*float64(r.near)/float64(r.lookups))
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%s\t%d\t%.1f%%\t%d\t%d (%d open)\t%d\t%d\t%v\t\n", r.mode, r.origin,
			float64(r.commands)/float64(max(r.reads, 1)), near, r.refused,
			100*float64(r.served)/float64(max(r.capacity, 1)), r.fallbacks, r.failures, r.opened, r.reads, r.errors, r.took.Round(time.Millisecond))
		refused += r.refused
	}
	tw.Flush()
	fmt.Fprintln(out, "budget use: requests served / what the windows allowed during the run;")
	fmt.Fprintln(out, "local share: reads admitted by a worker's local share of the budget (Redis unreachable);")
	fmt.Fprintln(out, "Redis failures: calls that failed or missed their deadline (times a worker's breaker opened)")
	for _, r := range rows {
		if r.firstError != "" {
			fmt.Fprintf(out, "%s: first error: %s\n", r.mode, r.firstError)
		}
	}
	fmt.Fprintf(out, "fleet: %d workers, %d reads, %d hot: shared %d, per-process %d, no cache %d origin requests; refused %d\n",
		cfg.Workers, cfg.Reads, cfg.Hot, rows[2].origin, rows[1].origin, rows[0].origin, refused)
	return nil
}

// runMode runs the workers once, all starting together.
func runMode(ctx context.Context, cfg config, m mode, sim *digitaloceantest.Server, url, prefix string) (row, error) {
	sim.ResetRequests()
	refused0 := sim.Refused()
	ids := sim.DropletIDs()
	type proc struct {
		cmd  *exec.Cmd
		in   io.WriteCloser
		res  workerResult
		got  bool
		err  error
		done chan struct{}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	procs := make([]*proc, cfg.Workers)
	var ready sync.WaitGroup
	for i := range procs {
		reads := cfg.Reads / cfg.Workers
		if i < cfg.Reads%cfg.Workers {
			reads++
		}
		setup, err := json.Marshal(workerSetup{Index: i, Reads: reads, Mode: m, SimURL: sim.URL(), Token: sim.Token(),
			RedisURL: url, Prefix: prefix, IDs: ids, Windows: cfg.Windows, Slack: cfg.Slack, CallTimeout: cfg.CallTimeout})
		if err != nil {
			return row{}, err
		}
		p := &proc{cmd: exec.CommandContext(ctx, cfg.Exe), done: make(chan struct{})}
		p.cmd.Env = append(os.Environ(), workerEnv+"="+string(setup))
		p.cmd.Stderr = os.Stderr
		stdout, err := p.cmd.StdoutPipe()
		if err != nil {
			return row{}, err
		}
		if p.in, err = p.cmd.StdinPipe(); err != nil {
			return row{}, err
		}
		if err := p.cmd.Start(); err != nil {
			return row{}, err
		}
		procs[i] = p
		ready.Add(1)
		go func() {
			defer close(p.done)
			signalled := false
			sc := bufio.NewScanner(stdout)
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				line := sc.Text()
				if line == readyLine && !signalled {
					signalled = true
					ready.Done()
				}
				if r, ok := strings.CutPrefix(line, resultMark); ok {
					p.err = json.Unmarshal([]byte(r), &p.res)
					p.got = p.err == nil
				}
			}
			if !signalled {
				ready.Done()
			}
			if err := p.cmd.Wait(); err != nil && p.err == nil {
				p.err = fmt.Errorf("worker %d: %w", i, err)
			}
		}()
	}
	ready.Wait()
	start := time.Now()
	for _, p := range procs {
		fmt.Fprintln(p.in, "go")
		p.in.Close()
	}
	r := row{mode: m}
	for i, p := range procs {
		<-p.done
		if p.err != nil {
			return r, p.err
		}
		if !p.got {
			return r, fmt.Errorf("worker %d reported nothing", i)
		}
		r.reads += p.res.Reads
		r.errors += p.res.Errors
		if r.firstError == "" {
			r.firstError = p.res.FirstError
		}
		r.commands += p.res.Fleet.Commands
		r.near += p.res.Fleet.NearHits
		r.lookups += p.res.Fleet.NearHits + p.res.Fleet.RedisHits + p.res.Fleet.Misses
		r.fallbacks += p.res.Budget.Fallbacks
		r.failures += p.res.Fleet.Failures
		r.opened += p.res.Fleet.BreakerOpened
		r.budgetWait += int64(p.res.Budget.Wait)
	}
	r.took = time.Since(start)
	// The workers' warm-up reads are not the run's.
	r.origin = sim.Requests() - sim.RequestsTo("GET", "/v2/account")
	r.refused = sim.Refused() - refused0
	r.served = r.origin - r.refused
	r.capacity = fleet.Capacity(cfg.Windows, r.took)
	return r, nil
}

// workerMain is one worker process: it connects, says it is ready, waits
// for the start, reads its share and reports.
func workerMain(in io.Reader, out io.Writer) int {
	var s workerSetup
	if err := json.Unmarshal([]byte(os.Getenv(workerEnv)), &s); err != nil {
		fmt.Fprintln(os.Stderr, "fleet worker: bad setup:", err)
		return 2
	}
	res, err := work(context.Background(), s, in, out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleet worker:", err)
		return 1
	}
	b, err := json.Marshal(res)
	if err != nil {
		return 1
	}
	fmt.Fprintln(out, resultMark+string(b))
	return 0
}

func work(ctx context.Context, s workerSetup, in io.Reader, out io.Writer) (workerResult, error) {
	var res workerResult
	if len(s.IDs) == 0 {
		return res, errors.New("no droplet to read")
	}
	f, err := fleet.New(ctx, fleet.Options{URL: s.RedisURL, Prefix: s.Prefix, Local: stratus.NewMemoryCache(time.Minute), Slack: s.Slack, CallTimeout: s.CallTimeout})
	if err != nil {
		return res, err
	}
	defer f.Close()
	opts := []stratus.Option{stratus.WithBaseURL(s.SimURL), stratus.WithRateWindows(s.Windows...), stratus.WithFleet(f)}
	switch s.Mode {
	case noCache:
		opts = append(opts, stratus.WithoutCache())
	case perProcess:
		opts = append(opts, stratus.WithCache(stratus.NewMemoryCache(time.Minute)))
	}
	c, err := do.New(append([]stratus.Option{do.Token(s.Token)}, opts...)...)
	if err != nil {
		return res, err
	}
	// One read before the start opens the connections to Redis and loads
	// the budget's script, so that the run does not measure twenty
	// processes connecting at once; the counts below leave it out.
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	err = do.Account(c).Load(wctx)
	cancel()
	if err != nil {
		return res, fmt.Errorf("warm-up read: %w", err)
	}
	fleet0, budget0 := f.Stats(), f.BudgetStats()
	fmt.Fprintln(out, readyLine)
	if _, err := bufio.NewReader(in).ReadString('\n'); err != nil {
		return res, fmt.Errorf("no start signal: %w", err)
	}
	// Each worker walks the hot set in its own order (7 is prime to any
	// hot-set size that is a multiple of 2 and 5 only; others repeat
	// some droplets, which changes nothing here).
	var (
		next atomic.Int64
		mu   sync.Mutex
		wg   sync.WaitGroup
	)
	for range readersEach {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= s.Reads {
					return
				}
				id := s.IDs[(i*7+s.Index*31)%len(s.IDs)]
				rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
				err := do.Droplet(c, id).Load(rctx)
				cancel()
				mu.Lock()
				res.Reads++
				if err != nil {
					res.Errors++
					if res.FirstError == "" {
						res.FirstError = err.Error()
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fs, bs := f.Stats(), f.BudgetStats()
	res.Fleet = fleet.Stats{
		NearHits: fs.NearHits - fleet0.NearHits, RedisHits: fs.RedisHits - fleet0.RedisHits,
		Misses: fs.Misses - fleet0.Misses, Commands: fs.Commands - fleet0.Commands,
		Failures: fs.Failures - fleet0.Failures, BreakerOpened: fs.BreakerOpened - fleet0.BreakerOpened,
	}
	res.Budget = fleet.BudgetStats{
		Admitted: bs.Admitted - budget0.Admitted, Waited: bs.Waited - budget0.Waited, Wait: bs.Wait - budget0.Wait,
		Refused: bs.Refused - budget0.Refused, Fallbacks: bs.Fallbacks - budget0.Fallbacks, Workers: bs.Workers,
	}
	return res, nil
}
