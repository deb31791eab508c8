package rightscale_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/rightscale"
	"github.com/stratus-cloud/stratus/transport"
	wire "github.com/stratus-cloud/stratus/transport/rightscale"
	"github.com/stratus-cloud/stratus/transport/rightscale/rightscaletest"
)

// clock is a test clock shared by the client and the simulator.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClient(t *testing.T, srv *rightscaletest.Server, opts ...stratus.Option) *stratus.Client {
	t.Helper()
	base := []stratus.Option{stratus.WithBaseURL(srv.URL()), rightscale.RefreshToken(srv.RefreshToken()),
		stratus.WithoutCache(), stratus.WithRetry(transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})}
	c, err := rightscale.New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func TestRefreshAtHalfLifeOr60sBefore(t *testing.T) {
	for _, tc := range []struct {
		expiresIn int
		refresh   time.Duration // when the next call refreshes
	}{
		{3600, 1800 * time.Second}, // half the lifetime comes first
		{100, 40 * time.Second},    // 60 s before expiry comes first
		{30, 15 * time.Second},     // shorter than a minute: half
	} {
		t.Run(fmt.Sprint(tc.expiresIn), func(t *testing.T) {
			srv := rightscaletest.NewServer(rightscaletest.Config{ExpiresIn: tc.expiresIn})
			defer srv.Close()
			clk := &clock{t: srv.Now()}
			c := newClient(t, srv, stratus.WithClock(clk.now))
			ctx := context.Background()
			_, err := c.Do(ctx, "GET", "/api/clouds/1", nil, nil)
			require.NoError(t, err)
			require.Equal(t, 1, srv.TokensMinted())
			clk.advance(tc.refresh - time.Second)
			srv.Advance(tc.refresh - time.Second)
			_, err = c.Do(ctx, "GET", "/api/clouds/1", nil, nil)
			require.NoError(t, err)
			assert.Equal(t, 1, srv.TokensMinted(), "no refresh before the refresh point")
			clk.advance(time.Second)
			srv.Advance(time.Second)
			_, err = c.Do(ctx, "GET", "/api/clouds/1", nil, nil)
			require.NoError(t, err)
			assert.Equal(t, 2, srv.TokensMinted(), "a refresh at the refresh point")
		})
	}
}

// TestThousandCallsAcrossExpiryRefreshOnce: 1,000 concurrent calls made
// once the token has expired share exactly one refresh.
func TestThousandCallsAcrossExpiryRefreshOnce(t *testing.T) {
	srv := rightscaletest.NewServer(rightscaletest.Config{ExpiresIn: 120})
	defer srv.Close()
	clk := &clock{t: srv.Now()}
	c := newClient(t, srv, stratus.WithClock(clk.now))
	ctx := context.Background()
	_, err := c.Do(ctx, "GET", "/api/clouds/1", nil, nil)
	require.NoError(t, err)
	require.Equal(t, 1, srv.TokensMinted())
	// Past the expiry on both clocks: the server refuses the old token.
	clk.advance(121 * time.Second)
	srv.Advance(121 * time.Second)
	srv.ResetRequests()
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Do(ctx, "GET", "/api/clouds/1", nil, nil)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 2, srv.TokensMinted(), "exactly one refresh for the 1,000 calls")
	assert.Equal(t, 1, srv.RequestsTo("POST", "/api/oauth2"))
	assert.Equal(t, 1000, srv.RequestsTo("GET", "/api/clouds/1"), "no call was sent twice")
}

// TestThousandCallsOn401RefreshOnce: the server revokes the token the
// client thinks valid; 1,000 concurrent calls get 401, share one refresh
// and each is retried once.
func TestThousandCallsOn401RefreshOnce(t *testing.T) {
	srv := rightscaletest.NewServer(rightscaletest.Config{})
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	_, err := c.Do(ctx, "GET", "/api/clouds/1", nil, nil)
	require.NoError(t, err)
	srv.ExpireTokens()
	srv.ResetRequests()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []error
	for range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Do(ctx, "GET", "/api/clouds/1", nil, nil); err != nil {
				mu.Lock()
				failures = append(failures, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Empty(t, failures)
	assert.Equal(t, 2, srv.TokensMinted(), "one refresh after the 401s")
	// Calls that met the 401 were sent twice; those that started after
	// the refresh, once.
	n := srv.RequestsTo("GET", "/api/clouds/1")
	assert.True(t, n > 1000 && n <= 2000, "%d requests for 1,000 calls", n)
	t.Logf("%d requests for 1,000 calls, %d refresh", n, srv.TokensMinted()-1)
}

func Test401ThenRefreshAndRetryOnce(t *testing.T) {
	srv := rightscaletest.NewServer(rightscaletest.Config{})
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	_, err := c.Do(ctx, "GET", "/api/clouds/1", nil, nil)
	require.NoError(t, err)
	srv.ExpireTokens()
	// A POST is retried too: a 401 means the API did not act.
	res, err := c.Send(ctx, &transport.Request{Method: "POST", Path: "/api/deployments", Body: []byte("deployment[name]=after-401"),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}})
	require.NoError(t, err)
	assert.Equal(t, 201, res.Status)
	assert.Equal(t, 2, res.Attempts)
	assert.Equal(t, 2, srv.TokensMinted())
	assert.Equal(t, 2, srv.RequestsTo("POST", "/api/deployments"))

	// A token refused right after a refresh is final: one refresh, no loop.
	srv.ResetRequests()
	c2 := newClient(t, srv, stratus.WithHTTPClient(&http.Client{Transport: refuseAPI{}}))
	_, err = c2.Do(ctx, "GET", "/api/clouds/1", nil, nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, stratus.ErrUnauthorized), "%v", err)
	var se *stratus.Error
	require.True(t, errors.As(err, &se))
	assert.Equal(t, 2, se.Attempts)
	assert.Equal(t, 2, srv.RequestsTo("POST", "/api/oauth2"), "the first token, then one refresh after the 401")
}

