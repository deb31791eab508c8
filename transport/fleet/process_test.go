package fleet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stratus-cloud/stratus/transport/fleet/redistest"
)

// The fleet test re-runs this test binary as worker processes
// (TestHelperCacheWorker) that read droplets from one DigitalOcean
// simulator served by the parent, through three clients each: no cache,
// a cache of the process's own, and the fleet's shared cache. The parent
// speaks to each worker over its stdin and stdout, one JSON line a
// command.

const (
	workerEnv     = "STRATUS_FLEETCACHE_WORKER"
	workerMark    = "fleetcache-worker: "
	fleetWorkers  = 20
	fleetReads    = 1000
	fleetDroplets = 200
	// readDeadline bounds each read of a worker; readSlack is what a
	// loaded machine may add before a read counts as late. Reads take
	// milliseconds; both are wide because twenty race-detector processes
	// on two shared cores can stall an origin request for seconds, and
	// what the outage must not cause is a read that hangs.
	readDeadline = 10 * time.Second
	readSlack    = 2 * time.Second
	// workerCallTimeout is the workers' Redis call deadline: the default
	// (100 ms) is meant for a Redis next door, not for twenty
	// race-detector processes on two busy cores, where a call that times
	// out costs an origin request the counts below would blame on the
	// cache. A killed Redis fails calls at once whatever the deadline.
	workerCallTimeout = 2 * time.Second
	// workerLeaseTTL: likewise, an origin request stalled past the
	// default lease (2 s) would let the waiters fetch too.
	workerLeaseTTL = 5 * time.Second
	// noCacheShare: the no-cache run reads a twentieth as much (every read is
	// a request; 20,000 of them would take half a minute under the race
	// detector), and its count is scaled up in the log.
	noCacheShare = 20
)

type workerCmd struct {
	Op   string // read, loop, stop, rename, name, gen, waitgen, avail
	Mode string // none, local, shared
	N    int
	ID   int
	Name string
}

type workerReply struct {
	Reads, Errors, Late int
	FirstError          string
	Name                string
	Gen                 uint64
	Avail               bool
	Stats               Stats
}

// TestHelperCacheWorker is a worker process of TestFleetOfProcesses; run
// by itself (no worker variable set) it does nothing.
func TestHelperCacheWorker(t *testing.T) {
	if os.Getenv(workerEnv) != "1" {
		return
	}
	err := runWorker(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(2)
	}
	os.Exit(0)
}

type worker struct {
	clients map[string]*stratus.Client
	fleet   *Fleet
	ids     []int
	rng     *rand.Rand
	loop    struct {
		stop chan struct{}
		done chan workerReply
	}
}

