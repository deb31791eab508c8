package enstratustest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestSignatureAccepted(t *testing.T) {
	c := newTC(t, Config{})
	r := c.get("geography/Cloud/1")
	cloud := one(t, r, "clouds")
	assert.Equal(t, "Amazon Web Services", cloud.Get("name").String())
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, c.srv.Root()+"/api/enstratus/2012-06-15", c.srv.URL())
	assert.Len(t, c.srv.AccessKey(), 20)
	assert.Len(t, c.srv.SecretKey(), 40)
}

// TestHandBuiltRequests sends requests whose headers are literals copied
// from the published signature examples, so that neither the simulator
// nor transport/enstratus computes them: if both shared a bug, these would
// fail.
func TestHandBuiltRequests(t *testing.T) {
	srv := NewServer(Config{AccessKey: "ABCDEFGHIJ", SecretKey: "abcdefghij0123456789"})
	defer srv.Close()
	require.Equal(t, int64(1356998400000), srv.Now().UnixMilli(), "the clock starts at the examples' timestamp")
	send := func(method, path, ts, sig, body string) *http.Response {
		var req *http.Request
		var err error
		if body == "" {
			req, err = http.NewRequest(method, srv.Root()+path, nil)
		} else {
			req, err = http.NewRequest(method, srv.Root()+path, strings.NewReader(body))
		}
		require.NoError(t, err)
		req.Header.Set("User-Agent", "mixcoatl")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("x-esauth-access", "ABCDEFGHIJ")
		req.Header.Set("x-esauth-timestamp", ts)
		req.Header.Set("x-esauth-signature", sig)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	res := send("GET", "/api/enstratus/2012-06-15/geography/Cloud/1", "1356998400000", "cxun1ODQHGUu2VWiFjnigk6l4GULQoR5ATSoG2yFlbk=", "")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	res = send("GET", "/api/enstratus/2012-06-15/geography/DataCenter?regionId=19344", "1356998400000", "YfCECTVQq0qSn0gH+xlQNq0Pjnc+M5Q1zzEPwFU1M/c=", "")
	assert.Equal(t, http.StatusOK, res.StatusCode, "the query is not signed")
	res = send("POST", "/api/enstratus/2012-06-15/infrastructure/Server", "1356998400123", "wuBavzh2eG/G8yGFNZknwhj2dR10gE1ts/l+SryCAc4=",
		`{"launch":[{"productId":"m1.small","machineImage":{"machineImageId":286443},"description":"d","name":"n","dataCenter":{"dataCenterId":64352}}]}`)
	assert.Equal(t, http.StatusAccepted, res.StatusCode)
	// The same literal signature fails once anything signed changes.
	res = send("GET", "/api/enstratus/2012-06-15/geography/Cloud/2", "1356998400000", "cxun1ODQHGUu2VWiFjnigk6l4GULQoR5ATSoG2yFlbk=", "")
	assert.Equal(t, http.StatusForbidden, res.StatusCode)

	// The fourth example uses mixcoatl's test keys.
	srv2 := NewServer(Config{Servers: 12, AccessKey: "abcdefg", SecretKey: "gfedcba"})
	defer srv2.Close()
	req, err := http.NewRequest("DELETE", srv2.Root()+"/api/enstratus/2012-06-15/infrastructure/Server/331810?reason=done", nil)
	require.NoError(t, err)
	req.Header.Set("User-Agent", "mixcoatl")
	req.Header.Set("x-esauth-access", "abcdefg")
	req.Header.Set("x-esauth-timestamp", "1356998400000")
	req.Header.Set("x-esauth-signature", "g3/IG2IS1fhyeMMS9arUX6IJrAhu0eqRglPL1owUgt8=")
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, http.StatusAccepted, res.StatusCode)
}

