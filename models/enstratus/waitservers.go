package enstratus

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
	"golang.org/x/sync/errgroup"
)

// WaitServers waits until every server has the status (RUNNING, PAUSED,
// STOPPED, TERMINATED), as WaitStatus does for one, with one request a
// round for many: the server list in extended detail (whole servers, one
// answer: enStratus lists do not page). A server the list lacks, and a
// single server, is loaded by itself. A server that is TERMINATED while
// another status is awaited fails the wait at once (errors.Is
// stratus.ErrFailed). It returns the servers that had not got there: none
// on success; the rest with ctx.Err() when ctx ends, or with a
// *stratus.WaitTimeoutError listing them when the wait time runs out.
func WaitServers(ctx context.Context, servers []*ServerHandle, status string, opts ...stratus.WaitOptions) ([]*ServerHandle, error) {
	if len(servers) == 0 {
		return nil, nil
	}
	c := servers[0].Client()
	if status == "" {
		return servers, stratus.Invalid(c, "wait servers", "status is required")
	}
	var o stratus.WaitOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	return stratus.PollMany(ctx, c, o, servers, stratus.Many[*ServerHandle]{
		Poll: func(ctx context.Context, pending []*ServerHandle) (int, error) {
			sent, err := pollServers(ctx, c, pending)
			if err != nil {
				return sent, err
			}
			var ended []string
			for _, s := range pending {
				if s.Peek("status").String() == ServerTerminated && status != ServerTerminated {
					ended = append(ended, strconv.Itoa(s.ID()))
				}
			}
			if len(ended) > 0 {
				return sent, fmt.Errorf("enstratus: server(s) %s TERMINATED, never %s: %w", strings.Join(ended, ", "), status, stratus.ErrFailed)
			}
			return sent, nil
		},
		Ended: func(s *ServerHandle) bool { return s.Peek("status").String() == status },
		State: func(s *ServerHandle) string { return s.Peek("status").String() },
	})
}

// pollServers refreshes the pending servers from one listing in extended
// detail (more than one pending) and loads by itself each one it lacks.
// It returns the requests sent.
func pollServers(ctx context.Context, c *stratus.Client, pending []*ServerHandle) (int, error) {
	if len(pending) == 1 {
		return 1, pending[0].Reload(ctx)
	}
	byID := make(map[int][]*ServerHandle, len(pending))
	for _, s := range pending {
		byID[s.ID()] = append(byID[s.ID()], s)
	}
	for item, err := range Servers(c).Extended().Fresh().All(ctx) {
		if err != nil {
			return 1, err
		}
		ss := byID[item.ID()]
		if ss == nil {
			continue
		}
		v := gjson.Parse(item.JSON())
		for _, s := range ss {
			s.Fill(v, false)
		}
		delete(byID, item.ID())
	}
	var rest []*ServerHandle
	for _, ss := range byID {
		rest = append(rest, ss...)
	}
	if len(rest) == 0 {
		return 1, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.Settings().Concurrency)
	for _, s := range rest {
		g.Go(func() error { return s.Reload(gctx) })
	}
	return 1 + len(rest), g.Wait()
}
