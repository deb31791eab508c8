package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/models/enstratus"
	ovh "github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/scope/infrastructure"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

// Scenario 10: every server of three clouds (DigitalOcean, OVH,
// enStratus) in one loop, infrastructure.Servers streaming, beside the
// same clients' listings each collected in turn (what a neutral listing
// did before it streamed: the first item only after the first client's
// whole listing). The row's times are the whole loops; the target reads
// the time to the first item and the time each provider's listing ended
// (the end of its last answer read), measured in the same runs.
const nameStreamServers = "scope servers, 3 clouds"

var streamNames = []string{nameStreamServers}

// sdkInTurn names the other side of the row: no SDK lists three clouds,
// so it is stratus too, one client's whole listing after another.
const sdkInTurn = "in turn"

// streamProviders is the order the clients are given in, and the order
// the timings are printed in.
var streamProviders = []string{"ovh", "enstratus", "digitalocean"}

// streamTiming is what one run of a side saw, from its start.
type streamTiming struct {
	first   time.Duration            // the first item yielded
	from    string                   // the provider of the first item
	ends    map[string]time.Duration // each provider's last answer read
	answers map[string]int           // each provider's answers
}

// streamRuns keeps the timings of every run, by side and latency.
var streamRuns = struct {
	sync.Mutex
	m map[string]map[time.Duration][]streamTiming
}{m: map[string]map[time.Duration][]streamTiming{}}

func recordStream(side string, lat time.Duration, st streamTiming) {
	streamRuns.Lock()
	defer streamRuns.Unlock()
	if streamRuns.m[side] == nil {
		streamRuns.m[side] = map[time.Duration][]streamTiming{}
	}
	streamRuns.m[side][lat] = append(streamRuns.m[side][lat], st)
}

// streamMedian is the median first item and the median end of each
// provider's listing over the runs of a side at a latency.
func streamMedian(side string, lat time.Duration) (streamTiming, int) {
	streamRuns.Lock()
	runs := slices.Clone(streamRuns.m[side][lat])
	streamRuns.Unlock()
	med := func(f func(streamTiming) time.Duration) time.Duration {
		d := make([]time.Duration, len(runs))
		for i, r := range runs {
			d[i] = f(r)
		}
		slices.Sort(d)
		if len(d) == 0 {
			return 0
		}
		return d[len(d)/2]
	}
	out := streamTiming{first: med(func(r streamTiming) time.Duration { return r.first }), ends: map[string]time.Duration{}, answers: map[string]int{}}
	if len(runs) > 0 {
		out.from = runs[len(runs)-1].from
		out.answers = runs[len(runs)-1].answers
	}
	for _, p := range streamProviders {
		out.ends[p] = med(func(r streamTiming) time.Duration { return r.ends[p] })
	}
	return out, len(runs)
}

// clouds is the three simulators as one for the harness: one latency for
// all, requests summed.
type clouds struct {
	do  *digitaloceantest.Server
	ovh *ovhtest.Server
	es  *enstratustest.Server

	mu  sync.Mutex
	lat time.Duration
}

func (cl *clouds) SetLatency(d time.Duration) {
	cl.mu.Lock()
	cl.lat = d
	cl.mu.Unlock()
	cl.do.SetLatency(d)
	cl.ovh.SetLatency(d)
	cl.es.SetLatency(d)
}

func (cl *clouds) latency() time.Duration {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.lat
}

func (cl *clouds) Requests() int {
	return cl.do.Requests() + cl.ovh.Requests() + cl.es.Requests()
}

func (cl *clouds) ResetRequests() {
	cl.do.ResetRequests()
	cl.ovh.ResetRequests()
	cl.es.ResetRequests()
}

func (cl *clouds) Close() {
	cl.do.Close()
	cl.ovh.Close()
	cl.es.Close()
}

// endClock notes when each answer of one provider has been read (its body
// to its end), from the start of a run.
type endClock struct {
	mu      sync.Mutex
	start   time.Time
	last    time.Duration
	answers int
}

func (e *endClock) reset(start time.Time) {
	e.mu.Lock()
	e.start, e.last, e.answers = start, 0, 0
	e.mu.Unlock()
}

