// Package fleet shares one cache of answers and one rate budget per
// account among the processes of a fleet, through Redis.
//
// Twenty workers that share a DigitalOcean token each keep, alone, their
// own cache and their own idea of the remaining quota: the fleet sends
// twenty times the requests and collects 429s, and one worker's write is
// never seen by the others' caches. With a Fleet plugged into each client
// (stratus.WithFleet):
//
//   - answers live in Redis under keys that begin with the account's
//     identity (a hash, never a credential), and each process keeps a
//     near copy that Redis invalidates (RESP3 client-side caching);
//   - the account's invalidation generation lives in Redis: a write by any
//     worker moves it on (INCR), and every worker's next read misses;
//   - on a miss one worker fetches under a lease while the others wait for
//     its answer, so N workers cost one origin request;
//   - the provider's windows are spent once for the whole fleet, by a GCRA
//     limiter that runs in a Redis script on Redis's clock, with a
//     fleet-wide pause after a 429 that names a Retry-After.
//
// Every Redis call has a short deadline and passes a circuit breaker.
// While Redis is down or slow the cache falls back to the process's local
// cache and the budget to a local share of it; nothing waits beyond the
// caller's context, and the fleet shares again once Redis answers.
//
// The package lives under transport because it is about how requests
// and their answers move (a shared store of answers and a shared rate
// budget beside the client's own limiter), and it imports only the
// transport package: the root package never links a Redis client, and a
// program that does not use a fleet does not build one in.
package fleet

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/rueidis"
	"github.com/stratus-cloud/stratus/transport"
)

// Options configure a Fleet.
type Options struct {
	// URL names the Redis server: redis://[user:password@]host:port[/db],
	// rediss://... (TLS) or unix:///path/to/redis.sock. Redis 6 or later
	// (RESP3, for the near cache).
	URL string
	// Local is the cache used while Redis cannot be reached (give the
	// process's bounded in-memory cache: stratus.DefaultCache()); nil
	// means misses while Redis is down.
	Local transport.Cache
	// CallTimeout bounds every Redis call; default 100 ms.
	CallTimeout time.Duration
	// Prefix begins every key the fleet writes; default "stratus:".
	Prefix string
	// Logger receives the breaker's state changes (warn), never a secret.
	Logger *slog.Logger

	// LeaseTTL is the lifetime of the lease a worker takes on a miss: the
	// others wait at most this long for its answer, then fetch
	// themselves; default 2 s (DefaultLeaseTTL).
	LeaseTTL time.Duration
	// NearTTL bounds the life of a near copy (the process's copy of a
	// Redis value, kept up to date by Redis's invalidations); it never
	// outlives the value's own TTL in Redis. Default 1 minute.
	NearTTL time.Duration
	// NearCacheBytes bounds the memory of the near copies; default 32 MiB.
	NearCacheBytes int
	// MaxEntryBytes is the largest encoded answer the fleet stores;
	// larger ones are not shared. Default 4 MiB.
	MaxEntryBytes int

	// Workers is the number of processes expected to share an account's
	// rate budget. While Redis cannot be reached each process spends
	// 1/N of every window, N being the most processes Redis counted
	// spending it recently, at least Workers; 0 means the count alone, or
	// DefaultWorkers when none was ever made.
	Workers int
	// Slack is added to every window's period by the rate budget, for the
	// varying delay between a request's slot and the provider counting
	// it; 0 means Period/50 + 100 ms. Raise it when the workers reach the
	// provider over slow or uneven links, or run on loaded machines.
	Slack time.Duration
}

// Defaults of Options.
const (
	DefaultCallTimeout    = 100 * time.Millisecond // deadline of one Redis call
	DefaultLeaseTTL       = 2 * time.Second        // lifetime of a miss's lease
	DefaultNearTTL        = time.Minute            // longest life of a near copy
	DefaultNearCacheBytes = 32 << 20               // memory of the near copies
	DefaultMaxEntryBytes  = 4 << 20                // largest shared answer
)

