package ovhtest

import (
	"fmt"
	"slices"
	"time"
)

// transition is how long the transitional instance statuses (BUILD,
// REBOOT, HARD_REBOOT) last on the server clock.
const transition = time.Second

// cloudRegion is a Public Cloud region and the public /16 its instances
// get addresses from.
type cloudRegion struct{ name, prefix string }

var cloudRegions = []cloudRegion{
	{"GRA11", "51.210"}, {"SBG5", "57.128"}, {"BHS5", "15.235"}, {"DE1", "141.95"}, {"UK1", "51.89"}, {"WAW1", "57.129"},
}

func knownRegion(name string) *cloudRegion {
	for i := range cloudRegions {
		if cloudRegions[i].name == name {
			return &cloudRegions[i]
		}
	}
	return nil
}

// flavor is a cloud.flavor.Flavor of one region.
type flavor struct {
	id, name, region, typ string
	vcpus, ram, disk, bw  int
	cache                 []byte
}

func (f *flavor) json() []byte {
	if f.cache != nil {
		return f.cache
	}
	type planCodes struct {
		Monthly string `json:"monthly"`
		Hourly  string `json:"hourly"`
	}
	f.cache = marshal(struct {
		ID                string    `json:"id"`
		Name              string    `json:"name"`
		Region            string    `json:"region"`
		RAM               int       `json:"ram"`
		Disk              int       `json:"disk"`
		VCPUs             int       `json:"vcpus"`
		Type              string    `json:"type"`
		OSType            string    `json:"osType"`
		InboundBandwidth  int       `json:"inboundBandwidth"`
		OutboundBandwidth int       `json:"outboundBandwidth"`
		Available         bool      `json:"available"`
		PlanCodes         planCodes `json:"planCodes"`
		Quota             int       `json:"quota"`
	}{f.id, f.name, f.region, f.ram, f.disk, f.vcpus, f.typ, "linux", f.bw, f.bw, true,
		planCodes{f.name + ".monthly.postpaid", f.name + ".consumption"}, 20})
	return f.cache
}

// image is a cloud.image.Image of one region.
type image struct {
	id, name, region, typ, user string
	minDisk                     int
	size                        float64
	cache                       []byte
}

func (im *image) json() []byte {
	if im.cache != nil {
		return im.cache
	}
	im.cache = marshal(struct {
		ID           string   `json:"id"`
		Name         string   `json:"name"`
		Region       string   `json:"region"`
		Visibility   string   `json:"visibility"`
		Type         string   `json:"type"`
		MinDisk      int      `json:"minDisk"`
		MinRAM       int      `json:"minRam"`
		Size         float64  `json:"size"`
		CreationDate string   `json:"creationDate"`
		Status       string   `json:"status"`
		User         string   `json:"user"`
		FlavorType   *string  `json:"flavorType"`
		Tags         []string `json:"tags"`
		PlanCode     *string  `json:"planCode"`
	}{im.id, im.name, im.region, "public", im.typ, im.minDisk, 0, im.size, stamp(epoch.AddDate(0, -2, 0)),
		"active", im.user, nil, []string{}, nil})
	return im.cache
}

// catalogue is the flavors and images of every region. Their ids derive
// from region and name, not from the seed.
type catalogue struct {
	flavors   []*flavor
	flavorIDs map[string]*flavor
	images    []*image
	imageIDs  map[string]*image
}

