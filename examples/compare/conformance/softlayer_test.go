package conformance

import (
	"net/http"
	"testing"
	"time"

	"github.com/softlayer/softlayer-go/datatypes"
	"github.com/softlayer/softlayer-go/filter"
	"github.com/softlayer/softlayer-go/services"
	"github.com/softlayer/softlayer-go/session"
	"github.com/softlayer/softlayer-go/sl"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/transport/softlayer/softlayertest"
)

// slBoth runs f with softlayer-go over REST and over XML-RPC, each against
// its own simulator. The session is built as a struct, not by session.New,
// so that no environment variable or ~/.softlayer of the machine is read.
func slBoth(t *testing.T, cfg softlayertest.Config, f func(t *testing.T, srv *softlayertest.Server, sess *session.Session)) {
	for _, proto := range []string{"rest", "xmlrpc"} {
		t.Run(proto, func(t *testing.T) {
			srv := softlayertest.NewServer(cfg)
			t.Cleanup(srv.Close)
			ep := srv.RESTURL()
			if proto == "xmlrpc" {
				ep = srv.XMLRPCURL()
			}
			sess := &session.Session{UserName: srv.Username(), APIKey: srv.APIKey(), Endpoint: ep,
				Timeout: 10 * time.Second, HTTPClient: &http.Client{Transport: &http.Transport{}}}
			f(t, srv, sess)
		})
	}
}

func slError(t *testing.T, err error) sl.Error {
	t.Helper()
	require.Error(t, err)
	e, ok := err.(sl.Error)
	require.True(t, ok, "%T: %v", err, err)
	return e
}

func TestSoftLayerMasks(t *testing.T) {
	slBoth(t, softlayertest.Config{}, func(t *testing.T, srv *softlayertest.Server, sess *session.Session) {
		acct, err := services.GetAccountService(sess).Mask("id;companyName").GetObject()
		require.NoError(t, err)
		require.NotNil(t, acct.Id)
		assert.Equal(t, 1234, *acct.Id)
		require.NotNil(t, acct.CompanyName)
		assert.Nil(t, acct.Email, "only the named local properties")

		g, err := services.GetVirtualGuestService(sess).Id(100).Mask("mask[id,hostname,datacenter[name],powerState]").GetObject()
		require.NoError(t, err)
		assert.Equal(t, "vs-test1", *g.Hostname)
		require.NotNil(t, g.Datacenter)
		assert.Equal(t, "TEST00", *g.Datacenter.Name)
		assert.Nil(t, g.Datacenter.Id)
		assert.Equal(t, "RUNNING", *g.PowerState.KeyName)
		assert.Nil(t, g.Domain)

		g, err = services.GetVirtualGuestService(sess).Id(104).GetObject()
		require.NoError(t, err)
		assert.Equal(t, "test.sftlyr.ws", *g.Domain)
		assert.Equal(t, 4096, *g.MaxMemory)
		assert.True(t, *g.HourlyBillingFlag)
		assert.Nil(t, g.Datacenter, "relational properties only when masked")
		require.NotNil(t, g.CreateDate)
		assert.False(t, g.CreateDate.IsZero(), "an RFC 3339 date")
	})
}

