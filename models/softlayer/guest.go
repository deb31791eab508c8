package softlayer

import (
	"context"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
)

const guestService = "SoftLayer_Virtual_Guest"

// GuestHandle is a virtual guest (a CCI, SoftLayer_Virtual_Guest).
type GuestHandle struct{ handle }

// Guest returns the handle of guest id; no request is made.
func Guest(c *stratus.Client, id int) *GuestHandle {
	return &GuestHandle{newHandle(stratus.NewResource(c, guestKind, itoa(id)), wire.Mask{})}
}

// GuestWithMask loads guest id with mask m (either form): the handle
// knows the fields m names, and reading another loads the rest once.
func GuestWithMask(ctx context.Context, c *stratus.Client, id int, m string) (*GuestHandle, error) {
	mk, err := wire.ParseMask(m)
	if err != nil {
		return nil, err
	}
	h, err := loadMasked(ctx, c, guestKind, itoa(id), mk)
	if err != nil {
		return nil, err
	}
	return &GuestHandle{h}, nil
}

func wrapGuest(r *stratus.Resource, m wire.Mask) *GuestHandle { return &GuestHandle{newHandle(r, m)} }

// Guests lists the account's virtual guests (Account::getVirtualGuests).
func Guests(c *stratus.Client) List[*GuestHandle] {
	return newList(c, guestKind, guestKind.ListPath, "virtualGuests", wrapGuest)
}

// HourlyGuests lists the hourly guests (Account::getHourlyVirtualGuests).
func HourlyGuests(c *stratus.Client) List[*GuestHandle] {
	return newList(c, guestKind, "/SoftLayer_Account/getHourlyVirtualGuests.json", "hourlyVirtualGuests", wrapGuest)
}

// MonthlyGuests lists the monthly guests (Account::getMonthlyVirtualGuests).
func MonthlyGuests(c *stratus.Client) List[*GuestHandle] {
	return newList(c, guestKind, "/SoftLayer_Account/getMonthlyVirtualGuests.json", "monthlyVirtualGuests", wrapGuest)
}

func (g *GuestHandle) ID() int                  { return g.IntID() }
func (g *GuestHandle) GlobalIdentifier() string { return g.str("globalIdentifier") }
func (g *GuestHandle) Hostname() string         { return g.str("hostname") }
func (g *GuestHandle) Domain() string           { return g.str("domain") }
func (g *GuestHandle) FQDN() string             { return g.str("fullyQualifiedDomainName") }
func (g *GuestHandle) StartCPUs() int           { return g.int("startCpus") }
func (g *GuestHandle) MaxCPU() int              { return g.int("maxCpu") }
func (g *GuestHandle) MaxMemory() int           { return g.int("maxMemory") } // MB
func (g *GuestHandle) Hourly() bool             { return g.bool("hourlyBillingFlag") }
func (g *GuestHandle) LocalDisk() bool          { return g.bool("localDiskFlag") }
func (g *GuestHandle) PrivateNetworkOnly() bool { return g.bool("privateNetworkOnlyFlag") }
func (g *GuestHandle) OSReferenceCode() string  { return g.str("operatingSystemReferenceCode") }
func (g *GuestHandle) PrimaryIP() string        { return g.str("primaryIpAddress") }
func (g *GuestHandle) PrimaryBackendIP() string { return g.str("primaryBackendIpAddress") }
func (g *GuestHandle) Datacenter() string       { return g.str("datacenter.name") }
func (g *GuestHandle) DatacenterID() int        { return g.int("datacenter.id") }
func (g *GuestHandle) Status() string           { return g.str("status.keyName") }
func (g *GuestHandle) PowerStateName() string   { return g.str("powerState.keyName") }
func (g *GuestHandle) CreateDate() time.Time    { return g.time("createDate") }
func (g *GuestHandle) ProvisionDate() time.Time { return g.time("provisionDate") }
func (g *GuestHandle) Tags() []string           { return g.tags() }
func (g *GuestHandle) NICSpeed() int            { return g.int("networkComponents.0.maxSpeed") }
func (g *GuestHandle) ActiveTransaction() string {
	return g.str("activeTransaction.transactionStatus.name")
}

// Ready says whether the guest is provisioned: no active transaction and
// a provision date (softlayer-python's wait_for_ready test).
func (g *GuestHandle) Ready() bool {
	return !g.field("activeTransaction").Exists() && g.field("provisionDate").String() != ""
}

// PowerOff turns the guest off (hard).
func (g *GuestHandle) PowerOff(ctx context.Context) error { return g.act(ctx, "powerOff") }

// PowerOffSoft asks the guest's system to shut down.
func (g *GuestHandle) PowerOffSoft(ctx context.Context) error { return g.act(ctx, "powerOffSoft") }

// PowerOn turns the guest on.
func (g *GuestHandle) PowerOn(ctx context.Context) error { return g.act(ctx, "powerOn") }

// RebootSoft reboots through the guest's system.
func (g *GuestHandle) RebootSoft(ctx context.Context) error { return g.act(ctx, "rebootSoft") }

// RebootHard power-cycles the guest.
func (g *GuestHandle) RebootHard(ctx context.Context) error { return g.act(ctx, "rebootHard") }

// Delete cancels the guest (deleteObject).
func (g *GuestHandle) Delete(ctx context.Context) error {
	err := g.action(ctx, guestService, "deleteObject")
	if err == nil {
		g.markStale()
	}
	return err
}

// SetTags replaces the guest's tags.
func (g *GuestHandle) SetTags(ctx context.Context, tags ...string) error {
	return g.act(ctx, "setTags", Params(strings.Join(tags, ",")))
}

// Edit changes properties (hostname, domain, notes) with editObject.
func (g *GuestHandle) Edit(ctx context.Context, changes map[string]any) error {
	return g.act(ctx, "editObject", Params(changes))
}

// PowerState asks the API for the power state (getPowerState): its
// keyName, "RUNNING" or "HALTED".
func (g *GuestHandle) PowerState(ctx context.Context) (string, error) {
	r, err := g.call(ctx, guestService, "getPowerState")
	if err != nil {
		return "", err
	}
	return r.Get("keyName").String(), nil
}

// act runs an action; the data held is forgotten, so the next read loads
// the object as it is now.
func (g *GuestHandle) act(ctx context.Context, method string, opts ...Option) error {
	err := g.action(ctx, guestService, method, opts...)
	if err == nil {
		g.markStale()
	}
	return err
}

// WaitReady polls the guest until it is ready (no active transaction and
// a provision date), as softlayer-python's wait_for_ready does, with the
// client's wait settings or o's; it reloads the handle on each poll.
func (g *GuestHandle) WaitReady(ctx context.Context, o stratus.WaitOptions) error {
	return stratus.Poll(ctx, g.Client(), o, func(ctx context.Context) (bool, stratus.WaitProgress, error) {
		if err := g.Reload(ctx); err != nil {
			return false, stratus.WaitProgress{}, err
		}
		st := g.ActiveTransaction()
		if st == "" {
			st = "ready"
		}
		done := g.Ready()
		p := stratus.WaitProgress{Total: 1, State: st}
		if done {
			p.Done = 1
		}
		return done, p, nil
	})
}
