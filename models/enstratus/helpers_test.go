package enstratus_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/transport"
	wire "github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stretchr/testify/require"
)

// sent is one request as it left the client.
type sent struct {
	method, path, query, details, signature string
	hasDetails                              bool
}

// recorder is the innermost transport of the test clients: it notes
// every request after signing, then sends it.
type recorder struct {
	mu   sync.Mutex
	reqs []sent
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	_, has := req.Header[http.CanonicalHeaderKey(wire.HeaderDetails)]
	r.mu.Lock()
	r.reqs = append(r.reqs, sent{
		method: req.Method, path: req.URL.Path, query: req.URL.RawQuery,
		details: req.Header.Get(wire.HeaderDetails), hasDetails: has,
		signature: req.Header.Get(wire.HeaderSignature),
	})
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) all() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.reqs...)
}

func (r *recorder) last() sent {
	all := r.all()
	if len(all) == 0 {
		return sent{}
	}
	return all[len(all)-1]
}

func (r *recorder) reset() {
	r.mu.Lock()
	r.reqs = nil
	r.mu.Unlock()
}

// newTestClient starts a simulator with cfg and returns a client of it
// that signs with the simulator's (manual) clock, with short retry and
// wait delays, and the recorder of what it sends.
func newTestClient(t *testing.T, cfg enstratustest.Config, opts ...stratus.Option) (*stratus.Client, *enstratustest.Server, *recorder) {
	t.Helper()
	srv := enstratustest.NewServer(cfg)
	t.Cleanup(srv.Close)
	rec := &recorder{}
	c, err := es.New(append([]stratus.Option{
		es.Keys(srv.AccessKey(), srv.SecretKey()),
		stratus.WithBaseURL(srv.URL()),
		stratus.WithClock(srv.Now),
		stratus.WithHTTPClient(&http.Client{Transport: rec}),
		stratus.WithRetry(transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}),
		stratus.WithWaitInterval(time.Millisecond, 5*time.Millisecond),
	}, opts...)...)
	require.NoError(t, err)
	return c, srv, rec
}
