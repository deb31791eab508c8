package enstratus_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListingTwoHundredServersIsOneRequest(t *testing.T) {
	c, srv, rec := newTestClient(t, enstratustest.Config{Servers: 200})
	ctx := context.Background()

	var servers []*es.ServerHandle
	for s, err := range es.Servers(c).All(ctx) {
		require.NoError(t, err)
		servers = append(servers, s)
	}
	require.Len(t, servers, 200)
	assert.Equal(t, 1, srv.Requests(), "one request, not 201 as mixcoatl's N+1")
	assert.Equal(t, "basic", rec.last().details, "lists ask for basic detail")
	assert.NotContains(t, rec.last().query, es.DetailKey, "the detail travels in the header only")

	ids := make([]int, 0, 200)
	for _, s := range servers {
		assert.True(t, s.Loaded())
		assert.True(t, s.Partial(), "items of a basic list are partial")
		assert.NotEmpty(t, s.Name())
		assert.NotEmpty(t, s.Status())
		assert.NotZero(t, s.RegionID())
		assert.NotZero(t, s.DataCenterID())
		ids = append(ids, s.ID())
	}
	assert.Equal(t, srv.ServerIDs(), toInt64(ids))
	assert.Equal(t, 1, srv.Requests(), "what the list carries costs nothing")

	// The basic list has the cloud as {"cloudId":1}: its name is not there.
	s := servers[57]
	assert.Equal(t, "Amazon Web Services", s.Field("cloud.name").String())
	assert.Equal(t, 2, srv.Requests())
	assert.Zero(t, srv.RequestsTo("GET", "infrastructure/Server/"+strconv.Itoa(s.ID())), "no item load")
	assert.Equal(t, "extended", rec.last().details, "the page is listed once more, in full")
	assert.False(t, s.Partial())
	assert.Equal(t, "Amazon Web Services", s.Cloud().Name())
	// Every item of the page is whole now: reading any field of any of
	// them, present or not, sends nothing.
	for _, o := range servers {
		assert.False(t, o.Partial())
		assert.Equal(t, "Amazon Web Services", o.Field("cloud.name").String())
		assert.Empty(t, o.Field("no.such.field").String())
	}
	assert.Equal(t, 2, srv.Requests(), "two requests for 200 servers, not 201")
}

func TestDetailLevels(t *testing.T) {
	c, srv, rec := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()

	basic, err := es.Servers(c).Basic().First(ctx)
	require.NoError(t, err)
	assert.Equal(t, "basic", rec.last().details)
	assert.True(t, basic.Partial())
	assert.False(t, basic.Peek("cloud.name").Exists())
	assert.EqualValues(t, 1, basic.Peek("cloud.cloudId").Int())

	ext, err := es.Servers(c).Extended().First(ctx)
	require.NoError(t, err)
	assert.Equal(t, "extended", rec.last().details)
	assert.False(t, ext.Partial(), "an extended list gives whole objects")
	assert.Equal(t, "Amazon Web Services", ext.Peek("cloud.name").String())

	none, err := es.Servers(c).None().First(ctx)
	require.NoError(t, err)
	assert.Equal(t, "none", rec.last().details)
	assert.False(t, none.Peek("region").Exists())
	assert.Equal(t, 3, srv.Requests())

	// Each level is cached on its own.
	_, err = es.Servers(c).Basic().Collect(ctx)
	require.NoError(t, err)
	_, err = es.Servers(c).Extended().Collect(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Requests(), "the same lists again come from the cache")
	assert.Equal(t, "basic", es.Servers(c).Detail())
	assert.Equal(t, "extended", es.Servers(c).Extended().Detail())

	// A none item lacks its references: reading one loads that item.
	assert.Equal(t, basic.RegionID(), none.RegionID())
	assert.Equal(t, 4, srv.Requests())

	// Firewall and firewall-rule lists ask for none, as mixcoatl did.
	fw, err := es.Firewalls(c).InRegion(19344).First(ctx)
	require.NoError(t, err)
	assert.Equal(t, "none", rec.last().details)
	assert.Equal(t, "none", es.Firewalls(c).Detail())
	assert.False(t, fw.Peek("region").Exists())
	assert.NotEmpty(t, fw.Name())
	_, err = es.FirewallRules(c).Collect(ctx)
	require.NoError(t, err)
	assert.Equal(t, "none", rec.last().details)
	before := srv.Requests()
	assert.Equal(t, 19344, fw.RegionID(), "a none item loads for its references")
	assert.Equal(t, before+1, srv.Requests())
	_, err = es.Firewalls(c).InRegion(19344).Basic().Collect(ctx)
	require.NoError(t, err)
	assert.Equal(t, "basic", rec.last().details)
}

