package softlayertest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode"

	wire "github.com/stratus-cloud/stratus/transport/softlayer"
)

// dispatch serves a call: the method, or, when the service has no such
// method, the same name with "get" put before it (as the API does).
func (s *Server) dispatch(q *req) answer {
	h, ok := services[q.Service]
	if !ok {
		if strings.HasPrefix(q.Service, "SoftLayer_Dns_Domain_ResourceRecord") {
			h = services["SoftLayer_Dns_Domain_ResourceRecord"]
		} else {
			return fail(http.StatusNotFound, wire.CodePublic, "Service does not exist")
		}
	}
	a, found := h(s, q, q.Method)
	if !found && !strings.HasPrefix(q.Method, "get") && q.Method != "" {
		a, found = h(s, q, "get"+upperFirst(q.Method))
	}
	if !found {
		return fail(http.StatusNotFound, wire.CodePublic, fmt.Sprintf("Function (\"%s\") is not a valid method for this service.", q.Method))
	}
	return a
}

type service func(s *Server, q *req, method string) (answer, bool)

var services map[string]service

func init() {
	services = map[string]service{
		"SoftLayer_Account":                   (*Server).accountSvc,
		"SoftLayer_Virtual_Guest":             (*Server).guest,
		"SoftLayer_Hardware":                  (*Server).hardwareSvc,
		"SoftLayer_Hardware_Server":           (*Server).hardwareSvc,
		"SoftLayer_Dns_Domain":                (*Server).domain,
		"SoftLayer_Dns_Domain_ResourceRecord": (*Server).record,
		"SoftLayer_Location_Datacenter":       (*Server).location,
		"SoftLayer_Location":                  (*Server).location,
		"SoftLayer_Product_Package":           (*Server).productPackage,
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

func list(items []obj, root string) answer { return answer{list: items, isList: true, root: root} }

// property answers a generic getter, getX, with the property x of o: a
// list, an object or a scalar.
func property(o obj, method string) (answer, bool) {
	name, ok := strings.CutPrefix(method, "get")
	if !ok || name == "" {
		return answer{}, false
	}
	prop := lowerFirst(name)
	v, ok := o[prop]
	if !ok {
		return answer{scalar: nil}, true
	}
	switch x := v.(type) {
	case obj:
		return answer{one: x}, true
	case []any:
		items := make([]obj, 0, len(x))
		for _, e := range x {
			if eo, ok := e.(obj); ok {
				items = append(items, eo)
			}
		}
		return list(items, prop), true
	}
	return answer{scalar: v}, true
}

// --- SoftLayer_Account

func (s *Server) accountView() obj {
	a := clone(s.account)
	g := s.guests.list()
	var hourly, monthly []any
	all := make([]any, len(g))
	for i, x := range g {
		all[i] = x
		if truthy(x["hourlyBillingFlag"]) {
			hourly = append(hourly, x)
		} else {
			monthly = append(monthly, x)
		}
	}
	a["virtualGuests"], a["hourlyVirtualGuests"], a["monthlyVirtualGuests"] = all, hourly, monthly
	a["hardware"] = toAny(s.hardware.list())
	a["domains"] = toAny(s.domainViews())
	return a
}

func toAny(l []obj) []any {
	out := make([]any, len(l))
	for i, o := range l {
		out[i] = o
	}
	return out
}

func (s *Server) accountSvc(q *req, method string) (answer, bool) {
	switch method {
	case "getObject":
		return answer{one: s.accountView()}, true
	case "getVirtualGuests":
		return list(s.guests.list(), "virtualGuests"), true
	case "getHourlyVirtualGuests", "getMonthlyVirtualGuests":
		hourly := method == "getHourlyVirtualGuests"
		var out []obj
		for _, g := range s.guests.list() {
			if truthy(g["hourlyBillingFlag"]) == hourly {
				out = append(out, g)
			}
		}
		return list(out, lowerFirst(strings.TrimPrefix(method, "get"))), true
	case "getHardware":
		return list(s.hardware.list(), "hardware"), true
	case "getDomains":
		return list(s.domainViews(), "domains"), true
	case "getCurrentUser":
		return answer{one: s.account["masterUser"].(obj)}, true
	}
	return property(s.accountView(), method)
}

// --- SoftLayer_Virtual_Guest

func (s *Server) guest(q *req, method string) (answer, bool) {
	switch method {
	case "createObject":
		t, _ := q.param(0)
		tpl, ok := t.(obj)
		if !ok {
			return fail(http.StatusInternalServerError, wire.CodeInvalidValue, "createObject takes a SoftLayer_Virtual_Guest template."), true
		}
		g, a := s.createGuest(tpl, q)
		if a.err != nil {
			return a, true
		}
		return answer{one: g}, true
	case "createObjects":
		t, _ := q.param(0)
		tpls, ok := t.([]any)
		if !ok || len(tpls) == 0 {
			return fail(http.StatusInternalServerError, wire.CodeInvalidValue, "createObjects takes an array of templates."), true
		}
		for _, x := range tpls { // validate all before creating any
			tpl, _ := x.(obj)
			if a := validateGuest(tpl, s); a.err != nil {
				return a, true
			}
		}
		var out []obj
		for _, x := range tpls {
			g, _ := s.createGuest(x.(obj), q)
			out = append(out, g)
		}
		return answer{list: out, isList: true}, true
	case "getCreateObjectOptions":
		return answer{one: s.createOptions()}, true
	}
	id, ok := q.id()
	if !ok {
		return fail(http.StatusNotFound, wire.CodeObjectNotFound, "Object does not exist to execute method on. (SoftLayer_Virtual_Guest::"+method+")"), true
	}
	g := s.guests.get(id)
	if g == nil {
		return notFound(q.ID), true
	}
	now := rfc3339(q.now)
	switch method {
	case "getObject":
		return answer{one: g}, true
	case "deleteObject":
		s.guests.del(id)
		delete(s.provisions, id)
		return answer{scalar: true}, true
	case "editObject":
		t, _ := q.param(0)
		tpl, ok := t.(obj)
		if !ok {
			return fail(http.StatusInternalServerError, wire.CodeInvalidValue, "editObject takes a template."), true
		}
		for _, k := range []string{"hostname", "domain", "notes"} {
			if v, ok := tpl[k]; ok {
				g[k] = str(v)
			}
		}
		g["fullyQualifiedDomainName"] = str(g["hostname"]) + "." + str(g["domain"])
		g["modifyDate"] = now
		return answer{scalar: true}, true
	case "powerOff", "powerOffSoft":
		g["powerState"] = obj{"keyName": "HALTED", "name": "Halted"}
		return answer{scalar: true}, true
	case "powerOn":
		g["powerState"] = obj{"keyName": "RUNNING", "name": "Running"}
		return answer{scalar: true}, true
	case "rebootSoft", "rebootHard", "rebootDefault", "powerCycle":
		g["powerState"] = obj{"keyName": "RUNNING", "name": "Running"}
		return answer{scalar: true}, true
	case "setTags":
		t, _ := q.param(0)
		g["tagReferences"] = tagRefs(str(t))
		return answer{scalar: true}, true
	}
	return property(g, method)
}

func tagRefs(s string) []any {
	var out []any
	seen := map[string]bool{}
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(t)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, obj{"tag": obj{"name": t}})
	}
	if out == nil {
		out = []any{}
	}
	return out
}

