package stratus

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	gocache "github.com/patrickmn/go-cache"
)

// DefaultCacheBudget is the byte budget of the process's default cache
// (DefaultCache), shared by every client built without a cache option.
const DefaultCacheBudget int64 = 64 << 20

// The shares of the budget that bound what one answer and one listing
// may hold.
const (
	// An answer larger than budget/EntryShare is not cached: one huge
	// answer never pushes out hundreds of small ones.
	EntryShare = 8
	// A listing (its pages, and the items an id list loads ahead) is
	// kept whole if it takes at most budget/ListingShare, else not at
	// all: once it passes that share, or as soon as its first page times
	// the page count its total announces does, what it had kept is
	// dropped and nothing more of it is stored. A streaming listing
	// bigger than that neither evicts everything else nor holds memory
	// for a prefix that would spare a re-listing a few requests.
	ListingShare = 16
)

// EntryOverhead is what an entry costs beyond its body, headers and key,
// in the accounting of the budget: the go-cache map slot and item, the
// boxed ring slot with its links and counters, the header map's fixed
// part, and the allocator's rounding. It was measured with
// BenchmarkCacheSoak (heap in use after GC, divided by the entries held,
// less what the body, headers and key account for).
const EntryOverhead = 240

// CacheStats counts what a MemoryCache did since it was made (or since
// ResetStats), and what it holds now.
type CacheStats struct {
	Hits uint64 // Get found a live entry
	// Misses counts Gets that found none (absent, expired or of an old
	// generation). A client's read that misses looks twice: before it
	// joins a shared request and as it starts one.
	Misses    uint64
	Stored    uint64 // answers stored
	Evictions uint64 // entries dropped to keep within the budget
	Expired   uint64 // entries dropped because their TTL had passed
	Rejected  uint64 // answers not kept: larger than budget/EntryShare
	// ListingSkipped counts answers not kept (or dropped) because their
	// listing is larger than its share (budget/ListingShare).
	ListingSkipped uint64
	Stale          uint64 // stores under an old generation, dropped
	Bytes          int64  // accounted bytes held (see EntryOverhead)
	Budget         int64  // the byte budget
	Entries        int    // entries held, expired ones not yet dropped included
}

// MemoryCache is the in-process Cache: go-cache holds the entries and
// their TTLs, under a byte budget kept by a CLOCK (second-chance) ring.
//
// Every entry is accounted at the capacity of its body, plus its headers
// (names, values and a slot each), plus its key, plus EntryOverhead. When
// a store would exceed the budget, the clock hand walks the ring: an
// expired entry is dropped, an entry read since the hand last passed
// loses its mark and is skipped, and the first unmarked one is evicted;
// new entries enter behind the hand, unmarked, so that an answer read
// once (a page of a scan) goes before one read again. An answer larger
// than budget/EntryShare is not stored, and a listing larger than
// budget/ListingShare keeps nothing.
//
// Each account's entries of its current generation are also linked in a
// list of their own: Invalidate drops them all at once, so that a write
// releases everything read before it rather than stranding it until its
// TTL, and a store under an older generation (a read in flight during the
// write) is dropped. Expired entries are dropped as they are met (by Get
// or the hand) and by a sweep at most once per cleanup interval, run by
// Set: the cache starts no goroutine.
type MemoryCache struct {
	mu       sync.RWMutex
	store    *gocache.Cache // key -> *slot, with the TTL
	accounts map[string]*generation
	budget   int64
	cleanup  time.Duration
	swept    time.Time
	hand     *slot // the clock hand; nil when empty
	bytes    int64
	entries  int
	removed  int   // entries unlinked by the store's eviction callback
	free     *slot // slots to reuse, linked by next
	hits     atomic.Uint64
	misses   atomic.Uint64
	st       CacheStats // the counters kept under mu
}

type generation struct {
	n    uint64
	head *slot // the entries of generation n
}

// slot is one entry: in the store under its key, on the ring, and in its
// generation's list.
type slot struct {
	key          string
	e            Entry
	size         int64
	exp          int64 // unix nanoseconds
	ref          atomic.Bool
	gen          *generation
	prev, next   *slot // ring
	gprev, gnext *slot // generation's list
}

var _ Cache = (*MemoryCache)(nil)