func TestKeysOnlySendsOneRequestAndLoadsNothing(t *testing.T) {
	c, srv, rec := newTestClient(t, enstratustest.Config{Servers: 50})
	ctx := context.Background()
	ids, err := es.Servers(c).IDs(ctx)
	require.NoError(t, err)
	assert.Equal(t, srv.ServerIDs(), toInt64(ids))
	assert.Equal(t, 1, srv.Requests())
	assert.Equal(t, "none", rec.last().details, "keys only asks for the smallest answer")

	dcs, err := es.DataCenters(c).InRegion(19344).IDs(ctx)
	require.NoError(t, err)
	assert.Equal(t, []int{64351, 64352, 64353}, dcs)

	keys, err := es.APIKeys(c).Keys(ctx)
	require.NoError(t, err)
	assert.Contains(t, keys, srv.AccessKey())
	assert.Contains(t, keys, "ABCDEFGHIJKL")
	_, err = es.APIKeys(c).IDs(ctx)
	assert.ErrorIs(t, err, stratus.ErrMalformed, "access keys are not numbers")
	assert.Equal(t, 3, srv.RequestsTo("GET", ""), "ids read no item; the second API key list came from the cache")

	n, err := es.Servers(c).Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 50, n)
	assert.Equal(t, 4, srv.Requests(), "a count is one request")
}

func toInt64(ids []int) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out
}

func TestRequiredFiltersAreCheckedBeforeSending(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()
	checks := []struct {
		name string
		run  func() error
	}{
		{"data centers", func() error { _, err := es.DataCenters(c).Collect(ctx); return err }},
		{"machine images", func() error { _, err := es.MachineImages(c).Collect(ctx); return err }},
		{"server products", func() error { _, err := es.ServerProducts(c).Count(ctx); return err }},
		{"firewalls", func() error { _, err := es.Firewalls(c).First(ctx); return err }},
		{"firewall ids", func() error { _, err := es.Firewalls(c).IDs(ctx); return err }},
		{"region 0", func() error { _, err := es.DataCenters(c).InRegion(0).Collect(ctx); return err }},
		{"extended without region", func() error { _, err := es.MachineImages(c).Extended().Keys(ctx); return err }},
		{"after base refinements", func() error { _, err := es.DataCenters(c).Limit(2).Fresh().PageSize(5).Collect(ctx); return err }},
		{"all", func() error {
			for _, err := range es.DataCenters(c).All(ctx) {
				return err
			}
			return nil
		}},
		{"pages", func() error {
			for _, err := range es.ServerProducts(c).Pages(ctx) {
				return err
			}
			return nil
		}},
	}
	for _, tt := range checks {
		err := tt.run()
		assert.ErrorIs(t, err, stratus.ErrInvalid, tt.name)
		assert.ErrorContains(t, err, "InRegion(regionID)", tt.name)
	}
	assert.Equal(t, 0, srv.Requests(), "nothing was sent")

	_, err := es.Firewalls(c).InRegion(19344).Filter("name", "x").Collect(ctx)
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.ErrorContains(t, err, `no filter "name"; accepted: regionId (region) required`)
	assert.Equal(t, 0, srv.Requests(), "nothing was sent")

	dcs, err := es.DataCenters(c).InRegion(19344).Collect(ctx)
	require.NoError(t, err)
	assert.Len(t, dcs, 3)
	assert.Equal(t, 1, srv.Requests())
	for name, l := range map[string]es.DataCenterList{
		"limit then region":  es.DataCenters(c).Limit(2).InRegion(19344),
		"region then limit":  es.DataCenters(c).InRegion(19344).Limit(2),
		"alias, any order":   es.DataCenters(c).Fresh().Filter("region", "19344").Extended().Limit(2),
		"detail then region": es.DataCenters(c).None().Limit(2).InRegion(19344),
	} {
		got, err := l.Collect(ctx)
		require.NoError(t, err, name)
		assert.Len(t, got, 2, name)
	}
}