func missing(prop string) answer {
	return fail(http.StatusInternalServerError, wire.CodeMissingProp, "Property '"+prop+"' must be set to create an instance of 'SoftLayer_Virtual_Guest'.")
}

func validateGuest(tpl obj, s *Server) answer {
	if tpl == nil {
		return fail(http.StatusInternalServerError, wire.CodeInvalidValue, "A template object is required.")
	}
	for _, k := range []string{"hostname", "domain"} {
		if str(tpl[k]) == "" {
			return missing(k)
		}
	}
	if num(tpl["startCpus"]) <= 0 {
		return missing("startCpus")
	}
	if num(tpl["maxMemory"]) <= 0 {
		return missing("maxMemory")
	}
	if _, ok := tpl["hourlyBillingFlag"]; !ok {
		return missing("hourlyBillingFlag")
	}
	_, hasOS := tpl["operatingSystemReferenceCode"]
	_, hasImage := tpl["blockDeviceTemplateGroup"]
	if hasOS == hasImage {
		return fail(http.StatusInternalServerError, wire.CodeInvalidValue, "Exactly one of 'operatingSystemReferenceCode' and 'blockDeviceTemplateGroup' must be given.")
	}
	dc, _ := tpl["datacenter"].(obj)
	if dc == nil || str(dc["name"]) == "" {
		return missing("datacenter.name")
	}
	if s.datacenter(str(dc["name"])) == nil {
		return fail(http.StatusInternalServerError, wire.CodeInvalidValue, "Invalid value provided for 'datacenter.name'.")
	}
	return answer{}
}

