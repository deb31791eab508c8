package stratus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport"
)

// Cache stores raw API answers by key for a time, and the invalidation
// generation of each account: see transport.Cache, which it names. Any
// error a Cache returns counts as a miss (Get), a skipped store (Set) or,
// for Generation, a request that bypasses the cache; it is logged on the
// client's logger and never returned to the caller.
type Cache = transport.Cache

// Entry is one cached answer: the body and the headers pagers read.
type Entry = transport.Entry

// CacheKey builds the key of an answer: the account, its generation, the
// path and the encoded query ("<account>:<generation> <path>[?<query>]").
func CacheKey(account string, gen uint64, path, rawQuery string) string {
	return transport.CacheKey(account, gen, path, rawQuery)
}

// SplitCacheKey reads the account and generation of a key built by
// CacheKey; ok is false for any other string.
func SplitCacheKey(key string) (account string, gen uint64, ok bool) {
	return transport.SplitCacheKey(key)
}

// accountID is the stable identity of an account for cache keys: a hash
// of the provider, the endpoint and every credential. It holds no secret
// in clear and no process-local number, so two processes of one account
// share entries and two accounts never do.
func accountID(provider, baseURL string, creds map[string]string) string {
	h := sha256.New()
	h.Write([]byte("stratus cache account v1\x00"))
	h.Write([]byte(provider))
	h.Write([]byte{0})
	h.Write([]byte(strings.TrimRight(baseURL, "/")))
	names := make([]string, 0, len(creds))
	for k := range creds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		h.Write([]byte{0})
		h.Write([]byte(k))
		h.Write([]byte{'='})
		h.Write([]byte(creds[k]))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Account returns the client's account identity as cache keys use it: a
// hash of provider, endpoint and credentials (32 hex digits).
func (c *Client) Account() string { return c.account }

// cacheKey names one GET answer, or gives ok=false when the cache cannot
// tell the account's generation (the request then bypasses the cache).
func (c *Client) cacheKey(ctx context.Context, path, rawQuery string) (string, bool) {
	gen, err := c.cache.Generation(ctx, c.account)
	if err != nil {
		c.cacheFailed(ctx, "generation", err)
		return "", false
	}
	return CacheKey(c.account, gen, path, rawQuery), true
}

// cacheGet is a lookup in which a failure is a logged miss.
func (c *Client) cacheGet(ctx context.Context, key string) (Entry, bool) {
	e, ok, err := c.cache.Get(ctx, key)
	if err != nil {
		c.cacheFailed(ctx, "get", err)
		return Entry{}, false
	}
	return e, ok
}

// cacheSet stores an answer; a failure is logged.
func (c *Client) cacheSet(ctx context.Context, key string, e Entry, ttl time.Duration) {
	if err := c.cache.Set(ctx, key, e, ttl); err != nil {
		c.cacheFailed(ctx, "set", err)
	}
}

// cacheFailed logs a cache failure (warn), secrets redacted.
func (c *Client) cacheFailed(ctx context.Context, op string, err error) {
	if l := c.settings.Logger; l != nil {
		l.LogAttrs(ctx, slog.LevelWarn, "stratus cache failure", slog.String("provider", c.provider.Name),
			slog.String("op", op), slog.String("error", c.Redact(err.Error())))
	}
}

// invalidate forgets every cached answer of this client's account, in
// every client that shares the cache. Mutations call it: one write can
// change many objects (an action changes its droplet, a tag changes every
// tagged object), so stratus chooses correctness over hit rate. Loaded
// handles keep their data until Reload.
func (c *Client) invalidate(ctx context.Context) {
	if c.cache == nil {
		return
	}
	// The write has happened: its caller's cancellation must not keep the
	// other clients from learning of it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := c.cache.Invalidate(ctx, c.account); err != nil {
		c.cacheFailed(ctx, "invalidate", err)
	}
}
