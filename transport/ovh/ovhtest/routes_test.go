package ovhtest

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestMe(t *testing.T) {
	c := newTC(t, Config{})
	r := c.get("/me")
	require.Equal(t, http.StatusOK, r.status)
	requireFields(t, r.json, "nichandle", "email", "firstname", "name", "organisation", "country", "currency",
		"language", "legalform", "ovhCompany", "ovhSubsidiary", "state", "phone", "address", "city", "zip", "vat",
		"customerCode", "kycValidated")
	assert.Regexp(t, `^[a-z]{2}[0-9]{5}-ovh$`, r.json.Get("nichandle").String())
	assert.Equal(t, `{"code":"EUR","symbol":"EURO"}`, r.json.Get("currency").Raw)
	assert.Equal(t, "FR", r.json.Get("country").String())
	assert.Equal(t, "complete", r.json.Get("state").String())

	r = c.do("PUT", "/me", `{"firstname":"Ana","city":"Gravelines","language":"en_GB"}`)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "null", string(r.body), "void calls answer null")
	assert.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
	r = c.get("/me")
	assert.Equal(t, "Ana", r.json.Get("firstname").String())
	assert.Equal(t, "Gravelines", r.json.Get("city").String())
	assert.Equal(t, "en_GB", r.json.Get("language").String())

	requireError(t, c.do("PUT", "/me", `{"nichandle":"zz99999-ovh"}`), 400, "", "Received not described parameters: (nichandle)")
	requireError(t, c.do("PUT", "/me", `{"legalform":"pirate"}`), 400, "", "[legalform] Given data (pirate) does not belong to the nichandle.LegalFormEnum enumeration")
	requireError(t, c.do("PUT", "/me", `{"firstname":12}`), 400, "", "[firstname] Given data (12) is not valid for type string")
	assert.Equal(t, "Ana", c.get("/me").json.Get("firstname").String(), "a refused PUT changes nothing")
}

func TestBills(t *testing.T) {
	c := newTC(t, Config{})
	r := c.get("/me/bill")
	require.Equal(t, http.StatusOK, r.status)
	ids := strs(r.json)
	require.Len(t, ids, 12)
	var dates []time.Time
	for _, id := range ids {
		assert.Regexp(t, `^FR[0-9]{8}$`, id)
		b := c.get("/me/bill/" + id)
		require.Equal(t, http.StatusOK, b.status)
		requireFields(t, b.json, "billId", "date", "orderId", "category", "priceWithTax", "priceWithoutTax", "tax", "pdfUrl", "url", "password")
		assert.Equal(t, id, b.json.Get("billId").String())
		for _, p := range []string{"priceWithTax", "priceWithoutTax", "tax"} {
			requireFields(t, b.json.Get(p), "currencyCode", "text", "value", "priceInUcents")
			assert.Equal(t, "EUR", b.json.Get(p+".currencyCode").String())
			v := b.json.Get(p + ".value").Float()
			assert.Equal(t, int64(v*100+0.5)*1000000, b.json.Get(p+".priceInUcents").Int(), "value x 10^8")
			assert.Equal(t, strconv.FormatFloat(v, 'f', 2, 64)+" €", b.json.Get(p+".text").String())
		}
		with, without, tax := b.json.Get("priceWithTax.value").Float(), b.json.Get("priceWithoutTax.value").Float(), b.json.Get("tax.value").Float()
		assert.InDelta(t, with, without+tax, 0.001)
		assert.InDelta(t, without*0.2, tax, 0.006)
		assert.Contains(t, b.json.Get("pdfUrl").String(), "reference="+id+"&passwd="+b.json.Get("password").String())
		d, err := time.Parse(time.RFC3339, b.json.Get("date").String())
		require.NoError(t, err)
		dates = append(dates, d)
		assert.Positive(t, b.json.Get("orderId").Int())
	}
	for i := 1; i < len(dates); i++ {
		assert.True(t, dates[i].After(dates[i-1]), "ids in date order")
	}

	// Filters.
	from, to := dates[3].Format(time.RFC3339), dates[6].Format(time.RFC3339)
	assert.Equal(t, ids[3:7], strs(c.get("/me/bill?date.from="+urlq(from)+"&date.to="+urlq(to)).json))
	assert.Equal(t, ids[:1], strs(c.get("/me/bill?date.to="+dates[0].Add(time.Minute).Format(time.DateOnly+"T15:04:05Z")).json))
	day := dates[11].Add(24 * time.Hour).Format(time.DateOnly)
	assert.Empty(t, strs(c.get("/me/bill?date.from="+day).json))
	first := c.get("/me/bill/" + ids[0]).json
	cat := first.Get("category").String()
	for _, id := range strs(c.get("/me/bill?category=" + cat).json) {
		assert.Equal(t, cat, c.get("/me/bill/"+id).json.Get("category").String())
	}
	assert.Equal(t, ids[:1], strs(c.get("/me/bill?orderId="+first.Get("orderId").String()).json))
	requireError(t, c.get("/me/bill?category=gift"), 400, "", "[category] Given data (gift) does not belong to the billing.CategoryEnum enumeration")
	requireError(t, c.get("/me/bill?date.from=yesterday"), 400, "", "[date.from] Given data (yesterday) is not valid for type datetime")
}