func TestAuthFailures(t *testing.T) {
	c := newTC(t, Config{})

	c.secret = "wrong-secret"
	requireError(t, c.get("geography/Cloud/1"), 403, "Invalid signature")
	c.secret = c.srv.SecretKey()

	// A different User-Agent changes the signed text: sign one, send another.
	req, err := http.NewRequest("GET", c.srv.URL()+"/geography/Cloud/1", nil)
	require.NoError(t, err)
	c.sign(req)
	req.Header.Set("User-Agent", "mixcoatl")
	r, err := c.send(req)
	require.NoError(t, err)
	requireError(t, r, 403, "Invalid signature")

	// The query is not signed, but the path is: a signature for another
	// path, or one that includes the query, is refused.
	req, _ = http.NewRequest("GET", c.srv.URL()+"/geography/Cloud/1", nil)
	c.sign(req)
	req.URL.Path = "/api/enstratus/2012-06-15/geography/Cloud/2"
	r, _ = c.send(req)
	requireError(t, r, 403, "Invalid signature")
	ts := c.srv.Now().UnixMilli()
	req, _ = http.NewRequest("GET", c.srv.URL()+"/geography/DataCenter?regionId=19344", nil)
	req.Header.Set("User-Agent", "x")
	req.Header.Set("x-esauth-access", c.access)
	req.Header.Set("x-esauth-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("x-esauth-signature", enstratus.Sign(c.secret, c.access, "GET", req.URL.RequestURI(), ts, "x"))
	r, _ = c.send(req)
	requireError(t, r, 403, "Invalid signature")

	// Stale and future timestamps, correctly signed.
	c.skew = -16 * time.Minute
	requireError(t, c.get("geography/Cloud/1"), 403, "Request has expired")
	c.skew = 16 * time.Minute
	requireError(t, c.get("geography/Cloud/1"), 403, "Request has expired")
	c.skew = -14 * time.Minute
	assert.Equal(t, 200, c.get("geography/Cloud/1").status, "inside the window")
	c.skew = 0

	// Unknown key, missing headers, a timestamp that is not a number.
	c.access = "NOSUCHKEY"
	requireError(t, c.get("geography/Cloud/1"), 403, "Invalid access keys")
	c.access = c.srv.AccessKey()
	for _, h := range []string{"x-esauth-access", "x-esauth-timestamp", "x-esauth-signature"} {
		req, _ := http.NewRequest("GET", c.srv.URL()+"/geography/Cloud/1", nil)
		c.sign(req)
		req.Header.Del(h)
		r, _ := c.send(req)
		requireError(t, r, 403, "Invalid access keys")
	}
	req, _ = http.NewRequest("GET", c.srv.URL()+"/geography/Cloud/1", nil)
	req.Header.Set("x-esauth-access", c.access)
	req.Header.Set("x-esauth-timestamp", "soon")
	req.Header.Set("x-esauth-signature", enstratus.Sign(c.secret, c.access, "GET", req.URL.Path, 0, "Go-http-client/1.1"))
	r, _ = c.send(req)
	requireError(t, r, 403, "Invalid signature")

	// The fixture's other active keys are accepted too.
	c.access, c.secret = "OXDEADBEAF", "abcdefg+hijklmnop"
	assert.Equal(t, 200, c.get("geography/Cloud/1").status)
}

func TestTimeWindowConfig(t *testing.T) {
	c := newTC(t, Config{TimeWindow: time.Minute})
	c.skew = -61 * time.Second
	requireError(t, c.get("geography/Cloud/1"), 403, "Request has expired")
	c.skew = -59 * time.Second
	assert.Equal(t, 200, c.get("geography/Cloud/1").status)

	// On the real clock, a client signing with the wall clock is accepted.
	rt := newTC(t, Config{RealTime: true})
	assert.WithinDuration(t, time.Now(), rt.srv.Now(), time.Minute)
	assert.Equal(t, 200, rt.get("geography/Cloud/1").status)
}

func TestVersionListing(t *testing.T) {
	c := newTC(t, Config{})
	for _, p := range []string{"/api/enstratus", "/api/enstratus/"} {
		res, err := http.Get(c.srv.Root() + p) // unsigned
		require.NoError(t, err)
		r := gjson.ParseBytes(readAll(t, res))
		assert.Equal(t, 200, res.StatusCode)
		assert.Equal(t, "2012-06-15", r.Get("current.versionId").String())
		assert.Contains(t, r.Get("supported.#.versionId").String(), "2012-06-15")
		assert.Contains(t, r.Get("supported.#.versionId").String(), "2015-05-25")
	}
	res, err := http.Post(c.srv.Root()+"/api/enstratus", "application/json", nil)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)

	// Any date is a version; anything else is not found. Both need a signature.
	c.version = "2015-05-25"
	one(t, c.get("geography/Cloud/1"), "clouds")
	c.version = "latest"
	requireError(t, c.get("geography/Cloud/1"), 404, "Not found: /api/enstratus/latest/geography/Cloud/1")
	res, err = http.Get(c.srv.URL() + "/geography/Cloud/1")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 403, res.StatusCode)
}

