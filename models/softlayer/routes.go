package softlayer

import (
	"net/url"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
)

func f(name, typ string, doc ...string) stratus.Field {
	d := ""
	if len(doc) > 0 {
		d = doc[0]
	}
	return stratus.Field{Name: name, Type: typ, Doc: d}
}

// Default masks: the relational properties the typed getters read. No
// local property is named, so every default local property comes too.
var (
	guestMask    = wire.MustMask("mask[datacenter,status,powerState,activeTransaction[transactionStatus],tagReferences[tag],networkComponents[maxSpeed]]")
	hardwareMask = wire.MustMask("mask[datacenter,hardwareStatus,operatingSystem[softwareLicense[softwareDescription]],tagReferences[tag],networkComponents[maxSpeed]]")
	packageMask  = wire.MustMask("mask[type]")
	itemMask     = wire.MustMask("mask[itemCategory,prices[categories]]")
)

func withMask(path string, m wire.Mask) string {
	return path + "?" + url.Values{"objectMask": {m.String()}}.Encode()
}

// listFilters are the query parameters of every SoftLayer list: the mask
// and the filter (resultLimit is the pager's).
var listFilters = []stratus.FilterKey{
	{Name: "objectMask", Aliases: []string{"mask"}, Doc: "the object mask, mask[a,b[c]] or a;b.c"},
	{Name: "objectFilter", Aliases: []string{"filter"}, Doc: `the object filter, JSON: {"virtualGuests":{"hostname":{"operation":"^= web"}}}`},
}

func kind(name, plural, scope, item, list string, ttl time.Duration, fields ...stratus.Field) *stratus.Kind {
	return &stratus.Kind{Name: name, Plural: plural, Scope: scope, ItemPath: item, ListPath: list, IDField: "id",
		Pager: wire.Pager{}, TTL: ttl, Fields: fields, Filters: listFilters}
}

// partial marks a kind whose plain listing (no mask) carries its local
// properties only, while the item answer carries the kind's relational
// ones too. The model's own lists ask with the kind's mask and give
// whole items.
func partial(k *stratus.Kind) *stratus.Kind {
	k.Partial = true
	return k
}

// under places a kind below a parent kind.
func under(k *stratus.Kind, parent, param, list, item string) *stratus.Kind {
	k.Under = &stratus.Nesting{Parent: parent, Param: param, ListPath: list, ItemPath: item}
	return k
}

// The route table. Paths are REST paths below the endpoint; over XML-RPC
// the transport sends the same calls.
var (
	accountKind = kind("account", "accounts", "admin", "/SoftLayer_Account/getObject.json", "", time.Minute,
		f("id", "int"), f("accountId", "int"), f("companyName", "string"), f("firstName", "string"), f("lastName", "string"),
		f("email", "string"), f("address1", "string"), f("city", "string"), f("state", "string"), f("postalCode", "string"),
		f("country", "string"), f("officePhone", "string"), f("accountStatusId", "int"), f("isReseller", "int"),
		f("createDate", "time"), f("brandId", "int"))
	guestKind = partial(kind("virtual_guest", "virtual_guests", "infrastructure", withMask("/SoftLayer_Virtual_Guest/{id}/getObject.json", guestMask),
		"/SoftLayer_Account/getVirtualGuests.json", 15*time.Second,
		f("id", "int"), f("globalIdentifier", "string"), f("hostname", "string"), f("domain", "string"),
		f("fullyQualifiedDomainName", "string"), f("startCpus", "int"), f("maxCpu", "int"), f("maxMemory", "int", "MB"),
		f("hourlyBillingFlag", "bool"), f("localDiskFlag", "bool"), f("dedicatedAccountHostOnlyFlag", "bool"),
		f("privateNetworkOnlyFlag", "bool"), f("transientGuestFlag", "bool"), f("operatingSystemReferenceCode", "string"),
		f("primaryIpAddress", "string"), f("primaryBackendIpAddress", "string"), f("createDate", "time"),
		f("modifyDate", "time"), f("provisionDate", "time", "absent while provisioning"),
		f("datacenter", "object", "{id,name,longName}"), f("status", "object", "{keyName,name}"),
		f("powerState", "object", "{keyName:RUNNING|HALTED,name}"), f("activeTransaction", "object", "{transactionStatus{name,friendlyName}}; absent when idle"),
		f("tagReferences", "[]object", "[{tag{name}}]"), f("networkComponents", "[]object", "[{maxSpeed}]")))
	hardwareKind = partial(kind("hardware", "hardware", "infrastructure", withMask("/SoftLayer_Hardware_Server/{id}/getObject.json", hardwareMask),
		"/SoftLayer_Account/getHardware.json", 15*time.Second,
		f("id", "int"), f("globalIdentifier", "string"), f("hostname", "string"), f("domain", "string"),
		f("fullyQualifiedDomainName", "string"), f("processorPhysicalCoreAmount", "uint"), f("memoryCapacity", "uint", "GB"),
		f("primaryIpAddress", "string"), f("primaryBackendIpAddress", "string"), f("networkManagementIpAddress", "string"),
		f("hardwareStatusId", "int"), f("hardwareStatus", "object", "{status}"), f("datacenter", "object"),
		f("provisionDate", "time"), f("notes", "string"), f("bareMetalInstanceFlag", "int"),
		f("operatingSystem", "object", "{softwareLicense{softwareDescription{referenceCode,name,version}}}")))
	zoneKind = kind("dns_zone", "dns_zones", "network", "/SoftLayer_Dns_Domain/{id}/getObject.json", "/SoftLayer_Account/getDomains.json", time.Minute,
		f("id", "int"), f("name", "string"), f("serial", "int", "YYYYMMDDnn"), f("updateDate", "time"),
		f("resourceRecordCount", "uint"), f("resourceRecords", "[]dns_record", "masked only"))
	recordKind = under(kind("dns_record", "dns_records", "network", "/SoftLayer_Dns_Domain_ResourceRecord/{id}/getObject.json", "", time.Minute,
		f("id", "int"), f("domainId", "int"), f("host", "string"), f("data", "string"), f("type", "string", "a, aaaa, cname, mx, txt, ptr, ns, spf"),
		f("ttl", "int"), f("mxPriority", "int"), f("expire", "int"), f("minimum", "int"), f("refresh", "int"),
		f("retry", "int"), f("responsiblePerson", "string")),
		"dns_zone", "zone", "/SoftLayer_Dns_Domain/{parent}/getResourceRecords.json", "/SoftLayer_Dns_Domain_ResourceRecord/{id}/getObject.json")
	datacenterKind = kind("datacenter", "datacenters", "geography", "/SoftLayer_Location_Datacenter/{id}/getObject.json",
		"/SoftLayer_Location_Datacenter/getDatacenters.json", 10*time.Minute,
		f("id", "int"), f("name", "string", "dal10"), f("longName", "string", "Dallas 10"), f("statusId", "int"))
	packageKind = partial(kind("product_package", "product_packages", "infrastructure", withMask("/SoftLayer_Product_Package/{id}/getObject.json", packageMask),
		"/SoftLayer_Product_Package/getAllObjects.json", 10*time.Minute,
		f("id", "int"), f("name", "string"), f("keyName", "string"), f("description", "string"), f("isActive", "int"),
		f("type", "object", "{keyName: VIRTUAL_SERVER_INSTANCE, ...}")))
	itemKind = under(kind("product_item", "product_items", "infrastructure", "", "", 10*time.Minute,
		f("id", "int"), f("keyName", "string"), f("description", "string"), f("capacity", "string"),
		f("itemCategory", "object", "{categoryCode}"), f("prices", "[]object", "[{id,hourlyRecurringFee,recurringFee,categories}]")),
		"product_package", "package", "/SoftLayer_Product_Package/{parent}/getItems.json", "")
)