// Fleet is one process's connection to the fleet's Redis. It is safe for
// concurrent use; make one per process and give it to every client.
type Fleet struct {
	opt Options

	mu sync.RWMutex
	rc rueidis.Client // nil while no connection could be made

	br      breaker
	cache   *cache
	calls   atomic.Int64 // Redis commands sent
	failed  atomic.Int64 // of those, failed or timed out
	closing chan struct{}
	closed  sync.Once
	wg      sync.WaitGroup

	budget budgetState // the rate budgets (budget.go)
}

var _ transport.Fleet = (*Fleet)(nil)

// New connects to the fleet's Redis. A Redis that cannot be reached at
// start is not an error: the fleet starts in its local fallback and
// connects in the background; a URL that cannot be parsed is.
func New(ctx context.Context, opt Options) (*Fleet, error) {
	if opt.CallTimeout <= 0 {
		opt.CallTimeout = DefaultCallTimeout
	}
	if opt.Prefix == "" {
		opt.Prefix = "stratus:"
	}
	if opt.LeaseTTL <= 0 {
		opt.LeaseTTL = DefaultLeaseTTL
	}
	if opt.NearTTL <= 0 {
		opt.NearTTL = DefaultNearTTL
	}
	if opt.NearCacheBytes <= 0 {
		opt.NearCacheBytes = DefaultNearCacheBytes
	}
	if opt.MaxEntryBytes <= 0 {
		opt.MaxEntryBytes = DefaultMaxEntryBytes
	}
	if _, err := clientOption(opt); err != nil {
		return nil, err
	}
	f := &Fleet{opt: opt, closing: make(chan struct{})}
	f.cache = newCache(f)
	f.br.init(f.opt.Logger)
	if err := f.connect(ctx); err != nil {
		f.br.fail()
		f.wg.Add(1)
		go f.reconnect()
	}
	return f, nil
}

// clientOption turns the options into rueidis's, without logging the URL
// (it may carry a password).
func clientOption(opt Options) (rueidis.ClientOption, error) {
	co, err := rueidis.ParseURL(opt.URL)
	if err != nil {
		return co, errors.New("fleet: the Redis URL cannot be read (malformed URL or unknown scheme)")
	}
	co.ConnWriteTimeout = max(opt.CallTimeout*5, time.Second)
	co.Dialer.Timeout = max(opt.CallTimeout*5, time.Second)
	co.DisableRetry = true
	// One connection, pipelined: a standalone Redis gets every command of
	// a client on its first connection anyway, and the near copies live
	// per connection.
	co.PipelineMultiplex = -1
	co.CacheSizeEachConn = max(opt.NearCacheBytes, 1<<20)
	return co, nil
}

// connect makes the Redis client; it fails when Redis is unreachable.
func (f *Fleet) connect(ctx context.Context) error {
	co, err := clientOption(f.opt)
	if err != nil {
		return err
	}
	// Redis tells each connection which near copies died; the cache wakes
	// the workers waiting for those keys.
	co.OnInvalidations = f.cache.invalidated
	rc, err := rueidis.NewClient(co)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.rc = rc
	f.mu.Unlock()
	return nil
}

// reconnect retries the first connection until it is made or the fleet
// is closed.
func (f *Fleet) reconnect() {
	defer f.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-f.closing:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 5*f.opt.CallTimeout)
			err := f.connect(ctx)
			cancel()
			if err == nil {
				f.br.succeed()
				return
			}
		}
	}
}

// client returns the Redis client, or nil when there is none yet.
func (f *Fleet) client() rueidis.Client {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.rc
}

// ErrUnavailable is returned by fleet calls while Redis cannot be reached
// or the breaker is open; callers fall back to local behaviour.
var ErrUnavailable = errors.New("fleet: Redis unavailable")

