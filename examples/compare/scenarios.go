package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/digitalocean/godo"
	goovh "github.com/ovh/go-ovh/ovh"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	ovh "github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

// sizes are the numbers of items of the scenarios.
type sizes struct {
	List    int // 1: droplets listed
	Get     int // 2: droplets fetched by id
	Servers int // 3: dedicated servers listed
	Bills   int // 4: bills listed
	Cache   int // 5: droplets listed twice
	Readers int // 6: goroutines reading one handle
	Big     int // 7: droplets listed with limits on
	Default int // 8: droplets listed with the defaults, limits on
	Waits   int // 9: actions waited on, limits on
}

var fullSizes = sizes{List: 10000, Get: 200, Servers: 1000, Bills: 500, Cache: 2000, Readers: 1000, Big: 100000, Default: 10000, Waits: 100}

// divided scales every size down by div, keeping each at least 2.
func (s sizes) divided(div int) sizes {
	d := func(n int) int { return max(n/div, 2) }
	return sizes{d(s.List), d(s.Get), d(s.Servers), d(s.Bills), d(s.Cache), d(s.Readers), d(s.Big), d(s.Default), d(s.Waits)}
}

// The scenario names, as printed; the targets look rows up by them.
const (
	nameList    = "do list droplets"
	nameGet     = "do get droplets by id"
	nameBulk    = "ovh servers (bulk)"
	nameIDs     = "ovh servers (ids)"
	nameBills   = "ovh bills"
	nameCache   = "do list twice (cache)"
	nameReaders = "do readers, one handle"
	droplistPer = 200 // page size of both DigitalOcean listings
)

// tally is what one run read: how many items and a checksum of the values
// read, so that the two sides can be compared cheaply.
type tally struct {
	items int
	check int64
}

func (t *tally) add(v int64) {
	t.items++
	t.check += v
}

// runFunc is one measured run.
type runFunc func(ctx context.Context) (tally, error)

// side is one way to do a scenario's work.
type side struct {
	name string // the row's name (ours) or the SDK's name (theirs)
	// before puts the simulator in the state this side expects.
	before func()
	// prepare builds a fresh client (outside the measurement) and returns
	// the run. A non-nil recorder must see every HTTP request.
	prepare func(rec *recorder) (runFunc, error)
}

// simulator is what both simulators offer the harness.
type simulator interface {
	SetLatency(time.Duration)
	Requests() int
	ResetRequests()
	Close()
}

// scenario is one piece of work, done by one or more stratus variants
// (one row each) and by the SDK (measured once per round, shown on each
// row: the SDK sends the same requests whatever the variant).
type scenario struct {
	sdk    string
	items  int // items each run must read
	srv    simulator
	fix    func(*http.Request) // completes a recorded request for replay
	ours   []side
	theirs side
	// note is printed under the table when the scenario ran.
	note string
	// noBaseline skips the bare replay (a side's setup writes: actions).
	noBaseline bool
	// noAllocs leaves the row out of the allocation table (its runs are
	// child processes: this process's counts are not theirs).
	noAllocs bool
}

// scenarioNames lists every row name, in order.
var scenarioNames = []string{nameList, nameGet, nameBulk, nameIDs, nameBills, nameCache, nameReaders}

// builders make the scenarios one at a time (each starts its simulator).
func builders(sz sizes, conc int) []func() *scenario {
	return []func() *scenario{
		func() *scenario { return listScenario(sz.List, conc) },
		func() *scenario { return getScenario(sz.Get, conc) },
		func() *scenario { return serversScenario(sz.Servers, conc) },
		func() *scenario { return billsScenario(sz.Bills, conc) },
		func() *scenario { return cacheScenario(sz.Cache, conc) },
		func() *scenario { return readersScenario(sz.Readers, conc) },
		func() *scenario { return limitListScenario(sz.Big, conc) },
		func() *scenario { return defaultListScenario(sz.Default) },
		func() *scenario { return waitScenario(sz.Waits) },
		func() *scenario { return streamServersScenario(sz, conc) },
		decodeScenario,
		func() *scenario { return memoryScenario(sz.Big) },
		func() *scenario { return partialScenario(sz.Get, conc) }, // as many servers as droplets fetched by id
		func() *scenario { return tagWaitScenario(sz.Waits) },
	}
}