// refuseAPI answers 401 to every API call and lets the OAuth grant through.
type refuseAPI struct{}

func (refuseAPI) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == wire.OAuthPath {
		return http.DefaultTransport.RoundTrip(r)
	}
	return &http.Response{StatusCode: 401, Header: http.Header{"Content-Type": {"text/html"}}, Body: io.NopCloser(strings.NewReader("Unauthorized")), Request: r}, nil
}

func TestInvalidGrant(t *testing.T) {
	srv := rightscaletest.NewServer(rightscaletest.Config{})
	defer srv.Close()
	c, err := rightscale.New(stratus.WithBaseURL(srv.URL()), rightscale.RefreshToken("not-the-token-0123"))
	require.NoError(t, err)
	_, err = c.Do(context.Background(), "GET", "/api/clouds", nil, nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, stratus.ErrUnauthorized), "%v", err)
	var se *stratus.Error
	require.True(t, errors.As(err, &se))
	assert.Equal(t, 400, se.Status)
	assert.Equal(t, "invalid_grant", se.Code)
	assert.NotContains(t, err.Error(), "not-the-token-0123")
}

func TestShardRedirectRetargets(t *testing.T) {
	right := rightscaletest.NewServer(rightscaletest.Config{})
	defer right.Close()
	wrong := rightscaletest.NewServer(rightscaletest.Config{RefreshToken: right.RefreshToken(), RedirectTo: right.URL()})
	defer wrong.Close()
	c := newClient(t, wrong)
	ctx := context.Background()
	res, err := c.Do(ctx, "GET", "/api/clouds", nil, nil)
	require.NoError(t, err)
	assert.True(t, res.IsArray())
	assert.Equal(t, right.URL(), rightscale.Shard(c))
	assert.Equal(t, 1, wrong.RequestsTo("GET", "/api/clouds"), "one call met the redirect")
	// Later calls go to the right shard directly.
	wrong.ResetRequests()
	_, err = c.Do(ctx, "GET", "/api/clouds/1", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, wrong.Requests())
	assert.Equal(t, 1, right.RequestsTo("GET", "/api/clouds/1"))
}

func TestTokensNeverPrinted(t *testing.T) {
	srv := rightscaletest.NewServer(rightscaletest.Config{})
	defer srv.Close()
	var logs bytes.Buffer
	lg := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv, stratus.WithLogger(lg))
	ctx := context.Background()
	var printed strings.Builder
	cl := rightscale.Cloud(c, "1")
	require.NoError(t, cl.Pprint(&printed))
	_, err := c.Do(ctx, "GET", "/api/clouds/999", nil, nil)
	require.Error(t, err)
	srv.ExpireTokens()
	_, err2 := c.Do(ctx, "GET", "/api/nowhere", nil, nil)
	require.Error(t, err2)
	access, err := rightscale.AuthOf(c).Token(ctx)
	require.NoError(t, err)
	fmt.Fprint(&printed, err, err2, c, c.Settings(), rightscale.AuthOf(c).Endpoint(), wire.Secret(srv.RefreshToken()))
	all := printed.String() + logs.String()
	require.NotEmpty(t, logs.String())
	for _, secret := range []string{srv.RefreshToken(), access} {
		assert.NotContains(t, all, secret)
	}
}

func TestErrorsArePlainText(t *testing.T) {
	srv := rightscaletest.NewServer(rightscaletest.Config{})
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	_, err := c.Do(ctx, "GET", "/api/clouds/0", nil, nil)
	var se *stratus.Error
	require.True(t, errors.As(err, &se), "%v", err)
	assert.Equal(t, 422, se.Status)
	assert.Equal(t, "ResourceNotFound", se.Code)
	assert.Equal(t, "Couldn't find Cloud with ID=0", se.Message)
	assert.True(t, errors.Is(err, stratus.ErrNotFound))
	assert.True(t, errors.Is(err, wire.ErrResourceNotFound))

	_, err = c.Do(ctx, "GET", "/api/no_such_things", nil, nil)
	assert.True(t, errors.Is(err, wire.ErrUnknownRoute), "%v", err)

	_, err = c.Do(ctx, "GET", "/api/clouds", map[string][]string{"filter[]": {"nonsense==1"}}, nil)
	assert.True(t, errors.Is(err, stratus.ErrInvalid), "%v", err)
}
