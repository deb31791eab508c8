package digitalocean

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/digitalocean"
	"github.com/tidwall/gjson"
)

// DropletStatus is a droplet's state.
type DropletStatus string

// The droplet states of the API.
const (
	StatusNew     DropletStatus = "new"
	StatusActive  DropletStatus = "active"
	StatusOff     DropletStatus = "off"
	StatusArchive DropletStatus = "archive"
)

// DropletHandle is a lazy droplet. Make one with Droplet; getters load it
// on first use.
type DropletHandle struct{ *stratus.Resource }

var _ stratus.Object = (*DropletHandle)(nil)

// Droplet returns a handle for droplet id. No request is sent.
func Droplet(c *stratus.Client, id int) *DropletHandle {
	return &DropletHandle{stratus.NewResource(c, dropletKind, strconv.Itoa(id))}
}

func wrapDroplet(r *stratus.Resource) *DropletHandle { return &DropletHandle{r} }

// DropletList is the collection of droplets, with DigitalOcean's filters.
// Its refinements and the generic ones chain in any order.
type DropletList struct {
	stratus.Refinements[*DropletHandle, DropletList]
}

func dropletList(col stratus.Collection[*DropletHandle]) DropletList {
	return DropletList{stratus.Refine(col, dropletList)}
}

// Droplets lists the account's droplets.
func Droplets(c *stratus.Client) DropletList {
	return dropletList(stratus.NewCollection(c, dropletKind, wrapDroplet))
}

// Tag keeps the droplets that carry tag.
func (l DropletList) Tag(tag string) DropletList { return l.Filter("tag_name", tag) }

// Named keeps the droplets whose name is name (exact, case-insensitive).
func (l DropletList) Named(name string) DropletList { return l.Filter("name", name) }

// GPUs keeps GPU droplets only.
func (l DropletList) GPUs() DropletList { return l.Filter("type", "gpus") }

// ID returns the droplet id (no load needed).
func (d *DropletHandle) ID() int { return d.IntID() }

// Name returns the droplet's name.
func (d *DropletHandle) Name() string { return d.GetString("name") }

// Status returns the droplet's state.
func (d *DropletHandle) Status() DropletStatus { return DropletStatus(d.GetString("status")) }

// Memory returns the memory in MB.
func (d *DropletHandle) Memory() int { return d.GetInt("memory") }

// VCPUs returns the number of virtual CPUs.
func (d *DropletHandle) VCPUs() int { return d.GetInt("vcpus") }

// Disk returns the disk size in GB.
func (d *DropletHandle) Disk() int { return d.GetInt("disk") }

// Locked reports whether an action is running on the droplet.
func (d *DropletHandle) Locked() bool { return d.GetBool("locked") }

// CreatedAt returns the creation time.
func (d *DropletHandle) CreatedAt() time.Time { return d.GetTime("created_at") }

// Features returns the enabled features (backups, ipv6, ...).
func (d *DropletHandle) Features() []string { return d.GetStrings("features") }

// BackupIDs returns the ids of the droplet's backups.
func (d *DropletHandle) BackupIDs() []int { return d.GetInts("backup_ids") }

// SnapshotIDs returns the ids of the droplet's snapshots.
func (d *DropletHandle) SnapshotIDs() []int { return d.GetInts("snapshot_ids") }

// SizeSlug returns the size slug (s-1vcpu-1gb...).
func (d *DropletHandle) SizeSlug() string { return d.GetString("size_slug") }

// Tags returns the droplet's tags.
func (d *DropletHandle) Tags() []string { return d.GetStrings("tags") }

// VolumeIDs returns the attached volumes.
func (d *DropletHandle) VolumeIDs() []string { return d.GetStrings("volume_ids") }

// VPCUUID returns the droplet's VPC.
func (d *DropletHandle) VPCUUID() string { return d.GetString("vpc_uuid") }

// Image returns the droplet's image, hydrated from the droplet.
func (d *DropletHandle) Image() *ImageHandle {
	return &ImageHandle{stratus.Hydrate(d.Client(), imageKind, d.Get("image"), false)}
}

// Size returns the droplet's size, hydrated from the droplet.
func (d *DropletHandle) Size() *SizeHandle {
	return &SizeHandle{stratus.Hydrate(d.Client(), sizeKind, d.Get("size"), false)}
}

