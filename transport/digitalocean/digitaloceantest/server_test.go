package digitaloceantest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestDefaultToken(t *testing.T) {
	require.True(t, strings.HasPrefix(DefaultToken, "dop_v1_"))
	assert.Len(t, strings.TrimPrefix(DefaultToken, "dop_v1_"), 64)
	assert.Equal(t, DefaultToken, NewHandler(Config{}).Token())
}

func TestAuth(t *testing.T) {
	c := newTC(t, Config{Tokens: []string{"dop_v1_one", "dop_v1_two"}})

	for _, tok := range []string{"", "dop_v1_wrong", "'dop_v1_one'", "dop_v1_on"} {
		c.token = tok
		r := c.get("/v2/account")
		requireError(t, r, http.StatusUnauthorized, "unauthorized")
		assert.Equal(t, "Unable to authenticate you", r.json.Get("message").String())
		assert.NotEmpty(t, r.header.Get("ratelimit-limit"), "rate headers on 401 too")
		assert.NotEmpty(t, r.header.Get("ratelimit-remaining"))
		assert.NotEmpty(t, r.header.Get("ratelimit-reset"))
	}
	for _, tok := range []string{"dop_v1_one", "dop_v1_two"} {
		c.token = tok
		assert.Equal(t, http.StatusOK, c.get("/v2/account").status)
	}
	assert.Equal(t, "dop_v1_one", c.srv.Token())
}

func TestRateHeadersAndRequestIDs(t *testing.T) {
	c := newTC(t, Config{})
	seen := map[string]bool{}
	for i := 1; i <= 3; i++ {
		r := c.get("/v2/regions")
		require.Equal(t, http.StatusOK, r.status)
		assert.Equal(t, "5000", r.header.Get("ratelimit-limit"))
		assert.Equal(t, strconv.Itoa(5000-i), r.header.Get("ratelimit-remaining"))
		// Sliding window: the oldest request (at epoch) expires an hour later.
		assert.Equal(t, strconv.FormatInt(epoch.Add(time.Hour).Unix(), 10), r.header.Get("ratelimit-reset"))
		id := r.header.Get("x-request-id")
		assert.Regexp(t, uuidShape, id)
		assert.False(t, seen[id], "request ids are unique")
		seen[id] = true
		assert.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
	}
	// The window slides: after 30 minutes the reset stays anchored to the
	// oldest request; after an hour the old requests no longer count.
	c.srv.Advance(30 * time.Minute)
	r := c.get("/v2/regions")
	assert.Equal(t, "4996", r.header.Get("ratelimit-remaining"))
	assert.Equal(t, strconv.FormatInt(epoch.Add(time.Hour).Unix(), 10), r.header.Get("ratelimit-reset"))
	c.srv.Advance(31 * time.Minute)
	r = c.get("/v2/regions")
	assert.Equal(t, "4998", r.header.Get("ratelimit-remaining"), "only the 30-minute request and this one count")
	assert.Equal(t, strconv.FormatInt(epoch.Add(90*time.Minute).Unix(), 10), r.header.Get("ratelimit-reset"))
}

func TestBurstLimit(t *testing.T) {
	c := newTC(t, Config{BurstLimit: 3, Tokens: []string{"a", "b"}})
	c.token = "a"
	for range 3 {
		require.Equal(t, http.StatusOK, c.get("/v2/sizes").status)
	}
	c.srv.Advance(20 * time.Second)
	r := c.get("/v2/sizes")
	requireError(t, r, http.StatusTooManyRequests, "too_many_requests")
	assert.Equal(t, "API rate limit exceeded.", r.json.Get("message").String())
	assert.Equal(t, "40", r.header.Get("retry-after"), "seconds until the oldest of the burst leaves the minute")
	assert.Equal(t, "0", r.header.Get("ratelimit-remaining"))
	assert.Equal(t, "5000", r.header.Get("ratelimit-limit"))

	c.token = "b"
	assert.Equal(t, http.StatusOK, c.get("/v2/sizes").status, "limits are per token")

	c.token = "a"
	c.srv.Advance(40 * time.Second)
	r = c.get("/v2/sizes")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "4996", r.header.Get("ratelimit-remaining"), "the rejected request did not count")
}