// createGuest makes a guest from a template: it starts with an active
// transaction and no provision date, and is ready once its transactions
// have run on the clock.
func (s *Server) createGuest(tpl obj, q *req) (obj, answer) {
	if a := validateGuest(tpl, s); a.err != nil {
		return nil, a
	}
	id := s.id()
	n := len(s.guests.m) + 1
	dc, _ := tpl["datacenter"].(obj)
	g := obj{
		"hostname": str(tpl["hostname"]), "domain": str(tpl["domain"]),
		"globalIdentifier": fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", id, n%0xffff, id%0xfff, n%0xfff, id*7919),
		"startCpus":        num(tpl["startCpus"]), "maxCpu": num(tpl["startCpus"]), "maxMemory": num(tpl["maxMemory"]),
		"hourlyBillingFlag": truthy(tpl["hourlyBillingFlag"]), "localDiskFlag": truthy(tpl["localDiskFlag"]),
		"dedicatedAccountHostOnlyFlag": truthy(tpl["dedicatedAccountHostOnlyFlag"]),
		"privateNetworkOnlyFlag":       truthy(tpl["privateNetworkOnlyFlag"]), "transientGuestFlag": truthy(tpl["transientGuestFlag"]),
		"datacenter": s.datacenter(str(dc["name"])),
		"status":     obj{"keyName": "ACTIVE", "name": "Active"}, "powerState": obj{"keyName": "HALTED", "name": "Halted"},
		"createDate": rfc3339(q.now), "modifyDate": rfc3339(q.now),
		"primaryIpAddress": fmt.Sprintf("169.45.%d.%d", (id/250)%250, 2+id%250), "primaryBackendIpAddress": fmt.Sprintf("10.170.%d.%d", (id/250)%250, 2+id%250),
		"tagReferences": []any{}, "networkComponents": []any{obj{"maxSpeed": int64(100), "name": "eth", "port": int64(1)}},
		"accountId": int64(1234),
	}
	if v, ok := tpl["operatingSystemReferenceCode"]; ok {
		g["operatingSystemReferenceCode"] = str(v)
	} else {
		g["blockDeviceTemplateGroup"] = tpl["blockDeviceTemplateGroup"]
	}
	if nc, ok := tpl["networkComponents"].([]any); ok && len(nc) > 0 {
		if c, ok := nc[0].(obj); ok && num(c["maxSpeed"]) > 0 {
			g["networkComponents"] = []any{obj{"maxSpeed": num(c["maxSpeed"]), "name": "eth", "port": int64(1)}}
		}
	}
	for _, k := range []string{"userData", "sshKeys", "postInstallScriptUri"} {
		if v, ok := tpl[k]; ok {
			g[k] = v
		}
	}
	g["fullyQualifiedDomainName"] = str(g["hostname"]) + "." + str(g["domain"])
	s.guests.put(id, g)
	s.provisions[id] = q.now
	s.settle(q.now)
	return g, answer{}
}