func TestSoftLayerFiltersAndLimits(t *testing.T) {
	slBoth(t, softlayertest.Config{Guests: 23}, func(t *testing.T, srv *softlayertest.Server, sess *session.Session) {
		var page []datatypes.Virtual_Guest
		limit, offset := 5, 10
		opts := sl.Options{Mask: "mask[id,hostname]", Limit: &limit, Offset: &offset}
		require.NoError(t, sess.DoRequest("SoftLayer_Account", "getVirtualGuests", nil, &opts, &page))
		require.Len(t, page, 5)
		assert.Equal(t, 210, *page[0].Id, "offset 10 of the list ordered by id (100, 104, then 202...)")
		if sess.Endpoint == srv.RESTURL() {
			// softlayer-go reads SoftLayer-Total-Items on REST only.
			assert.Equal(t, 23, opts.TotalItems, "SoftLayer-Total-Items")
			assert.Equal(t, 4, opts.GetRemainingAPICalls(), "ceil((23-5)/5)")
		}

		// softlayer-go's own paging loop: limit and offset until the total.
		var all []datatypes.Virtual_Guest
		for off := 0; ; off += 10 {
			chunk, err := services.GetAccountService(sess).Mask("id").Limit(10).Offset(off).GetVirtualGuests()
			require.NoError(t, err)
			all = append(all, chunk...)
			if len(chunk) < 10 {
				break
			}
		}
		assert.Len(t, all, 23)

		f := filter.New(
			filter.Path("virtualGuests.hostname").StartsWith("vs-test1"),
			filter.Path("virtualGuests.maxMemory").GreaterThan(1024),
			filter.Path("virtualGuests.id").OrderBy("DESC"),
		).Build()
		gs, err := services.GetAccountService(sess).Mask("id;hostname;maxMemory").Filter(f).GetVirtualGuests()
		require.NoError(t, err)
		require.NotEmpty(t, gs)
		for i, g := range gs {
			assert.Contains(t, *g.Hostname, "vs-test1")
			assert.Greater(t, *g.MaxMemory, 1024)
			if i > 0 {
				assert.Less(t, *g.Id, *gs[i-1].Id, "ordered by id, descending")
			}
		}

		dal := filter.Build(filter.Path("virtualGuests.datacenter.name").Eq("dal10"))
		gs, err = services.GetAccountService(sess).Mask("id;datacenter.name").Filter(dal).GetVirtualGuests()
		require.NoError(t, err)
		require.NotEmpty(t, gs)
		for _, g := range gs {
			assert.Equal(t, "dal10", *g.Datacenter.Name)
		}

		tags := filter.Build(filter.Path("virtualGuests.tagReferences.tag.name").In("db", "web"))
		gs, err = services.GetAccountService(sess).Mask("id;tagReferences.tag.name").Filter(tags).GetVirtualGuests()
		require.NoError(t, err)
		require.NotEmpty(t, gs)

		dcs, err := services.GetLocationDatacenterService(sess).Filter(filter.Build(filter.Path("name").EndsWith("10"))).GetDatacenters()
		require.NoError(t, err)
		require.Len(t, dcs, 1)
		assert.Equal(t, "Dallas 10", *dcs[0].LongName)
	})
}

func TestSoftLayerCreateGetDelete(t *testing.T) {
	slBoth(t, softlayertest.Config{ProvisionStep: time.Second}, func(t *testing.T, srv *softlayertest.Server, sess *session.Session) {
		svc := services.GetVirtualGuestService(sess)
		tpl := datatypes.Virtual_Guest{
			Hostname: sl.String("go1"), Domain: sl.String("example.com"), StartCpus: sl.Int(2), MaxMemory: sl.Int(2048),
			HourlyBillingFlag: sl.Bool(true), LocalDiskFlag: sl.Bool(false), OperatingSystemReferenceCode: sl.String("UBUNTU_LATEST"),
			Datacenter: &datatypes.Location{Name: sl.String("dal09")},
		}
		g, err := svc.CreateObject(&tpl)
		require.NoError(t, err)
		require.NotNil(t, g.Id)
		assert.Equal(t, "go1.example.com", *g.FullyQualifiedDomainName)

		got, err := svc.Id(*g.Id).Mask("id;hostname;activeTransaction.transactionStatus.name;provisionDate").GetObject()
		require.NoError(t, err)
		require.NotNil(t, got.ActiveTransaction, "provisioning")
		assert.Nil(t, got.ProvisionDate)
		srv.Advance(5 * time.Second)
		got, err = svc.Id(*g.Id).Mask("id;activeTransaction;provisionDate").GetObject()
		require.NoError(t, err)
		assert.Nil(t, got.ActiveTransaction, "ready")
		require.NotNil(t, got.ProvisionDate)

		ok, err := svc.Id(*g.Id).PowerOff()
		require.NoError(t, err)
		assert.True(t, ok)
		ps, err := svc.Id(*g.Id).GetPowerState()
		require.NoError(t, err)
		assert.Equal(t, "HALTED", *ps.KeyName)

		ok, err = svc.Id(*g.Id).DeleteObject()
		require.NoError(t, err)
		assert.True(t, ok)
		_, err = svc.Id(*g.Id).GetObject()
		e := slError(t, err)
		assert.Equal(t, "SoftLayer_Exception_ObjectNotFound", e.Exception)

		_, err = svc.CreateObject(&datatypes.Virtual_Guest{Domain: sl.String("example.com")})
		e = slError(t, err)
		assert.Equal(t, "SoftLayer_Exception_MissingCreationProperty", e.Exception)
	})
}

