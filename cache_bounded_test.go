package stratus_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const boundedAcct = "0123456789abcdef0123456789abcdef"

// sized returns a key of fixed length and a body such that the entry
// counts exactly size bytes against the budget (no headers).
func sized(t *testing.T, i int, size int64) (string, stratus.Entry) {
	t.Helper()
	key := stratus.CacheKey(boundedAcct, 0, fmt.Sprintf("/things/%06d", i), "")
	n := size - stratus.EntryOverhead - int64(len(key))
	require.Positive(t, n)
	return key, stratus.Entry{Body: make([]byte, n)}
}

func TestBoundedCacheEvictsUnderBudget(t *testing.T) {
	const size, fit = 2000, 100
	m := stratus.NewBoundedCache(size * fit)
	ctx := context.Background()
	for i := range 1000 {
		k, e := sized(t, i, size)
		require.NoError(t, m.Set(ctx, k, e, time.Hour))
		require.LessOrEqual(t, m.Stats().Bytes, int64(size*fit), "after %d stores", i+1)
	}
	require.NoError(t, m.CheckInvariants())
	st := m.Stats()
	assert.Equal(t, fit, st.Entries)
	assert.Equal(t, uint64(1000), st.Stored)
	assert.Equal(t, int64(size*fit), st.Bytes)
	assert.Equal(t, uint64(1000-fit), st.Evictions)
	// Nothing was read: the ring went in the order of the stores, and the
	// last ones stored are the ones held.
	for i := range 1000 {
		k, _ := sized(t, i, size)
		_, ok, err := m.Get(ctx, k)
		require.NoError(t, err)
		assert.Equal(t, i >= 1000-fit, ok, "entry %d", i)
	}
	st = m.Stats()
	assert.Equal(t, uint64(fit), st.Hits)
	assert.Equal(t, uint64(1000-fit), st.Misses)
	assert.Zero(t, st.Rejected)
	assert.Zero(t, st.Expired)
}

// An entry read since the hand last passed gets a second chance; one
// never read goes first.
func TestBoundedCacheSecondChance(t *testing.T) {
	const size, fit = 1000, 10
	m := stratus.NewBoundedCache(size * fit)
	ctx := context.Background()
	keys := make([]string, 13)
	for i := range keys {
		keys[i], _ = sized(t, i, size)
	}
	for i := range fit {
		k, e := sized(t, i, size)
		require.NoError(t, m.Set(ctx, k, e, time.Hour))
	}
	_, ok, _ := m.Get(ctx, keys[0])
	require.True(t, ok)
	_, ok, _ = m.Get(ctx, keys[3])
	require.True(t, ok)
	for i := fit; i < fit+3; i++ {
		k, e := sized(t, i, size)
		require.NoError(t, m.Set(ctx, k, e, time.Hour))
	}
	held := func(i int) bool { _, ok, _ := m.Get(ctx, keys[i]); return ok }
	assert.True(t, held(0), "read, so kept over unread ones")
	assert.False(t, held(1))
	assert.False(t, held(2))
	assert.True(t, held(3), "read, so kept")
	assert.False(t, held(4))
	assert.True(t, held(5))
	assert.Equal(t, uint64(3), m.Stats().Evictions)
	require.NoError(t, m.CheckInvariants())
}

func TestBoundedCacheRefusesAnswersOverAnEighth(t *testing.T) {
	const budget = 80_000
	m := stratus.NewBoundedCache(budget)
	ctx := context.Background()
	k, e := sized(t, 1, budget/stratus.EntryShare)
	require.NoError(t, m.Set(ctx, k, e, time.Hour))
	_, ok, _ := m.Get(ctx, k)
	assert.True(t, ok, "exactly an eighth is kept")
	// The same key's next answer is a byte too big: it is not kept, and
	// the older one is not served in its place.
	_, big := sized(t, 1, budget/stratus.EntryShare+1)
	require.NoError(t, m.Set(ctx, k, big, time.Hour))
	_, ok, _ = m.Get(ctx, k)
	assert.False(t, ok)
	st := m.Stats()
	assert.Equal(t, uint64(1), st.Rejected)
	assert.Zero(t, st.Entries)
	assert.Zero(t, st.Bytes)
	require.NoError(t, m.CheckInvariants())
}

