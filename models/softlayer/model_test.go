package softlayer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/softlayer"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/softlayer/softlayertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var fastRetry = transport.RetryPolicy{MaxAttempts: 4, MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxElapsed: 5 * time.Second}

// both runs f over REST and over XML-RPC, each against its own simulator.
func both(t *testing.T, cfg softlayertest.Config, f func(t *testing.T, s *softlayertest.Server, c *stratus.Client)) {
	for _, proto := range []string{"rest", "xmlrpc"} {
		t.Run(proto, func(t *testing.T) {
			s := softlayertest.NewServer(cfg)
			t.Cleanup(s.Close)
			u := s.RESTURL()
			if proto == "xmlrpc" {
				u = s.XMLRPCURL()
			}
			c, err := softlayer.New(softlayer.Credentials(s.Username(), s.APIKey()), softlayer.Endpoint(u),
				stratus.WithRetry(fastRetry), stratus.WithWaitInterval(time.Millisecond, time.Millisecond))
			require.NoError(t, err)
			f(t, s, c)
		})
	}
}

func TestRawCall(t *testing.T) {
	both(t, softlayertest.Config{Guests: 12}, func(t *testing.T, s *softlayertest.Server, c *stratus.Client) {
		ctx := context.Background()
		r, err := softlayer.Call(ctx, c, "Account", "getVirtualGuests", softlayer.WithMask("mask[id,hostname]"), softlayer.Limit(3), softlayer.Offset(2))
		require.NoError(t, err)
		require.True(t, r.IsArray())
		arr := r.Array()
		require.Len(t, arr, 3)
		assert.Equal(t, 12, r.Total)
		assert.Equal(t, "vs-test3", arr[0].Get("hostname").String())
		assert.False(t, arr[0].Get("domain").Exists())

		r, err = softlayer.Call(ctx, c, "SoftLayer_Virtual_Guest", "getObject", softlayer.ID(100), softlayer.WithMask("id;datacenter.name"))
		require.NoError(t, err)
		assert.Equal(t, "TEST00", r.Get("datacenter.name").String())
		assert.Equal(t, int64(100), r.Get("id").Int())

		r, err = softlayer.Call(ctx, c, "Dns_Domain", "createARecord", softlayer.ID(12345), softlayer.Params("www", "1.2.3.4", 900))
		require.NoError(t, err)
		assert.Equal(t, "a", r.Get("type").String())
		assert.Equal(t, int64(900), r.Get("ttl").Int())

		r, err = softlayer.Call(ctx, c, "Virtual_Guest", "powerOff", softlayer.ID(104))
		require.NoError(t, err)
		assert.Equal(t, "true", r.Raw)
	})
}

