package rightscaletest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	wire "github.com/stratus-cloud/stratus/transport/rightscale"
)

// recorded holds objects recorded from the real API (the clouds, the
// instance types of EC2 us-east-1, an image, a volume snapshot, a server
// template and a few deployments): the seed starts from them, and
// generated objects copy their shapes.
//
//go:embed fixtures/recorded.json
var recorded []byte

// object is one simulated resource.
type object struct {
	typ     string
	href    string
	coll    string         // the index it is listed under
	data    map[string]any // the default view, without links and actions
	links   []link
	extra   map[string]map[string]any // fields added by a view
	actions func(o *object) []string  // the actions allowed now
	tags    []string
}

type link struct{ rel, href string }

func (o *object) link(rel string) string {
	for _, l := range o.links {
		if l.rel == rel {
			return l.href
		}
	}
	return ""
}

func (o *object) setLink(rel, href string) {
	for i, l := range o.links {
		if l.rel == rel {
			if href == "" {
				o.links = slices.Delete(o.links, i, i+1)
			} else {
				o.links[i].href = href
			}
			return
		}
	}
	if href != "" {
		o.links = append(o.links, link{rel, href})
	}
}

func (o *object) str(k string) string {
	s, _ := o.data[k].(string)
	return s
}

// render builds the answer for a view.
func (o *object) render(view string, w *world) map[string]any {
	m := make(map[string]any, len(o.data)+4)
	if view == "tiny" && o.typ == "instance" {
		for _, k := range []string{"name", "state", "resource_uid"} {
			m[k] = o.data[k]
		}
	} else {
		maps.Copy(m, o.data)
	}
	if view != "" && view != "default" && view != "tiny" {
		maps.Copy(m, o.extra[view])
		if o.typ == "server" && view == "instance_detail" {
			for _, rel := range []string{"current_instance", "next_instance"} {
				if in := w.objs[o.link(rel)]; in != nil {
					m[rel] = in.render("default", w)
				}
			}
		}
	}
	links := make([]map[string]string, 0, len(o.links))
	for _, l := range o.links {
		links = append(links, map[string]string{"rel": l.rel, "href": l.href})
	}
	m["links"] = links
	acts := []map[string]string{}
	if o.actions != nil {
		for _, a := range o.actions(o) {
			acts = append(acts, map[string]string{"rel": a})
		}
	}
	if o.typ != "account" && o.typ != "cloud" {
		m["actions"] = acts
	} else if len(acts) > 0 {
		m["actions"] = acts
	}
	return m
}

// task is a run_executable's progress.
type task struct {
	href    string
	name    string // the RightScript or recipe
	started time.Time
	fail    bool
}

type timer struct {
	at time.Time
	do func()
}

// world is the simulated account.
type world struct {
	objs   map[string]*object
	order  []*object
	tasks  map[string]*task
	timers []timer
	nextID int
}

func (s *Server) put(o *object) *object {
	s.objs[o.href] = o
	s.order = append(s.order, o)
	return o
}

func (s *Server) remove(o *object) {
	delete(s.objs, o.href)
	if i := slices.Index(s.order, o); i >= 0 {
		s.order = slices.Delete(s.order, i, i+1)
	}
}

func (s *Server) id() int {
	s.nextID++
	return s.nextID
}

// uid makes an instance-style id: 13 upper-case letters and digits.
func (s *Server) uid() string {
	const set = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
	b := make([]byte, 13)
	for i := range b {
		b[i] = set[s.rand.IntN(len(set))]
	}
	return string(b)
}

func stamp(t time.Time) string { return t.UTC().Format(wire.TimeLayout) }

// settle runs the timers that have come due.
func (s *Server) settle(now time.Time) {
	for {
		due := -1
		for i, t := range s.timers {
			if !t.at.After(now) && (due < 0 || t.at.Before(s.timers[due].at)) {
				due = i
			}
		}
		if due < 0 {
			return
		}
		t := s.timers[due]
		s.timers = slices.Delete(s.timers, due, due+1)
		t.do()
	}
}

func (s *Server) after(d time.Duration, do func()) {
	s.timers = append(s.timers, timer{s.clk.Now().Add(d), do})
}

func instanceActions(o *object) []string {
	switch o.str("state") {
	case "operational":
		return []string{"terminate", "reboot", "run_executable", "lock", "unlock"}
	case "pending", "booting":
		return []string{"terminate", "run_executable", "lock", "unlock"}
	case "stopped", "provisioned":
		return []string{"terminate", "start", "lock", "unlock"}
	}
	return nil
}