func TestBoundedCacheListingShare(t *testing.T) {
	const budget, size = 64_000, 1000
	share := int64(budget / stratus.ListingShare)
	m := stratus.NewBoundedCache(budget)
	ctx := context.Background()
	held := func(from, to int) (n int) {
		for i := from; i < to; i++ {
			k, _ := sized(t, i, size)
			if _, ok, _ := m.Get(ctx, k); ok {
				n++
			}
		}
		return n
	}
	// A listing within its share is kept whole.
	small := stratus.WithListing(ctx)
	for i := range int(share / size) {
		k, e := sized(t, i, size)
		require.NoError(t, m.Set(small, k, e, time.Hour))
	}
	assert.Equal(t, int(share/size), held(0, 100))
	// A bigger one is kept until it passes its share; then what it had
	// kept is dropped, and nothing more of it is kept.
	big := stratus.WithListing(ctx)
	for i := 100; i < 120; i++ {
		k, e := sized(t, i, size)
		require.NoError(t, m.Set(big, k, e, time.Hour))
		if i == 102 {
			assert.Equal(t, 3, held(100, 120), "kept while within the share")
		}
	}
	assert.Zero(t, held(100, 120))
	st := m.Stats()
	assert.Equal(t, uint64(20), st.ListingSkipped, "every page of the big listing")
	assert.Equal(t, share, st.Bytes, "the small listing's")
	assert.Zero(t, st.Evictions)
	// Answers outside any listing are not limited.
	for i := 200; i < 210; i++ {
		k, e := sized(t, i, size)
		require.NoError(t, m.Set(ctx, k, e, time.Hour))
	}
	assert.Equal(t, int(share/size)+10, m.Len())
	require.NoError(t, m.CheckInvariants())
}

// Through a client: a listing far bigger than the share keeps none of
// its pages, and the items read before it stay cached. Without a total
// (pages one after the other), the listing learns its size as it goes.
func TestBigListingKeepsOtherEntries(t *testing.T) {
	f := newFakeAPI(t, 2000)
	const budget = 200_000
	c := newFakeClient(t, f, stratus.WithCacheBudget(budget))
	m, ok := c.Cache().(*stratus.MemoryCache)
	require.True(t, ok)
	require.NotSame(t, stratus.DefaultCache(), m, "WithCacheBudget gives the client its own cache")
	assert.Equal(t, int64(budget), m.Budget())
	ctx := context.Background()
	for i := 1; i <= 50; i++ {
		require.NoError(t, newThing(c, i).Load(ctx))
	}
	itemBytes := m.Stats().Bytes
	require.Equal(t, 50, m.Len())
	n := 0
	for _, err := range things(c).PageSize(20).All(ctx) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 2000, n)
	assert.Equal(t, int64(50+100), f.requests.Load())
	st := m.Stats()
	assert.Equal(t, 50, st.Entries, "no page of a 100-page listing is kept")
	assert.Equal(t, itemBytes, st.Bytes)
	assert.Equal(t, uint64(100), st.ListingSkipped)
	assert.Greater(t, st.Stored, uint64(50), "pages one after the other: kept until the listing passed its share")
	assert.Zero(t, st.Evictions, "the listing evicted nothing")
	before := f.requests.Load()
	for i := 1; i <= 50; i++ {
		require.NoError(t, newThing(c, i).Load(ctx))
	}
	assert.Equal(t, before, f.requests.Load(), "the items read before the listing are still cached")

	// A small listing is kept whole: listed again, it sends nothing.
	for range 2 {
		got, err := things(c).PageSize(20).Limit(60).Collect(ctx)
		require.NoError(t, err)
		require.Len(t, got, 60)
	}
	assert.Equal(t, before+3, f.requests.Load())
	require.NoError(t, m.CheckInvariants())
}