func runWorker(in io.Reader, out io.Writer) error {
	ids := []int{}
	for _, s := range strings.Split(os.Getenv("FC_IDS"), ",") {
		id, err := strconv.Atoi(s)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	seed, _ := strconv.Atoi(os.Getenv("FC_WORKER"))
	ctx := context.Background()
	f, err := New(ctx, Options{URL: os.Getenv("FC_REDIS"), Prefix: os.Getenv("FC_PREFIX"),
		Local: stratus.NewMemoryCache(time.Minute), CallTimeout: workerCallTimeout, LeaseTTL: workerLeaseTTL})
	if err != nil {
		return err
	}
	defer f.Close()
	w := &worker{clients: map[string]*stratus.Client{}, fleet: f, ids: ids, rng: rand.New(rand.NewPCG(uint64(seed), 7))}
	common := []stratus.Option{
		digitalocean.Token(os.Getenv("FC_TOKEN")),
		stratus.WithBaseURL(os.Getenv("FC_SIM")),
		stratus.WithRateWindows(), // the simulator's limits are the test's business
		stratus.WithCacheTTL(10 * time.Minute),
	}
	for mode, opt := range map[string]stratus.Option{
		"none":   stratus.WithoutCache(),
		"local":  stratus.WithCache(stratus.NewMemoryCache(time.Minute)),
		"shared": stratus.WithFleet(f),
	} {
		c, err := digitalocean.New(append(common, opt)...)
		if err != nil {
			return err
		}
		w.clients[mode] = c
	}
	sc := bufio.NewScanner(in)
	reply := func(r workerReply) error {
		r.Stats = f.Stats()
		b, _ := json.Marshal(r)
		_, err := fmt.Fprintf(out, "%s%s\n", workerMark, b)
		return err
	}
	for sc.Scan() {
		var cmd workerCmd
		if err := json.Unmarshal(sc.Bytes(), &cmd); err != nil {
			return err
		}
		var r workerReply
		switch cmd.Op {
		case "read":
			r = w.read(cmd.Mode, cmd.N)
		case "loop":
			w.startLoop()
		case "stop":
			close(w.loop.stop)
			r = <-w.loop.done
		case "rename":
			if _, err := digitalocean.Droplet(w.clients["shared"], cmd.ID).Rename(ctx, cmd.Name); err != nil {
				r.Errors, r.FirstError = 1, err.Error()
			}
		case "waitgen":
			// Look until the generation is at least N, for at most 2 s.
			for deadline := time.Now().Add(2 * time.Second); ; r.Reads++ {
				r.Gen, _ = f.Cache().Generation(ctx, w.clients["shared"].Account())
				if r.Gen >= uint64(cmd.N) || time.Now().After(deadline) {
					break
				}
				time.Sleep(time.Millisecond)
			}
		case "name":
			d := digitalocean.Droplet(w.clients["shared"], cmd.ID)
			if err := d.Load(ctx); err != nil {
				r.Errors, r.FirstError = 1, err.Error()
			}
			r.Name = d.Name()
		case "gen":
			r.Gen, _ = f.Cache().Generation(ctx, w.clients["shared"].Account())
		case "avail":
			g, err := f.Cache().Generation(ctx, w.clients["shared"].Account())
			r.Avail = err == nil && g&fallbackBit == 0
		default:
			return fmt.Errorf("unknown command %q", cmd.Op)
		}
		if err := reply(r); err != nil {
			return err
		}
	}
	return sc.Err()
}

// readOne loads one droplet through a fresh handle.
func (w *worker) readOne(c *stratus.Client, id int, r *workerReply, mu *sync.Mutex) {
	ctx, cancel := context.WithTimeout(context.Background(), readDeadline)
	defer cancel()
	start := time.Now()
	d := digitalocean.Droplet(c, id)
	err := d.Load(ctx)
	took := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	r.Reads++
	if err == nil && d.Name() == "" {
		err = fmt.Errorf("droplet %d has no name", id)
	}
	if err != nil {
		r.Errors++
		if r.FirstError == "" {
			r.FirstError = err.Error()
		}
	}
	if took > readDeadline+readSlack {
		r.Late++
	}
}

// read does n reads of the hot droplets, four at a time, in an order of
// the worker's own.
func (w *worker) read(mode string, n int) workerReply {
	c := w.clients[mode]
	// Every droplet the same number of times, in an order of the
	// worker's own.
	order := make([]int, n)
	for i := range order {
		order[i] = w.ids[i%len(w.ids)]
	}
	w.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	var (
		r    workerReply
		mu   sync.Mutex
		next atomic.Int64
		wg   sync.WaitGroup
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				w.readOne(c, order[i], &r, &mu)
			}
		}()
	}
	wg.Wait()
	return r
}

// startLoop reads through the shared client until stop, two at a time,
// pausing a millisecond between reads.
func (w *worker) startLoop() {
	w.loop.stop = make(chan struct{})
	w.loop.done = make(chan workerReply, 1)
	c := w.clients["shared"]
	go func() {
		var (
			r  workerReply
			mu sync.Mutex
			wg sync.WaitGroup
		)
		for g := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(g), uint64(len(w.ids))))
				for {
					select {
					case <-w.loop.stop:
						return
					default:
					}
					w.readOne(c, w.ids[rng.IntN(len(w.ids))], &r, &mu)
					time.Sleep(time.Millisecond)
				}
			}()
		}
		wg.Wait()
		w.loop.done <- r
	}()
}

// proc is the parent's end of one worker.
type proc struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Scanner
	stderr bytes.Buffer
}

func (p *proc) do(c workerCmd) (workerReply, error) {
	b, _ := json.Marshal(c)
	if _, err := p.in.Write(append(b, '\n')); err != nil {
		return workerReply{}, err
	}
	for p.out.Scan() {
		line, ok := strings.CutPrefix(p.out.Text(), workerMark)
		if !ok {
			continue
		}
		var r workerReply
		err := json.Unmarshal([]byte(line), &r)
		return r, err
	}
	return workerReply{}, fmt.Errorf("worker ended: %v; its stderr: %s", p.out.Err(), p.stderr.String())
}