func serverActions(w *world) func(o *object) []string {
	return func(o *object) []string {
		if o.link("current_instance") != "" {
			return []string{"terminate", "clone"}
		}
		return []string{"launch", "clone"}
	}
}

func fixed(acts ...string) func(*object) []string {
	return func(*object) []string { return acts }
}

// fromJSON turns a recorded object into an object of the world.
func fromJSON(typ string, raw map[string]any, coll string) *object {
	o := &object{typ: typ, coll: coll, data: map[string]any{}}
	for k, v := range raw {
		switch k {
		case "links":
			for _, l := range v.([]any) {
				lm := l.(map[string]any)
				o.links = append(o.links, link{lm["rel"].(string), lm["href"].(string)})
			}
		case "actions":
			var acts []string
			for _, a := range v.([]any) {
				acts = append(acts, a.(map[string]any)["rel"].(string))
			}
			o.actions = fixed(acts...)
		default:
			o.data[k] = v
		}
	}
	o.href = o.link("self")
	return o
}

// seed fills the account: the recorded clouds, each with datacenters,
// instance types, images, a security group, an IP address and Size
// instances of two names; deployments (rsc-test among them), servers (one
// running in "production"), RightScripts, a server template, users, the
// account, and tags.
func (s *Server) seed() {
	s.objs, s.tasks, s.nextID = map[string]*object{}, map[string]*task{}, 1000
	var rec struct {
		Clouds          []map[string]any `json:"clouds"`
		InstanceTypes   []map[string]any `json:"instance_types"`
		VolumeSnapshots []map[string]any `json:"volume_snapshots"`
		Deployments     []map[string]any `json:"deployments"`
		Images          []map[string]any `json:"images"`
		ServerTemplates []map[string]any `json:"server_templates"`
	}
	if err := json.Unmarshal(recorded, &rec); err != nil {
		panic("rightscaletest: fixtures: " + err.Error())
	}
	now := s.clk.Now()
	acct := strconv.Itoa(s.cfg.AccountID)
	owner := s.put(&object{typ: "user", href: "/api/users/888", coll: "/api/users", data: map[string]any{
		"email": "owner_user@example.com", "first_name": "Fred", "last_name": "Accountholder", "login_name": "rightscale888",
		"company": "Stratus Sandbox", "phone": "805-555-0100", "timezone_name": "America/Los_Angeles",
		"created_at": "2009/07/13 21:50:24 +0000", "updated_at": "2012/11/06 19:56:51 +0000", "principal_uid": "888",
	}, links: []link{{"self", "/api/users/888"}}, actions: fixed()})
	s.put(&object{typ: "user", href: "/api/users/889", coll: "/api/users", data: map[string]any{
		"email": "ops@example.com", "first_name": "Olive", "last_name": "Operator", "login_name": "ops889",
		"company": "Stratus Sandbox", "phone": "805-555-0101", "timezone_name": "UTC",
		"created_at": "2013/01/02 10:00:00 +0000", "updated_at": "2014/03/04 10:00:00 +0000", "principal_uid": "889",
	}, links: []link{{"self", "/api/users/889"}}, actions: fixed()})
	s.put(&object{typ: "account", href: "/api/accounts/" + acct, coll: "/api/sessions/accounts", data: map[string]any{
		"name": "Stratus Sandbox", "created_at": "2009/07/13 21:50:24 +0000", "updated_at": "2015/01/05 08:00:00 +0000",
	}, links: []link{{"self", "/api/accounts/" + acct}, {"owner", owner.href}, {"cluster", "/api/clusters/3"}}})
	var ec2 *object
	for ci, raw := range rec.Clouds {
		cl := fromJSON("cloud", raw, "/api/clouds")
		cl.actions = nil
		cl.extra = map[string]map[string]any{"extended": {"capabilities": []any{
			map[string]any{"name": "ssh_keys", "value": "true"}, map[string]any{"name": "security_groups", "value": cl.link("security_groups") != ""},
		}}}
		s.put(cl)
		if cl.str("name") == "EC2 us-east-1" {
			ec2 = cl
		}
		s.seedCloud(cl, ci, rec.InstanceTypes, rec.Images, rec.VolumeSnapshots, now)
	}
	for _, raw := range rec.ServerTemplates {
		s.put(fromJSON("server_template", raw, "/api/server_templates"))
	}
	for _, raw := range rec.Deployments {
		s.put(fromJSON("deployment", raw, "/api/deployments"))
	}
	deps := map[string]*object{}
	for _, d := range []struct{ id, name, desc string }{
		{"502064003", "rsc-test", ""}, {"1001", "production", "The production web tier"}, {"1002", "Operations", "Operations and monitoring"},
	} {
		deps[d.name] = s.put(s.newDeployment(d.id, d.name, d.desc))
	}
	// Servers: one running in production, one inactive, one running in
	// Operations (python-rightscale's test target), and Size more.
	cloud1 := ec2.href
	s.newServer("app-1", deps["production"], cloud1, true, now)
	s.newServer("db-1", deps["production"], cloud1, false, now)
	s.newServer("Ops Test Target", deps["Operations"], cloud1, true, now)
	for i := 1; i <= s.cfg.Size; i++ {
		s.newServer(fmt.Sprintf("web-%02d", i), deps["production"], cloud1, i%2 == 1, now)
	}
	for i, sc := range []struct{ id, name, desc string }{
		{"600001", "Hello World", "Prints its inputs"}, {"600002", "rs_backup", "Backs up the database"},
		{"600003", "Ops Test Script", "A harmless script"},
	} {
		href := "/api/right_scripts/" + sc.id
		s.put(&object{typ: "right_script", href: href, coll: "/api/right_scripts", data: map[string]any{
			"id": sc.id, "name": sc.name, "description": sc.desc, "revision": i % 2,
			"lineage":    "https://us-3.rightscale.com/api/acct/" + acct + "/right_scripts/" + sc.id,
			"created_at": "2014/06/07 04:51:03 +0000", "updated_at": "2015/02/07 04:51:03 +0000",
		}, links: []link{{"self", href}, {"source", href + "/source"}}, actions: fixed("commit")})
	}
	if app := s.findByName("server", "app-1"); app != nil {
		app.tags = []string{"server:role=app", "rs_monitoring:state=active"}
		if in := s.objs[app.link("current_instance")]; in != nil {
			in.tags = []string{"server:role=app"}
		}
	}
	if db := s.findByName("server", "db-1"); db != nil {
		db.tags = []string{"server:role=db", "rs_backup:lineage=prod_db"}
	}
	s.seedExamples()
}

