package ovh_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readDatacenters lists the servers of l and reads the datacenter of
// each, as a loop over the fleet does.
func readDatacenters(ctx context.Context, t *testing.T, l stratus.Collection[*ovh.DedicatedServerHandle]) (names, dcs []string) {
	t.Helper()
	for d, err := range l.All(ctx) {
		require.NoError(t, err)
		names = append(names, d.Name())
		dcs = append(dcs, d.Datacenter())
		require.NoError(t, d.LastError())
	}
	return names, dcs
}

func TestListFiveHundredDedicatedServers(t *testing.T) {
	srv := newServer(t, ovhtest.Config{Seed: 7, DedicatedServers: 500, RateLimit: -1})
	want := srv.DedicatedServerNames()
	require.Len(t, want, 500)

	check := func(t *testing.T, names, dcs []string) {
		t.Helper()
		assert.Equal(t, want, names, "names in the API's order")
		for i, dc := range dcs {
			assert.NotEmpty(t, dc, names[i])
		}
	}

	for _, size := range []int{200, 1000} {
		t.Run(fmt.Sprintf("bulk pages of %d", size), func(t *testing.T) {
			srv.SetBulk(true)
			c := newClient(t, srv)
			srv.ResetRequests()
			names, dcs := readDatacenters(t.Context(), t, ovh.DedicatedServers(c).PageSize(size).Collection)
			check(t, names, dcs)
			pages := (500 + size - 1) / size
			list := srv.RequestsTo("GET", "/dedicated/server")
			assert.LessOrEqual(t, list, pages+1, "page size %d", size)
			assert.GreaterOrEqual(t, list, pages, "page size %d", size)
			assert.Equal(t, 1, srv.RequestsTo("GET", "/auth/time"))
			assert.Equal(t, list+1, srv.Requests(), "nothing but the pages and the server time")
		})
	}

	t.Run("server refuses bulk", func(t *testing.T) {
		srv.SetBulk(false)
		t.Cleanup(func() { srv.SetBulk(true) })
		c := newClient(t, srv)
		srv.ResetRequests()
		names, dcs := readDatacenters(t.Context(), t, ovh.DedicatedServers(c).PageSize(200).Collection)
		check(t, names, dcs)
		assert.Equal(t, 1+500, srv.RequestsTo("GET", "/dedicated/server"), "one id list, one GET per server")
		assert.Equal(t, 1+500+1, srv.Requests())
	})

	t.Run("NoBulk", func(t *testing.T) {
		srv.SetBulk(true)
		c := newClient(t, srv)
		srv.ResetRequests()
		names, dcs := readDatacenters(t.Context(), t, ovh.DedicatedServers(c).NoBulk().Collection)
		check(t, names, dcs)
		assert.Equal(t, 1+500, srv.RequestsTo("GET", "/dedicated/server"), "one id list, one GET per server")
		assert.Equal(t, 1+500+1, srv.Requests())
	})

	t.Run("names only", func(t *testing.T) {
		c := newClient(t, srv)
		srv.ResetRequests()
		var names []string
		for d, err := range ovh.DedicatedServers(c).NoBulk().All(t.Context()) {
			require.NoError(t, err)
			names = append(names, d.Name())
		}
		assert.Equal(t, want, names)
		assert.Equal(t, 1, srv.RequestsTo("GET", "/dedicated/server"), "a loop that reads names only sends the list")
	})
}