func TestEnvelopesForOneObject(t *testing.T) {
	c := newTC(t, Config{Servers: 12})
	for _, tt := range []struct{ path, coll, idKey, id string }{
		{"geography/Cloud/1", "clouds", "cloudId", "1"},
		{"geography/Cloud/2", "clouds", "cloudId", "2"},
		{"geography/Cloud/4", "clouds", "cloudId", "4"},
		{"geography/Region/19344", "regions", "regionId", "19344"},
		{"geography/DataCenter/64351", "dataCenters", "dataCenterId", "64351"},
		{"geography/Subscription/19344", "subscriptions", "regionId", "19344"},
		{"infrastructure/Server/331810", "servers", "serverId", "331810"},
		{"infrastructure/MachineImage/283735", "images", "machineImageId", "283735"},
		{"infrastructure/ServerProduct/652", "serverProducts", "productId", "652"},
		{"infrastructure/Volume/211309", "volumes", "volumeId", "211309"},
		{"infrastructure/Snapshot/23237460", "snapshots", "snapshotId", "23237460"},
		{"network/Firewall/119182", "firewalls", "firewallId", "119182"},
		{"network/FirewallRule/500001", "rules", "firewallRuleId", "500001"},
		{"network/LoadBalancer/12516", "loadBalancers", "loadBalancerId", "12516"},
		{"admin/Account/16000", "accounts", "accountId", "16000"},
		{"admin/User/9876", "users", "userId", "9876"},
		{"admin/User/54321", "users", "userId", "54321"},
		{"admin/Job/2", "jobs", "jobId", "2"},
		{"admin/ApiKey/OXDEADBEAF", "apiKeys", "accessKey", "OXDEADBEAF"},
		{"admin/BillingCode/10287", "billingCodes", "billingCodeId", "10287"},
		{"admin/Group/9465", "groups", "groupId", "9465"},
		{"admin/Role/13712", "roles", "roleId", "13712"},
	} {
		o := one(t, c.get(tt.path), tt.coll)
		assert.Equal(t, tt.id, o.Get(tt.idKey).String(), tt.path)
	}
	// Documented values.
	assert.Equal(t, "Oregon (us-west-2)", one(t, c.get("geography/Region/19344"), "regions").Get("name").String())
	assert.Equal(t, "us-west-2a", one(t, c.get("geography/DataCenter/64351"), "dataCenters").Get("providerId").String())
	assert.Equal(t, "Rackspace", one(t, c.get("geography/Cloud/2"), "clouds").Get("cloudProviderName").String())
	// mixcoatl's own test data: the regions its tests name, and a real cloud.
	for id, name := range map[string]string{"19341": "Japan (ap-northeast-1)", "19345": "Sao Paulo (sa-east-1)", "19346": "Singapore (ap-southeast-1)"} {
		assert.Equal(t, name, one(t, c.get("geography/Region/"+id), "regions").Get("name").String(), id)
	}
	eu := one(t, c.get("geography/Cloud/21"), "clouds")
	assert.Equal(t, "Eucalyptus Partner Cloud", eu.Get("name").String())
	assert.Equal(t, "ACTIVE", eu.Get("status").String())
	assert.False(t, eu.Get("privateCloud").Bool())
	assert.Equal(t, "Microsoft", one(t, c.get("geography/Cloud/4"), "clouds").Get("cloudProviderName").String())
	job := one(t, c.get("admin/Job/2"), "jobs")
	assert.Equal(t, "339452", job.Get("message").String())

	// Lists use the same envelope; HEAD is a GET without body.
	r := c.get("admin/Job")
	assert.Len(t, r.json.Get("jobs").Array(), 8, "five of the answers' fixture, three of mixcoatl's test data")
	h := c.do("HEAD", "admin/Job", "")
	assert.Equal(t, 200, h.status)
	assert.Empty(t, h.body)
	assert.Equal(t, strconv.Itoa(len(r.body)), h.header.Get("Content-Length"))
}

