package softlayer

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
)

// InstanceQuery holds the filters of softlayer-python's
// VSManager.list_instances. Zero fields do not filter. Strings are read
// as query_filter reads them: "> 2", "*web*", "web*", "dal10".
type InstanceQuery struct {
	Hourly, Monthly bool // both or neither: every guest; one: that billing only
	Tags            []string
	CPUs            string
	Memory          string // MB
	Hostname        string
	Domain          string
	LocalDisk       *bool
	Datacenter      string
	NICSpeed        string
	PublicIP        string
	PrivateIP       string
}

// InstanceMask is the manager's mask for listed guests.
const InstanceMask = "mask[id,globalIdentifier,hostname,domain,fullyQualifiedDomainName,primaryBackendIpAddress,primaryIpAddress,lastKnownPowerState[name],powerState,maxCpu,maxMemory,datacenter,activeTransaction[transactionStatus[friendlyName,name]],status]"

// ListInstances lists guests with the manager's filters and mask.
func ListInstances(c *stratus.Client, q InstanceQuery) List[*GuestHandle] {
	l := Guests(c)
	switch {
	case q.Hourly && !q.Monthly:
		l = HourlyGuests(c)
	case q.Monthly && !q.Hourly:
		l = MonthlyGuests(c)
	}
	var f Filter
	set := func(path, v string) {
		if v != "" {
			f = f.Query(path, v)
		}
	}
	set("maxCpu", q.CPUs)
	set("maxMemory", q.Memory)
	set("hostname", q.Hostname)
	set("domain", q.Domain)
	set("datacenter.name", q.Datacenter)
	set("networkComponents.maxSpeed", q.NICSpeed)
	set("primaryIpAddress", q.PublicIP)
	set("primaryBackendIpAddress", q.PrivateIP)
	if q.LocalDisk != nil {
		v := 0
		if *q.LocalDisk {
			v = 1
		}
		f = f.Eq("localDiskFlag", v)
	}
	if len(q.Tags) > 0 {
		vals := make([]any, len(q.Tags))
		for i, t := range q.Tags {
			vals[i] = t
		}
		f = f.In("tagReferences.tag.name", vals...)
	}
	return l.Mask(InstanceMask).Filter(f)
}

// HardwareQuery holds the filters of HardwareManager.list_hardware.
type HardwareQuery struct {
	Tags       []string
	CPUs       string // cores
	Memory     string // GB: "> 8"
	Hostname   string
	Domain     string
	Datacenter string
	NICSpeed   string
	PublicIP   string
	PrivateIP  string
}

// ListHardware lists servers with the manager's filters:
// ListHardware(c, HardwareQuery{Memory: "> 8", Datacenter: "dal10"}).
func ListHardware(c *stratus.Client, q HardwareQuery) List[*HardwareHandle] {
	var f Filter
	set := func(path, v string) {
		if v != "" {
			f = f.Query(path, v)
		}
	}
	set("processorPhysicalCoreAmount", q.CPUs)
	set("memoryCapacity", q.Memory)
	set("hostname", q.Hostname)
	set("domain", q.Domain)
	set("datacenter.name", q.Datacenter)
	set("networkComponents.maxSpeed", q.NICSpeed)
	set("primaryIpAddress", q.PublicIP)
	set("primaryBackendIpAddress", q.PrivateIP)
	if len(q.Tags) > 0 {
		vals := make([]any, len(q.Tags))
		for i, t := range q.Tags {
			vals[i] = t
		}
		f = f.In("tagReferences.tag.name", vals...)
	}
	return HardwareList(c).Filter(f)
}

// Instance is what CreateInstance orders: softlayer-python's
// create_instance arguments.
type Instance struct {
	Hostname, Domain string // required
	CPUs             int
	MemoryMB         int
	Flavor           string // a preset key name instead of CPUs and MemoryMB
	Hourly           bool
	OSCode           string // operatingSystemReferenceCode; or Image
	Image            string // block device template group global identifier
	LocalDisk        bool
	Datacenter       string
	SSHKeys          []int
	UserData         string
	Tags             []string
	NICSpeed         int
	Dedicated        bool
	Private          bool // private network only
	PostInstallURL   string
}

// Validate checks the order as softlayer-python does before sending:
// hostname and domain are required; an OS code or an image, not both;
// CPUs and memory, or a flavor, not both.
func (in Instance) Validate() error {
	bad := func(msg string) error {
		return &stratus.Error{Provider: Name, Op: "create instance", Message: msg, Kind: stratus.ErrInvalid}
	}
	switch {
	case strings.TrimSpace(in.Hostname) == "" || strings.TrimSpace(in.Domain) == "":
		return bad("hostname and domain are required")
	case in.OSCode != "" && in.Image != "":
		return bad("an OS code and an image are mutually exclusive")
	case in.OSCode == "" && in.Image == "":
		return bad("an OS code or an image is required")
	case in.Flavor != "" && (in.CPUs != 0 || in.MemoryMB != 0):
		return bad("a flavor and CPUs/memory are mutually exclusive")
	case in.Flavor == "" && (in.CPUs <= 0 || in.MemoryMB <= 0):
		return bad("CPUs and memory (or a flavor) are required")
	case in.Datacenter == "":
		return bad("a datacenter is required")
	}
	return nil
}

