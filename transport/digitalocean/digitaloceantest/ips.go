package digitaloceantest

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
)

// floatingIP is a floating (a.k.a. reserved) IPv4 address.
type floatingIP struct {
	ip        string
	region    *region
	dropletID int
	projectID string
	locked    bool
}

// ipKind names the two spellings of the resource: /v2/floating_ips and
// /v2/reserved_ips serve the same addresses.
type ipKind struct{ one, many string }

var (
	floatingKind = ipKind{"floating_ip", "floating_ips"}
	reservedKind = ipKind{"reserved_ip", "reserved_ips"}
)

// defaultProject is the uuid of the account's default project.
const defaultProject = "746c6152-2fa2-11ed-92d3-27aaa54e4988"

func (s *Server) ipJSON(ip *floatingIP) []byte {
	var d rawJSON
	if dr := s.droplets[ip.dropletID]; dr != nil {
		d = dr.json()
	}
	return marshal(struct {
		IP        string  `json:"ip"`
		Droplet   rawJSON `json:"droplet"`
		Region    rawJSON `json:"region"`
		Locked    bool    `json:"locked"`
		ProjectID string  `json:"project_id"`
	}{ip.ip, d, ip.region.json, ip.locked, ip.projectID})
}

// ipResourceID is the integer the API uses as the resource id of an
// address in actions: the IPv4 address as a 32-bit number.
func ipResourceID(ip string) int {
	v4 := net.ParseIP(ip).To4()
	if v4 == nil {
		return 0
	}
	return int(binary.BigEndian.Uint32(v4))
}

func (s *Server) newAddress() string {
	s.floatSeq++
	q := s.floatSeq
	return fmt.Sprintf("45.55.%d.%d", 1+(q/250)%250, 2+q%250)
}

func ipRoutes(s *Server, k ipKind, which string) map[string]func(*call) {
	switch which {
	case "list":
		return map[string]func(*call){
			"GET":  func(c *call) { s.listIPs(c, k) },
			"POST": func(c *call) { s.createIP(c, k) },
		}
	case "item":
		return map[string]func(*call){
			"GET":    func(c *call) { s.getIP(c, k) },
			"DELETE": s.deleteIP,
		}
	case "actions":
		return map[string]func(*call){
			"GET":  func(c *call) { s.ipActions(c, k, false) },
			"POST": func(c *call) { s.postIPAction(c, k) },
		}
	}
	return map[string]func(*call){"GET": func(c *call) { s.ipActions(c, k, true) }}
}

func (s *Server) listIPs(c *call, k ipKind) {
	order := make([]*floatingIP, 0, len(s.ips))
	for _, ip := range s.ips {
		order = append(order, ip)
	}
	slices.SortFunc(order, func(a, b *floatingIP) int { return ipResourceID(a.ip) - ipResourceID(b.ip) })
	listOf(c, k.many, order, s.ipJSON)
}

func (s *Server) ipParam(c *call) *floatingIP {
	ip := s.ips[c.params[0]]
	if ip == nil {
		c.notFound()
	}
	return ip
}

func (s *Server) createIP(c *call, k ipKind) {
	var req struct {
		DropletID int    `json:"droplet_id"`
		Region    string `json:"region"`
		ProjectID string `json:"project_id"`
	}
	if !c.decode(&req) {
		return
	}
	if (req.DropletID != 0) == (req.Region != "") {
		c.unprocessable("Specify exactly one of droplet_id or region.")
		return
	}
	ip := &floatingIP{projectID: req.ProjectID}
	if ip.projectID == "" {
		ip.projectID = defaultProject
	}
	var d *droplet
	if req.DropletID != 0 {
		if d = s.droplets[req.DropletID]; d == nil {
			c.unprocessable("The Droplet " + strconv.Itoa(req.DropletID) + " could not be found.")
			return
		}
		ip.region = d.region
	} else if ip.region = s.regionBySlug[req.Region]; ip.region == nil || !ip.region.Available {
		c.unprocessable("You specified an invalid region.")
		return
	}
	ip.ip = s.newAddress()
	s.ips[ip.ip] = ip
	if d == nil {
		c.ok(http.StatusAccepted, m(k.one, s.ipJSON(ip)), m("links", []byte("{}")))
		return
	}
	a := s.startIPAction(c, k, ip, "assign_ip", d.id)
	type link struct {
		ID   int    `json:"id"`
		Rel  string `json:"rel"`
		HREF string `json:"href"`
	}
	links := marshal(struct {
		Droplets []link `json:"droplets"`
		Actions  []link `json:"actions"`
	}{
		[]link{{d.id, "droplet", c.base() + "/v2/droplets/" + strconv.Itoa(d.id)}},
		[]link{{a.id, "assign_ip", c.base() + "/v2/actions/" + strconv.Itoa(a.id)}},
	})
	c.ok(http.StatusAccepted, m(k.one, s.ipJSON(ip)), m("links", links))
}

// startIPAction locks the address and assigns it to dropletID (0:
// unassigns it) when the action completes.
func (s *Server) startIPAction(c *call, k ipKind, ip *floatingIP, kind string, dropletID int) *action {
	ip.locked = true
	return s.startAction(c, kind, k.one, ipResourceID(ip.ip), ip.region, func(ok bool) {
		ip.locked = false
		if ok && (dropletID == 0 || s.droplets[dropletID] != nil) {
			ip.dropletID = dropletID
		}
	})
}

func (s *Server) getIP(c *call, k ipKind) {
	if ip := s.ipParam(c); ip != nil {
		c.ok(http.StatusOK, m(k.one, s.ipJSON(ip)))
	}
}

func (s *Server) deleteIP(c *call) {
	if ip := s.ipParam(c); ip != nil {
		delete(s.ips, ip.ip)
		c.noContent()
	}
}

func (s *Server) postIPAction(c *call, k ipKind) {
	ip := s.ipParam(c)
	if ip == nil {
		return
	}
	var req struct {
		Type      string `json:"type"`
		DropletID int    `json:"droplet_id"`
	}
	if !c.decode(&req) {
		return
	}
	var a *action
	switch {
	case req.Type != "assign" && req.Type != "unassign":
		c.unprocessable(strconv.Quote(req.Type) + " is not a valid action type.")
		return
	case ip.locked:
		c.unprocessable("The IP address already has a pending event.")
		return
	case req.Type == "unassign":
		if ip.dropletID == 0 || s.droplets[ip.dropletID] == nil {
			c.unprocessable("The IP address is not assigned to a Droplet.")
			return
		}
		a = s.startIPAction(c, k, ip, "unassign_ip", 0)
	default:
		d := s.droplets[req.DropletID]
		switch {
		case d == nil:
			c.unprocessable("The Droplet " + strconv.Itoa(req.DropletID) + " could not be found.")
			return
		case d.region != ip.region:
			c.unprocessable("The Droplet and the IP address must be in the same region.")
			return
		}
		a = s.startIPAction(c, k, ip, "assign_ip", d.id)
	}
	c.ok(http.StatusCreated, m("action", a.json()))
}

func (s *Server) ipActions(c *call, _ ipKind, single bool) {
	ip := s.ipParam(c)
	if ip == nil {
		return
	}
	id := ipResourceID(ip.ip)
	s.resourceActions(c, func(a *action) bool {
		return (a.resourceType == floatingKind.one || a.resourceType == reservedKind.one) && a.resourceID == id
	}, single)
}
