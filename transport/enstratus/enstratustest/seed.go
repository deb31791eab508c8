package enstratustest

import (
	"embed"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tidwall/gjson"
)

// The fixtures are copies of the JSON answers shipped with mixcoatl's tests
// (see doc.go), plus stratus-seed.json, which is ours.
//
//go:embed fixtures/*.json
var fixtureFS embed.FS

// kindSpec describes a resource type.
type kindSpec struct {
	name, path, coll, idKey, noun string
	numeric                       bool
}

// kindSpecs is every kind, with the path, collection key and id field of
// mixcoatl's resource table.
var kindSpecs = []kindSpec{
	{kCloud, "geography/Cloud", "clouds", "cloudId", "cloud", true},
	{kRegion, "geography/Region", "regions", "regionId", "region", true},
	{kDataCenter, "geography/DataCenter", "dataCenters", "dataCenterId", "data center", true},
	{kSubscription, "geography/Subscription", "subscriptions", "regionId", "subscription", true},
	{kServer, "infrastructure/Server", "servers", "serverId", "server", true},
	{kMachineImage, "infrastructure/MachineImage", "images", "machineImageId", "machine image", true},
	{kServerProduct, "infrastructure/ServerProduct", "serverProducts", "productId", "server product", true},
	{kVolume, "infrastructure/Volume", "volumes", "volumeId", "volume", true},
	{kSnapshot, "infrastructure/Snapshot", "snapshots", "snapshotId", "snapshot", true},
	{kFirewall, "network/Firewall", "firewalls", "firewallId", "firewall", true},
	{kFirewallRule, "network/FirewallRule", "rules", "firewallRuleId", "firewall rule", true},
	{kLoadBalancer, "network/LoadBalancer", "loadBalancers", "loadBalancerId", "load balancer", true},
	{kAccount, "admin/Account", "accounts", "accountId", "account", true},
	{kUser, "admin/User", "users", "userId", "user", true},
	{kJob, "admin/Job", "jobs", "jobId", "job", true},
	{kAPIKey, "admin/ApiKey", "apiKeys", "accessKey", "API key", false},
	{kBillingCode, "admin/BillingCode", "billingCodes", "billingCodeId", "billing code", true},
	{kGroup, "admin/Group", "groups", "groupId", "group", true},
	{kRole, "admin/Role", "roles", "roleId", "role", true},
	{kCustomer, "", "customers", "customerId", "customer", true},
}

// idKeys maps a kind name to its id field, for reading references.
var idKeys = func() map[string]string {
	m := make(map[string]string, len(kindSpecs))
	for _, k := range kindSpecs {
		m[k.name] = k.idKey
	}
	return m
}()

// defaultBudget is the billing code of a launch that names none: the
// defaultBudget of the fixture account 16000.
const defaultBudget = 10287

// Where generated and launched servers get their ids.
const generatedServerBase = 340000

// seed builds the world from the fixtures, then the generated servers and
// the simulator's own key. It is deterministic for a given Config.
func (s *Server) seed() {
	w := &s.world
	w.kinds = make(map[string]*kind, len(kindSpecs))
	w.routes = make(map[string]*kind, len(kindSpecs))
	w.busy = make(map[string]*pending)
	w.rnd = rand.New(rand.NewPCG(uint64(s.cfg.Seed), 0x776f726c64))
	filters := s.filters()
	for _, sp := range kindSpecs {
		k := &kind{name: sp.name, path: sp.path, coll: sp.coll, idKey: sp.idKey, noun: sp.noun,
			numeric: sp.numeric, filter: filters[sp.name], byID: make(map[string]*object)}
		w.kinds[k.name] = k
		if k.path != "" {
			w.routes[k.path] = k
		}
	}

	// Ours for what mixcoatl's data lack, the copies of its JSON answers,
	// then its test data (clouds, regions, data centers, firewalls and
	// rules, images, products and jobs). Where two appearances of one
	// object differ, the one with more fields wins, the first on a tie, so
	// that an extended answer reproduces its fixture.
	s.loadFixture("stratus-seed.json", "dataCenters", kDataCenter, true)
	s.loadFixture("stratus-seed.json", "rules", kFirewallRule, true)
	s.loadFixture("subscription.json", "subscriptions", kSubscription, true)
	s.loadFixture("user.json", "users", kUser, true)
	s.loadFixture("group.json", "groups", kGroup, true)
	s.loadFixture("role.json", "roles", kRole, true)
	s.loadFixture("billing_code.json", "billingCodes", kBillingCode, true)
	s.loadFixture("job.json", "jobs", kJob, true)
	s.loadFixture("volume.json", "volumes", kVolume, true)
	s.loadFixture("snapshot.json", "snapshots", kSnapshot, true)
	s.loadFixture("load_balancer.json", "loadBalancers", kLoadBalancer, true)
	s.loadFixture("apikey.json", "apiKeys", kAPIKey, true)
	// Every fixture server teaches the world its clouds, regions, data
	// centers, images, products, firewalls, users and groups; only the
	// first Config.Servers become servers.
	templates := s.loadFixture("server.json", "servers", kServer, false)
	for _, f := range mixcoatlData {
		s.loadWrapped(f.file, f.key, f.coll, f.kind)
	}
	servers := w.kind(kServer)
	for i := range s.cfg.Servers {
		t := templates[i%len(templates)]
		if i < len(templates) {
			servers.put(t)
			continue
		}
		servers.put(s.generateServer(t, i))
	}
	s.addOwnKey()

	for _, k := range w.kinds[kJob].order {
		w.nextJob = max(w.nextJob, k.num)
	}
	w.nextServer = generatedServerBase + int64(s.cfg.Servers)
	for _, o := range servers.order {
		w.nextServer = max(w.nextServer, o.num)
	}
	for _, o := range w.kinds[kFirewallRule].order {
		w.nextRule = max(w.nextRule, o.num)
	}
	for _, o := range w.kinds[kAPIKey].order {
		if o.str("state") == "ACTIVE" {
			if sk := o.str("secretKey"); sk != "" {
				s.keys[o.id] = sk
			}
		}
	}
}

