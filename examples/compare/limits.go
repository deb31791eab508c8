package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/digitalocean/godo"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
)

// The rows run with the simulator's rate limits on: the API's budgets
// (250 requests a burst window, 5,000 an hourly one), on windows sixty
// times shorter (1 s and 1 min) so that a run spends them in seconds, not
// minutes. stratus is told the same windows (WithRateWindows); godo learns
// them from the 429s, as against the real API. Each run gets a token of
// its own, so that every run starts with the whole budget.
const (
	nameLimitList   = "do list, limits on"
	nameDefaultList = "do list, defaults, limits on"
	nameWait        = "do wait actions, limits on"

	limitScale  = 60
	burstWindow = time.Minute / limitScale
	hourWindow  = time.Hour / limitScale
	waitPoll    = 250 * time.Millisecond // both sides poll this often
	actionTime  = time.Second            // how long a simulated action runs
)

var limitNames = []string{nameLimitList, nameDefaultList, nameWait}

// limitServer is a DigitalOcean simulator with its default limits on, on
// the short windows, and enough tokens for one per run; a second set of
// tokens serves the bare replays (replayFix).
func limitServer(droplets int) (*digitaloceantest.Server, func() string) {
	toks := make([]string, 2*replayTokens)
	for i := range toks {
		toks[i] = fmt.Sprintf("dop_v1_%064d", i+1)
	}
	srv := digitaloceantest.NewServer(digitaloceantest.Config{
		Droplets: droplets, RealTime: true, Tokens: toks,
		BurstWindow: burstWindow, HourlyWindow: hourWindow, ActionDuration: actionTime,
	})
	var next atomic.Int64
	return srv, func() string { return toks[int(next.Add(1))%replayTokens] }
}

// replayTokens is the size of each set of limitServer's tokens.
const replayTokens = 256

// replayFix gives each replayed request of a limits-on row a token of the
// replay set, in turn: the bare replay measures allocations, and three
// replays of a recorded listing on the recording's own token would spend
// its windows and meet 429s (500 requests against a burst of 250).
func replayFix() func(*http.Request) {
	var next atomic.Int64
	return func(r *http.Request) {
		i := replayTokens + int(next.Add(1))%replayTokens
		r.Header.Set("Authorization", fmt.Sprintf("Bearer dop_v1_%064d", i+1))
	}
}

var shortWindows = []transport.Window{{Limit: 250, Period: burstWindow}, {Limit: 5000, Period: hourWindow}}

// limitStratus builds a stratus client on a fresh token; conc 0 keeps the
// library's default concurrency.
func limitStratus(srv *digitaloceantest.Server, tok string, conc int, rec *recorder) (*stratus.Client, error) {
	opts := []stratus.Option{do.Token(tok), stratus.WithBaseURL(srv.URL()), stratus.WithRateWindows(shortWindows...)}
	if conc > 0 {
		opts = append(opts, stratus.WithConcurrency(conc))
	}
	if rec != nil {
		opts = append(opts, stratus.WithHTTPClient(&http.Client{Transport: rec.wrap(pooledTransport())}))
	}
	return do.New(opts...)
}

func limitGodo(srv *digitaloceantest.Server, tok string, rec *recorder) (*godo.Client, error) {
	c := godo.NewFromToken(tok)
	u, err := c.BaseURL.Parse(srv.URL() + "/")
	if err != nil {
		return nil, err
	}
	c.BaseURL = u
	if rec != nil {
		c.HTTPClient.Transport = rec.wrap(c.HTTPClient.Transport)
	}
	return c, nil
}

func limitStratusSide(name string, srv *digitaloceantest.Server, token func() string, conc int, work func(context.Context, *stratus.Client) (tally, error)) side {
	return side{name: name, prepare: func(rec *recorder) (runFunc, error) {
		c, err := limitStratus(srv, token(), conc, rec)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (tally, error) { return work(ctx, c) }, nil
	}}
}

func limitGodoSide(srv *digitaloceantest.Server, token func() string, work func(context.Context, *godo.Client) (tally, error)) side {
	return side{name: "godo", prepare: func(rec *recorder) (runFunc, error) {
		c, err := limitGodo(srv, token(), rec)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (tally, error) { return work(ctx, c) }, nil
	}}
}

// Scenario 7: a listing that needs more than one burst window (100,000
// droplets at 200 a page: 500 requests), stratus at -concurrency.
func limitListScenario(n, conc int) *scenario {
	srv, tok := limitServer(n)
	return &scenario{
		sdk: "godo", items: n, srv: srv, fix: replayFix(),
		note: fmt.Sprintf("%s: %d droplets with the simulator's limits on (250 a burst window, 5,000 an hourly one, windows %dx shorter than the API's)", nameLimitList, n, limitScale),
		ours: []side{limitStratusSide(nameLimitList, srv, tok, conc, func(ctx context.Context, c *stratus.Client) (tally, error) {
			return stratusListDroplets(ctx, c)
		})},
		theirs: limitGodoSide(srv, tok, godoListDroplets),
	}
}

