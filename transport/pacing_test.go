package transport_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/transport"
)

// A request held by the rate limiter (here after a 429 with Retry-After)
// is logged as a pause, so that slow calls are explained.
func TestPausesAreLogged(t *testing.T) {
	srv, _ := script(t, with429(map[string]string{"Retry-After": "1"}), status(200, `{}`))
	var logs bytes.Buffer
	c := newClient(t, srv.URL, func(cfg *transport.Config) {
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	resp, err := c.Do(context.Background(), &transport.Request{Method: "GET", Path: "/a"})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	got := logs.String()
	assert.Equal(t, 1, strings.Count(got, `msg="stratus pause"`), got)
	assert.Regexp(t, `msg="stratus pause" provider=\S+ method=GET url=\S+/a attempt=2 wait=\d`, got)
	assert.NotContains(t, got, secret)
}