func TestFiltersNarrow(t *testing.T) {
	c, _, rec := newTestClient(t, enstratustest.Config{Servers: 30})
	ctx := context.Background()

	all, err := es.Clouds(c).Collect(ctx)
	require.NoError(t, err)
	public, err := es.Clouds(c).PublicOnly().Collect(ctx)
	require.NoError(t, err)
	assert.Contains(t, rec.last().query, "publicOnly=true")
	assert.Len(t, public, len(all), "mixcoatl's 29 clouds are all public")
	for _, cl := range public {
		assert.False(t, cl.PrivateCloud(), cl.Name())
	}
	inactive, err := es.Clouds(c).Status("INACTIVE").Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, inactive)
	for _, cl := range inactive {
		assert.Equal(t, "INACTIVE", cl.Status())
	}

	us, err := es.Regions(c).Jurisdiction("US").Collect(ctx)
	require.NoError(t, err)
	regions, err := es.Regions(c).Collect(ctx)
	require.NoError(t, err)
	assert.Less(t, len(us), len(regions))
	for _, r := range us {
		assert.Equal(t, "US", r.Jurisdiction())
	}

	dcs, err := es.DataCenters(c).InRegion(19344).Collect(ctx)
	require.NoError(t, err)
	assert.Contains(t, rec.last().query, "regionId=19344")
	for _, dc := range dcs {
		assert.Equal(t, 19344, dc.RegionID())
		assert.True(t, strings.HasPrefix(dc.Name(), "us-west-2"))
	}

	servers, err := es.Servers(c).Collect(ctx)
	require.NoError(t, err)
	oregon, err := es.Servers(c).InRegion(19344).Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, oregon)
	assert.Less(t, len(oregon), len(servers))
	for _, s := range oregon {
		assert.Equal(t, 19344, s.RegionID())
	}

	imgs, err := es.MachineImages(c).InRegion(19344).Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, imgs)
	for _, im := range imgs {
		assert.Equal(t, 19344, im.RegionID())
	}
	prods, err := es.ServerProducts(c).InRegion(19344).Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, prods)
	for _, p := range prods {
		assert.Equal(t, "us-west-2", p.ProviderRegionID())
	}

	rules, err := es.FirewallRules(c).Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, rules)
	fw := rules[0].FirewallID()
	mine, err := es.Firewall(c, fw).Rules().Collect(ctx)
	require.NoError(t, err)
	assert.Contains(t, rec.last().query, "firewallId="+strconv.Itoa(fw))
	assert.NotEmpty(t, mine)
	assert.LessOrEqual(t, len(mine), len(rules))
	for _, r := range mine {
		assert.Equal(t, fw, r.FirewallID())
	}

	aws, err := es.Accounts(c).ForCloud(1).IDs(ctx)
	require.NoError(t, err)
	assert.Equal(t, []int{16000}, aws)
	azure, err := es.Accounts(c).ForCloud(4).IDs(ctx)
	require.NoError(t, err)
	assert.Empty(t, azure)
}

