package digitalocean

import (
	"context"
	"net/http"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
)

// FloatingIPHandle is a lazy floating IP, addressed by its IPv4 address.
type FloatingIPHandle struct{ *stratus.Resource }

var (
	_ stratus.Object = (*FloatingIPHandle)(nil)
	_ ActionOwner    = (*FloatingIPHandle)(nil)
)

// FloatingIP returns a handle for the floating IP ip ("45.55.96.47"). No
// request is sent.
func FloatingIP(c *stratus.Client, ip string) *FloatingIPHandle {
	return &FloatingIPHandle{stratus.NewResource(c, floatingIPKind, ip)}
}

func wrapFloatingIP(r *stratus.Resource) *FloatingIPHandle { return &FloatingIPHandle{r} }

// FloatingIPs lists the account's floating IPs.
func FloatingIPs(c *stratus.Client) stratus.Collection[*FloatingIPHandle] {
	return stratus.NewCollection(c, floatingIPKind, wrapFloatingIP)
}

// IP returns the address (no load needed).
func (f *FloatingIPHandle) IP() string { return f.Resource.ID() }

// Region returns the IP's region, hydrated from the floating IP.
func (f *FloatingIPHandle) Region() *RegionHandle {
	return &RegionHandle{stratus.Hydrate(f.Client(), regionKind, f.Get("region"), false)}
}

// Droplet returns the droplet the IP is assigned to, hydrated from the
// floating IP, or nil when it is unassigned (or cannot be loaded: see
// LastError). Reading a field the embedded droplet lacks loads it.
func (f *FloatingIPHandle) Droplet() *DropletHandle {
	v := f.Get("droplet")
	if !v.IsObject() {
		return nil
	}
	return &DropletHandle{stratus.Hydrate(f.Client(), dropletKind, v, true)}
}

// Locked reports whether an action is running on the IP.
func (f *FloatingIPHandle) Locked() bool { return f.GetBool("locked") }

// ProjectID returns the uuid of the project the IP belongs to.
func (f *FloatingIPHandle) ProjectID() string { return f.GetString("project_id") }

// path is the item path, the address escaped as a path segment.
func (f *FloatingIPHandle) path() string { return transport.PathJoin("/v2/floating_ips", f.IP()) }

// FloatingIPCreate is the request for a new floating IP: either assigned
// at once to a droplet (DropletID), or reserved in a region (Region, with
// an optional ProjectID). Exactly one of DropletID and Region is set.
type FloatingIPCreate struct {
	DropletID int    `json:"droplet_id,omitempty"`
	Region    string `json:"region,omitempty"`
	ProjectID string `json:"project_id,omitempty"`
}

func (r FloatingIPCreate) check(c *stratus.Client) error {
	const op = "POST /v2/floating_ips"
	switch {
	case r.DropletID < 0:
		return stratus.Invalid(c, op, "DropletID %d is not a droplet id", r.DropletID)
	case r.DropletID == 0 && r.Region == "":
		return stratus.Invalid(c, op, "set exactly one of DropletID (assign) and Region (reserve); neither is set")
	case r.DropletID != 0 && r.Region != "":
		return stratus.Invalid(c, op, "set exactly one of DropletID (assign) and Region (reserve), not both")
	case r.DropletID != 0 && r.ProjectID != "":
		return stratus.Invalid(c, op, "ProjectID goes with Region only: an IP assigned to a droplet joins the droplet's project")
	}
	return nil
}

// CreateFloatingIP allocates a floating IP. When it is assigned to a
// droplet, the assignment runs as an action, returned with the IP (nil
// for a reservation in a region); waiting on it refreshes the IP. The
// request is refused before sending unless exactly one of DropletID and
// Region is set.
func CreateFloatingIP(ctx context.Context, c *stratus.Client, req FloatingIPCreate) (*FloatingIPHandle, *ActionHandle, error) {
	if err := req.check(c); err != nil {
		return nil, nil, withProvider(err)
	}
	body, err := c.DoJSON(ctx, http.MethodPost, floatingIPKind.ListPath, nil, req)
	if err != nil {
		return nil, nil, err
	}
	obj := body.Get(floatingIPKind.ItemKey)
	if !obj.IsObject() {
		return nil, nil, malformed("POST /v2/floating_ips", floatingIPKind.ItemKey)
	}
	f := &FloatingIPHandle{stratus.Hydrate(c, floatingIPKind, obj, false)}
	var act *ActionHandle
	if acts := createActions(c, body, f); len(acts) > 0 {
		act = acts[0]
	}
	return f, act, nil
}

// act posts a floating-IP action; the action's target is the IP.
func (f *FloatingIPHandle) act(ctx context.Context, body map[string]any) (*ActionHandle, error) {
	res, err := f.Client().DoJSON(ctx, http.MethodPost, f.path()+"/actions", nil, body)
	f.SetError(err)
	if err != nil {
		return nil, err
	}
	return actionFrom(f.Client(), res, f)
}

// Assign points the IP at a droplet (moving it if it was assigned to
// another). Waiting on the action refreshes the IP.
func (f *FloatingIPHandle) Assign(ctx context.Context, dropletID int) (*ActionHandle, error) {
	if dropletID <= 0 {
		return nil, withProvider(stratus.Invalid(f.Client(), "POST "+f.path()+"/actions", "a droplet id is required"))
	}
	return f.act(ctx, map[string]any{"type": "assign", "droplet_id": dropletID})
}

// Unassign detaches the IP from its droplet; it stays reserved in its
// region.
func (f *FloatingIPHandle) Unassign(ctx context.Context) (*ActionHandle, error) {
	return f.act(ctx, map[string]any{"type": "unassign"})
}

// Delete releases the IP.
func (f *FloatingIPHandle) Delete(ctx context.Context) error {
	_, err := f.Client().Do(ctx, http.MethodDelete, f.path(), nil, nil)
	f.SetError(err)
	return err
}

// Actions lists the actions run on the IP, newest first. Their Target is
// this IP.
func (f *FloatingIPHandle) Actions() stratus.Collection[*ActionHandle] {
	wrap := func(r *stratus.Resource) *ActionHandle { return &ActionHandle{Resource: r, target: f} }
	return stratus.NewCollection(f.Client(), actionKind, wrap).At(f.path() + "/actions")
}

// LastAction returns the newest action run on the IP.
func (f *FloatingIPHandle) LastAction(ctx context.Context) (*ActionHandle, error) {
	return f.Actions().Fresh().First(ctx)
}
