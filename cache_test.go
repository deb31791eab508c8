package stratus_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary stand in for a second process sharing a
// file-backed cache: with STRATUS_TEST_CACHE_DIR set it reads one object
// through that cache and prints its name.
func TestMain(m *testing.M) {
	if dir := os.Getenv("STRATUS_TEST_CACHE_DIR"); dir != "" {
		os.Exit(cacheChild(dir, os.Getenv("STRATUS_TEST_URL")))
	}
	os.Exit(m.Run())
}

func cacheChild(dir, base string) int {
	c, err := stratus.Open("fake", stratus.WithBaseURL(base), stratus.WithCredential("token", testSecret), stratus.WithCache(fileCache(dir)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	th := newThing(c, 1)
	if err := th.Load(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	fmt.Printf("name=%s\n", th.Name())
	return 0
}

// fileCache is a Cache in a directory, one file per entry and one per
// account generation: enough for processes that take turns.
type fileCache string

type fileEntry struct {
	Exp    time.Time
	Body   []byte
	Header http.Header
}

func (d fileCache) file(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(string(d), "e-"+hex.EncodeToString(sum[:]))
}

func (d fileCache) Get(_ context.Context, key string) (stratus.Entry, bool, error) {
	b, err := os.ReadFile(d.file(key))
	if errors.Is(err, os.ErrNotExist) {
		return stratus.Entry{}, false, nil
	}
	var fe fileEntry
	if err == nil {
		err = json.Unmarshal(b, &fe)
	}
	if err != nil || time.Now().After(fe.Exp) {
		return stratus.Entry{}, false, err
	}
	return stratus.Entry{Body: fe.Body, Header: fe.Header}, true, nil
}

func (d fileCache) Set(_ context.Context, key string, e stratus.Entry, ttl time.Duration) error {
	b, err := json.Marshal(fileEntry{Exp: time.Now().Add(ttl), Body: e.Body, Header: e.Header})
	if err != nil {
		return err
	}
	return os.WriteFile(d.file(key), b, 0o600)
}

func (d fileCache) genFile(account string) string { return filepath.Join(string(d), "g-"+account) }

func (d fileCache) Generation(_ context.Context, account string) (uint64, error) {
	b, err := os.ReadFile(d.genFile(account))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(string(b), 10, 64)
}

func (d fileCache) Invalidate(ctx context.Context, account string) error {
	g, err := d.Generation(ctx, account)
	if err != nil {
		return err
	}
	return os.WriteFile(d.genFile(account), []byte(strconv.FormatUint(g+1, 10)), 0o600)
}

func (d fileCache) Flush(context.Context) error { return nil }

// renamed returns a fake API whose things have other names: the same
// paths, other data.
func renamed(t *testing.T, items int, prefix string) *fakeAPI {
	f := newFakeAPI(t, items)
	for i := range f.names {
		f.names[i] = fmt.Sprintf("%s-%04d", prefix, i)
	}
	return f
}

func TestSharedCacheKeepsAccountsApart(t *testing.T) {
	a, b := renamed(t, 3, "alpha"), renamed(t, 3, "beta")
	shared := stratus.NewMemoryCache(time.Minute)
	ca := newFakeClient(t, a, stratus.WithCache(shared))
	cb := newFakeClient(t, b, stratus.WithCache(shared))
	require.NotEqual(t, ca.Account(), cb.Account())
	ctx := context.Background()

	assert.Equal(t, "alpha-0001", newThing(ca, 1).Name())
	assert.Equal(t, "beta-0001", newThing(cb, 1).Name(), "the other account's answer is never served")
	la, err := things(ca).Collect(ctx)
	require.NoError(t, err)
	lb, err := things(cb).Collect(ctx)
	require.NoError(t, err)
	assert.Equal(t, "alpha-0002", la[1].Name())
	assert.Equal(t, "beta-0002", lb[1].Name())
	assert.Equal(t, int64(2), a.requests.Load())
	assert.Equal(t, int64(2), b.requests.Load())

	// Another client of the same account shares the entries and the
	// generation: its write invalidates what the first one read.
	ca2 := newFakeClient(t, a, stratus.WithCache(shared))
	assert.Equal(t, ca.Account(), ca2.Account(), "the identity is stable, not a counter")
	assert.Equal(t, "alpha-0001", newThing(ca2, 1).Name())
	assert.Equal(t, int64(2), a.requests.Load(), "served from the shared cache")
	_, err = ca2.Do(ctx, "PUT", "/things/1", nil, []byte(`{}`))
	require.NoError(t, err)
	assert.Equal(t, "renamed", newThing(ca, 1).Name(), "a write by one client invalidates the shared generation")
	assert.Equal(t, int64(4), a.requests.Load())
	assert.Equal(t, "beta-0001", newThing(cb, 1).Name(), "other accounts keep their entries")
	assert.Equal(t, int64(2), b.requests.Load())
}

func TestAccountIdentity(t *testing.T) {
	f := newFakeAPI(t, 1)
	id := func(opts ...stratus.Option) string {
		c, err := stratus.Open("fake", append([]stratus.Option{stratus.WithBaseURL(f.srv.URL)}, opts...)...)
		require.NoError(t, err)
		return c.Account()
	}
	base := id(stratus.WithCredential("token", testSecret))
	assert.Equal(t, base, id(stratus.WithCredential("token", testSecret)))
	assert.NotEqual(t, base, id(stratus.WithCredential("token", testSecret+"x")))
	assert.NotEqual(t, base, id(stratus.WithCredential("token", testSecret), stratus.WithBaseURL(f.srv.URL+"/v9")))
	assert.NotContains(t, base, testSecret)
	assert.Len(t, base, 32)
}

// brokenCache fails every call, as a remote cache that is down.
type brokenCache struct{ calls int }

var errDown = errors.New("cache down: connection refused to cache.example:6379 (token " + testSecret + ")")

func (b *brokenCache) Get(context.Context, string) (stratus.Entry, bool, error) {
	b.calls++
	return stratus.Entry{}, false, errDown
}
func (b *brokenCache) Set(context.Context, string, stratus.Entry, time.Duration) error {
	b.calls++
	return errDown
}
func (b *brokenCache) Generation(context.Context, string) (uint64, error) {
	b.calls++
	return 0, errDown
}
func (b *brokenCache) Invalidate(context.Context, string) error { b.calls++; return errDown }
func (b *brokenCache) Flush(context.Context) error              { return errDown }

func TestCacheFailuresAreMissesAndLogged(t *testing.T) {
	f := newFakeAPI(t, 3)
	var log bytes.Buffer
	bc := &brokenCache{}
	c := newFakeClient(t, f, stratus.WithCache(bc), stratus.WithLogger(slogTo(&log)))
	ctx := context.Background()
	assert.Equal(t, "thing-0001", newThing(c, 1).Name())
	assert.Equal(t, "thing-0001", newThing(c, 1).Name())
	items, err := things(c).Collect(ctx)
	require.NoError(t, err)
	assert.Len(t, items, 3)
	_, err = c.Do(ctx, "PUT", "/things/2", nil, []byte(`{}`))
	require.NoError(t, err, "a cache failure is never the caller's error")
	assert.Equal(t, int64(4), f.requests.Load(), "every read went to the API")
	assert.Positive(t, bc.calls)
	assert.Contains(t, log.String(), "stratus cache failure")
	assert.Contains(t, log.String(), "op=generation")
	assert.Contains(t, log.String(), "op=invalidate")
	assert.NotContains(t, log.String(), testSecret)
}

// A write releases what was read before it: the cache holds the current
// generation's entries only, however many answers came before.
func TestMemoryCacheDropsDeadGenerations(t *testing.T) {
	m := stratus.NewMemoryCache(time.Minute)
	ctx := context.Background()
	const acct = "0123456789abcdef0123456789abcdef"
	body := []byte(`{"id":1}`)
	for w := 0; w < 3; w++ {
		gen, err := m.Generation(ctx, acct)
		require.NoError(t, err)
		for i := 0; i < 50_000/3; i++ {
			require.NoError(t, m.Set(ctx, stratus.CacheKey(acct, gen, "/things/"+strconv.Itoa(i), ""), stratus.Entry{Body: body}, time.Hour))
		}
		assert.Equal(t, 50_000/3, m.Len())
		require.NoError(t, m.Invalidate(ctx, acct))
		assert.Equal(t, 0, m.Len(), "write %d: the old generation is released whole", w+1)
		// A read that was in flight during the write stores nothing.
		require.NoError(t, m.Set(ctx, stratus.CacheKey(acct, gen, "/late", ""), stratus.Entry{Body: body}, time.Hour))
		assert.Equal(t, 0, m.Len())
	}
	_, ok, err := m.Get(ctx, stratus.CacheKey(acct, 0, "/things/1", ""))
	require.NoError(t, err)
	assert.False(t, ok)

	// Through a client: 300 answers and three writes leave only what was
	// read after the last write.
	f := newFakeAPI(t, 100)
	mc := stratus.NewMemoryCache(time.Minute)
	c := newFakeClient(t, f, stratus.WithCache(mc))
	for w := 0; w < 3; w++ {
		for i := 1; i <= 100; i++ {
			require.NoError(t, newThing(c, i).Load(ctx))
		}
		assert.Equal(t, 100, mc.Len())
		_, err := c.Do(ctx, "PUT", "/things/1", nil, []byte(`{}`))
		require.NoError(t, err)
		assert.Equal(t, 0, mc.Len())
	}
	require.NoError(t, newThing(c, 5).Load(ctx))
	assert.Equal(t, 1, mc.Len())
}

func TestMemoryCacheExpires(t *testing.T) {
	m := stratus.NewMemoryCache(time.Millisecond)
	ctx := context.Background()
	k := stratus.CacheKey("acct", 0, "/x", "")
	require.NoError(t, m.Set(ctx, k, stratus.Entry{Body: []byte("{}")}, time.Nanosecond))
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); {
		if _, ok, _ := m.Get(ctx, k); !ok {
			break
		}
	}
	_, ok, err := m.Get(ctx, k)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, 0, m.Len(), "an expired entry is dropped when met")
	acct, gen, ok := stratus.SplitCacheKey(stratus.CacheKey("ab:cd", 7, "/p q", "a=1"))
	assert.True(t, ok)
	assert.Equal(t, "ab:cd", acct)
	assert.EqualValues(t, 7, gen)
	_, _, ok = stratus.SplitCacheKey("no key")
	assert.False(t, ok)
}

// Two processes sharing a file-backed cache: each sees its own account's
// answers, the same account's entries are shared, and a write in one
// process invalidates the other's.
func TestTwoProcessesShareAFileCache(t *testing.T) {
	a, b := renamed(t, 2, "alpha"), renamed(t, 2, "beta")
	dir := t.TempDir()
	fc := fileCache(dir)
	child := func(base string) string {
		t.Helper()
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "STRATUS_TEST_CACHE_DIR="+dir, "STRATUS_TEST_URL="+base)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		require.NoError(t, err, stderr.String())
		return strings.TrimSpace(string(out))
	}
	ca := newFakeClient(t, a, stratus.WithCache(fc))
	assert.Equal(t, "alpha-0001", newThing(ca, 1).Name())
	assert.Equal(t, int64(1), a.requests.Load())

	assert.Equal(t, "name=beta-0001", child(b.srv.URL), "the other account's entry is never served")
	assert.Equal(t, int64(1), b.requests.Load())
	assert.Equal(t, "name=beta-0001", child(b.srv.URL))
	assert.Equal(t, int64(1), b.requests.Load(), "a second process of the same account reads the first one's entry")

	assert.Equal(t, "name=alpha-0001", child(a.srv.URL))
	assert.Equal(t, int64(1), a.requests.Load(), "the parent's entry serves the child")

	cb := newFakeClient(t, b, stratus.WithCache(fc))
	_, err := cb.Do(context.Background(), "PUT", "/things/1", nil, []byte(`{}`))
	require.NoError(t, err)
	assert.Equal(t, "name=renamed", child(b.srv.URL), "a write in one process invalidates the other's view")
	assert.Equal(t, int64(3), b.requests.Load())
	assert.Equal(t, "name=alpha-0001", child(a.srv.URL), "other accounts keep their entries")
	assert.Equal(t, int64(1), a.requests.Load())
}
