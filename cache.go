package stratus

import (
	"net/http"
	"strconv"
	"time"

	gocache "github.com/patrickmn/go-cache"
)

// Cache stores raw API answers by key for a time. Implementations must be
// safe for concurrent use. Entries are never modified after Set.
type Cache interface {
	Get(key string) (Entry, bool)
	Set(key string, e Entry, ttl time.Duration)
	// Flush forgets everything.
	Flush()
}

// Entry is one cached answer: the body and the headers pagers read.
type Entry struct {
	Body   []byte
	Header http.Header
}

// NewMemoryCache returns the default in-memory cache (go-cache), whose
// expired entries are swept every cleanup interval.
func NewMemoryCache(cleanup time.Duration) Cache {
	if cleanup <= 0 {
		cleanup = time.Minute
	}
	return memoryCache{c: gocache.New(gocache.NoExpiration, cleanup)}
}

type memoryCache struct{ c *gocache.Cache }

func (m memoryCache) Get(key string) (Entry, bool) {
	v, ok := m.c.Get(key)
	if !ok {
		return Entry{}, false
	}
	e, ok := v.(Entry)
	return e, ok
}

func (m memoryCache) Set(key string, value Entry, ttl time.Duration) {
	if ttl <= 0 {
		return
	}
	m.c.Set(key, value, ttl)
}

func (m memoryCache) Flush() { m.c.Flush() }

// cacheKey names one GET answer: the client (so that a shared cache never
// mixes accounts), the client's generation (bumped by every
// mutation, so that a write invalidates all that was read before it), the
// path and the query.
func (c *Client) cacheKey(path, rawQuery string) string {
	gen := c.gen.Load()
	b := make([]byte, 0, len(path)+len(rawQuery)+24)
	b = strconv.AppendUint(b, c.id, 10)
	b = append(b, ':')
	b = strconv.AppendUint(b, gen, 10)
	b = append(b, ' ')
	b = append(b, path...)
	if rawQuery != "" {
		b = append(b, '?')
		b = append(b, rawQuery...)
	}
	return string(b)
}

// invalidate forgets every cached answer of this client. Mutations call it:
// one write can change many objects (an action changes its droplet, a tag
// changes every tagged object), so stratus chooses correctness over hit
// rate. Loaded handles keep their data until Reload.
func (c *Client) invalidate() { c.gen.Add(1) }