var kinds = []*stratus.Kind{accountKind, guestKind, hardwareKind, zoneKind, recordKind, datacenterKind, packageKind, itemKind}

func init() {
	accountKind.New = func(r *stratus.Resource) stratus.Object { return &AccountHandle{newHandle(r, wire.Mask{})} }
	guestKind.New = func(r *stratus.Resource) stratus.Object { return &GuestHandle{newHandle(r, wire.Mask{})} }
	hardwareKind.New = func(r *stratus.Resource) stratus.Object { return &HardwareHandle{newHandle(r, wire.Mask{})} }
	zoneKind.New = func(r *stratus.Resource) stratus.Object { return &ZoneHandle{newHandle(r, wire.Mask{})} }
	recordKind.New = func(r *stratus.Resource) stratus.Object { return &RecordHandle{newHandle(r, wire.Mask{})} }
	datacenterKind.New = func(r *stratus.Resource) stratus.Object { return &DatacenterHandle{newHandle(r, wire.Mask{})} }
	packageKind.New = func(r *stratus.Resource) stratus.Object { return &PackageHandle{newHandle(r, wire.Mask{})} }
	itemKind.New = func(r *stratus.Resource) stratus.Object { return &ItemHandle{newHandle(r, wire.Mask{})} }
}

// defaultMask is the mask a kind's items are loaded with.
func defaultMask(k *stratus.Kind) wire.Mask {
	switch k.Name {
	case guestKind.Name:
		return guestMask
	case hardwareKind.Name:
		return hardwareMask
	case packageKind.Name:
		return packageMask
	case itemKind.Name:
		return itemMask
	}
	return wire.Mask{}
}

// fullMask is the mask that loads what a handle loaded with m lacks: the
// kind's mask, and the parts of m that the kind's default local
// properties do not already bring (relational properties, with their
// sub-masks). Naming a local property would drop the other defaults.
func fullMask(k *stratus.Kind, m wire.Mask) wire.Mask {
	local := map[string]bool{}
	for _, fd := range k.Fields {
		if fd.Type != "object" && !strings.HasPrefix(fd.Type, "[]") {
			local[fd.Name] = true
		}
	}
	out := defaultMask(k)
	for _, n := range m.Names() {
		sub, _ := m.Sub(n)
		if local[n] && sub.Empty() {
			continue
		}
		out = out.Merge(wire.Mask{}.Add(n).Merge(prefix(n, sub)))
	}
	return out
}

// prefix puts a mask under a property name.
func prefix(name string, m wire.Mask) wire.Mask {
	out := wire.Mask{}.Add(name)
	var walk func(path string, n wire.Mask)
	walk = func(path string, n wire.Mask) {
		for _, k := range n.Names() {
			s, _ := n.Sub(k)
			out = out.Add(path + "." + k)
			walk(path+"."+k, s)
		}
	}
	walk(name, m)
	return out
}
