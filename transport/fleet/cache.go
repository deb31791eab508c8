package fleet

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/rueidis"
	"github.com/stratus-cloud/stratus/transport"
)

// The shared cache keeps, for a key "<account>:<gen> <path>?<query>"
// (transport.CacheKey) and the fleet's Prefix:
//
//	<prefix>{<account>}:<gen> <path>?<query>        the answer (PX = the Set's TTL)
//	<prefix>{<account>}:lease:<gen> <path>?<query>  the lease of a miss (PX = LeaseTTL)
//	<prefix>{<account>}:gen                          the account's generation (no TTL)
//
// The account is a hash (never a credential); the braces keep an
// account's keys in one Redis Cluster slot, so its scripts are legal
// there. Generations of the local fallback have fallbackBit set: their
// keys never reach Redis, and Redis's never reach the fallback.

// fallbackBit marks a generation handed out by the local fallback cache
// while Redis could not be asked; such keys are served by Options.Local.
// Redis's own generations stay far below it.
const fallbackBit = uint64(1) << 63

// leasePoll is how often a worker that waits for another's fetch looks
// again when no invalidation has woken it.
const leasePoll = 50 * time.Millisecond

// ErrBadEntry is returned (and counted as a miss) when a value found in
// Redis is not an answer this package wrote, or a generation is not a
// number.
var ErrBadEntry = errors.New("fleet: a value in Redis is not one the cache wrote")

// ErrBadKey is returned by Get and Set for a key that CacheKey did not
// build.
var ErrBadKey = errors.New("fleet: not a cache key (account:generation path)")

// Stats are one process's counts of the fleet's cache, since New. Every
// Get of a cache key ends as exactly one of NearHits, RedisHits, LocalHits
// or Misses (a miss is a request the caller sends to the API), so the
// near-hit ratio is NearHits over their sum, and CacheCommands divided by
// the reads is what a read costs in Redis round trips.
type Stats struct {
	NearHits      int64 // answers served by the process's near copy: no Redis round trip
	RedisHits     int64 // answers read from Redis (one round trip or more)
	LocalHits     int64 // answers served by the local fallback (Redis unreachable)
	Misses        int64 // Gets that found nothing: the caller fetched from the origin
	LeaseWaits    int64 // Gets that waited for another worker's fetch
	LeaseWaitHits int64 // of those, served by that worker's answer
	Stores        int64 // answers written to Redis
	Fallbacks     int64 // calls served by the local fallback cache (Redis unreachable)
	CacheCommands int64 // Redis round trips of the cache
	Commands      int64 // Redis round trips of the whole fleet (cache and budget)
	Failures      int64 // Redis calls that failed or timed out
	BreakerOpened int64 // times the circuit breaker opened
}

// Stats returns the process's counts so far.
func (f *Fleet) Stats() Stats {
	c := f.cache
	return Stats{
		NearHits:      c.nearHits.Load(),
		RedisHits:     c.redisHits.Load(),
		LocalHits:     c.localHits.Load(),
		Misses:        c.misses.Load(),
		LeaseWaits:    c.leaseWaits.Load(),
		LeaseWaitHits: c.leaseWaitHits.Load(),
		Stores:        c.stores.Load(),
		Fallbacks:     c.fallbacks.Load(),
		CacheCommands: c.commands.Load(),
		Commands:      f.calls.Load(),
		Failures:      f.failed.Load(),
		BreakerOpened: f.br.opened.Load(),
	}
}

// Cache returns the fleet's shared cache of answers (the same value on
// every call).
func (f *Fleet) Cache() transport.Cache { return f.cache }

// cache is the fleet's transport.Cache.
type cache struct {
	f     *Fleet
	token string // this process's lease identity: random, nothing secret

	mu       sync.RWMutex
	accounts map[string]*account

	wmu     sync.Mutex
	waiters map[string]*waitSlot

	nearHits, redisHits, misses    atomic.Int64
	localHits                      atomic.Int64
	leaseWaits, leaseWaitHits      atomic.Int64
	stores, fallbacks, commands    atomic.Int64
	setScript, leaseScript, incrSc *script
	raiseScript, releaseScript     *script
}

var _ transport.Cache = (*cache)(nil)

