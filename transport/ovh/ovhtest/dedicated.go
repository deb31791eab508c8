package ovhtest

import (
	"fmt"
	"strings"
)

// dedicated is a dedicated.server.Dedicated and its burst.
type dedicated struct {
	name             string
	serverID         int64
	ip               string
	datacenter       string
	region           string
	state            string
	powerState       string
	os               string
	reverse          string
	rack             string
	commercialRange  string
	linkSpeed        int
	monitoring       bool
	noIntervention   bool
	professionalUse  bool
	bootID           int64
	bootScript       *string
	efiBootloader    *string
	rescueMail       *string
	rescueSSHKey     *string
	rootDevice       *string
	supportLevel     string
	burst            string
	burstCapacityMbs int
	ips              []string

	cache, burstCache []byte
}

func (d *dedicated) json() []byte {
	if d.cache != nil {
		return d.cache
	}
	d.cache = marshal(struct {
		Name              string  `json:"name"`
		ServerID          int64   `json:"serverId"`
		IP                string  `json:"ip"`
		Datacenter        string  `json:"datacenter"`
		Region            string  `json:"region"`
		AvailabilityZone  string  `json:"availabilityZone"`
		State             string  `json:"state"`
		PowerState        string  `json:"powerState"`
		OS                string  `json:"os"`
		Reverse           string  `json:"reverse"`
		Rack              string  `json:"rack"`
		CommercialRange   string  `json:"commercialRange"`
		LinkSpeed         int     `json:"linkSpeed"`
		Monitoring        bool    `json:"monitoring"`
		NoIntervention    bool    `json:"noIntervention"`
		ProfessionalUse   bool    `json:"professionalUse"`
		NewUpgradeSystem  bool    `json:"newUpgradeSystem"`
		BootID            int64   `json:"bootId"`
		BootScript        *string `json:"bootScript"`
		EFIBootloaderPath *string `json:"efiBootloaderPath"`
		RescueMail        *string `json:"rescueMail"`
		RescueSSHKey      *string `json:"rescueSshKey"`
		RootDevice        *string `json:"rootDevice"`
		SupportLevel      string  `json:"supportLevel"`
	}{d.name, d.serverID, d.ip, d.datacenter, d.region, d.region + "-a", d.state, d.powerState, d.os,
		d.reverse, d.rack, d.commercialRange, d.linkSpeed, d.monitoring, d.noIntervention, d.professionalUse,
		true, d.bootID, d.bootScript, d.efiBootloader, d.rescueMail, d.rescueSSHKey, d.rootDevice, d.supportLevel})
	return d.cache
}

func (d *dedicated) burstJSON() []byte {
	if d.burstCache != nil {
		return d.burstCache
	}
	type capacity struct {
		Unit  string `json:"unit"`
		Value int    `json:"value"`
	}
	d.burstCache = marshal(struct {
		Status   string   `json:"status"`
		Capacity capacity `json:"capacity"`
	}{d.burst, capacity{"Mbps", d.burstCapacityMbs}})
	return d.burstCache
}

func (d *dedicated) changed() { d.cache, d.burstCache = nil, nil }

// site is where dedicated servers live: datacenter, region, the reverse
// DNS suffix OVH uses there and a few of its public /16 prefixes.
type site struct {
	datacenter, region, suffix string
	prefixes                   []string
}

// sites is the cycle of datacenters the seeded servers go to.
var sites = []site{
	{"rbx8", "eu-west-rbx", "eu", []string{"51.77", "54.36", "137.74"}},
	{"gra3", "eu-west-gra", "eu", []string{"51.68", "51.75", "145.239"}},
	{"sbg1", "eu-west-sbg", "eu", []string{"51.38", "51.83", "147.135"}},
	{"bhs6", "ca-east-bhs", "net", []string{"144.217", "158.69", "198.50"}},
	{"waw1", "eu-central-waw", "eu", []string{"57.128", "146.59"}},
	{"gra2", "eu-west-gra", "eu", []string{"51.91", "51.178"}},
	{"rbx7", "eu-west-rbx", "eu", []string{"51.210", "54.38"}},
	{"sbg5", "eu-west-sbg", "eu", []string{"51.195", "141.94"}},
	{"lim3", "eu-west-lim", "eu", []string{"57.129", "162.19"}},
	{"vin1", "us-east-vin", "us", []string{"15.204", "51.81"}},
	{"hil1", "us-west-hil", "us", []string{"15.204", "51.222"}},
	{"sgp1", "ap-southeast-sgp", "net", []string{"139.99", "51.79"}},
	{"syd1", "ap-southeast-syd", "net", []string{"51.161", "139.99"}},
}