func urlq(s string) string { return regexp.MustCompile(`\+`).ReplaceAllString(s, "%2B") }

func TestDedicatedServers(t *testing.T) {
	c := newTC(t, Config{DedicatedServers: 14})
	names := strs(c.get("/dedicated/server").json)
	require.Equal(t, c.srv.DedicatedServerNames(), names)
	require.Len(t, names, 14)
	shape := regexp.MustCompile(`^ns[0-9]{7}\.ip-[0-9]+-[0-9]+-[0-9]+\.(eu|net|us)$`)
	var dcs []string
	for i, name := range names {
		assert.Regexp(t, shape, name)
		if i > 0 {
			assert.Less(t, names[i-1], name)
		}
		r := c.get("/dedicated/server/" + name)
		require.Equal(t, http.StatusOK, r.status)
		requireFields(t, r.json, "name", "serverId", "ip", "datacenter", "region", "availabilityZone", "state",
			"powerState", "os", "reverse", "rack", "commercialRange", "linkSpeed", "monitoring", "noIntervention",
			"professionalUse", "newUpgradeSystem", "bootId", "bootScript", "rescueMail", "rescueSshKey", "rootDevice", "supportLevel")
		assert.Equal(t, name, r.json.Get("name").String())
		dcs = append(dcs, r.json.Get("datacenter").String())
		ip := r.json.Get("ip").String()
		assert.Regexp(t, `^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`, ip)
		o := strings.Split(ip, ".")
		assert.Contains(t, name, ".ip-"+o[0]+"-"+o[1]+"-"+o[2]+".", "the name carries the address")
		ips := strs(c.get("/dedicated/server/" + name + "/ips").json)
		require.Len(t, ips, 2)
		assert.Equal(t, ip+"/32", ips[0])
		b := c.get("/dedicated/server/" + name + "/burst")
		requireFields(t, b.json, "status", "capacity")
		assert.Equal(t, c.srv.Burst(name), b.json.Get("status").String())
		assert.Equal(t, "Mbps", b.json.Get("capacity.unit").String())
	}
	for _, dc := range []string{"sbg1", "rbx8", "gra3", "bhs6", "waw1"} {
		assert.Contains(t, dcs, dc)
	}
	assert.Equal(t, "rbx8", dcs[0])

	// PUT the server.
	name := names[0]
	r := c.do("PUT", "/dedicated/server/"+name, `{"bootId":2,"monitoring":false,"state":"hacked","rescueMail":"ops@example.com","bootScript":null}`)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "null", string(r.body))
	s := c.get("/dedicated/server/" + name).json
	assert.Equal(t, int64(2), s.Get("bootId").Int())
	assert.False(t, s.Get("monitoring").Bool())
	assert.Equal(t, "hacked", s.Get("state").String())
	assert.Equal(t, "ops@example.com", s.Get("rescueMail").String())
	requireError(t, c.do("PUT", "/dedicated/server/"+name, `{"state":"melted"}`), 400, "", "[state] Given data (melted) does not belong to the dedicated.server.StateEnum enumeration")
	requireError(t, c.do("PUT", "/dedicated/server/"+name, `{"datacenter":"gra1"}`), 400, "", "Received not described parameters: (datacenter)")
	requireError(t, c.do("PUT", "/dedicated/server/"+name, `{"bootId":"two"}`), 400, "", `[bootId] Given data ("two") is not valid for type long`)

	// Burst: names[3] is inactive, names[6] locked.
	assert.Equal(t, "inactive", c.srv.Burst(names[3]))
	r = c.do("PUT", "/dedicated/server/"+names[3]+"/burst", `{"status":"active","capacity":{"unit":"Mbps","value":1}}`)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "active", c.srv.Burst(names[3]))
	assert.Equal(t, "active", c.get("/dedicated/server/"+names[3]+"/burst").json.Get("status").String())
	assert.Equal(t, "inactiveLocked", c.srv.Burst(names[6]))
	requireError(t, c.do("PUT", "/dedicated/server/"+names[6]+"/burst", `{"status":"active"}`), 400, "", "Burst is locked on this server")
	requireError(t, c.do("PUT", "/dedicated/server/"+names[3]+"/burst", `{"status":"inactiveLocked"}`), 400, "", "[status] inactiveLocked cannot be set by the customer")
	assert.Equal(t, "", c.srv.Burst("nope"))
}