// With pages fetched ahead, the first page's total tells the size at
// once: the first page is dropped and no later one stored.
func TestBigListingAheadKeepsNoPage(t *testing.T) {
	a := newIDAPI(t, 2000, false, 0)
	c := newFakeClient(t, a.fakeAPI, stratus.WithCacheBudget(200_000), stratus.WithConcurrency(4))
	m := c.Cache().(*stratus.MemoryCache)
	n := 0
	for _, err := range aheadThings(c).PageSize(20).All(t.Context()) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 2000, n)
	st := m.Stats()
	assert.Zero(t, st.Entries)
	assert.Equal(t, uint64(100), st.ListingSkipped, "page 1 dropped, 99 never stored")
	assert.Equal(t, uint64(1), st.Stored, "the first page's total told the size before any other page came")
	// A listing that fits is kept whole.
	for range 2 {
		got, err := aheadThings(c).PageSize(20).Limit(60).Collect(t.Context())
		require.NoError(t, err)
		require.Len(t, got, 60)
	}
	assert.Equal(t, 3, m.Len())
	assert.EqualValues(t, 100+3, a.requests.Load())
	require.NoError(t, m.CheckInvariants())
}

func TestBoundedCacheExpires(t *testing.T) {
	ctx := context.Background()
	wait := func(d time.Duration) {
		for end := time.Now().Add(d); time.Now().Before(end); {
			time.Sleep(time.Millisecond)
		}
	}
	// Met by Get.
	m := stratus.NewBoundedCache(1 << 20)
	k1, e := sized(t, 1, 1000)
	k2, _ := sized(t, 2, 1000)
	require.NoError(t, m.Set(ctx, k1, e, 5*time.Millisecond))
	require.NoError(t, m.Set(ctx, k2, e, time.Hour))
	wait(10 * time.Millisecond)
	_, ok, _ := m.Get(ctx, k1)
	assert.False(t, ok)
	_, ok, _ = m.Get(ctx, k2)
	assert.True(t, ok)
	st := m.Stats()
	assert.Equal(t, uint64(1), st.Expired)
	assert.Equal(t, 1, st.Entries)
	assert.Equal(t, int64(1000), st.Bytes)

	// Swept by Set, unread, once the cleanup interval has passed.
	m = stratus.NewMemoryCache(time.Millisecond)
	for i := range 10 {
		k, e := sized(t, i, 1000)
		require.NoError(t, m.Set(ctx, k, e, 5*time.Millisecond))
	}
	wait(10 * time.Millisecond)
	k, e := sized(t, 99, 1000)
	require.NoError(t, m.Set(ctx, k, e, time.Hour))
	st = m.Stats()
	assert.Equal(t, uint64(10), st.Expired)
	assert.Equal(t, 1, st.Entries)
	assert.Zero(t, st.Evictions)

	// Met by the hand: an expired entry goes before any live one, read or
	// not, and counts as expired, not evicted.
	m = stratus.NewBoundedCache(10 * 1000)
	for i := range 10 {
		k, e := sized(t, i, 1000)
		ttl := time.Hour
		if i == 0 {
			ttl = 5 * time.Millisecond
		}
		require.NoError(t, m.Set(ctx, k, e, ttl))
	}
	wait(10 * time.Millisecond)
	k, e = sized(t, 10, 1000)
	require.NoError(t, m.Set(ctx, k, e, time.Hour))
	st = m.Stats()
	assert.Equal(t, uint64(1), st.Expired)
	assert.Zero(t, st.Evictions)
	assert.Equal(t, 10, st.Entries)
	require.NoError(t, m.CheckInvariants())
}