func newCatalogue() *catalogue {
	cat := &catalogue{flavorIDs: map[string]*flavor{}, imageIDs: map[string]*image{}}
	flavors := []flavor{
		{name: "d2-2", typ: "ovh.d2", vcpus: 1, ram: 2000, disk: 25, bw: 100},
		{name: "d2-4", typ: "ovh.d2", vcpus: 2, ram: 4000, disk: 50, bw: 500},
		{name: "b2-7", typ: "ovh.ssd.eg", vcpus: 2, ram: 7000, disk: 50, bw: 250},
		{name: "b2-15", typ: "ovh.ssd.eg", vcpus: 4, ram: 15000, disk: 100, bw: 250},
		{name: "c2-7", typ: "ovh.ssd.cpu", vcpus: 2, ram: 7000, disk: 50, bw: 250},
		{name: "r2-15", typ: "ovh.ssd.ram", vcpus: 2, ram: 15000, disk: 50, bw: 250},
	}
	images := []image{
		{name: "Debian 12", typ: "linux", user: "debian", minDisk: 2, size: 0.33},
		{name: "Ubuntu 24.04", typ: "linux", user: "ubuntu", minDisk: 3, size: 0.57},
		{name: "Rocky Linux 9", typ: "linux", user: "rocky", minDisk: 10, size: 0.54},
		{name: "Windows Server 2022 Standard (Desktop)", typ: "windows", user: "Administrator", minDisk: 50, size: 9.1},
	}
	for _, r := range cloudRegions {
		for _, f := range flavors {
			f.region, f.id = r.name, stableUUID("flavor/"+r.name+"/"+f.name)
			f.json() // encoded once: the catalogue is shared by every Server
			cat.flavors = append(cat.flavors, &f)
			cat.flavorIDs[f.id] = &f
		}
		for _, im := range images {
			im.region, im.id = r.name, stableUUID("image/"+r.name+"/"+im.name)
			im.json()
			cat.images = append(cat.images, &im)
			cat.imageIDs[im.id] = &im
		}
	}
	return cat
}

// flavorIn finds the flavor of the same name in another region.
func (cat *catalogue) flavorIn(f *flavor, region string) *flavor {
	for _, g := range cat.flavors {
		if g.region == region && g.name == f.name {
			return g
		}
	}
	return f
}

// imageIn finds the image of the same name in another region.
func (cat *catalogue) imageIn(im *image, region string) *image {
	for _, g := range cat.images {
		if g.region == region && g.name == im.name {
			return g
		}
	}
	return im
}

var cloud = newCatalogue()

// sshKey is a cloud.sshkey.SshKey of a project.
type sshKey struct {
	id, name, publicKey, fingerprint string
}

func (k *sshKey) json() []byte {
	regions := make([]string, len(cloudRegions))
	for i, r := range cloudRegions {
		regions[i] = r.name
	}
	return marshal(struct {
		ID          string   `json:"id"`
		Name        string   `json:"name"`
		PublicKey   string   `json:"publicKey"`
		FingerPrint string   `json:"fingerPrint"`
		Regions     []string `json:"regions"`
	}{k.id, k.name, k.publicKey, k.fingerprint, regions})
}

// project is a cloud.Project and its instances.
type project struct {
	id, name, description string
	created               time.Time
	orderID               int64
	keys                  []*sshKey
	instances             []*instance // creation order
	byID                  map[string]*instance
	cache                 []byte
}

func (p *project) json() []byte {
	if p.cache != nil {
		return p.cache
	}
	p.cache = marshal(struct {
		ProjectID    string  `json:"project_id"`
		ProjectName  string  `json:"projectName"`
		Description  string  `json:"description"`
		Status       string  `json:"status"`
		PlanCode     string  `json:"planCode"`
		CreationDate string  `json:"creationDate"`
		Expiration   *string `json:"expiration"`
		Access       string  `json:"access"`
		ManualQuota  bool    `json:"manualQuota"`
		Unleash      bool    `json:"unleash"`
		OrderID      int64   `json:"orderId"`
	}{p.id, p.name, p.description, "ok", "project.2018", stamp(p.created), nil, "full", false, true, p.orderID})
	return p.cache
}

type ipAddress struct {
	IP        string  `json:"ip"`
	Type      string  `json:"type"`
	Version   int     `json:"version"`
	NetworkID string  `json:"networkId"`
	GatewayIP *string `json:"gatewayIp"`
}

type monthly struct {
	Since  string `json:"since"`
	Status string `json:"status"`
}

// instance is a cloud.instance.Instance.
type instance struct {
	id, name, status, region string
	flavor                   *flavor
	image                    *image
	key                      *sshKey
	created                  time.Time
	until                    time.Time // end of a transitional status
	addrs                    []ipAddress
	monthly                  *monthly
	traffic                  *int64

	listCache, detailCache []byte
}

func (in *instance) changed() { in.listCache, in.detailCache = nil, nil }

// settle ends a transitional status whose time has come: BUILD gets its
// addresses, REBOOT and HARD_REBOOT come back ACTIVE.
func (in *instance) settle(w *world, now time.Time) {
	switch in.status {
	case "BUILD", "REBOOT", "HARD_REBOOT":
		if now.Before(in.until) {
			return
		}
		if in.status == "BUILD" {
			in.addrs = w.addresses(in.region)
		}
		in.status = "ACTIVE"
		in.changed()
	}
}