func TestHourlyLimit(t *testing.T) {
	c := newTC(t, Config{HourlyLimit: 2, BurstLimit: -1})
	assert.Equal(t, "1", c.get("/v2/sizes").header.Get("ratelimit-remaining"))
	assert.Equal(t, "0", c.get("/v2/sizes").header.Get("ratelimit-remaining"))
	r := c.get("/v2/sizes")
	requireError(t, r, http.StatusTooManyRequests, "too_many_requests")
	assert.Empty(t, r.header.Get("retry-after"), "no retry-after when the hourly budget is spent")
	assert.Equal(t, "2", r.header.Get("ratelimit-limit"))

	c.srv.SetRateLimit(-1, -1)
	r = c.get("/v2/sizes")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, strconv.Itoa(1<<31-1), r.header.Get("ratelimit-limit"))

	c.srv.SetRateLimit(0, 0)
	assert.Equal(t, "5000", c.get("/v2/sizes").header.Get("ratelimit-limit"))
}

func TestPagination(t *testing.T) {
	c := newTC(t, Config{Droplets: 45})
	c.host = "api.sim.test:8443"
	base := "http://api.sim.test:8443/v2/droplets?"

	r := c.get("/v2/droplets")
	require.Equal(t, http.StatusOK, r.status)
	assert.Len(t, r.json.Get("droplets").Array(), 20, "default per_page")
	assert.Equal(t, int64(45), r.json.Get("meta.total").Int())
	pages := r.json.Get("links.pages").Map()
	assert.Len(t, pages, 2)
	assert.Equal(t, base+"page=2", pages["next"].String())
	assert.Equal(t, base+"page=3", pages["last"].String())

	r = c.get("/v2/droplets?page=2&per_page=20")
	pages = r.json.Get("links.pages").Map()
	assert.Len(t, pages, 4)
	assert.Equal(t, base+"page=1&per_page=20", pages["first"].String())
	assert.Equal(t, base+"page=1&per_page=20", pages["prev"].String())
	assert.Equal(t, base+"page=3&per_page=20", pages["next"].String())
	assert.Equal(t, base+"page=3&per_page=20", pages["last"].String())
	assert.Equal(t, int64(c.srv.DropletIDs()[20]), r.json.Get("droplets.0.id").Int())

	r = c.get("/v2/droplets?page=3")
	pages = r.json.Get("links.pages").Map()
	assert.Len(t, pages, 2)
	assert.Contains(t, pages, "first")
	assert.Contains(t, pages, "prev")
	assert.Len(t, r.json.Get("droplets").Array(), 5)

	r = c.get("/v2/droplets?page=9")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "[]", r.json.Get("droplets").Raw, "beyond the last page: empty array")
	assert.Equal(t, int64(45), r.json.Get("meta.total").Int())
	assert.NotContains(t, r.json.Get("links.pages").Map(), "next")

	// Other query parameters are kept.
	r = c.get("/v2/droplets?tag_name=web&per_page=5")
	next := r.json.Get("links.pages.next").String()
	assert.Equal(t, base+"page=2&per_page=5&tag_name=web", next)

	// One page: "links": {}.
	r = c.get("/v2/droplets?per_page=200")
	assert.Equal(t, "{}", r.json.Get("links").Raw)
	assert.Len(t, r.json.Get("droplets").Array(), 45)

	for _, q := range []string{"page=0", "page=x", "per_page=0", "per_page=-3", "per_page=many"} {
		requireError(t, c.get("/v2/droplets?"+q), http.StatusBadRequest, "bad_request")
	}
}

func TestPerPageCap(t *testing.T) {
	c := newTC(t, Config{Droplets: 230})
	r := c.get("/v2/droplets?per_page=1000")
	require.Equal(t, http.StatusOK, r.status)
	assert.Len(t, r.json.Get("droplets").Array(), 200)
	assert.Contains(t, r.json.Get("links.pages.next").String(), "per_page=1000")
	r = c.get("/v2/droplets?per_page=1000&page=2")
	assert.Len(t, r.json.Get("droplets").Array(), 30)
}

// noReuse is a client whose connections are never reused, so that
// net/http cannot silently retry a request on a dropped connection.
func noReuse() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