type procs []*proc

// all sends c to every worker at once and gathers the replies.
func (ps procs) all(t *testing.T, c workerCmd) []workerReply {
	t.Helper()
	rs := make([]workerReply, len(ps))
	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs[i], errs[i] = p.do(c)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("worker %d, %s: %v", i, c.Op, err)
		}
	}
	return rs
}

func (ps procs) one(t *testing.T, i int, c workerCmd) workerReply {
	t.Helper()
	r, err := ps[i].do(c)
	if err != nil {
		t.Fatalf("worker %d, %s: %v", i, c.Op, err)
	}
	return r
}

func startWorkers(t *testing.T, n int, env []string) procs {
	t.Helper()
	ps := make(procs, n)
	for i := range ps {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCacheWorker$", "-test.count=1")
		cmd.Env = append(append(os.Environ(), workerEnv+"=1", "FC_WORKER="+strconv.Itoa(i)), env...)
		p := &proc{cmd: cmd}
		cmd.Stderr = &p.stderr
		in, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		p.in, p.out = in, bufio.NewScanner(out)
		p.out.Buffer(make([]byte, 64<<10), 1<<20)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ps[i] = p
	}
	t.Cleanup(func() {
		for _, p := range ps {
			p.in.Close()
		}
		for _, p := range ps {
			done := make(chan struct{})
			go func() { p.cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				p.cmd.Process.Kill()
				<-done
			}
		}
	})
	return ps
}

type sums struct {
	reads, errors, late int
	firstError          string
	s                   Stats
}

func sum(rs []workerReply) sums {
	var x sums
	for _, r := range rs {
		x.reads += r.Reads
		x.errors += r.Errors
		x.late += r.Late
		if x.firstError == "" {
			x.firstError = r.FirstError
		}
		x.s.NearHits += r.Stats.NearHits
		x.s.RedisHits += r.Stats.RedisHits
		x.s.LocalHits += r.Stats.LocalHits
		x.s.Misses += r.Stats.Misses
		x.s.LeaseWaits += r.Stats.LeaseWaits
		x.s.LeaseWaitHits += r.Stats.LeaseWaitHits
		x.s.Stores += r.Stats.Stores
		x.s.Fallbacks += r.Stats.Fallbacks
		x.s.CacheCommands += r.Stats.CacheCommands
		x.s.Failures += r.Stats.Failures
		x.s.BreakerOpened += r.Stats.BreakerOpened
	}
	return x
}

func diff(a, b Stats) Stats {
	return Stats{
		NearHits: a.NearHits - b.NearHits, RedisHits: a.RedisHits - b.RedisHits, LocalHits: a.LocalHits - b.LocalHits, Misses: a.Misses - b.Misses,
		LeaseWaits: a.LeaseWaits - b.LeaseWaits, LeaseWaitHits: a.LeaseWaitHits - b.LeaseWaitHits,
		Stores: a.Stores - b.Stores, Fallbacks: a.Fallbacks - b.Fallbacks, CacheCommands: a.CacheCommands - b.CacheCommands,
		Failures: a.Failures - b.Failures, BreakerOpened: a.BreakerOpened - b.BreakerOpened,
	}
}