// TestEveryKindLoadsByIDAndLists lists each kind (with its required
// filter), then loads the first item by id through a fresh handle.
func TestEveryKindLoadsByIDAndLists(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()
	type check struct {
		kind string
		list func() ([]string, error)
		load func(id string) (stratus.Object, string) // the handle and a field read from it
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	keys := func(l interface {
		Keys(context.Context) ([]string, error)
	}) func() ([]string, error) {
		return func() ([]string, error) { return l.Keys(ctx) }
	}
	checks := []check{
		{kind: "cloud", list: keys(es.Clouds(c)), load: func(id string) (stratus.Object, string) { h := es.Cloud(c, atoi(id)); return h, h.Name() }},
		{kind: "region", list: keys(es.Regions(c)), load: func(id string) (stratus.Object, string) { h := es.Region(c, atoi(id)); return h, h.ProviderID() }},
		{kind: "data_center", list: keys(es.DataCenters(c).InRegion(19344)), load: func(id string) (stratus.Object, string) {
			h := es.DataCenter(c, atoi(id))
			return h, h.Name()
		}},
		{kind: "subscription", list: keys(es.Subscriptions(c)), load: func(id string) (stratus.Object, string) {
			h := es.Subscription(c, atoi(id))
			return h, strconv.FormatBool(h.Subscribed("Server"))
		}},
		{kind: "server", list: keys(es.Servers(c)), load: func(id string) (stratus.Object, string) { h := es.Server(c, atoi(id)); return h, h.Name() }},
		{kind: "machine_image", list: keys(es.MachineImages(c).InRegion(19344)), load: func(id string) (stratus.Object, string) {
			h := es.MachineImage(c, atoi(id))
			return h, h.ProviderID()
		}},
		{kind: "server_product", list: keys(es.ServerProducts(c).InRegion(19344)), load: func(id string) (stratus.Object, string) {
			h := es.ServerProduct(c, atoi(id))
			return h, h.ProviderProductID()
		}},
		{kind: "volume", list: keys(es.Volumes(c)), load: func(id string) (stratus.Object, string) { h := es.Volume(c, atoi(id)); return h, h.ProviderID() }},
		{kind: "snapshot", list: keys(es.Snapshots(c)), load: func(id string) (stratus.Object, string) { h := es.Snapshot(c, atoi(id)); return h, h.ProviderID() }},
		{kind: "firewall", list: keys(es.Firewalls(c).InRegion(19344)), load: func(id string) (stratus.Object, string) {
			h := es.Firewall(c, atoi(id))
			return h, h.ProviderID()
		}},
		{kind: "firewall_rule", list: keys(es.FirewallRules(c)), load: func(id string) (stratus.Object, string) {
			h := es.FirewallRule(c, atoi(id))
			return h, h.Protocol()
		}},
		{kind: "load_balancer", list: keys(es.LoadBalancers(c)), load: func(id string) (stratus.Object, string) {
			h := es.LoadBalancer(c, atoi(id))
			return h, h.Address()
		}},
		{kind: "account", list: keys(es.Accounts(c)), load: func(id string) (stratus.Object, string) { h := es.Account(c, atoi(id)); return h, h.Name() }},
		{kind: "user", list: keys(es.Users(c)), load: func(id string) (stratus.Object, string) { h := es.User(c, atoi(id)); return h, h.Email() }},
		{kind: "job", list: keys(es.Jobs(c)), load: func(id string) (stratus.Object, string) { h := es.Job(c, atoi(id)); return h, h.Status() }},
		{kind: "api_key", list: keys(es.APIKeys(c)), load: func(id string) (stratus.Object, string) { h := es.APIKey(c, id); return h, h.State() }},
		{kind: "billing_code", list: keys(es.BillingCodes(c)), load: func(id string) (stratus.Object, string) {
			h := es.BillingCode(c, atoi(id))
			return h, h.FinanceCode()
		}},
		{kind: "group", list: keys(es.Groups(c)), load: func(id string) (stratus.Object, string) { h := es.Group(c, atoi(id)); return h, h.Name() }},
		{kind: "role", list: keys(es.Roles(c)), load: func(id string) (stratus.Object, string) { h := es.Role(c, atoi(id)); return h, h.Name() }},
	}
	seen := map[string]bool{}
	for _, k := range es.Provider.Kinds {
		seen[k.Name] = false
	}
	for _, ch := range checks {
		t.Run(ch.kind, func(t *testing.T) {
			seen[ch.kind] = true
			ids, err := ch.list()
			require.NoError(t, err)
			require.NotEmpty(t, ids)
			before := srv.Requests()
			h, v := ch.load(ids[0])
			assert.NoError(t, h.Handle().LastError())
			assert.NotEmpty(t, v)
			assert.Equal(t, before+1, srv.Requests(), "one request by id")
			assert.Equal(t, ids[0], h.Handle().ID())
			assert.Equal(t, ch.kind, h.Handle().Kind().Name)
			assert.False(t, h.Handle().Partial())
		})
	}
	for k, ok := range seen {
		assert.True(t, ok, "kind %s is checked", k)
	}
}
