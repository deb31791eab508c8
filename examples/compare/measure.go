package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"sync"
	"time"
)

// config is one comparison run.
type config struct {
	Rounds      int
	Latencies   []time.Duration
	Sizes       sizes
	Concurrency int
	Run         *regexp.Regexp // nil: every scenario
	Baseline    bool           // measure the bare replays (allocation table)
	Progress    io.Writer      // one line per run; nil for none
}

func (cfg config) selected(name string) bool { return cfg.Run == nil || cfg.Run.MatchString(name) }

// runTimeout bounds one run, so that a stuck client fails the run instead
// of hanging the program.
const runTimeout = 10 * time.Minute

// measurement is one run of one side.
type measurement struct {
	wall     time.Duration
	mallocs  uint64 // heap allocations during the run, the simulator's included
	requests int    // requests the simulator received
	t        tally
}

// row is one scenario at one latency: the stratus runs of one variant and
// the SDK's runs.
type row struct {
	Name    string
	SDK     string
	Latency time.Duration
	Items   int
	Ours    []measurement
	Theirs  []measurement
	Err     error
}

// allocRow is the allocation table's line for one row name.
type allocRow struct {
	Name    string
	SDK     string
	Items   int
	Latency time.Duration // of the raw counts
	// Per item: the raw counts (median of the rows' runs) and the bare
	// replay of the same side's requests; NaN when not measured.
	OursRaw, TheirsRaw       float64
	OursReplay, TheirsReplay float64
	Err                      error
}

// report is everything measured.
type report struct {
	cfg    config
	Rows   []*row
	Allocs []*allocRow
	Notes  []string
}

// run builds the scenarios one at a time, measures them and returns the
// report; the error joins every failed run.
func run(ctx context.Context, cfg config) (*report, error) {
	rep := &report{cfg: cfg}
	var errs []error
	for i, build := range builders(cfg.Sizes, cfg.Concurrency) {
		if !slices.ContainsFunc(rowNames[i], cfg.selected) {
			continue
		}
		sc := build()
		errs = append(errs, rep.scenario(ctx, sc))
		sc.srv.Close()
	}
	return rep, errors.Join(errs...)
}

func (rep *report) progress(format string, args ...any) {
	if rep.cfg.Progress != nil {
		fmt.Fprintf(rep.cfg.Progress, format+"\n", args...)
	}
}

// scenario measures one scenario at every latency, then its allocation
// baseline.
func (rep *report) scenario(ctx context.Context, sc *scenario) error {
	var ours []side
	for _, o := range sc.ours {
		if rep.cfg.selected(o.name) {
			ours = append(ours, o)
		}
	}
	v := verifier{items: sc.items}
	var errs []error
	fail := func(r *row, what string, err error) {
		err = fmt.Errorf("%s at %s, %s: %w", r.Name, fmtLatency(r.Latency), what, err)
		if r.Err == nil {
			r.Err = err
		}
		errs = append(errs, err)
	}
	// One unmeasured run of each side first, without latency: connections,
	// lazily built tables and the heap's growth are paid before the clock
	// starts, so that a single round (-quick) is not a cold start.
	sc.srv.SetLatency(0)
	for _, s := range append(slices.Clip(ours), sc.theirs) {
		if len(ours) == 0 {
			break
		}
		rep.progress("%-24s %6s  warm-up  %s", ours[0].name, fmtLatency(0), s.name)
		m, err := measure(ctx, sc.srv, s)
		if err == nil {
			err = v.check(m.t)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s, warm-up of %s: %w", ours[0].name, s.name, err))
		}
	}
	var lowest []*row // the rows at the first latency, for the allocation table
	for li, lat := range rep.cfg.Latencies {
		sc.srv.SetLatency(lat)
		rows := make([]*row, len(ours))
		for i, o := range ours {
			rows[i] = &row{Name: o.name, SDK: sc.sdk, Latency: lat, Items: sc.items}
			rep.Rows = append(rep.Rows, rows[i])
		}
		if li == 0 {
			lowest = rows
		}
		var theirs []measurement
		for round := 1; round <= rep.cfg.Rounds; round++ {
			for i, o := range ours {
				rep.progress("%-24s %6s  round %d/%d  stratus", o.name, fmtLatency(lat), round, rep.cfg.Rounds)
				m, err := measure(ctx, sc.srv, o)
				if err == nil {
					err = v.check(m.t)
				}
				if err != nil {
					fail(rows[i], fmt.Sprintf("stratus round %d", round), err)
				} else {
					rows[i].Ours = append(rows[i].Ours, m)
				}
				if i > 0 {
					continue
				}
				rep.progress("%-24s %6s  round %d/%d  %s", o.name, fmtLatency(lat), round, rep.cfg.Rounds, sc.sdk)
				m, err = measure(ctx, sc.srv, sc.theirs)
				if err == nil {
					err = v.check(m.t)
				}
				if err != nil {
					for _, r := range rows {
						fail(r, fmt.Sprintf("%s round %d", sc.sdk, round), err)
					}
				} else {
					theirs = append(theirs, m)
				}
			}
		}
		for _, r := range rows {
			r.Theirs = theirs
		}
	}
	if len(ours) > 0 && sc.note != "" {
		rep.Notes = append(rep.Notes, sc.note)
	}
	sc.srv.SetLatency(0)
	if sc.noAllocs {
		lowest = nil
	}
	for _, r := range lowest {
		a := &allocRow{Name: r.Name, SDK: r.SDK, Items: r.Items, Latency: r.Latency,
			OursRaw: perItem(medianMallocs(r.Ours), r.Items), TheirsRaw: perItem(medianMallocs(r.Theirs), r.Items),
			OursReplay: nan, TheirsReplay: nan}
		rep.Allocs = append(rep.Allocs, a)
		if !rep.cfg.Baseline || sc.noBaseline {
			continue
		}
		o := ours[slices.IndexFunc(ours, func(s side) bool { return s.name == r.Name })]
		rep.progress("%-24s %6s  bare replay of the requests", r.Name, fmtLatency(0))
		var err error
		if a.OursReplay, err = baseline(ctx, sc, o, &v); err != nil {
			a.Err = fmt.Errorf("stratus: %w", err)
		} else if a.TheirsReplay, err = baseline(ctx, sc, sc.theirs, &v); err != nil {
			a.Err = fmt.Errorf("%s: %w", sc.sdk, err)
		}
		if a.Err != nil {
			a.OursReplay, a.TheirsReplay = nan, nan
			errs = append(errs, fmt.Errorf("%s, allocation baseline: %w", r.Name, a.Err))
		}
	}
	return errors.Join(errs...)
}

