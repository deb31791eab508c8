package digitalocean

import (
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/digitalocean"
)

// The route table: every kind this package models, its paths, envelope
// keys and cache lifetime. The REPL, the query tool and the docs read it.
var (
	dropletKind = &stratus.Kind{
		Name: "droplet", Plural: "droplets", Scope: "infrastructure",
		ItemPath: "/v2/droplets/{id}", ListPath: "/v2/droplets",
		ItemKey: "droplet", ListKey: "droplets", Pager: wire.Pager{}, TTL: 15 * time.Second,
		Fields: []stratus.Field{
			{Name: "id", Type: "int"}, {Name: "name", Type: "string"}, {Name: "status", Type: "string", Doc: "new, active, off, archive"},
			{Name: "memory", Type: "int", Doc: "MB"}, {Name: "vcpus", Type: "int"}, {Name: "disk", Type: "int", Doc: "GB"},
			{Name: "locked", Type: "bool"}, {Name: "created_at", Type: "time"}, {Name: "features", Type: "[]string"},
			{Name: "backup_ids", Type: "[]int"}, {Name: "snapshot_ids", Type: "[]int"}, {Name: "image", Type: "image"},
			{Name: "size", Type: "size"}, {Name: "size_slug", Type: "string"}, {Name: "region", Type: "region"},
			{Name: "networks", Type: "object"}, {Name: "tags", Type: "[]string"}, {Name: "volume_ids", Type: "[]string"},
			{Name: "vpc_uuid", Type: "string"}, {Name: "kernel", Type: "object"}, {Name: "next_backup_window", Type: "object"},
		},
		// The three filters exclude one another (the API refuses two).
		Filters: []stratus.FilterKey{
			{Name: "tag_name", Aliases: []string{"tag"}, Hint: "Tag(tag)", Doc: "droplets carrying the tag"},
			{Name: "name", Hint: "Named(name)", Doc: "exact name, case-insensitive"},
			{Name: "type", Hint: "GPUs()", Doc: "droplets, gpus"},
		},
	}
	actionKind = &stratus.Kind{
		Name: "action", Plural: "actions", Scope: "admin",
		ItemPath: "/v2/actions/{id}", ListPath: "/v2/actions",
		ItemKey: "action", ListKey: "actions", Pager: wire.Pager{}, TTL: 5 * time.Second,
		Fields: []stratus.Field{
			{Name: "id", Type: "int"}, {Name: "status", Type: "string", Doc: "in-progress, completed, errored"},
			{Name: "type", Type: "string"}, {Name: "started_at", Type: "time"}, {Name: "completed_at", Type: "time"},
			{Name: "resource_id", Type: "int"}, {Name: "resource_type", Type: "string"}, {Name: "region_slug", Type: "string"},
		},
	}
	imageKind = &stratus.Kind{
		Name: "image", Plural: "images", Scope: "infrastructure",
		ItemPath: "/v2/images/{id}", ListPath: "/v2/images",
		ItemKey: "image", ListKey: "images", Pager: wire.Pager{}, TTL: time.Minute,
		Fields: []stratus.Field{
			{Name: "id", Type: "int"}, {Name: "name", Type: "string"}, {Name: "type", Type: "string"},
			{Name: "distribution", Type: "string"}, {Name: "slug", Type: "string"}, {Name: "public", Type: "bool"},
			{Name: "regions", Type: "[]string"}, {Name: "created_at", Type: "time"}, {Name: "min_disk_size", Type: "int"},
			{Name: "size_gigabytes", Type: "float"}, {Name: "description", Type: "string"}, {Name: "tags", Type: "[]string"},
			{Name: "status", Type: "string"}, {Name: "error_message", Type: "string"},
		},
		Filters: []stratus.FilterKey{
			{Name: "type", Hint: "Distribution() or Application()", Doc: "distribution, application"},
			{Name: "private", Hint: "Private()", Doc: "true: the account's own images"},
			{Name: "tag_name", Aliases: []string{"tag"}, Hint: "Tag(tag)", Doc: "images carrying the tag"},
		},
	}
	regionKind = &stratus.Kind{
		Name: "region", Plural: "regions", Scope: "geography",
		ListPath: "/v2/regions", ListKey: "regions", IDField: "slug", Pager: wire.Pager{}, TTL: 10 * time.Minute,
		Fields: []stratus.Field{
			{Name: "slug", Type: "string"}, {Name: "name", Type: "string"}, {Name: "features", Type: "[]string"},
			{Name: "available", Type: "bool"}, {Name: "sizes", Type: "[]string"},
		},
	}
	sizeKind = &stratus.Kind{
		Name: "size", Plural: "sizes", Scope: "infrastructure",
		ListPath: "/v2/sizes", ListKey: "sizes", IDField: "slug", Pager: wire.Pager{}, TTL: 10 * time.Minute,
		Fields: []stratus.Field{
			{Name: "slug", Type: "string"}, {Name: "memory", Type: "int"}, {Name: "vcpus", Type: "int"},
			{Name: "disk", Type: "int"}, {Name: "transfer", Type: "float"}, {Name: "price_monthly", Type: "float"},
			{Name: "price_hourly", Type: "float"}, {Name: "regions", Type: "[]string"}, {Name: "available", Type: "bool"},
			{Name: "description", Type: "string"},
		},
	}
	sshKeyKind = &stratus.Kind{
		Name: "ssh_key", Plural: "ssh_keys", Scope: "admin",
		ItemPath: "/v2/account/keys/{id}", ListPath: "/v2/account/keys",
		ItemKey: "ssh_key", ListKey: "ssh_keys", Pager: wire.Pager{}, TTL: time.Minute,
		Fields: []stratus.Field{
			{Name: "id", Type: "int"}, {Name: "fingerprint", Type: "string"}, {Name: "public_key", Type: "string"}, {Name: "name", Type: "string"},
		},
	}
	domainKind = &stratus.Kind{
		Name: "domain", Plural: "domains", Scope: "network",
		ItemPath: "/v2/domains/{id}", ListPath: "/v2/domains",
		ItemKey: "domain", ListKey: "domains", IDField: "name", Pager: wire.Pager{}, TTL: time.Minute,
		Fields: []stratus.Field{
			{Name: "name", Type: "string"}, {Name: "ttl", Type: "int"}, {Name: "zone_file", Type: "string"},
		},
	}
	recordKind = &stratus.Kind{
		Name: "domain_record", Plural: "domain_records", Scope: "network",
		ItemKey: "domain_record", ListKey: "domain_records", Pager: wire.Pager{}, TTL: time.Minute,
		Fields: []stratus.Field{
			{Name: "id", Type: "int"}, {Name: "type", Type: "string"}, {Name: "name", Type: "string"},
			{Name: "data", Type: "string"}, {Name: "priority", Type: "int"}, {Name: "port", Type: "int"},
			{Name: "ttl", Type: "int"}, {Name: "weight", Type: "int"}, {Name: "flags", Type: "int"}, {Name: "tag", Type: "string"},
		},
		Filters: []stratus.FilterKey{
			{Name: "type", Hint: "Type(t)", Doc: "A, AAAA, CAA, CNAME, MX, NS, SOA, SRV, TXT"},
			{Name: "name", Hint: "Named(fqdn)", Doc: "the fully qualified name"},
		},
		Under: &stratus.Nesting{Parent: "domain", ListPath: "/v2/domains/{parent}/records", ItemPath: "/v2/domains/{parent}/records/{id}"},
	}
	floatingIPKind = &stratus.Kind{
		Name: "floating_ip", Plural: "floating_ips", Scope: "network",
		ItemPath: "/v2/floating_ips/{id}", ListPath: "/v2/floating_ips",
		ItemKey: "floating_ip", ListKey: "floating_ips", IDField: "ip", Pager: wire.Pager{}, TTL: 30 * time.Second,
		Fields: []stratus.Field{
			{Name: "ip", Type: "string"}, {Name: "region", Type: "region"}, {Name: "droplet", Type: "droplet"},
			{Name: "locked", Type: "bool"}, {Name: "project_id", Type: "string"},
		},
	}
	tagKind = &stratus.Kind{
		Name: "tag", Plural: "tags", Scope: "admin",
		ItemPath: "/v2/tags/{id}", ListPath: "/v2/tags",
		ItemKey: "tag", ListKey: "tags", IDField: "name", Pager: wire.Pager{}, TTL: 30 * time.Second,
		Fields: []stratus.Field{{Name: "name", Type: "string"}, {Name: "resources", Type: "object"}},
	}
	accountKind = &stratus.Kind{
		Name: "account", Plural: "account", Scope: "admin",
		ItemPath: "/v2/account", ItemKey: "account", IDField: "uuid", TTL: time.Minute,
		Fields: []stratus.Field{
			{Name: "droplet_limit", Type: "int"}, {Name: "floating_ip_limit", Type: "int"}, {Name: "volume_limit", Type: "int"},
			{Name: "reserved_ip_limit", Type: "int"}, {Name: "email", Type: "string"}, {Name: "name", Type: "string"},
			{Name: "uuid", Type: "string"}, {Name: "email_verified", Type: "bool"}, {Name: "status", Type: "string"},
			{Name: "status_message", Type: "string"}, {Name: "team", Type: "object"},
		},
	}
	kernelKind = &stratus.Kind{
		Name: "kernel", Plural: "kernels", Scope: "infrastructure",
		ListKey: "kernels", Pager: wire.Pager{}, TTL: 10 * time.Minute,
		Fields: []stratus.Field{{Name: "id", Type: "int"}, {Name: "name", Type: "string"}, {Name: "version", Type: "string"}},
		Under:  &stratus.Nesting{Parent: "droplet", ListPath: "/v2/droplets/{parent}/kernels"},
	}
)

