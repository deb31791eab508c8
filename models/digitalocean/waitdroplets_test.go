package digitalocean_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rounds records the progress of a wait and moves the simulator's clock
// past the actions after round advanceAt.
func rounds(srv *digitaloceantest.Server, advanceAt int, out *[]stratus.WaitProgress) stratus.WaitOptions {
	return stratus.WaitOptions{MinDelay: time.Millisecond, MaxDelay: time.Millisecond, Progress: func(p stratus.WaitProgress) {
		*out = append(*out, p)
		if p.Attempt == advanceAt {
			srv.Advance(time.Minute)
		}
	}}
}

func requestsPerRound(ps []stratus.WaitProgress) []int {
	out := make([]int, len(ps))
	for i, p := range ps {
		out[i] = p.Requests
	}
	return out
}

// listRequests is the droplet listings the simulator answered (GETs of
// /v2/droplets that are not a droplet's own path).
func listRequests(srv *digitaloceantest.Server) int {
	return srv.RequestsTo("GET", "/v2/droplets") - srv.RequestsTo("GET", "/v2/droplets/")
}

// A tag's droplets are waited on with one listing of the tag a round:
// 150 droplets tagged web, one page of 200.
func TestWaitTagListsTheTagOnceARound(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 300})
	ctx := t.Context()
	acts, err := do.ActOnTag(ctx, c, "web", "power_cycle")
	require.NoError(t, err)
	require.Len(t, acts, 150)
	srv.ResetRequests()

	var ps []stratus.WaitProgress
	ds, err := do.WaitTag(ctx, c, "web", do.UntilLocked(false), rounds(srv, 2, &ps))
	require.NoError(t, err)
	require.Len(t, ds, 150)
	assert.Equal(t, []int{1, 1, 1}, requestsPerRound(ps), "one listing a round")
	assert.Equal(t, 3, listRequests(srv))
	assert.Zero(t, srv.RequestsTo("GET", "/v2/droplets/"), "no droplet read by itself")
	assert.Equal(t, stratus.WaitProgress{Attempt: 1, Elapsed: ps[0].Elapsed, Done: 0, Total: 150, State: "active", Requests: 1}, ps[0])
	assert.Equal(t, 150, ps[2].Done)
	for i, d := range ds {
		assert.False(t, d.Locked(), "the handles hold the last round")
		assert.Contains(t, d.Tags(), "web")
		if i > 0 {
			assert.Less(t, ds[i-1].ID(), d.ID(), "in id order")
		}
	}
	// A tag that no droplet carries is met at once, by one request.
	srv.ResetRequests()
	ds, err = do.WaitTag(ctx, c, "nobody", do.UntilStatus(do.StatusActive))
	require.NoError(t, err)
	assert.Empty(t, ds)
	assert.Equal(t, 1, srv.Requests())

	_, err = do.WaitTag(ctx, c, "", do.UntilStatus(do.StatusActive))
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	_, err = do.WaitTag(ctx, c, "web", do.Until{})
	assert.ErrorIs(t, err, stratus.ErrInvalid)
}

// A tag of more than 200 droplets is read in its pages, together: 250
// droplets, two requests a round. Running out of time lists what is
// pending.
func TestWaitTagPagesAndTimeout(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 500})
	ctx := t.Context()
	_, err := do.ActOnTag(ctx, c, "web", "power_cycle")
	require.NoError(t, err)
	srv.ResetRequests()

	var ps []stratus.WaitProgress
	ds, err := do.WaitTag(ctx, c, "web", do.UntilLocked(false), stratus.WaitOptions{MinDelay: time.Millisecond, MaxDelay: time.Millisecond, Timeout: 30 * time.Millisecond,
		Progress: func(p stratus.WaitProgress) { ps = append(ps, p) }})
	require.ErrorIs(t, err, stratus.ErrWaitTimeout)
	var wt *stratus.WaitTimeoutError
	require.ErrorAs(t, err, &wt)
	assert.Len(t, wt.Pending, 250, "every droplet still locked")
	assert.Len(t, ds, 250)
	require.NotEmpty(t, ps)
	for _, p := range ps {
		assert.Equal(t, 2, p.Requests, "two pages a round")
		assert.Equal(t, 250, p.Total)
	}
	assert.Equal(t, 2*len(ps), listRequests(srv))
	assert.Zero(t, srv.RequestsTo("GET", "/v2/droplets/"))

	srv.Advance(time.Minute)
	srv.ResetRequests()
	ds, err = do.WaitTag(ctx, c, "web", do.UntilLocked(false))
	require.NoError(t, err)
	assert.Len(t, ds, 250)
	assert.Equal(t, 2, srv.Requests(), "done in one round")
}

