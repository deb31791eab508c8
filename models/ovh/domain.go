package ovh

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
)

// DomainHandle is a lazy registered domain (/domain/{name}).
type DomainHandle struct{ *stratus.Resource }

var _ stratus.Object = (*DomainHandle)(nil)

// Domain returns a handle for the domain name ("example.com"). No request
// is sent.
func Domain(c *stratus.Client, name string) *DomainHandle {
	return &DomainHandle{stratus.NewResource(c, domainKind, name)}
}

func wrapDomain(r *stratus.Resource) *DomainHandle { return &DomainHandle{r} }

// DomainList is the collection of the account's domains.
type DomainList struct {
	stratus.Refinements[*DomainHandle, DomainList]
}

func domainList(col stratus.Collection[*DomainHandle]) DomainList {
	return DomainList{stratus.Refine(col, domainList)}
}

// Domains lists the account's registered domains.
func Domains(c *stratus.Client) DomainList {
	return domainList(stratus.NewCollection(c, domainKind, wrapDomain))
}

// NoBulk lists names and loads each domain on its own.
func (l DomainList) NoBulk() DomainList { return l.With(noBulk(l.Collection)) }

// Name returns the domain name (no load needed).
func (d *DomainHandle) Name() string { return d.Resource.ID() }

// State returns the domain's state (ok, expired, ...).
func (d *DomainHandle) State() string { return d.GetString("state") }

// SuspensionState returns not_suspended, suspended, ...
func (d *DomainHandle) SuspensionState() string { return d.GetString("suspensionState") }

// TransferLockStatus returns locked, locking, unavailable, unlocked or
// unlocking.
func (d *DomainHandle) TransferLockStatus() string { return d.GetString("transferLockStatus") }

// NameServerType returns hosted or external.
func (d *DomainHandle) NameServerType() string { return d.GetString("nameServerType") }

// Offer returns the domain's offer.
func (d *DomainHandle) Offer() string { return d.GetString("offer") }

// WhoisOwner returns the owner contact's id.
func (d *DomainHandle) WhoisOwner() string { return d.GetString("whoisOwner") }

// LastUpdate returns when the domain last changed.
func (d *DomainHandle) LastUpdate() time.Time { return d.GetTime("lastUpdate") }

// DNSSECSupported reports whether the registry supports DNSSEC.
func (d *DomainHandle) DNSSECSupported() bool { return d.GetBool("dnssecSupported") }

// Zone returns the DNS zone of the same name (no request).
func (d *DomainHandle) Zone() *ZoneHandle { return Zone(d.Client(), d.Name()) }

// ZoneHandle is a lazy DNS zone hosted by OVH (/domain/zone/{name}).
type ZoneHandle struct{ *stratus.Resource }

var _ stratus.Object = (*ZoneHandle)(nil)

// Zone returns a handle for the zone name ("example.com"). No request is
// sent.
func Zone(c *stratus.Client, name string) *ZoneHandle {
	return &ZoneHandle{stratus.NewResource(c, zoneKind, name)}
}

func wrapZone(r *stratus.Resource) *ZoneHandle { return &ZoneHandle{r} }

// ZoneList is the collection of the account's DNS zones.
type ZoneList struct {
	stratus.Refinements[*ZoneHandle, ZoneList]
}

func zoneList(col stratus.Collection[*ZoneHandle]) ZoneList {
	return ZoneList{stratus.Refine(col, zoneList)}
}

// Zones lists the account's DNS zones.
func Zones(c *stratus.Client) ZoneList {
	return zoneList(stratus.NewCollection(c, zoneKind, wrapZone))
}

// NoBulk lists names and loads each zone on its own.
func (l ZoneList) NoBulk() ZoneList { return l.With(noBulk(l.Collection)) }

// Name returns the zone's name (no load needed).
func (z *ZoneHandle) Name() string { return z.Resource.ID() }

// NameServers returns the zone's name servers.
func (z *ZoneHandle) NameServers() []string { return z.GetStrings("nameServers") }

