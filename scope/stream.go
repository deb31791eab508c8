package scope

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/stratus-cloud/stratus"
)

// A listing across clients runs one producer per source (a client's native
// kind standing for the neutral one), all at once. Each producer hands the
// loop one batch at a time through a channel of its own with room for one
// batch, and says so on a shared channel of arrivals; the loop takes the
// batches in the order they arrived. A producer therefore holds at most
// one batch waiting for the loop and one being read, on top of the pages
// its collection fetches ahead (bounded by the client's concurrency); a
// loop that stops reading stops them all, and one that breaks cancels them
// and returns only once every producer has returned.

// batch is what a producer hands the loop: items of one page, in the
// source's order, or the error that ends the source, or its end.
type batch struct {
	items []Item
	err   error
	end   bool
}

// List yields every object of a neutral kind across clients (one per
// provider or account), streaming: every client's listing starts at once,
// and items are yielded as their pages arrive.
//
// Order: items come in batches of one source, a page (or, for an id list,
// each chunk of it once loaded), each batch yielded whole, in the order
// the batches arrived, whichever provider they come from; the items of
// one source keep that source's own order (its pages in order, each page
// in the provider's order). A client with several sources (OVH's dedicated
// servers and cloud instances) lists them concurrently too, each in its
// own order. Between providers the order is not fixed: list one client at
// a time for a fixed order. Id lists (OVH without the bulk mode) are
// loaded before they are yielded, a client's concurrency of items at a
// time, so that reading their fields sends nothing more.
//
// Errors: a client whose provider lacks the kind, or whose listing fails,
// yields one error (naming its provider) after the items it gave, and the
// others go on. If ctx ends, one error (ctx.Err()) is yielded, last.
//
// Memory and stopping: each source holds at most one batch waiting for the
// loop and one being read, plus the pages its collection fetches ahead; a
// slow loop slows every listing down instead of filling memory. Breaking
// out of the loop cancels every listing, and List returns only once they
// have all returned.
//
// The page size is each collection's own: the client's WithPageSize, by
// default the largest the provider allows (200 droplets a page on
// DigitalOcean: 1,000 droplets in 5 requests).
func List(ctx context.Context, kind string, clients ...*stratus.Client) iter.Seq2[Item, error] {
	return ListUnder(ctx, kind, "", clients...)
}

// ListUnder is List for nested kinds: the objects under parent (the DNS
// records of a zone).
func ListUnder(ctx context.Context, kind, parent string, clients ...*stratus.Client) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		type source struct {
			c   *stratus.Client
			src *Source
			err error // the client's provider lacks the kind
		}
		var sources []source
		for _, c := range clients {
			srcs, err := Sources(c, kind)
			if err != nil {
				sources = append(sources, source{c: c, err: err})
				continue
			}
			for i := range srcs {
				sources = append(sources, source{c: c, src: &srcs[i]})
			}
		}
		if len(sources) == 0 {
			return
		}
		ctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		defer wg.Wait() // runs last: every producer has returned
		defer cancel()
		feeds := make([]chan batch, len(sources))
		// Each source has at most one batch announced and not yet taken,
		// so arrivals never fills up.
		arrivals := make(chan int, len(sources))
		for i, s := range sources {
			feeds[i] = make(chan batch, 1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				send := func(b batch) bool {
					select {
					case feeds[i] <- b:
					case <-ctx.Done():
						return false
					}
					arrivals <- i
					return true
				}
				if s.err != nil {
					send(batch{err: s.err})
					return
				}
				defer func() {
					// A lister that panics (a Source's own List or Pages)
					// ends its source with an error, not the program from
					// a goroutine the caller cannot recover in.
					if p := recover(); p != nil {
						send(batch{err: &stratus.Error{Provider: s.c.Provider().Name, Op: "scope " + kind, Message: "listing failed", Err: fmt.Errorf("panic: %v", p)}})
					}
				}()
				for items, err := range pages(ctx, s.c, s.src, parent) {
					if err != nil {
						send(batch{err: err})
						return
					}
					if !send(batch{items: items}) {
						return
					}
				}
				send(batch{end: true})
			}()
		}
		for live := len(sources); live > 0; {
			var i int
			select {
			case i = <-arrivals:
			case <-ctx.Done():
				yield(Item{}, ctx.Err())
				return
			}
			b := <-feeds[i]
			for _, it := range b.items {
				if !yield(it, nil) {
					return
				}
			}
			switch {
			case b.err != nil:
				live--
				if ctx.Err() != nil {
					// The listing failed because ctx ended: say that once.
					yield(Item{}, ctx.Err())
					return
				}
				if !yield(Item{}, b.err) {
					return
				}
			case b.end:
				live--
			}
		}
	}
}