// WaitDroplets reads droplets from a listing: the listing of a tag that
// all of them carry, or the account's.
func TestWaitDropletsListsInsteadOfLoading(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 100})
	ctx := t.Context()
	all, err := do.Droplets(c).Collect(ctx)
	require.NoError(t, err)
	var db, mixed []*do.DropletHandle
	for i, d := range all {
		if d.Status() != do.StatusActive {
			continue
		}
		if _, err := d.PowerCycle(ctx); err != nil {
			require.NoError(t, err)
		}
		if slicesContains(d.Tags(), "db") {
			db = append(db, d)
		}
		if i%3 == 0 {
			mixed = append(mixed, d)
		}
	}
	require.Len(t, db, 20)
	require.Greater(t, len(mixed), 20)

	// All carry "db": the tag's listing, one request a round.
	srv.ResetRequests()
	var ps []stratus.WaitProgress
	left, err := do.WaitDroplets(ctx, db, do.UntilLocked(false), rounds(srv, 2, &ps))
	require.NoError(t, err)
	assert.Empty(t, left)
	assert.Equal(t, []int{1, 1, 1}, requestsPerRound(ps))
	assert.Equal(t, 3, listRequests(srv))
	assert.Zero(t, srv.RequestsTo("GET", "/v2/droplets/"))
	for _, d := range db {
		assert.False(t, d.Locked())
	}

	// No tag in common: the account's listing (100 droplets, one page).
	for _, d := range mixed {
		_, err := d.PowerOff(ctx)
		require.NoError(t, err)
	}
	srv.ResetRequests()
	ps = nil
	left, err = do.WaitDroplets(ctx, mixed, do.UntilStatus(do.StatusOff), rounds(srv, 2, &ps))
	require.NoError(t, err)
	assert.Empty(t, left)
	assert.Equal(t, []int{1, 1, 1}, requestsPerRound(ps))
	assert.Equal(t, 3, listRequests(srv))
	assert.Zero(t, srv.RequestsTo("GET", "/v2/droplets/"))
	for _, d := range mixed {
		assert.Equal(t, do.StatusOff, d.Status())
		assert.Equal(t, "off", srv.DropletStatus(d.ID()))
	}
}

// Droplets whose handles hold nothing, in an account whose listing takes
// more pages than loading them: the first page, then each droplet by
// itself; later rounds load them only. A single droplet is one request.
func TestWaitDropletsFallsBackToLoads(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1000})
	ctx := t.Context()
	ids := srv.DropletIDs()
	var ds []*do.DropletHandle
	for _, id := range ids[len(ids)-4:] {
		d := do.Droplet(c, id) // nothing held: no tag known
		if srv.DropletStatus(id) != "active" {
			continue
		}
		_, err := d.PowerOff(ctx)
		require.NoError(t, err)
		ds = append(ds, d)
	}
	require.Len(t, ds, 3)
	srv.ResetRequests()
	var ps []stratus.WaitProgress
	left, err := do.WaitDroplets(ctx, ds, do.UntilStatus(do.StatusOff), rounds(srv, 2, &ps))
	require.NoError(t, err)
	assert.Empty(t, left)
	// Round 1: page 1 (of 5) lacks them, 4 more pages cost more than 3
	// loads. Round 2: the droplets now known share a tag, whose first page
	// (of 4: 750 droplets) lacks them too. Round 3: the 3 loads only.
	assert.Equal(t, []int{4, 4, 3}, requestsPerRound(ps))
	assert.Equal(t, 2, listRequests(srv))
	for _, d := range ds {
		assert.Equal(t, 3, srv.RequestsTo("GET", "/v2/droplets/"+strconv.Itoa(d.ID())))
		assert.Equal(t, do.StatusOff, d.Status())
	}

	one := do.Droplet(c, ids[0])
	_, err = one.PowerCycle(ctx)
	require.NoError(t, err)
	srv.ResetRequests()
	ps = nil
	_, err = do.WaitDroplets(ctx, []*do.DropletHandle{one}, do.UntilLocked(false), rounds(srv, 1, &ps))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 1}, requestsPerRound(ps))
	assert.Equal(t, 2, srv.RequestsTo("GET", "/v2/droplets/"+strconv.Itoa(one.ID())))
}

