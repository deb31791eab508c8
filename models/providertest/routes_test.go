package providertest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRouteMatching(t *testing.T) {
	r := parseRoute("GET /v2/droplets/{id}")
	assert.Equal(t, "GET /v2/droplets/*", r.String())
	assert.Equal(t, "GET /geography/Cloud", parseRoute("geography/Cloud").String(), "a bare path is a GET, the slash optional")

	sim := parseRoute("GET /v2/droplets/*")
	assert.True(t, serves(sim, parseRoute("GET /v2/droplets/{id}")))
	assert.True(t, serves(sim, parseRoute("GET /v2/droplets/7")), "a parameter matches a value")
	assert.False(t, serves(parseRoute("GET /v2/droplets/actions"), parseRoute("GET /v2/droplets/{id}")), "a literal does not serve every id")
	assert.False(t, serves(sim, parseRoute("POST /v2/droplets/{id}")), "the method counts")
	assert.False(t, serves(sim, parseRoute("GET /v2/droplets")), "the length counts")

	item := parseRoute("GET /v2/droplets/{id}")
	assert.True(t, below(parseRoute("POST /v2/droplets/*/actions"), item), "an action of an object")
	assert.True(t, below(parseRoute("POST /v2/droplets/actions"), item), "a literal where the id stands")
	assert.True(t, below(sim, item), "the path itself")
	assert.False(t, below(parseRoute("GET /v2/droplets"), item), "above it")
	assert.False(t, below(parseRoute("GET /v2/images/*"), item))
	assert.True(t, below(parseRoute("DELETE /v2/reserved_ips/*"), parseRoute("ANY /v2/reserved_ips")), "an Outside entry covers any method")
}
