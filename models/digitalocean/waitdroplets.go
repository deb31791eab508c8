package digitalocean

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/digitalocean"
	"github.com/tidwall/gjson"
	"golang.org/x/sync/errgroup"
)

// Until is the condition WaitDroplets and WaitTag wait for: a status, or
// a locked state, exactly one of the two.
type Until struct {
	status DropletStatus
	locked *bool
}

// UntilStatus waits for droplets to reach status.
func UntilStatus(s DropletStatus) Until { return Until{status: s} }

// UntilLocked waits for droplets to be locked (true) or unlocked (false).
func UntilLocked(locked bool) Until { return Until{locked: &locked} }

func (u Until) valid() bool { return (u.status == "") != (u.locked == nil) }

func (u Until) String() string {
	switch {
	case u.locked != nil && *u.locked:
		return "locked"
	case u.locked != nil:
		return "unlocked"
	}
	return string(u.status)
}

func (u Until) met(d *DropletHandle) bool {
	if u.locked != nil {
		return d.Peek("locked").Bool() == *u.locked
	}
	return DropletStatus(d.Peek("status").String()) == u.status
}

// failed reports a droplet that cannot meet the condition any more: it
// is archived (destroyed) while another status is awaited.
func (u Until) failed(d *DropletHandle) bool {
	return u.status != StatusArchive && DropletStatus(d.Peek("status").String()) == StatusArchive
}

func (u Until) ended(d *DropletHandle) bool { return u.met(d) || u.failed(d) }

// DropletWaitError reports droplets that ended in a state from which the
// awaited one cannot be reached (archived). It matches stratus.ErrFailed.
type DropletWaitError struct {
	Want     string // the awaited status, "locked" or "unlocked"
	Droplets []*DropletHandle
}

func (e *DropletWaitError) Error() string {
	ids := make([]string, len(e.Droplets))
	for i, d := range e.Droplets {
		ids[i] = d.Resource.ID() + " (" + d.Peek("status").String() + ")"
	}
	return fmt.Sprintf("digitalocean: droplet(s) will not be %s: %s", e.Want, strings.Join(ids, ", "))
}

// Is makes errors.Is(err, stratus.ErrFailed) true.
func (e *DropletWaitError) Is(target error) bool { return target == stratus.ErrFailed }

func (u Until) check(op string) error {
	if !u.valid() {
		return &stratus.Error{Provider: Provider.Name, Op: op, Message: "wait on a status or on locked, exactly one", Kind: stratus.ErrInvalid}
	}
	return nil
}

func (u Until) failures(ds []*DropletHandle) error {
	var failed []*DropletHandle
	for _, d := range ds {
		if !u.met(d) && u.failed(d) {
			failed = append(failed, d)
		}
	}
	if len(failed) > 0 {
		return &DropletWaitError{Want: u.String(), Droplets: failed}
	}
	return nil
}

// WaitDroplets waits until every droplet meets the condition. Each round
// reads the droplets that have not got there from a listing rather than
// one by one: the listing of a tag that they all carry (as far as their
// handles know), or else the account's listing, 200 a page, as long as it
// takes fewer requests than loading them one by one (a round learns the
// listing's size from its first page, and later rounds remember it). A
// droplet that no page read holds is loaded by itself; so is a single
// droplet. The progress callback reports each round's requests.
//
// A droplet that is archived while another status is awaited ends the
// wait for it; once all have ended the error is a *DropletWaitError
// (errors.Is stratus.ErrFailed). A droplet the API no longer knows fails
// the wait with its ErrNotFound. It returns the droplets that did not get
// there: none on success; the rest with ctx.Err() when ctx ends, or with
// a *stratus.WaitTimeoutError (listing them) when the wait time runs out.
// The handles are left holding what the last round read.
func WaitDroplets(ctx context.Context, ds []*DropletHandle, until Until, opts ...stratus.WaitOptions) ([]*DropletHandle, error) {
	if err := until.check("wait droplets"); err != nil {
		return ds, err
	}
	if len(ds) == 0 {
		return nil, nil
	}
	c := ds[0].Client()
	r := &dropletRounds{c: c, pages: map[string]int{}}
	pending, err := stratus.PollMany(ctx, c, waitOpts(opts), ds, stratus.Many[*DropletHandle]{
		Poll:  r.poll,
		Ended: until.ended,
		State: func(d *DropletHandle) string { return d.Peek("status").String() },
	})
	if err != nil {
		return pending, err
	}
	return nil, until.failures(ds)
}