func (e *endClock) read() (time.Duration, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.last, e.answers
}

type endTransport struct {
	clock *endClock
	next  http.RoundTripper
}

func (t endTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err == nil {
		resp.Body = &endBody{ReadCloser: resp.Body, clock: t.clock}
	}
	return resp, err
}

type endBody struct {
	io.ReadCloser
	clock *endClock
	once  sync.Once
}

// Read notes the end of the answer when the body ends.
func (b *endBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.ended()
	}
	return n, err
}

// Close notes the end of an answer not read to its end.
func (b *endBody) Close() error {
	b.ended()
	return b.ReadCloser.Close()
}

func (b *endBody) ended() {
	b.once.Do(func() {
		b.clock.mu.Lock()
		b.clock.last = max(b.clock.last, time.Since(b.clock.start))
		b.clock.answers++
		b.clock.mu.Unlock()
	})
}

// streamClients builds a client of each simulator (OVH, enStratus,
// DigitalOcean: the order they are listed in), each reporting when its
// answers end; a non-nil recorder sees every request.
func streamClients(cl *clouds, conc int, rec *recorder) ([]*stratus.Client, map[string]*endClock, error) {
	ends := map[string]*endClock{}
	hc := func(name string) stratus.Option {
		ends[name] = &endClock{}
		var next http.RoundTripper = pooledTransport()
		if rec != nil {
			next = rec.wrap(next)
		}
		return stratus.WithHTTPClient(&http.Client{Transport: endTransport{ends[name], next}})
	}
	common := []stratus.Option{stratus.WithConcurrency(conc), stratus.WithRateWindows()}
	oc, err := ovh.New(append([]stratus.Option{ovh.Credentials(cl.ovh.AppKey(), cl.ovh.AppSecret(), cl.ovh.ConsumerKey()),
		stratus.WithBaseURL(cl.ovh.URL()), hc("ovh")}, common...)...)
	if err != nil {
		return nil, nil, err
	}
	ec, err := enstratus.New(append([]stratus.Option{enstratus.Keys(cl.es.AccessKey(), cl.es.SecretKey()),
		stratus.WithBaseURL(cl.es.URL()), stratus.WithClock(cl.es.Now), hc("enstratus")}, common...)...)
	if err != nil {
		return nil, nil, err
	}
	dc, err := do.New(append([]stratus.Option{do.Token(cl.do.Token()), stratus.WithBaseURL(cl.do.URL()), hc("digitalocean")}, common...)...)
	if err != nil {
		return nil, nil, err
	}
	return []*stratus.Client{oc, ec, dc}, ends, nil
}

// streamSide is one side of the scenario: list runs the loop, calling
// got for each server read.
func streamSide(name string, cl *clouds, conc int, list func(ctx context.Context, clients []*stratus.Client, got func(infrastructure.ServerHandle)) error) side {
	return side{name: name, prepare: func(rec *recorder) (runFunc, error) {
		clients, ends, err := streamClients(cl, conc, rec)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (tally, error) {
			start := time.Now()
			for _, e := range ends {
				e.reset(start)
			}
			var t tally
			var first time.Duration
			var from string
			err := list(ctx, clients, func(s infrastructure.ServerHandle) {
				if t.items == 0 {
					first, from = time.Since(start), s.Provider()
				}
				t.add(int64(len(s.Provider()) + len(s.Name()) + len(s.State())))
			})
			if err == nil && rec == nil {
				st := streamTiming{first: first, from: from, ends: map[string]time.Duration{}, answers: map[string]int{}}
				for p, e := range ends {
					st.ends[p], st.answers[p] = e.read()
				}
				recordStream(name, cl.latency(), st)
			}
			return t, err
		}, nil
	}}
}

