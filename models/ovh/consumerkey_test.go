package ovh_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	wire "github.com/stratus-cloud/stratus/transport/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type waitResult struct {
	cred ovh.Credential
	err  error
}

func TestConsumerKeyFlow(t *testing.T) {
	srv := newServer(t, ovhtest.Config{Seed: 18})
	ctx := t.Context()

	// An application without a consumer key asks for one.
	c0 := newClientWith(t, srv, srv.AppKey(), srv.AppSecret(), "")
	req, err := ovh.RequestConsumerKey(ctx, c0, ovh.RecursiveRules(ovh.ReadOnly, "/me"), "")
	require.NoError(t, err)
	assert.Equal(t, ovh.StatePending, req.State)
	assert.Contains(t, req.ValidationURL, "/auth/?credentialToken=")
	assert.True(t, strings.HasPrefix(req.ValidationURL, srv.Root()), req.ValidationURL)
	require.Len(t, req.ConsumerKey, 32)
	assert.NotContains(t, req.String(), req.ConsumerKey)
	assert.Equal(t, ovh.StatePending, srv.ConsumerKeyState(req.ConsumerKey))

	// The client without a key cannot sign.
	assert.ErrorIs(t, ovh.Me(c0).Load(ctx), wire.ErrNotCredential)

	c2 := newClientWith(t, srv, srv.AppKey(), srv.AppSecret(), req.ConsumerKey,
		stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond))
	assert.ErrorIs(t, ovh.Me(c2).Load(ctx), wire.ErrInvalidCredential, "not validated yet")

	done := make(chan waitResult, 1)
	var states []string
	go func() {
		cred, err := ovh.WaitForValidation(ctx, c2, stratus.WaitOptions{Timeout: 10 * time.Second,
			Progress: func(p stratus.WaitProgress) { states = append(states, p.State) }})
		done <- waitResult{cred, err}
	}()
	// The owner clicks a little later, once the client is polling.
	require.Eventually(t, func() bool { return srv.RequestsTo("GET", "/auth/currentCredential") > 0 },
		5*time.Second, 5*time.Millisecond)
	time.Sleep(30 * time.Millisecond)
	require.True(t, srv.ValidateConsumerKey(req.ConsumerKey))
	var res waitResult
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("WaitForValidation did not return")
	}
	require.NoError(t, res.err)
	assert.Equal(t, ovh.StateValidated, res.cred.Status())
	assert.Equal(t, []ovh.Rule{{Method: "GET", Path: "/me"}, {Method: "GET", Path: "/me/*"}}, res.cred.Rules())
	require.GreaterOrEqual(t, len(states), 2, "it polled while pending")
	assert.Equal(t, ovh.StatePending, states[0])
	assert.Equal(t, ovh.StateValidated, states[len(states)-1])

	// The key reads what it was granted...
	me := ovh.Me(c2)
	assert.NotEmpty(t, me.FirstName())
	require.NoError(t, me.LastError())
	bills, err := ovh.Bills(c2).Collect(ctx)
	require.NoError(t, err, "/me/* covers the bills")
	assert.NotEmpty(t, bills)

	// ...and nothing else.
	_, err = ovh.DedicatedServers(c2).Collect(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, wire.ErrNotGranted)
	assert.ErrorIs(t, err, stratus.ErrForbidden)
	assert.ErrorIs(t, me.Update(ctx, map[string]any{"firstname": "Eve"}), wire.ErrNotGranted, "read only")
}

func TestRefusedConsumerKey(t *testing.T) {
	srv := newServer(t, ovhtest.Config{Seed: 19})
	ctx := t.Context()
	c0 := newClientWith(t, srv, srv.AppKey(), srv.AppSecret(), "")
	req, err := ovh.RequestConsumerKey(ctx, c0, ovh.RecursiveRules(ovh.ReadOnly, "/me"), "https://app.example/done")
	require.NoError(t, err)

	c2 := newClientWith(t, srv, srv.AppKey(), srv.AppSecret(), req.ConsumerKey)
	done := make(chan waitResult, 1)
	go func() {
		cred, err := ovh.WaitForValidation(ctx, c2, stratus.WaitOptions{Timeout: 10 * time.Second})
		done <- waitResult{cred, err}
	}()
	time.Sleep(40 * time.Millisecond)
	require.True(t, srv.RefuseConsumerKey(req.ConsumerKey))
	var res waitResult
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("WaitForValidation did not return")
	}
	require.Error(t, res.err)
	assert.ErrorIs(t, res.err, stratus.ErrFailed)
	assert.NotErrorIs(t, res.err, stratus.ErrWaitTimeout)
	assert.Equal(t, ovh.StateRefused, res.cred.Status())
	assert.NotContains(t, res.err.Error(), req.ConsumerKey)

	// A bad application key is refused at once.
	bad := newClientWith(t, srv, "nosuchappkey0000", srv.AppSecret(), "")
	_, err = ovh.RequestConsumerKey(ctx, bad, ovh.RecursiveRules(ovh.ReadOnly, "/"), "")
	assert.ErrorIs(t, err, wire.ErrInvalidKey)
}
