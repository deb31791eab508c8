package simulator

import (
	"strings"
	"sync"
)

// Counter counts the requests that reached a simulator, by method and by a
// path key the simulator chooses (the path as the client sent it, or the
// part of it below the API's version prefix). The zero value is ready.
type Counter struct {
	mu    sync.Mutex
	total int
	byKey map[counterKey]int
}

type counterKey struct{ method, path string }

// Add counts one request.
func (c *Counter) Add(method, path string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.byKey = make(map[counterKey]int)
	}
	c.total++
	c.byKey[counterKey{method, path}]++
}

// Requests is the number of requests counted.
func (c *Counter) Requests() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// RequestsTo counts the requests with the given method ("" for any, case
// ignored) whose path key starts with pathPrefix.
func (c *Counter) RequestsTo(method, pathPrefix string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, v := range c.byKey {
		if (method == "" || strings.EqualFold(method, k.method)) && strings.HasPrefix(k.path, pathPrefix) {
			n += v
		}
	}
	return n
}

// Reset zeroes the counters.
func (c *Counter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total = 0
	clear(c.byKey)
}