func TestNotFound(t *testing.T) {
	c := newTC(t, Config{})
	requireError(t, c.get("geography/Cloud/6"), 404, "No such cloud ID: 6")
	requireError(t, c.get("admin/Job/99"), 404, "No such job ID: 99")
	requireError(t, c.get("geography/DataCenter/5"), 404, "No such data center ID: 5")
	requireError(t, c.get("infrastructure/Server/abc"), 404, "No such server ID: abc")
	requireError(t, c.get("admin/ApiKey/NOPE"), 404, "No such API key ID: NOPE")
	requireError(t, c.get("geography/Nowhere"), 404, "Not found: geography/Nowhere")
	requireError(t, c.get("geography"), 404, "Not found: geography")
	requireError(t, c.get("geography/Cloud/1/extra"), 404, "Not found: geography/Cloud/1/extra")

	r := c.do("POST", "geography/Cloud", "{}")
	requireError(t, r, 405, "Method POST is not allowed on this resource")
	assert.Equal(t, "GET, HEAD", r.header.Get("Allow"))
	r = c.do("DELETE", "infrastructure/Server", "")
	assert.Equal(t, "GET, HEAD, POST", r.header.Get("Allow"))
	r = c.do("PATCH", "infrastructure/Server/322765", "{}")
	assert.Equal(t, "GET, HEAD, PUT, DELETE", r.header.Get("Allow"))
}