func TestBoundedCacheGenerations(t *testing.T) {
	m := stratus.NewBoundedCache(1 << 20)
	ctx := context.Background()
	const a, b = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	e := stratus.Entry{Body: []byte(`{"id":1}`)}
	for i := range 10 {
		require.NoError(t, m.Set(ctx, stratus.CacheKey(a, 0, fmt.Sprint("/x/", i), ""), e, time.Hour))
		require.NoError(t, m.Set(ctx, stratus.CacheKey(b, 0, fmt.Sprint("/x/", i), ""), e, time.Hour))
	}
	bBytes := m.Stats().Bytes / 2
	require.NoError(t, m.Invalidate(ctx, a))
	g, err := m.Generation(ctx, a)
	require.NoError(t, err)
	assert.EqualValues(t, 1, g)
	st := m.Stats()
	assert.Equal(t, 10, st.Entries, "the other account keeps its entries")
	assert.Equal(t, bBytes, st.Bytes, "the old generation's bytes are released at once")
	// A late store of the old generation is dropped; the new one is kept.
	require.NoError(t, m.Set(ctx, stratus.CacheKey(a, 0, "/x/1", ""), e, time.Hour))
	require.NoError(t, m.Set(ctx, stratus.CacheKey(a, 1, "/x/1", ""), e, time.Hour))
	st = m.Stats()
	assert.Equal(t, uint64(1), st.Stale)
	assert.Equal(t, 11, st.Entries)
	_, ok, _ := m.Get(ctx, stratus.CacheKey(a, 0, "/x/2", ""))
	assert.False(t, ok)
	_, ok, _ = m.Get(ctx, stratus.CacheKey(b, 0, "/x/2", ""))
	assert.True(t, ok)
	require.NoError(t, m.CheckInvariants())

	require.NoError(t, m.Flush(ctx))
	st = m.Stats()
	assert.Zero(t, st.Entries)
	assert.Zero(t, st.Bytes)
	gb, _ := m.Generation(ctx, b)
	assert.EqualValues(t, 1, gb, "a flush moves every generation on")
	require.NoError(t, m.Set(ctx, stratus.CacheKey(b, 0, "/x/1", ""), e, time.Hour))
	assert.Zero(t, m.Len(), "a read in flight during the flush stores nothing")
	require.NoError(t, m.Set(ctx, stratus.CacheKey(b, 1, "/x/1", ""), e, time.Hour))
	assert.Equal(t, 1, m.Len())
	require.NoError(t, m.CheckInvariants())
}

func TestBoundedCacheSetBudget(t *testing.T) {
	m := stratus.NewBoundedCache(100 * 1000)
	ctx := context.Background()
	for i := range 100 {
		k, e := sized(t, i, 1000)
		require.NoError(t, m.Set(ctx, k, e, time.Hour))
	}
	m.SetBudget(30 * 1000)
	st := m.Stats()
	assert.Equal(t, 30, st.Entries)
	assert.Equal(t, uint64(70), st.Evictions)
	assert.Equal(t, int64(30*1000), st.Budget)
	require.NoError(t, m.CheckInvariants())
	m.ResetStats()
	assert.Zero(t, m.Stats().Evictions)
	assert.Equal(t, 30, m.Stats().Entries)
}

func TestBoundedCacheConcurrent(t *testing.T) {
	m := stratus.NewBoundedCache(50 * 1000)
	ctx := context.Background()
	accts := []string{"a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0", "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1", "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2"}
	const workers, ops = 8, 3000
	var wg sync.WaitGroup
	gets := make([]int, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for range ops {
				acct := accts[r.IntN(len(accts))]
				gen, _ := m.Generation(ctx, acct)
				key := stratus.CacheKey(acct, gen, fmt.Sprintf("/things/%d", r.IntN(200)), "")
				switch x := r.IntN(100); {
				case x < 50:
					m.Get(ctx, key)
					gets[w]++
				case x < 97:
					ttl := time.Hour
					if x%5 == 0 {
						ttl = time.Microsecond
					}
					m.Set(ctx, key, stratus.Entry{Body: make([]byte, r.IntN(3000))}, ttl)
				case x < 99:
					m.Invalidate(ctx, acct)
				default:
					m.SetBudget(int64(30_000 + r.IntN(40_000)))
				}
			}
		}()
	}
	wg.Wait()
	require.NoError(t, m.CheckInvariants())
	st := m.Stats()
	total := 0
	for _, n := range gets {
		total += n
	}
	assert.Equal(t, uint64(total), st.Hits+st.Misses, "every Get is a hit or a miss")
	assert.Positive(t, st.Hits)
	assert.Positive(t, st.Evictions)
	assert.LessOrEqual(t, st.Bytes, st.Budget)
}