func TestFleetOfProcesses(t *testing.T) {
	sim := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: fleetDroplets, HourlyLimit: -1, BurstLimit: -1, Seed: 14})
	defer sim.Close()
	rds := redistest.Start(t) // of its own: this test kills it
	ids := sim.DropletIDs()
	if len(ids) != fleetDroplets {
		t.Fatalf("%d droplets", len(ids))
	}
	idList := make([]string, len(ids))
	for i, id := range ids {
		idList[i] = strconv.Itoa(id)
	}
	start := time.Now()
	ps := startWorkers(t, fleetWorkers, []string{
		"FC_SIM=" + sim.URL(), "FC_TOKEN=" + sim.Token(), "FC_REDIS=" + rds.URL,
		"FC_PREFIX=" + uniquePrefix(t), "FC_IDS=" + strings.Join(idList, ","),
	})
	reads := fleetWorkers * fleetReads

	// 1. The same 20,000 reads with no cache, a cache per process, and
	// the fleet's.
	origin := map[string]int{}
	var shared sums
	for _, mode := range []string{"none", "local", "shared"} {
		sim.ResetRequests()
		t0 := time.Now()
		n, scale := fleetReads, 1
		if mode == "none" {
			n, scale = fleetReads/noCacheShare, noCacheShare
		}
		x := sum(ps.all(t, workerCmd{Op: "read", Mode: mode, N: n}))
		origin[mode] = sim.Requests() * scale
		t.Logf("%-6s %d workers x %d reads of %d droplets: %5d origin requests, %d errors, %v",
			mode, fleetWorkers, n, fleetDroplets, sim.Requests(), x.errors, time.Since(t0).Round(time.Millisecond))
		if x.reads != fleetWorkers*n || x.errors != 0 {
			t.Fatalf("%s: %d reads, %d errors (first: %s)", mode, x.reads, x.errors, x.firstError)
		}
		if mode == "shared" {
			shared = x
		}
	}
	s := shared.s
	t.Logf("shared: %.3f Redis round trips per read; near hits %d (%.1f%%), Redis hits %d, misses %d, lease waits %d (%d served by the leaseholder), stores %d, failures %d",
		float64(s.CacheCommands)/float64(reads), s.NearHits, 100*float64(s.NearHits)/float64(reads), s.RedisHits, s.Misses, s.LeaseWaits, s.LeaseWaitHits, s.Stores, s.Failures)
	// (Without a cache, a client still shares one request among its
	// concurrent identical reads.)
	t.Logf("origin requests for %d reads: no cache %d (%d x %d), per-process %d, shared %d",
		reads, origin["none"], origin["none"]/noCacheShare, noCacheShare, origin["local"], origin["shared"])
	if n := origin["none"]; n < reads*95/100 || n > reads {
		t.Errorf("no cache: %d origin requests (scaled) for %d reads", n, reads)
	}
	if n := origin["local"]; n != fleetWorkers*fleetDroplets {
		t.Errorf("per-process caches: %d origin requests, want about %d", n, fleetWorkers*fleetDroplets)
	}
	if n := origin["shared"]; n > fleetDroplets+10 {
		t.Errorf("shared cache: %d origin requests for %d hot droplets, want <= %d", n, fleetDroplets, fleetDroplets+10)
	}

	// 2. A write by one worker is seen by another, for one request.
	if r := ps.one(t, 0, workerCmd{Op: "rename", ID: ids[0], Name: "renamed-by-worker-0"}); r.Errors != 0 {
		t.Fatalf("rename: %s", r.FirstError)
	}
	sim.CompleteActions()
	// Redis's invalidation of worker 1's near copy of the generation is
	// on its way (it was sent before worker 0's INCR returned); once it
	// has arrived, worker 1's read misses.
	genAfter := ps.one(t, 0, workerCmd{Op: "gen"}).Gen
	w := ps.one(t, 1, workerCmd{Op: "waitgen", N: int(genAfter)})
	if w.Gen != genAfter {
		t.Fatalf("worker 1 reads generation %d, worker 0 wrote %d", w.Gen, genAfter)
	}
	sim.ResetRequests()
	r := ps.one(t, 1, workerCmd{Op: "name", ID: ids[0]})
	t.Logf("after worker 0's write (generation %d, seen by worker 1 after %d extra looks), worker 1 reads %q for %d origin request(s)", genAfter, w.Reads, r.Name, sim.Requests())
	if r.Name != "renamed-by-worker-0" || sim.Requests() != 1 {
		t.Errorf("worker 1 read %q with %d requests; want the new name for 1", r.Name, sim.Requests())
	}
	genBefore := genAfter

	// 3. Redis dies in the middle of reads and comes back. The
	// simulator now refuses beyond 8,000 requests (its clock stands
	// still in a test: the burst window never slides): the fallback
	// caches stay below (200 a worker, 200 more for the writer, and the
	// refill of the empty Redis after its restart: about 4,500
	// measured), while the reads of this phase without a cache would
	// pass it on a machine not slowed by the race detector (about
	// 30,000 reads measured).
	sim.SetRateLimit(-1, 8000)
	refused := sim.Refused()
	sim.ResetRequests()
	before := sum(ps.all(t, workerCmd{Op: "gen"})).s
	ps.all(t, workerCmd{Op: "loop"})
	time.Sleep(500 * time.Millisecond)
	rds.Kill()
	time.Sleep(1500 * time.Millisecond)
	// A write during the outage.
	if r := ps.one(t, 0, workerCmd{Op: "rename", ID: ids[1], Name: "renamed-during-outage"}); r.Errors != 0 {
		t.Fatalf("rename during the outage: %s", r.FirstError)
	}
	sim.CompleteActions()
	time.Sleep(500 * time.Millisecond)
	if err := rds.Restart(); err != nil {
		t.Fatal(err)
	}
	// Every worker shares again within a few breaker cooldowns.
	for polls := 0; ; polls++ {
		back := 0
		for _, r := range ps.all(t, workerCmd{Op: "avail"}) {
			if r.Avail {
				back++
			}
		}
		if back == fleetWorkers {
			break
		}
		if polls > 100 {
			t.Fatalf("%d of %d workers share again after Redis restarted", back, fleetWorkers)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	outage := sum(ps.all(t, workerCmd{Op: "stop"}))
	od := diff(outage.s, before)
	t.Logf("kill and restart: %d reads, %d errors, %d late (> %v), %d refused, %d origin requests; %d local hits, %d fallbacks, %d Redis failures, breakers opened %d times",
		outage.reads, outage.errors, outage.late, readDeadline+readSlack, sim.Refused()-refused, sim.Requests(), od.LocalHits, od.Fallbacks, od.Failures, od.BreakerOpened)
	if outage.errors != 0 || outage.late != 0 {
		t.Errorf("while Redis was down: %d errors, %d late reads (first: %s)", outage.errors, outage.late, outage.firstError)
	}
	if n := sim.Refused() - refused; n != 0 {
		t.Errorf("%d requests refused with 429 while Redis was down", n)
	}
	if od.LocalHits == 0 || od.BreakerOpened < fleetWorkers {
		t.Errorf("the outage was not felt: %+v", od)
	}

	// 4. Generations went forward for everyone: the write of the outage
	// moved it on once Redis was back.
	var gens []uint64
	for polls := 0; ; polls++ {
		gens = gens[:0]
		same := true
		for _, r := range ps.all(t, workerCmd{Op: "gen"}) {
			gens = append(gens, r.Gen)
			same = same && r.Gen == gens[0]
		}
		if same {
			break
		}
		if polls > 50 {
			t.Fatalf("generations after recovery differ: %v", gens)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("generation %d before the outage, %d after", genBefore, gens[0])
	if gens[0] <= genBefore {
		t.Errorf("generation after the outage %d, want more than %d", gens[0], genBefore)
	}
	if r := ps.one(t, 5, workerCmd{Op: "name", ID: ids[1]}); r.Name != "renamed-during-outage" {
		t.Errorf("worker 5 reads %q after recovery", r.Name)
	}

	// 5. The fleet shares again.
	sim.ResetRequests()
	x := sum(ps.all(t, workerCmd{Op: "read", Mode: "shared", N: fleetReads}))
	d := diff(x.s, outage.s)
	t.Logf("after the restart: %d reads, %d origin requests, %d near hits, %d Redis hits, %d fallbacks", x.reads, sim.Requests(), d.NearHits, d.RedisHits, d.Fallbacks)
	if x.errors != 0 || d.NearHits+d.RedisHits == 0 || sim.Requests() > fleetDroplets+10 {
		t.Errorf("after the restart: %d errors, %d shared hits, %d origin requests", x.errors, d.NearHits+d.RedisHits, sim.Requests())
	}

	// 6. Nothing in Redis holds the token.
	rc := raw(t, rds.URL)
	keys, err := rc.Do(context.Background(), rc.B().Keys().Pattern("*").Build()).AsStrSlice()
	if err != nil || len(keys) < fleetDroplets {
		t.Fatalf("%d keys in Redis (%v)", len(keys), err)
	}
	tok := sim.Token()
	for _, k := range keys {
		v, _ := rc.Do(context.Background(), rc.B().Get().Key(k).Build()).ToString()
		if strings.Contains(k, tok) || strings.Contains(v, tok) || strings.Contains(strings.ToLower(v), "bearer") {
			t.Errorf("the token or a credential header is in Redis under %q", k)
		}
	}
	t.Logf("whole fleet test: %v", time.Since(start).Round(time.Millisecond))
}
