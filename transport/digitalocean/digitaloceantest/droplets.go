package digitaloceantest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

type netV4 struct {
	IPAddress string `json:"ip_address"`
	Netmask   string `json:"netmask"`
	Gateway   string `json:"gateway"`
	Type      string `json:"type"`
}

type netV6 struct {
	IPAddress string `json:"ip_address"`
	Netmask   int    `json:"netmask"`
	Gateway   string `json:"gateway"`
	Type      string `json:"type"`
}

type networks struct {
	V4 []netV4 `json:"v4"`
	V6 []netV6 `json:"v6"`
}

type backupWindow struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// droplet is a virtual machine. Its JSON is cached until it changes.
type droplet struct {
	id           int
	name         string
	memory       int
	vcpus        int
	disk         int
	locked       bool
	status       string
	created      time.Time
	features     []string
	backupIDs    []int
	snapshotIDs  []int
	backupStart  time.Time // zero: no backup window
	image        []byte    // JSON of the image it was built from
	size         *size
	region       *region
	v4           []netV4
	v6           []netV6
	tags         []string
	volumeIDs    []string
	vpc          string
	kernel       *kernel
	host         int  // droplets on the same host are neighbors; 0 = alone
	wantIPv6     bool // addresses to give when the create action completes
	wantPublicV4 bool

	cache []byte
}

func (d *droplet) changed() { d.cache = nil }

func (d *droplet) json() []byte {
	if d.cache != nil {
		return d.cache
	}
	var window *backupWindow
	if !d.backupStart.IsZero() {
		window = &backupWindow{stamp(d.backupStart), stamp(d.backupStart.Add(23 * time.Hour))}
	}
	d.cache = marshal(struct {
		ID               int           `json:"id"`
		Name             string        `json:"name"`
		Memory           int           `json:"memory"`
		VCPUs            int           `json:"vcpus"`
		Disk             int           `json:"disk"`
		DiskInfo         []diskInfo    `json:"disk_info"`
		Locked           bool          `json:"locked"`
		Status           string        `json:"status"`
		Kernel           *kernel       `json:"kernel"`
		CreatedAt        string        `json:"created_at"`
		Features         []string      `json:"features"`
		BackupIDs        []int         `json:"backup_ids"`
		NextBackupWindow *backupWindow `json:"next_backup_window"`
		SnapshotIDs      []int         `json:"snapshot_ids"`
		Image            rawJSON       `json:"image"`
		VolumeIDs        []string      `json:"volume_ids"`
		Size             rawJSON       `json:"size"`
		SizeSlug         string        `json:"size_slug"`
		Networks         networks      `json:"networks"`
		Region           rawJSON       `json:"region"`
		Tags             []string      `json:"tags"`
		VPCUUID          string        `json:"vpc_uuid"`
		GPUInfo          *gpuInfo      `json:"gpu_info,omitempty"`
	}{
		ID: d.id, Name: d.name, Memory: d.memory, VCPUs: d.vcpus, Disk: d.disk, DiskInfo: localDisk(d.disk),
		Locked: d.locked, Status: d.status, Kernel: d.kernel, CreatedAt: stamp(d.created),
		Features: nonNil(d.features), BackupIDs: nonNil(d.backupIDs), NextBackupWindow: window,
		SnapshotIDs: nonNil(d.snapshotIDs), Image: d.image, VolumeIDs: nonNil(d.volumeIDs),
		Size: d.size.json, SizeSlug: d.size.Slug,
		Networks: networks{nonNil(d.v4), nonNil(d.v6)},
		Region:   d.region.json, Tags: nonNil(d.tags), VPCUUID: d.vpc, GPUInfo: d.size.GPUInfo,
	})
	return d.cache
}

func (d *droplet) hasFeature(f string) bool { return slices.Contains(d.features, f) }

func (d *droplet) addFeature(f string) {
	if !d.hasFeature(f) {
		d.features = append(d.features, f)
	}
}

func (d *droplet) removeFeature(f string) {
	d.features = slices.DeleteFunc(d.features, func(x string) bool { return x == f })
}

func (d *droplet) hasTag(t string) bool {
	return slices.ContainsFunc(d.tags, func(x string) bool { return strings.EqualFold(x, t) })
}

func (d *droplet) setSize(z *size, resizeDisk bool) {
	d.size, d.memory, d.vcpus = z, z.Memory, z.VCPUs
	if resizeDisk || d.disk == 0 {
		d.disk = z.Disk
	}
}