var kinds = []*stratus.Kind{dropletKind, actionKind, imageKind, regionKind, sizeKind, sshKeyKind, domainKind, recordKind, floatingIPKind, tagKind, accountKind, kernelKind}

func init() {
	dropletKind.New = func(r *stratus.Resource) stratus.Object { return &DropletHandle{r} }
	actionKind.New = func(r *stratus.Resource) stratus.Object { return &ActionHandle{Resource: r} }
	imageKind.New = func(r *stratus.Resource) stratus.Object { return &ImageHandle{r} }
	regionKind.New = func(r *stratus.Resource) stratus.Object { return &RegionHandle{r} }
	sizeKind.New = func(r *stratus.Resource) stratus.Object { return &SizeHandle{r} }
	kernelKind.New = func(r *stratus.Resource) stratus.Object { return &KernelHandle{r} }
	sshKeyKind.New = func(r *stratus.Resource) stratus.Object { return &SSHKeyHandle{r} }
	domainKind.New = func(r *stratus.Resource) stratus.Object { return &DomainHandle{r} }
	recordKind.New = func(r *stratus.Resource) stratus.Object { return &DomainRecordHandle{r} }
	floatingIPKind.New = func(r *stratus.Resource) stratus.Object { return &FloatingIPHandle{r} }
	tagKind.New = func(r *stratus.Resource) stratus.Object { return &TagHandle{r} }
	accountKind.New = func(r *stratus.Resource) stratus.Object { return &AccountHandle{r} }
	// Registered last: Register copies the kinds as they are now.
	stratus.Register(Provider)
}
