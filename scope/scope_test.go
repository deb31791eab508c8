package scope_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/scope"
	"github.com/stratus-cloud/stratus/scope/admin"
	"github.com/stratus-cloud/stratus/scope/geography"
	"github.com/stratus-cloud/stratus/scope/infrastructure"
	"github.com/stratus-cloud/stratus/scope/network"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var fast = stratus.WithRetry(transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

func doClient(t *testing.T, droplets int) (*stratus.Client, *digitaloceantest.Server) {
	t.Helper()
	srv := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: droplets, HourlyLimit: -1, BurstLimit: -1})
	t.Cleanup(srv.Close)
	c, err := do.New(do.Token(srv.Token()), stratus.WithBaseURL(srv.URL()), fast)
	require.NoError(t, err)
	return c, srv
}

func ovhClient(t *testing.T, cfg ovhtest.Config) (*stratus.Client, *ovhtest.Server) {
	t.Helper()
	cfg.RateLimit = -1
	srv := ovhtest.NewServer(cfg)
	t.Cleanup(srv.Close)
	c, err := ovh.New(ovh.Credentials(srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()), stratus.WithBaseURL(srv.URL()), fast)
	require.NoError(t, err)
	return c, srv
}

var neutralStates = []string{scope.StateRunning, scope.StateStopped, scope.StatePending, scope.StateTerminated, scope.StateError}

func TestServersAcrossProviders(t *testing.T) {
	dc, _ := doClient(t, 7)
	oc, osrv := ovhClient(t, ovhtest.Config{DedicatedServers: 5, Projects: 2, Instances: 3})
	osrv.SetBulk(false) // the id list: details load concurrently

	count := map[string]int{}
	kinds := map[string]int{}
	for s, err := range infrastructure.Servers(t.Context(), dc, oc) {
		require.NoError(t, err)
		count[s.Provider()]++
		kinds[s.NativeKind()]++
		assert.NotEmpty(t, s.Name(), "%s %s", s.Provider(), s.ID())
		assert.Contains(t, neutralStates, s.State(), "%s %s: %q", s.Provider(), s.Name(), s.NativeState())
		assert.NotEmpty(t, s.Region(), s.Name())
		if s.State() == scope.StateRunning {
			assert.Regexp(t, `^\d+\.\d+\.\d+\.\d+$`, s.PublicIP(), "%s %s", s.Provider(), s.Name())
		}
		assert.NoError(t, s.LastError())
	}
	assert.Equal(t, map[string]int{"digitalocean": 7, "ovh": 5 + 2*3}, count)
	assert.Equal(t, map[string]int{"droplet": 7, "dedicated-server": 5, "cloud-instance": 6}, kinds)
}

func TestBackToTheNativeModel(t *testing.T) {
	dc, srv := doClient(t, 3)
	id := srv.DropletIDs()[0]
	s := infrastructure.Server(dc, id)
	d, ok := scope.As[*do.DropletHandle](s.Item)
	require.True(t, ok)
	assert.Equal(t, id, d.ID())
	assert.Equal(t, 0, srv.Requests(), "a neutral handle is as lazy as the native one")
	assert.Equal(t, d.Name(), s.Name())
	assert.Equal(t, 1, srv.Requests())
	_, ok = scope.As[*ovh.DedicatedServerHandle](s.Item)
	assert.False(t, ok)
}

func TestUnsupportedKinds(t *testing.T) {
	dc, srv := doClient(t, 1)
	oc, _ := ovhClient(t, ovhtest.Config{})

	cl := geography.Cloud(dc, 1)
	assert.ErrorIs(t, cl.LastError(), stratus.ErrUnsupported)
	assert.Empty(t, cl.Name(), "never the error text as a value")
	for _, err := range geography.Clouds(t.Context(), dc) {
		assert.ErrorIs(t, err, stratus.ErrUnsupported)
	}
	for _, err := range geography.Regions(t.Context(), oc) {
		assert.ErrorIs(t, err, stratus.ErrUnsupported)
	}
	assert.Zero(t, srv.Requests())

	// One client without the kind does not stop the others.
	n, errs := 0, 0
	for r, err := range geography.Regions(t.Context(), oc, dc) {
		if err != nil {
			errs++
			var se *stratus.Error
			require.True(t, errors.As(err, &se))
			assert.Equal(t, "ovh", se.Provider)
			continue
		}
		n++
		assert.Equal(t, "digitalocean", r.Provider())
		assert.NotEmpty(t, r.Name())
	}
	assert.Equal(t, 1, errs)
	assert.Positive(t, n)
}

func TestDNSAcrossProviders(t *testing.T) {
	dc, _ := doClient(t, 1)
	oc, _ := ovhClient(t, ovhtest.Config{Zones: []string{"example.com"}, Records: 4})
	for _, c := range []*stratus.Client{dc, oc} {
		zones := 0
		for z, err := range network.DNSZones(t.Context(), c) {
			require.NoError(t, err)
			zones++
			assert.Equal(t, "example.com", z.Name())
			records := 0
			for r, err := range z.Records(t.Context()) {
				require.NoError(t, err, c.Provider().Name)
				records++
				assert.NotEmpty(t, r.Type())
				assert.NotEmpty(t, r.Target())
			}
			assert.Positive(t, records, c.Provider().Name)
		}
		assert.Equal(t, 1, zones, c.Provider().Name)
	}
	_, err := network.DNSRecord(dc, "example.com", 1)
	require.NoError(t, err)
}

func TestAdminKinds(t *testing.T) {
	dc, _ := doClient(t, 2)
	oc, _ := ovhClient(t, ovhtest.Config{Bills: 5})
	for _, c := range []*stratus.Client{dc, oc} {
		a := admin.Account(c)
		assert.Contains(t, a.Email(), "@", c.Provider().Name)
		assert.NoError(t, a.LastError())
	}
	n := 0
	for b, err := range admin.Bills(t.Context(), oc) {
		require.NoError(t, err)
		n++
		assert.Positive(t, b.Amount())
		assert.NotEmpty(t, b.Currency())
		assert.False(t, b.Date().IsZero())
	}
	assert.Equal(t, 5, n)

	// DigitalOcean's actions are jobs.
	d, err := do.Droplets(dc).First(t.Context())
	require.NoError(t, err)
	_, err = d.PowerCycle(t.Context())
	require.NoError(t, err)
	jobs := 0
	for j, err := range admin.Jobs(t.Context(), dc) {
		require.NoError(t, err)
		jobs++
		assert.Equal(t, "power_cycle", j.Name())
		assert.Equal(t, scope.StatePending, j.State())
		assert.False(t, j.Started().IsZero())
	}
	assert.Equal(t, 1, jobs)
}

func TestBreakStopsTheListing(t *testing.T) {
	dc, _ := doClient(t, 30)
	oc, _ := ovhClient(t, ovhtest.Config{DedicatedServers: 30})
	n := 0
	for _, err := range infrastructure.Servers(t.Context(), dc, oc) {
		require.NoError(t, err)
		if n++; n == 3 {
			break
		}
	}
	assert.Equal(t, 3, n)
}
