package transport

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// minLoggedPause is the shortest hold logged: shorter ones are the cost
// of taking a place, not pacing.
const minLoggedPause = 10 * time.Millisecond

// logPause records, at debug level, that the rate limiter held a request
// before an attempt (a full window, a pause after a 429), so that pacing is
// visible: "stratus pause" with the provider, method, URL (redacted),
// attempt and how long it waited.
func (c *Client) logPause(ctx context.Context, r *http.Request, attempt int, waited time.Duration) {
	l := c.cfg.Logger
	if waited < minLoggedPause || l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	l.LogAttrs(ctx, slog.LevelDebug, "stratus pause",
		slog.String("provider", c.cfg.Provider),
		slog.String("method", r.Method),
		slog.String("url", c.redactURL(r.URL)),
		slog.Int("attempt", attempt),
		slog.Duration("wait", waited),
	)
}