// rowNames are the row names a builder produces, to filter with -run
// before starting a simulator.
var rowNames = [][]string{{nameList}, {nameGet}, {nameBulk, nameIDs}, {nameBills}, {nameCache}, {nameReaders}, {nameLimitList}, {nameDefaultList}, {nameWait}, streamNames, {nameDecode}, {nameMemory}, {namePartial}, {nameTagWait}}

// --- DigitalOcean -------------------------------------------------------

func doServer(droplets int) *digitaloceantest.Server {
	return digitaloceantest.NewServer(digitaloceantest.Config{
		Droplets: droplets, RealTime: true, HourlyLimit: -1, BurstLimit: -1,
	})
}

// doFix adds the bearer token to a recorded godo request: godo's oauth2
// transport adds it below the layer the recorder sees.
func doFix(srv *digitaloceantest.Server) func(*http.Request) {
	return func(r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			r.Header.Set("Authorization", "Bearer "+srv.Token())
		}
	}
}

// stratusDO builds a stratus DigitalOcean client the way the README does.
func stratusDO(srv *digitaloceantest.Server, conc int, rec *recorder) (*stratus.Client, error) {
	// The simulator's limits are off in these rows: so are the client's
	// own windows (the rows with limits on are in limits.go).
	opts := []stratus.Option{do.Token(srv.Token()), stratus.WithBaseURL(srv.URL()), stratus.WithConcurrency(conc), stratus.WithRateWindows()}
	if rec != nil {
		opts = append(opts, stratus.WithHTTPClient(&http.Client{Transport: rec.wrap(pooledTransport())}))
	}
	return do.New(opts...)
}