// Scenario 8: a listing with the library's defaults (no page size, no
// concurrency) beside godo's README loop (ListOptions{}: the API's 20 a
// page), limits on.
func defaultListScenario(n int) *scenario {
	srv, tok := limitServer(n)
	return &scenario{
		sdk: "godo", items: n, srv: srv, fix: replayFix(),
		note: fmt.Sprintf("%s: %d droplets, stratus with no option but the token (page size %d, concurrency %d), godo's README loop with ListOptions{}", nameDefaultList, n, 200, stratus.DefaultConcurrency),
		ours: []side{limitStratusSide(nameDefaultList, srv, tok, 0, func(ctx context.Context, c *stratus.Client) (tally, error) {
			var t tally
			for d, err := range do.Droplets(c).All(ctx) {
				if err != nil {
					return t, err
				}
				t.add(int64(len(d.Name()) + len(d.Status())))
			}
			return t, nil
		})},
		theirs: limitGodoSide(srv, tok, func(ctx context.Context, c *godo.Client) (tally, error) {
			var t tally
			opt := &godo.ListOptions{}
			for {
				droplets, resp, err := c.Droplets.List(ctx, opt)
				if err != nil {
					return t, err
				}
				for _, d := range droplets {
					t.add(int64(len(d.Name) + len(d.Status)))
				}
				if resp.Links == nil || resp.Links.IsLastPage() {
					return t, nil
				}
				page, err := resp.Links.CurrentPage()
				if err != nil {
					return t, err
				}
				opt.Page = page + 1
			}
		}),
	}
}

// waitRounds is the most requests any polling round of stratus sent in
// the last run, for the target.
var waitRounds atomic.Int64

// Scenario 9: wait on n actions (a password reset on each of n
// droplets, started before the clock), polling every waitPoll. stratus:
// WaitActions; godo: Actions.Get of each unfinished action per round.
func waitScenario(n int) *scenario {
	srv, tok := limitServer(n)
	ids := srv.DropletIDs()
	items := len(ids)
	return &scenario{
		sdk: "godo", items: items, srv: srv, fix: doFix(srv), noBaseline: true,
		note: fmt.Sprintf("%s: %d actions of %s each, both sides polling every %s", nameWait, items, actionTime, waitPoll),
		ours: []side{{name: nameWait, prepare: func(rec *recorder) (runFunc, error) {
			c, err := limitStratus(srv, tok(), 0, rec)
			if err != nil {
				return nil, err
			}
			var acts []*do.ActionHandle
			for _, id := range ids {
				a, err := do.Droplet(c, id).PasswordReset(context.Background())
				if err != nil {
					return nil, err
				}
				acts = append(acts, a)
			}
			return func(ctx context.Context) (tally, error) {
				var most int64
				_, err := do.WaitActions(ctx, acts, stratus.WaitOptions{MinDelay: waitPoll, MaxDelay: waitPoll, Progress: func(p stratus.WaitProgress) {
					most = max(most, int64(p.Requests))
				}})
				waitRounds.Store(most)
				var t tally
				for _, a := range acts {
					t.add(int64(len(a.Status())))
				}
				return t, err
			}, nil
		}}},
		theirs: side{name: "godo", prepare: func(rec *recorder) (runFunc, error) {
			c, err := limitGodo(srv, tok(), rec)
			if err != nil {
				return nil, err
			}
			var acts []int
			for _, id := range ids {
				a, _, err := c.DropletActions.PasswordReset(context.Background(), id)
				if err != nil {
					return nil, err
				}
				acts = append(acts, a.ID)
			}
			return func(ctx context.Context) (tally, error) {
				return pollEach(ctx, acts, func(ctx context.Context, id int) (bool, int64, error) {
					a, _, err := c.Actions.Get(ctx, id)
					if err != nil {
						return false, 0, fmt.Errorf("action %s: %w", strconv.Itoa(id), err)
					}
					return a.Status != godo.ActionInProgress, int64(len(a.Status)), nil
				})
			}, nil
		}},
	}
}

// pollEach is the SDK side's waiter, as a godo user writes one: every
// round, get each object not yet done, one request each, then sleep
// waitPoll. get says whether the object is done and what to tally.
func pollEach(ctx context.Context, ids []int, get func(ctx context.Context, id int) (bool, int64, error)) (tally, error) {
	var t tally
	pending := ids
	for len(pending) > 0 {
		var still []int
		for _, id := range pending {
			done, v, err := get(ctx, id)
			if err != nil {
				return t, err
			}
			if !done {
				still = append(still, id)
				continue
			}
			t.add(v)
		}
		if pending = still; len(pending) > 0 {
			select {
			case <-ctx.Done():
				return t, ctx.Err()
			case <-time.After(waitPoll):
			}
		}
	}
	return t, nil
}