// Clients built without a cache option share the process's cache; two
// accounts' answers for the same paths never mix in it, and one
// account's write leaves the other's entries alone.
func TestDefaultCacheSharedByAccounts(t *testing.T) {
	a, b := renamed(t, 3, "alpha"), renamed(t, 3, "beta")
	ca, cb := newFakeClient(t, a), newFakeClient(t, b)
	require.Same(t, stratus.DefaultCache(), ca.Cache())
	require.Same(t, stratus.DefaultCache(), cb.Cache())
	assert.Equal(t, stratus.DefaultCacheBudget, stratus.DefaultCache().Budget())
	ctx := context.Background()
	for range 3 {
		for i := 1; i <= 3; i++ {
			assert.Equal(t, fmt.Sprintf("alpha-%04d", i), newThing(ca, i).Name())
			assert.Equal(t, fmt.Sprintf("beta-%04d", i), newThing(cb, i).Name())
		}
		la, err := things(ca).Collect(ctx)
		require.NoError(t, err)
		lb, err := things(cb).Collect(ctx)
		require.NoError(t, err)
		require.Len(t, la, 3)
		require.Len(t, lb, 3)
		assert.Equal(t, "alpha-0003", la[2].Name())
		assert.Equal(t, "beta-0003", lb[2].Name())
	}
	assert.Equal(t, int64(4), a.requests.Load(), "3 items and 1 page, then served from the shared cache")
	assert.Equal(t, int64(4), b.requests.Load())

	// A second client of account a, also on the default cache, shares the
	// entries and the generation.
	ca2 := newFakeClient(t, a)
	assert.Equal(t, "alpha-0002", newThing(ca2, 2).Name())
	assert.Equal(t, int64(4), a.requests.Load())
	_, err := ca2.Do(ctx, "PUT", "/things/2", nil, []byte(`{}`))
	require.NoError(t, err)
	assert.Equal(t, "renamed", newThing(ca, 2).Name())
	assert.Equal(t, int64(6), a.requests.Load())
	assert.Equal(t, "beta-0002", newThing(cb, 2).Name())
	assert.Equal(t, int64(4), b.requests.Load(), "the other account's entries outlive the write")

	// A client with a budget of its own neither reads nor fills the
	// shared cache.
	own := newFakeClient(t, a, stratus.WithCacheBudget(1<<20))
	assert.Equal(t, "alpha-0001", newThing(own, 1).Name())
	assert.Equal(t, int64(7), a.requests.Load())
	none := newFakeClient(t, a, stratus.WithoutCache())
	assert.Nil(t, none.Cache())
}

// The accounting follows the heap: 100,000 droplet-sized answers stored
// in a 4 MiB cache leave the live heap within 1.25x the budget of where
// it started, at every checkpoint.
func TestBoundedCacheHeapFollowsBudget(t *testing.T) {
	const budget = 4 << 20
	m := stratus.NewBoundedCache(budget)
	ctx := context.Background()
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "X-Request-Id": {"910a2dec-8902-4cc1-9e41-ab0874396115"}}
	_, base := heapAfterGC()
	for i := 1; i <= 100_000; i++ {
		body := []byte(fmt.Sprintf(dropletThing, i, i))
		require.NoError(t, m.Set(ctx, stratus.CacheKey(boundedAcct, 0, "/things/"+strconv.Itoa(i), ""), stratus.Entry{Body: body, Header: h.Clone()}, time.Hour))
		if i%20_000 == 0 {
			_, live := heapAfterGC()
			grown := live - min(live, base)
			st := m.Stats()
			t.Logf("%d stored: %d held, %.2f MiB accounted, live heap +%.2f MiB", i, st.Entries, mib(uint64(st.Bytes)), mib(grown))
			require.LessOrEqual(t, st.Bytes, int64(budget))
			require.LessOrEqual(t, grown, uint64(budget)*5/4, "after %d stores", i)
		}
	}
	require.NoError(t, m.CheckInvariants())
	runtime.KeepAlive(m)
}

// The budget pays for the answer, not the reading buffer's slack.
func TestBoundedCacheTrimsSlack(t *testing.T) {
	m := stratus.NewBoundedCache(1 << 20)
	ctx := context.Background()
	k1, k2 := stratus.CacheKey(boundedAcct, 0, "/p/1", ""), stratus.CacheKey(boundedAcct, 0, "/p/2", "")
	require.NoError(t, m.Set(ctx, k1, stratus.Entry{Body: make([]byte, 1000, 4096)}, time.Hour))
	assert.Equal(t, int64(stratus.EntryOverhead+len(k1)+1000), m.Stats().Bytes, "stored as an exact copy")
	e, ok, _ := m.Get(ctx, k1)
	require.True(t, ok)
	assert.Equal(t, 1000, cap(e.Body))
	require.NoError(t, m.Set(ctx, k2, stratus.Entry{Body: make([]byte, 1000, 1100)}, time.Hour))
	assert.Equal(t, int64(2*stratus.EntryOverhead+len(k1)+len(k2)+1000+1100), m.Stats().Bytes, "a little slack is kept and counted")
}