// createOptions is a small getCreateObjectOptions answer from the seed.
func (s *Server) createOptions() obj {
	var dcs []any
	for _, d := range s.datacenters {
		dcs = append(dcs, obj{"template": obj{"datacenter": obj{"name": d["name"]}}})
	}
	var procs, mems []any
	for _, c := range []int64{1, 2, 4, 8, 16} {
		procs = append(procs, obj{"template": obj{"startCpus": c}})
	}
	for _, m := range []int64{1024, 2048, 4096, 8192, 16384} {
		mems = append(mems, obj{"template": obj{"maxMemory": m}})
	}
	return obj{"datacenters": dcs, "processors": procs, "memory": mems,
		"operatingSystems": []any{obj{"template": obj{"operatingSystemReferenceCode": "UBUNTU_LATEST"}}, obj{"template": obj{"operatingSystemReferenceCode": "CENTOS_LATEST"}}}}
}

// --- SoftLayer_Hardware(_Server)

func (s *Server) hardwareSvc(q *req, method string) (answer, bool) {
	id, ok := q.id()
	if !ok {
		return fail(http.StatusNotFound, wire.CodeObjectNotFound, "Object does not exist to execute method on. ("+q.Service+"::"+method+")"), true
	}
	h := s.hardware.get(id)
	if h == nil {
		return notFound(q.ID), true
	}
	switch method {
	case "getObject":
		return answer{one: h}, true
	case "powerOff", "powerOn", "powerCycle", "rebootSoft", "rebootHard", "rebootDefault":
		return answer{scalar: true}, true
	case "setTags":
		t, _ := q.param(0)
		h["tagReferences"] = tagRefs(str(t))
		return answer{scalar: true}, true
	case "editObject":
		t, _ := q.param(0)
		if tpl, ok := t.(obj); ok {
			for _, k := range []string{"hostname", "domain", "notes"} {
				if v, ok := tpl[k]; ok {
					h[k] = str(v)
				}
			}
			h["fullyQualifiedDomainName"] = str(h["hostname"]) + "." + str(h["domain"])
		}
		return answer{scalar: true}, true
	}
	return property(h, method)
}

// --- SoftLayer_Dns_Domain

func (s *Server) domainView(d obj) obj {
	v := clone(d)
	recs := s.recordsOf(num(d["id"]))
	v["resourceRecordCount"] = int64(len(recs))
	v["resourceRecords"] = toAny(recs)
	return v
}

func (s *Server) domainViews() []obj {
	ds := s.domains.list()
	out := make([]obj, len(ds))
	for i, d := range ds {
		out[i] = s.domainView(d)
	}
	return out
}

func (s *Server) recordsOf(domainID int64) []obj {
	var out []obj
	for _, r := range s.records.list() {
		if num(r["domainId"]) == domainID {
			out = append(out, r)
		}
	}
	return out
}

// recordMethods are Dns_Domain's create<Type>Record methods: the record
// type and whether an MX priority follows the ttl.
var recordMethods = map[string]string{
	"createARecord": "a", "createAaaaRecord": "aaaa", "createCnameRecord": "cname", "createMxRecord": "mx",
	"createNsRecord": "ns", "createPtrRecord": "ptr", "createSpfRecord": "spf", "createTxtRecord": "txt",
}

