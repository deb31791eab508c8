package fleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/redis/rueidis"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/fleet/redistest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPrefix keeps a test's keys apart from every other test's on a
// shared Redis.
func testPrefix(t testing.TB) string {
	var raw [6]byte
	rand.Read(raw[:])
	return "stratustest:" + hex.EncodeToString(raw[:]) + ":"
}

func budgetFleet(t testing.TB, url, prefix string, workers int) *Fleet {
	t.Helper()
	f, err := New(t.Context(), Options{URL: url, Prefix: prefix, Workers: workers})
	require.NoError(t, err)
	t.Cleanup(f.Close)
	return f
}

// now0 is a maxPause that admits only a slot free at once.
const now0 = time.Nanosecond

func rateLimited(t *testing.T, err error) *transport.Error {
	t.Helper()
	var te *transport.Error
	require.ErrorAs(t, err, &te)
	require.ErrorIs(t, te, transport.ErrRateLimited)
	require.False(t, te.RetryAt.IsZero(), "a refusal says when calls are accepted again")
	return te
}

// admitNow counts the requests admitted at once, up to n tries, and
// returns the first refusal.
func admitNow(t *testing.T, sp transport.Spender, n int) (int, error) {
	t.Helper()
	for i := range n {
		if err := sp.Take(t.Context(), now0); err != nil {
			return i, err
		}
	}
	return n, nil
}

func redisInt(t *testing.T, f *Fleet, build func(rueidis.Builder) rueidis.Completed) int64 {
	t.Helper()
	res, err := f.do(t.Context(), build)
	require.NoError(t, err)
	v, err := res.AsInt64()
	require.NoError(t, err)
	return v
}

// A window is spent in bursts of a twentieth of its limit, then at its
// interval: the burst is admitted at once and the next request is refused
// with the time its slot frees up; the keys carry only the account.
func TestBudgetBurstThenRefuse(t *testing.T) {
	prefix := testPrefix(t)
	f := budgetFleet(t, redistest.URL(t), prefix, 0)
	ws := []transport.Window{{Limit: 100, Period: 100 * time.Second}}
	sp := f.Spender("acct1", ws)
	require.NotNil(t, sp)

	before := time.Now()
	n, err := admitNow(t, sp, 50)
	assert.Equal(t, 5, n, "a burst of 100/20")
	te := rateLimited(t, err)
	// The next slot is one interval on: (100 s + the margin) / 96.
	assert.True(t, te.RetryAt.After(before.Add(500*time.Millisecond)), "retry at %v", te.RetryAt)
	assert.True(t, te.RetryAt.Before(before.Add(3*time.Second)), "retry at %v", te.RetryAt)

	st := f.BudgetStats()
	assert.Equal(t, int64(5), st.Admitted)
	assert.Equal(t, int64(1), st.Refused)
	assert.Equal(t, int64(0), st.Fallbacks)
	assert.Equal(t, 1, st.Workers, "this process counted itself")

	ttl := redisInt(t, f, func(b rueidis.Builder) rueidis.Completed { return b.Pttl().Key(prefix + "{acct1}:rate:100000").Build() })
	assert.Positive(t, ttl, "one TAT key per window, named by the account and the period")

	// The same account's clients in one process share one spender.
	assert.Same(t, sp, f.Spender("acct1", ws))
	assert.Nil(t, f.Spender("acct1", nil), "no window: no budget")
}

// Every window is enforced, and all or nothing: a request refused by
// one window spends none of the others.
func TestBudgetEveryWindow(t *testing.T) {
	prefix := testPrefix(t)
	f := budgetFleet(t, redistest.URL(t), prefix, 0)
	wide := transport.Window{Limit: 100, Period: 100 * time.Second}  // burst 5
	tight := transport.Window{Limit: 40, Period: 1000 * time.Second} // burst 2
	sp := f.Spender("acct2", []transport.Window{wide, tight})
	n, err := admitNow(t, sp, 50)
	assert.Equal(t, 2, n, "the tight window's burst")
	rateLimited(t, err)

	key := prefix + "{acct2}:rate:100000"
	get := func() string {
		res, err := f.do(t.Context(), func(b rueidis.Builder) rueidis.Completed { return b.Get().Key(key).Build() })
		require.NoError(t, err)
		v, err := res.ToString()
		require.NoError(t, err)
		return v
	}
	tat := get()
	for range 5 {
		rateLimited(t, sp.Take(t.Context(), now0))
	}
	assert.Equal(t, tat, get(), "refused requests spend nothing of the wide window")

	// The other way round: the wide window binds.
	sp2 := f.Spender("acct3", []transport.Window{wide, {Limit: 4000, Period: 1000 * time.Second}})
	n, err = admitNow(t, sp2, 500)
	assert.Equal(t, 5, n, "the wide window's burst")
	rateLimited(t, err)
}

