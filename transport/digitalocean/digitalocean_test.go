package digitalocean_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadEnvPrecedence(t *testing.T) {
	c, err := digitalocean.LoadEnv(env(map[string]string{"DIGITALOCEAN_TOKEN": " 'first' ", "DIGITALOCEAN_ACCESS_TOKEN": "second"}))
	require.NoError(t, err)
	assert.Equal(t, digitalocean.Token("first"), c.Token)
	c, err = digitalocean.LoadEnv(env(map[string]string{"DIGITALOCEAN_ACCESS_TOKEN": "second", "DIGITALOCEAN_API_URL": "http://127.0.0.1:1"}))
	require.NoError(t, err)
	assert.Equal(t, digitalocean.Token("second"), c.Token)
	assert.Equal(t, "http://127.0.0.1:1", c.BaseURL)
	_, err = digitalocean.LoadEnv(env(nil))
	assert.ErrorIs(t, err, digitalocean.ErrNoToken)
}

func TestTokenNeverPrints(t *testing.T) {
	tok := digitalocean.Token("dop_v1_abc")
	for _, s := range []string{tok.String(), fmt.Sprint(tok), fmt.Sprintf("%v %#v", tok, tok), fmt.Sprintf("%+v", digitalocean.Credentials{Token: tok})} {
		assert.NotContains(t, s, "dop_v1_abc")
	}
}

func TestDecodeError(t *testing.T) {
	e := &transport.Error{Status: 404, Kind: transport.KindForStatus(404)}
	digitalocean.DecodeError(e, http.Header{}, []byte(`{"id":"not_found","message":"The resource you requested could not be found.","request_id":"abc-123"}`))
	assert.Equal(t, "not_found", e.Code)
	assert.Equal(t, "The resource you requested could not be found.", e.Message)
	assert.Equal(t, "abc-123", e.RequestID)
	assert.ErrorIs(t, e, transport.ErrNotFound)

	e = &transport.Error{Status: 422}
	digitalocean.DecodeError(e, http.Header{}, []byte(`{"id":"unprocessable_entity","message":"Droplet already has a pending event."}`))
	assert.ErrorIs(t, e, transport.ErrInvalid)

	for _, body := range []string{"", "<html>", `{"id":5}`, `[1,2]`, `{"message":`, "null"} {
		e = &transport.Error{Status: 500}
		digitalocean.DecodeError(e, http.Header{}, []byte(body))
		assert.Empty(t, e.Code, body)
	}
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{`{"id":"not_found","message":"m","request_id":"r"}`, `<html><title>x</title>`, `{"error":"e","messages":null}`, `{"id":`, ""} {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"message":` + strings.Repeat("[", 200) + `"x"`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e := &transport.Error{Status: 500}
		digitalocean.DecodeError(e, http.Header{}, b)
		_ = e.Error()
	})
}

func TestParseRate(t *testing.T) {
	h := http.Header{}
	_, ok := digitalocean.ParseRate(h)
	assert.False(t, ok)
	h.Set("ratelimit-limit", "5000")
	h.Set("ratelimit-remaining", "4321")
	h.Set("ratelimit-reset", "1402425459")
	r, ok := digitalocean.ParseRate(h)
	require.True(t, ok)
	assert.Equal(t, 5000, r.Limit)
	assert.Equal(t, 4321, r.Remaining)
	assert.Equal(t, time.Unix(1402425459, 0), r.Reset)
}

func TestPager(t *testing.T) {
	p := digitalocean.Pager{}
	q := p.First(url.Values{"tag_name": {"web"}}, 500)
	assert.Equal(t, "1", q.Get("page"))
	assert.Equal(t, "200", q.Get("per_page"), "per_page is capped at 200")
	assert.Equal(t, "web", q.Get("tag_name"))

	body := gjson.Parse(`{"droplets":[{},{}],"links":{"pages":{"next":"https://api.digitalocean.com/v2/droplets?page=2&per_page=2&tag_name=web","last":"https://api.digitalocean.com/v2/droplets?page=3&per_page=2"}},"meta":{"total":5}}`)
	next, total := p.Next(q, http.Header{}, body, 2)
	require.NotNil(t, next)
	assert.Equal(t, "2", next.Get("page"))
	assert.Equal(t, "2", next.Get("per_page"))
	assert.Equal(t, "web", next.Get("tag_name"))
	assert.Equal(t, 5, total)

	for _, last := range []string{`{"droplets":[],"links":{},"meta":{"total":0}}`, `{"droplets":[{}],"links":{"pages":{}}}`, `{"droplets":[{}]}`} {
		next, _ = p.Next(q, http.Header{}, gjson.Parse(last), 1)
		assert.Nil(t, next, last)
	}
	// A next link that does not move would loop forever: treat it as the end.
	stuck := gjson.Parse(`{"droplets":[{}],"links":{"pages":{"next":"https://x/v2/droplets?page=1"}}}`)
	next, _ = p.Next(q, http.Header{}, stuck, 1)
	assert.Nil(t, next)
	assert.Equal(t, "7", p.Page(q, 7, 20).Get("page"))
}

// A page that claims more than the listing holds: the pager stops once
// meta.total items have been listed, whatever links.pages.next says.
func TestPagerStopsAtTotal(t *testing.T) {
	p := digitalocean.Pager{}
	link := `{"droplets":[{},{}],"links":{"pages":{"next":"https://x/v2/droplets?page=%d&per_page=2"}},"meta":{"total":%d}}`
	q := url.Values{"page": {"2"}, "per_page": {"2"}}
	next, total := p.Next(q, http.Header{}, gjson.Parse(fmt.Sprintf(link, 3, 4)), 2)
	assert.Nil(t, next, "pages 1 and 2 of 2 hold the 4 items")
	assert.Equal(t, 4, total)
	next, _ = p.Next(q, http.Header{}, gjson.Parse(fmt.Sprintf(link, 3, 5)), 2)
	assert.Equal(t, "3", next.Get("page"), "a fifth item is on page 3")

	// Without page or per_page the API's defaults count: page 1 of 20.
	next, _ = p.Next(url.Values{}, http.Header{}, gjson.Parse(fmt.Sprintf(link, 2, 20)), 20)
	assert.Nil(t, next)
	next, _ = p.Next(url.Values{}, http.Header{}, gjson.Parse(fmt.Sprintf(link, 2, 21)), 20)
	assert.NotNil(t, next)
	// per_page over the cap counts as the cap.
	next, _ = p.Next(url.Values{"page": {"2"}, "per_page": {"500"}}, http.Header{}, gjson.Parse(fmt.Sprintf(link, 3, 400)), 200)
	assert.Nil(t, next)
	// Cursor pages are not counted.
	next, _ = p.Next(url.Values{"page_token": {"abc"}}, http.Header{}, gjson.Parse(`{"links":{"pages":{"next":"https://x/v2/x?page_token=def"}},"meta":{"total":1}}`), 5)
	assert.Equal(t, "def", next.Get("page_token"))
}
