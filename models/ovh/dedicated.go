package ovh

import (
	"context"
	"net/http"

	"github.com/stratus-cloud/stratus"
)

// The burst states of a dedicated server. Only BurstActive and
// BurstInactive can be set; inactiveLocked is OVH's to decide.
const (
	BurstActive         = "active"
	BurstInactive       = "inactive"
	BurstInactiveLocked = "inactiveLocked"
)

// DedicatedServerHandle is a lazy dedicated server
// (/dedicated/server/{serviceName}).
type DedicatedServerHandle struct{ *stratus.Resource }

var _ stratus.Object = (*DedicatedServerHandle)(nil)

// DedicatedServer returns a handle for the server whose service name is
// name ("ns3001234.ip-51-68-10.eu"). No request is sent.
func DedicatedServer(c *stratus.Client, name string) *DedicatedServerHandle {
	return &DedicatedServerHandle{stratus.NewResource(c, dedicatedServerKind, name)}
}

func wrapDedicatedServer(r *stratus.Resource) *DedicatedServerHandle {
	return &DedicatedServerHandle{r}
}

// DedicatedServerList is the collection of the account's dedicated
// servers, in the API's order.
type DedicatedServerList struct {
	stratus.Refinements[*DedicatedServerHandle, DedicatedServerList]
}

func dedicatedServerList(col stratus.Collection[*DedicatedServerHandle]) DedicatedServerList {
	return DedicatedServerList{stratus.Refine(col, dedicatedServerList)}
}

// DedicatedServers lists the account's dedicated servers. The API lists
// names; whole pages of servers come at once in the bulk page mode, and
// otherwise the servers load ahead of the loop once it reads a field.
func DedicatedServers(c *stratus.Client) DedicatedServerList {
	return dedicatedServerList(stratus.NewCollection(c, dedicatedServerKind, wrapDedicatedServer))
}

// NoBulk lists names and loads each server on its own.
func (l DedicatedServerList) NoBulk() DedicatedServerList {
	return l.With(noBulk(l.Collection))
}

// Name returns the service name (no load needed).
func (d *DedicatedServerHandle) Name() string { return d.Resource.ID() }

// ServerID returns the server's numeric id.
func (d *DedicatedServerHandle) ServerID() int64 { return d.Get("serverId").Int() }

// IP returns the main IPv4 address.
func (d *DedicatedServerHandle) IP() string { return d.GetString("ip") }

// Datacenter returns the datacenter (rbx8, gra3, sbg1, bhs6, ...).
func (d *DedicatedServerHandle) Datacenter() string { return d.GetString("datacenter") }

// Region returns the region (eu-west-gra, ...).
func (d *DedicatedServerHandle) Region() string { return d.GetString("region") }

// AvailabilityZone returns the availability zone.
func (d *DedicatedServerHandle) AvailabilityZone() string { return d.GetString("availabilityZone") }

// State returns ok, error, hacked or hackedBlocked.
func (d *DedicatedServerHandle) State() string { return d.GetString("state") }

// PowerState returns poweron or poweroff.
func (d *DedicatedServerHandle) PowerState() string { return d.GetString("powerState") }

// OS returns the installed operating system's template name.
func (d *DedicatedServerHandle) OS() string { return d.GetString("os") }

// Reverse returns the main address's reverse DNS name.
func (d *DedicatedServerHandle) Reverse() string { return d.GetString("reverse") }

// Rack returns the rack the server sits in.
func (d *DedicatedServerHandle) Rack() string { return d.GetString("rack") }

// CommercialRange returns the offer's range (rise-1, advance-2, ...).
func (d *DedicatedServerHandle) CommercialRange() string { return d.GetString("commercialRange") }

// LinkSpeed returns the network link speed in Mbps.
func (d *DedicatedServerHandle) LinkSpeed() int { return d.GetInt("linkSpeed") }

