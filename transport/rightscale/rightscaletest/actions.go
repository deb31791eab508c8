package rightscaletest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	wire "github.com/stratus-cloud/stratus/transport/rightscale"
)

// create answers a create: 201 with the new object's relative href in
// Location and a one-space body, as the API does.
func (s *Server) create(c *call, m *match) {
	typ := m.res.Type
	fields := c.p.object(typ)
	now := c.now
	var o *object
	switch typ {
	case "deployment":
		name, _ := fields["name"].(string)
		if name == "" {
			c.text(422, `[["name","can't be blank"]]`)
			return
		}
		if s.findByName("deployment", name) != nil {
			c.text(422, `[["name","A deployment with this name already exists. Please enter a different name."]]`)
			return
		}
		desc, _ := fields["description"].(string)
		o = s.newDeployment(strconv.Itoa(s.id()+502072000), name, desc)
	case "instance":
		cloud := c.path[:strings.LastIndexByte(c.path, '/')]
		for _, k := range []string{"image_href", "instance_type_href"} {
			h, _ := fields[k].(string)
			if s.objs[h] == nil {
				c.text(422, "ResourceNotFound: Couldn't find "+typeName(strings.TrimSuffix(k, "_href"))+" with href="+h+" ")
				return
			}
		}
		name, _ := fields["name"].(string)
		o = s.newInstance(cloud, name, fields["image_href"].(string), fields["instance_type_href"].(string), "pending", now)
		o.links = slices.DeleteFunc(o.links, func(l link) bool { return l.rel == "image" || l.rel == "instance_type" })
		s.boot(o)
	case "server":
		name, _ := fields["name"].(string)
		dep := s.objs[str(fields["deployment_href"])]
		if strings.HasPrefix(c.path, "/api/deployments/") {
			dep = s.objs[c.path[:strings.LastIndexByte(c.path, '/')]]
		}
		if name == "" || dep == nil || dep.typ != "deployment" {
			c.text(422, `[["server","needs a name and a deployment_href"]]`)
			return
		}
		cloud := "/api/clouds/1"
		if inst, ok := fields["instance"].(map[string]any); ok && s.objs[str(inst["cloud_href"])] != nil {
			cloud = str(inst["cloud_href"])
		}
		srv := s.newServer(name, dep, cloud, false, now)
		if d, ok := fields["description"].(string); ok {
			srv.data["description"] = d
		}
		c.created(srv.href)
		return
	default:
		id := strconv.Itoa(s.id())
		if strings.Count(c.path, "/") > 2 {
			id = s.uid()
		}
		href := c.path + "/" + id
		o = &object{typ: typ, href: href, coll: c.path, data: map[string]any{}, links: []link{{"self", href}}, actions: fixed()}
		if typ == "user" {
			o.data["created_at"], o.data["updated_at"] = stamp(now), stamp(now)
		}
		setFields(o, fields)
	}
	s.put(o)
	c.created(o.href)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// setFields copies request fields onto an object: "<rel>_href" become
// links, the rest attributes.
func setFields(o *object, fields map[string]any) {
	for k, v := range fields {
		if rel, ok := strings.CutSuffix(k, "_href"); ok {
			if h, ok := v.(string); ok {
				o.setLink(rel, h)
			}
			continue
		}
		if sv, ok := v.(string); ok && (sv == "true" || sv == "false") {
			if _, isBool := o.data[k].(bool); isBool {
				o.data[k] = sv == "true"
				continue
			}
		}
		o.data[k] = v
	}
}

func (s *Server) update(c *call, o *object) {
	fields := c.p.object(o.typ)
	if len(fields) == 0 {
		c.text(422, "InvalidParameter: "+o.typ+" is required")
		return
	}
	if o.typ == "deployment" {
		if name, ok := fields["name"].(string); ok && name != o.str("name") && s.findByName("deployment", name) != nil {
			c.text(422, `[["name","A deployment with this name already exists. Please enter a different name."]]`)
			return
		}
	}
	setFields(o, fields)
	if _, ok := o.data["updated_at"]; ok {
		o.data["updated_at"] = stamp(c.now)
	}
	c.noContent()
}

// boot moves a pending instance to operational after BootDuration.
func (s *Server) boot(o *object) {
	s.after(s.cfg.BootDuration/2, func() {
		if o.str("state") == "pending" {
			o.data["state"] = "booting"
		}
	})
	s.after(s.cfg.BootDuration, func() {
		if st := o.str("state"); st != "pending" && st != "booting" {
			return
		}
		o.data["state"] = "operational"
		n := s.rand.IntN(250) + 1
		o.data["public_ip_addresses"] = []any{fmt.Sprintf("54.90.%d.%d", n, s.rand.IntN(250)+1)}
		o.data["private_ip_addresses"] = []any{fmt.Sprintf("10.169.%d.%d", n, s.rand.IntN(250)+1)}
		o.data["updated_at"] = stamp(s.clk.Now())
		if srv := s.objs[o.link("parent")]; srv != nil {
			srv.data["state"] = "operational"
		}
	})
}

// terminate decommissions an instance; it ends terminated after
// BootDuration, and its server (if any) becomes inactive.
func (s *Server) terminate(in *object) {
	if st := in.str("state"); st == "terminated" || st == "decommissioning" {
		return
	}
	in.data["state"] = "decommissioning"
	in.data["updated_at"] = stamp(s.clk.Now())
	if srv := s.objs[in.link("parent")]; srv != nil {
		srv.data["state"] = "decommissioning"
	}
	s.after(s.cfg.BootDuration, func() {
		in.data["state"] = "terminated"
		in.data["terminated_at"] = stamp(s.clk.Now())
		in.data["public_ip_addresses"], in.data["private_ip_addresses"] = []any{}, []any{}
		if srv := s.objs[in.link("parent")]; srv != nil && srv.link("current_instance") == in.href {
			srv.setLink("current_instance", "")
			srv.data["state"] = "inactive"
		}
	})
}

// newTask starts a task under an instance: its summary goes from
// "queued" through "RightScript: '<name>'" to "completed: <name>" (or
// "failed: <name>") over TaskDuration.
func (s *Server) newTask(in *object, name string) *object {
	href := in.href + "/live/tasks/ae-" + strconv.Itoa(s.id()*1000+s.rand.IntN(1000))
	t := &object{typ: "task", href: href, data: map[string]any{"summary": "queued"}, links: []link{{"self", href}}, actions: fixed()}
	t.extra = map[string]map[string]any{"extended": {"detail": ""}}
	fail := s.failNext > 0
	if fail {
		s.failNext--
	}
	s.after(s.cfg.TaskDuration/3, func() {
		t.data["summary"] = "RightScript: '" + name + "'"
		t.extra["extended"]["detail"] = "running " + name + " on " + in.str("name")
	})
	s.after(s.cfg.TaskDuration, func() {
		if fail {
			t.data["summary"] = "failed: " + name
			t.extra["extended"]["detail"] = name + " exited with status 1"
			return
		}
		t.data["summary"] = "completed: " + name
		t.extra["extended"]["detail"] = name + " exited with status 0"
	})
	return s.put(t)
}

// action answers the actions that are not index, show, create, update or
// destroy.
func (s *Server) action(c *call, m *match) {
	name := m.act.Name
	switch m.res.Name + "." + name {
	case "Tags.by_tag":
		s.byTag(c)
		return
	case "Tags.by_resource":
		s.byResource(c)
		return
	case "Tags.multi_add", "Tags.multi_delete":
		s.multiTag(c, name == "multi_add")
		return
	case "Sessions.accounts":
		var out []map[string]any
		for _, o := range s.order {
			if o.typ == "account" {
				out = append(out, s.view(c, o))
			}
		}
		c.json(http.StatusOK, "account", true, out)
		return
	case "Instances.multi_terminate", "Instances.multi_run_executable":
		s.multi(c, m)
		return
	}
	o := s.target(c, m)
	if o == nil {
		return
	}
	switch name {
	case "run_executable":
		s.runExecutable(c, o)
	case "terminate":
		in := o
		if o.typ == "server" {
			if in = s.objs[o.link("current_instance")]; in == nil {
				c.text(422, "InvalidState: the server is not running")
				return
			}
		}
		s.terminate(in)
		c.noContent()
	case "reboot":
		in := o
		if o.typ == "server" {
			in = s.objs[o.link("current_instance")]
		}
		if in == nil || in.str("state") != "operational" {
			c.text(422, "InvalidState: only an operational instance can be rebooted")
			return
		}
		c.noContent()
	case "launch":
		s.launch(c, o)
	case "lock", "unlock":
		o.data["locked"] = name == "lock"
		c.noContent()
	case "start", "stop":
		want := map[string]string{"start": "stopped", "stop": "operational"}[name]
		if o.str("state") != want {
			c.text(422, "InvalidState: the instance is "+o.str("state"))
			return
		}
		if name == "stop" {
			o.data["state"] = "stopped"
		} else {
			o.data["state"] = "pending"
			s.boot(o)
		}
		c.noContent()
	case "clone", "commit":
		cp := &object{typ: o.typ, coll: o.coll, data: maps.Clone(o.data), actions: o.actions, extra: o.extra}
		id := strconv.Itoa(s.id())
		cp.href = o.href[:strings.LastIndexByte(o.href, '/')+1] + id
		for _, l := range o.links {
			cp.links = append(cp.links, link{l.rel, strings.ReplaceAll(l.href, o.href, cp.href)})
		}
		cp.setLink("current_instance", "")
		if n := cp.str("name"); n != "" && name == "clone" {
			cp.data["name"] = n + " v2"
		}
		if o.typ == "server" {
			cp.data["state"] = "inactive"
		}
		if _, ok := cp.data["id"]; ok {
			cp.data["id"] = id
		}
		s.put(cp)
		c.created(cp.href)
	default:
		switch m.act.Status {
		case http.StatusOK:
			c.json(http.StatusOK, o.typ, false, s.view(c, o))
		case http.StatusCreated:
			c.created(o.href)
		case http.StatusAccepted:
			c.accepted(o.href)
		default:
			c.noContent()
		}
	}
}

// runExecutable queues a RightScript (right_script_href) or a recipe
// (recipe_name) with inputs, in the 2.0 form (inputs[NAME]=text:value)
// or the 1.0 form (inputs[][name], inputs[][value]).
func (s *Server) runExecutable(c *call, in *object) {
	if st := in.str("state"); st != "operational" && st != "booting" {
		c.text(422, "InvalidState: cannot run an executable on an instance that is "+st)
		return
	}
	name := c.p.str("recipe_name")
	if h := c.p.str("right_script_href"); h != "" {
		rs := s.objs[h]
		if rs == nil || rs.typ != "right_script" {
			c.text(422, "ResourceNotFound: Couldn't find RightScript with href="+h+" ")
			return
		}
		name = rs.str("name")
	}
	if name == "" {
		c.text(422, "InvalidParameter: right_script_href or recipe_name is required")
		return
	}
	if err := checkInputs(c.p["inputs"]); err != nil {
		c.text(422, "InvalidParameter: "+err.Error())
		return
	}
	t := s.newTask(in, name)
	c.accepted(t.href)
}

// checkInputs accepts {"NAME":"text:v"} and [{"name":..,"value":..}].
func checkInputs(v any) error {
	valid := func(val string) bool {
		for _, p := range []string{"text:", "cred:", "env:", "ignore:", "array:"} {
			if strings.HasPrefix(val, p) {
				return true
			}
		}
		return false
	}
	switch x := v.(type) {
	case nil:
		return nil
	case map[string]any:
		for k, val := range x {
			if sv, _ := val.(string); !valid(sv) {
				return fmt.Errorf("input %s: the value must be text:, cred:, env: or ignore:", k)
			}
		}
	case []any:
		for _, e := range x {
			m, _ := e.(map[string]any)
			if str(m["name"]) == "" || !valid(str(m["value"])) {
				return fmt.Errorf("inputs[][name] and inputs[][value] (text:..., cred:...) are required")
			}
		}
	default:
		return fmt.Errorf("inputs must be a hash or a list")
	}
	return nil
}

func (s *Server) launch(c *call, o *object) {
	srv := o
	if o.typ == "instance" {
		srv = s.objs[o.link("parent")]
	}
	if srv == nil || srv.typ != "server" {
		c.text(422, "InvalidState: only a server or its next instance can be launched here")
		return
	}
	if srv.link("current_instance") != "" {
		c.text(422, "InvalidState: the server is already running")
		return
	}
	cloud := "/api/clouds/1"
	if next := s.objs[srv.link("next_instance")]; next != nil {
		cloud = next.link("cloud")
	}
	in := s.newInstance(cloud, srv.str("name"), "", "", "pending", c.now)
	in.setLink("parent", srv.href)
	in.setLink("deployment", srv.link("deployment"))
	s.put(in)
	srv.setLink("current_instance", in.href)
	srv.data["state"] = "pending"
	s.boot(in)
	c.created(in.href)
}

// multi runs multi_terminate or multi_run_executable on the instances of
// a cloud that the filters select; the answer is a task.
func (s *Server) multi(c *call, m *match) {
	filters, err := parseFilters(c.p.list("filter"), instanceFilters())
	if err != nil {
		c.text(422, "InvalidParameter: "+err.Error())
		return
	}
	cloud := c.path[:strings.LastIndexByte(c.path, '/')]
	var picked []*object
	for _, o := range s.order {
		if o.typ == "instance" && o.coll == cloud && o.str("state") == "operational" && s.matches(o, filters) {
			picked = append(picked, o)
		}
	}
	if len(picked) == 0 {
		c.text(422, "InvalidParameter: no operational instance matches the filters")
		return
	}
	name := "terminate"
	if m.act.Name == "multi_run_executable" {
		name = c.p.str("recipe_name")
		if rs := s.objs[c.p.str("right_script_href")]; rs != nil {
			name = rs.str("name")
		}
		if name == "" {
			c.text(422, "InvalidParameter: right_script_href or recipe_name is required")
			return
		}
	} else {
		for _, o := range picked {
			s.terminate(o)
		}
	}
	t := s.newTask(picked[0], name)
	c.accepted(t.href)
}

func instanceFilters() []wireFilter {
	for _, r := range apiResources() {
		if r.Name == "Instances" {
			if a, ok := r.Action("index"); ok {
				return a.Filters
			}
		}
	}
	return nil
}

// tagMatch says whether a tag matches a query tag, which may be a
// wildcard ("server:db=*", "server:*").
func tagMatch(tag, q string) bool {
	if p, ok := strings.CutSuffix(q, "*"); ok {
		return strings.HasPrefix(tag, p)
	}
	return tag == q
}

func (s *Server) byTag(c *call) {
	rt := c.p.str("resource_type")
	typ := strings.TrimSuffix(rt, "s")
	want := c.p.list("tags")
	all := c.p.str("match_all") == "true"
	prefix := c.p.str("include_tags_with_prefix")
	var hits []*object
	for _, o := range s.order {
		if o.typ != typ || len(o.tags) == 0 {
			continue
		}
		n := 0
		for _, q := range want {
			if slices.ContainsFunc(o.tags, func(t string) bool { return tagMatch(t, q) }) {
				n++
			}
		}
		if (all && n == len(want)) || (!all && n > 0) {
			hits = append(hits, o)
		}
	}
	out := []map[string]any{}
	if len(hits) > 0 && prefix == "" {
		var links []map[string]string
		for _, o := range hits {
			links = append(links, map[string]string{"rel": "resource", "href": o.href})
		}
		out = append(out, map[string]any{"tags": []any{}, "links": links, "actions": []any{}})
	}
	if prefix != "" {
		for _, o := range hits {
			out = append(out, tagEntry(o, prefix))
		}
	}
	c.json(http.StatusOK, "resource_tag", true, out)
}

func tagEntry(o *object, prefix string) map[string]any {
	tags := []map[string]string{}
	for _, t := range o.tags {
		if strings.HasPrefix(t, prefix) {
			tags = append(tags, map[string]string{"name": t})
		}
	}
	return map[string]any{"tags": tags, "links": []map[string]string{{"rel": "resource", "href": o.href}}, "actions": []any{}}
}

func (s *Server) byResource(c *call) {
	out := []map[string]any{}
	for _, h := range c.p.list("resource_hrefs") {
		o := s.objs[h]
		if o == nil {
			c.text(422, "ResourceNotFound: Couldn't find a resource with href="+h+" ")
			return
		}
		out = append(out, tagEntry(o, ""))
	}
	c.json(http.StatusOK, "resource_tag", true, out)
}

func (s *Server) multiTag(c *call, add bool) {
	hrefs, tags := c.p.list("resource_hrefs"), c.p.list("tags")
	if len(hrefs) == 0 || len(tags) == 0 {
		c.text(422, "InvalidParameter: resource_hrefs[] and tags[] are required")
		return
	}
	var objs []*object
	for _, h := range hrefs {
		o := s.objs[h]
		if o == nil {
			c.text(422, "ResourceNotFound: Couldn't find a resource with href="+h+" ")
			return
		}
		objs = append(objs, o)
	}
	for _, o := range objs {
		for _, t := range tags {
			i := slices.Index(o.tags, t)
			switch {
			case add && i < 0:
				o.tags = append(o.tags, t)
			case !add && i >= 0:
				o.tags = slices.Delete(o.tags, i, i+1)
			}
		}
	}
	c.noContent()
}

type wireFilter = wire.Filter

func apiResources() []wire.Resource { return wire.API }