// NewMemoryCache returns an empty in-process cache with the default budget
// (DefaultCacheBudget) whose expired entries are swept at most once per
// cleanup interval (default a minute).
func NewMemoryCache(cleanup time.Duration) *MemoryCache {
	return newMemoryCache(DefaultCacheBudget, cleanup)
}

// NewBoundedCache returns an empty in-process cache that holds at most
// budget bytes as accounted (DefaultCacheBudget if budget <= 0), its
// expired entries swept at most once a minute.
func NewBoundedCache(budget int64) *MemoryCache {
	return newMemoryCache(budget, time.Minute)
}

func newMemoryCache(budget int64, cleanup time.Duration) *MemoryCache {
	if budget <= 0 {
		budget = DefaultCacheBudget
	}
	if cleanup <= 0 {
		cleanup = time.Minute
	}
	m := &MemoryCache{
		// No default expiration and no janitor: every Set gives its TTL,
		// and the sweep runs in Set.
		store:    gocache.New(gocache.NoExpiration, 0),
		accounts: map[string]*generation{},
		budget:   budget,
		cleanup:  cleanup,
		swept:    time.Now(),
	}
	// The store calls back when it deletes an entry; it is only ever
	// changed with m.mu held for writing, so the callback runs under it.
	m.store.OnEvicted(func(_ string, v any) { m.unlink(v.(*slot)) })
	return m
}

var (
	defaultCacheOnce sync.Once
	defaultCache     *MemoryCache
)

// DefaultCache returns the process's shared cache: every client built
// without WithCache, WithCacheBudget or WithoutCache uses it. Its keys
// begin with each client's account identity, so clients of different
// accounts share the budget but never an answer. SetBudget resizes it.
func DefaultCache() *MemoryCache {
	defaultCacheOnce.Do(func() { defaultCache = NewBoundedCache(DefaultCacheBudget) })
	return defaultCache
}

// Cache returns the client's cache (nil with WithoutCache).
func (c *Client) Cache() Cache { return c.cache }

// entrySize is what an entry counts against the budget.
func entrySize(key string, e Entry) int64 {
	n := int64(EntryOverhead + len(key) + cap(e.Body))
	if e.Header != nil {
		// The map: its header and at least one group of 8 slots, each a
		// name's string header, a values' slice header and a control
		// byte; then each name, and each value with its string header.
		slots := max(8, len(e.Header)*8/7+1)
		n += int64(48 + 41*slots)
		for k, vs := range e.Header {
			n += int64(len(k))
			for _, v := range vs {
				n += int64(16 + len(v))
			}
		}
	}
	return n
}

// account returns the account's generation record, making it; mu held.
func (m *MemoryCache) account(name string) *generation {
	g := m.accounts[name]
	if g == nil {
		g = &generation{}
		m.accounts[name] = g
	}
	return g
}

// unlink takes s off the ring and its generation's list; mu held. Only
// the store's eviction callback calls it, so the store and the ring
// always agree.
func (m *MemoryCache) unlink(s *slot) {
	if s.next == s {
		m.hand = nil
	} else {
		if m.hand == s {
			m.hand = s.next
		}
		s.prev.next, s.next.prev = s.next, s.prev
	}
	s.prev, s.next = nil, nil
	if s.gprev != nil {
		s.gprev.gnext = s.gnext
	} else if s.gen.head == s {
		s.gen.head = s.gnext
	}
	if s.gnext != nil {
		s.gnext.gprev = s.gprev
	}
	s.gprev, s.gnext = nil, nil
	m.bytes -= s.size
	m.entries--
	m.removed++
	// Reused by a later Set: a store then allocates nothing of its own.
	// Nothing else holds a slot: Get copies the entry out under the lock.
	*s = slot{next: m.free}
	m.free = s
}

// newSlot returns a cleared slot, from the free list or from a new block
// of them; mu held.
func (m *MemoryCache) newSlot() *slot {
	if m.free == nil {
		block := make([]slot, slotBlock)
		for i := range block[:slotBlock-1] {
			block[i].next = &block[i+1]
		}
		m.free = &block[0]
	}
	s := m.free
	m.free, s.next = s.next, nil
	return s
}