func (in *instance) planCode() string {
	if in.monthly != nil {
		return in.flavor.name + ".monthly.postpaid"
	}
	return in.flavor.name + ".consumption"
}

func (in *instance) json() []byte {
	if in.listCache != nil {
		return in.listCache
	}
	var keyID *string
	if in.key != nil {
		keyID = &in.key.id
	}
	in.listCache = marshal(struct {
		ID                          string      `json:"id"`
		Name                        string      `json:"name"`
		IPAddresses                 []ipAddress `json:"ipAddresses"`
		FlavorID                    string      `json:"flavorId"`
		ImageID                     string      `json:"imageId"`
		SSHKeyID                    *string     `json:"sshKeyId"`
		Created                     string      `json:"created"`
		Region                      string      `json:"region"`
		MonthlyBilling              *monthly    `json:"monthlyBilling"`
		Status                      string      `json:"status"`
		PlanCode                    string      `json:"planCode"`
		OperationIDs                []string    `json:"operationIds"`
		CurrentMonthOutgoingTraffic *int64      `json:"currentMonthOutgoingTraffic"`
	}{in.id, in.name, nonNil(in.addrs), in.flavor.id, in.image.id, keyID, stamp(in.created), in.region,
		in.monthly, in.status, in.planCode(), []string{}, in.traffic})
	return in.listCache
}

func (in *instance) detail() []byte {
	if in.detailCache != nil {
		return in.detailCache
	}
	var key rawJSON
	if in.key != nil {
		key = in.key.json()
	}
	in.detailCache = marshal(struct {
		ID                          string      `json:"id"`
		Name                        string      `json:"name"`
		IPAddresses                 []ipAddress `json:"ipAddresses"`
		Flavor                      rawJSON     `json:"flavor"`
		Image                       rawJSON     `json:"image"`
		SSHKey                      rawJSON     `json:"sshKey"`
		Created                     string      `json:"created"`
		Region                      string      `json:"region"`
		MonthlyBilling              *monthly    `json:"monthlyBilling"`
		Status                      string      `json:"status"`
		PlanCode                    string      `json:"planCode"`
		OperationIDs                []string    `json:"operationIds"`
		CurrentMonthOutgoingTraffic *int64      `json:"currentMonthOutgoingTraffic"`
		RescuePassword              *string     `json:"rescuePassword"`
	}{in.id, in.name, nonNil(in.addrs), in.flavor.json(), in.image.json(), key, stamp(in.created), in.region,
		in.monthly, in.status, in.planCode(), []string{}, in.traffic, nil})
	return in.detailCache
}

// addresses gives a new instance its public IPv4 and IPv6 on Ext-Net.
func (w *world) addresses(region string) []ipAddress {
	r := knownRegion(region)
	third := w.rnd.IntN(256)
	gw4 := fmt.Sprintf("%s.%d.1", r.prefix, third)
	gw6 := fmt.Sprintf("2001:41d0:%x:%x::1", 0x300+w.rnd.IntN(0x100), w.rnd.IntN(0x1000))
	net := stableUUID("network/" + region + "/Ext-Net")
	return []ipAddress{
		{fmt.Sprintf("%s.%d.%d", r.prefix, third, 2+w.rnd.IntN(253)), "public", 4, net, &gw4},
		{fmt.Sprintf("%s%x", gw6[:len(gw6)-1], 0x10+w.rnd.IntN(0xfff0)), "public", 6, net, &gw6},
	}
}