// verifier checks that every run of a scenario, on either side, read the
// expected number of items and the same values.
type verifier struct {
	items int
	sum   int64 // the first run's checksum
	seen  bool
}

func (v *verifier) check(t tally) error {
	if t.items != v.items {
		return fmt.Errorf("read %d items, want %d", t.items, v.items)
	}
	if !v.seen {
		v.sum, v.seen = t.check, true
		return nil
	}
	if t.check != v.sum {
		return fmt.Errorf("checksum of the values read is %d, another run read %d", t.check, v.sum)
	}
	return nil
}

// measure builds a fresh client for one side, then runs it once and
// measures the run alone.
func measure(ctx context.Context, srv simulator, s side) (measurement, error) {
	if s.before != nil {
		s.before()
	}
	freshProcess()
	runFn, err := s.prepare(nil)
	if err != nil {
		return measurement{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	runtime.GC()
	srv.ResetRequests()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	t, err := runFn(ctx)
	wall := time.Since(start)
	runtime.ReadMemStats(&after)
	return measurement{wall: wall, mallocs: after.Mallocs - before.Mallocs, requests: srv.Requests(), t: t}, err
}

// baseline runs a side once with a recorder below its HTTP client, then
// replays the recorded requests with a bare net/http client and returns the
// replay's allocations per item: the simulator's work for those requests
// plus the least a Go client must allocate to send them. The replay is
// repeated three times; the median counts.
func baseline(ctx context.Context, sc *scenario, s side, v *verifier) (float64, error) {
	if s.before != nil {
		s.before()
	}
	rec := &recorder{}
	freshProcess()
	runFn, err := s.prepare(rec)
	if err != nil {
		return nan, err
	}
	rctx, cancel := context.WithTimeout(ctx, runTimeout)
	t, err := runFn(rctx)
	cancel()
	if err == nil {
		err = v.check(t)
	}
	if err != nil {
		return nan, fmt.Errorf("recording run: %w", err)
	}
	if len(rec.reqs) == 0 {
		return 0, nil
	}
	var counts []uint64
	for range 3 {
		n, err := replay(ctx, rec.reqs, sc.fix)
		if err != nil {
			return nan, fmt.Errorf("replay: %w", err)
		}
		counts = append(counts, n)
	}
	slices.Sort(counts)
	return perItem(counts[1], sc.items), nil
}

// recorder keeps the requests an HTTP client sends.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	method, url string
	header      http.Header
}

// wrap returns a transport that records each request, then sends it
// through next.
func (r *recorder) wrap(next http.RoundTripper) http.RoundTripper {
	return recordingTransport{r, next}
}

type recordingTransport struct {
	rec  *recorder
	next http.RoundTripper
}

func (t recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		return nil, errors.New("recorder: requests with a body cannot be replayed")
	}
	t.rec.mu.Lock()
	t.rec.reqs = append(t.rec.reqs, recorded{req.Method, req.URL.String(), req.Header.Clone()})
	t.rec.mu.Unlock()
	return t.next.RoundTrip(req)
}

// pooledTransport is a transport pooled like the library's default one.
func pooledTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	return t
}

// replay sends the recorded requests one after the other with a bare
// client (requests built beforehand, connection warmed, bodies discarded)
// and returns the heap allocations of the sending.
func replay(ctx context.Context, reqs []recorded, fix func(*http.Request)) (uint64, error) {
	tr := pooledTransport()
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	built := make([]*http.Request, len(reqs))
	for i, r := range reqs {
		req, err := http.NewRequestWithContext(ctx, r.method, r.url, nil)
		if err != nil {
			return 0, err
		}
		req.Header = r.header.Clone()
		fix(req)
		built[i] = req
	}
	send := func(req *http.Request) error {
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode/100 != 2 {
			err = fmt.Errorf("%s %s: status %s", req.Method, req.URL.Path, resp.Status)
		}
		return err
	}
	if err := send(built[0]); err != nil {
		return 0, err
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, req := range built {
		if err := send(req); err != nil {
			return 0, err
		}
	}
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs, nil
}
