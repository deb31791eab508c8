package softlayertest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// obj is one simulated object, as the JSON the API answers: scalars are
// its local properties, objects and arrays its relational ones.
type obj = map[string]any

type table struct {
	m      map[int64]obj
	sorted []obj // the objects by id; nil when a put or del changed them
}

func (t *table) put(id int64, o obj) {
	if t.m == nil {
		t.m = map[int64]obj{}
	}
	o["id"] = id
	t.m[id] = o
	t.sorted = nil
}

func (t *table) get(id int64) obj { return t.m[id] }
func (t *table) del(id int64) {
	delete(t.m, id)
	t.sorted = nil
}

func (t *table) ids() []int64 {
	ids := make([]int64, 0, len(t.m))
	for id := range t.m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// list returns the objects ordered by id; callers must not change the
// slice.
func (t *table) list() []obj {
	if t.sorted == nil {
		t.sorted = make([]obj, 0, len(t.m))
		for _, id := range t.ids() {
			t.sorted = append(t.sorted, t.m[id])
		}
	}
	return t.sorted
}

// world is the simulated account.
type world struct {
	account     obj
	guests      table
	hardware    table
	domains     table
	records     table
	packages    table
	datacenters []obj
	nextID      int64
	provisions  map[int64]time.Time // guest id -> when its provisioning started
}

//go:embed fixtures.json
var fixtureJSON []byte

// fixtures are the values softlayer-python's own tests use, trimmed to what
// the simulator seeds from.
type fixtures struct {
	Account      obj    `json:"account"`
	Guests       []obj  `json:"guests"`
	GuestDetail  obj    `json:"guestDetail"`
	Hardware     []obj  `json:"hardware"`
	Domains      []obj  `json:"domains"`
	Records      []obj  `json:"records"`
	ZoneFile     string `json:"zoneFile"`
	Datacenters  []obj  `json:"datacenters"`
	PackageItems []obj  `json:"packageItems"`
}

func loadFixtures() fixtures {
	var f fixtures
	d := json.NewDecoder(bytes.NewReader(fixtureJSON))
	d.UseNumber()
	if err := d.Decode(&f); err != nil {
		panic("softlayertest: fixtures: " + err.Error())
	}
	return f
}

// zone is the offset of the account's dates (US Central, as the fixtures).
var zone = time.FixedZone("CST", -6*3600)

func rfc3339(t time.Time) string { return t.In(zone).Format(time.RFC3339) }

// fixDate turns the fixtures' "2013-08-01 15:23:45" into RFC 3339.
func fixDate(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04:05", s, zone); err == nil {
		return rfc3339(t)
	}
	return s
}

func (w *world) id() int64 {
	w.nextID++
	return w.nextID
}

// Datacenters the generated objects are spread over, after the fixture's.
var spread = []string{"dal10", "dal09", "dal13"}

func (w *world) datacenter(name string) obj {
	for _, d := range w.datacenters {
		if strings.EqualFold(str(d["name"]), name) {
			return obj{"id": d["id"], "name": d["name"], "longName": d["longName"], "description": d["longName"]}
		}
	}
	return nil
}