func TestDetails(t *testing.T) {
	c := newTC(t, Config{})
	fixture := gjson.GetBytes(mustFixture(t, "server.json"), "servers.0")
	require.Equal(t, int64(322765), fixture.Get("serverId").Int())

	// Extended is the default and reproduces the extended fixture.
	ext := one(t, c.get("infrastructure/Server/322765"), "servers")
	assert.JSONEq(t, fixture.Raw, ext.Raw)
	c.details = "extended"
	assert.JSONEq(t, fixture.Raw, one(t, c.get("infrastructure/Server/322765"), "servers").Raw)

	c.details = "basic"
	basic := one(t, c.get("infrastructure/Server/322765"), "servers")
	assert.JSONEq(t, `{"cloudId":1}`, basic.Get("cloud").Raw)
	assert.JSONEq(t, `{"dataCenterId":64716}`, basic.Get("dataCenter").Raw)
	assert.JSONEq(t, `{"regionId":19556}`, basic.Get("region").Raw)
	assert.JSONEq(t, `{"machineImageId":283735}`, basic.Get("machineImage").Raw)
	assert.JSONEq(t, `[{"firewallId":119182}]`, basic.Get("firewalls").Raw)
	assert.JSONEq(t, `[{"groupId":9465}]`, basic.Get("owningGroups").Raw)
	assert.JSONEq(t, `{"userId":54321}`, basic.Get("owningUser").Raw)
	assert.Equal(t, keys(ext), keys(basic), "the same fields at both levels")
	assert.Equal(t, ext.Get("name").String(), basic.Get("name").String())

	c.details = "BASIC"
	assert.JSONEq(t, basic.Raw, one(t, c.get("infrastructure/Server/322765"), "servers").Raw, "any case")

	c.details = "none"
	none := one(t, c.get("infrastructure/Server/322765"), "servers")
	for _, k := range []string{"cloud", "region", "dataCenter", "machineImage", "firewalls", "owningUser", "owningGroups", "customer"} {
		assert.False(t, none.Get(k).Exists(), k)
	}
	assert.Equal(t, "skang-debug-script-dev", none.Get("name").String())
	assert.Equal(t, int64(322765), none.Get("serverId").Int())

	// A data center: region id in basic, whole region in extended.
	c.details = "basic"
	dc := one(t, c.get("geography/DataCenter/64351"), "dataCenters")
	assert.JSONEq(t, `{"regionId":19344}`, dc.Get("region").Raw)
	c.details = ""
	dc = one(t, c.get("geography/DataCenter/64351"), "dataCenters")
	assert.Equal(t, "Oregon (us-west-2)", dc.Get("region.name").String())
	assert.JSONEq(t, `{"cloudId":1}`, dc.Get("region.cloud").Raw, "nested objects are themselves basic")

	// The basic volume fixture is served as it is in basic detail.
	c.details = "basic"
	vols := c.get("infrastructure/Volume")
	fixVol := gjson.GetBytes(mustFixture(t, "volume.json"), "volumes.0")
	for _, v := range vols.json.Get("volumes").Array() {
		if v.Get("volumeId").Int() == fixVol.Get("volumeId").Int() {
			assert.JSONEq(t, fixVol.Raw, v.Raw)
		}
	}

	c.details = "full"
	requireError(t, c.get("geography/Cloud/1"), 400, "Invalid x-es-details value: full (expected basic, extended or none)")
}