// Region returns the droplet's region, hydrated from the droplet.
func (d *DropletHandle) Region() *RegionHandle {
	return &RegionHandle{stratus.Hydrate(d.Client(), regionKind, d.Get("region"), false)}
}

// Kernel is a droplet kernel.
type Kernel struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Kernel returns the droplet's kernel, or nil.
func (d *DropletHandle) Kernel() *Kernel {
	v := d.Get("kernel")
	if !v.IsObject() {
		return nil
	}
	return &Kernel{ID: int(v.Get("id").Int()), Name: v.Get("name").String(), Version: v.Get("version").String()}
}

// BackupWindow is when the next backup will run.
type BackupWindow struct{ Start, End time.Time }

// NextBackupWindow returns the next backup window, or nil.
func (d *DropletHandle) NextBackupWindow() *BackupWindow {
	v := d.Get("next_backup_window")
	if !v.IsObject() {
		return nil
	}
	return &BackupWindow{Start: stratus.ParseTime(v.Get("start")), End: stratus.ParseTime(v.Get("end"))}
}

// Network is one interface address of a droplet.
type Network struct {
	IPAddress string
	Netmask   string // "255.255.255.0" for v4, a prefix length ("64") for v6
	Gateway   string
	Type      string // public or private
	Version   int    // 4 or 6
}

// Networks returns the droplet's addresses, v4 first.
func (d *DropletHandle) Networks() []Network {
	var out []Network
	for _, v := range []int{4, 6} {
		d.Get("networks.v" + strconv.Itoa(v)).ForEach(func(_, n gjson.Result) bool {
			out = append(out, Network{IPAddress: n.Get("ip_address").String(), Netmask: n.Get("netmask").String(),
				Gateway: n.Get("gateway").String(), Type: n.Get("type").String(), Version: v})
			return true
		})
	}
	return out
}

func (d *DropletHandle) address(version, typ string) string {
	return d.Get(`networks.v` + version + `.#(type=="` + typ + `").ip_address`).String()
}

// PublicIPv4 returns the first public IPv4 address, or "".
func (d *DropletHandle) PublicIPv4() string { return d.address("4", "public") }

// PrivateIPv4 returns the first private IPv4 address, or "".
func (d *DropletHandle) PrivateIPv4() string { return d.address("4", "private") }

// PublicIPv6 returns the first public IPv6 address, or "".
func (d *DropletHandle) PublicIPv6() string { return d.address("6", "public") }

// Delete destroys the droplet.
func (d *DropletHandle) Delete(ctx context.Context) error {
	_, err := d.Client().Do(ctx, http.MethodDelete, d.Path(), nil, nil)
	d.SetError(err)
	return err
}

// Neighbors returns the droplets that run on the same physical server.
func (d *DropletHandle) Neighbors(ctx context.Context) ([]*DropletHandle, error) {
	return Droplets(d.Client()).At(d.Path() + "/neighbors").Collect(ctx)
}

// Kernels lists the kernels the droplet can boot.
func (d *DropletHandle) Kernels() stratus.Collection[*KernelHandle] {
	return stratus.NewCollection(d.Client(), kernelKind, func(r *stratus.Resource) *KernelHandle { return &KernelHandle{r} }).At(d.Path() + "/kernels")
}

// Backups lists the droplet's backups (images).
func (d *DropletHandle) Backups() ImageList {
	return Images(d.Client()).At(d.Path() + "/backups").ListKey("backups")
}

// Snapshots lists the droplet's snapshots (images).
func (d *DropletHandle) Snapshots() ImageList {
	return Images(d.Client()).At(d.Path() + "/snapshots").ListKey("snapshots")
}

// Actions lists the actions run on the droplet, newest first.
func (d *DropletHandle) Actions() stratus.Collection[*ActionHandle] {
	return Actions(d.Client()).At(d.Path() + "/actions")
}

// LastAction returns the newest action run on the droplet.
func (d *DropletHandle) LastAction(ctx context.Context) (*ActionHandle, error) {
	return d.Actions().Fresh().First(ctx)
}

// KernelHandle is one kernel a droplet can boot.
type KernelHandle struct{ *stratus.Resource }

// ID returns the kernel id.
func (k *KernelHandle) ID() int { return k.GetInt("id") }

// Name returns the kernel's name.
func (k *KernelHandle) Name() string { return k.GetString("name") }

