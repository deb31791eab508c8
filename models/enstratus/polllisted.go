package enstratus

import (
	"context"
	"iter"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
	"golang.org/x/sync/errgroup"
)

// listed is a handle a many-object waiter refreshes from a listing.
type listed interface {
	ID() int
	JSON() string
	Fill(obj gjson.Result, partial bool)
	Reload(ctx context.Context) error
}

// pollListed refreshes the pending handles from one listing (more than one
// pending; enStratus lists have no pages, so the listing is one request)
// and loads by itself each one the listing lacks. It returns the requests
// sent.
func pollListed[H listed](ctx context.Context, c *stratus.Client, pending []H, list func() iter.Seq2[H, error]) (int, error) {
	if len(pending) == 1 {
		return 1, pending[0].Reload(ctx)
	}
	byID := make(map[int][]H, len(pending))
	for _, h := range pending {
		byID[h.ID()] = append(byID[h.ID()], h)
	}
	for item, err := range list() {
		if err != nil {
			return 1, err
		}
		hs := byID[item.ID()]
		if hs == nil {
			continue
		}
		v := gjson.Parse(item.JSON())
		for _, h := range hs {
			h.Fill(v, false)
		}
		delete(byID, item.ID())
	}
	var rest []H
	for _, hs := range byID {
		rest = append(rest, hs...)
	}
	if len(rest) == 0 {
		return 1, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.Settings().Concurrency)
	for _, h := range rest {
		g.Go(func() error { return h.Reload(gctx) })
	}
	return 1 + len(rest), g.Wait()
}
