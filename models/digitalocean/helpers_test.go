package digitalocean_test

import (
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/require"
)

// newTestClient starts a simulator with cfg and returns a client pointed
// at it, with short retry and wait delays. The simulator is closed when
// the test ends.
func newTestClient(t *testing.T, cfg digitaloceantest.Config) (*stratus.Client, *digitaloceantest.Server) {
	t.Helper()
	srv := digitaloceantest.NewServer(cfg)
	t.Cleanup(srv.Close)
	c, err := do.New(
		do.Token(srv.Token()),
		stratus.WithBaseURL(srv.URL()),
		stratus.WithRetry(transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}),
		stratus.WithWaitInterval(time.Millisecond, 5*time.Millisecond),
	)
	require.NoError(t, err)
	return c, srv
}