func TestDedicatedServerGetters(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 8, DedicatedServers: 5})
	ctx := t.Context()
	name := srv.DedicatedServerNames()[2]
	srv.ResetRequests()

	d := ovh.DedicatedServer(c, name)
	assert.Equal(t, name, d.Name(), "the name needs no load")
	assert.Equal(t, 0, srv.Requests())
	assert.Equal(t, "sbg1", d.Datacenter())
	assert.Equal(t, "eu-west-sbg", d.Region())
	assert.NotEmpty(t, d.AvailabilityZone())
	assert.NotZero(t, d.ServerID())
	assert.NotEmpty(t, d.IP())
	assert.Equal(t, "ok", d.State())
	assert.Equal(t, "poweron", d.PowerState())
	assert.NotEmpty(t, d.OS())
	assert.Equal(t, name+".", d.Reverse())
	assert.NotEmpty(t, d.Rack())
	assert.NotEmpty(t, d.CommercialRange())
	assert.Contains(t, []int{1000, 10000}, d.LinkSpeed())
	assert.Contains(t, []string{"critical", "fastpath", "gs", "pro"}, d.SupportLevel())
	assert.Equal(t, int64(1), d.BootID())
	assert.Equal(t, "", d.RescueMail(), "null reads as empty")
	assert.NoError(t, d.LastError())
	assert.Equal(t, 1, srv.RequestsTo("GET", "/dedicated/server"))

	ips, err := d.IPs(ctx)
	require.NoError(t, err)
	require.Len(t, ips, 2)
	assert.Equal(t, d.IP()+"/32", ips[0])
	assert.True(t, strings.HasPrefix(ips[1], "2001:41d0:"), ips[1])

	monitoring := d.Monitoring()
	require.NoError(t, d.Update(ctx, map[string]any{"monitoring": !monitoring, "rescueMail": "ops@example.com"}))
	assert.Equal(t, !monitoring, d.Monitoring(), "reloaded after the write")
	assert.Equal(t, "ops@example.com", d.RescueMail())
	assert.Equal(t, !monitoring, ovh.DedicatedServer(c, name).Monitoring())

	err = d.Update(ctx, map[string]any{"state": "on fire"})
	assert.ErrorIs(t, err, stratus.ErrInvalid, "the API's 400")
	srv.ResetRequests()
	assert.ErrorIs(t, d.Update(ctx, map[string]any{}), stratus.ErrInvalid)
	assert.Equal(t, 0, srv.Requests(), "nothing to update is refused before sending")
}

func TestBurstOnEveryServerOfADatacenter(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 9, DedicatedServers: 60})
	ctx := t.Context()

	// Start from a fleet with the burst off wherever it can be turned off.
	servers, err := ovh.DedicatedServers(c).Collect(ctx)
	require.NoError(t, err)
	require.Len(t, servers, 60)
	for _, d := range servers {
		b, err := d.Burst(ctx)
		require.NoError(t, err)
		assert.NotEmpty(t, b.Capacity.Unit)
		assert.Positive(t, b.Capacity.Value)
		if b.Status == ovh.BurstActive {
			require.NoError(t, d.DisableBurst(ctx), d.Name())
		}
	}

	// The scenario: enable the burst on every server in sbg1.
	var enabled, locked []string
	for d, err := range ovh.DedicatedServers(c).All(ctx) {
		require.NoError(t, err)
		if d.Datacenter() != "sbg1" {
			continue
		}
		b, err := d.Burst(ctx)
		require.NoError(t, err)
		if b.Status == ovh.BurstInactiveLocked {
			assert.ErrorIs(t, d.EnableBurst(ctx), stratus.ErrInvalid, "a locked burst cannot change")
			locked = append(locked, d.Name())
			continue
		}
		require.NoError(t, d.EnableBurst(ctx), d.Name())
		enabled = append(enabled, d.Name())
		b, err = d.Burst(ctx)
		require.NoError(t, err)
		assert.Equal(t, ovh.BurstActive, b.Status, "read fresh after the write")
	}
	require.Len(t, enabled, 4, "servers 2, 15, 28 and 54 are in sbg1")
	require.Len(t, locked, 1, "server 41 has a locked burst")

	for _, name := range srv.DedicatedServerNames() {
		isEnabled := false
		for _, e := range enabled {
			isEnabled = isEnabled || e == name
		}
		assert.Equal(t, isEnabled, srv.Burst(name) == ovh.BurstActive, name)
	}
	for _, name := range locked {
		assert.Equal(t, ovh.BurstInactiveLocked, srv.Burst(name))
	}
}

func TestSetBurstRefusesOtherStatuses(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 10})
	name := srv.DedicatedServerNames()[0]
	before := srv.Burst(name)
	d := ovh.DedicatedServer(c, name)
	srv.ResetRequests()
	for _, status := range []string{"", "on", "Active", ovh.BurstInactiveLocked} {
		err := d.SetBurst(t.Context(), status)
		var se *stratus.Error
		require.ErrorAs(t, err, &se, status)
		assert.ErrorIs(t, err, stratus.ErrInvalid)
		assert.Equal(t, "ovh", se.Provider)
		assert.ErrorIs(t, d.LastError(), stratus.ErrInvalid)
	}
	assert.Equal(t, 0, srv.Requests(), "refused before sending")
	assert.Equal(t, before, srv.Burst(name))
}
