package simulator

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCounterByMethodAndPrefix(t *testing.T) {
	var c Counter // the zero value is ready
	assert.Equal(t, 0, c.RequestsTo("", ""))
	c.Add("GET", "/v2/droplets")
	c.Add("GET", "/v2/droplets")
	c.Add("GET", "/v2/droplets/7")
	c.Add("POST", "/v2/droplets")
	c.Add("DELETE", "/v2/tags/web")

	assert.Equal(t, 5, c.Requests())
	assert.Equal(t, 3, c.RequestsTo("GET", "/v2/droplets"))
	assert.Equal(t, 3, c.RequestsTo("get", "/v2/droplets"), "the method's case is ignored")
	assert.Equal(t, 4, c.RequestsTo("", "/v2/droplets"), `"" is any method`)
	assert.Equal(t, 1, c.RequestsTo("GET", "/v2/droplets/"))
	assert.Equal(t, 5, c.RequestsTo("", "/v2/"))
	assert.Equal(t, 5, c.RequestsTo("", ""))
	assert.Equal(t, 0, c.RequestsTo("PUT", ""))
	assert.Equal(t, 0, c.RequestsTo("", "/V2/"), "paths are compared as they are")

	c.Reset()
	assert.Equal(t, 0, c.Requests())
	assert.Equal(t, 0, c.RequestsTo("", ""))
	c.Add("GET", "/v2/account")
	assert.Equal(t, 1, c.Requests())
	assert.Equal(t, 1, c.RequestsTo("GET", "/v2/account"))
}

func TestCounterConcurrent(t *testing.T) {
	var c Counter
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				c.Add("GET", "/x")
				_ = c.RequestsTo("", "/")
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 800, c.Requests())
	assert.Equal(t, 800, c.RequestsTo("GET", "/x"))
}
