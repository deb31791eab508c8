package enstratustest

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// tc is a tiny HTTP client for the tests: plain net/http, signed with the
// transport package's Sign function.
type tc struct {
	t       *testing.T
	srv     *Server
	hc      *http.Client
	access  string
	secret  string
	ua      string
	details string        // x-es-details; "" sends none
	skew    time.Duration // added to the timestamp
	version string
}

func newTC(t *testing.T, cfg Config) *tc {
	t.Helper()
	srv := NewServer(cfg)
	t.Cleanup(srv.Close)
	return &tc{t: t, srv: srv, hc: &http.Client{}, access: srv.AccessKey(), secret: srv.SecretKey(), ua: "stratus-test", version: Version}
}

type resp struct {
	status int
	header http.Header
	body   []byte
	json   gjson.Result
}

// do sends method on path, relative to the version base
// ("geography/Cloud/1?x=y").
func (c *tc) do(method, path, body string) resp {
	c.t.Helper()
	r, err := c.try(method, path, body)
	require.NoError(c.t, err, "%s %s", method, path)
	return r
}

func (c *tc) try(method, path, body string) (resp, error) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.srv.Root()+"/api/enstratus/"+c.version+"/"+path, rd)
	require.NoError(c.t, err)
	c.sign(req)
	return c.send(req)
}

func (c *tc) sign(req *http.Request) {
	ts := c.srv.Now().Add(c.skew).UnixMilli()
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("x-esauth-access", c.access)
	req.Header.Set("x-esauth-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("x-esauth-signature", enstratus.Sign(c.secret, c.access, req.Method, req.URL.EscapedPath(), ts, c.ua))
	if c.details != "" {
		req.Header.Set("x-es-details", c.details)
	}
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

// requireError checks the API's error body.
func requireError(t *testing.T, r resp, status int, message string) {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	require.Equal(t, message, r.json.Get("error.message").String(), "body: %s", r.body)
	require.Equal(t, "application/json", r.header.Get("Content-Type"))
}

// one returns the single object of a GET answer, checking the envelope.
func one(t *testing.T, r resp, coll string) gjson.Result {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	arr := r.json.Get(coll)
	require.True(t, arr.IsArray(), "envelope %q in %s", coll, r.body)
	require.Len(t, arr.Array(), 1, "body: %s", r.body)
	require.Len(t, r.json.Map(), 1, "only the envelope key: %s", r.body)
	return arr.Array()[0]
}
