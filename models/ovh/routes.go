package ovh

import (
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/ovh"
)

// The route table: every kind this package models. OVH lists answer ids
// (IDList): items are unloaded handles whose details load ahead of the loop
// once it reads a field, or come whole from the bulk page mode (wire.Pager).
// Cloud instances are the exception: their list carries objects.
var (
	meKind = &stratus.Kind{
		Name: "me", Plural: "me", Scope: "admin", ItemPath: "/me", IDField: "nichandle", TTL: 5 * time.Minute,
		Fields: []stratus.Field{
			{Name: "nichandle", Type: "string", Doc: "the account id, e.g. ab12345-ovh"}, {Name: "email", Type: "string"},
			{Name: "firstname", Type: "string"}, {Name: "name", Type: "string", Doc: "last name"},
			{Name: "organisation", Type: "string"}, {Name: "country", Type: "string"}, {Name: "currency", Type: "object", Doc: "{code, symbol}"},
			{Name: "language", Type: "string"}, {Name: "legalform", Type: "string"}, {Name: "ovhCompany", Type: "string"},
			{Name: "ovhSubsidiary", Type: "string"}, {Name: "state", Type: "string", Doc: "complete, incomplete"},
			{Name: "phone", Type: "string"}, {Name: "address", Type: "string"}, {Name: "city", Type: "string"},
			{Name: "zip", Type: "string"}, {Name: "vat", Type: "string"}, {Name: "customerCode", Type: "string"},
			{Name: "kycValidated", Type: "bool"},
		},
	}
	billKind = &stratus.Kind{
		Name: "bill", Plural: "bills", Scope: "admin",
		ItemPath: "/me/bill/{id}", ListPath: "/me/bill", IDField: "billId", IDList: true, Pager: wire.Pager{}, TTL: 10 * time.Minute,
		Fields: []stratus.Field{
			{Name: "billId", Type: "string"}, {Name: "date", Type: "time"}, {Name: "orderId", Type: "int"},
			{Name: "category", Type: "string"}, {Name: "priceWithTax", Type: "price"}, {Name: "priceWithoutTax", Type: "price"},
			{Name: "tax", Type: "price"}, {Name: "pdfUrl", Type: "string", Doc: "carries the password (redacted)"},
			{Name: "url", Type: "string", Doc: "HTML view; carries the password (redacted)"},
			{Name: "password", Type: "string", Doc: "access password of the URLs (redacted)"},
		},
		// The URLs carry the password in their query (passwd=...).
		Secret: []string{"password", "pdfUrl", "url"},
		Filters: []stratus.FilterKey{
			{Name: "date.from", Aliases: []string{"from"}, Hint: "From(t)", Doc: "bills dated then or later (RFC 3339)"},
			{Name: "date.to", Aliases: []string{"to"}, Hint: "To(t)", Doc: "bills dated then or earlier (RFC 3339)"},
			{Name: "category", Hint: "Category(c)", Doc: "BillAutorenew, ..."},
			{Name: "orderId", Aliases: []string{"order"}, Hint: "Order(id)", Doc: "the bills of one order"},
		},
	}
	dedicatedServerKind = &stratus.Kind{
		Name: "dedicated_server", Plural: "dedicated_servers", Scope: "infrastructure",
		ItemPath: "/dedicated/server/{id}", ListPath: "/dedicated/server", IDField: "name", IDList: true, Pager: wire.Pager{}, TTL: time.Minute,
		Fields: []stratus.Field{
			{Name: "name", Type: "string", Doc: "the service name"}, {Name: "serverId", Type: "int"}, {Name: "ip", Type: "string"},
			{Name: "datacenter", Type: "string"}, {Name: "region", Type: "string"}, {Name: "availabilityZone", Type: "string"},
			{Name: "state", Type: "string", Doc: "ok, error, hacked, hackedBlocked"}, {Name: "powerState", Type: "string"},
			{Name: "os", Type: "string"}, {Name: "reverse", Type: "string"}, {Name: "rack", Type: "string"},
			{Name: "commercialRange", Type: "string"}, {Name: "linkSpeed", Type: "int"}, {Name: "monitoring", Type: "bool"},
			{Name: "noIntervention", Type: "bool"}, {Name: "professionalUse", Type: "bool"}, {Name: "newUpgradeSystem", Type: "bool"},
			{Name: "bootId", Type: "int"}, {Name: "bootScript", Type: "string"}, {Name: "efiBootloaderPath", Type: "string"},
			{Name: "rescueMail", Type: "string"}, {Name: "rescueSshKey", Type: "string"}, {Name: "rootDevice", Type: "string"},
			{Name: "supportLevel", Type: "string", Doc: "critical, fastpath, gs, pro"},
		},
		Filters: []stratus.FilterKey{{Name: "iamTags", Doc: "IAM tag expression"}},
	}
	projectKind = &stratus.Kind{
		Name: "cloud_project", Plural: "cloud_projects", Scope: "admin",
		ItemPath: "/cloud/project/{id}", ListPath: "/cloud/project", IDField: "project_id", IDList: true, Pager: wire.Pager{}, TTL: 5 * time.Minute,
		Fields: []stratus.Field{
			{Name: "project_id", Type: "string"}, {Name: "projectName", Type: "string"}, {Name: "description", Type: "string"},
			{Name: "status", Type: "string", Doc: "creating, ok, suspended, deleting, deleted"}, {Name: "planCode", Type: "string"},
			{Name: "creationDate", Type: "time"}, {Name: "expiration", Type: "time"}, {Name: "access", Type: "string", Doc: "full, restricted"},
			{Name: "manualQuota", Type: "bool"}, {Name: "unleash", Type: "bool"}, {Name: "orderId", Type: "int"},
		},
	}
	// Instances live under a project.
	instanceKind = &stratus.Kind{
		Name: "cloud_instance", Plural: "cloud_instances", Scope: "infrastructure",
		IDField: "id", Partial: true, TTL: 15 * time.Second,
		Fields: []stratus.Field{
			{Name: "id", Type: "string"}, {Name: "name", Type: "string"}, {Name: "status", Type: "string", Doc: "ACTIVE, BUILD, SHUTOFF, ..."},
			{Name: "region", Type: "string"}, {Name: "flavorId", Type: "string"}, {Name: "imageId", Type: "string"},
			{Name: "sshKeyId", Type: "string"}, {Name: "created", Type: "time"}, {Name: "ipAddresses", Type: "[]object", Doc: "{ip, type, version, networkId}"},
			{Name: "monthlyBilling", Type: "object", Doc: "{since, status}; null when billed hourly"}, {Name: "planCode", Type: "string"},
			{Name: "operationIds", Type: "[]string"}, {Name: "currentMonthOutgoingTraffic", Type: "int"},
			{Name: "flavor", Type: "object", Doc: "item answer only"}, {Name: "image", Type: "object", Doc: "item answer only"},
			{Name: "sshKey", Type: "object", Doc: "item answer only"},
		},
		Filters: []stratus.FilterKey{{Name: "region", Hint: "Region(region)", Doc: "GRA11, SBG5, ..."}},
		Under:   &stratus.Nesting{Parent: "cloud_project", Param: "project", ListPath: "/cloud/project/{parent}/instance", ItemPath: "/cloud/project/{parent}/instance/{id}"},
	}
	domainKind = &stratus.Kind{
		Name: "domain", Plural: "domains", Scope: "network",
		ItemPath: "/domain/{id}", ListPath: "/domain", IDField: "domain", IDList: true, Pager: wire.Pager{}, TTL: 5 * time.Minute,
		Fields: []stratus.Field{
			{Name: "domain", Type: "string"}, {Name: "state", Type: "string"}, {Name: "suspensionState", Type: "string"},
			{Name: "transferLockStatus", Type: "string", Doc: "locked, locking, unavailable, unlocked, unlocking"},
			{Name: "nameServerType", Type: "string"}, {Name: "offer", Type: "string"}, {Name: "whoisOwner", Type: "string"},
			{Name: "lastUpdate", Type: "time"}, {Name: "dnssecSupported", Type: "bool"},
		},
		Filters: []stratus.FilterKey{
			{Name: "whoisOwner", Doc: "the WHOIS owner contact id"},
			{Name: "iamTags", Doc: "IAM tag expression"},
		},
	}
	zoneKind = &stratus.Kind{
		Name: "dns_zone", Plural: "dns_zones", Scope: "network",
		ItemPath: "/domain/zone/{id}", ListPath: "/domain/zone", IDField: "name", IDList: true, Pager: wire.Pager{}, TTL: 5 * time.Minute,
		Fields: []stratus.Field{
			{Name: "name", Type: "string"}, {Name: "nameServers", Type: "[]string"}, {Name: "dnssecSupported", Type: "bool"},
			{Name: "hasDnsAnycast", Type: "bool"}, {Name: "lastUpdate", Type: "time"},
		},
	}
	// Records live under a zone.
	recordKind = &stratus.Kind{
		Name: "dns_record", Plural: "dns_records", Scope: "network",
		IDField: "id", IDList: true, Pager: wire.Pager{}, TTL: 30 * time.Second,
		Fields: []stratus.Field{
			{Name: "id", Type: "int"}, {Name: "zone", Type: "string"}, {Name: "fieldType", Type: "string", Doc: "A, AAAA, CNAME, MX, TXT, ..."},
			{Name: "subDomain", Type: "string", Doc: "empty for the apex"}, {Name: "target", Type: "string"}, {Name: "ttl", Type: "int", Doc: "0: the zone's default"},
		},
		Filters: []stratus.FilterKey{
			{Name: "fieldType", Aliases: []string{"type"}, Hint: "FieldType(t)", Doc: "A, AAAA, CNAME, MX, TXT, ..."},
			{Name: "subDomain", Aliases: []string{"subdomain", "name"}, Hint: "SubDomain(s)", Doc: "the sub-domain; empty for the apex"},
		},
		Under: &stratus.Nesting{Parent: "dns_zone", Param: "zone", ListPath: "/domain/zone/{parent}/record", ItemPath: "/domain/zone/{parent}/record/{id}"},
	}
)

var kinds = []*stratus.Kind{meKind, billKind, dedicatedServerKind, projectKind, instanceKind, domainKind, zoneKind, recordKind}

func init() {
	meKind.New = func(r *stratus.Resource) stratus.Object { return &MeHandle{r} }
	billKind.New = func(r *stratus.Resource) stratus.Object { return &BillHandle{r} }
	dedicatedServerKind.New = func(r *stratus.Resource) stratus.Object { return &DedicatedServerHandle{r} }
	projectKind.New = func(r *stratus.Resource) stratus.Object { return &ProjectHandle{r} }
	instanceKind.New = func(r *stratus.Resource) stratus.Object { return &InstanceHandle{r} }
	domainKind.New = func(r *stratus.Resource) stratus.Object { return &DomainHandle{r} }
	zoneKind.New = func(r *stratus.Resource) stratus.Object { return &ZoneHandle{r} }
	recordKind.New = func(r *stratus.Resource) stratus.Object { return &RecordHandle{r} }
	// Registered last: Register copies the kinds as they are now.
	stratus.Register(Provider)
}