// seedProjects makes n projects of m instances each, in every region in
// turn; every fourth instance is stopped, every third billed monthly.
func (w *world) seedProjects(n, m int) {
	w.projectByID = make(map[string]*project, n)
	names := []string{"production", "staging", "ci", "sandbox", "data", "lab"}
	roles := []string{"web", "db", "worker", "cache", "bastion"}
	for i := range n {
		p := &project{
			id: w.hex(32), name: names[i%len(names)], description: fmt.Sprintf("Project %d", i+1),
			created: epoch.AddDate(0, -6-w.rnd.IntN(24), -w.rnd.IntN(28)), orderID: 190000000 + w.rnd.Int64N(10000000),
			byID: make(map[string]*instance, m),
		}
		if i == 0 {
			p.description = "Project 1 (default)"
		}
		p.keys = []*sshKey{{name: "laptop"}, {name: "ci-deploy"}}
		for _, k := range p.keys {
			k.id = w.hex(32)
			k.publicKey = w.sshPublicKey(k.name)
			k.fingerprint = fmt.Sprintf("SHA256:%s", w.hex(43))
		}
		for j := range m {
			r := cloudRegions[(i+j)%len(cloudRegions)]
			in := &instance{
				id: w.uuid(), name: fmt.Sprintf("%s-%d", roles[j%len(roles)], j+1), status: "ACTIVE", region: r.name,
				flavor:  regionFlavors(r.name)[w.rnd.IntN(6)],
				image:   regionImages(r.name)[w.rnd.IntN(3)],
				created: p.created.Add(time.Duration(j+1)*time.Hour + time.Duration(w.rnd.IntN(3600))*time.Second),
			}
			if j%2 == 0 {
				in.key = p.keys[0]
			}
			if j%4 == 3 {
				in.status = "SHUTOFF"
			}
			if j%3 == 1 {
				in.monthly = &monthly{stamp(in.created), "ok"}
			}
			if j%2 == 1 {
				t := int64(w.rnd.IntN(50000)) * 1000000
				in.traffic = &t
			}
			in.addrs = w.addresses(r.name)
			p.instances = append(p.instances, in)
			p.byID[in.id] = in
		}
		w.projects = append(w.projects, p)
		w.projectByID[p.id] = p
	}
}

func regionFlavors(region string) []*flavor {
	var out []*flavor
	for _, f := range cloud.flavors {
		if f.region == region {
			out = append(out, f)
		}
	}
	return out
}

func regionImages(region string) []*image {
	var out []*image
	for _, im := range cloud.images {
		if im.region == region {
			out = append(out, im)
		}
	}
	return out
}

func (s *Server) listProjects(c *call) {
	c.ids(len(s.projects), func(i int) []byte { return quote(s.projects[i].id) },
		func(i int) []byte { return s.projects[i].json() })
}

// project finds the project of the path and settles its instances.
func (s *Server) project(c *call) *project {
	p := s.projectByID[c.params[0]]
	if p == nil {
		c.noService()
		return nil
	}
	for _, in := range p.instances {
		in.settle(&s.world, c.now)
	}
	return p
}

func (s *Server) getProject(c *call) {
	if p := s.project(c); p != nil {
		c.send(p.json())
	}
}

// listFlavors and listImages serve the catalogue (optionally ?region=), so
// that a client can find ids to create instances with.
func (s *Server) listFlavors(c *call) {
	if s.project(c) == nil {
		return
	}
	list := cloud.flavors
	if r := c.query("region"); r != "" {
		list = regionFlavors(r)
	}
	c.send(array(len(list), func(i int) []byte { return list[i].json() }))
}

func (s *Server) listImages(c *call) {
	if s.project(c) == nil {
		return
	}
	list := cloud.images
	if r := c.query("region"); r != "" {
		list = regionImages(r)
	}
	c.send(array(len(list), func(i int) []byte { return list[i].json() }))
}

func (s *Server) listSSHKeys(c *call) {
	p := s.project(c)
	if p == nil {
		return
	}
	c.send(array(len(p.keys), func(i int) []byte { return p.keys[i].json() }))
}

// listInstances is GET /cloud/project/{id}/instance[?region=]: full
// objects, not ids.
func (s *Server) listInstances(c *call) {
	p := s.project(c)
	if p == nil {
		return
	}
	list := p.instances
	if r := c.query("region"); r != "" {
		list = nil
		for _, in := range p.instances {
			if in.region == r {
				list = append(list, in)
			}
		}
	}
	c.objects(len(list), func(i int) []byte { return list[i].json() })
}

func (s *Server) instance(c *call) (*project, *instance) {
	p := s.project(c)
	if p == nil {
		return nil, nil
	}
	in := p.byID[c.params[1]]
	if in == nil {
		c.noObject("instanceId", c.params[1])
		return nil, nil
	}
	return p, in
}

func (s *Server) getInstance(c *call) {
	if _, in := s.instance(c); in != nil {
		c.send(in.detail())
	}
}