func TestFaults(t *testing.T) {
	c := newTC(t, Config{})
	c.hc = noReuse()

	c.srv.InjectNext(Fault429, Fault500, Fault503, Fault502HTML, Fault504HTML, FaultMalformed)
	r := c.get("/v2/account")
	requireError(t, r, http.StatusTooManyRequests, "too_many_requests")
	assert.Equal(t, "1", r.header.Get("retry-after"))
	assert.Equal(t, "0", r.header.Get("ratelimit-remaining"))
	assert.Equal(t, "5000", r.header.Get("ratelimit-limit"))

	requireError(t, c.get("/v2/account"), http.StatusInternalServerError, "server_error")
	requireError(t, c.get("/v2/account"), http.StatusServiceUnavailable, "service_unavailable")
	for _, status := range []int{http.StatusBadGateway, http.StatusGatewayTimeout} {
		r = c.get("/v2/account")
		assert.Equal(t, status, r.status)
		assert.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "text/html"))
		assert.Contains(t, string(r.body), "<html")
		assert.False(t, json.Valid(r.body))
	}
	r = c.get("/v2/account")
	assert.Equal(t, http.StatusOK, r.status)
	assert.False(t, json.Valid(r.body), "malformed body")

	// The queue is used up: back to normal.
	r = c.get("/v2/account")
	assert.Equal(t, http.StatusOK, r.status)
	assert.True(t, json.Valid(r.body))
	assert.Equal(t, 7, c.srv.Requests(), "faulted requests count")
	assert.Equal(t, 7, c.srv.RequestsTo(http.MethodGet, "/v2/account"))
	assert.Equal(t, 0, c.srv.RequestsTo(http.MethodPost, "/v2/"))
	c.srv.ResetRequests()
	assert.Zero(t, c.srv.Requests())
	assert.Zero(t, c.srv.RequestsTo("", "/"))
}

func TestFaultReset(t *testing.T) {
	c := newTC(t, Config{})
	c.hc = noReuse()
	before := c.srv.DropletCount()
	c.srv.InjectNext(FaultReset)
	_, err := c.try(http.MethodPost, "/v2/droplets", `{"name":"lost","size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64"}`)
	require.Error(t, err)
	assert.Equal(t, before, c.srv.DropletCount(), "a reset before processing changes nothing")
	assert.Equal(t, 1, c.srv.Requests())
}

func TestFaultResetAfter(t *testing.T) {
	c := newTC(t, Config{})
	c.hc = noReuse()
	before := c.srv.DropletCount()
	c.srv.InjectNext(FaultResetAfter)
	_, err := c.try(http.MethodPost, "/v2/droplets", `{"name":"ghost","size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64"}`)
	require.Error(t, err)
	assert.Equal(t, before+1, c.srv.DropletCount(), "processed although never answered")
	assert.Equal(t, 1, c.srv.DropletsNamed("ghost"))
}

func TestFaultTruncated(t *testing.T) {
	c := newTC(t, Config{})
	c.hc = noReuse()
	full := c.get("/v2/droplets")
	c.srv.InjectNext(FaultTruncated)
	req, _ := http.NewRequest(http.MethodGet, c.srv.URL()+"/v2/droplets", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := c.hc.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, int64(len(full.body)), res.ContentLength)
	b, err := io.ReadAll(res.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Len(t, b, len(full.body)/2)
}

func TestFaultRate(t *testing.T) {
	run := func() []int {
		c := newTC(t, Config{Seed: 42})
		c.srv.SetFaultRate(0.5, Fault500, Fault503)
		var got []int
		for range 40 {
			got = append(got, c.get("/v2/sizes").status)
		}
		return got
	}
	a, b := run(), run()
	assert.Equal(t, a, b, "same seed, same faults")
	counts := map[int]int{}
	for _, s := range a {
		counts[s]++
	}
	assert.Greater(t, counts[200], 5)
	assert.Greater(t, counts[500], 2)
	assert.Greater(t, counts[503], 2)

	c := newTC(t, Config{})
	c.srv.SetFaultRate(1, Fault500)
	assert.Equal(t, 500, c.get("/v2/sizes").status)
	c.srv.SetFaultRate(0)
	assert.Equal(t, 200, c.get("/v2/sizes").status)
}

func TestLatencyHonoursCancel(t *testing.T) {
	c := newTC(t, Config{})
	c.srv.SetLatency(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.srv.URL()+"/v2/account", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	_, err := c.hc.Do(req)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded))
	c.srv.SetLatency(0)
	assert.Equal(t, http.StatusOK, c.get("/v2/account").status)
	assert.Equal(t, 2, c.srv.Requests())
}

func TestRouting(t *testing.T) {
	c := newTC(t, Config{})
	requireError(t, c.get("/v2/nothing-here"), http.StatusNotFound, "not_found")
	requireError(t, c.get("/v2/droplets/123"), http.StatusNotFound, "not_found")
	requireError(t, c.get("/v2/droplets/abc"), http.StatusNotFound, "not_found")
	r := c.do(http.MethodPatch, "/v2/droplets", "{}")
	requireError(t, r, http.StatusMethodNotAllowed, "method_not_allowed")
	assert.Equal(t, "DELETE, GET, POST", r.header.Get("Allow"))
	assert.Equal(t, http.StatusOK, c.get("/v2/droplets/").status, "a trailing slash is tolerated")
}