// Monitoring reports whether OVH monitors the server.
func (d *DedicatedServerHandle) Monitoring() bool { return d.GetBool("monitoring") }

// NoIntervention reports whether OVH may not intervene on the server.
func (d *DedicatedServerHandle) NoIntervention() bool { return d.GetBool("noIntervention") }

// ProfessionalUse reports whether the server is a professional offer.
func (d *DedicatedServerHandle) ProfessionalUse() bool { return d.GetBool("professionalUse") }

// BootID returns the id of the boot the server uses.
func (d *DedicatedServerHandle) BootID() int64 { return d.Get("bootId").Int() }

// RescueMail returns where rescue-mode credentials are sent ("" for the
// account's address).
func (d *DedicatedServerHandle) RescueMail() string { return d.GetString("rescueMail") }

// RootDevice returns the root device, if set.
func (d *DedicatedServerHandle) RootDevice() string { return d.GetString("rootDevice") }

// SupportLevel returns critical, fastpath, gs or pro.
func (d *DedicatedServerHandle) SupportLevel() string { return d.GetString("supportLevel") }

// Update changes server properties named in the API's words ("bootId",
// "monitoring", "noIntervention", "rescueMail", "rootDevice", "state",
// ...), then reloads the handle.
func (d *DedicatedServerHandle) Update(ctx context.Context, fields map[string]any) error {
	if len(fields) == 0 {
		return invalid(d.Client(), "PUT "+dedicatedServerKind.ItemPath, "nothing to update")
	}
	return update(ctx, d.Resource, d.Path(), fields)
}

// IPs lists the blocks routed to the server ("51.68.10.7/32", an IPv6
// /64, ...).
func (d *DedicatedServerHandle) IPs(ctx context.Context) ([]string, error) {
	ips, err := getStrings(ctx, d.Client(), d.Path()+"/ips")
	d.SetError(err)
	return ips, err
}

// Capacity is an amount and its unit ({"unit": "Mbps", "value": 2000}).
type Capacity struct {
	Value int64
	Unit  string
}

// Burst is the bandwidth burst of a dedicated server.
type Burst struct {
	Status   string // BurstActive, BurstInactive or BurstInactiveLocked
	Capacity Capacity
}

// Burst reads the server's burst (GET .../burst). It is read fresh each
// time.
func (d *DedicatedServerHandle) Burst(ctx context.Context) (Burst, error) {
	res, err := d.Client().Do(ctx, http.MethodGet, d.Path()+"/burst", nil, nil)
	d.SetError(err)
	if err != nil {
		return Burst{}, err
	}
	if !res.IsObject() {
		err = malformed("GET "+dedicatedServerKind.ItemPath+"/burst", "an object")
		d.SetError(err)
		return Burst{}, err
	}
	return Burst{
		Status:   res.Get("status").String(),
		Capacity: Capacity{Value: res.Get("capacity.value").Int(), Unit: res.Get("capacity.unit").String()},
	}, nil
}

// SetBurst turns the burst on (BurstActive) or off (BurstInactive). Any
// other status is refused before sending.
func (d *DedicatedServerHandle) SetBurst(ctx context.Context, status string) error {
	if status != BurstActive && status != BurstInactive {
		err := invalid(d.Client(), "PUT "+dedicatedServerKind.ItemPath+"/burst", "burst status %q is not %q or %q", status, BurstActive, BurstInactive)
		d.SetError(err)
		return err
	}
	_, err := write(ctx, d.Resource, http.MethodPut, d.Path()+"/burst", map[string]string{"status": status})
	return err
}

// EnableBurst turns the burst on.
func (d *DedicatedServerHandle) EnableBurst(ctx context.Context) error {
	return d.SetBurst(ctx, BurstActive)
}

// DisableBurst turns the burst off.
func (d *DedicatedServerHandle) DisableBurst(ctx context.Context) error {
	return d.SetBurst(ctx, BurstInactive)
}