// WaitTag waits until every droplet that carries tag meets the condition,
// reading GET /v2/droplets?tag_name=<tag>&per_page=200 each round (one
// request for up to 200 droplets; the pages of a larger tag are read
// together, up to the client's concurrency). It returns the droplets the
// last round listed, as handles holding what it read (the same handle for
// a droplet across rounds); a tag that no droplet carries is met at once.
// Droplets archived while another status is awaited end the wait with a
// *DropletWaitError (errors.Is stratus.ErrFailed). When the wait time runs
// out the error is a *stratus.WaitTimeoutError whose Pending lists the
// droplets not there yet; when ctx ends, ctx's error. The progress
// callback reports each round's requests, and Done/Total over the droplets
// listed in that round.
func WaitTag(ctx context.Context, c *stratus.Client, tag string, until Until, opts ...stratus.WaitOptions) ([]*DropletHandle, error) {
	if err := until.check("wait tag"); err != nil {
		return nil, err
	}
	if tag == "" {
		return nil, withProvider(stratus.Invalid(c, "wait tag", "tag is required"))
	}
	known := map[int]*DropletHandle{}
	var listed []*DropletHandle
	err := stratus.Poll(ctx, c, waitOpts(opts), func(ctx context.Context) (bool, stratus.WaitProgress, error) {
		var mu sync.Mutex
		var round []*DropletHandle
		sent, _, err := listDroplets(ctx, c, url.Values{"tag_name": {tag}}, func(id int, v gjson.Result) {
			mu.Lock()
			defer mu.Unlock()
			d := known[id]
			if d == nil {
				d = Droplet(c, id)
				known[id] = d
			}
			d.Fill(v, false)
			round = append(round, d)
		}, nil)
		if err != nil {
			return false, stratus.WaitProgress{Requests: sent}, err
		}
		listed = inListOrder(round)
		p := stratus.WaitProgress{Total: len(listed), Requests: sent}
		for _, d := range listed {
			if until.ended(d) {
				p.Done++
			} else if p.State == "" {
				p.State = d.Peek("status").String()
			}
		}
		return p.Done == p.Total, p, nil
	})
	if err != nil {
		var wt *stratus.WaitTimeoutError
		if errors.As(err, &wt) {
			wt.Pending = wt.Pending[:0]
			for _, d := range listed {
				if !until.ended(d) {
					wt.Pending = append(wt.Pending, d)
				}
			}
		}
		return listed, err
	}
	return listed, until.failures(listed)
}

// inListOrder puts a round's droplets in id order (pages read together
// arrive in any order), once each.
func inListOrder(round []*DropletHandle) []*DropletHandle {
	slices.SortFunc(round, func(a, b *DropletHandle) int { return cmp.Compare(a.ID(), b.ID()) })
	return slices.CompactFunc(round, func(a, b *DropletHandle) bool { return a == b })
}

// dropletRounds is what WaitDroplets remembers between rounds: the pages
// of each listing it read (by tag; "" for the account's).
type dropletRounds struct {
	c     *stratus.Client
	pages map[string]int
	// gone makes a droplet the API no longer knows no error (a refresh
	// after actions ended).
	gone bool
}

// refreshDroplets reloads droplets once, as one round of WaitDroplets
// does: from a listing when it takes fewer requests than loading them.
// A droplet that is gone is not an error.
func refreshDroplets(ctx context.Context, c *stratus.Client, ds []*DropletHandle) error {
	r := &dropletRounds{c: c, pages: map[string]int{}, gone: true}
	_, err := r.poll(ctx, ds)
	return err
}

