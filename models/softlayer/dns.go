package softlayer

import (
	"context"
	"fmt"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
)

const (
	zoneService   = "SoftLayer_Dns_Domain"
	recordService = "SoftLayer_Dns_Domain_ResourceRecord"
)

// DefaultTTL is the TTL of records created without one (softlayer-python's).
const DefaultTTL = 7200

// ZoneHandle is a DNS zone (SoftLayer_Dns_Domain).
type ZoneHandle struct{ handle }

// Zone returns the handle of zone id; no request is made.
func Zone(c *stratus.Client, id int) *ZoneHandle {
	return &ZoneHandle{newHandle(stratus.NewResource(c, zoneKind, itoa(id)), wire.Mask{})}
}

func wrapZone(r *stratus.Resource, m wire.Mask) *ZoneHandle { return &ZoneHandle{newHandle(r, m)} }

// Zones lists the account's zones (Account::getDomains).
func Zones(c *stratus.Client) List[*ZoneHandle] {
	return newList(c, zoneKind, zoneKind.ListPath, "domains", wrapZone)
}

func (z *ZoneHandle) ID() int               { return z.IntID() }
func (z *ZoneHandle) Name() string          { return z.str("name") }
func (z *ZoneHandle) Serial() int           { return z.int("serial") }
func (z *ZoneHandle) UpdateDate() time.Time { return z.time("updateDate") }
func (z *ZoneHandle) RecordCount() uint     { return z.uint("resourceRecordCount") }

// Records lists the zone's records (Dns_Domain::getResourceRecords);
// filter them with RecordFilter or Where on the record's properties.
func (z *ZoneHandle) Records() List[*RecordHandle] {
	return newList(z.Client(), recordKind, fmt.Sprintf("/SoftLayer_Dns_Domain/%d/getResourceRecords.json", z.IntID()), "resourceRecords", wrapRecord)
}

// CreateARecord adds an A record (Dns_Domain::createARecord(host, data,
// ttl)); a ttl of 0 means DefaultTTL.
func (z *ZoneHandle) CreateARecord(ctx context.Context, host, data string, ttl int) (*RecordHandle, error) {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	r, err := z.call(ctx, zoneService, "createARecord", Params(host, data, ttl))
	if err != nil {
		return nil, err
	}
	return hydrateRecord(z.Client(), r)
}

// ZoneFile returns the zone in BIND form (getZoneFileContents).
func (z *ZoneHandle) ZoneFile(ctx context.Context) (string, error) {
	r, err := z.call(ctx, zoneService, "getZoneFileContents")
	if err != nil {
		return "", err
	}
	return r.String(), nil
}

// Delete removes the zone with its records.
func (z *ZoneHandle) Delete(ctx context.Context) error {
	err := z.action(ctx, zoneService, "deleteObject")
	if err == nil {
		z.markStale()
	}
	return err
}

// RecordHandle is a resource record (SoftLayer_Dns_Domain_ResourceRecord).
type RecordHandle struct{ handle }

// Record returns the handle of record id; no request is made.
func Record(c *stratus.Client, id int) *RecordHandle {
	return &RecordHandle{newHandle(stratus.NewResource(c, recordKind, itoa(id)), wire.Mask{})}
}

func wrapRecord(r *stratus.Resource, m wire.Mask) *RecordHandle {
	return &RecordHandle{newHandle(r, m)}
}

func hydrateRecord(c *stratus.Client, r Result) (*RecordHandle, error) {
	if !r.IsObject() {
		return nil, &stratus.Error{Provider: Name, Op: "create record", Message: "the API answered " + snip(r.Raw), Kind: stratus.ErrMalformed}
	}
	return &RecordHandle{filled(c, recordKind, r.Result)}, nil
}

func (r *RecordHandle) ID() int         { return r.IntID() }
func (r *RecordHandle) ZoneID() int     { return r.int("domainId") }
func (r *RecordHandle) Host() string    { return r.str("host") }
func (r *RecordHandle) Data() string    { return r.str("data") }
func (r *RecordHandle) Type() string    { return r.str("type") }
func (r *RecordHandle) TTL() int        { return r.int("ttl") }
func (r *RecordHandle) MXPriority() int { return r.int("mxPriority") }

// Edit changes the record (host, data, ttl, type, mxPriority).
func (r *RecordHandle) Edit(ctx context.Context, changes map[string]any) error {
	err := r.action(ctx, recordService, "editObject", Params(changes))
	if err == nil {
		r.markStale()
	}
	return err
}

// Delete removes the record.
func (r *RecordHandle) Delete(ctx context.Context) error {
	err := r.action(ctx, recordService, "deleteObject")
	if err == nil {
		r.markStale()
	}
	return err
}
