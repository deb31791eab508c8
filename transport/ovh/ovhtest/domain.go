package ovhtest

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
)

// zone is a registered domain and its DNS zone (OVH keeps them apart:
// /domain/{name} and /domain/zone/{name}).
type zone struct {
	name        string
	nameServers []string
	whoisOwner  string
	registered  time.Time
	lastUpdate  time.Time
	records     []*record // ascending id
	byID        map[int64]*record
	refreshes   int

	domainCache, zoneCache []byte
}

// record is a domain.zone.Record.
type record struct {
	id                           int64
	zone, fieldType, sub, target string
	ttl                          int64
	cache                        []byte
}

func (r *record) json() []byte {
	if r.cache != nil {
		return r.cache
	}
	r.cache = marshal(struct {
		ID        int64  `json:"id"`
		Zone      string `json:"zone"`
		FieldType string `json:"fieldType"`
		SubDomain string `json:"subDomain"`
		Target    string `json:"target"`
		TTL       int64  `json:"ttl"`
	}{r.id, r.zone, r.fieldType, r.sub, r.target, r.ttl})
	return r.cache
}

func (z *zone) domainJSON() []byte {
	if z.domainCache != nil {
		return z.domainCache
	}
	z.domainCache = marshal(struct {
		Domain                  string `json:"domain"`
		State                   string `json:"state"`
		SuspensionState         string `json:"suspensionState"`
		TransferLockStatus      string `json:"transferLockStatus"`
		NameServerType          string `json:"nameServerType"`
		Offer                   string `json:"offer"`
		WhoisOwner              string `json:"whoisOwner"`
		LastUpdate              string `json:"lastUpdate"`
		DNSSECSupported         bool   `json:"dnssecSupported"`
		GlueRecordIPv6Supported bool   `json:"glueRecordIpv6Supported"`
		OwoSupported            bool   `json:"owoSupported"`
	}{z.name, "ok", "not_suspended", "locked", "hosted", "gold", z.whoisOwner, localStamp(z.registered),
		true, true, true})
	return z.domainCache
}

func (z *zone) zoneJSON() []byte {
	if z.zoneCache != nil {
		return z.zoneCache
	}
	z.zoneCache = marshal(struct {
		Name            string   `json:"name"`
		NameServers     []string `json:"nameServers"`
		DNSSECSupported bool     `json:"dnssecSupported"`
		HasDNSAnycast   bool     `json:"hasDnsAnycast"`
		LastUpdate      string   `json:"lastUpdate"`
	}{z.name, z.nameServers, true, false, localStamp(z.lastUpdate)})
	return z.zoneCache
}

