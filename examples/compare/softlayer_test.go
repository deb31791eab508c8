package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/softlayer/softlayer-go/services"
	"github.com/softlayer/softlayer-go/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	sl "github.com/stratus-cloud/stratus/models/softlayer"
	"github.com/stratus-cloud/stratus/transport/softlayer/softlayertest"
)

// TestSoftLayerListingBeside runs the comparison of the SoftLayer
// listing: 10,000 guests at 20 ms a request, softlayer-go's own paging
// loop (limit and offset until a short page) beside a stratus list, which
// fetches the pages after the first ahead once SoftLayer-Total-Items gave
// the total. Both ask for pages of 100 with the same mask, so they send
// the same requests; the test checks that, and prints the times (no test
// asserts a wall-clock time: the speed-up is a report).
func TestSoftLayerListingBeside(t *testing.T) {
	const guests, page, latency = 10000, 100, 20 * time.Millisecond
	srv := softlayertest.NewServer(softlayertest.Config{Guests: guests, Hardware: -1, Domains: -1})
	t.Cleanup(srv.Close)
	srv.SetLatency(latency)
	const mask = "mask[id,hostname]"

	srv.ResetRequests()
	start := time.Now()
	sess := &session.Session{UserName: srv.Username(), APIKey: srv.APIKey(), Endpoint: srv.RESTURL(),
		Timeout: time.Minute, HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}}
	n := 0
	for off := 0; ; off += page {
		chunk, err := services.GetAccountService(sess).Mask(mask).Limit(page).Offset(off).GetVirtualGuests()
		require.NoError(t, err)
		n += len(chunk)
		if len(chunk) < page {
			break
		}
	}
	sdkTime, sdkReqs := time.Since(start), srv.Requests()
	require.Equal(t, guests, n)

	c, err := sl.New(sl.Credentials(srv.Username(), srv.APIKey()), sl.Endpoint(srv.RESTURL()),
		stratus.WithoutCache(), stratus.WithConcurrency(32))
	require.NoError(t, err)
	srv.ResetRequests()
	start = time.Now()
	m := 0
	for g, err := range sl.Guests(c).Mask(mask).PageSize(page).All(context.Background()) {
		require.NoError(t, err)
		if g.Hostname() != "" {
			m++
		}
	}
	ourTime, ourReqs := time.Since(start), srv.Requests()
	require.Equal(t, guests, m)

	// softlayer-go's loop ends on the short page, so it asks once more
	// when the total is a multiple of the page; stratus stops at the total.
	assert.Equal(t, guests/page+1, sdkReqs, "softlayer-go: one request per page, and one for the empty last")
	assert.Equal(t, guests/page, ourReqs, "stratus: one request per page")
	t.Logf("listing %d guests at %v, pages of %d: softlayer-go %v in %d requests; stratus %v in %d requests; %.1fx",
		guests, latency, page, sdkTime.Round(time.Millisecond), sdkReqs, ourTime.Round(time.Millisecond), ourReqs,
		float64(sdkTime)/float64(ourTime))
}
