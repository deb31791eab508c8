package main

import (
	"context"
	"fmt"

	"github.com/stratus-cloud/stratus"
)

// cmdCache shows what the client's cache holds and has done; "cache
// flush" empties it.
func (s *session) cmdCache(ctx context.Context, args []string, _ string) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	if len(args) > 1 || (len(args) == 1 && args[0] != "flush") {
		return usageError("cache")
	}
	cache := c.Cache()
	if cache == nil {
		fmt.Fprintln(s.out, "cache: off (every read goes to the API)")
		return nil
	}
	if len(args) == 1 {
		if err := cache.Flush(ctx); err != nil {
			return fmt.Errorf("cache flush: %v", s.redact(err.Error()))
		}
		fmt.Fprintln(s.out, "cache: flushed")
		return nil
	}
	m, ok := cache.(*stratus.MemoryCache)
	if !ok {
		fmt.Fprintf(s.out, "cache: %T (no statistics)\n", cache)
		return nil
	}
	which := "its own"
	if m == stratus.DefaultCache() {
		which = "the process's shared cache"
	}
	st := m.Stats()
	ratio := "-"
	if n := st.Hits + st.Misses; n > 0 {
		ratio = fmt.Sprintf("%.1f%%", 100*float64(st.Hits)/float64(n))
	}
	fmt.Fprintf(s.out, "cache: %s, %d entries, %s of %s\n", which, st.Entries, mebibytes(st.Bytes), mebibytes(st.Budget))
	fmt.Fprintf(s.out, "  hits %d, misses %d (hit ratio %s), stored %d, evictions %d, expired %d\n", st.Hits, st.Misses, ratio, st.Stored, st.Evictions, st.Expired)
	fmt.Fprintf(s.out, "  not kept: %d over 1/%d of the budget, %d past a listing's 1/%d, %d of an older generation\n",
		st.Rejected, stratus.EntryShare, st.ListingSkipped, stratus.ListingShare, st.Stale)
	return nil
}

func mebibytes(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
