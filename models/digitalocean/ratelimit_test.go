package digitalocean_test

import (
	"context"
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
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
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
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	got, err := do.Droplets(c).Collect(ctx)
	require.NoError(t, err)
	assert.Len(t, got, 2000)
	assert.Positive(t, srv.Refused(), "the burst was hit")
	assert.Equal(t, 10, srv.Requests()-srv.Refused(), "ten pages served")

	// After the window nothing is wedged: a call with a deadline of
	// three seconds is served.
	short, cancel2 := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel2()
	_, err = do.Droplet(c, got[0].ID()).Exists(short)
	require.NoError(t, err)
}