func TestNewHandler(t *testing.T) {
	s := NewHandler(Config{Droplets: 3})
	assert.Empty(t, s.URL())
	s.Close()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "http://sim.local/v2/droplets?per_page=2", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	s.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	body := gjson.ParseBytes(rec.Body.Bytes())
	assert.Equal(t, int64(3), body.Get("meta.total").Int())
	assert.Equal(t, "http://sim.local/v2/droplets?page=2&per_page=2", body.Get("links.pages.next").String())
}

func TestConcurrency(t *testing.T) {
	c := newTC(t, Config{Droplets: 50, BurstLimit: -1})
	const workers, each = 12, 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				var r resp
				var err error
				switch i % 5 {
				case 0:
					r, err = c.try(http.MethodPost, "/v2/droplets",
						`{"name":"c-`+strconv.Itoa(w)+`-`+strconv.Itoa(i)+`","size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64","tags":["conc"]}`)
				case 1:
					r, err = c.try(http.MethodGet, "/v2/droplets?per_page=50&tag_name=web", "")
				case 2:
					ids := c.srv.DropletIDs()
					r, err = c.try(http.MethodPost, "/v2/droplets/"+strconv.Itoa(ids[(w*each+i)%len(ids)])+"/actions", `{"type":"reboot"}`)
				case 3:
					c.srv.Advance(time.Second)
					r, err = c.try(http.MethodGet, "/v2/actions?per_page=100", "")
				default:
					r, err = c.try(http.MethodGet, "/v2/tags/conc", "")
				}
				mu.Lock()
				if err != nil {
					statuses[-1]++
				} else {
					statuses[r.status]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Zero(t, statuses[-1], "transport errors")
	for s := range statuses {
		assert.Contains(t, []int{200, 201, 202, 422}, s, "status %d", s)
	}
	assert.Equal(t, workers*each/5, statuses[202])
	assert.Equal(t, 50+workers*each/5, c.srv.DropletCount())
	assert.Equal(t, workers*each, c.srv.Requests())
	r := c.get("/v2/droplets?tag_name=conc&per_page=200")
	assert.Equal(t, int64(workers*each/5), r.json.Get("meta.total").Int())
}

func TestLargeListing(t *testing.T) {
	c := newTC(t, Config{Droplets: 10000, BurstLimit: -1})
	seen := make(map[int64]bool, 10000)
	for page := 1; ; page++ {
		r := c.get("/v2/droplets?per_page=200&page=" + strconv.Itoa(page))
		require.Equal(t, http.StatusOK, r.status)
		for _, id := range r.json.Get("droplets.#.id").Array() {
			seen[id.Int()] = true
		}
		if r.json.Get("links.pages.next").String() == "" {
			require.Equal(t, 50, page)
			break
		}
	}
	assert.Len(t, seen, 10000)
	assert.Equal(t, 10000, c.srv.DropletCount())
}

func BenchmarkListDroplets(b *testing.B) {
	s := NewHandler(Config{Droplets: 10000, HourlyLimit: -1, BurstLimit: -1})
	reqs := make([]*http.Request, 50)
	for i := range reqs {
		reqs[i] = httptest.NewRequest(http.MethodGet, "http://sim/v2/droplets?per_page=200&page="+strconv.Itoa(i+1), nil)
		reqs[i].Header.Set("Authorization", "Bearer "+s.Token())
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, req := range reqs {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatal(rec.Code)
			}
		}
	}
}

func BenchmarkSeed10k(b *testing.B) {
	for b.Loop() {
		NewHandler(Config{Droplets: 10000})
	}
}

// The simulator enforces the endpoint windows: the eleventh listing of SSH
// keys in a minute is a 429 with retry-after and the API's body, while
// the droplets go on; the window frees up when the clock moves a minute.
func TestSSHKeyEndpointWindow(t *testing.T) {
	srv := NewServer(Config{Droplets: 1})
	t.Cleanup(srv.Close)
	get := func(path string) *http.Response {
		req, err := http.NewRequest("GET", srv.URL()+path, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+srv.Token())
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	for i := range 10 {
		require.Equal(t, 200, get("/v2/account/keys").StatusCode, "listing %d", i+1)
	}
	resp := get("/v2/account/keys")
	require.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, "60", resp.Header.Get("retry-after"))
	assert.NotEmpty(t, resp.Header.Get("ratelimit-remaining"))
	assert.Equal(t, 200, get("/v2/droplets").StatusCode)
	assert.Equal(t, 1, srv.Refused())
	srv.Advance(time.Minute + time.Second)
	assert.Equal(t, 200, get("/v2/account/keys").StatusCode)
}