// Version returns the kernel's version.
func (k *KernelHandle) Version() string { return k.GetString("version") }

// ImageRef names an image by id or slug for create and rebuild.
type ImageRef struct {
	ID   int
	Slug string
}

// ImageSlug names an image by slug.
func ImageSlug(s string) ImageRef { return ImageRef{Slug: s} }

// ImageID names an image by id.
func ImageID(id int) ImageRef { return ImageRef{ID: id} }

// MarshalJSON sends the slug if set, else the id.
func (r ImageRef) MarshalJSON() ([]byte, error) {
	if r.Slug != "" {
		return json.Marshal(r.Slug)
	}
	return json.Marshal(r.ID)
}

// IsZero reports an unset reference.
func (r ImageRef) IsZero() bool { return r.ID == 0 && r.Slug == "" }

// KeyRef names an SSH key by id or fingerprint.
type KeyRef struct {
	ID          int
	Fingerprint string
}

// MarshalJSON sends the fingerprint if set, else the id.
func (r KeyRef) MarshalJSON() ([]byte, error) {
	if r.Fingerprint != "" {
		return json.Marshal(r.Fingerprint)
	}
	return json.Marshal(r.ID)
}

// BackupPolicy is when backups run.
type BackupPolicy struct {
	Plan    string `json:"plan,omitempty"`    // daily or weekly
	Weekday string `json:"weekday,omitempty"` // SUN..SAT for weekly
	Hour    *int   `json:"hour,omitempty"`    // 0, 4, 8, 12, 16 or 20
}

// DropletCreate is the request to create one droplet (Name) or up to ten
// (Names).
type DropletCreate struct {
	Name              string        `json:"name,omitempty"`
	Names             []string      `json:"names,omitempty"`
	Region            string        `json:"region,omitempty"`
	Size              string        `json:"size"`
	Image             ImageRef      `json:"image"`
	SSHKeys           []KeyRef      `json:"ssh_keys,omitempty"`
	Backups           bool          `json:"backups,omitempty"`
	BackupPolicy      *BackupPolicy `json:"backup_policy,omitempty"`
	IPv6              bool          `json:"ipv6,omitempty"`
	Monitoring        bool          `json:"monitoring,omitempty"`
	PrivateNetworking bool          `json:"private_networking,omitempty"`
	VPCUUID           string        `json:"vpc_uuid,omitempty"`
	UserData          string        `json:"user_data,omitempty"`
	Volumes           []string      `json:"volumes,omitempty"`
	Tags              []string      `json:"tags,omitempty"`
	WithDropletAgent  *bool         `json:"with_droplet_agent,omitempty"`
	PublicNetworking  *bool         `json:"public_networking,omitempty"`
}

func (r DropletCreate) check(many bool) error {
	const op = "POST /v2/droplets"
	switch {
	case many && len(r.Names) == 0:
		return stratus.Invalid(nil, op, "Names is required to create several droplets")
	case many && r.Name != "":
		return stratus.Invalid(nil, op, "set Names or Name, not both")
	case many && len(r.Names) > 10:
		return stratus.Invalid(nil, op, "at most 10 droplets at once, got %d", len(r.Names))
	case !many && r.Name == "":
		return stratus.Invalid(nil, op, "Name is required")
	case !many && len(r.Names) > 0:
		return stratus.Invalid(nil, op, "use CreateDroplets for Names")
	case r.Size == "":
		return stratus.Invalid(nil, op, "Size is required")
	case r.Image.IsZero():
		return stratus.Invalid(nil, op, "Image is required")
	case len(r.UserData) > 64<<10:
		return stratus.Invalid(nil, op, "UserData exceeds 64 KiB")
	}
	return nil
}

// CreateDroplet creates one droplet and returns it with its create action.
// The request is never sent twice: if the answer is lost, the error says
// so and the droplet may exist.
func CreateDroplet(ctx context.Context, c *stratus.Client, req DropletCreate) (*DropletHandle, *ActionHandle, error) {
	if err := req.check(false); err != nil {
		return nil, nil, withProvider(err)
	}
	body, err := c.DoJSON(ctx, http.MethodPost, dropletKind.ListPath, nil, req)
	if err != nil {
		return nil, nil, err
	}
	obj := body.Get("droplet")
	if !obj.IsObject() {
		return nil, nil, malformed("POST /v2/droplets", "droplet")
	}
	d := &DropletHandle{stratus.Hydrate(c, dropletKind, obj, false)}
	acts := createActions(c, body, d)
	var act *ActionHandle
	if len(acts) > 0 {
		act = acts[0]
	}
	return d, act, nil
}

