package stratus_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

// A list page that is not JSON, is cut short or nests too deep gives the
// same typed error as any other answer and is not cached; one that is JSON
// but lacks the list is refused too (and cached, as any JSON answer is).
func TestPageAnswersThatCannotBeRead(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 129) + "1" + strings.Repeat("}", 129)
	cases := []struct{ name, body, msg string }{
		{"truncated", `{"things":[{"id":1,"name":"a"},{"id":2`, "answer is not valid JSON: "},
		{"garbage after", `{"things":[]} x`, "answer is not valid JSON: "},
		{"bad escape", `{"things":[{"id":1,"name":"\q"}]}`, "answer is not valid JSON: "},
		{"html", `<html><title>Bad gateway</title></html>`, "answer is not valid JSON: "},
		{"too deep", `{"things":[` + deep + `]}`, "answer nests deeper than 128 levels"},
		{"too deep and cut", `{"things":[1,` + deep[:5*129], "answer nests deeper than 128 levels"},
		{"no list", `{"others":[]}`, `answer lacks the "things" list`},
		{"list not an array", `{"things":{"id":1}}`, `answer lacks the "things" list`},
		{"an array", `[{"id":1}]`, `answer lacks the "things" list`},
		{"empty", ``, `answer lacks the "things" list`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, 3)
			f.body = func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path != "/things" {
					return false
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, tc.body)
				return true
			}
			c := newFakeClient(t, f)
			for range 2 {
				items, err := things(c).Collect(context.Background())
				require.Error(t, err)
				assert.Empty(t, items)
				assert.ErrorIs(t, err, stratus.ErrMalformed)
				var e *stratus.Error
				require.ErrorAs(t, err, &e)
				assert.Contains(t, e.Message, tc.msg)
				assert.Equal(t, "GET /things", e.Op)
			}
			want := int64(2)
			if strings.HasPrefix(tc.msg, "answer lacks") {
				want = 1
			}
			assert.Equal(t, want, f.requests.Load(), "only JSON answers are cached")
		})
	}
}

// A page served from the cache is split as one that arrives is.
func TestCachedPageGivesTheSameItems(t *testing.T) {
	f := newFakeAPI(t, 45)
	c := newFakeClient(t, f)
	first, err := things(c).PageSize(20).Collect(context.Background())
	require.NoError(t, err)
	sent := f.requests.Load()
	again, err := things(c).PageSize(20).Collect(context.Background())
	require.NoError(t, err)
	assert.Equal(t, sent, f.requests.Load(), "the second listing comes from the cache")
	require.Len(t, first, 45)
	require.Len(t, again, 45)
	for i := range first {
		assert.Equal(t, first[i].ID(), again[i].ID())
		assert.Equal(t, first[i].Name(), again[i].Name())
	}
}

// DecodePage gives what the earlier decoding gave: the same items, bytes
// for bytes, the same total, next page and meta.
func TestDecodePageAsBefore(t *testing.T) {
	body, h := dropletPage(t, 450)
	c, _ := replayClient(t, body, h)
	col := do.Droplets(c).PageSize(200).Collection
	k := col.Kind()
	q := k.Pager.First(nil, 200)
	var meta atomic.Pointer[gjson.Result]
	want, next, total, ok := oldDecodePage(c, k, body, h, q, &meta)
	require.True(t, ok)

	p, err := col.DecodePage(context.Background(), body, h)
	require.NoError(t, err)
	require.Len(t, p.Items, len(want))
	assert.Len(t, p.Items, 200)
	for i, d := range p.Items {
		assert.Equal(t, want[i].JSON(), d.JSON(), "item %d", i)
		assert.False(t, d.Partial())
	}
	assert.Equal(t, total, p.Total)
	assert.Equal(t, 450, p.Total)
	assert.Equal(t, next, stratus.PageNext(p))
	assert.Equal(t, "2", stratus.PageNext(p).Get("page"))
	assert.Equal(t, meta.Load().Raw, c.LastMeta().Raw)
	assert.Equal(t, int64(450), c.LastMeta().Get("total").Int())

	_, err = col.DecodePage(context.Background(), body[:len(body)-1], h)
	assert.ErrorIs(t, err, stratus.ErrMalformed)

	limited, err := col.Limit(7).DecodePage(context.Background(), body, h)
	require.NoError(t, err)
	assert.Len(t, limited.Items, 7)
}

// Decoding a page allocates nothing per item beyond the handles: the
// items are slices of the page's bytes. The count is compared across
// two page sizes, so what grows with the page is what is checked; the
// page's own allocations may drift by a few (the race detector empties
// sync.Pool at random), which a fixed bound on one size mistook for a
// regression.
func TestDecodePageAllocations(t *testing.T) {
	count := func(n int) float64 {
		body, h := dropletPage(t, n)
		c, _ := replayClient(t, body, h)
		col := do.Droplets(c).PageSize(200).Collection
		ctx := context.Background()
		best := -1.0
		for range 3 {
			a := testing.AllocsPerRun(20, func() {
				if _, err := col.DecodePage(ctx, body, h); err != nil {
					t.Fatal(err)
				}
			})
			if best < 0 || a < best {
				best = a
			}
		}
		return best
	}
	small, large := count(50), count(200)
	t.Logf("%v allocations for a 50-droplet page, %v for a 200-droplet page", small, large)
	// Two per item (the handle and its model), nothing else per item.
	perItem := (large - small) / 150
	assert.LessOrEqual(t, perItem, 2.05, "allocations per item")
	// And the page itself costs a few dozen at most.
	assert.LessOrEqual(t, large-2*200, 40.0, "allocations per page")
}