// A droplet destroyed during the wait is missing from the listing, loaded
// by itself, and fails the wait with ErrNotFound; a cancelled wait
// returns the pending droplets.
func TestWaitDropletsGoneAndCancelled(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 10})
	ctx := t.Context()
	all, err := do.Droplets(c).Collect(ctx)
	require.NoError(t, err)
	require.NoError(t, all[1].Delete(ctx))
	srv.ResetRequests()
	_, err = do.WaitDroplets(ctx, all[:3], do.UntilStatus(do.StatusOff), stratus.WaitOptions{MinDelay: time.Millisecond})
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	assert.Equal(t, 1, srv.RequestsTo("GET", "/v2/droplets/"+strconv.Itoa(all[1].ID())))

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	left, err := do.WaitDroplets(cctx, []*do.DropletHandle{all[0], all[2]}, do.UntilStatus(do.StatusArchive))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, left, 2)
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// A listing served by a stand-in for the API: an archived droplet ends
// the wait with a *DropletWaitError; a listing that is not one is
// ErrMalformed, never a panic or a stall.
func TestWaitTagArchivedAndMalformed(t *testing.T) {
	body := `{"droplets":[{"id":1,"status":"archive","locked":false,"tags":["t"]},{"id":2,"status":"active","locked":false,"tags":["t"]}],"links":{},"meta":{"total":2}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := do.New(do.Token("dop_v1_"+strings.Repeat("0", 64)), stratus.WithBaseURL(srv.URL), stratus.WithRateWindows())
	require.NoError(t, err)
	ds, err := do.WaitTag(t.Context(), c, "t", do.UntilStatus(do.StatusActive), stratus.WaitOptions{MinDelay: time.Millisecond})
	require.ErrorIs(t, err, stratus.ErrFailed)
	var dw *do.DropletWaitError
	require.ErrorAs(t, err, &dw)
	require.Len(t, dw.Droplets, 1)
	assert.Equal(t, 1, dw.Droplets[0].ID())
	assert.Equal(t, "active", dw.Want)
	assert.Len(t, ds, 2)

	// Two handles: the account's listing, same answer, same error.
	_, err = do.WaitDroplets(t.Context(), []*do.DropletHandle{do.Droplet(c, 1), do.Droplet(c, 2)}, do.UntilStatus(do.StatusActive), stratus.WaitOptions{MinDelay: time.Millisecond})
	require.ErrorAs(t, err, &dw)

	for _, bad := range []string{`{"droplets":{}}`, `{"droplets":[{"id":"x"}]}`, `{"droplets":[{"id":1}],"meta":{"total":-5}}`, `[]`} {
		body = bad
		_, err := do.WaitTag(t.Context(), c, "t", do.UntilStatus(do.StatusActive), stratus.WaitOptions{MinDelay: time.Millisecond})
		assert.ErrorIs(t, err, stratus.ErrMalformed, bad)
	}
}

// When 100 actions end, the droplets they acted on are refreshed from one
// listing, not loaded one by one.
func TestWaitActionsRefreshesTheDropletsFromAListing(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 100})
	ctx := t.Context()
	var acts []*do.ActionHandle
	var ds []*do.DropletHandle
	for _, id := range srv.DropletIDs() {
		d := do.Droplet(c, id)
		a, err := d.PasswordReset(ctx)
		require.NoError(t, err)
		acts = append(acts, a)
		ds = append(ds, d)
	}
	srv.Advance(time.Minute)
	srv.ResetRequests()
	_, err := do.WaitActions(ctx, acts)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestsTo("GET", "/v2/actions"), "one round")
	assert.Equal(t, 1, listRequests(srv), "the droplets: one listing")
	assert.Zero(t, srv.RequestsTo("GET", "/v2/droplets/"), "no droplet loaded by itself")
	assert.Equal(t, 2, srv.Requests())
	for _, d := range ds {
		assert.True(t, d.Loaded(), "refreshed")
		assert.False(t, d.Locked())
	}
}

// The newest actions of 100 droplets come from one page of the account's
// action list, not from 100 requests; then one list request a round.
func TestWaitLastActionsReadsTheActionList(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 100})
	ctx := t.Context()
	var ds []*do.DropletHandle
	for _, id := range srv.DropletIDs() {
		d := do.Droplet(c, id)
		_, err := d.PasswordReset(ctx)
		require.NoError(t, err)
		ds = append(ds, d)
	}
	srv.ResetRequests()
	var ps []stratus.WaitProgress
	left, err := do.WaitLastActions(ctx, ds, rounds(srv, 1, &ps))
	require.NoError(t, err)
	assert.Empty(t, left)
	assert.Equal(t, []int{1, 1}, requestsPerRound(ps))
	assert.Equal(t, 3, srv.RequestsTo("GET", "/v2/actions"), "one page for the newest actions, then a list a round")
	assert.Zero(t, srv.RequestsTo("GET", "/v2/droplets/"), "no droplet's actions read one by one, no droplet loaded")
	assert.Equal(t, 1, listRequests(srv), "the droplets refreshed from one listing")
	for _, d := range ds {
		assert.False(t, d.Locked())
	}
}
