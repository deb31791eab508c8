package digitaloceantest

import (
	"fmt"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

type domain struct {
	name    string
	ttl     int
	serial  int64
	records []*record // ascending id
}

type record struct {
	id       int
	typ      string
	name     string
	data     string
	priority int
	port     int
	weight   int
	flags    int
	ttl      int
	tag      string
}

// recordFields says which optional numbers a record type uses.
var recordFields = map[string]struct{ priority, port, weight, flags, tag bool }{
	"A": {}, "AAAA": {}, "CNAME": {}, "NS": {}, "TXT": {}, "SOA": {},
	"MX":  {priority: true},
	"SRV": {priority: true, port: true, weight: true},
	"CAA": {flags: true, tag: true},
}

func (r *record) json() []byte {
	use := recordFields[r.typ]
	num := func(used bool, v int) *int {
		if !used {
			return nil
		}
		return &v
	}
	var tag *string
	if use.tag {
		tag = &r.tag
	}
	return marshal(struct {
		ID       int     `json:"id"`
		Type     string  `json:"type"`
		Name     string  `json:"name"`
		Data     string  `json:"data"`
		Priority *int    `json:"priority"`
		Port     *int    `json:"port"`
		TTL      int     `json:"ttl"`
		Weight   *int    `json:"weight"`
		Flags    *int    `json:"flags"`
		Tag      *string `json:"tag"`
	}{r.id, r.typ, r.name, r.data, num(use.priority, r.priority), num(use.port, r.port), r.ttl,
		num(use.weight, r.weight), num(use.flags, r.flags), tag})
}

func (d *domain) json() []byte {
	return marshal(struct {
		Name     string `json:"name"`
		TTL      int    `json:"ttl"`
		ZoneFile string `json:"zone_file"`
	}{d.name, d.ttl, d.zoneFile()})
}

// fqdn turns a record name relative to the domain into an absolute one.
func (d *domain) fqdn(name string) string {
	if name == "@" || name == "" {
		return d.name + "."
	}
	if strings.HasSuffix(name, ".") {
		return name
	}
	return name + "." + d.name + "."
}

// target qualifies a host name in record data.
func (d *domain) target(data string) string {
	if data == "@" {
		return d.name + "."
	}
	if strings.HasSuffix(data, ".") || net.ParseIP(data) != nil {
		return data
	}
	if strings.Contains(data, ".") {
		return data + "."
	}
	return data + "." + d.name + "."
}

func (d *domain) zoneFile() string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s.\n$TTL %d\n", d.name, d.ttl)
	fmt.Fprintf(&b, "%s. IN SOA ns1.digitalocean.com. hostmaster.%s. %d 10800 3600 604800 1800\n", d.name, d.name, d.serial)
	for _, r := range d.records {
		var rdata string
		switch r.typ {
		case "SOA":
			continue
		case "MX":
			rdata = fmt.Sprintf("%d %s", r.priority, d.target(r.data))
		case "SRV":
			rdata = fmt.Sprintf("%d %d %d %s", r.priority, r.weight, r.port, d.target(r.data))
		case "CAA":
			rdata = fmt.Sprintf("%d %s %q", r.flags, r.tag, r.data)
		case "TXT":
			rdata = fmt.Sprintf("%q", r.data)
		case "CNAME", "NS":
			rdata = d.target(r.data)
		default:
			rdata = r.data
		}
		fmt.Fprintf(&b, "%s %d IN %s %s\n", d.fqdn(r.name), r.ttl, r.typ, rdata)
	}
	return b.String()
}

var domainName = regexp.MustCompile(`^([a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$`)

// addDomain creates a zone with the records DigitalOcean adds itself: SOA,
// three NS, and an A record for the apex when ip is given.
func (s *Server) addDomain(name, ip string) *domain {
	d := &domain{name: name, ttl: 1800, serial: epoch.Unix()}
	s.domains[name] = d
	s.addRecord(d, &record{typ: "SOA", name: "@", data: "1800", ttl: 1800})
	for i := 1; i <= 3; i++ {
		s.addRecord(d, &record{typ: "NS", name: "@", data: fmt.Sprintf("ns%d.digitalocean.com", i), ttl: 1800})
	}
	if ip != "" {
		s.addRecord(d, &record{typ: "A", name: "@", data: ip, ttl: 1800})
	}
	return d
}

func (s *Server) addRecord(d *domain, r *record) {
	s.nextRecord++
	r.id = s.nextRecord
	d.records = append(d.records, r)
	d.serial++
}

func (s *Server) domainParam(c *call) *domain {
	d := s.domains[strings.ToLower(c.params[0])]
	if d == nil {
		c.notFound()
	}
	return d
}

func (s *Server) listDomains(c *call) {
	names := sortedKeys(s.domains)
	listOf(c, "domains", names, func(n string) []byte { return s.domains[n].json() })
}

func (s *Server) createDomain(c *call) {
	var req struct {
		Name      string `json:"name"`
		IPAddress string `json:"ip_address"`
	}
	if !c.decode(&req) {
		return
	}
	name := strings.ToLower(strings.TrimSuffix(req.Name, "."))
	switch {
	case name == "":
		c.unprocessable("Name can't be blank.")
		return
	case len(name) > 253 || !domainName.MatchString(name):
		c.unprocessable("Name is invalid.")
		return
	case s.domains[name] != nil:
		c.unprocessable("Name already exists.")
		return
	case req.IPAddress != "" && net.ParseIP(req.IPAddress) == nil:
		c.unprocessable("IP address is invalid.")
		return
	}
	d := s.addDomain(name, req.IPAddress)
	c.ok(http.StatusCreated, m("domain", marshal(struct {
		Name     string  `json:"name"`
		TTL      int     `json:"ttl"`
		ZoneFile *string `json:"zone_file"`
	}{d.name, d.ttl, nil})))
}