// slotBlock is how many slots are allocated at once.
const slotBlock = 64

// drop deletes key from the store (the callback unlinks its slot) and
// reports whether there was one; mu held.
func (m *MemoryCache) drop(key string) bool {
	before := m.removed
	m.store.Delete(key)
	return m.removed != before
}

// Get returns a live entry of the current generation.
func (m *MemoryCache) Get(_ context.Context, key string) (Entry, bool, error) {
	acct, gen, _ := SplitCacheKey(key)
	m.mu.RLock()
	g := m.accounts[acct]
	if g == nil || g.n != gen {
		m.mu.RUnlock()
		m.misses.Add(1)
		return Entry{}, false, nil
	}
	v, ok := m.store.Get(key)
	if ok {
		s := v.(*slot)
		s.ref.Store(true)
		// Copied out under the lock: once it is released, an eviction may
		// clear the slot and a later Set reuse it for another key.
		e := s.e
		m.mu.RUnlock()
		m.hits.Add(1)
		return e, true, nil
	}
	m.mu.RUnlock()
	m.misses.Add(1)
	// The store does not say whether it missed or found an expired entry:
	// drop whatever is there unless another Set has made it live since.
	m.mu.Lock()
	if _, live := m.store.Get(key); !live && m.drop(key) {
		m.st.Expired++
	}
	m.mu.Unlock()
	return Entry{}, false, nil
}

// Set stores an entry of the current generation; one of an earlier
// generation (a read that was in flight during a write) is dropped, as is
// one larger than budget/EntryShare or one of a listing larger than its
// share.
func (m *MemoryCache) Set(ctx context.Context, key string, e Entry, ttl time.Duration) error {
	if ttl <= 0 {
		return nil
	}
	if len(e.Body) < cap(e.Body)-cap(e.Body)/8 {
		// The reading buffer's slack (a body of unknown length grows by
		// doubling) would cost as much as the body: keep an exact copy.
		e.Body = append(make([]byte, 0, len(e.Body)), e.Body...)
	}
	acct, gen, _ := SplitCacheKey(key)
	size := entrySize(key, e)
	lst := m.listingOf(ctx)
	m.mu.Lock()
	defer m.mu.Unlock()
	g := m.account(acct)
	if gen != g.n {
		m.st.Stale++
		return nil
	}
	now := time.Now()
	if now.Sub(m.swept) >= m.cleanup {
		m.swept = now
		before := m.removed
		m.store.DeleteExpired()
		m.st.Expired += uint64(m.removed - before)
	}
	// An older answer under the same key goes in every case: the newer
	// one replaces it or, not kept, must not leave it to be served.
	m.drop(key)
	switch {
	case size > m.budget/EntryShare:
		m.st.Rejected++
		return nil
	case lst != nil && (lst.over || lst.kept+size > m.budget/ListingShare):
		m.st.ListingSkipped++
		m.overflow(lst)
		return nil
	}
	for m.bytes+size > m.budget && m.hand != nil {
		m.evictOne(now.UnixNano())
	}
	s := m.newSlot()
	s.key, s.e, s.size, s.exp, s.gen = key, e, size, now.Add(ttl).UnixNano(), g
	if m.hand == nil {
		s.prev, s.next = s, s
		m.hand = s
	} else {
		// Behind the hand: the last the hand will reach.
		s.prev, s.next = m.hand.prev, m.hand
		m.hand.prev.next = s
		m.hand.prev = s
	}
	if g.head != nil {
		g.head.gprev = s
	}
	s.gnext = g.head
	g.head = s
	m.bytes += size
	m.entries++
	m.st.Stored++
	if lst != nil {
		lst.kept += size
		lst.keys = append(lst.keys, key)
		if lst.first == 0 {
			lst.first = size
		}
	}
	m.store.Set(key, s, ttl)
	return nil
}

// overflow marks a listing as larger than its share and drops the
// answers it had kept: a prefix of a big listing would spare a re-listing
// a few requests at the price of other answers; mu held.
func (m *MemoryCache) overflow(lst *listing) {
	if lst.over {
		return
	}
	lst.over = true
	for _, k := range lst.keys {
		if m.drop(k) {
			m.st.ListingSkipped++
		}
	}
	lst.keys = nil
}