// do sends one command under the breaker and the call deadline (never
// longer than ctx's). It returns ErrUnavailable without sending anything
// while there is no connection or the breaker is open. A failure counts
// against the breaker; a nil reply (a missing key) and an error Redis
// itself answered (a script's, a wrong type) are successes of the
// connection and come back as the result's error.
func (f *Fleet) do(ctx context.Context, build func(rueidis.Builder) rueidis.Completed) (rueidis.RedisResult, error) {
	rc := f.client()
	if rc == nil || !f.br.allow() {
		return rueidis.RedisResult{}, ErrUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, f.opt.CallTimeout)
	defer cancel()
	f.calls.Add(1)
	res := rc.Do(ctx, build(rc.B()))
	err := res.Error()
	f.record(err)
	return res, err
}

// doCache is do for a read that may be served from the process's near
// copy (rueidis client-side caching: Redis tracks the key and invalidates
// the copy when it changes). ttl bounds the copy's life; rueidis caps it
// by the key's own PTTL, so the copy never outlives the value. A read the
// near copy serves sends nothing and is not counted as a command.
func (f *Fleet) doCache(ctx context.Context, build func(rueidis.Builder) rueidis.Cacheable, ttl time.Duration) (res rueidis.RedisResult, roundTrip bool, err error) {
	rc := f.client()
	if rc == nil || !f.br.allow() {
		return rueidis.RedisResult{}, false, ErrUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, f.opt.CallTimeout)
	defer cancel()
	res = rc.DoCache(ctx, build(rc.B()), ttl)
	err = res.Error()
	if res.IsCacheHit() {
		// Nothing went to Redis: the breaker learnt nothing either way.
		f.br.skip()
		return res, false, err
	}
	f.calls.Add(1)
	f.record(err)
	return res, true, err
}

// record tells the breaker how a call went.
func (f *Fleet) record(err error) {
	if err == nil || rueidis.IsRedisNil(err) {
		f.br.succeed()
		return
	}
	var re *rueidis.RedisError
	if errors.As(err, &re) {
		// Redis answered, with an error of its own (a script error, a
		// wrong type): the server is up.
		f.br.succeed()
		return
	}
	f.failed.Add(1)
	f.br.fail()
}

// Available reports whether the fleet currently talks to Redis (the
// breaker is closed or probing).
func (f *Fleet) Available() bool { return f.client() != nil && f.br.allow() }

// Close ends the connection; clients that use the fleet fall back to
// their local behaviour.
func (f *Fleet) Close() {
	f.closed.Do(func() {
		close(f.closing)
		f.wg.Wait()
		if rc := f.client(); rc != nil {
			rc.Close()
		}
	})
}

// breaker opens after consecutive failures and lets one probe through
// after a cooldown; a success closes it.
type breaker struct {
	mu       sync.Mutex
	logger   *slog.Logger
	fails    int
	openTill time.Time
	probing  bool
	open     bool
	opened   atomic.Int64 // times the breaker opened
}

const (
	breakerFailures = 3               // consecutive failures that open the breaker
	breakerCooldown = 1 * time.Second // time before a probe is let through
)

func (b *breaker) init(l *slog.Logger) { b.logger = l }

// allow reports whether a call may be made now.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return true
	}
	if time.Now().Before(b.openTill) || b.probing {
		return false
	}
	b.probing = true
	return true
}

// skip ends a probe that learnt nothing (it was served without Redis), so
// that the next call probes again.
func (b *breaker) skip() {
	b.mu.Lock()
	if b.open {
		b.probing = false
	}
	b.mu.Unlock()
}

func (b *breaker) succeed() {
	b.mu.Lock()
	wasOpen := b.open
	b.fails, b.open, b.probing = 0, false, false
	b.mu.Unlock()
	if wasOpen && b.logger != nil {
		b.logger.Warn("stratus fleet: Redis answers again; sharing resumes")
	}
}

func (b *breaker) fail() {
	b.mu.Lock()
	b.fails++
	opening := !b.open && b.fails >= breakerFailures
	if b.open || opening {
		b.open, b.probing = true, false
		b.openTill = time.Now().Add(breakerCooldown)
	}
	b.mu.Unlock()
	if opening {
		b.opened.Add(1)
		if b.logger != nil {
			b.logger.Warn("stratus fleet: Redis unreachable; falling back to local cache and budget")
		}
	}
}