func (s *Server) getDomain(c *call) {
	if d := s.domainParam(c); d != nil {
		c.ok(http.StatusOK, m("domain", d.json()))
	}
}

func (s *Server) deleteDomain(c *call) {
	if d := s.domainParam(c); d != nil {
		delete(s.domains, d.name)
		c.noContent()
	}
}

func (s *Server) listRecords(c *call) {
	d := s.domainParam(c)
	if d == nil {
		return
	}
	typ, name := strings.ToUpper(c.query("type")), strings.ToLower(strings.TrimSuffix(c.query("name"), "."))
	var items []*record
	for _, r := range d.records {
		if typ != "" && r.typ != typ {
			continue
		}
		if name != "" && strings.TrimSuffix(d.fqdn(r.name), ".") != name {
			continue
		}
		items = append(items, r)
	}
	listOf(c, "domain_records", items, (*record).json)
}

// recordBody is a record create or update; absent fields stay nil.
type recordBody struct {
	Type     *string `json:"type"`
	Name     *string `json:"name"`
	Data     *string `json:"data"`
	Priority *int    `json:"priority"`
	Port     *int    `json:"port"`
	TTL      *int    `json:"ttl"`
	Weight   *int    `json:"weight"`
	Flags    *int    `json:"flags"`
	Tag      *string `json:"tag"`
}

// apply copies the given fields onto r. On update, zero numbers are taken
// as "not given": godo always sends priority, port, weight and flags.
func (b *recordBody) apply(r *record, update bool) {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	num := func(dst *int, v *int) {
		if v != nil && (!update || *v != 0) {
			*dst = *v
		}
	}
	str(&r.typ, b.Type)
	r.typ = strings.ToUpper(r.typ)
	str(&r.name, b.Name)
	str(&r.data, b.Data)
	str(&r.tag, b.Tag)
	num(&r.priority, b.Priority)
	num(&r.port, b.Port)
	num(&r.weight, b.Weight)
	num(&r.flags, b.Flags)
	num(&r.ttl, b.TTL)
}

// validRecord checks a record after the body was applied.
func validRecord(r *record) string {
	use, known := recordFields[r.typ]
	switch {
	case !known || r.typ == "SOA":
		return "Record type is not valid."
	case r.name == "":
		return "Name can't be blank."
	case r.data == "":
		return "Data can't be blank."
	case r.ttl < 30:
		return "TTL must be at least 30 seconds."
	case r.typ == "A" && (net.ParseIP(r.data) == nil || net.ParseIP(r.data).To4() == nil):
		return "Data must be an IPv4 address."
	case r.typ == "AAAA" && (net.ParseIP(r.data) == nil || net.ParseIP(r.data).To4() != nil):
		return "Data must be an IPv6 address."
	case use.priority && (r.priority < 0 || r.priority > 65535),
		use.port && (r.port < 0 || r.port > 65535),
		use.weight && (r.weight < 0 || r.weight > 65535):
		return "Priority, port and weight must be between 0 and 65535."
	case use.flags && (r.flags < 0 || r.flags > 255):
		return "Flags must be between 0 and 255."
	case use.tag && !slices.Contains([]string{"issue", "issuewild", "iodef"}, r.tag):
		return "Tag must be issue, issuewild or iodef."
	}
	return ""
}

func (s *Server) createRecord(c *call) {
	d := s.domainParam(c)
	if d == nil {
		return
	}
	var body recordBody
	if !c.decode(&body) {
		return
	}
	r := &record{ttl: 1800}
	body.apply(r, false)
	if r.ttl == 0 {
		r.ttl = 1800
	}
	if msg := validRecord(r); msg != "" {
		c.unprocessable(msg)
		return
	}
	s.addRecord(d, r)
	c.ok(http.StatusCreated, m("domain_record", r.json()))
}

func (s *Server) recordParam(c *call) (*domain, *record) {
	d := s.domainParam(c)
	if d == nil {
		return nil, nil
	}
	id, ok := c.intParam(1)
	if ok {
		for _, r := range d.records {
			if r.id == id {
				return d, r
			}
		}
	}
	c.notFound()
	return nil, nil
}

func (s *Server) getRecord(c *call) {
	if _, r := s.recordParam(c); r != nil {
		c.ok(http.StatusOK, m("domain_record", r.json()))
	}
}

func (s *Server) updateRecord(c *call) {
	d, r := s.recordParam(c)
	if r == nil {
		return
	}
	var body recordBody
	if !c.decode(&body) {
		return
	}
	if r.typ == "SOA" {
		// Only the TTL of the SOA record can change.
		if body.TTL != nil && *body.TTL >= 30 {
			r.ttl = *body.TTL
		}
		c.ok(http.StatusOK, m("domain_record", r.json()))
		return
	}
	next := *r
	body.apply(&next, true)
	if msg := validRecord(&next); msg != "" {
		c.unprocessable(msg)
		return
	}
	*r = next
	d.serial++
	c.ok(http.StatusOK, m("domain_record", r.json()))
}

func (s *Server) deleteRecord(c *call) {
	d, r := s.recordParam(c)
	if r == nil {
		return
	}
	d.records = slices.DeleteFunc(d.records, func(x *record) bool { return x == r })
	d.serial++
	c.noContent()
}