func TestListsAndRequiredFilters(t *testing.T) {
	c := newTC(t, Config{})
	for _, p := range []string{"geography/DataCenter", "infrastructure/MachineImage", "infrastructure/ServerProduct", "network/Firewall"} {
		requireError(t, c.get(p), 400, "Missing required parameter: regionId")
		requireError(t, c.get(p+"?regionId=oregon"), 400, "Invalid regionId: oregon (expected an integer)")
	}
	ids := func(r resp, coll, idKey string) []string {
		t.Helper()
		require.Equal(t, 200, r.status, "body: %s", r.body)
		var out []string
		for _, o := range r.json.Get(coll).Array() {
			out = append(out, o.Get(idKey).String())
		}
		return out
	}
	assert.Equal(t, []string{"64351", "64352", "64353"}, ids(c.get("geography/DataCenter?regionId=19344"), "dataCenters", "dataCenterId"))
	assert.Empty(t, ids(c.get("geography/DataCenter?regionId=1"), "dataCenters", "dataCenterId"))
	// The images of the server answers and of mixcoatl's image list; its 26
	// Oregon products.
	assert.Equal(t, []string{"281141", "281535", "284436", "284541", "284831", "286443", "287034"}, ids(c.get("infrastructure/MachineImage?regionId=19344"), "images", "machineImageId"))
	assert.Equal(t, []string{"640", "641", "646", "647", "652", "653", "658", "659", "660", "665", "666", "667", "672", "673", "674",
		"679", "680", "681", "686", "687", "688", "693", "694", "699", "700", "701"}, ids(c.get("infrastructure/ServerProduct?regionId=19344"), "serverProducts", "productId"))
	assert.Equal(t, []string{"9"}, ids(c.get("infrastructure/ServerProduct?regionId=19343"), "serverProducts", "productId"))
	assert.Equal(t, []string{"116387", "116966", "116967", "117163", "117164", "125571", "125572", "125580"}, ids(c.get("network/Firewall?regionId=19344"), "firewalls", "firewallId"))

	clouds := ids(c.get("geography/Cloud"), "clouds", "cloudId")
	// mixcoatl's 29 clouds, all public; four inactive.
	all29 := []string{"1", "2", "3", "4", "5", "7", "8", "9", "12", "13", "14", "15", "16", "18", "20", "21", "28", "30", "31", "33", "34", "36", "37", "40", "41", "42", "43", "91", "107"}
	assert.Equal(t, all29, clouds)
	assert.Equal(t, all29, ids(c.get("geography/Cloud?publicOnly=true"), "clouds", "cloudId"))
	assert.Equal(t, []string{"2", "3", "30", "31"}, ids(c.get("geography/Cloud?status=inactive"), "clouds", "cloudId"))
	requireError(t, c.get("geography/Cloud?publicOnly=maybe"), 400, "Invalid publicOnly: maybe (expected true or false)")

	assert.Equal(t, []string{"19342", "19343", "19344"}, ids(c.get("geography/Region?jurisdiction=US"), "regions", "regionId"))
	assert.Equal(t, []string{"19340"}, ids(c.get("geography/Region?jurisdiction=eu&accountId=16000&scope=all"), "regions", "regionId"))
	assert.Len(t, ids(c.get("geography/Region"), "regions", "regionId"), 8)
	assert.Len(t, ids(c.get("geography/Subscription"), "subscriptions", "regionId"), 8)

	assert.Equal(t, []string{"326787", "338941", "338942", "338943"}, ids(c.get("infrastructure/Server?regionId=19344"), "servers", "serverId"), "324466 is the fixture's 11th")
	assert.Len(t, ids(c.get("infrastructure/Server"), "servers", "serverId"), 10)
	assert.Equal(t, []string{"500003", "500004"}, ids(c.get("network/FirewallRule?firewallId=117164"), "rules", "firewallRuleId"))
	assert.Equal(t, []string{"16000"}, ids(c.get("admin/Account?cloudId=1"), "accounts", "accountId"))
	assert.Empty(t, ids(c.get("admin/Account?cloudId=2"), "accounts", "accountId"))
	assert.Equal(t, []string{"6789", "9876", "54321"}, ids(c.get("admin/User"), "users", "userId"))
	assert.Equal(t, []string{"10287", "10670"}, ids(c.get("admin/BillingCode"), "billingCodes", "billingCodeId"))
	assert.Equal(t, []string{"9465", "9848"}, ids(c.get("admin/Group"), "groups", "groupId"))
	assert.Equal(t, []string{"13712", "14039"}, ids(c.get("admin/Role"), "roles", "roleId"))
	assert.Equal(t, []string{"10924", "12516"}, ids(c.get("network/LoadBalancer"), "loadBalancers", "loadBalancerId"))
	assert.Len(t, ids(c.get("infrastructure/Snapshot"), "snapshots", "snapshotId"), 19)
	assert.Contains(t, ids(c.get("admin/ApiKey"), "apiKeys", "accessKey"), c.srv.AccessKey())
}

func Test200ServersInOneRequest(t *testing.T) {
	c := newTC(t, Config{Servers: 200, Seed: 7})
	c.details = "basic"
	r := c.get("infrastructure/Server")
	require.Equal(t, 200, r.status)
	servers := r.json.Get("servers").Array()
	require.Len(t, servers, 200)
	assert.Equal(t, 1, c.srv.Requests())
	assert.Equal(t, 1, c.srv.RequestsTo("GET", "infrastructure/Server"))
	seen := map[int64]bool{}
	var prev int64
	for _, s := range servers {
		id := s.Get("serverId").Int()
		assert.False(t, seen[id])
		assert.Greater(t, id, prev, "ascending")
		seen[id], prev = true, id
	}
	assert.Len(t, c.srv.ServerIDs(), 200)
	// A generated server has the fields of the fixture server it copies.
	fix := gjson.GetBytes(mustFixture(t, "server.json"), "servers").Array()
	gen := one(t, c.get("infrastructure/Server/340012"), "servers")
	assert.Equal(t, keys(fix[0]), keys(gen))
	assert.Equal(t, "sim-server-0013", gen.Get("name").String())
	assert.Regexp(t, `^i-[0-9a-f]{8}$`, gen.Get("providerId").String())
}

