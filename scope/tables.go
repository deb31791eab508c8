package scope

import (
	"context"
	"iter"
	"net/url"

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
		Under:  &Nested{List: "/v2/domains/{parent}/records", Item: "/v2/domains/{parent}/records/{id}"},
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
			List: ovhInstances,
		},
	},
	KindDNSZone: {{Kind: "dns_zone", Fields: map[string]string{FieldID: "name", FieldName: "name"}}},
	KindDNSRecord: {{
		Kind:   "dns_record",
		Fields: map[string]string{FieldID: "id", FieldName: "subDomain", FieldType: "fieldType", FieldTarget: "target", FieldTTL: "ttl"},
		Under:  &Nested{List: "/domain/zone/{parent}/record", Item: "/domain/zone/{parent}/record/{id}"},
	}},
	KindAccount: {{Kind: "me", Single: true, Fields: map[string]string{
		FieldID: "nichandle", FieldName: "nichandle", FieldEmail: "email", FieldState: "state",
	}}},
	KindBill: {{Kind: "bill", Fields: map[string]string{
		FieldID: "billId", FieldName: "billId", FieldDate: "date", FieldAmount: "priceWithTax.value", FieldCurrency: "priceWithTax.currencyCode",
	}}},
}

// ovhInstances lists the instances of every cloud project: the project
// ids, then one list per project (each carries whole objects).
func ovhInstances(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[stratus.Object, error] {
	return func(yield func(stratus.Object, error) bool) {
		pk, ok := c.Provider().Kind("cloud_project")
		if !ok {
			yield(nil, unsupported(c.Provider().Name, "cloud project"))
			return
		}
		var projects []string
		for p, err := range stratus.NewCollection(c, pk, pk.New).All(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			projects = append(projects, p.Handle().ID())
		}
		for _, id := range projects {
			base := "/cloud/project/" + url.PathEscape(id) + "/instance"
			for o, err := range stratus.NewCollection(c, k, k.New).At(base).ItemsAt(base + "/{id}").All(ctx) {
				if !yield(o, err) || err != nil {
					return
				}
			}
		}
	}
}
