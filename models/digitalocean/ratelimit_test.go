package digitalocean_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A listing of 100,000 droplets against the simulator with its default
// limits (250 requests a burst window, 5,000 an hourly one) completes with
// no error and no refused request, at the default page size (200: 500
// requests, twice the burst). To keep the test quick the simulator runs on
// the wall clock with windows sixty times shorter than the API's (1 s and
// 1 min) and the client is told the same windows with WithRateWindows: the
// budgets are the real ones, spent in seconds instead of minutes.
func TestListingUnderDefaultLimits(t *testing.T) {
	const n = 100_000
	srv := digitaloceantest.NewServer(digitaloceantest.Config{
		Droplets: n, RealTime: true,
		BurstWindow: time.Second, HourlyWindow: time.Minute,
	})
	t.Cleanup(srv.Close)
	c, err := do.New(do.Token(srv.Token()), stratus.WithBaseURL(srv.URL()), stratus.WithoutCache(),
		stratus.WithConcurrency(32),
		stratus.WithRateWindows(transport.Window{Limit: 250, Period: time.Second}, transport.Window{Limit: 5000, Period: time.Minute}))
	require.NoError(t, err)
	// The deadline only keeps a wedged client from hanging the suite: the
	// assertions are counts. Under the race detector on a loaded 2-core
	// machine the listing has taken over 2 minutes of CPU.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	count, errs := 0, 0
	for d, err := range do.Droplets(c).All(ctx) {
		if err != nil {
			errs++
			t.Log(err)
			break
		}
		if d.ID() > 0 {
			count++
		}
	}
	assert.Equal(t, 0, errs)
	assert.Equal(t, n, count)
	assert.Equal(t, 500, srv.Requests(), "200 droplets a page")
	assert.Equal(t, 0, srv.Refused(), "the client kept to both windows")
}

// The API's own 429 for a spent burst (0 remaining, a reset an hour away,
// Retry-After) pauses the client for the Retry-After only: a listing that
// needs more than one burst window finishes, and every later request is
// served once the window has passed.
func TestBurst429PausesOnlyUntilRetryAfter(t *testing.T) {
	srv := digitaloceantest.NewServer(digitaloceantest.Config{
		Droplets: 2000, RealTime: true, BurstLimit: 4, BurstWindow: time.Second,
	})
	t.Cleanup(srv.Close)
	// No client-side windows: the client learns the limit from the 429s.
	c, err := do.New(do.Token(srv.Token()), stratus.WithBaseURL(srv.URL()), stratus.WithoutCache(),
		stratus.WithRateWindows())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	got, err := do.Droplets(c).Collect(ctx)
	require.NoError(t, err)
	assert.Len(t, got, 2000)
	assert.Positive(t, srv.Refused(), "the burst was hit")
	assert.Equal(t, 10, srv.Requests()-srv.Refused(), "ten pages served")

	// After the window nothing is wedged: a call with a deadline of
	// a few windows is served.
	short, cancel2 := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel2()
	_, err = do.Droplet(c, got[0].ID()).Exists(short)
	require.NoError(t, err)
}

// Waiting on 100 actions reads the action list, not each action: one
// request a round while they are in progress, every round's cost reported
// by the progress callback; the droplets they acted on are refreshed after.
func TestWaitActionsPollsTheList(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 100})
	ctx := t.Context()
	var acts []*do.ActionHandle
	for _, id := range srv.DropletIDs() {
		a, err := do.Droplet(c, id).PowerOff(ctx)
		require.NoError(t, err)
		acts = append(acts, a)
	}
	require.Len(t, acts, 100)
	srv.ResetRequests()
	var rounds []stratus.WaitProgress
	opts := stratus.WaitOptions{MinDelay: time.Millisecond, MaxDelay: time.Millisecond, Progress: func(p stratus.WaitProgress) {
		rounds = append(rounds, p)
		if p.Attempt == 2 {
			srv.Advance(time.Minute) // the actions complete between rounds 2 and 3
		}
	}}
	pending, err := do.WaitActions(ctx, acts, opts)
	require.NoError(t, err)
	assert.Empty(t, pending)
	require.Len(t, rounds, 3)
	for _, r := range rounds {
		assert.Equal(t, 1, r.Requests, "one list request a round: %+v", r)
	}
	assert.Equal(t, 3, srv.RequestsTo("GET", "/v2/actions"))
	assert.Zero(t, srv.RequestsTo("GET", "/v2/actions/"), "no action read one by one")
	for _, a := range acts {
		assert.Equal(t, do.ActionCompleted, a.Status())
	}
}