func TestListsAndPartialState(t *testing.T) {
	both(t, softlayertest.Config{Guests: 25}, func(t *testing.T, s *softlayertest.Server, c *stratus.Client) {
		ctx := context.Background()
		n, err := softlayer.Guests(c).Count(ctx)
		require.NoError(t, err)
		assert.Equal(t, 25, n)

		s.ResetRequests()
		gs, err := softlayer.Guests(c).Mask("id;hostname").PageSize(10).Collect(ctx)
		require.NoError(t, err)
		require.Len(t, gs, 25)
		assert.Equal(t, 3, s.Calls("Account", "getVirtualGuests"), "three pages of 10")
		for i := 1; i < len(gs); i++ {
			assert.Less(t, gs[i-1].ID(), gs[i].ID(), "stable order by id")
		}
		g := gs[0]
		assert.True(t, g.Partial())
		assert.Equal(t, "vs-test1", g.Hostname())
		assert.Equal(t, 0, s.Calls("Virtual_Guest", "getObject"), "masked fields need no load")
		assert.Equal(t, "TEST00", g.Datacenter())
		assert.Equal(t, "test.sftlyr.ws", g.Domain())
		assert.Equal(t, "vs-test1", g.Hostname())
		assert.Equal(t, 1, s.Calls("Virtual_Guest", "getObject"), "the missing fields load once")
		assert.False(t, g.Partial())

		// A lazy handle.
		h := softlayer.Guest(c, 104)
		assert.Equal(t, "vs-test2", h.Hostname())
		assert.Equal(t, 4, h.MaxCPU())
		assert.True(t, h.Hourly())
		assert.Equal(t, "RUNNING", h.PowerStateName())
		assert.True(t, h.Ready())

		// Filters.
		big, err := softlayer.Guests(c).Where("maxMemory", "> 4096").Where("hostname", "^= vs-test").Collect(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, big)
		for _, g := range big {
			assert.Greater(t, g.MaxMemory(), 4096)
		}
		dal, err := softlayer.ListInstances(c, softlayer.InstanceQuery{Datacenter: "dal10", Hourly: true}).Collect(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, dal)
		for _, g := range dal {
			assert.Equal(t, "dal10", g.Datacenter())
			assert.True(t, g.Hourly())
		}
		tagged, err := softlayer.ListInstances(c, softlayer.InstanceQuery{Tags: []string{"db"}}).Collect(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, tagged)
		for _, g := range tagged {
			assert.Contains(t, g.Tags(), "db")
		}
		desc, err := softlayer.Guests(c).OrderBy("maxMemory", true).Limit(3).Collect(ctx)
		require.NoError(t, err)
		require.Len(t, desc, 3)
		assert.GreaterOrEqual(t, desc[0].MaxMemory(), desc[2].MaxMemory())

		acct, err := softlayer.AccountWithMask(ctx, c, "mask[id,companyName]")
		require.NoError(t, err)
		assert.Equal(t, 1234, acct.ID())
		assert.Equal(t, "Stratus Test Company", acct.CompanyName())
		assert.Equal(t, "jane.doe@example.com", acct.Email())
	})
}

func TestCreateWaitDelete(t *testing.T) {
	both(t, softlayertest.Config{}, func(t *testing.T, s *softlayertest.Server, c *stratus.Client) {
		ctx := context.Background()
		_, err := softlayer.CreateInstance(ctx, c, softlayer.Instance{Domain: "example.com", CPUs: 1, MemoryMB: 1024, OSCode: "UBUNTU_LATEST", Datacenter: "dal10"})
		require.ErrorIs(t, err, stratus.ErrInvalid)
		_, err = softlayer.CreateInstance(ctx, c, softlayer.Instance{Hostname: "a", Domain: "example.com", CPUs: 1, MemoryMB: 1024, OSCode: "X", Image: "Y", Datacenter: "dal10"})
		require.ErrorIs(t, err, stratus.ErrInvalid)
		assert.Equal(t, 0, s.Calls("Virtual_Guest", ""), "refused before any request")

		g, err := softlayer.CreateInstance(ctx, c, softlayer.Instance{Hostname: "web1", Domain: "example.com", CPUs: 2, MemoryMB: 2048,
			Hourly: true, OSCode: "UBUNTU_LATEST", Datacenter: "dal10", Tags: []string{"web"}})
		require.NoError(t, err)
		assert.False(t, g.Ready())
		polls := 0
		err = g.WaitReady(ctx, stratus.WaitOptions{Progress: func(p stratus.WaitProgress) {
			polls++
			s.Advance(15 * time.Second)
		}})
		require.NoError(t, err)
		assert.True(t, g.Ready())
		assert.False(t, g.ProvisionDate().IsZero())
		assert.GreaterOrEqual(t, polls, 4)
		assert.Equal(t, []string{"web"}, g.Tags())
		assert.Equal(t, "dal10", g.Datacenter())

		require.NoError(t, g.PowerOff(ctx))
		st, err := g.PowerState(ctx)
		require.NoError(t, err)
		assert.Equal(t, "HALTED", st)
		require.NoError(t, g.Delete(ctx))
		ok, err := g.Exists(ctx)
		require.NoError(t, err)
		assert.False(t, ok)
	})
}