// account is what the process remembers of one account's generation.
type account struct {
	genKey string // <prefix>{<account>}:gen
	// floor is the highest generation this process has seen or made: its
	// own INCR is visible to it at once, and a Redis that lost its data
	// is put back to it rather than let the generation go backwards.
	floor atomic.Uint64
	// dirty: a write happened while Redis could not be told; the next
	// generation read from Redis first moves it on.
	dirty atomic.Bool
	// shared: the last generation handed out came from Redis; the next
	// fallback starts a fresh local generation (the fallback may hold
	// answers from an earlier outage that writes since have made stale).
	shared atomic.Bool
}

func newCache(f *Fleet) *cache {
	var b [16]byte
	rand.Read(b[:])
	return &cache{
		f:             f,
		token:         hex.EncodeToString(b[:]),
		accounts:      map[string]*account{},
		waiters:       map[string]*waitSlot{},
		setScript:     newScript(setLua),
		leaseScript:   newScript(leaseLua),
		incrSc:        newScript(incrLua),
		raiseScript:   newScript(raiseLua),
		releaseScript: newScript(releaseLua),
	}
}

func (c *cache) account(name string) *account {
	c.mu.RLock()
	a := c.accounts[name]
	c.mu.RUnlock()
	if a != nil {
		return a
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a = c.accounts[name]
	if a == nil {
		a = &account{genKey: c.base(name) + "gen"}
		a.shared.Store(true) // a first fallback must not trust what Local holds
		c.accounts[name] = a
	}
	return a
}

func (a *account) raise(n uint64) {
	for {
		f := a.floor.Load()
		if n <= f || a.floor.CompareAndSwap(f, n) {
			return
		}
	}
}

// Keys.

func (c *cache) base(acct string) string {
	return c.f.opt.Prefix + "{" + acct + "}:"
}

func (c *cache) genKey(acct string) string { return c.base(acct) + "gen" }

// redisKeys names the value and the lease of a cache key.
func (c *cache) redisKeys(acct, key string) (value, lease string) {
	rest := key[len(acct)+1:] // "<gen> <path>?<query>"
	b := c.base(acct)
	return b + rest, b + "lease:" + rest
}

// localKey is the key of a fallback generation as Options.Local knows it.
func localKey(acct string, gen uint64, key string) string {
	sp := strings.IndexByte(key, ' ')
	return acct + ":" + strconv.FormatUint(gen&^fallbackBit, 10) + key[sp:]
}

// Generation returns the account's generation from Redis (near-cached:
// Redis's invalidation makes another worker's INCR visible), never below
// what this process has seen or made. While Redis cannot be asked it
// returns the local fallback's generation with fallbackBit set, so that
// the answers of that time stay apart from the shared ones.
func (c *cache) Generation(ctx context.Context, acct string) (uint64, error) {
	a := c.account(acct)
	res, rt, err := c.f.doCache(ctx, func(b rueidis.Builder) rueidis.Cacheable { return b.Get().Key(a.genKey).Cache() }, c.f.opt.NearTTL)
	c.count(rt)
	switch {
	case err == nil:
		s, serr := res.ToString()
		n, serr2 := strconv.ParseUint(s, 10, 64)
		if serr != nil || serr2 != nil || n >= fallbackBit {
			return 0, ErrBadEntry
		}
		return c.shared(ctx, acct, a, n, rt)
	case rueidis.IsRedisNil(err):
		return c.shared(ctx, acct, a, 0, rt)
	}
	if _, ok := rueidis.IsRedisErr(err); ok {
		// Redis answered, with an error: the key holds something else.
		return 0, ErrBadEntry
	}
	return c.fallbackGen(ctx, acct, a)
}

// shared finishes a generation read from Redis (fromRedis: not a near
// copy).
func (c *cache) shared(ctx context.Context, acct string, a *account, n uint64, fromRedis bool) (uint64, error) {
	if a.dirty.CompareAndSwap(true, false) {
		// This process wrote while Redis was away: everyone's answers of
		// before are dead now.
		m, err := c.incr(ctx, acct, a)
		if err != nil {
			a.dirty.Store(true)
			return c.fallbackGen(ctx, acct, a)
		}
		n = m
	}
	if f := a.floor.Load(); n < f {
		if fromRedis {
			// Redis itself holds less than this process has seen: it
			// lost its data (a restart). Put the generation back.
			if m, err := c.raiseGen(ctx, acct, f); err == nil {
				n = m
			}
		}
		// Else a near copy older than this process's own INCR, whose
		// invalidation is on its way.
		n = max(n, f)
	}
	a.raise(n)
	if !a.shared.Load() {
		a.shared.Store(true)
	}
	return n, nil
}

// fallbackGen is the local fallback's generation, marked.
func (c *cache) fallbackGen(ctx context.Context, acct string, a *account) (uint64, error) {
	c.fallbacks.Add(1)
	local := c.f.opt.Local
	if local == nil {
		return fallbackBit, nil
	}
	if a.shared.CompareAndSwap(true, false) {
		if err := local.Invalidate(ctx, acct); err != nil {
			a.shared.Store(true)
			return 0, err
		}
	}
	g, err := local.Generation(ctx, acct)
	if err != nil {
		return 0, err
	}
	return fallbackBit | g&^fallbackBit, nil
}

// Invalidate moves the account's generation on in Redis (INCR) and in the
// local fallback. When Redis cannot be told, the next generation read
// from it moves it on instead (see account.dirty).
func (c *cache) Invalidate(ctx context.Context, acct string) error {
	a := c.account(acct)
	var lerr error
	if local := c.f.opt.Local; local != nil {
		lerr = local.Invalidate(ctx, acct)
	}
	if _, err := c.incr(ctx, acct, a); err != nil {
		a.dirty.Store(true)
		c.fallbacks.Add(1)
		return lerr
	}
	a.dirty.Store(false)
	return lerr
}

// incr moves the generation on, never to a value this process has seen
// (a Redis that restarted empty would count from 1 again).
func (c *cache) incr(ctx context.Context, acct string, a *account) (uint64, error) {
	res, err := c.run(ctx, c.incrSc, []string{c.genKey(acct)}, strconv.FormatUint(a.floor.Load(), 10))
	if err != nil {
		return 0, err
	}
	n, err := res.AsInt64()
	if err != nil || n < 0 {
		return 0, ErrBadEntry
	}
	a.raise(uint64(n))
	return uint64(n), nil
}

func (c *cache) raiseGen(ctx context.Context, acct string, floor uint64) (uint64, error) {
	res, err := c.run(ctx, c.raiseScript, []string{c.genKey(acct)}, strconv.FormatUint(floor, 10))
	if err != nil {
		return 0, err
	}
	n, err := res.AsInt64()
	if err != nil || n < 0 {
		return 0, ErrBadEntry
	}
	return uint64(n), nil
}

// Get reads an answer: from the near copy, else from Redis. On a miss it
// takes the key's lease with a script that looks at the value again in
// the same step; the worker that holds the lease gets the miss (and
// fetches), the others wait for its answer, at most LeaseTTL and never
// past ctx, and then fetch themselves.
func (c *cache) Get(ctx context.Context, key string) (transport.Entry, bool, error) {
	acct, gen, ok := transport.SplitCacheKey(key)
	if !ok {
		return transport.Entry{}, false, ErrBadKey
	}
	if gen&fallbackBit != 0 {
		return c.localGet(ctx, acct, gen, key)
	}
	vk, lk := c.redisKeys(acct, key)
	res, rt, err := c.f.doCache(ctx, func(b rueidis.Builder) rueidis.Cacheable { return b.Get().Key(vk).Cache() }, c.f.opt.NearTTL)
	c.count(rt)
	switch {
	case err == nil:
		b, _ := res.AsBytes()
		e, derr := decodeEntry(b)
		if derr != nil {
			c.misses.Add(1)
			return transport.Entry{}, false, derr
		}
		if rt {
			c.redisHits.Add(1)
		} else {
			c.nearHits.Add(1)
		}
		return e, true, nil
	case !rueidis.IsRedisNil(err):
		c.misses.Add(1)
		return transport.Entry{}, false, quiet(ctx, err)
	}

	// The GET above made Redis track the key for this process. Watch it
	// before the lease script looks at the value again: an answer stored
	// after that look wakes the wait below.
	w := c.watch(vk)
	defer func() { c.unwatch(vk, w) }()
	waiting := false
	var deadline time.Time
	for {
		res, err := c.run(ctx, c.leaseScript, []string{vk, lk}, c.token, ms(c.f.opt.LeaseTTL))
		if err != nil {
			c.misses.Add(1)
			return transport.Entry{}, false, quiet(ctx, err)
		}
		state, val, perr := leaseReply(res)
		if perr != nil {
			c.misses.Add(1)
			return transport.Entry{}, false, perr
		}
		switch state {
		case leaseValue:
			e, derr := decodeEntry(val)
			if derr != nil {
				c.misses.Add(1)
				return transport.Entry{}, false, derr
			}
			c.redisHits.Add(1)
			if waiting {
				c.leaseWaitHits.Add(1)
			}
			return e, true, nil
		case leaseTaken, leaseMine:
			c.misses.Add(1)
			return transport.Entry{}, false, nil
		}
		// Another worker fetches: wait for its answer.
		if !waiting {
			waiting = true
			c.leaseWaits.Add(1)
			deadline = time.Now().Add(c.f.opt.LeaseTTL)
		}
		left := time.Until(deadline)
		if left <= 0 {
			c.misses.Add(1)
			return transport.Entry{}, false, nil
		}
		t := time.NewTimer(min(left, leasePoll))
		woken := false
		select {
		case <-w.ch:
			woken = true
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			c.misses.Add(1)
			return transport.Entry{}, false, nil
		}
		t.Stop()
		c.unwatch(vk, w)
		w = c.watch(vk)
		if !woken {
			continue // a poll: the script looks, and takes an expired lease
		}
		// The key changed: read it the tracked way, so that the answer
		// becomes this process's near copy (and Redis tracks the key for
		// the next change). Nothing there yet: the script looks again.
		res, rt, err = c.f.doCache(ctx, func(b rueidis.Builder) rueidis.Cacheable { return b.Get().Key(vk).Cache() }, c.f.opt.NearTTL)
		c.count(rt)
		switch {
		case err == nil:
			b, _ := res.AsBytes()
			e, derr := decodeEntry(b)
			if derr != nil {
				c.misses.Add(1)
				return transport.Entry{}, false, derr
			}
			c.redisHits.Add(1)
			c.leaseWaitHits.Add(1)
			return e, true, nil
		case !rueidis.IsRedisNil(err):
			c.misses.Add(1)
			return transport.Entry{}, false, quiet(ctx, err)
		}
	}
}

// Set stores an answer in Redis for ttl and releases the key's lease, in
// one script that drops the answer when the account's generation has
// moved past the key's (a read that was in flight during a write).
func (c *cache) Set(ctx context.Context, key string, e transport.Entry, ttl time.Duration) error {
	acct, gen, ok := transport.SplitCacheKey(key)
	if !ok {
		return ErrBadKey
	}
	if gen&fallbackBit != 0 {
		c.fallbacks.Add(1)
		if local := c.f.opt.Local; local != nil && ttl > 0 {
			return local.Set(ctx, localKey(acct, gen, key), e, ttl)
		}
		return nil
	}
	vk, lk := c.redisKeys(acct, key)
	val := encodeEntry(e)
	if ttl <= 0 || len(val) > c.f.opt.MaxEntryBytes {
		// Not shared; let the waiters fetch at once.
		_, err := c.run(ctx, c.releaseScript, []string{lk}, c.token)
		return quiet(ctx, err)
	}
	_, err := c.run(ctx, c.setScript, []string{vk, lk, c.genKey(acct)}, string(val), ms(ttl), strconv.FormatUint(gen, 10))
	if err != nil {
		return quiet(ctx, err)
	}
	c.stores.Add(1)
	return nil
}

func (c *cache) localGet(ctx context.Context, acct string, gen uint64, key string) (transport.Entry, bool, error) {
	c.fallbacks.Add(1)
	local := c.f.opt.Local
	if local == nil {
		c.misses.Add(1)
		return transport.Entry{}, false, nil
	}
	e, ok, err := local.Get(ctx, localKey(acct, gen, key))
	if ok {
		c.localHits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return e, ok, err
}

// Flush forgets every answer and lease under the fleet's prefix, and the
// local fallback's. Generations stay (they only ever move on), and so do
// keys that are not the cache's.
func (c *cache) Flush(ctx context.Context) error {
	var ferr error
	if local := c.f.opt.Local; local != nil {
		ferr = local.Flush(ctx)
	}
	pattern := globEscape(c.f.opt.Prefix) + "{*}:*"
	var cursor uint64
	for {
		res, err := c.f.do(ctx, func(b rueidis.Builder) rueidis.Completed {
			return b.Scan().Cursor(cursor).Match(pattern).Count(1000).Build()
		})
		c.count(err != ErrUnavailable)
		if err != nil {
			return err
		}
		se, err := res.AsScanEntry()
		if err != nil {
			return err
		}
		var dead []string
		for _, k := range se.Elements {
			if c.isEntryKey(k) {
				dead = append(dead, k)
			}
		}
		if len(dead) > 0 {
			_, err := c.f.do(ctx, func(b rueidis.Builder) rueidis.Completed { return b.Unlink().Key(dead...).Build() })
			c.count(err != ErrUnavailable)
			if err != nil {
				return err
			}
		}
		if se.Cursor == 0 {
			return ferr
		}
		cursor = se.Cursor
	}
}

// isEntryKey reports whether a Redis key is an answer or a lease.
func (c *cache) isEntryKey(k string) bool {
	rest, ok := strings.CutPrefix(k, c.f.opt.Prefix+"{")
	if !ok {
		return false
	}
	i := strings.Index(rest, "}:")
	if i < 0 {
		return false
	}
	rest = rest[i+2:]
	return rest != "" && (rest[0] >= '0' && rest[0] <= '9' || strings.HasPrefix(rest, "lease:"))
}

func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '\\', '^':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// count counts one round trip of the cache when one was made.
func (c *cache) count(roundTrip bool) {
	if roundTrip {
		c.commands.Add(1)
	}
}

// quiet turns "Redis cannot be asked" into no error: the fleet falls back
// by itself and the breaker logs its changes, so a client need not log
// every call of an outage. Nor is the end of the caller's context a
// failure of the cache. Other failures (a timeout, a reply it cannot
// read) are returned for the client's log.
func quiet(ctx context.Context, err error) error {
	if err == ErrUnavailable || ctx.Err() != nil {
		return nil
	}
	return err
}

func ms(d time.Duration) string { return strconv.FormatInt(max(d.Milliseconds(), 1), 10) }

// Waiting for a key: Redis invalidates the near copy of a key this
// process read when any worker stores it; the invalidation wakes the
// workers of the process that wait for that key.

type waitSlot struct {
	ch chan struct{}
	n  int
}

func (c *cache) watch(k string) *waitSlot {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	s := c.waiters[k]
	if s == nil {
		s = &waitSlot{ch: make(chan struct{})}
		c.waiters[k] = s
	}
	s.n++
	return s
}

func (c *cache) unwatch(k string, s *waitSlot) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	s.n--
	if s.n <= 0 && c.waiters[k] == s {
		delete(c.waiters, k)
	}
}

// invalidated is rueidis's OnInvalidations: keys whose near copies died
// (nil: all of them, as when a connection is lost).
func (c *cache) invalidated(keys []rueidis.RedisMessage) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if keys == nil {
		for k, s := range c.waiters {
			close(s.ch)
			delete(c.waiters, k)
		}
		return
	}
	for i := range keys {
		k, err := keys[i].ToString()
		if err != nil {
			continue
		}
		if s := c.waiters[k]; s != nil {
			close(s.ch)
			delete(c.waiters, k)
		}
	}
}

