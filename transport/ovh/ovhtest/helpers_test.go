package ovhtest

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
	"github.com/tidwall/gjson"
)

// tc is a tiny signing client for the tests: plain net/http, no SDK.
type tc struct {
	t        *testing.T
	srv      *Server
	hc       *http.Client
	ak, as   string
	ck       string
	unsigned bool          // send no signing headers (X-Ovh-Application only)
	skew     time.Duration // added to the timestamp the client signs with
	prefix   string        // API prefix; "/1.0" unless set
}

func newTC(t *testing.T, cfg Config) *tc {
	t.Helper()
	srv := NewServer(cfg)
	t.Cleanup(srv.Close)
	return &tc{t: t, srv: srv, hc: &http.Client{Timeout: 10 * time.Second},
		ak: srv.AppKey(), as: srv.AppSecret(), ck: srv.ConsumerKey(), prefix: "/1.0"}
}

// frozen stops the wall clock under the server clock at a fixed instant,
// so that tests about time move it only with SkewClock.
func frozen(srv *Server) time.Time {
	at := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	srv.mu.Lock()
	srv.clk = simulator.NewClock(ClockManual, at)
	srv.mu.Unlock()
	return at
}

type resp struct {
	status int
	header http.Header
	body   []byte
	json   gjson.Result
}

// do sends a signed call to the API path (without /1.0); mods run on the
// request after it was signed, to tamper with it.
func (c *tc) do(method, path, body string, mods ...func(*http.Request)) resp {
	c.t.Helper()
	r, err := c.try(method, path, body, mods...)
	require.NoError(c.t, err, "%s %s", method, path)
	return r
}

func (c *tc) try(method, path, body string, mods ...func(*http.Request)) (resp, error) {
	c.t.Helper()
	root := c.srv.Root()
	url := root + c.prefix + path
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(c.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json;charset=utf-8")
	}
	if c.ak != "" {
		req.Header.Set("X-Ovh-Application", c.ak)
	}
	if !c.unsigned {
		ts := strconv.FormatInt(c.srv.Now().Add(c.skew).Unix(), 10)
		req.Header.Set("X-Ovh-Consumer", c.ck)
		req.Header.Set("X-Ovh-Timestamp", ts)
		req.Header.Set("X-Ovh-Signature", Sign(c.as, c.ck, method, url, body, ts))
	}
	for _, m := range mods {
		m(req)
	}
	return c.send(req)
}

func (c *tc) send(req *http.Request) (resp, error) {
	res, err := c.hc.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b, json: gjson.ParseBytes(b)}, err
}

func (c *tc) get(path string) resp {
	c.t.Helper()
	return c.do(http.MethodGet, path, "")
}

// as returns a copy of the client that signs with another consumer key.
func (c *tc) withKey(ck string) *tc {
	d := *c
	d.ck = ck
	return &d
}

// withBody replaces the request body after signing.
func withBody(body string) func(*http.Request) {
	return func(r *http.Request) {
		r.Body = io.NopCloser(strings.NewReader(body))
		r.ContentLength = int64(len(body))
	}
}

var queryIDShape = regexp.MustCompile(`^EU\.ext-[1-9]\.[0-9a-f]{6}\.[0-9]{4}\.[0-9]{4,}$`)

// requireError checks the union error body, its class and code, and the
// query id header. code "" means errorCode must be absent.
func requireError(t *testing.T, r resp, status int, code, message string) {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	assert.Equal(t, errorClass(status), r.json.Get("class").String(), "body: %s", r.body)
	assert.Equal(t, message, r.json.Get("message").String(), "body: %s", r.body)
	assert.Equal(t, strconv.Itoa(status)+" "+http.StatusText(status), r.json.Get("httpCode").String())
	if code == "" {
		assert.False(t, r.json.Get("errorCode").Exists(), "no errorCode: %s", r.body)
	} else {
		assert.Equal(t, code, r.json.Get("errorCode").String(), "body: %s", r.body)
	}
	assert.Regexp(t, queryIDShape, r.header.Get("X-Ovh-Queryid"))
	assert.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
}

// requireFields checks that a JSON object has every key.
func requireFields(t *testing.T, obj gjson.Result, keys ...string) {
	t.Helper()
	require.True(t, obj.IsObject(), "not an object: %s", obj.Raw)
	for _, k := range keys {
		assert.True(t, obj.Get(k).Exists(), "field %q missing in %s", k, obj.Raw)
	}
}

func strs(r gjson.Result) []string {
	var out []string
	for _, v := range r.Array() {
		out = append(out, v.String())
	}
	return out
}
