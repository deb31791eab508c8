// Package network is the neutral view of networking: firewalls, IP
// addresses, DNS zones and records. A provider without a kind answers
// stratus.ErrUnsupported.
package network

import (
	"context"
	"fmt"
	"iter"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/scope"
)

// FirewallHandle is a firewall (a security group).
type FirewallHandle struct{ scope.Item }

// Firewall returns a firewall handle without any request.
func Firewall(c *stratus.Client, id any) FirewallHandle {
	return FirewallHandle{scope.One(c, scope.KindFirewall, id)}
}

// Firewalls lists the firewalls of every client.
func Firewalls(ctx context.Context, clients ...*stratus.Client) iter.Seq2[FirewallHandle, error] {
	return scope.ListOf(ctx, scope.KindFirewall, func(i scope.Item) FirewallHandle { return FirewallHandle{i} }, clients...)
}

// Name returns the firewall's name.
func (f FirewallHandle) Name() string { return f.String(scope.FieldName) }

// IPAddressHandle is an address that can move between servers
// (DigitalOcean's floating IPs).
type IPAddressHandle struct{ scope.Item }

// IPAddress returns an address handle without any request.
func IPAddress(c *stratus.Client, id any) IPAddressHandle {
	return IPAddressHandle{scope.One(c, scope.KindIPAddress, id)}
}

// IPAddresses lists the addresses of every client.
func IPAddresses(ctx context.Context, clients ...*stratus.Client) iter.Seq2[IPAddressHandle, error] {
	return scope.ListOf(ctx, scope.KindIPAddress, func(i scope.Item) IPAddressHandle { return IPAddressHandle{i} }, clients...)
}

// Address returns the address.
func (a IPAddressHandle) Address() string { return a.String(scope.FieldAddress) }

// ServerID returns the id of the server it is assigned to ("" if none).
func (a IPAddressHandle) ServerID() string { return a.String(scope.FieldServerID) }

// Region returns where it lives.
func (a IPAddressHandle) Region() string { return a.String(scope.FieldRegion) }

// DNSZoneHandle is a DNS zone (a domain).
type DNSZoneHandle struct{ scope.Item }

// DNSZone returns a zone handle without any request.
func DNSZone(c *stratus.Client, name string) DNSZoneHandle {
	return DNSZoneHandle{scope.One(c, scope.KindDNSZone, name)}
}

// DNSZones lists the zones of every client.
func DNSZones(ctx context.Context, clients ...*stratus.Client) iter.Seq2[DNSZoneHandle, error] {
	return scope.ListOf(ctx, scope.KindDNSZone, func(i scope.Item) DNSZoneHandle { return DNSZoneHandle{i} }, clients...)
}

// Name returns the zone's name.
func (z DNSZoneHandle) Name() string { return z.String(scope.FieldName) }

// Records lists the zone's records.
func (z DNSZoneHandle) Records(ctx context.Context) iter.Seq2[DNSRecordHandle, error] {
	r := z.Resource()
	if r == nil {
		return func(yield func(DNSRecordHandle, error) bool) { yield(DNSRecordHandle{}, z.LastError()) }
	}
	return DNSRecords(ctx, r.Client(), z.ID())
}

// DNSRecordHandle is a record of a zone.
type DNSRecordHandle struct{ scope.Item }

// DNSRecord returns a record handle of zone without any request.
func DNSRecord(c *stratus.Client, zone string, id any) (DNSRecordHandle, error) {
	it, err := scope.GetUnder(c, scope.KindDNSRecord, zone, fmt.Sprint(id))
	return DNSRecordHandle{it}, err
}

// DNSRecords lists the records of a zone.
func DNSRecords(ctx context.Context, c *stratus.Client, zone string) iter.Seq2[DNSRecordHandle, error] {
	return func(yield func(DNSRecordHandle, error) bool) {
		for it, err := range scope.ListUnder(ctx, scope.KindDNSRecord, zone, c) {
			if !yield(DNSRecordHandle{it}, err) {
				return
			}
		}
	}
}

// Name returns the record's name within the zone ("www"; "@" or "" for
// the apex, as the provider writes it).
func (r DNSRecordHandle) Name() string { return r.String(scope.FieldName) }

// Type returns the record type ("A", "CNAME", ...).
func (r DNSRecordHandle) Type() string { return r.String(scope.FieldType) }

// Target returns the record's data.
func (r DNSRecordHandle) Target() string { return r.String(scope.FieldTarget) }

// TTL returns the record's time to live in seconds.
func (r DNSRecordHandle) TTL() int { return int(r.Field(scope.FieldTTL).Int()) }
