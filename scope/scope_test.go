package scope_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/scope"
	"github.com/stratus-cloud/stratus/scope/admin"
	"github.com/stratus-cloud/stratus/scope/geography"
	"github.com/stratus-cloud/stratus/scope/infrastructure"
	"github.com/stratus-cloud/stratus/scope/network"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
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
	assert.Equal(t, map[string]int{"droplet": 7, "dedicated_server": 5, "cloud_instance": 6}, kinds)
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

func esClient(t *testing.T, servers int) (*stratus.Client, *enstratustest.Server) {
	t.Helper()
	srv := enstratustest.NewServer(enstratustest.Config{Servers: servers})
	t.Cleanup(srv.Close)
	c, err := enstratus.New(enstratus.Keys(srv.AccessKey(), srv.SecretKey()), stratus.WithBaseURL(srv.URL()), stratus.WithClock(srv.Now), fast)
	require.NoError(t, err)
	return c, srv
}

// mixcoatl's Cloud(1), through the neutral scope.
func TestCloudIsLazyLikeMixcoatl(t *testing.T) {
	c, srv := esClient(t, 1)
	cl := geography.Cloud(c, 1)
	assert.Zero(t, srv.Requests(), "making the handle sends nothing")
	assert.Equal(t, "Amazon Web Services", cl.Name())
	assert.Equal(t, 1, srv.Requests(), "reading the name sends one request")
	assert.Equal(t, "Amazon", cl.CloudProvider())
	var out strings.Builder
	require.NoError(t, cl.Pprint(&out))
	assert.Equal(t, 1, srv.Requests())
	assert.Contains(t, out.String(), `"path": "geography/Cloud/1"`)
	assert.Contains(t, out.String(), `"last_error": null`)
	assert.Contains(t, out.String(), `"name": "Amazon Web Services"`)

	missing := geography.Cloud(c, 999999)
	assert.Empty(t, missing.Name(), "getters give zero values, not the message")
	require.Error(t, missing.LastError())
	assert.ErrorIs(t, missing.LastError(), stratus.ErrNotFound)
	assert.Contains(t, missing.LastError().Error(), "No such")
}

// Every server of three clouds, in one loop.
func TestServersOfThreeClouds(t *testing.T) {
	dc, _ := doClient(t, 4)
	oc, _ := ovhClient(t, ovhtest.Config{DedicatedServers: 3, Projects: 1, Instances: 2})
	ec, _ := esClient(t, 5)
	count := map[string]int{}
	withIP := map[string]int{}
	for s, err := range infrastructure.Servers(t.Context(), dc, oc, ec) {
		require.NoError(t, err)
		count[s.Provider()]++
		assert.NotEmpty(t, s.Name())
		assert.Contains(t, neutralStates, s.State(), "%s %s: %q", s.Provider(), s.Name(), s.NativeState())
		if s.PublicIP() != "" {
			withIP[s.Provider()]++
		}
	}
	assert.Equal(t, map[string]int{"digitalocean": 4, "ovh": 5, "enstratus": 5}, count)
	for _, p := range []string{"digitalocean", "ovh", "enstratus"} {
		assert.Positive(t, withIP[p], "%s servers have public addresses", p)
	}
}

func TestEnstratusPerRegionKinds(t *testing.T) {
	c, _ := esClient(t, 1)
	for _, kind := range []string{scope.KindDataCenter, scope.KindMachineImage, scope.KindSize, scope.KindFirewall} {
		n := 0
		for it, err := range scope.List(t.Context(), kind, c) {
			require.NoError(t, err, kind)
			n++
			assert.NotEmpty(t, it.String(scope.FieldName), kind)
		}
		assert.Positive(t, n, kind)
	}
	for dc, err := range geography.DataCenters(t.Context(), c) {
		require.NoError(t, err)
		assert.NotEmpty(t, dc.RegionID())
	}
	for j, err := range admin.Jobs(t.Context(), c) {
		require.NoError(t, err)
		assert.Contains(t, []string{scope.StatePending, scope.StateComplete, scope.StateError}, j.State())
	}
}
