package enstratustest

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// Server statuses.
const (
	statusPending    = "PENDING"
	statusRunning    = "RUNNING"
	statusPaused     = "PAUSED"
	statusStopped    = "STOPPED"
	statusTerminated = "TERMINATED"
)

// launchPlan is one validated entry of a launch request.
type launchPlan struct {
	name, description, label string
	image, dc, region        *object
	product                  *object // nil when the request named an unknown provider product
	providerProductID        string
	firewalls                []*object
	budget                   int64
}

// launch serves POST infrastructure/Server with {"launch":[{...}, ...]}.
// Each entry needs name, description, machineImage, dataCenter and a
// product: "productId" (v0.2.6: a provider product id such as "m1.large",
// or a product id) or "product":{"productId":...} (2015). Everything is
// checked before anything is created; then every entry becomes a PENDING
// server and a RUNNING job, and the answer is 202 with the jobs.
func (s *Server) launch(c *call) {
	body, ok := c.jsonBody()
	if !ok {
		return
	}
	items := body.Get("launch")
	if !items.IsArray() || len(items.Array()) == 0 {
		c.badRequest(`Expected {"launch":[{...}]}`)
		return
	}
	var plans []launchPlan
	for _, item := range items.Array() {
		p, ok := s.planLaunch(c, item)
		if !ok {
			return
		}
		plans = append(plans, p)
	}
	jobs := make([]*object, 0, len(plans))
	for _, p := range plans {
		o := s.newServer(c, p)
		jobs = append(jobs, s.startJob(c, "Launch Server "+p.name, o.id, func(ok bool) string {
			if !ok {
				o.set("status", statusTerminated)
				return "Launch of server " + o.id + " failed"
			}
			o.set("status", statusRunning)
			setAddresses(o)
			return o.id
		}))
	}
	c.jobsAccepted(jobs...)
}