func TestCloud(t *testing.T) {
	c := newTC(t, Config{Projects: 2, Instances: 6})
	frozen(c.srv)
	ids := strs(c.get("/cloud/project").json)
	require.Equal(t, c.srv.ProjectIDs(), ids)
	require.Len(t, ids, 2)
	for _, id := range ids {
		assert.Regexp(t, `^[0-9a-f]{32}$`, id)
		p := c.get("/cloud/project/" + id).json
		requireFields(t, p, "project_id", "projectName", "description", "status", "planCode", "creationDate", "expiration", "access", "manualQuota", "unleash", "orderId")
		assert.Equal(t, id, p.Get("project_id").String())
	}
	pid := ids[0]
	base := "/cloud/project/" + pid + "/instance"
	list := c.get(base).json.Array()
	require.Len(t, list, 6)
	instanceFields := []string{"id", "name", "status", "region", "flavorId", "imageId", "sshKeyId", "created",
		"ipAddresses", "monthlyBilling", "planCode", "operationIds", "currentMonthOutgoingTraffic"}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, in := range list {
		requireFields(t, in, instanceFields...)
		assert.Regexp(t, uuid, in.Get("id").String())
		requireFields(t, in.Get("ipAddresses.0"), "ip", "type", "version", "networkId", "gatewayIp")
		d := c.get(base + "/" + in.Get("id").String()).json
		requireFields(t, d, "id", "name", "status", "region", "flavor", "image", "sshKey", "created", "ipAddresses",
			"monthlyBilling", "planCode", "operationIds", "currentMonthOutgoingTraffic", "rescuePassword")
		requireFields(t, d.Get("flavor"), "id", "name", "vcpus", "ram", "disk", "region")
		assert.Equal(t, in.Get("flavorId").String(), d.Get("flavor.id").String())
		assert.Equal(t, in.Get("imageId").String(), d.Get("image.id").String())
		assert.False(t, d.Get("flavorId").Exists(), "the detail has objects instead of ids")
	}
	assert.Equal(t, "SHUTOFF", list[3].Get("status").String())
	assert.Equal(t, "ok", list[1].Get("monthlyBilling.status").String())

	region := list[0].Get("region").String()
	for _, in := range c.get(base + "?region=" + region).json.Array() {
		assert.Equal(t, region, in.Get("region").String())
	}
	assert.Empty(t, c.get(base+"?region=NOWHERE").json.Array())

	// Create: BUILD without addresses, ACTIVE one second later.
	flavors := c.get("/cloud/project/" + pid + "/flavor?region=GRA11").json.Array()
	require.NotEmpty(t, flavors)
	keys := c.get("/cloud/project/" + pid + "/sshkey").json.Array()
	require.NotEmpty(t, keys)
	images := c.get("/cloud/project/" + pid + "/image?region=GRA11").json.Array()
	require.NotEmpty(t, images)
	body := `{"name":"fresh","flavorId":"` + flavors[2].Get("id").String() + `","region":"GRA11","imageId":"` +
		images[1].Get("id").String() + `","sshKeyId":"` + keys[0].Get("id").String() + `","monthlyBilling":true}`
	r := c.do("POST", base, body)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "BUILD", r.json.Get("status").String())
	assert.Equal(t, "[]", r.json.Get("ipAddresses").Raw)
	assert.Equal(t, "b2-7", r.json.Get("flavor.name").String())
	assert.Equal(t, "Ubuntu 24.04", r.json.Get("image.name").String())
	assert.Equal(t, "laptop", r.json.Get("sshKey.name").String())
	assert.Equal(t, "activationPending", r.json.Get("monthlyBilling.status").String())
	assert.Equal(t, "b2-7.monthly.postpaid", r.json.Get("planCode").String())
	iid := r.json.Get("id").String()
	item := base + "/" + iid
	assert.Equal(t, "BUILD", c.get(item).json.Get("status").String())
	requireError(t, c.do("POST", item+"/stop", ""), 409, "", "Instance "+iid+" is still being built")
	c.srv.SkewClock(time.Second)
	got := c.get(item).json
	assert.Equal(t, "ACTIVE", got.Get("status").String())
	assert.Len(t, got.Get("ipAddresses").Array(), 2)
	assert.Len(t, c.get(base).json.Array(), 7)

	// Rename, stop, start, reboot, delete.
	r = c.do("PUT", item, `{"instanceName":"renamed"}`)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "renamed", c.get(item).json.Get("name").String())
	assert.Equal(t, "null", string(c.do("POST", item+"/stop", "").body))
	assert.Equal(t, "SHUTOFF", c.get(item).json.Get("status").String())
	assert.Equal(t, http.StatusOK, c.do("POST", item+"/start", "").status)
	assert.Equal(t, "ACTIVE", c.get(item).json.Get("status").String())
	assert.Equal(t, http.StatusOK, c.do("POST", item+"/reboot", `{"type":"hard"}`).status)
	assert.Equal(t, "HARD_REBOOT", c.get(item).json.Get("status").String())
	c.srv.SkewClock(time.Second)
	assert.Equal(t, "ACTIVE", c.get(item).json.Get("status").String())
	requireError(t, c.do("POST", item+"/reboot", `{"type":"gentle"}`), 400, "", "[type] Given data (gentle) does not belong to the cloud.instance.RebootTypeEnum enumeration")
	assert.Equal(t, http.StatusOK, c.do("DELETE", item, "").status)
	requireError(t, c.get(item), 404, "", "The requested object (instanceId = "+iid+") does not exist")
	assert.Len(t, c.get(base).json.Array(), 6)

	// Bad creates.
	for _, b := range []string{`{}`, `{"name":"x","flavorId":"nope","region":"GRA11"}`,
		`{"name":"x","flavorId":"` + flavors[0].Get("id").String() + `","region":"MARS1"}`,
		`{"name":"x","flavorId":"` + flavors[0].Get("id").String() + `","region":"GRA11","imageId":"nope"}`,
		`{"name":"x","flavorId":"` + flavors[0].Get("id").String() + `","region":"GRA11","sshKeyId":"nope"}`} {
		r := c.do("POST", base, b)
		assert.Equal(t, http.StatusBadRequest, r.status, "%s: %s", b, r.body)
	}
	// A flavor id of another region becomes the same flavor in the asked one;
	// no image means Debian 12.
	r = c.do("POST", base, `{"name":"x","flavorId":"`+flavors[0].Get("id").String()+`","region":"WAW1","userData":"#!/bin/sh","networks":[]}`)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "WAW1", r.json.Get("flavor.region").String())
	assert.Equal(t, flavors[0].Get("name").String(), r.json.Get("flavor.name").String())
	assert.Equal(t, "Debian 12", r.json.Get("image.name").String())
}