// streamServersScenario: DigitalOcean's droplets take several pages
// (10,000: 50 pages of 200); OVH reads its server clock, lists its
// dedicated servers in one bulk page and its instances per project;
// enStratus answers its whole list at once (it has no pages), so its
// listing ends with its one answer: with 10,000 servers that answer is
// longer to send than DigitalOcean's first page.
func streamServersScenario(sz sizes, conc int) *scenario {
	cl := &clouds{
		do:  digitaloceantest.NewServer(digitaloceantest.Config{Droplets: sz.List, RealTime: true, HourlyLimit: -1, BurstLimit: -1}),
		ovh: ovhtest.NewServer(ovhtest.Config{DedicatedServers: sz.Servers, Projects: 2, Instances: 10, Bills: -1, RateLimit: -1}),
		es:  enstratustest.NewServer(enstratustest.Config{Servers: sz.List, Clock: enstratustest.ClockReal}),
	}
	items := sz.List + sz.Servers + 2*10 + sz.List
	return &scenario{
		sdk: sdkInTurn, items: items, srv: cl, fix: func(*http.Request) {},
		note: fmt.Sprintf("%s: %d droplets, %d OVH dedicated servers and 20 instances (2 projects), %d enStratus servers; ours streams infrastructure.Servers(ctx, ovh, enstratus, digitalocean), \"in turn\" collects each client's listing before the next (the first item after OVH's whole listing)",
			nameStreamServers, sz.List, sz.Servers, sz.List),
		ours: []side{streamSide(nameStreamServers, cl, conc, func(ctx context.Context, clients []*stratus.Client, got func(infrastructure.ServerHandle)) error {
			for s, err := range infrastructure.Servers(ctx, clients...) {
				if err != nil {
					return err
				}
				got(s)
			}
			return nil
		})},
		theirs: streamSide(sdkInTurn, cl, conc, func(ctx context.Context, clients []*stratus.Client, got func(infrastructure.ServerHandle)) error {
			for _, c := range clients {
				var all []infrastructure.ServerHandle
				for s, err := range infrastructure.Servers(ctx, c) {
					if err != nil {
						return err
					}
					all = append(all, s)
				}
				for _, s := range all {
					got(s)
				}
			}
			return nil
		}),
	}
}

// streamTargets: at the target latency, the first server came before
// the end of every listing that took more than one answer. A listing of
// one answer (enStratus has no pages: its list is one answer) ends with
// that answer, before any of its items can be read; it is shown, and
// counted in the detail line, but no client could yield before it.
func streamTargets(rep *report) []target {
	const goal = "first item before any provider's listing has ended"
	r := rep.find(nameStreamServers, targetLatency)
	if r == nil {
		what := " (not run)"
		if len(rep.rowsNamed(nameStreamServers)) > 0 {
			what = " (not measured at " + fmtLatency(targetLatency) + ")"
		}
		return []target{{na: true, text: nameStreamServers + ": " + goal + what}}
	}
	ours, n := streamMedian(nameStreamServers, targetLatency)
	theirs, _ := streamMedian(sdkInTurn, targetLatency)
	if n == 0 {
		return []target{{na: true, text: nameStreamServers + ": " + goal + " (no timing recorded)"}}
	}
	var parts []string
	ok, paged, literal := ours.first > 0, 0, ours.first > 0
	for _, p := range streamProviders {
		end, answers := ours.ends[p], ours.answers[p]
		parts = append(parts, fmt.Sprintf("%s %s (%d answers)", p, fmtDur(end), answers))
		literal = literal && ours.first < end
		if answers > 1 {
			paged++
			ok = ok && ours.first < end
		}
	}
	t := target{ok: ok && paged > 0,
		text: fmt.Sprintf("%s at %s: first item (%s) after %s, before the end of every listing of several answers; listings ended: %s",
			r.Name, fmtLatency(r.Latency), ours.from, fmtDur(ours.first), strings.Join(parts, ", "))}
	yes := map[bool]string{true: "yes", false: "no"}
	t.detail = append(t.detail,
		fmt.Sprintf("before every listing's end, one-answer listings included: %s", yes[literal]),
		fmt.Sprintf("the whole loop: ours %s, in turn %s; in turn the first item came after %s (medians of %d runs)",
			fmtDur(medianWall(r.Ours)), fmtDur(medianWall(r.Theirs)), fmtDur(theirs.first), n))
	return []target{t}
}