// planLaunch validates one launch entry; it answers 400 when it is bad.
func (s *Server) planLaunch(c *call, item gjson.Result) (launchPlan, bool) {
	var p launchPlan
	if !item.IsObject() {
		c.badRequest("Each launch entry must be a JSON object")
		return p, false
	}
	str := func(k string) string {
		if v := item.Get(k); v.Type == gjson.String {
			return strings.TrimSpace(v.Str)
		}
		return ""
	}
	p.name, p.description, p.label = str("name"), str("description"), str("label")
	imageID := idString(item.Get("machineImage.machineImageId"))
	dcID := idString(item.Get("dataCenter.dataCenterId"))
	productID := item.Get("product.productId")
	if !productID.Exists() {
		productID = item.Get("productId")
	}
	var missing []string
	for _, f := range []struct {
		name string
		ok   bool
	}{
		{"name", p.name != ""}, {"description", p.description != ""},
		{"machineImage", imageID != ""}, {"dataCenter", dcID != ""},
		{"product", idString(productID) != ""},
	} {
		if !f.ok {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		c.badRequest("Missing required fields: " + strings.Join(missing, ", "))
		return p, false
	}
	if p.image = s.kind(kMachineImage).lookup(imageID); p.image == nil {
		c.badRequest("No such machine image ID: " + imageID)
		return p, false
	}
	if p.dc = s.kind(kDataCenter).lookup(dcID); p.dc == nil {
		c.badRequest("No such data center ID: " + dcID)
		return p, false
	}
	p.region = s.kind(kRegion).byID[p.dc.ref("region")]
	if p.region == nil || p.image.ref("region") != p.region.id {
		c.badRequest(fmt.Sprintf("Machine image %s is not available in data center %s", p.image.id, p.dc.id))
		return p, false
	}
	regionProv := p.region.str("providerId")
	pid := idString(productID)
	if _, err := strconv.ParseInt(pid, 10, 64); err == nil {
		p.product = s.kind(kServerProduct).lookup(pid)
		if p.product == nil {
			c.badRequest("No such server product ID: " + pid)
			return p, false
		}
		if p.product.str("providerRegionId") != regionProv {
			c.badRequest(fmt.Sprintf("Server product %s is not available in region %s", pid, p.region.id))
			return p, false
		}
		p.providerProductID = p.product.str("providerProductId")
	} else {
		p.providerProductID = pid
		for _, o := range s.kind(kServerProduct).order {
			if o.str("providerProductId") == pid && o.str("providerRegionId") == regionProv {
				p.product = o
				break
			}
		}
	}
	if fws := item.Get("firewalls"); fws.Exists() {
		if !fws.IsArray() {
			c.badRequest("firewalls must be an array")
			return p, false
		}
		for _, f := range fws.Array() {
			id := idString(f)
			if f.IsObject() {
				id = idString(f.Get("firewallId"))
			}
			fw := s.kind(kFirewall).lookup(id)
			if fw == nil {
				c.badRequest("No such firewall ID: " + f.Raw)
				return p, false
			}
			p.firewalls = append(p.firewalls, fw)
		}
	}
	p.budget = defaultBudget
	if b := item.Get("budget"); b.Exists() {
		n, err := strconv.ParseInt(idString(b), 10, 64)
		if err != nil {
			c.badRequest("Invalid budget: " + b.Raw)
			return p, false
		}
		p.budget = n
	}
	return p, true
}

// newServer creates a PENDING server with the fields of the server
// fixture that a launch can know.
func (s *Server) newServer(c *call, p launchPlan) *object {
	s.nextServer++
	k := s.kind(kServer)
	o := &object{kind: k, id: strconv.FormatInt(s.nextServer, 10), num: s.nextServer, vals: map[string][]byte{}}
	ref := func(kindName string, target *object) []byte { return idObject(s.kind(kindName), target) }
	agent := p.image.get("agentVersion").Int()
	o.set("agentVersion", agent)
	o.set("budget", p.budget)
	o.setRaw("cloud", p.region.vals["cloud"])
	o.setRaw("customer", p.region.vals["customer"])
	o.setRaw("dataCenter", ref(kDataCenter, p.dc))
	o.set("description", p.description)
	fws := []byte{'['}
	for i, f := range p.firewalls {
		if i > 0 {
			fws = append(fws, ',')
		}
		fws = append(fws, ref(kFirewall, f)...)
	}
	o.setRaw("firewalls", append(fws, ']'))
	if p.label != "" {
		o.set("label", p.label)
	}
	o.setRaw("machineImage", ref(kMachineImage, p.image))
	o.set("name", p.name)
	o.set("platform", p.image.str("platform"))
	if p.product != nil {
		o.setRaw("product", ref(kServerProduct, p.product))
	}
	o.set("providerId", fmt.Sprintf("i-%08x", s.rnd.Uint32()))
	o.set("providerProductId", p.providerProductID)
	o.setRaw("region", ref(kRegion, p.region))
	o.set("serverId", o.num)
	o.set("startDate", stamp(c.now))
	o.set("status", statusPending)
	return k.put(o)
}

// serverFor finds a server that may be acted on: it exists, is not
// terminated and has no job running. Otherwise it answers 404 or 409.
func (s *Server) serverFor(c *call, id string, needIdle bool) *object {
	k := s.kind(kServer)
	o := k.lookup(id)
	if o == nil {
		c.notFound(k, id)
		return nil
	}
	if o.str("status") == statusTerminated {
		c.fail(http.StatusConflict, "Server "+o.id+" is terminated")
		return nil
	}
	if p := s.busy[o.id]; p != nil && needIdle {
		c.fail(http.StatusConflict, fmt.Sprintf("Server %s has job %d in progress", o.id, p.job.num))
		return nil
	}
	return o
}

// serverOperation serves PUT infrastructure/Server/<id> with one operation
// envelope: {"pause":[{"reason":...}]}, {"start":[{}]}, {"stop":[{}]}
// (202 and a job that applies the change when it ends) or
// {"describeServer":[{"name":...,"description":...,"label":...}]} (204,
// applied at once).
func (s *Server) serverOperation(c *call, id string) {
	body, ok := c.jsonBody()
	if !ok {
		return
	}
	ops := body.Map()
	if len(ops) != 1 {
		c.badRequest("Expected exactly one operation: pause, start, stop or describeServer")
		return
	}
	var op string
	var arg gjson.Result
	for op, arg = range ops {
	}
	if arg.IsArray() {
		arr := arg.Array()
		if len(arr) == 0 {
			c.badRequest("The " + op + " operation needs one entry")
			return
		}
		arg = arr[0]
	}
	if !arg.IsObject() {
		c.badRequest("The " + op + " operation takes an object")
		return
	}
	var from []string
	var to, verb string
	switch op {
	case "describeServer":
		s.describeServer(c, id, arg)
		return
	case "pause":
		from, to, verb = []string{statusRunning}, statusPaused, "Pause"
	case "stop":
		from, to, verb = []string{statusRunning}, statusStopped, "Stop"
	case "start":
		from, to, verb = []string{statusPaused, statusStopped}, statusRunning, "Start"
	default:
		c.badRequest("Unsupported server operation: " + op)
		return
	}
	o := s.serverFor(c, id, true)
	if o == nil {
		return
	}
	status := o.str("status")
	allowed := false
	for _, f := range from {
		allowed = allowed || status == f
	}
	if !allowed {
		c.fail(http.StatusConflict, fmt.Sprintf("Cannot %s server %s while it is %s", op, o.id, status))
		return
	}
	job := s.startJob(c, verb+" Server "+o.str("name"), o.id, func(ok bool) string {
		if !ok {
			return verb + " of server " + o.id + " failed"
		}
		o.set("status", to)
		if to == statusRunning {
			setAddresses(o)
		} else {
			dropAddresses(o)
		}
		return ""
	})
	c.jobsAccepted(job)
}

// describeServer changes the name, description or label at once: 204.
func (s *Server) describeServer(c *call, id string, arg gjson.Result) {
	changes := map[string]string{}
	for _, f := range []string{"name", "description", "label"} {
		v := arg.Get(f)
		if !v.Exists() {
			continue
		}
		if v.Type != gjson.String || strings.TrimSpace(v.Str) == "" && f == "name" {
			c.badRequest("Invalid " + f + ": " + v.Raw)
			return
		}
		changes[f] = v.Str
	}
	if len(changes) == 0 {
		c.badRequest("describeServer needs a name, description or label")
		return
	}
	o := s.serverFor(c, id, false)
	if o == nil {
		return
	}
	for f, v := range changes {
		o.set(f, v)
	}
	c.rep.Status = http.StatusNoContent
}

// terminate serves DELETE infrastructure/Server/<id>?reason=...: 202 and a
// job after which the server is TERMINATED. It stays listed.
func (s *Server) terminate(c *call, id string) {
	if _, ok := c.reason("terminate a server"); !ok {
		return
	}
	o := s.serverFor(c, id, true)
	if o == nil {
		return
	}
	job := s.startJob(c, "Terminate Server "+o.str("name"), o.id, func(ok bool) string {
		if !ok {
			return "Termination of server " + o.id + " failed"
		}
		o.set("status", statusTerminated)
		dropAddresses(o)
		return ""
	})
	c.jobsAccepted(job)
}

// createRules serves POST network/FirewallRule with {"addRule":[{...}]}
// or one bare rule object: firewallId (or firewall:{firewallId}),
// direction (INGRESS or EGRESS), networkAddress (a CIDR), protocol (TCP,
// UDP or ICMP) and, for TCP and UDP, startPort and endPort. The answer is
// 201 with the new rules in the rules envelope.
func (s *Server) createRules(c *call) {
	d, ok := c.details()
	if !ok {
		return
	}
	body, ok := c.jsonBody()
	if !ok {
		return
	}
	items := []gjson.Result{body}
	if add := body.Get("addRule"); add.Exists() {
		if !add.IsArray() || len(add.Array()) == 0 {
			c.badRequest(`Expected {"addRule":[{...}]}`)
			return
		}
		items = add.Array()
	}
	type rule struct {
		fw                           *object
		direction, network, protocol string
		start, end                   int64
	}
	var rules []rule
	for _, it := range items {
		if !it.IsObject() {
			c.badRequest("Each rule must be a JSON object")
			return
		}
		var r rule
		fwID := idString(it.Get("firewallId"))
		if fwID == "" {
			fwID = idString(it.Get("firewall.firewallId"))
		}
		if fwID == "" {
			c.badRequest("Missing required field: firewallId")
			return
		}
		if r.fw = s.kind(kFirewall).lookup(fwID); r.fw == nil {
			c.badRequest("No such firewall ID: " + fwID)
			return
		}
		r.direction = strings.ToUpper(it.Get("direction").String())
		if r.direction != "INGRESS" && r.direction != "EGRESS" {
			c.badRequest("direction must be INGRESS or EGRESS")
			return
		}
		r.network = strings.TrimSpace(it.Get("networkAddress").String())
		if _, _, err := net.ParseCIDR(r.network); err != nil {
			c.badRequest("networkAddress must be a CIDR block such as 0.0.0.0/0")
			return
		}
		r.protocol = strings.ToUpper(it.Get("protocol").String())
		switch r.protocol {
		case "TCP", "UDP":
			sp, ep := it.Get("startPort"), it.Get("endPort")
			if sp.Type != gjson.Number || ep.Type != gjson.Number {
				c.badRequest("startPort and endPort are required for " + r.protocol)
				return
			}
			r.start, r.end = sp.Int(), ep.Int()
			if r.start < 0 || r.end > 65535 || r.start > r.end {
				c.badRequest("Invalid port range")
				return
			}
		case "ICMP":
			r.start, r.end = -1, -1
		default:
			c.badRequest("protocol must be TCP, UDP or ICMP")
			return
		}
		rules = append(rules, r)
	}
	k := s.kind(kFirewallRule)
	created := make([]*object, 0, len(rules))
	for _, r := range rules {
		s.nextRule++
		o := &object{kind: k, id: strconv.FormatInt(s.nextRule, 10), num: s.nextRule, vals: map[string][]byte{}}
		o.set("direction", r.direction)
		o.set("endPort", r.end)
		o.setRaw("firewall", idObject(s.kind(kFirewall), r.fw))
		o.set("firewallRuleId", o.num)
		o.set("networkAddress", r.network)
		o.set("protocol", r.protocol)
		o.set("startPort", r.start)
		created = append(created, k.put(o))
	}
	s.envelope(c, http.StatusCreated, k, created, d)
}

// deleteRule serves DELETE network/FirewallRule/<id>?reason=...: 204.
func (s *Server) deleteRule(c *call, id string) {
	if _, ok := c.reason("remove a firewall rule"); !ok {
		return
	}
	k := s.kind(kFirewallRule)
	o := k.lookup(id)
	if o == nil {
		c.notFound(k, id)
		return
	}
	k.remove(o)
	c.rep.Status = http.StatusNoContent
}