// Template is the createObject template of the order.
func (in Instance) Template() map[string]any {
	t := map[string]any{
		"hostname": in.Hostname, "domain": in.Domain,
		"hourlyBillingFlag": in.Hourly, "localDiskFlag": in.LocalDisk,
		"datacenter": map[string]any{"name": in.Datacenter},
	}
	if in.Flavor != "" {
		t["supplementalCreateObjectOptions"] = map[string]any{"flavorKeyName": in.Flavor}
	} else {
		t["startCpus"], t["maxMemory"] = in.CPUs, in.MemoryMB
	}
	if in.OSCode != "" {
		t["operatingSystemReferenceCode"] = in.OSCode
	} else {
		t["blockDeviceTemplateGroup"] = map[string]any{"globalIdentifier": in.Image}
	}
	if in.Dedicated {
		t["dedicatedAccountHostOnlyFlag"] = true
	}
	if in.Private {
		t["privateNetworkOnlyFlag"] = true
	}
	if in.NICSpeed > 0 {
		t["networkComponents"] = []any{map[string]any{"maxSpeed": in.NICSpeed}}
	}
	if in.UserData != "" {
		t["userData"] = []any{map[string]any{"value": in.UserData}}
	}
	if len(in.SSHKeys) > 0 {
		keys := make([]any, len(in.SSHKeys))
		for i, k := range in.SSHKeys {
			keys[i] = map[string]any{"id": k}
		}
		t["sshKeys"] = keys
	}
	if in.PostInstallURL != "" {
		t["postInstallScriptUri"] = in.PostInstallURL
	}
	return t
}

// CreateInstance orders a guest (Virtual_Guest::createObject) after
// validating the order without any request, then sets its tags. The
// handle is filled from the answer; WaitReady waits for provisioning.
func CreateInstance(ctx context.Context, c *stratus.Client, in Instance) (*GuestHandle, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	r, err := Call(ctx, c, guestService, "createObject", Params(in.Template()), WithMask(guestMask.String()))
	if err != nil {
		return nil, err
	}
	if !r.IsObject() || r.Get("id").Int() == 0 {
		return nil, &stratus.Error{Provider: Name, Op: "createObject", Message: "the answer is not a guest: " + snip(r.Raw), Kind: stratus.ErrMalformed}
	}
	g := &GuestHandle{filled(c, guestKind, r.Result)}
	if len(in.Tags) > 0 {
		if err := g.SetTags(ctx, in.Tags...); err != nil {
			return g, err
		}
	}
	return g, nil
}

// CreateZone adds a zone (Dns_Domain::createObject) with no records, its
// serial today's date with 01, as softlayer-python's create_zone.
func CreateZone(ctx context.Context, c *stratus.Client, name string, serial int) (*ZoneHandle, error) {
	if strings.TrimSpace(name) == "" {
		return nil, &stratus.Error{Provider: Name, Op: "create zone", Message: "a zone name is required", Kind: stratus.ErrInvalid}
	}
	if serial <= 0 {
		serial, _ = strconv.Atoi(time.Now().UTC().Format("20060102") + "01")
	}
	r, err := Call(ctx, c, zoneService, "createObject", Params(map[string]any{"name": name, "serial": serial, "resourceRecords": []any{}}))
	if err != nil {
		return nil, err
	}
	if !r.IsObject() {
		return nil, &stratus.Error{Provider: Name, Op: "create zone", Message: "the answer is not a zone", Kind: stratus.ErrMalformed}
	}
	return &ZoneHandle{filled(c, zoneKind, r.Result)}, nil
}

// CreateRecord adds a record of any type to a zone
// (Dns_Domain_ResourceRecord::createObject); ttl 0 means DefaultTTL.
func CreateRecord(ctx context.Context, c *stratus.Client, zoneID int, host, typ, data string, ttl int) (*RecordHandle, error) {
	if host == "" || typ == "" || data == "" {
		return nil, &stratus.Error{Provider: Name, Op: "create record", Message: "host, type and data are required", Kind: stratus.ErrInvalid}
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	r, err := Call(ctx, c, recordService, "createObject", Params(map[string]any{
		"domainId": zoneID, "host": host, "type": strings.ToLower(typ), "data": data, "ttl": ttl,
	}))
	if err != nil {
		return nil, err
	}
	return hydrateRecord(c, r)
}

// ZoneWithRecords loads a zone with its records (get_zone(records=True)).
func ZoneWithRecords(ctx context.Context, c *stratus.Client, id int) (*ZoneHandle, []*RecordHandle, error) {
	r, err := Call(ctx, c, zoneService, "getObject", ID(id), WithMask("mask[resourceRecords]"))
	if err != nil {
		return nil, nil, err
	}
	z := &ZoneHandle{filled(c, zoneKind, r.Result)}
	var recs []*RecordHandle
	r.Get("resourceRecords").ForEach(func(_, v gjson.Result) bool {
		recs = append(recs, &RecordHandle{filled(c, recordKind, v)})
		return true
	})
	return z, recs, nil
}

// RecordQuery selects records as softlayer-python's get_records does.
type RecordQuery struct {
	Type, Host, Data string
	TTL              int
}

// Records lists a zone's records by type, host, data and ttl.
func Records(c *stratus.Client, zoneID int, q RecordQuery) List[*RecordHandle] {
	l := Zone(c, zoneID).Records()
	if q.Type != "" {
		l = l.Where("type", "_= "+strings.ToLower(q.Type))
	}
	if q.Host != "" {
		l = l.Where("host", "_= "+q.Host)
	}
	if q.Data != "" {
		l = l.Where("data", "_= "+q.Data)
	}
	if q.TTL > 0 {
		l = l.Filter(Filter{}.Eq("ttl", q.TTL))
	}
	return l
}

// DumpZone returns a zone file (dump_zone).
func DumpZone(ctx context.Context, c *stratus.Client, zoneID int) (string, error) {
	return Zone(c, zoneID).ZoneFile(ctx)
}

// MustJSON is a small helper for programs printing raw answers.
func MustJSON(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