// An action older than the pages a round reads is loaded by itself.
func TestWaitActionsFallsBackForOldActions(t *testing.T) {
	srv := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: 2, BurstLimit: -1})
	t.Cleanup(srv.Close)
	// A thousand actions to set up: no client-side window.
	c, err := do.New(do.Token(srv.Token()), stratus.WithBaseURL(srv.URL()), stratus.WithRateWindows())
	require.NoError(t, err)
	ctx := t.Context()
	ids := srv.DropletIDs()
	first, err := do.Droplet(c, ids[0]).PowerOff(ctx)
	require.NoError(t, err)
	// More than the pages of one round can hold, newer than the first.
	for range 5*200 + 10 {
		_, err := c.Do(ctx, "POST", "/v2/droplets/"+strconv.Itoa(ids[1])+"/actions", nil, []byte(`{"type":"password_reset"}`))
		require.NoError(t, err)
		srv.Advance(time.Minute) // the droplet is locked while an action runs
	}
	second, err := do.Droplet(c, ids[1]).PowerOn(ctx)
	require.NoError(t, err)
	srv.Advance(time.Minute)
	srv.ResetRequests()
	var sent int
	_, err = do.WaitActions(ctx, []*do.ActionHandle{first, second}, stratus.WaitOptions{Progress: func(p stratus.WaitProgress) { sent += p.Requests }})
	require.NoError(t, err)
	assert.Equal(t, do.ActionCompleted, first.Status())
	assert.Equal(t, 1, srv.RequestsTo("GET", "/v2/actions/"+strconv.Itoa(first.ID())), "the old action loaded by itself")
	assert.Equal(t, srv.RequestsTo("GET", "/v2/actions"), sent, "the progress callback counts every request")
}

// The API allows 10 listings of the account's SSH keys a minute, besides
// the account's own windows. The simulator enforces it, and the client
// keeps to it: of twelve listings in a row, ten are served and the client
// itself refuses the next (ErrRateLimited, RetryAt about a minute on)
// rather than collect a 429; every other path goes on.
func TestSSHKeyListingsKeepTheirEndpointWindow(t *testing.T) {
	srv := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: 3})
	t.Cleanup(srv.Close)
	c, err := do.New(do.Token(srv.Token()), stratus.WithBaseURL(srv.URL()), stratus.WithoutCache(),
		stratus.WithRetry(transport.RetryPolicy{MaxAttempts: 1, MaxElapsed: time.Second}))
	require.NoError(t, err)
	served, refused := 0, 0
	for range 12 {
		_, err := do.SSHKeys(c).Collect(t.Context())
		switch {
		case err == nil:
			served++
		case errors.Is(err, stratus.ErrRateLimited):
			refused++
			var se *stratus.Error
			require.ErrorAs(t, err, &se)
			assert.True(t, se.RetryAt.After(time.Now().Add(50*time.Second)), "the window frees up a minute after the first listing")
		default:
			t.Fatal(err)
		}
	}
	assert.Equal(t, 10, served)
	assert.Equal(t, 2, refused)
	assert.Equal(t, 0, srv.Refused(), "no request reached the server's wall")
	_, err = do.Droplets(c).Collect(t.Context())
	require.NoError(t, err, "other paths are not held")
}
