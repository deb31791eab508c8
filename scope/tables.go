package scope

import (
	"context"
	"iter"
	"strings"

	"github.com/stratus-cloud/stratus"
)

// The neutral field names that the tables map. Every kind has "id" and
// "name"; the others are read by the typed kinds of the sub-packages.
const (
	FieldID        = "id"
	FieldName      = "name"
	FieldState     = "state"
	FieldPublicIP  = "public_ip"
	FieldPrivateIP = "private_ip"
	FieldRegion    = "region"
	FieldSize      = "size"
	FieldImage     = "image"
	FieldPlatform  = "platform"
	FieldMemoryMB  = "memory_mb"
	FieldCPUs      = "cpus"
	FieldDiskGB    = "disk_gb"
	FieldAddress   = "address"
	FieldServerID  = "server_id"
	FieldType      = "type"
	FieldTarget    = "target"
	FieldTTL       = "ttl"
	FieldEmail     = "email"
	FieldCreated   = "created"
	FieldDate      = "date"
	FieldAmount    = "amount"
	FieldCurrency  = "currency"
	FieldCloud     = "cloud"
	FieldRegionID  = "region_id"
	FieldSizeGB    = "size_gb"
	FieldMessage   = "message"
)

// The neutral states of servers and jobs.
const (
	StateRunning    = "running"
	StateStopped    = "stopped"
	StatePending    = "pending"
	StateTerminated = "terminated"
	StateComplete   = "complete"
	StateError      = "error"
)

func init() {
	Register("digitalocean", digitalOceanTable)
	Register("ovh", ovhTable)
}

// digitalOceanTable: regions, droplets, images, sizes, floating IPs,
// domains and records, the account, actions as jobs. DigitalOcean has no
// clouds, data centers apart from regions, users, firewalls or bills in
// its model here, and volumes are not modelled.
var digitalOceanTable = Table{
	KindRegion: {{Kind: "region", Fields: map[string]string{FieldID: "slug", FieldName: "name"}}},
	KindServer: {{
		Kind: "droplet",
		Fields: map[string]string{
			FieldID: "id", FieldName: "name", FieldState: "status", FieldRegion: "region.slug", FieldSize: "size_slug",
			FieldImage: "image.name", FieldCreated: "created_at", FieldMemoryMB: "memory", FieldCPUs: "vcpus", FieldDiskGB: "disk",
			FieldPublicIP:  `networks.v4.#(type=="public").ip_address`,
			FieldPrivateIP: `networks.v4.#(type=="private").ip_address`,
		},
		States: map[string]string{"active": StateRunning, "off": StateStopped, "new": StatePending, "archive": StateTerminated},
	}},
	KindMachineImage: {{Kind: "image", Fields: map[string]string{
		FieldID: "id", FieldName: "name", FieldPlatform: "distribution", FieldState: "status", FieldCreated: "created_at",
	}}},
	KindSize: {{Kind: "size", Fields: map[string]string{
		FieldID: "slug", FieldName: "slug", FieldMemoryMB: "memory", FieldCPUs: "vcpus", FieldDiskGB: "disk",
	}}},
	KindIPAddress: {{Kind: "floating_ip", Fields: map[string]string{
		FieldID: "ip", FieldName: "ip", FieldAddress: "ip", FieldServerID: "droplet.id", FieldRegion: "region.slug",
	}}},
	KindDNSZone: {{Kind: "domain", Fields: map[string]string{FieldID: "name", FieldName: "name", FieldTTL: "ttl"}}},
	KindDNSRecord: {{
		Kind:   "domain_record",
		Fields: map[string]string{FieldID: "id", FieldName: "name", FieldType: "type", FieldTarget: "data", FieldTTL: "ttl"},
	}},
	KindAccount: {{Kind: "account", Single: true, Fields: map[string]string{
		FieldID: "uuid", FieldName: "email", FieldEmail: "email", FieldState: "status",
	}}},
	KindJob: {{
		Kind:   "action",
		Fields: map[string]string{FieldID: "id", FieldName: "type", FieldState: "status", FieldCreated: "started_at", FieldServerID: "resource_id"},
		States: map[string]string{"in-progress": StatePending, "completed": StateComplete, "errored": StateError},
	}},
}

