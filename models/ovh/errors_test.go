package ovh_test

import (
	"log/slog"
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

func TestMissingServer(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 20})
	ctx := t.Context()
	d := ovh.DedicatedServer(c, "ns0000000.ip-192-0-2.eu")
	ok, err := d.Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)

	var se *stratus.Error
	require.ErrorAs(t, d.LastError(), &se)
	assert.ErrorIs(t, se, stratus.ErrNotFound)
	assert.Equal(t, 404, se.Status)
	assert.Equal(t, "ovh", se.Provider)
	assert.Regexp(t, `^EU\.ext-\d\.[0-9a-f]{6}\.\d{4}\.\d{4}$`, se.RequestID, "the X-Ovh-Queryid")
	assert.Contains(t, se.Error(), se.RequestID)

	// Getters give zero values, never error text.
	assert.Equal(t, "", d.Datacenter())
	assert.Equal(t, int64(0), d.ServerID())
	assert.False(t, d.Monitoring())
	_, err = d.Burst(ctx)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	_, err = d.IPs(ctx)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	assert.ErrorIs(t, d.EnableBurst(ctx), stratus.ErrNotFound)
	for _, s := range secrets(srv) {
		assert.NotContains(t, d.LastError().Error(), s)
	}
}

func TestInvalidSignature(t *testing.T) {
	srv := newServer(t, ovhtest.Config{Seed: 21})
	wrong := strings.Repeat("x", 32)
	c := newClientWith(t, srv, srv.AppKey(), wrong, srv.ConsumerKey())
	ctx := t.Context()

	me := ovh.Me(c)
	err := me.Load(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, wire.ErrInvalidSignature)
	assert.ErrorIs(t, err, stratus.ErrUnauthorized)
	var se *stratus.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 400, se.Status)
	assert.Equal(t, "INVALID_SIGNATURE", se.Code)
	assert.NotEmpty(t, se.RequestID)
	assert.Equal(t, 1, srv.RequestsTo("GET", "/me"), "a wrong secret is not retried")
	for _, s := range append(secrets(srv), wrong) {
		assert.NotContains(t, err.Error(), s)
	}
	assert.NotContains(t, err.Error(), "$1$")
	assert.Equal(t, "", me.Email())
}

func TestClockSkew(t *testing.T) {
	srv := newServer(t, ovhtest.Config{Seed: 22})
	ctx := t.Context()
	c := newClient(t, srv, stratus.WithClock(func() time.Time { return time.Now().Add(10 * time.Minute) }))
	srv.ResetRequests()

	require.NoError(t, ovh.Me(c).Load(ctx), "the delta makes up for the local clock")
	assert.Equal(t, 1, srv.RequestsTo("GET", "/auth/time"))

	srv.SkewClock(30 * time.Minute)
	me := ovh.Me(c)
	require.NoError(t, me.Reload(ctx), "a refused timestamp re-syncs the clock and tries again")
	assert.NotEmpty(t, me.Nichandle())
	assert.Equal(t, 2, srv.RequestsTo("GET", "/auth/time"))
	assert.Equal(t, 3, srv.RequestsTo("GET", "/me"), "one load, one refused, one retried")

	st, err := ovh.ServerTime(ctx, c)
	require.NoError(t, err)
	assert.InDelta(t, srv.Now().Unix(), st, 2)
}

func TestNoSecretsInLogs(t *testing.T) {
	srv := newServer(t, ovhtest.Config{Seed: 23, Bills: 3})
	var buf lockedBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv, stratus.WithLogger(logger))
	ctx := t.Context()

	assert.NotEmpty(t, ovh.Me(c).FirstName())
	_, err := ovh.Bills(c).NoBulk().Collect(ctx)
	require.NoError(t, err)
	ok, err := ovh.DedicatedServer(c, "ns0.missing.eu").Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Error(t, ovh.Me(c).Update(ctx, map[string]any{"language": "xx_XX"}))
	srv.InjectNext(ovhtest.Fault503HTML)
	_, err = ovh.Get(ctx, c, "/me", nil)
	require.NoError(t, err, "retried")

	// A client with a wrong secret logs its failure too.
	bad := newClientWith(t, srv, srv.AppKey(), "wrong-secret-wrong-secret-000000", srv.ConsumerKey(), stratus.WithLogger(logger))
	assert.Error(t, ovh.Me(bad).Load(ctx))

	out := buf.String()
	require.NotEmpty(t, out)
	assert.Contains(t, out, "/me")
	for _, s := range append(secrets(srv), "wrong-secret-wrong-secret-000000") {
		assert.NotContains(t, out, s)
	}
	assert.NotContains(t, out, "$1$", "no signature")
}

func TestRawCalls(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 24})
	ctx := t.Context()

	me, err := ovh.Get(ctx, c, "/me", nil)
	require.NoError(t, err)
	assert.Equal(t, ovh.Me(c).Nichandle(), me.Get("nichandle").String())

	name := srv.DedicatedServerNames()[0]
	for _, status := range []string{"inactive", "active"} {
		res, err := ovh.Put(ctx, c, "/dedicated/server/"+name+"/burst", map[string]string{"status": status})
		require.NoError(t, err)
		assert.Equal(t, "null", res.Raw, "a void answer")
		assert.Equal(t, status, srv.Burst(name))
	}

	rec, err := ovh.Post(ctx, c, "/domain/zone/example.com/record", map[string]any{"fieldType": "TXT", "subDomain": "raw", "target": `"hello"`})
	require.NoError(t, err)
	id := rec.Get("id").Int()
	require.Positive(t, id)
	ids, err := ovh.Get(ctx, c, "/domain/zone/example.com/record", ovh.Params("fieldType", "TXT", "subDomain", "raw"))
	require.NoError(t, err)
	require.Len(t, ids.Array(), 1)
	assert.Equal(t, id, ids.Array()[0].Int())

	_, err = ovh.Delete(ctx, c, "/domain/zone/example.com/record/"+rec.Get("id").String(), nil)
	require.NoError(t, err)
	_, err = ovh.Get(ctx, c, "/domain/zone/example.com/record/"+rec.Get("id").String(), nil)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	_, err = ovh.Post(ctx, c, "/domain/zone/example.com/refresh", nil)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.ZoneRefreshes("example.com"))
}
