package enstratus_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestCloudIsLazyAndPprintsLikeMixcoatl(t *testing.T) {
	c, srv, rec := newTestClient(t, enstratustest.Config{})

	cloud := es.Cloud(c, 1)
	assert.Equal(t, 0, srv.Requests(), "making a handle sends nothing")
	assert.Equal(t, 1, cloud.ID())
	assert.Equal(t, "geography/Cloud/1", cloud.Path())
	assert.Equal(t, 0, srv.Requests(), "the id and path need no request")

	assert.Equal(t, "Amazon Web Services", cloud.Name())
	assert.Equal(t, 1, srv.Requests(), "the first field read sends one request")
	assert.Equal(t, 1, srv.RequestsTo("GET", "geography/Cloud/1"))
	assert.False(t, rec.last().hasDetails, "an item load carries no x-es-details: the API answers extended")

	assert.Equal(t, "Amazon", cloud.CloudProviderName())
	assert.Equal(t, "http://aws.amazon.com", cloud.CloudProviderConsoleURL())
	assert.Equal(t, "AWS_CERTIFICATE", cloud.ComputeX509CertLabel())
	assert.Equal(t, "org.dasein.cloud.aws.AWSCloud", cloud.ComputeDelegate())
	assert.Len(t, cloud.ComputeEndpoints(), 3)
	assert.False(t, cloud.PrivateCloud())
	assert.Equal(t, "ACTIVE", cloud.Status())
	assert.Equal(t, "", cloud.DocumentationLabel(), "null reads as empty")

	var out bytes.Buffer
	require.NoError(t, cloud.Pprint(&out))
	assert.Equal(t, 1, srv.Requests(), "Pprint prints what the handle holds")
	got := out.String()
	require.True(t, gjson.Valid(got), got)
	p := gjson.Parse(got)
	assert.Equal(t, "geography/Cloud/1", p.Get("path").String())
	assert.Equal(t, gjson.Null, p.Get("last_error").Type)
	assert.True(t, p.Get("last_error").Exists())
	assert.Equal(t, "<Response [200]>", p.Get("last_request").String())
	assert.Equal(t, gjson.Null, p.Get("current_job").Type)
	assert.True(t, p.Get("current_job").Exists())
	assert.EqualValues(t, 1, p.Get("cloud_id").Int())
	assert.Equal(t, "Amazon Web Services", p.Get("name").String())
	assert.Equal(t, "http://aws.amazon.com", p.Get("cloud_provider_console_url").String())
	assert.Equal(t, "AWS_CERTIFICATE", p.Get("compute_x509_cert_label").String())
	assert.Equal(t, gjson.False, p.Get("private_cloud").Type)
	assert.NotContains(t, got, "cloudProviderConsoleURL", "names are mixcoatl's")
	assert.Contains(t, got, "\n  \"cloud_id\": 1,\n", "indented, keys sorted")
	keys := []string{}
	p.ForEach(func(k, _ gjson.Result) bool { keys = append(keys, k.Str); return true })
	assert.IsIncreasing(t, keys, "keys are sorted, as Python's pprint does")
	assert.Equal(t, "<Response [200]>", cloud.LastRequest())
	assert.Equal(t, 0, cloud.CurrentJob())
}

func TestConcurrentFirstReadsSendOneRequest(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	h := es.Region(c, 19344)
	var wg sync.WaitGroup
	names := make([]string, 50)
	for i := range names {
		wg.Add(1)
		go func() { defer wg.Done(); names[i] = h.Name() }()
	}
	wg.Wait()
	assert.Equal(t, 1, srv.Requests())
	for _, n := range names {
		assert.Equal(t, "Oregon (us-west-2)", n)
	}
}