// giveAddresses assigns the public and private IPv4 (and IPv6) addresses a
// droplet receives when it becomes active.
func (s *Server) giveAddresses(d *droplet) {
	s.addrSeq++
	q := s.addrSeq
	o4 := 2 + q%250
	q /= 250
	o3 := 1 + q%250
	q /= 250
	o2 := 16 + q%200
	if d.wantPublicV4 {
		d.v4 = append(d.v4, netV4{fmt.Sprintf("146.%d.%d.%d", o2, o3, o4), "255.255.255.0",
			fmt.Sprintf("146.%d.%d.1", o2, o3), "public"})
	}
	d.v4 = append(d.v4, netV4{fmt.Sprintf("10.%d.%d.%d", 100+d.region.index, o3, o4), "255.255.0.0",
		fmt.Sprintf("10.%d.0.1", 100+d.region.index), "private"})
	if d.wantIPv6 {
		s.addIPv6(d)
	}
	d.changed()
}

func (s *Server) addIPv6(d *droplet) {
	if len(d.v6) == 0 {
		d.v6 = append(d.v6, netV6{
			fmt.Sprintf("2604:a880:%x:d0::%x:1", 0x400+d.region.index, d.id&0xffff), 64,
			fmt.Sprintf("2604:a880:%x:d0::1", 0x400+d.region.index), "public"})
	}
	d.addFeature("ipv6")
}

var dropletName = regexp.MustCompile(`^[a-zA-Z0-9]?[a-z0-9A-Z.\-]*[a-z0-9A-Z]$`)

func validDropletName(n string) bool { return len(n) <= 255 && dropletName.MatchString(n) }

// dropletParam finds the droplet named by the first path parameter.
func (s *Server) dropletParam(c *call) *droplet {
	id, ok := c.intParam(0)
	d := s.droplets[id]
	if !ok || d == nil {
		c.notFound()
		return nil
	}
	return d
}

func (s *Server) listDroplets(c *call) {
	q := c.r.URL.Query()
	tag, name, typ := q.Get("tag_name"), q.Get("name"), q.Get("type")
	set := 0
	for _, v := range []string{tag, name, typ} {
		if v != "" {
			set++
		}
	}
	if set > 1 {
		c.badRequest("tag_name, name and type are mutually exclusive")
		return
	}
	if typ != "" && typ != "droplets" && typ != "gpus" {
		c.badRequest("type must be one of droplets, gpus")
		return
	}
	items := s.dropletOrder
	if set == 1 {
		items = nil
		for _, d := range s.dropletOrder {
			var keep bool
			switch {
			case tag != "":
				keep = d.hasTag(tag)
			case name != "":
				keep = strings.EqualFold(d.name, name)
			default:
				keep = (d.size.GPUInfo != nil) == (typ == "gpus")
			}
			if keep {
				items = append(items, d)
			}
		}
	}
	listOf(c, "droplets", items, (*droplet).json)
}

func (s *Server) getDroplet(c *call) {
	if d := s.dropletParam(c); d != nil {
		c.ok(http.StatusOK, m("droplet", d.json()))
	}
}

type dropletCreate struct {
	Name              *string           `json:"name"`
	Names             []string          `json:"names"`
	Size              string            `json:"size"`
	Image             json.RawMessage   `json:"image"`
	Region            string            `json:"region"`
	SSHKeys           []json.RawMessage `json:"ssh_keys"`
	Backups           bool              `json:"backups"`
	IPv6              bool              `json:"ipv6"`
	PrivateNetworking bool              `json:"private_networking"`
	Monitoring        bool              `json:"monitoring"`
	UserData          string            `json:"user_data"`
	Volumes           []json.RawMessage `json:"volumes"`
	Tags              []string          `json:"tags"`
	VPCUUID           string            `json:"vpc_uuid"`
	WithDropletAgent  *bool             `json:"with_droplet_agent"`
	PublicNetworking  *bool             `json:"public_networking"`
}