// godoClient builds godo's client the way its README does (NewFromToken,
// which retries 429 and 5xx answers), pointed at the simulator as the
// conformance tests do.
func godoClient(srv *digitaloceantest.Server, rec *recorder) (*godo.Client, error) {
	c := godo.NewFromToken(srv.Token())
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

// godoSide makes the SDK side of a DigitalOcean scenario.
func godoSide(srv *digitaloceantest.Server, work func(context.Context, *godo.Client) (tally, error)) side {
	return side{name: "godo", prepare: func(rec *recorder) (runFunc, error) {
		c, err := godoClient(srv, rec)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (tally, error) { return work(ctx, c) }, nil
	}}
}

// stratusDOSide makes a stratus side of a DigitalOcean scenario.
func stratusDOSide(name string, srv *digitaloceantest.Server, conc int, work func(context.Context, *stratus.Client) (tally, error)) side {
	return side{name: name, prepare: func(rec *recorder) (runFunc, error) {
		c, err := stratusDO(srv, conc, rec)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (tally, error) { return work(ctx, c) }, nil
	}}
}

// Scenario 1: list every droplet and read its name and status.
func listScenario(n, conc int) *scenario {
	srv := doServer(n)
	return &scenario{
		sdk: "godo", items: n, srv: srv, fix: doFix(srv),
		ours:   []side{stratusDOSide(nameList, srv, conc, stratusListDroplets)},
		theirs: godoSide(srv, godoListDroplets),
	}
}

func stratusListDroplets(ctx context.Context, c *stratus.Client) (tally, error) {
	var t tally
	for d, err := range do.Droplets(c).PageSize(droplistPer).All(ctx) {
		if err != nil {
			return t, err
		}
		t.add(int64(len(d.Name()) + len(d.Status())))
	}
	return t, nil
}

// godoListDroplets is the loop of godo's README, reading each page's
// droplets as they come instead of appending them to one slice (which
// would only cost godo more).
func godoListDroplets(ctx context.Context, c *godo.Client) (tally, error) {
	var t tally
	opt := &godo.ListOptions{PerPage: droplistPer}
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
}

// Scenario 2: fetch droplets by id and read their names.
func getScenario(n, conc int) *scenario {
	srv := doServer(n)
	ids := srv.DropletIDs()
	return &scenario{
		sdk: "godo", items: len(ids), srv: srv, fix: doFix(srv),
		ours: []side{stratusDOSide(nameGet, srv, conc, func(ctx context.Context, c *stratus.Client) (tally, error) {
			handles := make([]*do.DropletHandle, len(ids))
			objs := make([]stratus.Object, len(ids))
			for i, id := range ids {
				handles[i] = do.Droplet(c, id)
				objs[i] = handles[i]
			}
			var t tally
			if err := stratus.LoadAll(ctx, objs...); err != nil {
				return t, err
			}
			for _, h := range handles {
				t.add(int64(len(h.Name())))
			}
			return t, nil
		})},
		theirs: godoSide(srv, func(ctx context.Context, c *godo.Client) (tally, error) {
			var t tally
			for _, id := range ids {
				d, _, err := c.Droplets.Get(ctx, id)
				if err != nil {
					return t, err
				}
				t.add(int64(len(d.Name)))
			}
			return t, nil
		}),
	}
}

// Scenario 5: the same listing twice within the cache's TTL. The requests
// reported are the second listing's: the run resets the simulator's
// counter between the two.
func cacheScenario(n, conc int) *scenario {
	srv := doServer(n)
	return &scenario{
		sdk: "godo", items: 2 * n, srv: srv, fix: doFix(srv),
		note: fmt.Sprintf("%s: %d droplets listed twice by the same client; items counts both listings, requests only the second", nameCache, n),
		ours: []side{stratusDOSide(nameCache, srv, conc, func(ctx context.Context, c *stratus.Client) (tally, error) {
			return twice(ctx, srv, func(ctx context.Context) (tally, error) { return stratusListDroplets(ctx, c) })
		})},
		theirs: godoSide(srv, func(ctx context.Context, c *godo.Client) (tally, error) {
			return twice(ctx, srv, func(ctx context.Context) (tally, error) { return godoListDroplets(ctx, c) })
		}),
	}
}

// twice runs a listing, zeroes the simulator's counter, and runs it again.
func twice(ctx context.Context, srv simulator, list func(context.Context) (tally, error)) (tally, error) {
	a, err := list(ctx)
	if err != nil {
		return a, err
	}
	srv.ResetRequests()
	b, err := list(ctx)
	return tally{a.items + b.items, a.check + b.check}, err
}

// Scenario 6: many goroutines read a field of one droplet at once.
func readersScenario(n, conc int) *scenario {
	srv := doServer(10)
	id := srv.DropletIDs()[0]
	return &scenario{
		sdk: "godo", items: n, srv: srv, fix: doFix(srv),
		note: fmt.Sprintf("%s: %d goroutines read the name of one droplet; stratus shares one unloaded handle, godo calls Droplets.Get in each", nameReaders, n),
		ours: []side{stratusDOSide(nameReaders, srv, conc, func(ctx context.Context, c *stratus.Client) (tally, error) {
			h := do.Droplet(c, id)
			var sum atomic.Int64
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() { sum.Add(int64(len(h.Name()))) })
			}
			wg.Wait()
			if err := h.LastError(); err != nil {
				return tally{}, err
			}
			return tally{n, sum.Load()}, nil
		})},
		theirs: godoSide(srv, func(ctx context.Context, c *godo.Client) (tally, error) {
			var sum atomic.Int64
			var mu sync.Mutex
			var errs []error
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					d, _, err := c.Droplets.Get(ctx, id)
					if err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
						return
					}
					sum.Add(int64(len(d.Name)))
				})
			}
			wg.Wait()
			if len(errs) > 0 {
				return tally{}, fmt.Errorf("%d of %d gets failed, first: %w", len(errs), n, errs[0])
			}
			return tally{n, sum.Load()}, nil
		}),
	}
}

// --- OVH ----------------------------------------------------------------

func ovhServer(cfg ovhtest.Config) *ovhtest.Server {
	cfg.RateLimit = -1
	return ovhtest.NewServer(cfg)
}

// stratusOVH builds a stratus OVH client.
func stratusOVH(srv *ovhtest.Server, conc int, rec *recorder) (*stratus.Client, error) {
	opts := []stratus.Option{
		ovh.Credentials(srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()),
		stratus.WithBaseURL(srv.URL()), stratus.WithConcurrency(conc),
	}
	if rec != nil {
		opts = append(opts, stratus.WithHTTPClient(&http.Client{Transport: rec.wrap(pooledTransport())}))
	}
	return ovh.New(opts...)
}

// goovhClient builds go-ovh's client the way its README does. It sends
// through http.DefaultTransport, unless a recorder is given.
func goovhClient(srv *ovhtest.Server, rec *recorder) (*goovh.Client, error) {
	c, err := goovh.NewClient(srv.URL(), srv.AppKey(), srv.AppSecret(), srv.ConsumerKey())
	if err != nil {
		return nil, err
	}
	if rec != nil {
		c.Client = &http.Client{Transport: rec.wrap(http.DefaultTransport)}
	}
	return c, nil
}

