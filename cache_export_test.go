package stratus

import (
	"context"
	"fmt"
	"time"
)

// WithListing marks ctx as one listing's, for tests of the listing share.
func WithListing(ctx context.Context) context.Context { return withListing(ctx) }

// CheckInvariants walks a MemoryCache's ring and generation lists and
// reports the first disagreement with its counters and its store.
func (m *MemoryCache) CheckInvariants() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, bytes := 0, int64(0)
	items := m.store.Items() // the live ones only
	now := time.Now().UnixNano()
	if s := m.hand; s != nil {
		for {
			n++
			bytes += s.size
			if s.next.prev != s {
				return fmt.Errorf("ring links broken at %q", s.key)
			}
			if v, ok := items[s.key]; s.exp > now && (!ok || v.Object != any(s)) {
				return fmt.Errorf("ring slot %q is not the store's", s.key)
			}
			if s = s.next; s == m.hand {
				break
			}
			if n > m.entries+1 {
				return fmt.Errorf("ring longer than %d entries", m.entries)
			}
		}
	}
	if n != m.entries || bytes != m.bytes {
		return fmt.Errorf("ring holds %d entries, %d bytes; counters say %d, %d", n, bytes, m.entries, m.bytes)
	}
	if c := m.store.ItemCount(); c != n {
		return fmt.Errorf("store holds %d entries, ring %d", c, n)
	}
	listed := 0
	for _, g := range m.accounts {
		for s := g.head; s != nil; s = s.gnext {
			listed++
			if s.gen != g {
				return fmt.Errorf("slot %q listed under another generation", s.key)
			}
		}
	}
	if listed != n {
		return fmt.Errorf("generation lists hold %d entries, ring %d", listed, n)
	}
	if m.bytes > m.budget {
		return fmt.Errorf("%d bytes held over a budget of %d", m.bytes, m.budget)
	}
	return nil
}