var fieldTypes = []string{"A", "AAAA", "CAA", "CNAME", "DKIM", "DMARC", "DNAME", "LOC", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV", "SSHFP", "TLSA", "TXT"}

// seedZones makes the zones with n records each: the two OVH name
// servers, the apex address, www, mail and SPF, then alternating A and
// AAAA hosts. Record ids grow across zones.
func (w *world) seedZones(names []string, n int) {
	w.zoneByName = make(map[string]*zone, len(names))
	w.nextRecord = 5000000000 + w.rnd.Int64N(100000000)
	for zi, name := range names {
		name = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
		if name == "" || w.zoneByName[name] != nil {
			continue
		}
		ns := 100 + w.rnd.IntN(100)
		z := &zone{
			name:        name,
			nameServers: []string{fmt.Sprintf("dns%d.ovh.net", ns), fmt.Sprintf("ns%d.ovh.net", ns)},
			whoisOwner:  strconv.Itoa(10000000 + w.rnd.IntN(90000000)),
			registered:  epoch.AddDate(-1-w.rnd.IntN(5), -w.rnd.IntN(12), 0),
			lastUpdate:  epoch.Add(-time.Duration(1+w.rnd.IntN(30*24)) * time.Hour),
			byID:        map[int64]*record{},
		}
		base := []record{
			{fieldType: "NS", target: z.nameServers[0] + "."},
			{fieldType: "NS", target: z.nameServers[1] + "."},
			{fieldType: "A", target: fmt.Sprintf("192.0.2.%d", 10+zi%240)},
			{fieldType: "CNAME", sub: "www", target: name + "."},
			{fieldType: "MX", target: "1 mx1.mail.ovh.net."},
			{fieldType: "TXT", target: `"v=spf1 include:mx.ovh.com ~all"`, ttl: 600},
		}
		for i := range n {
			var r record
			switch {
			case i < len(base):
				r = base[i]
			case i%2 == 0:
				r = record{fieldType: "A", sub: fmt.Sprintf("host-%04d", i+1), target: fmt.Sprintf("198.51.100.%d", 1+i%254), ttl: 3600}
			default:
				r = record{fieldType: "AAAA", sub: fmt.Sprintf("host-%04d", i+1), target: fmt.Sprintf("2001:db8::%x", i+1), ttl: 3600}
			}
			w.addRecord(z, &r)
		}
		w.zones = append(w.zones, z)
		w.zoneByName[name] = z
	}
}

func (w *world) addRecord(z *zone, r *record) {
	w.nextRecord += 1 + w.rnd.Int64N(997)
	r.id, r.zone, r.cache = w.nextRecord, z.name, nil
	z.records = append(z.records, r)
	z.byID[r.id] = r
}

func (s *Server) listDomains(c *call) {
	c.ids(len(s.zones), func(i int) []byte { return quote(s.zones[i].name) },
		func(i int) []byte { return s.zones[i].domainJSON() })
}

func (s *Server) listZones(c *call) {
	c.ids(len(s.zones), func(i int) []byte { return quote(s.zones[i].name) },
		func(i int) []byte { return s.zones[i].zoneJSON() })
}

func (s *Server) zone(c *call) *zone {
	z := s.zoneByName[strings.ToLower(c.params[0])]
	if z == nil {
		c.noService()
	}
	return z
}

func (s *Server) getDomain(c *call) {
	if z := s.zone(c); z != nil {
		c.send(z.domainJSON())
	}
}

func (s *Server) getZone(c *call) {
	if z := s.zone(c); z != nil {
		c.send(z.zoneJSON())
	}
}

// listRecords is GET /domain/zone/{zone}/record?fieldType=&subDomain=:
// record ids (numbers), ascending.
func (s *Server) listRecords(c *call) {
	z := s.zone(c)
	if z == nil {
		return
	}
	q := c.r.URL.Query()
	typ, sub := q.Get("fieldType"), q.Get("subDomain")
	if typ != "" && !slices.Contains(fieldTypes, typ) {
		c.badRequest("[fieldType] Given data (%s) does not belong to the zone.NamedResolutionFieldTypeEnum enumeration", typ)
		return
	}
	_, filterSub := q["subDomain"]
	list := make([]*record, 0, len(z.records))
	for _, r := range z.records {
		if (typ == "" || r.fieldType == typ) && (!filterSub || r.sub == sub) {
			list = append(list, r)
		}
	}
	c.ids(len(list), func(i int) []byte { return strconv.AppendInt(nil, list[i].id, 10) },
		func(i int) []byte { return list[i].json() })
}

func (s *Server) record(c *call) (*zone, *record) {
	z := s.zone(c)
	if z == nil {
		return nil, nil
	}
	id, err := strconv.ParseInt(c.params[1], 10, 64)
	r := z.byID[id]
	if err != nil || r == nil {
		c.noObject("id", c.params[1])
		return nil, nil
	}
	return z, r
}

func (s *Server) getRecord(c *call) {
	if _, r := s.record(c); r != nil {
		c.send(r.json())
	}
}

// checkTarget refuses a target that cannot be of the type: A needs an
// IPv4 address, AAAA an IPv6 one, and no target may be empty.
func (f *fields) checkTarget(typ, target string) {
	ip := net.ParseIP(target)
	switch {
	case target == "":
		f.fail("[target] The target cannot be empty")
	case typ == "A" && (ip == nil || ip.To4() == nil):
		f.fail("[target] Invalid IPv4 address: %s", target)
	case typ == "AAAA" && (ip == nil || ip.To4() != nil):
		f.fail("[target] Invalid IPv6 address: %s", target)
	}
}

// createRecord is POST /domain/zone/{zone}/record; it answers the new
// record. The change is published only by a refresh.
func (s *Server) createRecord(c *call) {
	z := s.zone(c)
	if z == nil {
		return
	}
	f, ok := c.object()
	if !ok {
		return
	}
	typ, hasType := f.str("fieldType")
	sub, _ := f.str("subDomain")
	target, hasTarget := f.str("target")
	ttl, _ := f.integer("ttl")
	f.require("fieldType", hasType)
	f.require("target", hasTarget)
	if hasType {
		f.enum("fieldType", typ, "zone.NamedResolutionFieldTypeEnum", fieldTypes...)
	}
	f.checkTarget(typ, target)
	if ttl < 0 {
		f.fail("[ttl] The TTL cannot be negative")
	}
	if !f.ok() {
		return
	}
	r := &record{fieldType: typ, sub: strings.ToLower(sub), target: target, ttl: ttl}
	s.addRecord(z, r)
	c.send(r.json())
}

// putRecord is PUT .../record/{id} with subDomain, target and ttl.
// fieldType cannot change: sending another one is a 400.
func (s *Server) putRecord(c *call) {
	_, r := s.record(c)
	if r == nil {
		return
	}
	f, ok := c.object()
	if !ok {
		return
	}
	if typ, has := f.str("fieldType"); has && typ != r.fieldType {
		f.fail("[fieldType] The field type of a record cannot be changed")
	}
	sub, hasSub := f.str("subDomain")
	target, hasTarget := f.str("target")
	ttl, hasTTL := f.integer("ttl")
	if hasTarget {
		f.checkTarget(r.fieldType, target)
	}
	if ttl < 0 {
		f.fail("[ttl] The TTL cannot be negative")
	}
	if !f.ok() {
		return
	}
	if hasSub {
		r.sub = strings.ToLower(sub)
	}
	if hasTarget {
		r.target = target
	}
	if hasTTL {
		r.ttl = ttl
	}
	r.cache = nil
	c.void()
}

func (s *Server) deleteRecord(c *call) {
	z, r := s.record(c)
	if r == nil {
		return
	}
	delete(z.byID, r.id)
	z.records = slices.DeleteFunc(z.records, func(x *record) bool { return x == r })
	c.void()
}

// refreshZone is POST /domain/zone/{zone}/refresh: it publishes the zone
// (counted, see ZoneRefreshes) and updates its lastUpdate.
func (s *Server) refreshZone(c *call) {
	z := s.zone(c)
	if z == nil {
		return
	}
	z.refreshes++
	z.lastUpdate = c.now
	z.zoneCache = nil
	c.void()
}
