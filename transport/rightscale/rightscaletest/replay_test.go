package rightscaletest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/transport/rightscale/rightscaletest"
)

// exchange is one request and answer of the recording of the real API
// that testdata/recording.json holds (made by the API's own Go client;
// lists longer than three items are cut to three).
type exchange struct {
	CmdArgs []string
	RR      struct {
		Verb       string
		URI        string `json:"Uri"`
		ReqHeader  http.Header
		ReqBody    string
		Status     int
		RespHeader http.Header
		RespBody   string
	}
}

func loadRecording(t *testing.T) []exchange {
	raw, err := os.ReadFile("testdata/recording.json")
	require.NoError(t, err)
	var ex []exchange
	require.NoError(t, json.Unmarshal(raw, &ex))
	require.Len(t, ex, 46)
	return ex
}

// mediaType is the Content-Type without its charset.
func mediaType(ct string) string {
	var keep []string
	for _, p := range strings.Split(ct, ";") {
		p = strings.TrimSpace(p)
		if p != "" && !strings.HasPrefix(p, "charset=") {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ";")
}

// fields is the set of top-level field names of an answer: an object's
// keys, or the union of the keys of a list's items.
func fields(t *testing.T, body string) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(body), &v), "body %.80s", body)
	set := map[string]bool{}
	add := func(o any) {
		if m, ok := o.(map[string]any); ok {
			for k := range m {
				set[k] = true
			}
		}
	}
	if arr, ok := v.([]any); ok {
		for _, o := range arr {
			add(o)
		}
	} else {
		add(v)
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func token(t *testing.T, srv *rightscaletest.Server) string {
	t.Helper()
	resp, err := http.PostForm(srv.URL()+"/api/oauth2", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {srv.RefreshToken()}})
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 400, resp.StatusCode, "the grant needs the version header too")
	req, _ := http.NewRequest("POST", srv.URL()+"/api/oauth2", strings.NewReader(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {srv.RefreshToken()}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-API-Version", "1.5")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	require.Equal(t, "bearer", tok.TokenType)
	require.True(t, tok.ExpiresIn > 0 && tok.ExpiresIn < 1000000)
	return tok.AccessToken
}

// TestReplayRecording sends every request of the recording to the
// simulator, on a clock moved to each exchange's recorded Date, and
// compares the status, the media type and the set of fields of each
// answer (and the exact text of error bodies). Hrefs of objects the
// recording created are mapped to those the simulator created.
func TestReplayRecording(t *testing.T) {
	srv := rightscaletest.NewServer(rightscaletest.Config{})
	defer srv.Close()
	tok := token(t, srv)
	hrefs := map[string]string{}
	rewrite := func(s string) string {
		for rec, sim := range hrefs {
			s = strings.ReplaceAll(s, rec, sim)
		}
		return s
	}
	for i, ex := range loadRecording(t) {
		rr := ex.RR
		if d, err := http.ParseTime(rr.RespHeader.Get("Date")); err == nil {
			if ahead := d.Sub(srv.Now()); ahead > 0 {
				srv.Advance(ahead)
			}
		}
		u, err := url.Parse(rr.URI)
		require.NoError(t, err)
		var body io.Reader
		if rr.ReqBody != "" {
			body = strings.NewReader(rewrite(rr.ReqBody))
		}
		req, err := http.NewRequest(rr.Verb, srv.URL()+rewrite(u.RequestURI()), body)
		require.NoError(t, err)
		for k, vs := range rr.ReqHeader {
			req.Header[k] = vs
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		what := strings.Join(ex.CmdArgs, " ")
		require.Equal(t, rr.Status, resp.StatusCode, "exchange %d (%s): %s", i, what, got)
		assert.Equal(t, mediaType(rr.RespHeader.Get("Content-Type")), mediaType(resp.Header.Get("Content-Type")), "exchange %d (%s)", i, what)
		if loc := rr.RespHeader.Get("Location"); loc != "" {
			sim := resp.Header.Get("Location")
			require.True(t, strings.HasPrefix(sim, "/api/"), "exchange %d: a relative Location, got %q", i, sim)
			recParent, simParent := loc[:strings.LastIndexByte(loc, '/')], sim[:strings.LastIndexByte(sim, '/')]
			assert.Equal(t, rewrite(recParent), simParent, "exchange %d: Location in the same collection", i)
			hrefs[loc[strings.LastIndexByte(loc, '/')+1:]] = sim[strings.LastIndexByte(sim, '/')+1:]
		}
		switch {
		case rr.Status == http.StatusNoContent:
			assert.Empty(t, got, "exchange %d: 204 has no body", i)
		case rr.Status >= 400:
			assert.Equal(t, rr.RespBody, string(got), "exchange %d (%s): the error text", i, what)
		case strings.Contains(rr.RespHeader.Get("Content-Type"), "json"):
			assert.Equal(t, fields(t, rr.RespBody), fields(t, string(got)), "exchange %d (%s): fields", i, what)
			if rr.RespBody == "[]" {
				assert.Equal(t, "[]", string(got), "exchange %d: an empty list", i)
			}
		default:
			assert.Equal(t, rr.RespBody, string(got), "exchange %d: body", i)
		}
	}
	assert.Contains(t, hrefs, "7RNT05FU7JJG6", "the instance the recording created was created here too")
}