// createInstance is POST /cloud/project/{id}/instance. The instance is
// BUILD, without addresses, for one second of the server clock.
func (s *Server) createInstance(c *call) {
	p := s.project(c)
	if p == nil {
		return
	}
	f, ok := c.object()
	if !ok {
		return
	}
	name, hasName := f.str("name")
	flavorID, hasFlavor := f.str("flavorId")
	region, hasRegion := f.str("region")
	imageID, hasImage := f.str("imageId")
	keyID, hasKey := f.nullStr("sshKeyId")
	monthlyBilling, _ := f.boolean("monthlyBilling")
	for _, k := range []string{"userData", "networks", "groupId", "volumeId", "autobackup"} {
		var ignored any
		f.into(k, &ignored, "any")
	}
	f.require("name", hasName)
	f.require("flavorId", hasFlavor)
	f.require("region", hasRegion)
	if !f.ok() {
		return
	}
	if name == "" {
		c.badRequest("[name] The instance name cannot be empty")
		return
	}
	if knownRegion(region) == nil {
		c.badRequest("[region] Region %s does not exist or is not available for this project", region)
		return
	}
	fl := cloud.flavorIDs[flavorID]
	if fl == nil {
		c.badRequest("[flavorId] Flavor %s does not exist", flavorID)
		return
	}
	im := regionImages(region)[0]
	if hasImage {
		im = cloud.imageIDs[imageID]
		if im == nil {
			c.badRequest("[imageId] Image %s does not exist", imageID)
			return
		}
	}
	var key *sshKey
	if hasKey && keyID != nil {
		i := slices.IndexFunc(p.keys, func(k *sshKey) bool { return k.id == *keyID })
		if i < 0 {
			c.badRequest("[sshKeyId] SSH key %s does not exist", *keyID)
			return
		}
		key = p.keys[i]
	}
	in := &instance{id: s.uuid(), name: name, status: "BUILD", region: region,
		flavor: cloud.flavorIn(fl, region), image: cloud.imageIn(im, region), key: key,
		created: c.now, until: c.now.Add(transition)}
	if monthlyBilling {
		in.monthly = &monthly{stamp(c.now), "activationPending"}
	}
	p.instances = append(p.instances, in)
	p.byID[in.id] = in
	c.send(in.detail())
}

// putInstance is PUT .../instance/{id} with {"instanceName"}: a rename.
func (s *Server) putInstance(c *call) {
	_, in := s.instance(c)
	if in == nil {
		return
	}
	f, ok := c.object()
	if !ok {
		return
	}
	name, has := f.str("instanceName")
	f.require("instanceName", has)
	if !f.ok() {
		return
	}
	if name == "" {
		c.badRequest("[instanceName] The instance name cannot be empty")
		return
	}
	in.name = name
	in.changed()
	c.void()
}

// deleteInstance removes the instance at once: the next read is a 404.
func (s *Server) deleteInstance(c *call) {
	p, in := s.instance(c)
	if in == nil {
		return
	}
	delete(p.byID, in.id)
	p.instances = slices.DeleteFunc(p.instances, func(x *instance) bool { return x == in })
	c.void()
}

// act applies a power action, refused with 409 while the instance builds.
func (s *Server) act(c *call, in *instance, apply func(in *instance)) {
	if in.status == "BUILD" {
		c.conflict("Instance " + in.id + " is still being built")
		return
	}
	apply(in)
	in.changed()
	c.void()
}

func (s *Server) startInstance(c *call) {
	if _, in := s.instance(c); in != nil {
		s.act(c, in, func(in *instance) { in.status = "ACTIVE" })
	}
}

func (s *Server) stopInstance(c *call) {
	if _, in := s.instance(c); in != nil {
		s.act(c, in, func(in *instance) { in.status = "SHUTOFF" })
	}
}

// rebootInstance takes {"type": "soft"|"hard"}; the instance is REBOOT or
// HARD_REBOOT for one second, then ACTIVE.
func (s *Server) rebootInstance(c *call) {
	_, in := s.instance(c)
	if in == nil {
		return
	}
	f, ok := c.object()
	if !ok {
		return
	}
	typ, has := f.str("type")
	f.require("type", has)
	if has {
		f.enum("type", typ, "cloud.instance.RebootTypeEnum", "soft", "hard")
	}
	if !f.ok() {
		return
	}
	s.act(c, in, func(in *instance) {
		in.status, in.until = "REBOOT", c.now.Add(transition)
		if typ == "hard" {
			in.status = "HARD_REBOOT"
		}
	})
}
