package stratus

import (
	"context"
	"net/url"
	"sync"

	"github.com/stratus-cloud/stratus/transport"
)

// AheadBytes bounds the bodies a listing holds ahead of its loop: pages
// whose answers have been read but not yet yielded, counted at the size
// of the first page. Requests still go out up to the concurrency, so that
// a page's round trip overlaps the reading of the ones before it; an
// answer beyond the bound waits in its connection, unread, until the
// loop has yielded the pages before it (transport.WithBodyWait). With
// DigitalOcean's 200-droplet pages of about 360 KB it comes to 5 pages.
const AheadBytes = 2 << 20

// bodiesAhead is how many pages past the one the loop waits for may have
// their answers read: AheadBytes of pages of the first page's size, at
// least 2 and at most the concurrency.
func bodiesAhead(window, pageBytes int) int {
	k := window
	if pageBytes > 0 {
		k = min(k, AheadBytes/pageBytes)
	}
	return max(k, 2)
}

// pagesAhead fetches pages 2..last of a collection whose first page gave
// the total, up to the client's concurrency at once, and yields them in
// order. The first error stops the rest; a loop that breaks cancels what
// is in flight; at most the concurrency is in flight, at most twice it
// requested but not yet yielded, and at most bodiesAhead read but not
// yet yielded. It returns the last page number yielded, the query that
// page named next (nil at the end: a collection that grew meanwhile goes
// on one page at a time), the items seen, and whether to stop.
func (col Collection[T]) pagesAhead(ctx context.Context, pa transport.PageAddresser, first *Page[T], yield func(*Page[T], error) bool, visited pageSet) (int, url.Values, int, bool) {
	per := first.count
	want := first.Total
	if col.limit > 0 && col.limit < want {
		want = col.limit
	}
	window := col.c.settings.Concurrency
	// plausibleTotal (in fetchPage) has already made a total beyond
	// MaxPages pages unknown (-1), so that the page count below neither
	// overflows nor names millions of pages.
	if per <= 0 || want <= per || window < 2 || want/per >= MaxPages {
		return 1, first.next, len(first.Items), false
	}
	last := (want + per - 1) / per
	col.c.expectPages(ctx, last) // a listing bigger than its share of the cache keeps no page
	window = min(window, last-1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		p   *Page[T]
		err error
	}
	// A page is requested as soon as a request slot frees, not when the
	// loop reaches it, so that reading one page overlaps the next round
	// trip; pages requested but not yet yielded are bounded too, and the
	// answers read but not yet yielded by bytes (the gate). Each page's
	// slot is made when it is requested: memory follows the window, not
	// the total the server announced.
	inFlight := make(chan struct{}, window)
	held := make(chan struct{}, 2*window)
	pending := make(chan chan result, 2*window)
	gate := newPageGate(bodiesAhead(window, len(first.Body.Raw)))
	go func() {
		for n := 2; n <= last; n++ {
			select {
			case held <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case inFlight <- struct{}{}:
			case <-ctx.Done():
				return
			}
			slot := make(chan result, 1)
			pending <- slot // never blocks: held bounds what is queued
			go func() {
				p, _, err := col.fetchPage(transport.WithBodyWait(ctx, gate.waitFor(n)), pa.Page(col.q, n, col.pageSize()), n, (n-1)*per)
				<-inFlight
				slot <- result{p, err}
			}()
		}
	}()
	seen := len(first.Items)
	var next url.Values
	for n := 2; n <= last; n++ {
		var r result
		abandoned := func() {
			r.err = &Error{Provider: col.c.provider.Name, Op: "GET " + col.path, Message: "listing abandoned", Err: ctx.Err()}
		}
		select {
		case slot := <-pending:
			select {
			case r = <-slot:
				<-held
			case <-ctx.Done():
				abandoned()
			}
		case <-ctx.Done():
			abandoned()
		}
		if r.err == nil {
			visited.add(pa.Page(col.q, n, col.pageSize()))
		}
		if r.err != nil {
			yield(nil, r.err)
			return n, nil, seen, true
		}
		seen += len(r.p.Items)
		if !yield(r.p, nil) {
			return n, nil, seen, true
		}
		gate.yielded(n)
		if col.limit > 0 && seen >= col.limit {
			return n, nil, seen, true
		}
		next = r.p.next
	}
	return last, next, seen, false
}

// pageGate admits the answers of pages ahead in page order: page n's
// body is read once the loop has yielded page n-k. The page the loop
// waits for is always admitted, so a wait never blocks the listing; a
// page whose answer arrives early waits in its connection instead of in
// memory.
type pageGate struct {
	k    int
	mu   sync.Mutex
	done int           // the last page yielded
	move chan struct{} // closed when done moves
}

func newPageGate(k int) *pageGate {
	return &pageGate{k: k, done: 1, move: make(chan struct{})}
}

// waitFor is the body wait of page n's request.
func (g *pageGate) waitFor(n int) func(context.Context) error {
	return func(ctx context.Context) error {
		for {
			g.mu.Lock()
			ok, move := n <= g.done+g.k, g.move
			g.mu.Unlock()
			if ok {
				return nil
			}
			select {
			case <-move:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

// yielded records that the loop is done with page n.
func (g *pageGate) yielded(n int) {
	g.mu.Lock()
	g.done = n
	close(g.move)
	g.move = make(chan struct{})
	g.mu.Unlock()
}

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
			// No client timeout of its own: the load is one request, which
			// the transport's timeout bounds (a deadline here would cost a
			// timer and two contexts per item, and give the same bound).
			if err := r.fetch(g.ctx, false); err != nil && g.ctx.Err() != nil {
				r.SetError(nil) // abandoned by the loop, not failed
			}
		}()
	}
}

// stop abandons the loads not yet finished (the loop broke off).
func (g *loadGroup) stop() { g.cancel() }