// A 429 with Retry-After seen by one process pauses every process that
// spends the account, and a shorter pause never cuts a longer one.
func TestBudgetPauseFleetWide(t *testing.T) {
	url, prefix := redistest.URL(t), testPrefix(t)
	f1, f2 := budgetFleet(t, url, prefix, 0), budgetFleet(t, url, prefix, 0)
	ws := []transport.Window{{Limit: 250, Period: time.Minute}, {Limit: 5000, Period: time.Hour}}
	s1, s2 := f1.Spender("acct4", ws), f2.Spender("acct4", ws)
	require.NoError(t, s2.Take(t.Context(), now0))

	before := time.Now()
	s1.Observe(429, 3*time.Second, 0, before.Add(time.Hour), true)
	s1.Observe(429, time.Second, 0, before.Add(time.Hour), true)
	te := rateLimited(t, s2.Take(t.Context(), now0))
	assert.True(t, te.RetryAt.After(before.Add(2*time.Second)), "the other process waits the 3 s pause: retry at %v", te.RetryAt)
	ttl := redisInt(t, f2, func(b rueidis.Builder) rueidis.Completed { return b.Pttl().Key(prefix + "{acct4}:pause").Build() })
	assert.Greater(t, ttl, int64(1500), "the 1 s pause did not shorten the 3 s one")

	assert.Equal(t, int64(1), f1.BudgetStats().Pauses, "set once, extended never")
	assert.Equal(t, int64(0), f1.BudgetStats().Corrections, "a burst 429's 0 remaining is not the quota")
	assert.Equal(t, int64(1), f2.BudgetStats().Refused)

	// A wait within the pause bound is held, not refused.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	require.NoError(t, s2.Take(ctx, 10*time.Second))
	assert.False(t, time.Now().Before(before.Add(3*time.Second)), "admitted after the pause")
	assert.Equal(t, int64(1), f2.BudgetStats().Waited)
}

// A quota below what the budget would still admit before the provider's
// reset moves the longest window on; one at or above it does not.
func TestBudgetCorrection(t *testing.T) {
	f := budgetFleet(t, redistest.URL(t), testPrefix(t), 0)
	ws := []transport.Window{{Limit: 100, Period: 100 * time.Second}}
	sp := f.Spender("acct5", ws)
	require.NoError(t, sp.Take(t.Context(), now0))

	now := time.Now()
	sp.Observe(200, 0, 90, now.Add(50*time.Second), true)
	assert.Equal(t, int64(0), f.BudgetStats().Corrections, "90 left: more than the budget admits in 50 s")
	time.Sleep(correctEvery)
	sp.Observe(200, 0, 3, now.Add(50*time.Second), true)
	assert.Equal(t, int64(1), f.BudgetStats().Corrections)
	// Three requests remain before the reset: the budget admits them no
	// sooner than the interval allows and the rest only near the reset.
	te := rateLimited(t, sp.Take(t.Context(), now0))
	assert.True(t, te.RetryAt.After(now.Add(40*time.Second)), "retry at %v", te.RetryAt)

	// Nonsense from the server does nothing.
	time.Sleep(correctEvery)
	sp.Observe(200, 0, -5, now.Add(time.Hour), true)
	sp.Observe(200, 0, 0, now.Add(-time.Hour), true)
	assert.Equal(t, int64(1), f.BudgetStats().Corrections)
}