func (s *Server) domain(q *req, method string) (answer, bool) {
	switch method {
	case "createObject":
		t, _ := q.param(0)
		tpl, ok := t.(obj)
		if !ok || str(tpl["name"]) == "" {
			return fail(http.StatusInternalServerError, wire.CodeMissingProp, "Property 'name' must be set to create an instance of 'SoftLayer_Dns_Domain'."), true
		}
		name := strings.ToLower(str(tpl["name"]))
		for _, d := range s.domains.m {
			if str(d["name"]) == name {
				return fail(http.StatusInternalServerError, "SoftLayer_Exception_Dns_Domain_DuplicateDomain", "A domain record already exists for "+name+"."), true
			}
		}
		id := s.id()
		serial := num(tpl["serial"])
		if serial == 0 {
			serial, _ = strconv.ParseInt(q.now.Format("20060102")+"01", 10, 64)
		}
		d := obj{"name": name, "serial": serial, "updateDate": rfc3339(q.now)}
		s.domains.put(id, d)
		if rs, ok := tpl["resourceRecords"].([]any); ok {
			for _, x := range rs {
				if r, ok := x.(obj); ok {
					s.addRecord(id, r)
				}
			}
		}
		return answer{one: s.domainView(d)}, true
	case "getByDomainName":
		n, _ := q.param(0)
		var out []obj
		for _, d := range s.domainViews() {
			if strings.EqualFold(str(d["name"]), str(n)) {
				out = append(out, d)
			}
		}
		return list(out, ""), true
	}
	id, ok := q.id()
	if !ok {
		return fail(http.StatusNotFound, wire.CodeObjectNotFound, "Object does not exist to execute method on. (SoftLayer_Dns_Domain::"+method+")"), true
	}
	d := s.domains.get(id)
	if d == nil {
		return notFound(q.ID), true
	}
	if typ, ok := recordMethods[method]; ok {
		host, _ := q.param(0)
		data, _ := q.param(1)
		ttl, _ := q.param(2)
		r := obj{"host": str(host), "data": str(data), "ttl": num(ttl), "type": typ}
		if typ == "mx" {
			p, _ := q.param(3)
			r["mxPriority"] = num(p)
		}
		if str(host) == "" || str(data) == "" {
			return fail(http.StatusInternalServerError, wire.CodeInvalidValue, "A host and data are required."), true
		}
		return answer{one: s.addRecord(id, r)}, true
	}
	switch method {
	case "getObject":
		return answer{one: s.domainView(d)}, true
	case "deleteObject":
		s.domains.del(id)
		for _, r := range s.recordsOf(id) {
			s.records.del(num(r["id"]))
		}
		return answer{scalar: true}, true
	case "editObject":
		return answer{scalar: true}, true
	case "getResourceRecords":
		return list(s.recordsOf(id), "resourceRecords"), true
	case "getZoneFileContents":
		return answer{scalar: s.zoneFile(d)}, true
	}
	return property(s.domainView(d), method)
}

func (s *Server) addRecord(domainID int64, r obj) obj {
	rec := obj{}
	for _, k := range []string{"host", "data", "type", "ttl", "mxPriority", "expire", "minimum", "refresh", "retry", "responsiblePerson"} {
		if v, ok := r[k]; ok && v != nil {
			rec[k] = v
		}
	}
	if n := num(rec["ttl"]); n > 0 {
		rec["ttl"] = n
	} else {
		rec["ttl"] = nil
	}
	rec["host"], rec["data"] = str(rec["host"]), str(rec["data"])
	rec["domainId"] = domainID
	s.fillRecord(rec)
	id := s.id()
	s.records.put(id, rec)
	if d := s.domains.get(domainID); d != nil {
		d["serial"] = num(d["serial"]) + 1
	}
	return rec
}

// zoneFile renders a zone in BIND form.
func (s *Server) zoneFile(d obj) string {
	var b strings.Builder
	name := str(d["name"])
	fmt.Fprintf(&b, "$ORIGIN %s.\n$TTL 86400\n@ IN SOA ns1.softlayer.com. root.%s. (%d 7200 600 1728000 43200)\n", name, name, num(d["serial"]))
	recs := s.recordsOf(num(d["id"]))
	sort.SliceStable(recs, func(i, j int) bool { return num(recs[i]["id"]) < num(recs[j]["id"]) })
	for _, r := range recs {
		fmt.Fprintf(&b, "%s %d IN %s %s\n", str(r["host"]), num(r["ttl"]), strings.ToUpper(str(r["type"])), str(r["data"]))
	}
	return b.String()
}