func (s *Server) seed(cfg Config) {
	f := loadFixtures()
	w := &s.world
	w.nextID = 5_000_000
	w.provisions = map[int64]time.Time{}
	w.datacenters = append(w.datacenters, obj{"id": int64(50), "name": "TEST00", "longName": "Test Data Center", "statusId": int64(2)})
	for _, d := range f.Datacenters {
		d["statusId"] = int64(2)
		w.datacenters = append(w.datacenters, d)
	}
	slices.SortFunc(w.datacenters, func(a, b obj) int { return int(num(a["id"]) - num(b["id"])) })
	created := rfc3339(epoch.AddDate(0, -6, 0))

	w.account = obj{
		"id": int64(1234), "accountId": int64(1234), "brandId": int64(2),
		"companyName": "Stratus Test Company", "firstName": "Jane", "lastName": "Doe",
		"email": "jane.doe@example.com", "address1": "4849 Alpha Rd", "city": "Dallas",
		"state": "TX", "postalCode": "75244", "country": "US", "officePhone": "281.714.3156",
		"accountStatusId": int64(1001), "isReseller": int64(0), "createDate": created,
		"masterUser": obj{"id": int64(11111), "username": s.user},
	}
	for k, v := range f.Account {
		if _, isRel := v.([]any); !isRel {
			w.account[k] = v
		}
	}

	// Guests: the fixture's first, then generated ones.
	tags := []string{"web", "db", "production"}
	for i := 0; i < cfg.Guests; i++ {
		var g obj
		if i < len(f.Guests) {
			g = clone(f.Guests[i])
			for k, v := range f.GuestDetail {
				if _, has := g[k]; !has {
					g[k] = clone1(v)
				}
			}
		} else {
			n := i + 1
			dc := spread[i%len(spread)]
			cpus := []int64{1, 2, 4, 8}[i%4]
			mem := []int64{1024, 2048, 4096, 8192, 16384}[i%5]
			g = obj{
				"hostname": fmt.Sprintf("vs-test%d", n), "domain": "test.sftlyr.ws",
				"globalIdentifier": fmt.Sprintf("%06x-%04x", 0x1a2b3c+n, n), "maxCpu": cpus, "maxMemory": mem,
				"hourlyBillingFlag": i%2 == 1, "datacenter": w.datacenter(dc),
				"primaryIpAddress": fmt.Sprintf("172.16.%d.%d", 241+i/250, 2+i%250), "primaryBackendIpAddress": fmt.Sprintf("10.45.%d.%d", 20+i/250, 2+i%250),
				"status": obj{"keyName": "ACTIVE", "name": "Active"}, "powerState": obj{"keyName": "RUNNING", "name": "Running"},
				"tagReferences": []any{obj{"tag": obj{"name": tags[i%len(tags)]}}},
			}
		}
		id := num(g["id"])
		if id == 0 {
			id = int64(200 + i)
		}
		w.normalizeGuest(g, created)
		w.guests.put(id, g)
	}

	// Hardware: the fixture's, then generated ones with more memory.
	for i := 0; i < cfg.Hardware; i++ {
		var h obj
		if i < len(f.Hardware) {
			h = clone(f.Hardware[i])
		} else {
			n, j := i+1, i-len(f.Hardware)
			h = obj{
				"memoryCapacity": []int64{16, 64, 32, 4, 8}[j%5],
				"hostname":       fmt.Sprintf("hardware-test%d", n), "domain": "test.sftlyr.ws",
				"globalIdentifier": fmt.Sprintf("1a2b3c-%d", 1700+n), "hardwareStatus": obj{"status": "ACTIVE"},
				"primaryIpAddress": fmt.Sprintf("172.16.5.%d", n), "primaryBackendIpAddress": fmt.Sprintf("10.1.5.%d", n),
				"datacenter":      w.datacenter(spread[j%len(spread)]),
				"operatingSystem": obj{"softwareLicense": obj{"softwareDescription": obj{"name": "Ubuntu 20.04 LTS", "referenceCode": "UBUNTU_20_64", "version": "20.04"}}},
			}
		}
		if h["memoryCapacity"] == nil {
			h["memoryCapacity"] = []int64{8, 16, 32, 64, 4}[i%5]
		}
		if h["processorPhysicalCoreAmount"] == nil {
			h["processorPhysicalCoreAmount"] = []int64{4, 8, 16}[i%3]
		}
		if h["datacenter"] == nil {
			h["datacenter"] = w.datacenter("TEST00")
		}
		if dc, ok := h["datacenter"].(obj); ok && dc["id"] == nil {
			h["datacenter"] = w.datacenter(str(dc["name"]))
		}
		if h["provisionDate"] == nil {
			h["provisionDate"] = created
		}
		h["provisionDate"] = fixDate(h["provisionDate"])
		h["fullyQualifiedDomainName"] = str(h["hostname"]) + "." + str(h["domain"])
		h["hardwareStatusId"] = int64(5)
		h["bareMetalInstanceFlag"] = int64(0)
		h["accountId"] = int64(1234)
		id := num(h["id"])
		if id == 0 {
			id = int64(1000 + i)
		}
		w.hardware.put(id, h)
	}

	// Zones, each with the fixture's records.
	recID := int64(1)
	for i := 0; i < cfg.Domains; i++ {
		var d obj
		if i < len(f.Domains) {
			d = clone(f.Domains[i])
		} else {
			d = obj{"name": fmt.Sprintf("example%d.com", i+1), "serial": int64(2014030701 + i), "updateDate": created}
		}
		id := num(d["id"])
		if id == 0 {
			id = int64(12345 + i)
		}
		w.domains.put(id, d)
		for _, r := range f.Records {
			rec := clone(r)
			rec["domainId"] = id
			w.fillRecord(rec)
			w.records.put(recID, rec)
			recID++
		}
	}

	// The product package of virtual servers, its items priced in
	// categories.
	items := make([]any, 0, len(f.PackageItems))
	for i, it := range f.PackageItems {
		it = clone(it)
		if num(it["id"]) == 0 {
			it["id"] = int64(90000 + i)
		}
		items = append(items, it)
	}
	w.packages.put(46, obj{
		"name": "Cloud Server", "keyName": "CLOUD_SERVER", "description": "Virtual server instances",
		"isActive": int64(1), "type": obj{"keyName": "VIRTUAL_SERVER_INSTANCE"}, "items": items,
	})
	w.packages.put(200, obj{
		"name": "Bare Metal Server", "keyName": "BARE_METAL_SERVER", "description": "Bare metal servers",
		"isActive": int64(1), "type": obj{"keyName": "BARE_METAL_CPU"}, "items": []any{},
	})
}