// DNSSECSupported reports whether DNSSEC can be enabled on the zone.
func (z *ZoneHandle) DNSSECSupported() bool { return z.GetBool("dnssecSupported") }

// HasDNSAnycast reports whether the zone is served by OVH's anycast DNS.
func (z *ZoneHandle) HasDNSAnycast() bool { return z.GetBool("hasDnsAnycast") }

// LastUpdate returns when the zone last changed (zero if never).
func (z *ZoneHandle) LastUpdate() time.Time { return z.GetTime("lastUpdate") }

func (z *ZoneHandle) recordsPath() string { return joinPath("/domain/zone", z.Name(), "record") }

func recordPath(zone string, id int64) string {
	return joinPath("/domain/zone", zone, "record", strconv.FormatInt(id, 10))
}

// Refresh publishes the zone's changes (POST .../refresh): record changes
// are not served until the zone is refreshed.
func (z *ZoneHandle) Refresh(ctx context.Context) error {
	_, err := write(ctx, z.Resource, http.MethodPost, joinPath("/domain/zone", z.Name(), "refresh"), nil)
	return err
}

// RecordList is the collection of a zone's records, with the API's
// filters.
type RecordList struct {
	stratus.Refinements[*RecordHandle, RecordList]
}

func recordList(col stratus.Collection[*RecordHandle]) RecordList {
	return RecordList{stratus.Refine(col, recordList)}
}

// Records lists the zone's records.
func (z *ZoneHandle) Records() RecordList {
	base := z.recordsPath()
	col := stratus.NewCollection(z.Client(), recordKind, wrapRecord).At(base).ItemsAt(base + "/{id}")
	return recordList(col)
}

// FieldType keeps the records of one type (A, MX, TXT, ...).
func (l RecordList) FieldType(t string) RecordList {
	return l.Filter("fieldType", strings.ToUpper(t))
}

// SubDomain keeps the records of one sub-domain ("www"; "" for the apex
// records, as the simulator reads an empty value).
func (l RecordList) SubDomain(s string) RecordList { return l.Filter("subDomain", s) }

// NoBulk lists ids and loads each record on its own.
func (l RecordList) NoBulk() RecordList { return l.With(noBulk(l.Collection)) }

// Record returns a handle for record id of the zone. No request is sent.
func (z *ZoneHandle) Record(id int64) *RecordHandle { return Record(z.Client(), z.Name(), id) }

// RecordHandle is a lazy DNS record of a zone
// (/domain/zone/{zone}/record/{id}).
type RecordHandle struct{ *stratus.Resource }

var _ stratus.Object = (*RecordHandle)(nil)

// Record returns a handle for record id of zone. No request is sent.
func Record(c *stratus.Client, zone string, id int64) *RecordHandle {
	return &RecordHandle{stratus.NewResourceAt(c, recordKind, strconv.FormatInt(id, 10), recordPath(zone, id))}
}

func wrapRecord(r *stratus.Resource) *RecordHandle { return &RecordHandle{r} }

// ID returns the record id (no load needed).
func (r *RecordHandle) ID() int64 {
	if n, err := strconv.ParseInt(r.Resource.ID(), 10, 64); err == nil {
		return n
	}
	return r.Get("id").Int()
}

// Zone returns the name of the record's zone, from its path (no load
// needed).
func (r *RecordHandle) Zone() string {
	if z := segment(r.Path(), "/domain/zone", 0); z != "" {
		return z
	}
	return r.GetString("zone")
}

// FieldType returns the record type (A, AAAA, CNAME, MX, TXT, ...).
func (r *RecordHandle) FieldType() string { return r.GetString("fieldType") }

// SubDomain returns the name relative to the zone ("" for the apex).
func (r *RecordHandle) SubDomain() string { return r.GetString("subDomain") }

// Target returns the record's value.
func (r *RecordHandle) Target() string { return r.GetString("target") }