func (s *Server) createDroplets(c *call) {
	var req dropletCreate
	if !c.decode(&req) {
		return
	}
	var names []string
	switch {
	case req.Name != nil && req.Names != nil:
		c.unprocessable("Specify either name or names, not both.")
		return
	case req.Name != nil:
		names = []string{*req.Name}
	case len(req.Names) > 10:
		c.unprocessable("You can create at most 10 Droplets at once.")
		return
	case len(req.Names) > 0:
		names = req.Names
	default:
		c.unprocessable("Name is required.")
		return
	}
	for _, n := range names {
		if !validDropletName(n) {
			c.unprocessable(fmt.Sprintf("Name %q is not valid: only letters, numbers, periods and dashes are allowed.", n))
			return
		}
	}
	if req.Size == "" {
		c.unprocessable("Size is required.")
		return
	}
	z := s.sizeBySlug[req.Size]
	if z == nil {
		c.unprocessable("You specified an invalid size for Droplet creation.")
		return
	}
	if len(req.Image) == 0 || string(req.Image) == "null" {
		c.unprocessable("Image is required.")
		return
	}
	img := s.imageRef(req.Image)
	if img == nil {
		c.unprocessable("You specified an invalid image for Droplet creation.")
		return
	}
	r, msg := s.placeDroplet(req.Region, z, img)
	if r == nil {
		c.unprocessable(msg)
		return
	}
	for _, k := range req.SSHKeys {
		if s.keyRef(k) == nil {
			c.unprocessable("You specified an invalid SSH key for Droplet creation.")
			return
		}
	}
	for _, t := range req.Tags {
		if !validTag(t) {
			c.unprocessable(fmt.Sprintf("Tag %q is not valid: only letters, numbers, colons, dashes and underscores are allowed.", t))
			return
		}
	}
	if len(req.UserData) > 64<<10 {
		c.unprocessable("User data is limited to 64 KiB.")
		return
	}
	public := req.PublicNetworking == nil || *req.PublicNetworking
	if !public && req.IPv6 {
		c.unprocessable("public_networking false requires ipv6 false.")
		return
	}
	var volumes []string
	for _, v := range req.Volumes {
		var id string
		if json.Unmarshal(v, &id) != nil {
			var obj struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(v, &obj)
			id = obj.ID
		}
		if id != "" {
			volumes = append(volumes, id)
		}
	}
	tags := make([]string, 0, len(req.Tags))
	for _, t := range req.Tags {
		if t = s.ensureTag(t).name; !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	vpc := req.VPCUUID
	if vpc == "" {
		vpc = s.vpcs[r.Slug]
	}

	var bodies [][]byte
	var actionIDs []int
	for _, n := range names {
		s.nextDroplet++
		d := &droplet{
			id: s.nextDroplet, name: n, status: "new", locked: true, created: c.now,
			image: img.json(), region: r, tags: slices.Clone(tags), volumeIDs: slices.Clone(volumes),
			vpc: vpc, wantIPv6: req.IPv6, wantPublicV4: public,
			features: []string{"private_networking"},
		}
		d.setSize(z, true)
		if req.Backups {
			d.addFeature("backups")
			d.backupStart = nextMidnight(c.now)
		}
		if req.IPv6 {
			d.addFeature("ipv6")
		}
		if req.Monitoring {
			d.addFeature("monitoring")
		}
		if req.WithDropletAgent != nil && *req.WithDropletAgent {
			d.addFeature("droplet_agent")
		}
		s.addDroplet(d)
		a := s.startAction(c, "create", "droplet", d.id, r, func(ok bool) {
			d.locked = false
			if ok {
				d.status = "active"
				s.giveAddresses(d)
			}
			d.changed()
		})
		bodies = append(bodies, d.json())
		actionIDs = append(actionIDs, a.id)
	}
	links := c.actionLinks("create", actionIDs...)
	if req.Name != nil {
		c.ok(http.StatusAccepted, m("droplet", bodies[0]), m("links", links))
		return
	}
	c.ok(http.StatusAccepted, m("droplets", joinJSON(bodies)), m("links", links))
}

func nextMidnight(t time.Time) time.Time {
	return t.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
}

// joinJSON encodes a list of encoded values as a JSON array.
func joinJSON(items [][]byte) []byte {
	return simulator.Array(len(items), func(i int) []byte { return items[i] })
}

// placeDroplet picks the region: an exact slug, a prefix such as "nyc", or
// any region with the size and image when empty.
func (s *Server) placeDroplet(want string, z *size, img *image) (*region, string) {
	fits := func(r *region) bool {
		return r.Available && slices.Contains(r.Sizes, z.Slug) && slices.Contains(img.regions, r.Slug)
	}
	if want == "" {
		for _, r := range s.regions {
			if fits(r) {
				return r, ""
			}
		}
		return nil, "No region offers this size and image."
	}
	if r := s.regionBySlug[want]; r != nil {
		switch {
		case !r.Available:
			return nil, "The region " + want + " is not available."
		case !slices.Contains(r.Sizes, z.Slug):
			return nil, "The size " + z.Slug + " is not available in " + want + "."
		case !slices.Contains(img.regions, r.Slug):
			return nil, "The image is not available in " + want + "."
		}
		return r, ""
	}
	matched := false
	for _, r := range s.regions {
		if strings.HasPrefix(r.Slug, want) {
			matched = true
			if fits(r) {
				return r, ""
			}
		}
	}
	if matched {
		return nil, "No " + want + " region offers this size and image."
	}
	return nil, "You specified an invalid region for Droplet creation."
}

// addDroplet inserts a droplet; ids only grow, so the order stays sorted.
func (s *Server) addDroplet(d *droplet) {
	s.droplets[d.id] = d
	s.dropletOrder = append(s.dropletOrder, d)
}

func (s *Server) removeDroplet(d *droplet) {
	delete(s.droplets, d.id)
	s.dropletOrder = removeSorted(s.dropletOrder, d.id, func(d *droplet) int { return d.id })
	for _, ip := range s.ips {
		if ip.dropletID == d.id {
			ip.dropletID = 0
		}
	}
	for _, id := range d.backupIDs {
		s.removeImage(id)
	}
}

func (s *Server) deleteDroplet(c *call) {
	if d := s.dropletParam(c); d != nil {
		s.removeDroplet(d)
		c.noContent()
	}
}

func (s *Server) deleteDropletsByTag(c *call) {
	tag := c.query("tag_name")
	if tag == "" {
		c.badRequest("tag_name is required to delete Droplets in bulk")
		return
	}
	for _, d := range slices.Clone(s.dropletOrder) {
		if d.hasTag(tag) {
			s.removeDroplet(d)
		}
	}
	c.noContent()
}

func (s *Server) listKernels(c *call) {
	if s.dropletParam(c) != nil {
		listOf(c, "kernels", kernels, func(k kernel) []byte { return marshal(k) })
	}
}

func (s *Server) listDropletSnapshots(c *call) { s.listDropletImages(c, "snapshots", "snapshot") }
func (s *Server) listDropletBackups(c *call)   { s.listDropletImages(c, "backups", "backup") }

func (s *Server) listDropletImages(c *call, key, kind string) {
	d := s.dropletParam(c)
	if d == nil {
		return
	}
	var items []*image
	for _, img := range s.imageOrder {
		if img.dropletID == d.id && img.kind == kind {
			items = append(items, img)
		}
	}
	listOf(c, key, items, (*image).json)
}

// neighborGroups lists, ascending, the groups of two or more droplets that
// share a host.
func (s *Server) neighborGroups() [][]*droplet {
	byHost := map[int][]*droplet{}
	for _, d := range s.dropletOrder {
		if d.host != 0 {
			byHost[d.host] = append(byHost[d.host], d)
		}
	}
	var groups [][]*droplet
	for _, h := range sortedKeys(byHost) {
		if g := byHost[h]; len(g) > 1 {
			groups = append(groups, g)
		}
	}
	return groups
}

func (s *Server) dropletNeighbors(c *call) {
	d := s.dropletParam(c)
	if d == nil {
		return
	}
	var items [][]byte
	if d.host != 0 {
		for _, o := range s.dropletOrder {
			if o.host == d.host && o != d {
				items = append(items, o.json())
			}
		}
	}
	c.ok(http.StatusOK, m("droplets", joinJSON(items)))
}

func (s *Server) neighborIDs(c *call) {
	groups := s.neighborGroups()
	ids := make([][]int, len(groups))
	for i, g := range groups {
		ids[i] = make([]int, len(g))
		for j, d := range g {
			ids[i][j] = d.id
		}
	}
	c.ok(http.StatusOK, m("neighbor_ids", marshal(ids)))
}

func (s *Server) neighborsReport(c *call) {
	listOf(c, "neighbors", s.neighborGroups(), func(g []*droplet) []byte {
		items := make([][]byte, len(g))
		for i, d := range g {
			items[i] = d.json()
		}
		return joinJSON(items)
	})
}

// imageRef resolves an image given as a slug or an integer id.
func (s *Server) imageRef(raw json.RawMessage) *image {
	var slug string
	if json.Unmarshal(raw, &slug) == nil {
		if id, err := strconv.Atoi(slug); err == nil {
			return s.images[id]
		}
		return s.imageBySlug(slug)
	}
	var id int
	if json.Unmarshal(raw, &id) == nil {
		return s.images[id]
	}
	return nil
}
