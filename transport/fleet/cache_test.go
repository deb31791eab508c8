package fleet

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/rueidis"
	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/fleet/redistest"
)

// testAccount is an account identity as the root package makes them.
const testAccount = "0123456789abcdef0123456789abcdef"

// uniquePrefix keeps tests that share one Redis apart.
func uniquePrefix(t testing.TB) string {
	var b [6]byte
	rand.Read(b[:])
	return "test:" + strings.ReplaceAll(t.Name(), "/", "-") + ":" + hex.EncodeToString(b[:]) + ":"
}

// newFleet makes a fleet (one "process") on url; every fleet of a test
// shares the test's prefix.
func newFleet(t testing.TB, url, prefix string, mod func(*Options)) *Fleet {
	t.Helper()
	// A generous call deadline: these tests count, and a call that times
	// out on a loaded machine would count as a miss. The tests of
	// deadlines set their own.
	opt := Options{URL: url, Prefix: prefix, Local: stratus.NewMemoryCache(time.Minute), CallTimeout: 3 * time.Second}
	if mod != nil {
		mod(&opt)
	}
	f, err := New(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

// raw is a plain Redis client for looking behind the cache's back.
func raw(t testing.TB, url string) rueidis.Client {
	t.Helper()
	co, err := rueidis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	co.DisableCache = true
	rc, err := rueidis.NewClient(co)
	if err != nil {
		t.Fatalf("redis: %v", err)
	}
	t.Cleanup(rc.Close)
	return rc
}

func entry(body string) transport.Entry {
	return transport.Entry{Body: []byte(body), Header: http.Header{"Link": {"<next>; rel=next"}, "Ratelimit-Remaining": {"42"}}}
}

func mustGen(t testing.TB, c transport.Cache) uint64 {
	t.Helper()
	g, err := c.Generation(context.Background(), testAccount)
	if err != nil {
		t.Fatalf("Generation: %v", err)
	}
	return g
}

func TestSetGetAndNearHits(t *testing.T) {
	url, prefix := redistest.URL(t), uniquePrefix(t)
	f := newFleet(t, url, prefix, nil)
	c := f.Cache()
	ctx := context.Background()
	key := transport.CacheKey(testAccount, mustGen(t, c), "/v2/droplets/1", "")
	if _, ok, err := c.Get(ctx, key); ok || err != nil {
		t.Fatalf("empty cache: ok=%v err=%v", ok, err)
	}
	if err := c.Set(ctx, key, entry(`{"droplet":{"id":1}}`), time.Minute); err != nil {
		t.Fatal(err)
	}
	// The store invalidates this process's near copy of the missing key,
	// after its reply: the first reads may still meet that copy (the
	// lease script then reads the value) or fetch the value; once it is
	// near, reads cost no round trip.
	first := 0
	for ; f.Stats().NearHits == 0; first++ {
		if first > 100 {
			t.Fatal("the answer never became a near copy")
		}
		if e, ok, err := c.Get(ctx, key); !ok || err != nil || string(e.Body) != `{"droplet":{"id":1}}` {
			t.Fatalf("Get = %q ok=%v err=%v", e.Body, ok, err)
		}
	}
	before := f.Stats()
	for range 100 {
		e, ok, err := c.Get(ctx, key)
		if !ok || err != nil || string(e.Body) != `{"droplet":{"id":1}}` || e.Header.Get("Link") != "<next>; rel=next" {
			t.Fatalf("Get = %q %v ok=%v err=%v", e.Body, e.Header, ok, err)
		}
	}
	s := f.Stats()
	t.Logf("first near hit after %d reads; then 100 reads: %d near hits, %d Redis round trips", first, s.NearHits-before.NearHits, s.CacheCommands-before.CacheCommands)
	if s.NearHits-before.NearHits != 100 || s.CacheCommands != before.CacheCommands {
		t.Errorf("100 hot reads: %d near hits, %d round trips; want 100 and 0", s.NearHits-before.NearHits, s.CacheCommands-before.CacheCommands)
	}
	// The key in Redis begins with the prefix and the account.
	rc := raw(t, url)
	keys, err := rc.Do(ctx, rc.B().Keys().Pattern(prefix+"*").Build()).AsStrSlice()
	if err != nil {
		t.Fatal(err)
	}
	want := prefix + "{" + testAccount + "}:0 /v2/droplets/1"
	found := false
	for _, k := range keys {
		found = found || k == want
	}
	if !found {
		t.Errorf("keys %q lack %q", keys, want)
	}
	pttl, err := rc.Do(ctx, rc.B().Pttl().Key(want).Build()).AsInt64()
	if err != nil || pttl <= 0 || pttl > 60000 {
		t.Errorf("PTTL of the answer = %d (%v), want the Set's TTL", pttl, err)
	}
}

func TestSecretHeadersNeverReachRedis(t *testing.T) {
	url, prefix := redistest.URL(t), uniquePrefix(t)
	f := newFleet(t, url, prefix, nil)
	c := f.Cache()
	ctx := context.Background()
	const secret = "dop_v1_secretsecretsecret"
	e := transport.Entry{Body: []byte(`{"ok":true}`), Header: http.Header{
		"Authorization":       {"Bearer " + secret},
		"Set-Cookie":          {"session=" + secret},
		"X-Auth-Token":        {secret},
		"X-Api-Key":           {secret},
		"Proxy-Authorization": {secret},
		"Link":                {"<a>; rel=next"},
		"Content-Type":        {"application/json"},
	}}
	key := transport.CacheKey(testAccount, mustGen(t, c), "/v2/account", "page=1")
	if err := c.Set(ctx, key, e, time.Minute); err != nil {
		t.Fatal(err)
	}
	got, ok, err := c.Get(ctx, key)
	if !ok || err != nil {
		t.Fatalf("Get: ok=%v err=%v", ok, err)
	}
	if len(got.Header) != 2 || got.Header.Get("Link") != "<a>; rel=next" || got.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers read back = %v, want Link and Content-Type only", got.Header)
	}
	rc := raw(t, url)
	keys, err := rc.Do(ctx, rc.B().Keys().Pattern(prefix+"*").Build()).AsStrSlice()
	if err != nil || len(keys) == 0 {
		t.Fatalf("keys %v %v", keys, err)
	}
	for _, k := range keys {
		if strings.Contains(k, secret) {
			t.Errorf("a key holds the secret: %q", k)
		}
		if typ, _ := rc.Do(ctx, rc.B().Type().Key(k).Build()).ToString(); typ != "string" {
			continue
		}
		v, _ := rc.Do(ctx, rc.B().Get().Key(k).Build()).AsBytes()
		if bytes.Contains(v, []byte(secret)) || bytes.Contains(bytes.ToLower(v), []byte("cookie")) {
			t.Errorf("the value of %q holds a secret header: %q", k, v)
		}
	}
}

func TestGenerationIsSharedAndOwnWritesAreSeenAtOnce(t *testing.T) {
	url, prefix := redistest.URL(t), uniquePrefix(t)
	a := newFleet(t, url, prefix, nil).Cache()
	b := newFleet(t, url, prefix, nil).Cache()
	ctx := context.Background()
	if g := mustGen(t, a); g != 0 {
		t.Fatalf("first generation %d, want 0", g)
	}
	mustGen(t, b)
	for i := uint64(1); i <= 5; i++ {
		if err := b.Invalidate(ctx, testAccount); err != nil {
			t.Fatal(err)
		}
		// The writer's next read returns its write, whatever its near
		// copy says.
		if g := mustGen(t, b); g != i {
			t.Fatalf("writer's generation after write %d = %d", i, g)
		}
	}
	// The other process learns it from Redis's invalidation.
	polls := 0
	for mustGen(t, a) != 5 {
		polls++
		if polls > 200 {
			t.Fatalf("the other process still reads generation %d after %d polls", mustGen(t, a), polls)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("the other process saw the write after %d extra polls", polls)
	// An answer stored under the old generation is not served under the
	// new one, and a late store of an old generation is dropped.
	old := transport.CacheKey(testAccount, 4, "/v2/droplets", "")
	if err := a.Set(ctx, old, entry("old"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.Get(ctx, transport.CacheKey(testAccount, 5, "/v2/droplets", "")); ok {
		t.Error("generation 5 served an answer stored under 4")
	}
	rc := raw(t, url)
	if n, _ := rc.Do(ctx, rc.B().Exists().Key(prefix+"{"+testAccount+"}:4 /v2/droplets").Build()).AsInt64(); n != 0 {
		t.Error("an answer of a generation already left was stored")
	}
}

func TestLeaseOneFetchForManyWorkers(t *testing.T) {
	url, prefix := redistest.URL(t), uniquePrefix(t)
	const workers = 8
	fleets := make([]*Fleet, workers)
	for i := range fleets {
		// A lease that cannot expire while the test waits for everyone
		// to wait, however slow the machine.
		fleets[i] = newFleet(t, url, prefix, func(o *Options) { o.LeaseTTL = 30 * time.Second })
	}
	ctx := context.Background()
	key := transport.CacheKey(testAccount, 0, "/v2/droplets/7", "")
	// Worker 0 misses first and holds the lease.
	if _, ok, err := fleets[0].Cache().Get(ctx, key); ok || err != nil {
		t.Fatalf("first Get: ok=%v err=%v", ok, err)
	}
	var wg sync.WaitGroup
	hits := make([]bool, workers)
	for i := 1; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, ok, err := fleets[i].Cache().Get(ctx, key)
			hits[i] = ok && err == nil && string(e.Body) == "seven"
		}()
	}
	// Wait until every other worker waits, then store.
	for polls := 0; ; polls++ {
		n := int64(0)
		for _, f := range fleets[1:] {
			n += f.Stats().LeaseWaits
		}
		if n == workers-1 {
			break
		}
		if polls > 2000 {
			t.Fatalf("%d of %d workers wait for the lease", n, workers-1)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := fleets[0].Cache().Set(ctx, key, entry("seven"), time.Minute); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	misses, waitHits, commands := int64(0), int64(0), int64(0)
	for i, f := range fleets {
		s := f.Stats()
		misses += s.Misses
		waitHits += s.LeaseWaitHits
		commands += s.CacheCommands
		if i > 0 && !hits[i] {
			t.Errorf("worker %d did not get the leaseholder's answer", i)
		}
	}
	t.Logf("%d workers, one key: %d misses, %d served after waiting, %d Redis round trips", workers, misses, waitHits, commands)
	if misses != 1 || waitHits != workers-1 {
		t.Errorf("misses = %d, waits served = %d; want 1 and %d", misses, waitHits, workers-1)
	}
	// The lease is gone once the answer is stored.
	rc := raw(t, url)
	if n, _ := rc.Do(ctx, rc.B().Exists().Key(prefix+"{"+testAccount+"}:lease:0 /v2/droplets/7").Build()).AsInt64(); n != 0 {
		t.Error("the lease outlived the store")
	}
}

func TestLeaseWaitIsBoundedByItsLifetimeAndTheCallersContext(t *testing.T) {
	url, prefix := redistest.URL(t), uniquePrefix(t)
	short := func(o *Options) { o.LeaseTTL = time.Second }
	holder := newFleet(t, url, prefix, short)
	waiter := newFleet(t, url, prefix, short)
	ctx := context.Background()
	key := transport.CacheKey(testAccount, 0, "/v2/images", "")
	if _, ok, _ := holder.Cache().Get(ctx, key); ok {
		t.Fatal("hit in an empty cache")
	}
	// The holder never stores (its fetch failed). A waiter whose context
	// ends first returns a miss then.
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	start := time.Now()
	_, ok, err := waiter.Cache().Get(cctx, key)
	cancel()
	t.Logf("a waiter with a 100 ms context returned after %v", time.Since(start))
	if ok || err != nil {
		t.Fatalf("ctx-bound wait: ok=%v err=%v", ok, err)
	}
	waits := waiter.Stats().LeaseWaits
	if waits == 1 && cctx.Err() == nil {
		t.Error("the wait returned before its context ended, with the lease still held")
	}
	// A waiter with time to spare waits out the lease, takes it and
	// fetches itself.
	start = time.Now()
	_, ok, err = waiter.Cache().Get(ctx, key)
	t.Logf("a waiter without deadline returned after %v (lease 1 s)", time.Since(start))
	if ok || err != nil {
		t.Fatalf("lease-bound wait: ok=%v err=%v", ok, err)
	}
	s := waiter.Stats()
	if s.LeaseWaits != waits+1 || s.Misses != 2 || s.LeaseWaitHits != 0 {
		t.Errorf("waiter stats %+v, want one more wait and 2 misses", s)
	}
	rc := raw(t, url)
	lease, _ := rc.Do(ctx, rc.B().Get().Key(prefix+"{"+testAccount+"}:lease:0 /v2/images").Build()).ToString()
	if lease != waiter.cache.token {
		t.Errorf("after the wait the lease is %q, want the waiter's", lease)
	}
}

func TestNearCopyFollowsTheSharedOne(t *testing.T) {
	url, prefix := redistest.URL(t), uniquePrefix(t)
	a := newFleet(t, url, prefix, nil)
	b := newFleet(t, url, prefix, nil)
	ctx := context.Background()
	key := transport.CacheKey(testAccount, 0, "/v2/regions", "")
	if err := a.Cache().Set(ctx, key, entry("v1"), time.Minute); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if e, ok, _ := b.Cache().Get(ctx, key); !ok || string(e.Body) != "v1" {
			t.Fatalf("b reads %q ok=%v", e.Body, ok)
		}
	}
	if b.Stats().NearHits != 1 {
		t.Fatalf("b's second read was not near: %+v", b.Stats())
	}
	// A new value replaces b's near copy.
	if err := a.Cache().Set(ctx, key, entry("v2"), time.Minute); err != nil {
		t.Fatal(err)
	}
	polls := 0
	for {
		e, ok, _ := b.Cache().Get(ctx, key)
		if ok && string(e.Body) == "v2" {
			break
		}
		if polls++; polls > 200 {
			t.Fatalf("b still reads %q", e.Body)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The near copy lives no longer than the value's TTL.
	short := transport.CacheKey(testAccount, 0, "/v2/sizes", "")
	if err := a.Cache().Set(ctx, short, entry("brief"), time.Second); err != nil {
		t.Fatal(err)
	}
	near := b.Stats().NearHits
	for range 2 {
		if _, ok, _ := b.Cache().Get(ctx, short); !ok {
			t.Fatal("b misses a fresh answer")
		}
	}
	if b.Stats().NearHits != near+1 {
		t.Fatalf("b's copy of the brief answer is not near: %+v", b.Stats())
	}
	time.Sleep(1500 * time.Millisecond)
	if e, ok, _ := b.Cache().Get(ctx, short); ok {
		t.Errorf("b's near copy outlived the value's TTL: %q", e.Body)
	}
}

func TestBadValuesAreTypedMisses(t *testing.T) {
	url, prefix := redistest.URL(t), uniquePrefix(t)
	f := newFleet(t, url, prefix, nil)
	c := f.Cache()
	ctx := context.Background()
	rc := raw(t, url)
	key := transport.CacheKey(testAccount, 0, "/v2/keys", "")
	for _, v := range []string{"", "S", "S\x01", "S\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", "S\x01\x01\x05ab", "X\x01\x00{}", "S\x01\x01\x01a\xff\xff\x01"} {
		rc.Do(ctx, rc.B().Set().Key(prefix+"{"+testAccount+"}:0 /v2/keys").Value(v).Build())
		_, ok, err := c.Get(ctx, key)
		if ok || err != ErrBadEntry {
			t.Errorf("value %q: ok=%v err=%v, want a miss with ErrBadEntry", v, ok, err)
		}
	}
	rc.Do(ctx, rc.B().Set().Key(prefix+"{"+testAccount+"}:gen").Value("twelve").Build())
	if _, err := c.Generation(ctx, testAccount); err != ErrBadEntry {
		t.Errorf("a generation that is not a number: %v, want ErrBadEntry", err)
	}
	rc.Do(ctx, rc.B().Del().Key(prefix+"{"+testAccount+"}:gen").Build())
	rc.Do(ctx, rc.B().Lpush().Key(prefix+"{"+testAccount+"}:gen").Element("1").Build())
	for polls := 0; ; polls++ {
		_, err := c.Generation(ctx, testAccount)
		if err == ErrBadEntry {
			break
		}
		if polls > 200 {
			t.Fatalf("a generation that is a list: %v, want ErrBadEntry", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	for _, k := range []string{"", "nogeneration", "acct:x /p"} {
		if _, ok, err := c.Get(ctx, k); ok || err != ErrBadKey {
			t.Errorf("Get(%q): ok=%v err=%v", k, ok, err)
		}
		if err := c.Set(ctx, k, entry("x"), time.Minute); err != ErrBadKey {
			t.Errorf("Set(%q): %v", k, err)
		}
	}
}

func TestEntryEncodingRoundTripsAndTruncationsFail(t *testing.T) {
	e := transport.Entry{Body: []byte(`{"a":[1,2,3]}`), Header: http.Header{"Link": {"a", "b"}, "X-Empty": {""}, "X-None": {}}}
	b := encodeEntry(e)
	got, err := decodeEntry(b)
	if err != nil || string(got.Body) != string(e.Body) || len(got.Header) != 3 || got.Header["Link"][1] != "b" {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	for i := range len(b) - len(e.Body) {
		if _, err := decodeEntry(b[:i]); err == nil && i < len(b)-len(e.Body) {
			// A cut inside the headers must fail.
			t.Errorf("a value cut at %d decodes", i)
		}
	}
}

func TestFlushForgetsAnswersAndKeepsGenerations(t *testing.T) {
	url, prefix := redistest.URL(t), uniquePrefix(t)
	f := newFleet(t, url, prefix, nil)
	c := f.Cache()
	ctx := context.Background()
	c.Invalidate(ctx, testAccount)
	c.Invalidate(ctx, testAccount)
	for i := range 50 {
		k := transport.CacheKey(testAccount, 2, "/v2/droplets/"+strconv.Itoa(i), "")
		if err := c.Set(ctx, k, entry("x"), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	rc := raw(t, url)
	other := prefix + "{" + testAccount + "}:budget"
	rc.Do(ctx, rc.B().Set().Key(other).Value("1").Build())
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	keys, _ := rc.Do(ctx, rc.B().Keys().Pattern(prefix+"*").Build()).AsStrSlice()
	if len(keys) != 2 {
		t.Errorf("after Flush: %q, want the generation and the other key", keys)
	}
	if g := mustGen(t, c); g != 2 {
		t.Errorf("generation after Flush = %d, want 2", g)
	}
}

// timed runs fn and counts it as late when it took longer than limit.
func timed(late *int, limit time.Duration, fn func()) {
	start := time.Now()
	fn()
	if time.Since(start) > limit {
		*late++
	}
}

func TestRedisKilledFallsBackAndRecoversWithoutGoingBackwards(t *testing.T) {
	srv := redistest.Start(t)
	prefix := uniquePrefix(t)
	f := newFleet(t, srv.URL, prefix, func(o *Options) { o.CallTimeout = DefaultCallTimeout })
	other := newFleet(t, srv.URL, prefix, nil)
	c := f.Cache()
	ctx := context.Background()
	if err := c.Invalidate(ctx, testAccount); err != nil {
		t.Fatal(err)
	}
	if g := mustGen(t, c); g != 1 {
		t.Fatalf("generation %d, want 1", g)
	}
	for polls := 0; mustGen(t, other.Cache()) != 1; polls++ {
		if polls > 200 {
			t.Fatal("the other process never saw generation 1")
		}
		time.Sleep(5 * time.Millisecond)
	}
	srv.Kill()

	// Every call returns within the call deadline (and some slack for a
	// loaded machine); the cache falls back to Local.
	// (The near copy of the generation may serve a few reads until the
	// client notices the lost connection; it is as good as Redis's was.)
	limit := f.opt.CallTimeout + time.Second
	late := 0
	var gen uint64
	for polls := 0; ; polls++ {
		timed(&late, limit, func() { gen = mustGen(t, c) })
		if gen&fallbackBit != 0 {
			break
		}
		if polls > 100 {
			t.Fatalf("generation %#x while Redis is down, want a fallback generation", gen)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for range 10 {
		timed(&late, limit, func() { gen = mustGen(t, c) })
	}
	key := transport.CacheKey(testAccount, gen, "/v2/droplets/1", "")
	timed(&late, limit, func() {
		if err := c.Set(ctx, key, entry("local"), time.Minute); err != nil {
			t.Errorf("Set in fallback: %v", err)
		}
	})
	timed(&late, limit, func() {
		if e, ok, err := c.Get(ctx, key); !ok || err != nil || string(e.Body) != "local" {
			t.Errorf("Get in fallback: %q ok=%v err=%v", e.Body, ok, err)
		}
	})
	// A write during the outage moves the local generation on at once.
	timed(&late, limit, func() {
		if err := c.Invalidate(ctx, testAccount); err != nil {
			t.Errorf("Invalidate in fallback: %v", err)
		}
	})
	if g := mustGen(t, c); g == gen {
		t.Error("a write during the outage left the fallback generation")
	}
	if late != 0 {
		t.Errorf("%d calls took longer than %v with Redis down", late, limit)
	}
	s := f.Stats()
	t.Logf("outage: %d fallbacks, %d failures, breaker opened %d times", s.Fallbacks, s.Failures, s.BreakerOpened)
	if s.BreakerOpened < 1 || s.Fallbacks < 10 {
		t.Errorf("stats %+v: want the breaker open and the calls served locally", s)
	}

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	// Redis is back, empty. The process that did not write reads first:
	// it puts the generation back to what it had seen.
	polls := 0
	for {
		g := mustGen(t, other.Cache())
		if g&fallbackBit == 0 {
			if g != 1 {
				t.Errorf("the other process reads %d after the restart, want 1 (never below what it saw)", g)
			}
			break
		}
		if polls++; polls > 200 {
			t.Fatal("the fleet did not reconnect")
		}
		time.Sleep(25 * time.Millisecond)
	}
	// The writer moves it on for its write of the outage.
	for polls = 0; ; polls++ {
		g := mustGen(t, c)
		if g&fallbackBit == 0 {
			if g != 2 {
				t.Errorf("the writer reads %d after the restart, want 2", g)
			}
			break
		}
		if polls > 200 {
			t.Fatal("the writer did not reconnect")
		}
		time.Sleep(25 * time.Millisecond)
	}
	for polls = 0; mustGen(t, other.Cache()) != 2; polls++ {
		if polls > 200 {
			t.Fatalf("the other process reads %d, want 2", mustGen(t, other.Cache()))
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Sharing resumes.
	k2 := transport.CacheKey(testAccount, 2, "/v2/droplets/2", "")
	if err := c.Set(ctx, k2, entry("shared again"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if e, ok, err := other.Cache().Get(ctx, k2); !ok || err != nil || string(e.Body) != "shared again" {
		t.Errorf("after recovery: %q ok=%v err=%v", e.Body, ok, err)
	}
}

// redisPID asks Redis for its process id.
func redisPID(t *testing.T, url string) int {
	rc := raw(t, url)
	info, err := rc.Do(context.Background(), rc.B().Info().Section("server").Build()).ToString()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "process_id:"); ok {
			pid, err := strconv.Atoi(v)
			if err == nil {
				return pid
			}
		}
	}
	t.Fatal("no process_id in INFO")
	return 0
}

func TestRedisFrozenEveryCallKeepsItsDeadline(t *testing.T) {
	srv := redistest.Start(t)
	pid := redisPID(t, srv.URL)
	prefix := uniquePrefix(t)
	f := newFleet(t, srv.URL, prefix, func(o *Options) { o.CallTimeout = DefaultCallTimeout })
	c := f.Cache()
	ctx := context.Background()
	key := transport.CacheKey(testAccount, mustGen(t, c), "/v2/droplets/3", "")
	if err := c.Set(ctx, key, entry("x"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	stopped := true
	defer func() {
		if stopped {
			syscall.Kill(pid, syscall.SIGCONT)
		}
	}()
	limit := f.opt.CallTimeout + time.Second
	late, calls := 0, 0
	var worst time.Duration
	for i := range 20 {
		start := time.Now()
		g := mustGen(t, c)
		k := transport.CacheKey(testAccount, g, "/v2/droplets/"+strconv.Itoa(10+i), "")
		c.Get(ctx, k)
		c.Set(ctx, k, entry("y"), time.Minute)
		calls += 3
		d := time.Since(start)
		worst = max(worst, d)
		if d > 3*limit {
			late++
		}
	}
	s := f.Stats()
	t.Logf("Redis frozen: 60 calls, worst read+store %v, %d failures, breaker opened %d times, %d fallbacks", worst, s.Failures, s.BreakerOpened, s.Fallbacks)
	if late != 0 {
		t.Errorf("%d of 20 read+store sequences took longer than 3 x %v", late, limit)
	}
	if s.BreakerOpened < 1 || s.Fallbacks == 0 {
		t.Errorf("stats %+v: want the breaker open and local fallbacks", s)
	}
	syscall.Kill(pid, syscall.SIGCONT)
	stopped = false
	for polls := 0; mustGen(t, c)&fallbackBit != 0; polls++ {
		if polls > 200 {
			t.Fatal("no recovery after Redis thawed")
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func TestRedisDownAtStart(t *testing.T) {
	srv := redistest.Start(t)
	srv.Kill()
	f := newFleet(t, srv.URL, uniquePrefix(t), nil)
	if f.Available() {
		t.Fatal("available without Redis")
	}
	if g := mustGen(t, f.Cache()); g&fallbackBit == 0 {
		t.Fatalf("generation %#x without Redis", g)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	for polls := 0; mustGen(t, f.Cache())&fallbackBit != 0; polls++ {
		if polls > 300 {
			t.Fatal("the fleet did not connect once Redis started")
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func TestNoLocalMeansMissesWhileDown(t *testing.T) {
	srv := redistest.Start(t)
	f := newFleet(t, srv.URL, uniquePrefix(t), func(o *Options) { o.Local = nil })
	srv.Kill()
	c := f.Cache()
	ctx := context.Background()
	var g uint64
	for range 5 {
		g = mustGen(t, c)
	}
	key := transport.CacheKey(testAccount, g, "/v2/tags", "")
	if err := c.Set(ctx, key, entry("x"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Get(ctx, key); ok || err != nil {
		t.Errorf("without Local: ok=%v err=%v", ok, err)
	}
}

func TestTooLargeAnswersAreNotSharedAndFreeTheLease(t *testing.T) {
	url, prefix := redistest.URL(t), uniquePrefix(t)
	small := func(o *Options) { o.MaxEntryBytes = 1024 }
	f := newFleet(t, url, prefix, small)
	g := newFleet(t, url, prefix, small)
	ctx := context.Background()
	key := transport.CacheKey(testAccount, 0, "/v2/droplets", "per_page=200")
	if _, ok, _ := f.Cache().Get(ctx, key); ok {
		t.Fatal("hit in an empty cache")
	}
	if err := f.Cache().Set(ctx, key, entry(strings.Repeat("x", 4096)), time.Minute); err != nil {
		t.Fatal(err)
	}
	// The other worker does not wait for an answer that will never come.
	if _, ok, _ := g.Cache().Get(ctx, key); ok {
		t.Error("a too large answer was shared")
	}
	if s := g.Stats(); s.LeaseWaits != 0 || s.Misses != 1 {
		t.Errorf("other worker: %+v, want one miss and no wait", s)
	}
}

func FuzzDecodeEntry(f *testing.F) {
	f.Add(encodeEntry(entry(`{"a":1}`)))
	f.Add([]byte("S\x01\x00"))
	f.Add([]byte("S\x01\x01\x04Link\x01\x03abc{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeEntry(b)
		if err != nil {
			if err != ErrBadEntry {
				t.Fatalf("error %v, want ErrBadEntry", err)
			}
			return
		}
		// What decodes encodes back to a value that decodes the same.
		again, err := decodeEntry(encodeEntry(e))
		if err != nil || !bytes.Equal(again.Body, e.Body) || len(again.Header) != len(e.Header) {
			t.Fatalf("round trip of %q: %+v %v", b, again, err)
		}
	})
}

// BenchmarkGetNearHit is the cost of a hot read: the generation and the
// answer, both from the process's near copies.
func BenchmarkGetNearHit(b *testing.B) {
	url, prefix := redistest.URL(b), uniquePrefix(b)
	f := newFleet(b, url, prefix, nil)
	c := f.Cache()
	ctx := context.Background()
	key := transport.CacheKey(testAccount, mustGen(b, c), "/v2/droplets/1", "")
	if err := c.Set(ctx, key, entry(strings.Repeat("x", 2000)), time.Hour); err != nil {
		b.Fatal(err)
	}
	c.Get(ctx, key)
	c.Get(ctx, key)
	before := f.Stats()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		g, _ := c.Generation(ctx, testAccount)
		if _, ok, _ := c.Get(ctx, transport.CacheKey(testAccount, g, "/v2/droplets/1", "")); !ok {
			b.Fatal("miss")
		}
	}
	b.StopTimer()
	s := f.Stats()
	b.ReportMetric(float64(s.CacheCommands-before.CacheCommands)/float64(b.N), "roundtrips/op")
}

func TestAStoreWakesTheWaitersOfItsKey(t *testing.T) {
	url, prefix := redistest.URL(t), uniquePrefix(t)
	f := newFleet(t, url, prefix, nil)
	g := newFleet(t, url, prefix, nil)
	ctx := context.Background()
	key := transport.CacheKey(testAccount, 0, "/v2/floating_ips", "")
	// f's look at the key makes Redis track it for f.
	if _, ok, _ := f.Cache().Get(ctx, key); ok {
		t.Fatal("hit in an empty cache")
	}
	vk, _ := f.cache.redisKeys(testAccount, key)
	w := f.cache.watch(vk)
	defer f.cache.unwatch(vk, w)
	if err := g.Cache().Set(ctx, key, entry("ip"), time.Minute); err != nil {
		t.Fatal(err)
	}
	woken := 0
	select {
	case <-w.ch:
		woken++
	case <-time.After(5 * time.Second):
	}
	if woken != 1 {
		t.Error("another process's store did not wake the waiters of the key")
	}
}