// mixcoatlData are the lists of mixcoatl's tests/data/*.py, as JSON: each
// file maps a variable name to the answer it holds (some hold the answer
// as a JSON string).
var mixcoatlData = []struct{ file, key, coll, kind string }{
	{"mixcoatl-cloud.json", "all_clouds", "clouds", kCloud},
	{"mixcoatl-region.json", "all_regions", "regions", kRegion},
	{"mixcoatl-datacenter.json", "all_datacenters", "dataCenters", kDataCenter},
	{"mixcoatl-firewall.json", "all_firewalls", "firewalls", kFirewall},
	{"mixcoatl-firewall.json", "firewall_rules", "rules", kFirewallRule},
	{"mixcoatl-machine_image.json", "all_machine_images", "images", kMachineImage},
	{"mixcoatl-server_product.json", "all_products", "serverProducts", kServerProduct},
	{"mixcoatl-job.json", "jobs", "jobs", kJob},
}

// loadWrapped absorbs the collection coll of the answer stored under key
// in one of mixcoatl's data files.
func (s *Server) loadWrapped(file, key, coll, kindName string) {
	raw, err := fixtureFS.ReadFile("fixtures/" + file)
	if err != nil {
		panic("enstratustest: " + err.Error())
	}
	v := gjson.GetBytes(raw, key)
	doc := v.Raw
	if v.Type == gjson.String {
		doc = v.Str
	}
	list := gjson.Get(doc, coll)
	if !list.IsArray() {
		panic("enstratustest: " + file + ": " + key + " has no " + coll)
	}
	k := s.kind(kindName)
	for _, item := range list.Array() {
		if _, ok := s.absorb(k, []byte(item.Raw), true); !ok {
			panic(fmt.Sprintf("enstratustest: %s: bad %s: %.80s", file, kindName, item.Raw))
		}
	}
}

// loadFixture absorbs every object of a fixture's collection and returns
// them in the fixture's order. It panics on a broken fixture: they are
// embedded, so that is a bug of this package.
func (s *Server) loadFixture(file, coll, kindName string, register bool) []*object {
	raw, err := fixtureFS.ReadFile("fixtures/" + file)
	if err != nil {
		panic("enstratustest: " + err.Error())
	}
	list := gjson.GetBytes(raw, coll)
	if !list.IsArray() {
		panic("enstratustest: fixture " + file + " has no " + coll)
	}
	k := s.kind(kindName)
	var out []*object
	for _, item := range list.Array() {
		o, ok := s.absorb(k, []byte(item.Raw), register)
		if !ok {
			panic(fmt.Sprintf("enstratustest: fixture %s: bad %s: %.80s", file, kindName, item.Raw))
		}
		out = append(out, o)
	}
	return out
}

// generateServer models server number i (0-based, past the fixture's) on a
// fixture server: same fields, new id, name, provider id, start date and
// addresses.
func (s *Server) generateServer(t *object, i int) *object {
	o := t.clone()
	n := int64(generatedServerBase + i)
	o.id, o.num = fmt.Sprint(n), n
	o.set("serverId", n)
	o.set("name", fmt.Sprintf("sim-server-%04d", i+1))
	o.set("providerId", fmt.Sprintf("i-%08x", s.rnd.Uint32()))
	started := epoch.Add(-time.Duration(s.rnd.IntN(90*24*3600)) * time.Second)
	o.set("startDate", stamp(started))
	if _, ok := o.vals["publicIpAddress"]; ok {
		setAddresses(o)
	}
	return o
}

// setAddresses gives a running server its documentation-range addresses,
// derived from its id.
func setAddresses(o *object) {
	n := o.num
	o.set("publicIpAddress", fmt.Sprintf("203.0.113.%d", n%250+1))
	o.set("privateIpAddresses", []string{fmt.Sprintf("10.%d.%d.%d", (n>>16)&255, (n>>8)&255, n&255|1)})
}

func dropAddresses(o *object) {
	o.del("publicIpAddress")
	o.del("privateIpAddresses")
}

// addOwnKey lists the simulator's key pair in admin/ApiKey, modelled on the
// first fixture key, so that it is both accepted and visible.
func (s *Server) addOwnKey() {
	k := s.kind(kAPIKey)
	if old := k.byID[s.access]; old != nil {
		old.set("secretKey", s.secret)
		old.set("state", "ACTIVE")
		return
	}
	o := k.order[0].clone()
	o.id = s.access
	o.set("accessKey", s.access)
	o.set("secretKey", s.secret)
	o.set("name", "stratus-simulator")
	o.set("description", "Key of the stratus simulator")
	o.set("activation", stamp(epoch.Add(-24*time.Hour)))
	o.set("state", "ACTIVE")
	k.put(o)
}

// stamp formats a time like the API: 2012-12-24T19:35:54.255+0000.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }
