package ovh_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/require"
)

// fastRetry keeps retries quick against the simulator.
var fastRetry = transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}

// newServer starts a simulator, closed when the test ends. A zero
// RateLimit is turned off (-1): most tests send more than the default 60
// requests a minute, and the rate limit is not what they test.
func newServer(t *testing.T, cfg ovhtest.Config) *ovhtest.Server {
	t.Helper()
	if cfg.RateLimit == 0 {
		cfg.RateLimit = -1
	}
	srv := ovhtest.NewServer(cfg)
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a client of srv signing with its seeded application
// and consumer key, with fast retries and waits; opts come last.
func newClient(t *testing.T, srv *ovhtest.Server, opts ...stratus.Option) *stratus.Client {
	t.Helper()
	return newClientWith(t, srv, srv.AppKey(), srv.AppSecret(), srv.ConsumerKey(), opts...)
}

// newClientWith is newClient with the given credentials.
func newClientWith(t *testing.T, srv *ovhtest.Server, ak, as, ck string, opts ...stratus.Option) *stratus.Client {
	t.Helper()
	base := []stratus.Option{
		ovh.Credentials(ak, as, ck),
		stratus.WithBaseURL(srv.URL()),
		stratus.WithRetry(fastRetry),
		stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond),
		// A cache of its own, as in a fresh process: tests count requests
		// and change the simulator between clients.
		stratus.WithCacheBudget(stratus.DefaultCacheBudget),
	}
	c, err := ovh.New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// newTestClient starts a simulator with cfg and returns a client for it.
func newTestClient(t *testing.T, cfg ovhtest.Config, opts ...stratus.Option) (*stratus.Client, *ovhtest.Server) {
	t.Helper()
	srv := newServer(t, cfg)
	return newClient(t, srv, opts...), srv
}

// secrets are the credentials that must never show in output.
func secrets(srv *ovhtest.Server) []string {
	return []string{srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()}
}

// lockedBuffer is a bytes.Buffer safe for the concurrent writes of a
// logger.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
