package digitaloceantest

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// tc is a tiny HTTP client for the tests: plain net/http, no SDK.
type tc struct {
	t     *testing.T
	srv   *Server
	hc    *http.Client
	token string
	host  string // overrides the Host header when set
}

func newTC(t *testing.T, cfg Config) *tc {
	t.Helper()
	srv := NewServer(cfg)
	t.Cleanup(srv.Close)
	return &tc{t: t, srv: srv, hc: &http.Client{}, token: srv.Token()}
}

type resp struct {
	status int
	header http.Header
	body   []byte
	json   gjson.Result
}

func (c *tc) do(method, path string, body string) resp {
	c.t.Helper()
	r, err := c.try(method, path, body)
	require.NoError(c.t, err, "%s %s", method, path)
	return r
}

func (c *tc) try(method, path string, body string) (resp, error) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.srv.URL()+path, rd)
	require.NoError(c.t, err)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.host != "" {
		req.Host = c.host
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	r := resp{status: res.StatusCode, header: res.Header, body: b, json: gjson.ParseBytes(b)}
	return r, err
}

func (c *tc) get(path string) resp {
	c.t.Helper()
	return c.do(http.MethodGet, path, "")
}

// requireError checks the DigitalOcean error body and its request id.
func requireError(t *testing.T, r resp, status int, id string) {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	require.Equal(t, id, r.json.Get("id").String(), "body: %s", r.body)
	require.NotEmpty(t, r.json.Get("message").String())
	require.Equal(t, r.header.Get("x-request-id"), r.json.Get("request_id").String())
	require.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
}