// normalizeGuest fills the properties every guest has, typed as the API
// types them.
func (w *world) normalizeGuest(g obj, created string) {
	g["fullyQualifiedDomainName"] = str(g["hostname"]) + "." + str(g["domain"])
	if g["startCpus"] == nil {
		g["startCpus"] = g["maxCpu"]
	}
	for _, k := range []string{"localDiskFlag", "dedicatedAccountHostOnlyFlag", "privateNetworkOnlyFlag", "transientGuestFlag", "hourlyBillingFlag"} {
		g[k] = truthy(g[k])
	}
	if g["operatingSystemReferenceCode"] == nil {
		g["operatingSystemReferenceCode"] = "UBUNTU_LATEST"
	}
	for _, k := range []string{"createDate", "modifyDate", "provisionDate"} {
		if g[k] == nil {
			g[k] = created
		}
		g[k] = fixDate(g[k])
	}
	if g["networkComponents"] == nil {
		g["networkComponents"] = []any{obj{"maxSpeed": int64(1000), "name": "eth", "port": int64(1)}}
	}
	if g["tagReferences"] == nil {
		g["tagReferences"] = []any{}
	}
	g["accountId"] = int64(1234)
}

func (w *world) fillRecord(r obj) {
	if r["ttl"] == nil {
		r["ttl"] = int64(7200)
	}
	r["type"] = strings.ToLower(str(r["type"]))
	if r["mxPriority"] == nil {
		r["mxPriority"] = int64(0)
	}
	for k, v := range map[string]int64{"expire": 604800, "minimum": 3600, "refresh": 3600, "retry": 300} {
		if r[k] == nil {
			r[k] = v
		}
	}
	if r["responsiblePerson"] == nil {
		r["responsiblePerson"] = "root.example.com."
	}
}

// Provisioning: three transactions, one after the other.
var transactions = []struct{ name, friendly string }{
	{"CLOUD_CREATE_DISK", "Creating the disks"},
	{"CLOUD_INSTALL_OS", "Installing the operating system"},
	{"CLOUD_CONFIGURE_NETWORK", "Configuring the network"},
}

// settle moves every provisioning guest to the transaction its age gives,
// and finishes those that are done: no active transaction, a provision
// date, running.
func (s *Server) settle(now time.Time) {
	for id, start := range s.provisions {
		g := s.guests.get(id)
		if g == nil {
			delete(s.provisions, id)
			continue
		}
		step := int(now.Sub(start) / s.cfg.ProvisionStep)
		if step >= len(transactions) {
			delete(g, "activeTransaction")
			g["provisionDate"] = rfc3339(start.Add(time.Duration(len(transactions)) * s.cfg.ProvisionStep))
			g["powerState"] = obj{"keyName": "RUNNING", "name": "Running"}
			g["modifyDate"] = g["provisionDate"]
			delete(s.provisions, id)
			continue
		}
		t := transactions[max(step, 0)]
		g["activeTransaction"] = obj{
			"id": id*10 + int64(step), "elapsedSeconds": int64(now.Sub(start).Seconds()),
			"transactionStatus": obj{"name": t.name, "friendlyName": t.friendly},
		}
	}
}

// Helpers over the JSON values.

func clone(o obj) obj {
	out := make(obj, len(o))
	for k, v := range o {
		out[k] = clone1(v)
	}
	return out
}

func clone1(v any) any {
	switch x := v.(type) {
	case obj:
		return clone(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clone1(e)
		}
		return out
	}
	return v
}

func num(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	case json.Number:
		n, _ := strconv.ParseInt(string(x), 10, 64)
		return n
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case json.Number:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return fmt.Sprint(v)
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case nil:
		return false
	case string:
		return x != "" && x != "0" && !strings.EqualFold(x, "false")
	}
	return num(v) != 0
}

func serviceName(s string) string {
	if s == "" || strings.HasPrefix(s, "SoftLayer_") {
		return s
	}
	return "SoftLayer_" + s
}