func TestMissingIDRecordsTheAPIMessage(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	cloud := es.Cloud(c, 999999)
	assert.Equal(t, "", cloud.Name(), "a getter never returns the error text")
	assert.Equal(t, "", cloud.Status())
	assert.False(t, cloud.PrivateCloud())
	assert.Nil(t, cloud.ComputeEndpoints())
	assert.Equal(t, 1, srv.Requests(), "a failed lazy load is not repeated by every getter")

	err := cloud.LastError()
	require.Error(t, err)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	var se *stratus.Error
	require.True(t, errors.As(err, &se))
	assert.Equal(t, "No such cloud ID: 999999", se.Message)
	assert.Equal(t, 404, se.Status)

	var out bytes.Buffer
	perr := cloud.Pprint(&out)
	assert.ErrorIs(t, perr, stratus.ErrNotFound)
	p := gjson.Parse(out.String())
	assert.Equal(t, "No such cloud ID: 999999", p.Get("last_error").String())
	assert.Equal(t, "<Response [404]>", p.Get("last_request").String())
	assert.Equal(t, "geography/Cloud/999999", p.Get("path").String())
	assert.EqualValues(t, 999999, p.Get("cloud_id").Int())
	assert.False(t, p.Get("name").Exists())

	// Load tries again, and says so.
	assert.ErrorIs(t, cloud.Load(context.Background()), stratus.ErrNotFound)
	ok, err := es.Server(c, 1).Exists(context.Background())
	assert.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, "", es.Job(c, 424242).Status())
	assert.Contains(t, es.Job(c, 5).Message(), "kaboom", "job 5 of the fixture failed")
}

func TestUncamel(t *testing.T) {
	for in, want := range map[string]string{
		// The four worked signature examples of mixcoatl's API.
		"cloudProviderConsoleURL": "cloud_provider_console_url",
		"hasCloudAPIAccess":       "has_cloud_api_access",
		"computeX509CertLabel":    "compute_x509_cert_label",
		"dataCenterId":            "data_center_id",
		// Checked against Python's re.sub with mixcoatl's expression.
		"publicIPAddressesAssigned": "public_ip_addresses_assigned",
		"URL":                       "url",
		"ID":                        "id",
		"vmLoginId":                 "vm_login_id",
		"rdbmsHA":                   "rdbms_ha",
		"subscribedRDBMS":           "subscribed_rdbms",
		"CPUCount":                  "cpu_count",
		"XMLHttpRequest":            "xml_http_request",
		"aB":                        "a_b",
		"A":                         "a",
		"_private":                  "private",
		"already_snake":             "already_snake",
		"":                          "",
	} {
		assert.Equal(t, want, es.Uncamel(in), in)
	}
}

func TestFieldTakesBothSpellings(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	cloud := es.Cloud(c, 1)
	assert.Equal(t, "http://aws.amazon.com", cloud.Field("cloud_provider_console_url").String())
	assert.Equal(t, "http://aws.amazon.com", cloud.Field("cloudProviderConsoleURL").String())
	assert.Equal(t, "AWS_CERTIFICATE", es.Field(cloud, "compute_x509_cert_label").String())
	assert.False(t, cloud.Field("no_such_field").Exists())
	assert.Equal(t, 1, srv.Requests())

	s := es.Server(c, 326787)
	assert.EqualValues(t, 64351, s.Field("data_center.data_center_id").Int())
	assert.EqualValues(t, 64351, s.Field("dataCenter.dataCenterId").Int())
	assert.EqualValues(t, 64351, s.Field("dataCenter.data_center_id").Int(), "mixed spellings")
	assert.Equal(t, "Amazon Web Services", s.Field("cloud.name").String())
	assert.True(t, s.Field("firewalls.0.firewall_id").Exists(), "indexes pass through")
	assert.EqualValues(t, 1, s.Field("firewalls.#").Int())

	// A partial item: a field it holds costs nothing, one it lacks loads it.
	srv.ResetRequests()
	list, err := es.Servers(c).Fresh().Collect(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Requests())
	first := list[0]
	assert.EqualValues(t, first.DataCenterID(), first.Field("data_center.data_center_id").Int())
	assert.Equal(t, 1, srv.Requests())
	assert.NotEmpty(t, first.Field("data_center.provider_id").String(), "basic detail lacks the data center's fields")
	assert.Equal(t, 2, srv.Requests())
}

