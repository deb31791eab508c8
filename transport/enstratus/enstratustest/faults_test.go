package enstratustest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestFaults(t *testing.T) {
	c := newTC(t, Config{})
	c.hc = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}} // no silent replays

	c.srv.InjectNext(Fault429)
	r := c.get("geography/Cloud/1")
	requireError(t, r, 429, "Too many requests; slow down")
	assert.Equal(t, "1", r.header.Get("Retry-After"))

	c.srv.InjectNext(Fault500)
	requireError(t, c.get("geography/Cloud/1"), 500, "An internal error occurred")

	c.srv.InjectNext(Fault503HTML)
	r = c.get("geography/Cloud/1")
	assert.Equal(t, 503, r.status)
	assert.Contains(t, r.header.Get("Content-Type"), "text/html")
	assert.Contains(t, string(r.body), "<title>503 Service Temporarily Unavailable</title>")

	c.srv.InjectNext(FaultMalformed)
	r = c.get("geography/Cloud/1")
	assert.Equal(t, 200, r.status)
	assert.False(t, gjson.ValidBytes(r.body))

	c.srv.InjectNext(FaultTruncated)
	_, err := c.try("GET", "geography/Cloud/1", "")
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	c.srv.InjectNext(FaultReset)
	_, err = c.try("GET", "geography/Cloud/1", "")
	assert.Error(t, err)

	// Faults that answer in place of the API come before the signature.
	c.secret = "wrong"
	c.srv.InjectNext(Fault500)
	requireError(t, c.get("geography/Cloud/1"), 500, "An internal error occurred")
	c.secret = c.srv.SecretKey()

	// ResetAfter: the launch happened although the client saw nothing.
	before := len(c.srv.ServerIDs())
	c.srv.InjectNext(FaultResetAfter)
	_, err = c.try("POST", "infrastructure/Server", `{"launch":[{"productId":"m1.small","machineImage":{"machineImageId":286443},"description":"d","name":"ghost","dataCenter":{"dataCenterId":64352}}]}`)
	assert.Error(t, err)
	assert.Len(t, c.srv.ServerIDs(), before+1)
	assert.Equal(t, 1, c.srv.PendingJobs())

	// The queue is consumed in order, then requests are served normally.
	c.srv.InjectNext(Fault500, Fault429)
	assert.Equal(t, 500, c.get("geography/Cloud/1").status)
	assert.Equal(t, 429, c.get("geography/Cloud/1").status)
	assert.Equal(t, 200, c.get("geography/Cloud/1").status)
	assert.Equal(t, 11, c.srv.Requests(), "faulted requests are counted")
}

func TestFaultRateIsSeeded(t *testing.T) {
	run := func(seed int64) []int {
		c := newTC(t, Config{Seed: seed})
		c.srv.SetFaultRate(0.5, Fault500, Fault429)
		var statuses []int
		for range 30 {
			statuses = append(statuses, c.get("admin/Job/1").status)
		}
		c.srv.SetFaultRate(0)
		assert.Equal(t, 200, c.get("admin/Job/1").status)
		return statuses
	}
	a, b := run(11), run(11)
	assert.Equal(t, a, b)
	assert.Contains(t, a, 200)
	assert.Contains(t, a, 500)
	assert.Contains(t, a, 429)
	assert.NotEqual(t, a, run(12))
}

func TestLatency(t *testing.T) {
	c := newTC(t, Config{})
	c.srv.SetLatency(60 * time.Millisecond)
	start := time.Now()
	assert.Equal(t, 200, c.get("geography/Cloud/1").status)
	assert.GreaterOrEqual(t, time.Since(start), 60*time.Millisecond)

	c.srv.SetLatency(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.srv.URL()+"/geography/Cloud/1", nil)
	c.sign(req)
	_, err := c.send(req)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	c.srv.SetLatency(0)
	assert.Equal(t, 200, c.get("geography/Cloud/1").status)
}