// Scripts. Each runs as one step in Redis; the keys of one script belong
// to one account (one Cluster slot).

const (
	leaseValue = 1 // the answer is there
	leaseTaken = 2 // the caller took the lease: it fetches
	leaseMine  = 3 // the caller's process already holds it: it fetches
	leaseHeld  = 0 // another worker fetches
)

// leaseLua: KEYS value, lease; ARGV token, lease ms.
const leaseLua = `local v = redis.call('GET', KEYS[1])
if v then return {1, v} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
if redis.call('GET', KEYS[2]) == ARGV[1] then return {3} end
return {0}`

// setLua: KEYS value, lease, generation; ARGV value, ttl ms, the key's
// generation. An answer of a generation already left is not stored.
const setLua = `local g = tonumber(redis.call('GET', KEYS[3]) or '0')
redis.call('DEL', KEYS[2])
if g > tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`

// releaseLua: KEYS lease; ARGV token. Drops the caller's own lease.
const releaseLua = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`

// incrLua: KEYS generation; ARGV the caller's floor. INCR, but never to a
// value at or below one the caller has seen.
const incrLua = `local n = redis.call('INCR', KEYS[1])
local f = tonumber(ARGV[1])
if n <= f then n = f + 1; redis.call('SET', KEYS[1], n) end
return n`

// raiseLua: KEYS generation; ARGV floor. Puts the generation back to at
// least floor.
const raiseLua = `local n = tonumber(redis.call('GET', KEYS[1]) or '0')
local f = tonumber(ARGV[1])
if n < f then redis.call('SET', KEYS[1], ARGV[1]); return f end
return n`

type script struct{ src, sha string }

func newScript(src string) *script {
	sum := sha1.Sum([]byte(src))
	return &script{src: src, sha: hex.EncodeToString(sum[:])}
}

// run runs a script by its digest, loading it when Redis does not know it
// (EVAL) — after a restart, for instance.
func (c *cache) run(ctx context.Context, s *script, keys []string, args ...string) (rueidis.RedisResult, error) {
	res, err := c.f.do(ctx, func(b rueidis.Builder) rueidis.Completed {
		return b.Evalsha().Sha1(s.sha).Numkeys(int64(len(keys))).Key(keys...).Arg(args...).Build()
	})
	c.count(err != ErrUnavailable)
	if re, ok := rueidis.IsRedisErr(err); ok && re.IsNoScript() {
		res, err = c.f.do(ctx, func(b rueidis.Builder) rueidis.Completed {
			return b.Eval().Script(s.src).Numkeys(int64(len(keys))).Key(keys...).Arg(args...).Build()
		})
		c.count(err != ErrUnavailable)
	}
	return res, err
}

func leaseReply(res rueidis.RedisResult) (state int, val []byte, err error) {
	arr, err := res.ToArray()
	if err != nil || len(arr) == 0 {
		return 0, nil, ErrBadEntry
	}
	n, err := arr[0].AsInt64()
	if err != nil {
		return 0, nil, ErrBadEntry
	}
	if n == leaseValue {
		if len(arr) < 2 {
			return 0, nil, ErrBadEntry
		}
		val, err = arr[1].AsBytes()
		if err != nil {
			return 0, nil, ErrBadEntry
		}
	}
	return int(n), val, nil
}

// Values. An answer is stored as
//
//	'S' 1 | uvarint headers | (uvarint len, name, uvarint values, (uvarint len, value)...)... | body
//
// Headers that may carry a credential or a session (Authorization,
// cookies, anything named like a token, key, secret or password) are
// dropped before the answer leaves the process: a fleet's Redis is read
// by many, and pagers never need them.

const entryMagic, entryVersion = 'S', 1

// secretHeader reports whether a header must not be shared.
func secretHeader(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"authorization", "cookie", "token", "secret", "password", "passwd", "session", "api-key", "apikey", "x-auth", "credential", "signature"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func encodeEntry(e transport.Entry) []byte {
	size := 2 + binary.MaxVarintLen64 + len(e.Body)
	n := 0
	for k, vs := range e.Header {
		if secretHeader(k) {
			continue
		}
		n++
		size += len(k) + 2*binary.MaxVarintLen64
		for _, v := range vs {
			size += len(v) + binary.MaxVarintLen64
		}
	}
	b := make([]byte, 0, size)
	b = append(b, entryMagic, entryVersion)
	b = binary.AppendUvarint(b, uint64(n))
	for k, vs := range e.Header {
		if secretHeader(k) {
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(vs)))
		for _, v := range vs {
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		}
	}
	return append(b, e.Body...)
}

func decodeEntry(b []byte) (transport.Entry, error) {
	if len(b) < 2 || b[0] != entryMagic || b[1] != entryVersion {
		return transport.Entry{}, ErrBadEntry
	}
	b = b[2:]
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	str := func() (string, bool) {
		l, ok := next()
		if !ok || l > uint64(len(b)) {
			return "", false
		}
		s := string(b[:l])
		b = b[l:]
		return s, true
	}
	nh, ok := next()
	if !ok || nh > uint64(len(b)) {
		return transport.Entry{}, ErrBadEntry
	}
	var h http.Header
	if nh > 0 {
		h = make(http.Header, nh)
	}
	for range nh {
		k, ok := str()
		if !ok {
			return transport.Entry{}, ErrBadEntry
		}
		nv, ok := next()
		if !ok || nv > uint64(len(b)) {
			return transport.Entry{}, ErrBadEntry
		}
		vs := make([]string, 0, nv)
		for range nv {
			v, ok := str()
			if !ok {
				return transport.Entry{}, ErrBadEntry
			}
			vs = append(vs, v)
		}
		h[k] = vs
	}
	return transport.Entry{Body: b, Header: h}, nil
}
