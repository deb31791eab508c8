package stratus

import (
	"context"
	"sync"
)

// loadGroup loads the items of an id-list page ahead of the loop that
// reads them. Id lists (OVH) give ids only; reading a field of each item
// in turn would cost one round trip after another. Once the loop reads a
// field of one item, the group keeps up to the client's concurrency of the
// following items (less the one it waits on) loading in the background, so that the loop finds them
// loaded, in order, each through the cache and its request sharing.
type loadGroup struct {
	items  []*Resource
	window int
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	active bool // a field of some item has been read
	next   int  // index of the first item not yet started
}

func newLoadGroup(c *Client, ctx context.Context, items []*Resource) *loadGroup {
	// The item the loop waits on is one of the requests in flight.
	g := &loadGroup{items: items, window: c.settings.Concurrency - 1}
	g.ctx, g.cancel = context.WithCancel(context.WithoutCancel(ctx))
	for i, r := range items {
		r.grp, r.idx = g, i
	}
	return g
}

// touched is called when a field of item i is read while it is not
// loaded: from then on the group loads ahead.
func (g *loadGroup) touched(i int) {
	g.mu.Lock()
	g.active = true
	g.mu.Unlock()
	g.ahead(i)
}

// ahead starts the loads of items i+1 .. i+window that have not started:
// with item i itself, at most the client's concurrency in flight.
// It does nothing until a field has been read: a loop that only wants the
// ids sends no request.
func (g *loadGroup) ahead(i int) {
	g.mu.Lock()
	if !g.active || g.ctx.Err() != nil {
		g.mu.Unlock()
		return
	}
	from := max(g.next, i+1)
	to := min(i+g.window, len(g.items)-1)
	if to >= from {
		g.next = to + 1
	}
	g.mu.Unlock()
	for j := from; j <= to; j++ {
		r := g.items[j]
		if st := r.st.Load(); st != nil && !st.partial {
			continue
		}
		go func() {
			ctx, cancel := r.c.withTimeout(g.ctx)
			defer cancel()
			if err := r.fetch(ctx, false); err != nil && g.ctx.Err() != nil {
				r.SetError(nil) // abandoned by the loop, not failed
			}
		}()
	}
}

// stop abandons the loads not yet finished (the loop broke off).
func (g *loadGroup) stop() { g.cancel() }