// pages yields the items of one source of one client, page by page. Items
// that a page gives as ids only are loaded first, concurrently, in batches
// of the client's concurrency: each batch is yielded once loaded, so that
// the loop reads the first items while the next ones load.
func pages(ctx context.Context, c *stratus.Client, src *Source, parent string) iter.Seq2[[]Item, error] {
	return func(yield func([]Item, error) bool) {
		k, err := nativeKind(c, src)
		if err != nil {
			yield(nil, err)
			return
		}
		chunk := max(c.Settings().Concurrency, 1)
		for objs, err := range nativePages(ctx, c, k, src, parent) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !slices.ContainsFunc(objs, unloaded) {
				if !yield(wrap(objs, src), nil) {
					return
				}
				continue
			}
			for part := range slices.Chunk(objs, chunk) {
				var ids []stratus.Object
				for _, o := range part {
					if unloaded(o) {
						ids = append(ids, o)
					}
				}
				if err := stratus.LoadAll(ctx, ids...); err != nil {
					// The items go first, each with its error, then the
					// error that ends the source.
					if yield(wrap(part, src), nil) {
						yield(nil, err)
					}
					return
				}
				if !yield(wrap(part, src), nil) {
					return
				}
			}
		}
	}
}

func unloaded(o stratus.Object) bool { return !o.Handle().Loaded() }

func wrap(objs []stratus.Object, src *Source) []Item {
	items := make([]Item, len(objs))
	for i, o := range objs {
		items[i] = Item{native: o, src: src}
	}
	return items
}

// nativePages lists one source page by page.
func nativePages(ctx context.Context, c *stratus.Client, k *stratus.Kind, src *Source, parent string) iter.Seq2[[]stratus.Object, error] {
	switch {
	case src.List != nil:
		return func(yield func([]stratus.Object, error) bool) {
			for o, err := range src.List(ctx, c, k) {
				if err != nil {
					yield(nil, err)
					return
				}
				if !yield([]stratus.Object{o}, nil) {
					return
				}
			}
		}
	case src.Pages != nil:
		return src.Pages(ctx, c, k)
	case src.Single:
		return func(yield func([]stratus.Object, error) bool) {
			o := k.New(stratus.NewResource(c, k, ""))
			if err := o.Handle().Load(ctx); err != nil {
				yield(nil, err)
				return
			}
			yield([]stratus.Object{o}, nil)
		}
	case k.Under != nil:
		if parent == "" {
			return func(yield func([]stratus.Object, error) bool) {
				yield(nil, &stratus.Error{Provider: c.Provider().Name, Op: "scope " + src.Kind, Message: "listing needs the parent (a zone)", Kind: stratus.ErrInvalid})
			}
		}
		return pagesOf(ctx, stratus.NewCollectionUnder(c, k, parent, k.New))
	}
	return pagesOf(ctx, stratus.NewCollection(c, k, k.New))
}

// pagesOf yields the items of a collection page by page, as the
// collection fetches them (ahead of the loop, when the provider's pages
// can be addressed).
func pagesOf(ctx context.Context, col stratus.Collection[stratus.Object]) iter.Seq2[[]stratus.Object, error] {
	return func(yield func([]stratus.Object, error) bool) {
		for p, err := range col.Pages(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			if len(p.Items) > 0 && !yield(p.Items, nil) {
				return
			}
		}
	}
}