// poll refreshes the pending droplets: from the listing of a tag they all
// carry, or from the account's listing when it takes fewer requests than
// loading them, and loads by itself each one that no page read held.
func (r *dropletRounds) poll(ctx context.Context, pending []*DropletHandle) (int, error) {
	if len(pending) == 1 {
		return 1, r.reload(ctx, pending)
	}
	byID := make(map[int][]*DropletHandle, len(pending))
	for _, d := range pending {
		byID[d.ID()] = append(byID[d.ID()], d)
	}
	// A tag's listing is part of the account's: when it costs as many
	// requests as the loads, so does the account's.
	tag := commonTag(pending)
	if r.pages[tag] >= len(byID) {
		return len(pending), r.reload(ctx, pending)
	}
	q := url.Values{}
	if tag != "" {
		q.Set("tag_name", tag)
	}
	var mu sync.Mutex
	missing := len(byID)
	sent, pages, err := listDroplets(ctx, r.c, q, func(id int, v gjson.Result) {
		mu.Lock()
		defer mu.Unlock()
		ds := byID[id]
		if ds == nil {
			return
		}
		for _, d := range ds {
			d.Fill(v, false)
		}
		delete(byID, id)
		missing--
	}, func(left int) bool {
		// The other pages, only while they cost fewer requests than
		// loading the droplets still missing one by one.
		return left < missing
	})
	if pages > 0 {
		r.pages[tag] = pages
	}
	if err != nil {
		return sent, err
	}
	var rest []*DropletHandle
	for _, ds := range byID {
		rest = append(rest, ds...)
	}
	if len(rest) == 0 {
		return sent, nil
	}
	return sent + len(rest), r.reload(ctx, rest)
}

// reload loads droplets one by one, up to the client's concurrency.
func (r *dropletRounds) reload(ctx context.Context, ds []*DropletHandle) error {
	if !r.gone {
		return reloadAll(ctx, r.c, ds)
	}
	objs := make([]stratus.Object, len(ds))
	for i, d := range ds {
		objs[i] = d
	}
	return reloadEach(ctx, r.c, objs)
}

// commonTag is a tag that every droplet's handle says it carries, or "".
func commonTag(ds []*DropletHandle) string {
	var common []string
	for i, d := range ds {
		t := d.Peek("tags")
		if !t.IsArray() {
			return ""
		}
		var tags []string
		for _, x := range t.Array() {
			if x.Type == gjson.String && x.Str != "" && (i == 0 || slices.Contains(common, x.Str)) {
				tags = append(tags, x.Str)
			}
		}
		if len(tags) == 0 {
			return ""
		}
		common = tags
	}
	if len(common) == 0 {
		return ""
	}
	return common[0]
}

// listDroplets reads GET /v2/droplets with q, 200 a page, and calls each
// for every droplet listed (concurrently: pages after the first are read
// together, up to the client's concurrency). more, if not nil, is asked
// after the first page whether to read the other pages (it gets how many
// are left). It returns the requests sent and the listing's pages.
func listDroplets(ctx context.Context, c *stratus.Client, q url.Values, each func(id int, v gjson.Result), more func(left int) bool) (int, int, error) {
	per := strconv.Itoa(wire.MaxPageSize)
	page := func(ctx context.Context, n int) (int, error) {
		pq := url.Values{"page": {strconv.Itoa(n)}, "per_page": {per}}
		for k, v := range q {
			pq[k] = v
		}
		body, err := c.Do(ctx, http.MethodGet, "/v2/droplets", pq, nil)
		if err != nil {
			return 0, err
		}
		list := body.Get("droplets")
		if !list.IsArray() {
			return 0, malformed("GET /v2/droplets", "droplets")
		}
		var bad error
		list.ForEach(func(_, v gjson.Result) bool {
			id := v.Get("id")
			if id.Type != gjson.Number || id.Int() <= 0 {
				bad = &stratus.Error{Provider: Provider.Name, Op: "GET /v2/droplets", Message: "a listed droplet has no numeric id", Kind: stratus.ErrMalformed}
				return false
			}
			each(int(id.Int()), v)
			return true
		})
		if bad != nil {
			return 0, bad
		}
		total := body.Get("meta.total")
		if !total.Exists() {
			if body.Get("links.pages.next").String() != "" {
				return 0, malformed("GET /v2/droplets", "meta.total")
			}
			return 1, nil
		}
		t := total.Int()
		if t < 0 || t/int64(wire.MaxPageSize) >= stratus.MaxPages {
			return 0, &stratus.Error{Provider: Provider.Name, Op: "GET /v2/droplets", Message: "meta.total is not a plausible count", Kind: stratus.ErrMalformed}
		}
		return max(1, int((t+int64(wire.MaxPageSize)-1)/int64(wire.MaxPageSize))), nil
	}
	pages, err := page(ctx, 1)
	if err != nil || pages == 1 || (more != nil && !more(pages-1)) {
		return 1, pages, err
	}
	var sent atomic.Int64
	sent.Store(1)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.Settings().Concurrency)
	for n := 2; n <= pages; n++ {
		g.Go(func() error {
			sent.Add(1)
			_, err := page(gctx, n)
			return err
		})
	}
	err = g.Wait()
	return int(sent.Load()), pages, err
}