func TestNoInventedFields(t *testing.T) {
	c := newTC(t, Config{Servers: 30})
	// Launch and create so that new objects are checked too.
	launchOne(t, c, `{"name":"n","description":"d","label":"l","productId":"m1.small","machineImage":{"machineImageId":286443},"dataCenter":{"dataCenterId":64352},"firewalls":[{"firewallId":125571}]}`)
	c.srv.Advance(time.Minute)
	r := c.do("POST", "network/FirewallRule", `{"addRule":[{"firewallId":119182,"direction":"ingress","networkAddress":"10.0.0.0/8","protocol":"tcp","startPort":1,"endPort":2}]}`)
	require.Equal(t, 201, r.status, "body: %s", r.body)

	allowed := map[string]map[string]bool{}
	add := func(coll string, items []gjson.Result) {
		if allowed[coll] == nil {
			allowed[coll] = map[string]bool{}
		}
		for _, it := range items {
			for k := range it.Map() {
				allowed[coll][k] = true
			}
		}
	}
	for file, coll := range map[string]string{"server.json": "servers", "volume.json": "volumes", "snapshot.json": "snapshots", "job.json": "jobs",
		"user.json": "users", "group.json": "groups", "role.json": "roles", "billing_code.json": "billingCodes", "apikey.json": "apiKeys",
		"load_balancer.json": "loadBalancers", "subscription.json": "subscriptions"} {
		add(coll, gjson.GetBytes(mustFixture(t, file), coll).Array())
	}
	// Objects nested in an extended fixture are fixture objects too.
	add("users", gjson.GetBytes(mustFixture(t, "server.json"), "servers.#.owningUser").Array())
	seed := mustFixture(t, "stratus-seed.json")
	for _, coll := range []string{"dataCenters", "rules"} {
		add(coll, gjson.GetBytes(seed, coll).Array())
	}
	// mixcoatl's test data: a variable name, then its answer (some as a
	// JSON string).
	for file, path := range map[string][2]string{"mixcoatl-cloud.json": {"all_clouds", "clouds"}, "mixcoatl-region.json": {"all_regions", "regions"},
		"mixcoatl-datacenter.json": {"all_datacenters", "dataCenters"}, "mixcoatl-firewall.json": {"firewall_rules", "rules"},
		"mixcoatl-job.json": {"jobs", "jobs"}} {
		v := gjson.GetBytes(mustFixture(t, file), path[0])
		doc := v.Raw
		if v.Type == gjson.String {
			doc = v.Str
		}
		add(path[1], gjson.Get(doc, path[1]).Array())
	}
	c.details = "basic"
	for path, coll := range map[string]string{"infrastructure/Server": "servers", "infrastructure/Volume": "volumes", "infrastructure/Snapshot": "snapshots",
		"admin/Job": "jobs", "admin/User": "users", "admin/Group": "groups", "admin/Role": "roles", "admin/BillingCode": "billingCodes",
		"admin/ApiKey": "apiKeys", "network/LoadBalancer": "loadBalancers", "geography/Subscription": "subscriptions",
		"geography/Cloud": "clouds", "geography/Region": "regions", "network/FirewallRule": "rules"} {
		for _, o := range c.get(path).json.Get(coll).Array() {
			for k := range o.Map() {
				assert.True(t, allowed[coll][k], "%s: field %q is in no fixture", path, k)
			}
		}
	}
	// Jobs the simulator creates have exactly the fixture's fields.
	jobs := c.get("admin/Job").json.Get("jobs").Array()
	assert.Equal(t, keys(jobs[0]), keys(jobs[len(jobs)-1]))
}