func TestSoftLayerHardwareMemoryFilter(t *testing.T) {
	slBoth(t, softlayertest.Config{Hardware: 9}, func(t *testing.T, srv *softlayertest.Server, sess *session.Session) {
		f := filter.Build(filter.Path("hardware.memoryCapacity").GreaterThan(8))
		hw, err := services.GetAccountService(sess).Mask("id;hostname;memoryCapacity;datacenter.name").Filter(f).GetHardware()
		require.NoError(t, err)
		require.NotEmpty(t, hw)
		for _, h := range hw {
			assert.Greater(t, *h.MemoryCapacity, uint(8))
		}
		all, err := services.GetAccountService(sess).Mask("id;memoryCapacity").GetHardware()
		require.NoError(t, err)
		assert.Len(t, all, 9)
		assert.Less(t, len(hw), len(all))
		h, err := services.GetHardwareServerService(sess).Id(1000).GetObject()
		require.NoError(t, err)
		assert.Equal(t, "hardware-test1", *h.Hostname)
	})
}

func TestSoftLayerDNS(t *testing.T) {
	slBoth(t, softlayertest.Config{}, func(t *testing.T, srv *softlayertest.Server, sess *session.Session) {
		zone, err := services.GetDnsDomainService(sess).CreateObject(&datatypes.Dns_Domain{Name: sl.String("go.example")})
		require.NoError(t, err)
		require.NotNil(t, zone.Id)
		rec, err := services.GetDnsDomainService(sess).Id(*zone.Id).CreateARecord(sl.String("www"), sl.String("192.0.2.10"), sl.Int(900))
		require.NoError(t, err)
		assert.Equal(t, "a", *rec.Type)
		assert.Equal(t, 900, *rec.Ttl)
		recs, err := services.GetDnsDomainService(sess).Id(*zone.Id).GetResourceRecords()
		require.NoError(t, err)
		require.Len(t, recs, 1)
		assert.Equal(t, "192.0.2.10", *recs[0].Data)
		doms, err := services.GetAccountService(sess).Filter(filter.Build(filter.Path("domains.name").Eq("go.example"))).GetDomains()
		require.NoError(t, err)
		require.Len(t, doms, 1)
		assert.Equal(t, uint(1), *doms[0].ResourceRecordCount)
		ok, err := services.GetDnsDomainService(sess).Id(*zone.Id).DeleteObject()
		require.NoError(t, err)
		assert.True(t, ok)
	})
}

func TestSoftLayerErrors(t *testing.T) {
	slBoth(t, softlayertest.Config{}, func(t *testing.T, srv *softlayertest.Server, sess *session.Session) {
		_, err := services.GetVirtualGuestService(sess).Id(42).GetObject()
		e := slError(t, err)
		assert.Equal(t, "SoftLayer_Exception_ObjectNotFound", e.Exception)
		assert.Equal(t, "Unable to find object with id of '42'.", e.Message)

		bad := *sess
		bad.APIKey = "not-the-key"
		_, err = services.GetAccountService(&bad).GetObject()
		e = slError(t, err)
		assert.Equal(t, "Invalid API token.", e.Message)

		srv.InjectNext(softlayertest.FaultRateLimit)
		_, err = services.GetAccountService(sess).GetObject()
		e = slError(t, err)
		assert.Equal(t, "SoftLayer_Exception_WebService_RateLimitExceeded", e.Exception)

		// softlayer-go retries the rate-limit exception itself once asked
		// to. Over XML-RPC it cannot: its RPC client shuts down on the
		// first fault, so the retry fails whatever the server says.
		if sess.Endpoint != srv.RESTURL() {
			return
		}
		retrying := *sess
		retrying.Retries, retrying.RetryWait = 3, time.Millisecond
		srv.InjectNext(softlayertest.FaultRateLimit)
		acct, err := services.GetAccountService(&retrying).GetObject()
		require.NoError(t, err)
		assert.Equal(t, 1234, *acct.Id)
	})
}