// ovhTable: the account (/me), bills, dedicated servers and cloud
// instances as servers, DNS zones and records.
var ovhTable = Table{
	KindServer: {
		{
			Kind: "dedicated_server",
			Fields: map[string]string{
				FieldID: "name", FieldName: "name", FieldState: "powerState", FieldPublicIP: "ip", FieldRegion: "datacenter",
				FieldSize: "commercialRange", FieldImage: "os",
			},
			States: map[string]string{"poweron": StateRunning, "poweroff": StateStopped},
		},
		{
			Kind: "cloud_instance",
			Fields: map[string]string{
				FieldID: "id", FieldName: "name", FieldState: "status", FieldRegion: "region", FieldSize: "flavorId",
				FieldImage: "imageId", FieldCreated: "created",
				FieldPublicIP:  `ipAddresses.#(type=="public")#|#(version==4).ip`,
				FieldPrivateIP: `ipAddresses.#(type=="private")#|#(version==4).ip`,
			},
			States: map[string]string{
				"ACTIVE": StateRunning, "SHUTOFF": StateStopped, "STOPPED": StateStopped, "SHELVED": StateStopped, "SHELVED_OFFLOADED": StateStopped,
				"PAUSED": StateStopped, "SUSPENDED": StateStopped, "BUILD": StatePending, "BUILDING": StatePending,
				"DELETED": StateTerminated, "DELETING": StateTerminated, "SOFT_DELETED": StateTerminated, "ERROR": StateError,
			},
			Pages: underEachParent,
		},
	},
	KindDNSZone: {{Kind: "dns_zone", Fields: map[string]string{FieldID: "name", FieldName: "name"}}},
	KindDNSRecord: {{
		Kind:   "dns_record",
		Fields: map[string]string{FieldID: "id", FieldName: "subDomain", FieldType: "fieldType", FieldTarget: "target", FieldTTL: "ttl"},
	}},
	KindAccount: {{Kind: "me", Single: true, Fields: map[string]string{
		FieldID: "nichandle", FieldName: "nichandle", FieldEmail: "email", FieldState: "state",
	}}},
	KindBill: {{Kind: "bill", Fields: map[string]string{
		FieldID: "billId", FieldName: "billId", FieldDate: "date", FieldAmount: "priceWithTax.value", FieldCurrency: "priceWithTax.currencyCode",
	}}},
}

// eachParent lists a kind that cannot be listed whole, once per object of
// a parent kind, page by page: sub gives the listing below one parent.
// parent "" means the kind's own parent in the registry (Kind.Under). The
// parents are read first (they are few: projects, regions); the pages
// below each parent follow in the parents' order.
func eachParent(parent string, sub func(c *stratus.Client, k *stratus.Kind, parentID string) stratus.Collection[stratus.Object]) func(context.Context, *stratus.Client, *stratus.Kind) iter.Seq2[[]stratus.Object, error] {
	return func(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[[]stratus.Object, error] {
		return func(yield func([]stratus.Object, error) bool) {
			name := parent
			if name == "" && k.Under != nil {
				name = k.Under.Parent
			}
			pk, ok := c.Provider().Kind(name)
			if !ok {
				yield(nil, unsupported(c.Provider().Name, strings.ReplaceAll(name, "_", " ")))
				return
			}
			var ids []string
			for p, err := range stratus.NewCollection(c, pk, pk.New).All(ctx) {
				if err != nil {
					yield(nil, err)
					return
				}
				ids = append(ids, p.Handle().ID())
			}
			for _, id := range ids {
				for objs, err := range pagesOf(ctx, sub(c, k, id)) {
					if !yield(objs, err) || err != nil {
						return
					}
				}
			}
		}
	}
}

// underEachParent lists a nested kind below every object of its parent
// kind (OVH's instances, one list per project).
var underEachParent = eachParent("", func(c *stratus.Client, k *stratus.Kind, id string) stratus.Collection[stratus.Object] {
	return stratus.NewCollectionUnder(c, k, id, k.New)
})