func (s *Server) findByName(typ, name string) *object {
	for _, o := range s.order {
		if o.typ == typ && o.str("name") == name {
			return o
		}
	}
	return nil
}

func (s *Server) newDeployment(id, name, desc string) *object {
	href := "/api/deployments/" + id
	var d any
	if desc != "" {
		d = desc
	}
	return &object{typ: "deployment", href: href, coll: "/api/deployments", data: map[string]any{
		"name": name, "description": d, "locked": false, "server_tag_scope": "deployment",
	}, links: []link{{"inputs", href + "/inputs"}, {"self", href}, {"servers", href + "/servers"},
		{"server_arrays", href + "/server_arrays"}, {"alerts", href + "/alerts"}}, actions: fixed("clone", "lock", "unlock")}
}

func (s *Server) seedCloud(cl *object, ci int, types, images, snaps []map[string]any, now time.Time) {
	ch := cl.href
	zone := strings.Fields(cl.str("name"))
	region := zone[len(zone)-1]
	if cl.link("datacenters") != "" {
		for _, z := range []string{"a", "b"} {
			href := ch + "/datacenters/" + s.uid()
			s.put(&object{typ: "datacenter", href: href, coll: ch + "/datacenters", data: map[string]any{
				"name": region + z, "resource_uid": region + z, "description": region + z,
			}, links: []link{{"self", href}, {"cloud", ch}}, actions: fixed()})
		}
	}
	var typeHref, imageHref string
	if ch == "/api/clouds/1" {
		for _, raw := range types {
			t := fromJSON("instance_type", raw, ch+"/instance_types")
			s.put(t)
			if t.str("name") == "m3.medium" {
				typeHref = t.href
			}
		}
		for _, raw := range images {
			im := fromJSON("image", raw, ch+"/images")
			s.put(im)
			imageHref = im.href
		}
	} else if len(types) > 0 {
		for j, raw := range types[:3] {
			t := fromJSON("instance_type", raw, ch+"/instance_types")
			t.href = ch + "/instance_types/" + s.uid()
			t.setLink("self", t.href)
			t.setLink("cloud", ch)
			s.put(t)
			if j == 0 {
				typeHref = t.href
			}
		}
	}
	if imageHref == "" && len(images) > 0 {
		im := fromJSON("image", images[0], ch+"/images")
		im.href = ch + "/images/" + s.uid()
		im.data["resource_uid"] = fmt.Sprintf("ami-%08x", 0x1000+ci)
		im.setLink("self", im.href)
		im.setLink("cloud", ch)
		s.put(im)
		imageHref = im.href
	}
	if ch == "/api/clouds/3" {
		for _, raw := range snaps {
			s.put(fromJSON("volume_snapshot", raw, ch+"/volume_snapshots"))
		}
	}
	if cl.link("security_groups") != "" {
		href := ch + "/security_groups/" + s.uid()
		s.put(&object{typ: "security_group", href: href, coll: ch + "/security_groups", data: map[string]any{
			"name": "default", "description": "default group", "resource_uid": fmt.Sprintf("sg-%08x", 0x2000+ci),
		}, links: []link{{"self", href}, {"cloud", ch}, {"security_group_rules", href + "/security_group_rules"}}, actions: fixed()})
	}
	if cl.link("ip_addresses") != "" {
		href := ch + "/ip_addresses/" + s.uid()
		s.put(&object{typ: "ip_address", href: href, coll: ch + "/ip_addresses", data: map[string]any{
			"name": "public-" + region, "address": fmt.Sprintf("54.90.%d.%d", ci, 10), "domain": "vpc",
			"created_at": "2014/01/01 00:00:00 +0000", "updated_at": "2014/01/01 00:00:00 +0000",
		}, links: []link{{"self", href}, {"cloud", ch}}, actions: fixed()})
	}
	for i := 0; i < s.cfg.Size; i++ {
		name := fmt.Sprintf("web-%d", i+1)
		if i%2 == 1 {
			name = fmt.Sprintf("worker-%d", i+1)
		}
		state := "operational"
		if i%4 == 3 {
			state = "stopped"
		}
		in := s.newInstance(ch, name, imageHref, typeHref, state, now)
		s.put(in)
	}
}