// The local share, on a manual clock: while Redis cannot be reached, a
// process spends (limit - burst) / N of each window, the first request
// one interval after the fall-back.
func TestBudgetLocalShare(t *testing.T) {
	f, err := New(t.Context(), Options{URL: "unix:///nonexistent/redis.sock", Workers: 4, CallTimeout: 20 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(f.Close)
	ws := []transport.Window{{Limit: 400, Period: 10 * time.Second}}
	sp := f.Spender("acct6", ws).(*spender)
	var mu sync.Mutex
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sp.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }

	rateLimited(t, sp.Take(t.Context(), now0))
	w := sp.windows[0]
	per := (w.limit - w.burst) / 4
	require.Equal(t, 95, per)
	admitted, burst := 0, 0
	for range per {
		advance(sp.local[0].t)
		n := 0
		for sp.Take(t.Context(), now0) == nil {
			n++
		}
		admitted += n
		burst = max(burst, n)
	}
	assert.Equal(t, per, admitted, "one window's local share: (400-20)/4 a period")
	assert.Equal(t, 1, burst, "one at a time")
	st := f.BudgetStats()
	assert.Equal(t, int64(per), st.Fallbacks)
	assert.Equal(t, int64(0), st.Admitted)
}

// Redis killed: every Take still returns, admitted by the local share at
// its pace, with no error; Redis restarted: the budget is shared again
// and charged with what was admitted locally.
func TestBudgetFallbackAndRecovery(t *testing.T) {
	srv := redistest.Start(t)
	prefix := testPrefix(t)
	ws := []transport.Window{{Limit: 400, Period: 10 * time.Second}}
	// Four processes are counted spending the account.
	var fs []*Fleet
	for range 4 {
		f := budgetFleet(t, srv.URL, prefix, 0)
		require.NoError(t, f.Spender("acct7", ws).Take(t.Context(), now0))
		fs = append(fs, f)
	}
	f := fs[0]
	sp := f.Spender("acct7", ws)
	sp.(*spender).mu.Lock()
	sp.(*spender).lastBeat = time.Time{} // the next call beats again
	sp.(*spender).mu.Unlock()
	require.NoError(t, sp.Take(t.Context(), now0))
	require.Equal(t, 4, f.BudgetStats().Workers)

	srv.Kill()
	const local = 5
	for range local {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		require.NoError(t, sp.Take(ctx, 5*time.Second))
		require.NoError(t, ctx.Err(), "returned within the caller's deadline")
		cancel()
	}
	st := f.BudgetStats()
	assert.Equal(t, int64(local), st.Fallbacks)
	assert.Equal(t, int64(2), st.Admitted, "only the requests before the kill")
	// A caller whose deadline is shorter than the local pace is refused
	// at once, with the time its slot frees up.
	rateLimited(t, sp.Take(t.Context(), now0))

	require.NoError(t, srv.Restart())
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	for f.BudgetStats().Admitted < 3 {
		require.NoError(t, sp.Take(ctx, 5*time.Second), "nothing wedged while Redis comes back")
	}
	st = f.BudgetStats()
	assert.Equal(t, st.Fallbacks, st.Charged, "every local admission charged to the shared budget")
	// The restarted Redis holds the charge: the window's TAT is about
	// Charged+1 intervals ahead.
	w := sp.(*spender).windows[0]
	ttl := redisInt(t, f, func(b rueidis.Builder) rueidis.Completed { return b.Pttl().Key(prefix + "{acct7}:rate:10000").Build() })
	assert.Greater(t, ttl, (time.Duration(st.Charged-1) * w.t).Milliseconds(), "charged %d × %v", st.Charged, w.t)
}

// A Redis that stops answering (CLIENT PAUSE) holds no caller past its
// deadline: the call deadline and the breaker send it to the local share.
func TestBudgetRedisSlow(t *testing.T) {
	srv := redistest.Start(t)
	f := budgetFleet(t, srv.URL, testPrefix(t), 4)
	ws := []transport.Window{{Limit: 400, Period: 10 * time.Second}}
	sp := f.Spender("acct8", ws)
	require.NoError(t, sp.Take(t.Context(), now0))
	res, err := f.do(t.Context(), func(b rueidis.Builder) rueidis.Completed {
		return b.ClientPause().Timeout(3000).All().Build()
	})
	require.NoError(t, err)
	require.NoError(t, res.Error())

	for i := range 3 {
		ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
		err := sp.Take(ctx, time.Second)
		require.NoError(t, err, "take %d", i)
		require.NoError(t, ctx.Err(), "take %d returned within the caller's deadline", i)
		cancel()
	}
	st := f.BudgetStats()
	assert.Equal(t, int64(3), st.Fallbacks)
	assert.Equal(t, int64(1), st.Admitted)
	assert.False(t, f.Available(), "the breaker opened")
}

func TestCapacity(t *testing.T) {
	ws := []transport.Window{{Limit: 250, Period: 2 * time.Second}, {Limit: 5000, Period: 40 * time.Second}}
	assert.Equal(t, 1750, Capacity(ws, 14*time.Second))
	real := []transport.Window{{Limit: 250, Period: time.Minute}, {Limit: 5000, Period: time.Hour}}
	assert.Equal(t, 5000, Capacity(real, time.Hour), "the hourly window binds")
	assert.Equal(t, 250, Capacity(ws, time.Millisecond))
	assert.Equal(t, 0, Capacity(nil, time.Second))
}

// Keys that hold what the budget never wrote (a string that is no
// number, a key of another type) neither panic nor stall a Take: a
// nonsense TAT reads as an idle window, and a script error sends the
// request to the local share.
func TestBudgetBadValues(t *testing.T) {
	prefix := testPrefix(t)
	f := budgetFleet(t, redistest.URL(t), prefix, 1)
	ws := []transport.Window{{Limit: 100, Period: 100 * time.Second}}
	sp := f.Spender("acct9", ws)
	_, err := f.do(t.Context(), func(b rueidis.Builder) rueidis.Completed {
		return b.Set().Key(prefix + "{acct9}:rate:100000").Value("not a number").Build()
	})
	require.NoError(t, err)
	require.NoError(t, sp.Take(t.Context(), now0), "a nonsense TAT is an idle window")
	assert.Equal(t, int64(1), f.BudgetStats().Admitted)

	_, err = f.do(t.Context(), func(b rueidis.Builder) rueidis.Completed {
		return b.Hset().Key(prefix+"{acct9}:pause").FieldValue().FieldValue("a", "b").Build()
	})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	require.NoError(t, sp.Take(ctx, 5*time.Second), "admitted by the local share")
	require.NoError(t, ctx.Err())
	assert.Equal(t, int64(1), f.BudgetStats().Fallbacks)
}
