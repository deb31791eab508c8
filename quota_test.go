package stratus_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A provider that reads rate-limit headers gets both LastRateLimit and the
// transport's quota gate from that one reader: with the quota spent, the
// next request waits for the reset instead of meeting a 429.
var ratedProvider = &stratus.Provider{
	Name:  "fake-rated",
	Kinds: []*stratus.Kind{{Name: "thing", Plural: "things", ItemPath: "/things/{id}"}},
	Transport: func(*stratus.Settings) (transport.Config, error) {
		return transport.Config{BaseURL: "http://invalid"}, nil
	},
	Rate: func(h http.Header) (stratus.RateLimit, bool) {
		left, err1 := strconv.Atoi(h.Get("X-Left"))
		ms, err2 := strconv.ParseInt(h.Get("X-Reset"), 10, 64)
		return stratus.RateLimit{Limit: 1, Remaining: left, Reset: time.UnixMilli(ms)}, err1 == nil && err2 == nil
	},
}

func init() { stratus.Register(ratedProvider) }

func TestProviderRateFeedsTheQuotaGate(t *testing.T) {
	reset := time.Now().Add(200 * time.Millisecond).Truncate(time.Millisecond) // the header carries milliseconds
	var mu sync.Mutex
	var arrivals []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		w.Header().Set("X-Left", "0")
		w.Header().Set("X-Reset", strconv.FormatInt(reset.UnixMilli(), 10))
		fmt.Fprint(w, `{}`)
	}))
	defer srv.Close()
	c, err := stratus.Open("fake-rated", stratus.WithBaseURL(srv.URL), stratus.WithoutCache())
	require.NoError(t, err)
	_, err = c.Do(t.Context(), "GET", "/a", nil, nil)
	require.NoError(t, err)
	require.NotNil(t, c.LastRateLimit())
	assert.Equal(t, 0, c.LastRateLimit().Remaining)
	_, err = c.Do(t.Context(), "GET", "/b", nil, nil)
	require.NoError(t, err)
	require.Len(t, arrivals, 2)
	assert.False(t, arrivals[1].Before(reset), "the second request waited for the reset")
}