func TestReferences(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()

	// An item is extended: its references carry their objects' fields.
	s := es.Server(c, 326787)
	assert.Equal(t, 19344, s.RegionID())
	assert.Equal(t, 1, s.CloudID())
	assert.Equal(t, 64351, s.DataCenterID())
	assert.NotZero(t, s.MachineImageID())
	assert.NotEmpty(t, s.FirewallIDs())
	assert.Equal(t, 1, srv.Requests())
	r := s.Region()
	require.NotNil(t, r)
	assert.Equal(t, 19344, r.ID())
	assert.Equal(t, "Oregon (us-west-2)", r.Name())
	assert.Equal(t, "us-west-2a", s.DataCenter().Name())
	assert.Equal(t, "Amazon Web Services", s.Cloud().Name())
	fws := s.Firewalls()
	require.Len(t, fws, len(s.FirewallIDs()))
	assert.Equal(t, s.FirewallIDs()[0], fws[0].ID())
	assert.NotEmpty(t, fws[0].Name())
	assert.Equal(t, 1, srv.Requests(), "the extended server held all of it")
	assert.Equal(t, 1, r.CloudID())
	assert.Equal(t, 1, r.Cloud().ID())

	// A basic item: references are ids, the handles load when read.
	srv.ResetRequests()
	first, err := es.Servers(c).InRegion(19344).First(ctx)
	require.NoError(t, err)
	reg := first.Region()
	require.NotNil(t, reg)
	assert.False(t, reg.Loaded(), "a handle for the reference, not loaded")
	assert.Equal(t, 1, srv.Requests())
	assert.Equal(t, "Oregon (us-west-2)", reg.Name())
	assert.Equal(t, 2, srv.Requests())
	assert.Equal(t, 1, srv.RequestsTo("GET", "geography/Region/19344"))

	assert.Nil(t, es.Server(c, 311540).Product(), "a server without a product has none")
	assert.Equal(t, 10287, es.Server(c, 311540).BudgetID())
	assert.Equal(t, "Default", es.Server(c, 311540).Budget().Name())
}

func TestTypedGetters(t *testing.T) {
	c, _, _ := newTestClient(t, enstratustest.Config{})
	j := es.Job(c, 1)
	assert.Equal(t, time.Date(2013, 1, 8, 21, 5, 29, 598e6, time.UTC), j.StartDate().UTC(), "2013-01-08T21:05:29.598+0000")
	assert.Equal(t, time.Date(2013, 1, 8, 21, 13, 39, 621e6, time.UTC), j.EndDate().UTC())
	assert.Equal(t, es.JobComplete, j.Status())
	assert.Equal(t, "Stop Deployment test_launch_1203", j.Description())
	assert.Equal(t, "339452", es.Job(c, 2).Message())

	u := es.User(c, 6789)
	assert.Equal(t, "Vincent, John", u.AlphaName())
	assert.False(t, u.HasCloudAPIAccess())
	assert.Equal(t, []int{9465}, u.GroupIDs())
	assert.Equal(t, "p6789", u.VMLoginID())

	a := es.Account(c, 16000)
	assert.Equal(t, "CSE", a.Name())
	assert.Equal(t, 16000, a.BillingSystemID(), "a string in the fixture")
	assert.Equal(t, 10287, a.DefaultBudgetID())
	assert.Equal(t, 1, a.CloudID())
	assert.True(t, a.Configured())

	b := es.BillingCode(c, 10287)
	assert.Equal(t, "USD", b.CurrentUsage().Currency)
	assert.InDelta(t, 150.909, b.CurrentUsage().Value, 0.001)

	role := es.Role(c, 13712)
	assert.Equal(t, []es.ACLEntry{{Action: "ANY", Qualifier: "ANY", ResourceType: "ANY"}}, role.ACL())

	p := es.ServerProduct(c, 652)
	assert.Equal(t, "m1.small", p.ProviderProductID())
	assert.Equal(t, 1700, p.RAMInMB())
	assert.InDelta(t, 0.085, p.HourlyRate(), 1e-9)

	sub := es.Subscription(c, 19344)
	assert.True(t, sub.Subscribed("Server"))
	assert.Contains(t, sub.Services(), "LoadBalancer")
	assert.Equal(t, 19344, sub.Region().ID())

	v := es.Volume(c, 205535)
	assert.Equal(t, 6, v.SizeInGB())
	assert.Equal(t, 311540, v.ServerID())
	assert.Equal(t, "/dev/sda1", v.DeviceID())

	k := es.APIKey(c, "ABCDEFGHIJKL")
	assert.Equal(t, "dpando", k.Name())
	assert.Equal(t, "[redacted]", k.SecretKey().String())
	assert.Equal(t, "abcdefg+hijklmnop+qrstuv", string(k.SecretKey()))
	assert.Equal(t, 2012, k.Activation().Year())
	assert.True(t, strings.HasPrefix(es.LoadBalancer(c, 12516).Address(), "wordpress-lb."))
}
