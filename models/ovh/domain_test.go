package ovh_test

import (
	"strconv"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDomainsAndZones(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 15, Zones: []string{"example.com", "example.net", "example.org"}})
	ctx := t.Context()
	srv.ResetRequests()

	zones, err := ovh.Zones(c).Collect(ctx)
	require.NoError(t, err)
	var names []string
	for _, z := range zones {
		names = append(names, z.Name())
		ns := z.NameServers()
		require.Len(t, ns, 2)
		assert.Regexp(t, `\.ovh\.net$`, ns[0])
		assert.True(t, z.DNSSECSupported())
		assert.False(t, z.HasDNSAnycast())
		assert.False(t, z.LastUpdate().IsZero())
	}
	assert.Equal(t, []string{"example.com", "example.net", "example.org"}, names)

	domains, err := ovh.Domains(c).NoBulk().Collect(ctx)
	require.NoError(t, err)
	require.Len(t, domains, 3)
	for i, d := range domains {
		assert.Equal(t, names[i], d.Name())
		assert.Equal(t, "ok", d.State())
		assert.Equal(t, "not_suspended", d.SuspensionState())
		assert.Equal(t, "locked", d.TransferLockStatus())
		assert.Equal(t, "hosted", d.NameServerType())
		assert.NotEmpty(t, d.Offer())
		assert.NotEmpty(t, d.WhoisOwner())
		assert.False(t, d.LastUpdate().IsZero())
		assert.True(t, d.DNSSECSupported())
		assert.Equal(t, zones[i].NameServers(), d.Zone().NameServers())
	}

	ok, err := ovh.Zone(c, "missing.example").Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestRecordsCRUD(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 16, Records: 20})
	ctx := t.Context()
	z := ovh.Zone(c, "example.com")

	all, err := z.Records().Collect(ctx)
	require.NoError(t, err)
	require.Len(t, all, 20)
	var prev int64
	for _, r := range all {
		assert.Greater(t, r.ID(), prev, "ids ascending")
		prev = r.ID()
		assert.Equal(t, "example.com", r.Zone())
		assert.NotEmpty(t, r.FieldType())
		assert.NotEmpty(t, r.Target())
		assert.Equal(t, "/domain/zone/example.com/record/"+strconv.FormatInt(r.ID(), 10), r.Path())
	}

	// Filters.
	as, err := z.Records().FieldType("a").Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, as)
	for _, r := range as {
		assert.Equal(t, "A", r.FieldType())
	}
	www, err := z.Records().SubDomain("www").Collect(ctx)
	require.NoError(t, err)
	require.Len(t, www, 1)
	assert.Equal(t, "CNAME", www[0].FieldType())
	apexA, err := z.Records().FieldType("A").SubDomain("").Collect(ctx)
	require.NoError(t, err)
	require.Len(t, apexA, 1)
	assert.Equal(t, "", apexA[0].SubDomain())

	// Create: the answer fills the handle.
	srv.ResetRequests()
	_, err = z.CreateRecord(ctx, ovh.RecordSpec{FieldType: "A", SubDomain: "api"})
	assert.ErrorIs(t, err, stratus.ErrInvalid, "no target")
	_, err = z.CreateRecord(ctx, ovh.RecordSpec{FieldType: "BOGUS", Target: "x"})
	assert.ErrorIs(t, err, stratus.ErrInvalid, "unknown type")
	_, err = z.CreateRecord(ctx, ovh.RecordSpec{Target: "192.0.2.1"})
	assert.ErrorIs(t, err, stratus.ErrInvalid, "no type")
	assert.Equal(t, 0, srv.Requests(), "refused before sending")

	r, err := z.CreateRecord(ctx, ovh.RecordSpec{FieldType: "a", SubDomain: "api", Target: "192.0.2.50", TTL: 300})
	require.NoError(t, err)
	assert.Positive(t, r.ID())
	assert.Equal(t, "A", r.FieldType())
	assert.Equal(t, "api", r.SubDomain())
	assert.Equal(t, "192.0.2.50", r.Target())
	assert.Equal(t, 300, r.TTL())
	assert.Equal(t, "example.com", r.Zone())
	assert.Equal(t, 1, srv.Requests(), "no GET after the create")
	got := ovh.Record(c, "example.com", r.ID())
	assert.Equal(t, "192.0.2.50", got.Target())

	api, err := z.Records().SubDomain("api").Collect(ctx)
	require.NoError(t, err)
	require.Len(t, api, 1)
	assert.Equal(t, r.ID(), api[0].ID())

	// Update: the type is immutable.
	srv.ResetRequests()
	err = r.Update(ctx, ovh.RecordUpdate{FieldType: ovh.String("AAAA"), Target: ovh.String("2001:db8::1")})
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.ErrorIs(t, r.LastError(), stratus.ErrInvalid)
	assert.ErrorIs(t, r.Update(ctx, ovh.RecordUpdate{}), stratus.ErrInvalid, "nothing to update")
	assert.Equal(t, 0, srv.Requests(), "refused before sending")

	require.NoError(t, r.Update(ctx, ovh.RecordUpdate{FieldType: ovh.String("A"), Target: ovh.String("192.0.2.51"), TTL: ovh.Int(600)}))
	assert.Equal(t, "192.0.2.51", r.Target(), "reloaded after the write")
	assert.Equal(t, 600, r.TTL())
	assert.Equal(t, "api", r.SubDomain(), "unchanged")
	require.NoError(t, r.Update(ctx, ovh.RecordUpdate{SubDomain: ovh.String("api2")}))
	assert.Equal(t, "api2", r.SubDomain())
	assert.Equal(t, "192.0.2.51", ovh.Record(c, "example.com", r.ID()).Target())

	// The API checks the target against the type.
	assert.ErrorIs(t, r.Update(ctx, ovh.RecordUpdate{Target: ovh.String("not-an-ip")}), stratus.ErrInvalid)

	// Refresh publishes.
	require.Equal(t, 0, srv.ZoneRefreshes("example.com"))
	require.NoError(t, z.Refresh(ctx))
	assert.Equal(t, 1, srv.ZoneRefreshes("example.com"))

	// Delete.
	require.NoError(t, r.Delete(ctx))
	ok, err := r.Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
	ok, err = ovh.Record(c, "example.com", r.ID()).Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
	after, err := z.Records().Collect(ctx)
	require.NoError(t, err)
	assert.Len(t, after, 20)
	require.NoError(t, z.Refresh(ctx))
	assert.Equal(t, 2, srv.ZoneRefreshes("example.com"))
	assert.ErrorIs(t, ovh.Zone(c, "missing.example").Refresh(ctx), stratus.ErrNotFound)
}

func TestRecordsWithoutBulk(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 17, Records: 10})
	ctx := t.Context()
	srv.SetBulk(false)
	z := ovh.Zone(c, "example.com")
	srv.ResetRequests()
	var targets []string
	for r, err := range z.Records().FieldType("NS").All(ctx) {
		require.NoError(t, err)
		targets = append(targets, r.Target())
		assert.Equal(t, "example.com", r.Zone())
	}
	assert.Len(t, targets, 2)
	for _, tg := range targets {
		assert.Regexp(t, `\.ovh\.net\.$`, tg)
	}
	assert.Equal(t, 1+2, srv.RequestsTo("GET", "/domain/zone/example.com/record"), "the id list, then each record")
}