func goovhSide(srv *ovhtest.Server, work func(context.Context, *goovh.Client) (tally, error)) side {
	return side{name: "go-ovh", prepare: func(rec *recorder) (runFunc, error) {
		c, err := goovhClient(srv, rec)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (tally, error) { return work(ctx, c) }, nil
	}}
}

func stratusOVHSide(name string, srv *ovhtest.Server, conc int, before func(), work func(context.Context, *stratus.Client) (tally, error)) side {
	return side{name: name, before: before, prepare: func(rec *recorder) (runFunc, error) {
		c, err := stratusOVH(srv, conc, rec)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (tally, error) { return work(ctx, c) }, nil
	}}
}

// goovhServer is go-ovh's view of a dedicated server: the fields read.
type goovhServer struct {
	Name       string `json:"name"`
	Datacenter string `json:"datacenter"`
}

// Scenario 3: list the dedicated servers with their datacenter, in the
// bulk page mode and with the bulk mode refused by the simulator (then
// stratus loads the servers ahead of the loop).
func serversScenario(n, conc int) *scenario {
	srv := ovhServer(ovhtest.Config{DedicatedServers: n, Bills: -1})
	list := func(ctx context.Context, c *stratus.Client) (tally, error) {
		var t tally
		for s, err := range ovh.DedicatedServers(c).All(ctx) {
			if err != nil {
				return t, err
			}
			dc := s.Datacenter()
			if dc == "" {
				if err := s.LastError(); err != nil {
					return t, err
				}
			}
			t.add(int64(len(s.Name()) + len(dc)))
		}
		return t, nil
	}
	return &scenario{
		sdk: "go-ovh", items: n, srv: srv, fix: func(*http.Request) {},
		note: "ovh servers: go-ovh sends the same requests in both modes; it is measured once per round and shown on both rows",
		ours: []side{
			stratusOVHSide(nameBulk, srv, conc, func() { srv.SetBulk(true) }, list),
			stratusOVHSide(nameIDs, srv, conc, func() { srv.SetBulk(false) }, list),
		},
		theirs: goovhSide(srv, func(_ context.Context, c *goovh.Client) (tally, error) {
			var t tally
			var names []string
			if err := c.Get("/dedicated/server", &names); err != nil {
				return t, err
			}
			for _, name := range names {
				var s goovhServer
				if err := c.Get("/dedicated/server/"+url.PathEscape(name), &s); err != nil {
					return t, err
				}
				t.add(int64(len(s.Name) + len(s.Datacenter)))
			}
			return t, nil
		}),
	}
}

// goovhBill is go-ovh's view of a bill: the fields read.
type goovhBill struct {
	BillID       string `json:"billId"`
	Date         string `json:"date"`
	PriceWithTax struct {
		Value float64 `json:"value"`
	} `json:"priceWithTax"`
}

// billSum is the checksum of one bill: its price in cents and its date.
func billSum(price float64, date time.Time) int64 {
	return int64(math.Round(price*100)) + date.Unix()
}

// Scenario 4: list the bills with their price and date.
func billsScenario(n, conc int) *scenario {
	srv := ovhServer(ovhtest.Config{Bills: n, DedicatedServers: -1})
	return &scenario{
		sdk: "go-ovh", items: n, srv: srv, fix: func(*http.Request) {},
		ours: []side{stratusOVHSide(nameBills, srv, conc, nil, func(ctx context.Context, c *stratus.Client) (tally, error) {
			var t tally
			for b, err := range ovh.Bills(c).All(ctx) {
				if err != nil {
					return t, err
				}
				date := b.Date()
				if date.IsZero() {
					return t, errors.Join(fmt.Errorf("bill %s: no date", b.ID()), b.LastError())
				}
				t.add(billSum(b.PriceWithTax().Value, date))
			}
			return t, nil
		})},
		theirs: goovhSide(srv, func(_ context.Context, c *goovh.Client) (tally, error) {
			var t tally
			var ids []string
			if err := c.Get("/me/bill", &ids); err != nil {
				return t, err
			}
			for _, id := range ids {
				var b goovhBill
				if err := c.Get("/me/bill/"+url.PathEscape(id), &b); err != nil {
					return t, err
				}
				date, err := time.Parse(time.RFC3339, b.Date)
				if err != nil {
					return t, fmt.Errorf("bill %s: %w", id, err)
				}
				t.add(billSum(b.PriceWithTax.Value, date))
			}
			return t, nil
		}),
	}
}
