package enstratus

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus"
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
	return pollListed(ctx, c, pending, func() iter.Seq2[*ServerHandle, error] { return Servers(c).Extended().Fresh().All(ctx) })
}