// CreateDroplets creates up to ten droplets at once.
func CreateDroplets(ctx context.Context, c *stratus.Client, req DropletCreate) ([]*DropletHandle, []*ActionHandle, error) {
	if err := req.check(true); err != nil {
		return nil, nil, withProvider(err)
	}
	body, err := c.DoJSON(ctx, http.MethodPost, dropletKind.ListPath, nil, req)
	if err != nil {
		return nil, nil, err
	}
	arr := body.Get("droplets")
	if !arr.IsArray() {
		return nil, nil, malformed("POST /v2/droplets", "droplets")
	}
	var ds []*DropletHandle
	arr.ForEach(func(_, v gjson.Result) bool {
		ds = append(ds, &DropletHandle{stratus.Hydrate(c, dropletKind, v, false)})
		return true
	})
	var target *DropletHandle
	if len(ds) == 1 {
		target = ds[0]
	}
	acts := createActions(c, body, target)
	// links.actions come in the droplets' order; pair them up.
	if len(acts) == len(ds) {
		for i := range acts {
			acts[i].target = ds[i]
		}
	}
	return ds, acts, nil
}

// createActions reads links.actions[] of a create answer into handles.
func createActions(c *stratus.Client, body gjson.Result, target stratus.Object) []*ActionHandle {
	var acts []*ActionHandle
	body.Get("links.actions").ForEach(func(_, v gjson.Result) bool {
		id := v.Get("id").String()
		if id == "" {
			return true
		}
		a := &ActionHandle{Resource: stratus.NewResource(c, actionKind, id), target: target}
		acts = append(acts, a)
		return true
	})
	return acts
}

// DeleteDropletsByTag destroys every droplet that carries tag.
func DeleteDropletsByTag(ctx context.Context, c *stratus.Client, tag string) error {
	if tag == "" {
		return withProvider(stratus.Invalid(c, "DELETE /v2/droplets", "tag is required"))
	}
	_, err := c.Do(ctx, http.MethodDelete, dropletKind.ListPath, map[string][]string{"tag_name": {tag}}, nil)
	return err
}

// NeighborIDs returns the account's groups of droplets that share a
// physical server (GET /v2/reports/droplet_neighbors_ids).
func NeighborIDs(ctx context.Context, c *stratus.Client) ([][]int, error) {
	body, err := c.Do(ctx, http.MethodGet, "/v2/reports/droplet_neighbors_ids", nil, nil)
	if err != nil {
		return nil, err
	}
	var out [][]int
	body.Get("neighbor_ids").ForEach(func(_, group gjson.Result) bool {
		var ids []int
		group.ForEach(func(_, id gjson.Result) bool {
			ids = append(ids, int(id.Int()))
			return true
		})
		out = append(out, ids)
		return true
	})
	return out, nil
}

// AllNeighbors returns the account's groups of co-located droplets as
// loaded handles (the legacy report that doapi reads, paginated).
func AllNeighbors(ctx context.Context, c *stratus.Client) ([][]*DropletHandle, error) {
	var out [][]*DropletHandle
	q := dropletKind.Pager.First(nil, wire.MaxPageSize)
	for q != nil {
		body, err := c.Do(ctx, http.MethodGet, "/v2/reports/droplet_neighbors", q, nil)
		if err != nil {
			return out, err
		}
		count := 0
		body.Get("neighbors").ForEach(func(_, group gjson.Result) bool {
			count++
			var ds []*DropletHandle
			group.ForEach(func(_, v gjson.Result) bool {
				ds = append(ds, &DropletHandle{stratus.Hydrate(c, dropletKind, v, false)})
				return true
			})
			out = append(out, ds)
			return true
		})
		q, _ = dropletKind.Pager.Next(q, http.Header{}, body, count)
	}
	return out, nil
}

func malformed(op, key string) error {
	return &stratus.Error{Provider: Provider.Name, Op: op, Message: "answer lacks the \"" + key + "\" key", Kind: stratus.ErrMalformed}
}

func withProvider(err error) error {
	if e, ok := err.(*stratus.Error); ok && e.Provider == "" {
		e.Provider = Provider.Name
	}
	return err
}
