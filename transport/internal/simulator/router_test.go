package simulator

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRouter(t *testing.T) {
	var rt Router[string]
	rt.Add("v2/droplets", map[string]string{"GET": "list", "POST": "create"})
	rt.Add("/v2/droplets/actions/", map[string]string{"POST": "bytag"})
	rt.Add("v2/droplets/*", map[string]string{"GET": "get", "DELETE": "delete"})
	rt.Add("v2/domains/*/records/*", map[string]string{"GET": "record"})

	m := rt.Match("GET", "/v2/droplets")
	assert.True(t, m.Found && m.OK)
	assert.Equal(t, "list", m.Handler)
	assert.Empty(t, m.Params)
	assert.Equal(t, "v2/droplets", m.Pattern)

	m = rt.Match("POST", "/v2/droplets/actions")
	assert.Equal(t, "bytag", m.Handler, "the literal route added first wins")
	m = rt.Match("GET", "v2/droplets/actions")
	assert.True(t, m.Found)
	assert.False(t, m.OK, "the literal route matched: its methods only")
	assert.Equal(t, []string{"POST"}, m.Allow)

	m = rt.Match("HEAD", "/v2/droplets/7")
	assert.True(t, m.OK, "HEAD falls back to GET")
	assert.Equal(t, "get", m.Handler)
	assert.Equal(t, []string{"7"}, m.Params)

	m = rt.Match("PUT", "/v2/droplets/7")
	assert.True(t, m.Found)
	assert.False(t, m.OK)
	assert.Equal(t, []string{"DELETE", "GET"}, m.Allow, "sorted")

	m = rt.Match("GET", "/v2/domains/a%2Fb.com/records/12")
	assert.Equal(t, []string{"a/b.com", "12"}, m.Params, "parameters are unescaped")

	for _, p := range []string{"/v2/droplets/", "/v2/droplets//", "/v2/droplets/7/x", "/v2", "/", "", "/v2/domains//records/1"} {
		assert.False(t, rt.Match("GET", p).Found, p)
	}

	rt.TrailingSlash = true
	m = rt.Match("GET", "/v2/droplets/")
	assert.True(t, m.OK, "one trailing slash is the same route")
	assert.Equal(t, "list", m.Handler)
	assert.Equal(t, []string{"9"}, rt.Match("GET", "/v2/droplets/9/").Params)
	assert.False(t, rt.Match("GET", "/v2/droplets//").Found, "two are not")

	assert.Equal(t, []RouteInfo{
		{"GET", "v2/droplets"}, {"POST", "v2/droplets"},
		{"POST", "v2/droplets/actions"},
		{"DELETE", "v2/droplets/*"}, {"GET", "v2/droplets/*"},
		{"GET", "v2/domains/*/records/*"},
	}, rt.Routes())
	assert.Equal(t, []string{
		"DELETE /v2/droplets/*", "GET /v2/domains/*/records/*", "GET /v2/droplets", "GET /v2/droplets/*",
		"POST /v2/droplets", "POST /v2/droplets/actions",
	}, rt.Listing())
}