// expectPages tells the cache of ctx's listing, if any, how many pages
// the listing has (from its first page's total): a listing whose first
// page, times that, exceeds the share keeps nothing from then on.
func (c *Client) expectPages(ctx context.Context, pages int) {
	m, _ := c.cache.(*MemoryCache)
	if m == nil || pages <= 1 {
		return
	}
	lst := m.listingOf(ctx)
	if lst == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if lst.first > 0 && lst.first*int64(pages) > m.budget/ListingShare {
		m.overflow(lst)
	}
}

// evictOne moves the hand until it drops one entry: an expired one, or
// one not read since the hand last passed; mu held.
func (m *MemoryCache) evictOne(now int64) {
	for {
		s := m.hand
		if s.exp <= now {
			m.drop(s.key)
			m.st.Expired++
			return
		}
		if s.ref.Swap(false) {
			m.hand = s.next
			continue
		}
		m.drop(s.key)
		m.st.Evictions++
		return
	}
}

// Generation returns the account's current generation.
func (m *MemoryCache) Generation(_ context.Context, account string) (uint64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if g := m.accounts[account]; g != nil {
		return g.n, nil
	}
	return 0, nil
}

// Invalidate moves the account to a new generation and drops the old
// generation's entries whole.
func (m *MemoryCache) Invalidate(_ context.Context, account string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	g := m.account(account)
	g.n++
	for g.head != nil {
		m.drop(g.head.key)
	}
	return nil
}

// Flush forgets every entry; generations move on, so that a read in
// flight cannot store an answer older than the flush.
func (m *MemoryCache) Flush(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	// Without callbacks: the ring and the lists are dropped whole.
	m.store.Flush()
	m.hand, m.bytes, m.entries, m.free = nil, 0, 0, nil
	for _, g := range m.accounts {
		g.n++
		g.head = nil
	}
	return nil
}

// SetBudget changes the byte budget (DefaultCacheBudget if budget <= 0),
// evicting at once what no longer fits.
func (m *MemoryCache) SetBudget(budget int64) {
	if budget <= 0 {
		budget = DefaultCacheBudget
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.budget = budget
	now := time.Now().UnixNano()
	for m.bytes > m.budget && m.hand != nil {
		m.evictOne(now)
	}
}

// Budget returns the byte budget.
func (m *MemoryCache) Budget() int64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.budget
}

// Len returns the number of entries held, expired ones not yet dropped
// included.
func (m *MemoryCache) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.entries
}

// Stats returns the counters and what the cache holds now.
func (m *MemoryCache) Stats() CacheStats {
	m.mu.RLock()
	st := m.st
	st.Bytes, st.Budget, st.Entries = m.bytes, m.budget, m.entries
	m.mu.RUnlock()
	st.Hits, st.Misses = m.hits.Load(), m.misses.Load()
	return st
}

// ResetStats sets the counters to zero (what the cache holds stays).
func (m *MemoryCache) ResetStats() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.st = CacheStats{}
	m.hits.Store(0)
	m.misses.Store(0)
}

// listing is what one listing has had kept. Set reads it from the
// context the listing's requests run under. Guarded by the cache's mu.
type listing struct {
	owner atomic.Pointer[MemoryCache] // the one cache it counts in
	kept  int64                       // bytes kept
	first int64                       // the first answer's size
	keys  []string                    // the answers kept
	over  bool                        // larger than its share: nothing more is kept
}

type listingKey struct{}

// listingOf returns ctx's listing if it counts in m: a listing belongs to
// the first cache that sees it (its fields are guarded by that cache's
// lock), and is no listing for any other.
func (m *MemoryCache) listingOf(ctx context.Context) *listing {
	lst, _ := ctx.Value(listingKey{}).(*listing)
	if lst == nil || (!lst.owner.CompareAndSwap(nil, m) && lst.owner.Load() != m) {
		return nil
	}
	return lst
}

// withListing marks ctx as the context of one listing's requests: a
// MemoryCache keeps their answers only if together they fit in
// budget/ListingShare.
func withListing(ctx context.Context) context.Context {
	if _, ok := ctx.Value(listingKey{}).(*listing); ok {
		return ctx
	}
	return context.WithValue(ctx, listingKey{}, &listing{})
}