// --- SoftLayer_Dns_Domain_ResourceRecord

func (s *Server) record(q *req, method string) (answer, bool) {
	switch method {
	case "createObject", "createObjects":
		t, _ := q.param(0)
		var tpls []any
		if method == "createObject" {
			tpls = []any{t}
		} else {
			tpls, _ = t.([]any)
		}
		var out []obj
		for _, x := range tpls {
			tpl, ok := x.(obj)
			if !ok || s.domains.get(num(tpl["domainId"])) == nil {
				return fail(http.StatusInternalServerError, wire.CodeInvalidValue, "A valid domainId is required."), true
			}
			if str(tpl["host"]) == "" || str(tpl["data"]) == "" || str(tpl["type"]) == "" {
				return fail(http.StatusInternalServerError, wire.CodeMissingProp, "Properties 'host', 'data' and 'type' must be set to create a resource record."), true
			}
		}
		for _, x := range tpls {
			tpl := x.(obj)
			out = append(out, s.addRecord(num(tpl["domainId"]), tpl))
		}
		if method == "createObject" {
			return answer{one: out[0]}, true
		}
		return answer{list: out, isList: true}, true
	}
	id, ok := q.id()
	if !ok {
		return fail(http.StatusNotFound, wire.CodeObjectNotFound, "Object does not exist to execute method on. ("+q.Service+"::"+method+")"), true
	}
	r := s.records.get(id)
	if r == nil {
		return notFound(q.ID), true
	}
	switch method {
	case "getObject":
		return answer{one: r}, true
	case "deleteObject":
		s.records.del(id)
		return answer{scalar: true}, true
	case "editObject":
		t, _ := q.param(0)
		if tpl, ok := t.(obj); ok {
			for _, k := range []string{"host", "data", "ttl", "type", "mxPriority"} {
				if v, ok := tpl[k]; ok {
					r[k] = v
				}
			}
			s.fillRecord(r)
		}
		return answer{scalar: true}, true
	case "getDomain":
		if d := s.domains.get(num(r["domainId"])); d != nil {
			return answer{one: s.domainView(d)}, true
		}
	}
	return property(r, method)
}

// --- SoftLayer_Location(_Datacenter)

func (s *Server) location(q *req, method string) (answer, bool) {
	switch method {
	case "getDatacenters", "getAllObjects", "getViewablePopsAndDataCenters", "getViewableDatacenters":
		return list(s.datacenters, ""), true
	}
	id, ok := q.id()
	if !ok {
		return fail(http.StatusNotFound, wire.CodeObjectNotFound, "Object does not exist to execute method on. ("+q.Service+"::"+method+")"), true
	}
	for _, d := range s.datacenters {
		if num(d["id"]) == id {
			if method == "getObject" {
				return answer{one: d}, true
			}
			return property(d, method)
		}
	}
	return notFound(q.ID), true
}

// --- SoftLayer_Product_Package

func (s *Server) productPackage(q *req, method string) (answer, bool) {
	if method == "getAllObjects" {
		return list(s.packages.list(), ""), true
	}
	id, ok := q.id()
	if !ok {
		return fail(http.StatusNotFound, wire.CodeObjectNotFound, "Object does not exist to execute method on. (SoftLayer_Product_Package::"+method+")"), true
	}
	p := s.packages.get(id)
	if p == nil {
		return notFound(q.ID), true
	}
	switch method {
	case "getObject":
		return answer{one: p}, true
	case "getItemPrices":
		var out []obj
		for _, it := range p["items"].([]any) {
			item := it.(obj)
			if ps, ok := item["prices"].([]any); ok {
				for _, x := range ps {
					if pr, ok := x.(obj); ok {
						pr = clone(pr)
						pr["item"] = obj{"id": item["id"], "keyName": item["keyName"], "description": item["description"]}
						out = append(out, pr)
					}
				}
			}
		}
		return list(out, "itemPrices"), true
	}
	return property(p, method)
}
