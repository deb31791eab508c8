package ovh

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

// listGroups is the round of a many-object waiter whose objects are
// listed by a parent (the instances of a project, the tasks of a server):
// it groups the pending objects by parent, in order of first appearance,
// sends one listing per group of more than one (concurrently, within the
// client's concurrency) and returns the objects to load by themselves
// (those alone in their group or under no parent, those a listing lacked,
// and every one when together is false) with the listings sent.
func listGroups[H any](ctx context.Context, conc int, pending []H, parent func(H) string, together bool,
	list func(ctx context.Context, parent string, hs []H) (missing []H, err error)) (single []H, sent int, err error) {
	groups := map[string][]H{}
	var order []string
	for _, h := range pending {
		p := parent(h)
		if groups[p] == nil {
			order = append(order, p)
		}
		groups[p] = append(groups[p], h)
	}
	var mu sync.Mutex
	var unlisted []H
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(conc)
	for _, p := range order {
		hs := groups[p]
		if len(hs) == 1 || p == "" || !together {
			single = append(single, hs...)
			continue
		}
		sent++
		g.Go(func() error {
			missing, err := list(gctx, p, hs)
			mu.Lock()
			unlisted = append(unlisted, missing...)
			mu.Unlock()
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, sent, err
	}
	return append(single, unlisted...), sent, nil
}