// newInstance makes an instance in the shape of the recorded ones.
func (s *Server) newInstance(cloud, name, image, itype, state string, now time.Time) *object {
	id := s.uid()
	href := cloud + "/instances/" + id
	var pub, priv []any = []any{}, []any{}
	if state == "operational" {
		n := s.rand.IntN(250) + 1
		pub = []any{fmt.Sprintf("54.90.%d.%d", n, s.rand.IntN(250)+1)}
		priv = []any{fmt.Sprintf("10.169.%d.%d", n, s.rand.IntN(250)+1)}
	}
	o := &object{typ: "instance", href: href, coll: cloud + "/instances", data: map[string]any{
		"name": name, "state": state, "resource_uid": fmt.Sprintf("i-%08x", s.rand.Uint32()),
		"cloud_specific_attributes": map[string]any{"ebs_optimized": false},
		"public_ip_addresses":       pub, "private_ip_addresses": priv, "pricing_type": "fixed",
		"associate_public_ip_address": true, "ip_forwarding_enabled": false, "locked": false,
		"created_at": stamp(now), "updated_at": stamp(now),
	}, links: []link{{"self", href}, {"cloud", cloud}, {"volume_attachments", href + "/volume_attachments"},
		{"inputs", href + "/inputs"}, {"monitoring_metrics", href + "/monitoring_metrics"}, {"alerts", href + "/alerts"}},
		actions: instanceActions}
	if image != "" {
		o.setLink("image", image)
	}
	if itype != "" {
		o.setLink("instance_type", itype)
	}
	o.extra = map[string]map[string]any{}
	ext := map[string]any{"os_platform": "linux", "public_dns_names": []any{}, "private_dns_names": []any{}, "security_groups": []any{}, "subnets": []any{}}
	full := maps.Clone(ext)
	full["inputs"] = []any{}
	full["user_data"] = ""
	o.extra["extended"], o.extra["full"], o.extra["full_inputs_2_0"], o.extra["sensitive"] = ext, full, full, full
	return o
}

// newServer makes a server, with a current instance when running.
func (s *Server) newServer(name string, dep *object, cloud string, running bool, now time.Time) *object {
	href := "/api/servers/" + strconv.Itoa(s.id())
	o := &object{typ: "server", href: href, coll: "/api/servers", data: map[string]any{
		"name": name, "description": "", "state": "inactive", "created_at": stamp(now), "updated_at": stamp(now),
	}, links: []link{{"self", href}, {"deployment", dep.href}, {"alert_specs", href + "/alert_specs"}, {"alerts", href + "/alerts"}}}
	o.actions = serverActions(&s.world)
	next := s.newInstance(cloud, name, "", "", "inactive", now)
	next.coll = ""
	next.data["state"] = "inactive"
	next.setLink("parent", href)
	next.setLink("deployment", dep.href)
	s.put(next)
	o.setLink("next_instance", next.href)
	if running {
		in := s.newInstance(cloud, name, "", "", "operational", now)
		in.setLink("parent", href)
		in.setLink("deployment", dep.href)
		s.put(in)
		o.setLink("current_instance", in.href)
		o.data["state"] = "operational"
	}
	s.put(o)
	return o
}