// TestConcurrentUse runs reads, launches, operations and clock moves at
// once; run with -race.
func TestConcurrentUse(t *testing.T) {
	c := newTC(t, Config{Servers: 50, RealTime: false})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := *c
			w.t = t
			for i := range 10 {
				var r resp
				var err error
				switch i % 3 {
				case 0:
					r, err = w.try("GET", "infrastructure/Server", "")
				case 1:
					r, err = w.try("POST", "infrastructure/Server", `{"launch":[{"productId":"m1.small","machineImage":{"machineImageId":286443},"description":"d","name":"c`+strconv.Itoa(g)+`","dataCenter":{"dataCenterId":64352}}]}`)
				default:
					r, err = w.try("GET", "admin/Job", "")
				}
				if err == nil && r.status >= 300 {
					err = errors.New(string(r.body))
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	for range 20 {
		c.srv.Advance(time.Second)
		_ = c.srv.ServerIDs()
		_ = c.srv.PendingJobs()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c.srv.CompleteJobs()
	assert.Equal(t, 0, c.srv.PendingJobs())
	assert.Len(t, c.srv.ServerIDs(), 50+8*3)
}

// TestTransportClient drives the simulator through the stratus transport
// chain: Signer on the simulator's clock, DecodeError, retries.
func TestTransportClient(t *testing.T) {
	srv := NewServer(Config{})
	defer srv.Close()
	creds := enstratus.Credentials{AccessKey: enstratus.Secret(srv.AccessKey()), SecretKey: enstratus.Secret(srv.SecretKey()), Endpoint: srv.URL(), Version: Version}
	newClient := func(creds enstratus.Credentials) *transport.Client {
		cl, err := transport.New(transport.Config{
			Provider: enstratus.Name, BaseURL: creds.Endpoint, UserAgent: "stratus-it",
			Signer: enstratus.Signer(creds, srv.Now), DecodeError: enstratus.DecodeError,
			Retry: transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond},
		})
		require.NoError(t, err)
		return cl
	}
	cl := newClient(creds)
	ctx := t.Context()

	res, err := cl.Do(ctx, &transport.Request{Method: "GET", Path: "geography/DataCenter", Query: map[string][]string{"regionId": {"19344"}},
		Header: http.Header{enstratus.HeaderDetails: {enstratus.DetailsBasic}}})
	require.NoError(t, err)
	assert.Len(t, gjson.GetBytes(res.Body, "dataCenters").Array(), 3)
	assert.Equal(t, `{"regionId":19344}`, gjson.GetBytes(res.Body, "dataCenters.0.region").Raw)

	_, err = cl.Do(ctx, &transport.Request{Method: "GET", Path: transport.PathJoin("admin/Job", "99")})
	var te *transport.Error
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, transport.ErrNotFound)
	assert.Equal(t, "No such job ID: 99", te.Message)

	_, err = cl.Do(ctx, &transport.Request{Method: "GET", Path: "geography/DataCenter"})
	assert.ErrorIs(t, err, transport.ErrInvalid)

	bad := creds
	bad.SecretKey = "not-the-secret"
	_, err = newClient(bad).Do(ctx, &transport.Request{Method: "GET", Path: "geography/Cloud/1"})
	assert.ErrorIs(t, err, transport.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "not-the-secret")

	// A wall-clock signer is refused by the manual clock as expired.
	wall, err := transport.New(transport.Config{Provider: enstratus.Name, BaseURL: srv.URL(), Signer: enstratus.Signer(creds, nil), DecodeError: enstratus.DecodeError})
	require.NoError(t, err)
	_, err = wall.Do(ctx, &transport.Request{Method: "GET", Path: "geography/Cloud/1"})
	assert.ErrorIs(t, err, transport.ErrUnauthorized)
	assert.Contains(t, err.Error(), "Request has expired")

	// Retries: a 503 page and a 500 on a GET, each attempt signed afresh.
	srv.InjectNext(Fault503HTML, Fault500)
	res, err = cl.Do(ctx, &transport.Request{Method: "GET", Path: "geography/Cloud/1"})
	require.NoError(t, err)
	assert.Equal(t, 3, res.Attempts)

	// A launch through the client; the job id comes from the 202 body.
	res, err = cl.Do(ctx, &transport.Request{Method: "POST", Path: "infrastructure/Server",
		Body: []byte(`{"launch":[{"product":{"productId":652},"machineImage":{"machineImageId":286443},"description":"d","name":"it","dataCenter":{"dataCenterId":64352}}]}`)})
	require.NoError(t, err)
	assert.Equal(t, http.StatusAccepted, res.Status)
	jobs := enstratus.Jobs(gjson.ParseBytes(res.Body))
	require.Len(t, jobs, 1)
	srv.Advance(10 * time.Second)
	res, err = cl.Do(ctx, &transport.Request{Method: "GET", Path: transport.PathJoin("admin/Job", strconv.FormatInt(jobs[0], 10))})
	require.NoError(t, err)
	serverID := gjson.GetBytes(res.Body, "jobs.0.message").String()
	res, err = cl.Do(ctx, &transport.Request{Method: "GET", Path: transport.PathJoin("infrastructure/Server", serverID)})
	require.NoError(t, err)
	assert.Equal(t, "RUNNING", gjson.GetBytes(res.Body, "servers.0.status").String())

	// A POST that got a 500 is not replayed; the error says so.
	srv.ResetRequests()
	srv.InjectNext(Fault500)
	_, err = cl.Do(ctx, &transport.Request{Method: "POST", Path: "network/FirewallRule", Body: []byte(`{"firewallId":119182,"direction":"INGRESS","networkAddress":"0.0.0.0/0","protocol":"ICMP"}`)})
	assert.ErrorIs(t, err, transport.ErrUnavailable)
	assert.Equal(t, 1, srv.RequestsTo("POST", "network/FirewallRule"))
}
