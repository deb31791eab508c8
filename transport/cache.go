package transport

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Cache stores raw API answers by key for a time, and the invalidation
// generation of each account. Implementations must be safe for concurrent
// use, and may be shared by many clients, processes or machines: keys
// begin with the account they belong to, so accounts never see each
// other's answers. The root package names it stratus.Cache; it is
// declared here so that a cache that lives outside the process (the
// fleet's, in Redis) can implement it without importing the root.
//
// A key is "<account>:<generation> <path>[?<query>]" (CacheKey). account
// is the client's Account (a hash); generation is the account's current
// Generation, which every write through any client of the account moves
// on with Invalidate, so that everything read before a write is dead at
// once, in every client that shares the cache.
//
// Any error a Cache returns counts as a miss (Get), a skipped store
// (Set) or, for Generation, a request that bypasses the cache; it is
// logged on the client's logger and never returned to the caller. A
// remote cache can fail; the API is still there.
type Cache interface {
	Get(ctx context.Context, key string) (Entry, bool, error)
	Set(ctx context.Context, key string, e Entry, ttl time.Duration) error
	// Generation returns the account's current generation (0 before any
	// write).
	Generation(ctx context.Context, account string) (uint64, error)
	// Invalidate moves the account's generation on: every entry stored
	// under an earlier one is dead and may be dropped.
	Invalidate(ctx context.Context, account string) error
	// Flush forgets everything.
	Flush(ctx context.Context) error
}

// Entry is one cached answer: the body and the headers pagers read.
type Entry struct {
	Body   []byte
	Header http.Header
}

// CacheKey builds the key of an answer: the account, its generation, the
// path and the encoded query. Cache implementations that want to read a
// key back use SplitCacheKey.
func CacheKey(account string, gen uint64, path, rawQuery string) string {
	b := make([]byte, 0, len(account)+len(path)+len(rawQuery)+24)
	b = append(b, account...)
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

// SplitCacheKey reads the account and generation of a key built by
// CacheKey; ok is false for any other string.
func SplitCacheKey(key string) (account string, gen uint64, ok bool) {
	sp := strings.IndexByte(key, ' ')
	if sp < 0 {
		return "", 0, false
	}
	head := key[:sp]
	colon := strings.LastIndexByte(head, ':')
	if colon < 0 {
		return "", 0, false
	}
	g, err := strconv.ParseUint(head[colon+1:], 10, 64)
	if err != nil {
		return "", 0, false
	}
	return head[:colon], g, true
}