func TestNewHandlerAndDeterminism(t *testing.T) {
	h := NewHandler(Config{Seed: 3})
	assert.Empty(t, h.URL())
	assert.Empty(t, h.Root())
	h.Close()
	ts := httptest.NewServer(h)
	defer ts.Close()
	c := &tc{t: t, srv: h, hc: ts.Client(), access: h.AccessKey(), secret: h.SecretKey(), ua: "x", version: Version}
	req, _ := http.NewRequest("GET", ts.URL+"/api/enstratus/2012-06-15/geography/Cloud/1", nil)
	c.sign(req)
	r, err := c.send(req)
	require.NoError(t, err)
	assert.Equal(t, 200, r.status)

	a, b, other := NewHandler(Config{Seed: 3, Servers: 40}), NewHandler(Config{Seed: 3, Servers: 40}), NewHandler(Config{Seed: 4, Servers: 40})
	assert.Equal(t, a.AccessKey(), b.AccessKey())
	assert.Equal(t, a.SecretKey(), b.SecretKey())
	assert.NotEqual(t, a.AccessKey(), other.AccessKey())
	assert.Equal(t, a.render(nil, a.kinds[kServer].order[39], detailBasic), b.render(nil, b.kinds[kServer].order[39], detailBasic))
	assert.NotEqual(t, a.render(nil, a.kinds[kServer].order[39], detailBasic), other.render(nil, other.kinds[kServer].order[39], detailBasic))

	assert.Empty(t, NewHandler(Config{Servers: -1}).ServerIDs())
	assert.Len(t, NewHandler(Config{}).ServerIDs(), 10)
}

func TestCounters(t *testing.T) {
	c := newTC(t, Config{})
	c.get("geography/Cloud/1")
	c.get("geography/Cloud")
	c.get("infrastructure/Server")
	c.do("DELETE", "infrastructure/Server/322765", "") // refused, still counted
	_, _ = http.Get(c.srv.Root() + "/api/enstratus")
	assert.Equal(t, 5, c.srv.Requests())
	assert.Equal(t, 2, c.srv.RequestsTo("GET", "geography/Cloud"))
	assert.Equal(t, 1, c.srv.RequestsTo("GET", "geography/Cloud/1"))
	assert.Equal(t, 1, c.srv.RequestsTo("delete", "infrastructure/"))
	assert.Equal(t, 2, c.srv.RequestsTo("", "infrastructure/Server"))
	assert.Equal(t, 1, c.srv.RequestsTo("GET", "/api/enstratus"))
	c.srv.ResetRequests()
	assert.Equal(t, 0, c.srv.Requests())
	assert.Equal(t, 0, c.srv.RequestsTo("", ""))
}

// helpers

func keys(r gjson.Result) []string {
	var ks []string
	for k := range r.Map() {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func mustFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fixtureFS.ReadFile("fixtures/" + name)
	require.NoError(t, err)
	require.True(t, json.Valid(b))
	return b
}

func readAll(t *testing.T, res *http.Response) []byte {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return b
}

func TestConfiguredKeyReplacesFixtureKey(t *testing.T) {
	c := newTC(t, Config{AccessKey: "OXDEADBEAF", SecretKey: "fresh-secret"})
	assert.Equal(t, "OXDEADBEAF", c.srv.AccessKey())
	assert.Equal(t, 200, c.get("geography/Cloud/1").status)
	c.secret = "abcdefg+hijklmnop" // the fixture's secret for that key
	requireError(t, c.get("geography/Cloud/1"), 403, "Invalid signature")
	c.secret = "fresh-secret"
	requireError(t, c.get("admin/Account?cloudId=aws"), 400, "Invalid cloudId: aws (expected an integer)")
	assert.Equal(t, "fresh-secret", one(t, c.get("admin/ApiKey/OXDEADBEAF"), "apiKeys").Get("secretKey").String())
}

func TestFaultNames(t *testing.T) {
	assert.Equal(t, "503-html", Fault503HTML.String())
	assert.Equal(t, "truncated", FaultTruncated.String())
	assert.Equal(t, "Fault(42)", Fault(42).String())
}