// TTL returns the time to live in seconds; 0 means the zone's default.
func (r *RecordHandle) TTL() int { return r.GetInt("ttl") }

// FieldTypes are the record types the API knows.
var FieldTypes = []string{"A", "AAAA", "CAA", "CNAME", "DKIM", "DMARC", "DNAME", "LOC", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV", "SSHFP", "TLSA", "TXT"}

// RecordSpec is a new record. FieldType and Target are required.
type RecordSpec struct {
	FieldType string `json:"fieldType"`
	SubDomain string `json:"subDomain,omitempty"` // "" for the apex
	Target    string `json:"target"`
	TTL       int    `json:"ttl,omitempty"` // seconds; 0: the zone's default
}

func (s RecordSpec) check(c *stratus.Client, op string) error {
	switch {
	case s.FieldType == "":
		return invalid(c, op, "FieldType is required")
	case !slices.Contains(FieldTypes, s.FieldType):
		return invalid(c, op, "FieldType %q is not one of %s", s.FieldType, strings.Join(FieldTypes, ", "))
	case strings.TrimSpace(s.Target) == "":
		return invalid(c, op, "Target is required")
	case s.TTL < 0:
		return invalid(c, op, "TTL must not be negative")
	}
	return nil
}

// CreateRecord adds a record to the zone and returns it filled from the
// answer. Refresh the zone to publish it.
func (z *ZoneHandle) CreateRecord(ctx context.Context, spec RecordSpec) (*RecordHandle, error) {
	const op = "POST /domain/zone/{zone}/record"
	c := z.Client()
	spec.FieldType = strings.ToUpper(spec.FieldType)
	if err := spec.check(c, op); err != nil {
		return nil, err
	}
	res, err := c.DoJSON(ctx, http.MethodPost, z.recordsPath(), nil, spec)
	if err != nil {
		return nil, err
	}
	id := res.Get("id")
	if !res.IsObject() || !id.Exists() {
		return nil, malformed(op, "the new record")
	}
	return &RecordHandle{stratus.HydrateAt(c, recordKind, res, recordPath(z.Name(), id.Int()))}, nil
}

// RecordUpdate holds the fields an update changes; nil fields keep their
// value. The type of a record cannot change: a FieldType other than the
// one the handle holds is refused before sending (delete and create
// instead).
type RecordUpdate struct {
	SubDomain *string `json:"subDomain,omitempty"`
	Target    *string `json:"target,omitempty"`
	TTL       *int    `json:"ttl,omitempty"`
	FieldType *string `json:"-"`
}

// String returns a pointer to s, for RecordUpdate.
func String(s string) *string { return &s }

// Int returns a pointer to n, for RecordUpdate.
func Int(n int) *int { return &n }

// Update changes the record (PUT), then reloads the handle. Refresh the
// zone to publish the change.
func (r *RecordHandle) Update(ctx context.Context, u RecordUpdate) error {
	const op = "PUT /domain/zone/{zone}/record/{id}"
	c := r.Client()
	var err error
	switch held := r.Peek("fieldType").String(); {
	case u.FieldType != nil && !strings.EqualFold(*u.FieldType, held):
		err = invalid(c, op, "the type of a record cannot change (delete it and create another)")
	case u.SubDomain == nil && u.Target == nil && u.TTL == nil:
		err = invalid(c, op, "nothing to update")
	case u.Target != nil && strings.TrimSpace(*u.Target) == "":
		err = invalid(c, op, "Target must not be empty")
	case u.TTL != nil && *u.TTL < 0:
		err = invalid(c, op, "TTL must not be negative")
	}
	if err != nil {
		r.SetError(err)
		return err
	}
	return update(ctx, r.Resource, r.Path(), u)
}

// Delete removes the record. The handle forgets its data: Exists asks the
// API again. Refresh the zone to publish the change.
func (r *RecordHandle) Delete(ctx context.Context) error { return remove(ctx, r.Resource) }