func TestDomainsAndRecords(t *testing.T) {
	c := newTC(t, Config{Zones: []string{"example.com", "Example.org."}, Records: 10})
	assert.Equal(t, []string{"example.com", "example.org"}, strs(c.get("/domain").json))
	assert.Equal(t, []string{"example.com", "example.org"}, strs(c.get("/domain/zone").json))
	d := c.get("/domain/example.org").json
	requireFields(t, d, "domain", "state", "suspensionState", "transferLockStatus", "nameServerType", "offer", "whoisOwner", "lastUpdate", "dnssecSupported")
	z := c.get("/domain/zone/example.org").json
	requireFields(t, z, "name", "nameServers", "dnssecSupported", "hasDnsAnycast", "lastUpdate")
	assert.Len(t, z.Get("nameServers").Array(), 2)

	base := "/domain/zone/example.org/record"
	ids := c.get(base).json.Array()
	require.Len(t, ids, 10)
	for i, id := range ids {
		assert.Equal(t, gjson.Number, id.Type, "record ids are numbers")
		if i > 0 {
			assert.Greater(t, id.Int(), ids[i-1].Int())
		}
		r := c.get(base + "/" + id.Raw).json
		assert.Equal(t, []string{"id", "zone", "fieldType", "subDomain", "target", "ttl"}, keys(r))
		assert.Equal(t, "example.org", r.Get("zone").String())
	}
	assert.Len(t, c.get(base+"?fieldType=NS").json.Array(), 2)
	assert.Len(t, c.get(base+"?subDomain=www").json.Array(), 1)
	assert.Len(t, c.get(base+"?fieldType=A&subDomain=").json.Array(), 1, "an empty subDomain is the apex")
	requireError(t, c.get(base+"?fieldType=XX"), 400, "", "[fieldType] Given data (XX) does not belong to the zone.NamedResolutionFieldTypeEnum enumeration")

	// Create, update, delete, refresh.
	r := c.do("POST", base, `{"fieldType":"A","subDomain":"API","target":"192.0.2.80","ttl":300}`)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "api", r.json.Get("subDomain").String())
	assert.Equal(t, int64(300), r.json.Get("ttl").Int())
	id := r.json.Get("id").Raw
	assert.Greater(t, r.json.Get("id").Int(), ids[9].Int())
	assert.Equal(t, r.json.Raw, c.get(base+"/"+id).json.Raw)

	r = c.do("PUT", base+"/"+id, `{"target":"192.0.2.81","ttl":60}`)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "null", string(r.body))
	rec := c.get(base + "/" + id).json
	assert.Equal(t, "192.0.2.81", rec.Get("target").String())
	assert.Equal(t, int64(60), rec.Get("ttl").Int())
	assert.Equal(t, "api", rec.Get("subDomain").String())
	assert.Equal(t, http.StatusOK, c.do("PUT", base+"/"+id, `{"fieldType":"A"}`).status, "the same type is accepted")
	requireError(t, c.do("PUT", base+"/"+id, `{"fieldType":"CNAME"}`), 400, "", "[fieldType] The field type of a record cannot be changed")
	requireError(t, c.do("PUT", base+"/"+id, `{"target":"2001:db8::1"}`), 400, "", "[target] Invalid IPv4 address: 2001:db8::1")
	requireError(t, c.do("POST", base, `{"fieldType":"AAAA","target":"192.0.2.1"}`), 400, "", "[target] Invalid IPv6 address: 192.0.2.1")
	requireError(t, c.do("POST", base, `{"fieldType":"A"}`), 400, "", "[target] Property is mandatory")
	requireError(t, c.do("POST", base, `{"fieldType":"BOGUS","target":"x"}`), 400, "", "[fieldType] Given data (BOGUS) does not belong to the zone.NamedResolutionFieldTypeEnum enumeration")

	r = c.do("DELETE", base+"/"+id, "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "null", string(r.body))
	requireError(t, c.get(base+"/"+id), 404, "", "The requested object (id = "+id+") does not exist")
	assert.Len(t, c.get(base).json.Array(), 10)

	assert.Equal(t, 0, c.srv.ZoneRefreshes("example.org"))
	before := c.get("/domain/zone/example.org").json.Get("lastUpdate").String()
	r = c.do("POST", "/domain/zone/example.org/refresh", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "null", string(r.body))
	assert.Equal(t, 1, c.srv.ZoneRefreshes("example.org"))
	assert.Equal(t, 1, c.srv.ZoneRefreshes("EXAMPLE.ORG"))
	assert.Equal(t, 0, c.srv.ZoneRefreshes("example.com"))
	assert.NotEqual(t, before, c.get("/domain/zone/example.org").json.Get("lastUpdate").String())
	assert.Equal(t, 0, c.srv.ZoneRefreshes("nope"))
}