func TestHardwareAndDNS(t *testing.T) {
	both(t, softlayertest.Config{}, func(t *testing.T, s *softlayertest.Server, c *stratus.Client) {
		ctx := context.Background()
		hw, err := softlayer.ListHardware(c, softlayer.HardwareQuery{Memory: "> 8"}).Collect(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, hw)
		for _, h := range hw {
			assert.Greater(t, h.MemoryGB(), uint(8))
		}
		small, err := softlayer.ListHardware(c, softlayer.HardwareQuery{Memory: "<= 8"}).Count(ctx)
		require.NoError(t, err)
		assert.Positive(t, small)

		z, err := softlayer.CreateZone(ctx, c, "stratus.example", 0)
		require.NoError(t, err)
		rec, err := z.CreateARecord(ctx, "www", "10.0.0.1", 0)
		require.NoError(t, err)
		assert.Equal(t, softlayer.DefaultTTL, rec.TTL())
		_, err = softlayer.CreateRecord(ctx, c, z.ID(), "mail", "MX", "mx.stratus.example", 3600)
		require.NoError(t, err)
		zz, recs, err := softlayer.ZoneWithRecords(ctx, c, z.ID())
		require.NoError(t, err)
		assert.Equal(t, "stratus.example", zz.Name())
		assert.Len(t, recs, 2)
		as, err := softlayer.Records(c, z.ID(), softlayer.RecordQuery{Type: "a"}).Collect(ctx)
		require.NoError(t, err)
		require.Len(t, as, 1)
		assert.Equal(t, "10.0.0.1", as[0].Data())
		dump, err := softlayer.DumpZone(ctx, c, z.ID())
		require.NoError(t, err)
		assert.Contains(t, dump, "www 7200 IN A 10.0.0.1")

		dcs, err := softlayer.Datacenters(c).Where("name", "dal10").Collect(ctx)
		require.NoError(t, err)
		require.Len(t, dcs, 1)
		assert.Equal(t, "Dallas 10", dcs[0].LongName())

		pk, err := softlayer.Packages(c).Where("type.keyName", "VIRTUAL_SERVER_INSTANCE").First(ctx)
		require.NoError(t, err)
		items, err := pk.Items().Collect(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, items)
		assert.NotEmpty(t, items[0].Prices())
	})
}

func TestErrors(t *testing.T) {
	both(t, softlayertest.Config{}, func(t *testing.T, s *softlayertest.Server, c *stratus.Client) {
		ctx := context.Background()
		err := softlayer.Guest(c, 42).Load(ctx)
		require.ErrorIs(t, err, stratus.ErrNotFound)
		var se *stratus.Error
		require.True(t, errors.As(err, &se))
		assert.Equal(t, "SoftLayer_Exception_ObjectNotFound", se.Code)
		assert.Contains(t, se.Message, "Unable to find object with id of '42'.")

		s.InjectNext(softlayertest.FaultRateLimit, softlayertest.FaultRateLimit)
		s.ResetRequests()
		r, err := softlayer.Call(ctx, c, "Dns_Domain", "createARecord", softlayer.ID(12345), softlayer.Params("api", "10.1.1.1", 60))
		require.NoError(t, err, "the rate-limit exception is a throttle: retried, even for a POST")
		assert.Equal(t, "api", r.Get("host").String())
		assert.Equal(t, 3, s.Requests())

		s.InjectNext(softlayertest.FaultRateLimit, softlayertest.FaultRateLimit, softlayertest.FaultRateLimit, softlayertest.FaultRateLimit)
		_, err = softlayer.Call(ctx, c, "Account", "getObject")
		require.ErrorIs(t, err, stratus.ErrRateLimited)
		require.True(t, errors.As(err, &se))
		assert.Equal(t, "SoftLayer_Exception_WebService_RateLimitExceeded", se.Code)
		assert.Equal(t, 500, se.Status)

		bad, err := softlayer.New(softlayer.Credentials(s.Username(), "wrong-key-0000"), stratus.WithBaseURL(c.BaseURL()))
		require.NoError(t, err)
		_, err = softlayer.Call(ctx, bad, "Account", "getObject")
		require.ErrorIs(t, err, stratus.ErrUnauthorized)
		assert.Contains(t, err.Error(), "Invalid API token.")
		assert.NotContains(t, err.Error(), "wrong-key-0000")
		assert.NotContains(t, err.Error(), s.APIKey())
	})
}