// seedServers makes n servers named like OVH names them,
// "ns3001234.ip-51-68-10.eu", whose numbers grow with the index so that
// the list order (ascending name) is the seeding order.
func (w *world) seedServers(n int) {
	w.serverByName = make(map[string]*dedicated, n)
	oses := []string{"debian12_64", "ubuntu2404-server_64", "rocky9_64", "proxmox8_64", "alma9_64", "win2022-std_64"}
	ranges := []struct {
		name  string
		speed int
	}{{"rise", 1000}, {"advance", 1000}, {"scale", 10000}, {"game", 1000}, {"hgr", 10000}}
	levels := []string{"pro", "pro", "critical", "fastpath", "gs"}
	base := int64(3000000 + w.rnd.IntN(500000))
	for i := range n {
		st := sites[i%len(sites)]
		prefix := st.prefixes[w.rnd.IntN(len(st.prefixes))]
		third, fourth := w.rnd.IntN(256), 1+w.rnd.IntN(254)
		ip := fmt.Sprintf("%s.%d.%d", prefix, third, fourth)
		name := fmt.Sprintf("ns%d.ip-%s-%d.%s", base+int64(i)*37+w.rnd.Int64N(37),
			strings.ReplaceAll(prefix, ".", "-"), third, st.suffix)
		rg := ranges[w.rnd.IntN(len(ranges))]
		d := &dedicated{
			name: name, serverID: 100000 + int64(i)*13 + w.rnd.Int64N(13), ip: ip,
			datacenter: st.datacenter, region: st.region, state: "ok", powerState: "poweron",
			os: oses[w.rnd.IntN(len(oses))], reverse: name + ".",
			rack:            fmt.Sprintf("%c%02d%c%02d", 'A'+rune(w.rnd.IntN(20)), w.rnd.IntN(100), 'A'+rune(w.rnd.IntN(8)), w.rnd.IntN(50)),
			commercialRange: fmt.Sprintf("%s-%d", rg.name, 1+w.rnd.IntN(4)), linkSpeed: rg.speed,
			monitoring: i%3 != 2, professionalUse: rg.name != "rise", bootID: 1,
			supportLevel: levels[w.rnd.IntN(len(levels))], burst: "active", burstCapacityMbs: 2000,
			ips: []string{ip + "/32", fmt.Sprintf("2001:41d0:%x:%x::/64", 0x200+w.rnd.IntN(0x1000), w.rnd.IntN(0x10000))},
		}
		if i%10 == 9 {
			d.powerState = "poweroff"
		}
		if i%25 == 24 {
			d.state = "error"
		}
		switch i % 7 {
		case 3:
			d.burst = "inactive"
		case 6:
			d.burst, d.burstCapacityMbs = "inactiveLocked", 1000
		}
		if rg.speed == 10000 {
			d.burstCapacityMbs = 10000
		}
		w.servers = append(w.servers, d)
		w.serverByName[name] = d
	}
}

func (s *Server) listServers(c *call) {
	c.ids(len(s.servers), func(i int) []byte { return quote(s.servers[i].name) },
		func(i int) []byte { return s.servers[i].json() })
}

func (s *Server) server(c *call) *dedicated {
	d := s.serverByName[c.params[0]]
	if d == nil {
		c.noService()
	}
	return d
}

func (s *Server) getServer(c *call) {
	if d := s.server(c); d != nil {
		c.send(d.json())
	}
}

var serverStates = []string{"error", "hacked", "hackedBlocked", "ok"}

// putServer is PUT /dedicated/server/{name}: bootId, bootScript,
// efiBootloaderPath, monitoring, noIntervention, rescueMail, rescueSshKey,
// rootDevice and state may change; nothing else may be sent.
func (s *Server) putServer(c *call) {
	d := s.server(c)
	if d == nil {
		return
	}
	f, ok := c.object()
	if !ok {
		return
	}
	bootID, hasBoot := f.integer("bootId")
	monitoring, hasMon := f.boolean("monitoring")
	noInt, hasNoInt := f.boolean("noIntervention")
	state, hasState := f.str("state")
	type nullable struct {
		key string
		dst **string
		val *string
		has bool
	}
	strs := []nullable{{key: "bootScript", dst: &d.bootScript}, {key: "efiBootloaderPath", dst: &d.efiBootloader},
		{key: "rescueMail", dst: &d.rescueMail}, {key: "rescueSshKey", dst: &d.rescueSSHKey}, {key: "rootDevice", dst: &d.rootDevice}}
	for i := range strs {
		strs[i].val, strs[i].has = f.nullStr(strs[i].key)
	}
	if hasState {
		f.enum("state", state, "dedicated.server.StateEnum", serverStates...)
	}
	if hasBoot && bootID < 1 {
		f.fail("[bootId] Given data (%d) is not a valid boot id", bootID)
	}
	if !f.ok() {
		return
	}
	if hasBoot {
		d.bootID = bootID
	}
	if hasMon {
		d.monitoring = monitoring
	}
	if hasNoInt {
		d.noIntervention = noInt
	}
	if hasState {
		d.state = state
	}
	for _, n := range strs {
		if n.has {
			*n.dst = n.val
		}
	}
	d.changed()
	c.void()
}

func (s *Server) getBurst(c *call) {
	if d := s.server(c); d != nil {
		c.send(d.burstJSON())
	}
}

// putBurst is PUT /dedicated/server/{name}/burst: status active or
// inactive. capacity is accepted and ignored (it is read-only); a locked
// burst cannot change.
func (s *Server) putBurst(c *call) {
	d := s.server(c)
	if d == nil {
		return
	}
	f, ok := c.object()
	if !ok {
		return
	}
	status, has := f.str("status")
	var capacity any
	f.into("capacity", &capacity, "complexType.UnitAndValue<long>")
	if has {
		f.enum("status", status, "dedicated.server.BurstStatusEnum", "active", "inactive", "inactiveLocked")
	}
	if !f.ok() {
		return
	}
	if !has {
		c.void()
		return
	}
	if d.burst == "inactiveLocked" {
		if status != d.burst {
			c.badRequest("Burst is locked on this server")
			return
		}
	} else if status == "inactiveLocked" {
		c.badRequest("[status] inactiveLocked cannot be set by the customer")
		return
	}
	d.burst = status
	d.changed()
	c.void()
}

func (s *Server) serverIPs(c *call) {
	d := s.server(c)
	if d == nil {
		return
	}
	c.send(array(len(d.ips), func(i int) []byte { return quote(d.ips[i]) }))
}
