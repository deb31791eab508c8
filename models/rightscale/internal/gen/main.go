// Command gen writes the code that the RightScale API's metadata
// determines: the route table of transport/rightscale (every resource,
// action, route, parameter, filter, view and status code) and the typed
// handles of models/rightscale (kinds, getters, link handles, actions).
//
// Run it with go generate in models/rightscale. It reads
// internal/gen/testdata/api_data.json (the metadata of API 1.5, as the
// API's own Go client ships it) and rewrites the two generated files; a
// test regenerates them in memory and fails when the committed ones are
// stale.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The generated files, relative to the module root.
const (
	tableFile = "transport/rightscale/api_gen.go"
	modelFile = "models/rightscale/zz_generated.go"
	metaFile  = "models/rightscale/internal/gen/testdata/api_data.json"
)

func main() {
	root := flag.String("root", "", "module root (default: found from the working directory)")
	flag.Parse()
	if *root == "" {
		r, err := findRoot()
		if err != nil {
			fail(err)
		}
		*root = r
	}
	meta, err := os.ReadFile(filepath.Join(*root, metaFile))
	if err != nil {
		fail(err)
	}
	files, err := generate(meta)
	if err != nil {
		fail(err)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(*root, name), src, 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// The metadata, as far as it is read.
type metaResource struct {
	Description string                 `json:"description"`
	MediaType   *metaMedia             `json:"media_type"`
	Methods     map[string]*metaMethod `json:"methods"`
}

type metaMedia struct {
	Attributes   map[string]string `json:"attributes"`
	Links        map[string]string `json:"links"`
	ContentTypes []string          `json:"content_types"`
}

type metaMethod struct {
	Routes      []string                   `json:"routes"`
	StatusCode  string                     `json:"status_code"`
	ContentType string                     `json:"content_type"`
	Parameters  map[string]*metaParam      `json:"parameters"`
	Filters     map[string]json.RawMessage `json:"filters"`
	Headers     map[string]string          `json:"http_headers"`
	Example     json.RawMessage            `json:"example_resource"`
}

type metaParam struct {
	Class       string   `json:"class"`
	Mandatory   bool     `json:"mandatory"`
	NonBlank    bool     `json:"non_blank"`
	ValidValues []string `json:"valid_values"`
}

// The model the two files are written from.
type resource struct {
	name       string
	typ        string
	attrs      []string
	attrDoc    map[string]string
	attrType   map[string]string // Go getter type by attribute
	links      []string
	example    string
	actions    []action
	plural     string // snake_case collection name
	itemPath   string // "/api/clouds/{id}" for kinds shown at the top level
	listPath   string // "/api/clouds" for kinds listed at the top level
	showNorm   []string
	indexNorm  []string
	collection bool // its index answers a list
}

type action struct {
	name        string
	routes      [][2]string
	status      int
	contentType string
	location    bool
	params      []param
	filters     []filter
	views       []string
}

type param struct {
	name, class         string
	mandatory, nonBlank bool
	values              []string
}

type filter struct {
	name    string
	partial bool
}

var routeRE = regexp.MustCompile(`^\s*([A-Z]+)\s+(\S+)`)

func generate(meta []byte) (map[string][]byte, error) {
	var raw map[string]*metaResource
	if err := json.Unmarshal(meta, &raw); err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	var rs []*resource
	for _, n := range names {
		r, err := build(n, raw[n])
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	table, err := writeTable(rs)
	if err != nil {
		return nil, err
	}
	model, err := writeModel(rs)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{tableFile: table, modelFile: model}, nil
}

func build(name string, m *metaResource) (*resource, error) {
	r := &resource{name: name, plural: snake(name), attrDoc: map[string]string{}, attrType: map[string]string{}}
	if m.MediaType != nil {
		for a, doc := range m.MediaType.Attributes {
			r.attrs = append(r.attrs, a)
			r.attrDoc[a] = strings.TrimSpace(doc)
		}
		sort.Strings(r.attrs)
		for l := range m.MediaType.Links {
			r.links = append(r.links, l)
		}
		sort.Strings(r.links)
		if len(m.MediaType.ContentTypes) > 0 {
			r.typ = strings.TrimPrefix(m.MediaType.ContentTypes[0], "application/vnd.rightscale.")
		}
	}
	mnames := make([]string, 0, len(m.Methods))
	for n := range m.Methods {
		mnames = append(mnames, n)
	}
	sort.Strings(mnames)
	examples := map[string][]json.RawMessage{}
	for _, mn := range mnames {
		mm := m.Methods[mn]
		a := action{name: mn, contentType: mm.ContentType}
		if s, _, ok := strings.Cut(mm.StatusCode, " "); ok {
			a.status, _ = strconv.Atoi(s)
		}
		_, a.location = mm.Headers["Location"]
		a.location = a.location || a.status == 201 || a.status == 202
		seen := map[string]bool{}
		for _, rt := range mm.Routes {
			g := routeRE.FindStringSubmatch(rt)
			if g == nil {
				return nil, fmt.Errorf("%s.%s: unreadable route %q", name, mn, rt)
			}
			p := strings.TrimSuffix(g[2], "(.:format)?")
			if p != "/" {
				p = strings.TrimSuffix(p, "/")
			}
			key := g[1] + " " + p
			if seen[key] {
				continue
			}
			seen[key] = true
			a.routes = append(a.routes, [2]string{g[1], p})
		}
		if len(a.routes) == 0 {
			continue // documented without a route: nothing reaches it
		}
		pnames := make([]string, 0, len(mm.Parameters))
		for pn := range mm.Parameters {
			pnames = append(pnames, pn)
		}
		sort.Strings(pnames)
		for _, pn := range pnames {
			pp := mm.Parameters[pn]
			a.params = append(a.params, param{pn, pp.Class, pp.Mandatory, pp.NonBlank, pp.ValidValues})
			if pn == "view" {
				a.views = pp.ValidValues
			}
		}
		fnames := make([]string, 0, len(mm.Filters))
		for fn := range mm.Filters {
			fnames = append(fnames, fn)
		}
		sort.Strings(fnames)
		for _, fn := range fnames {
			var fm struct {
				Partial bool `json:"partial_match"`
			}
			_ = json.Unmarshal(mm.Filters[fn], &fm)
			a.filters = append(a.filters, filter{fn, fm.Partial})
		}
		if len(mm.Example) > 0 && string(mm.Example) != "null" {
			examples[mn] = append(examples[mn], mm.Example)
		}
		r.actions = append(r.actions, a)
		for _, rt := range a.routes {
			switch mn {
			case "show":
				r.showNorm = append(r.showNorm, norm(rt[1]))
				if r.itemPath == "" && rt[1] == "/api/"+r.plural+"/:id" {
					r.itemPath = "/api/" + r.plural + "/{id}"
				}
			case "index":
				r.indexNorm = append(r.indexNorm, norm(rt[1]))
				r.collection = strings.HasSuffix(a.contentType, ";type=collection")
				if r.collection && r.listPath == "" && !strings.Contains(rt[1], ":") {
					r.listPath = rt[1]
				}
				if !r.collection && r.itemPath == "" && !strings.Contains(rt[1], ":") {
					r.itemPath = rt[1] // a singleton: the session
				}
			}
		}
	}
	for _, mn := range []string{"show", "index"} {
		for _, ex := range examples[mn] {
			if r.example == "" {
				var b bytes.Buffer
				if err := json.Compact(&b, ex); err == nil {
					r.example = b.String()
				}
			}
		}
	}
	var all []json.RawMessage
	for _, mn := range mnames {
		all = append(all, examples[mn]...)
	}
	for _, a := range r.attrs {
		r.attrType[a] = inferType(a, all)
	}
	return r, nil
}

// norm replaces the names of a route's :name segments by ":".
func norm(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = ":"
		}
	}
	return strings.Join(segs, "/")
}

var timeRE = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d [+-]\d{4}$`)

// inferType chooses a getter's type from the example answers: "string",
// "time", "bool", "int", "float", "strings" or "raw".
func inferType(attr string, examples []json.RawMessage) string {
	for _, ex := range examples {
		var obj map[string]any
		if json.Unmarshal(ex, &obj) != nil {
			continue
		}
		v, ok := obj[attr]
		if !ok || v == nil {
			continue
		}
		switch x := v.(type) {
		case string:
			if timeRE.MatchString(x) {
				return "time"
			}
			return "string"
		case bool:
			return "bool"
		case float64:
			if x == float64(int64(x)) {
				return "int"
			}
			return "float"
		case []any:
			if len(x) == 0 {
				continue
			}
			if _, ok := x[0].(string); ok {
				return "strings"
			}
			return "raw"
		default:
			return "raw"
		}
	}
	switch {
	case strings.HasSuffix(attr, "_at"):
		return "time"
	case strings.HasSuffix(attr, "_addresses"), strings.HasSuffix(attr, "_names"):
		return "strings"
	case strings.HasSuffix(attr, "_enabled"), attr == "optimized", attr == "locked", attr == "rs_provisioned":
		return "bool"
	case strings.HasSuffix(attr, "s"):
		return "raw"
	}
	return "string"
}

// snake turns "IpAddressBindings" into "ip_address_bindings".
func snake(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

var initialisms = map[string]string{
	"id": "ID", "ip": "IP", "uid": "UID", "url": "URL", "dns": "DNS", "ssh": "SSH", "http": "HTTP",
	"udp": "UDP", "os": "OS", "api": "API", "cpu": "CPU", "uri": "URI", "ebs": "EBS", "vpc": "VPC",
}

// camel turns "ip_address_bindings" into "IPAddressBindings".
func camel(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' || r == ' ' || r == '.' }) {
		if up, ok := initialisms[w]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func writeTable(rs []*resource) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by models/rightscale/internal/gen from the API's metadata; DO NOT EDIT.\n\n")
	b.WriteString("package rightscale\n\n")
	b.WriteString("// API is every resource of the Cloud Management API 1.5, as its metadata\n// describes it, sorted by name.\n")
	b.WriteString("var API = []Resource{\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "{Name: %q, Type: %q,\n", r.name, r.typ)
		if len(r.attrs) > 0 {
			fmt.Fprintf(&b, "Attributes: %s,\n", strs(r.attrs))
		}
		if len(r.links) > 0 {
			fmt.Fprintf(&b, "Links: %s,\n", strs(r.links))
		}
		if r.example != "" {
			fmt.Fprintf(&b, "Example: %s,\n", strconv.Quote(r.example))
		}
		b.WriteString("Actions: []Action{\n")
		for _, a := range r.actions {
			fmt.Fprintf(&b, "{Name: %q, Status: %d", a.name, a.status)
			if a.contentType != "" {
				fmt.Fprintf(&b, ", ContentType: %q", a.contentType)
			}
			if a.location {
				b.WriteString(", Location: true")
			}
			b.WriteString(",\nRoutes: []Route{")
			for _, rt := range a.routes {
				fmt.Fprintf(&b, "{%q, %q}, ", rt[0], rt[1])
			}
			b.WriteString("},\n")
			if len(a.params) > 0 {
				b.WriteString("Params: []Param{\n")
				for _, p := range a.params {
					fmt.Fprintf(&b, "{Name: %q, Class: %q", p.name, p.class)
					if p.mandatory {
						b.WriteString(", Mandatory: true")
					}
					if p.nonBlank {
						b.WriteString(", NonBlank: true")
					}
					if len(p.values) > 0 {
						fmt.Fprintf(&b, ", Values: %s", strs(p.values))
					}
					b.WriteString("},\n")
				}
				b.WriteString("},\n")
			}
			if len(a.filters) > 0 {
				b.WriteString("Filters: []Filter{")
				for _, f := range a.filters {
					fmt.Fprintf(&b, "{%q, %v}, ", f.name, f.partial)
				}
				b.WriteString("},\n")
			}
			if len(a.views) > 0 {
				fmt.Fprintf(&b, "Views: %s,\n", strs(a.views))
			}
			b.WriteString("},\n")
		}
		b.WriteString("},\n},\n")
	}
	b.WriteString("}\n")
	return gofmt(tableFile, b.Bytes())
}

func strs(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}

func gofmt(name string, src []byte) ([]byte, error) {
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// reserved are the method names of the handles' common part and of
// *stratus.Resource; a generated method never takes one of them.
var reserved = map[string]bool{
	"Handle": true, "Client": true, "Kind": true, "ID": true, "IntID": true, "Path": true, "Loaded": true,
	"Partial": true, "LoadedAt": true, "LastError": true, "SetError": true, "Load": true, "Reload": true,
	"Exists": true, "Forget": true, "Fill": true, "Get": true, "Peek": true, "JSON": true, "GetString": true,
	"GetInt": true, "GetFloat": true, "GetBool": true, "GetTime": true, "GetStrings": true, "GetInts": true,
	"Pprint": true, "String": true, "Href": true, "Links": true, "Link": true, "Actions": true, "Can": true,
	"Resource": true, "Do": true, "Update": true, "Destroy": true,
}

// linkKinds maps link rels that do not spell a kind to the kind they lead to.
var linkKinds = map[string]string{
	"current_instance": "instance", "next_instance": "instance", "current_instances": "instances",
	"owner": "user", "lock_user": "user", "default_multi_cloud_image": "multi_cloud_image",
}

type memberAction struct {
	name   string
	method string
	status int
	ctype  string
}

func writeModel(rs []*resource) ([]byte, error) {
	byType := map[string]*resource{}
	byPlural := map[string]*resource{}
	var kinds []*resource
	for _, r := range rs {
		if r.typ == "" || len(r.actions) == 0 {
			continue
		}
		byType[r.typ] = r
		if r.collection {
			byPlural[r.plural] = r
		}
		kinds = append(kinds, r)
	}
	// Member and collection actions found on every resource's routes: a
	// route whose path, less its last segment, is a kind's show route
	// acts on one object; one whose path, less its last segment, is a
	// kind's index route acts on a list.
	members := map[string][]memberAction{}
	lists := map[string][]memberAction{}
	for _, r := range rs {
		for _, a := range r.actions {
			if a.name == "show" || a.name == "index" || a.name == "update" || a.name == "destroy" || a.name == "create" {
				continue
			}
			for _, rt := range a.routes {
				i := strings.LastIndexByte(rt[1], '/')
				if i <= 0 || rt[1][i+1:] != a.name {
					continue
				}
				prefix := norm(rt[1][:i])
				for _, k := range kinds {
					if contains(k.showNorm, prefix) {
						members[k.typ] = addAction(members[k.typ], memberAction{a.name, rt[0], a.status, a.contentType})
					}
					if k.collection && contains(k.indexNorm, prefix) {
						lists[k.typ] = addAction(lists[k.typ], memberAction{a.name, rt[0], a.status, a.contentType})
					}
				}
			}
		}
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by models/rightscale/internal/gen from the API's metadata; DO NOT EDIT.\n\n")
	b.WriteString("package rightscale\n\n")
	b.WriteString("import (\n\"context\"\n\"time\"\n\n\"github.com/stratus-cloud/stratus\"\n\"github.com/tidwall/gjson\"\n)\n\n")
	b.WriteString("var (\n_ = time.Time{}\n_ = gjson.Result{}\n_ context.Context\n)\n\n")
	// Kinds.
	for _, k := range kinds {
		fmt.Fprintf(&b, "// %s is the %s kind (%s).\n", "kind"+camel(k.typ), k.typ, k.name)
		fmt.Fprintf(&b, "var %s = &stratus.Kind{Name: %q, Plural: %q, Scope: scopeOf(%q), ItemPath: %q, ListPath: %q, HrefField: hrefPath, TTL: ttlOf(%q),\nFields: []stratus.Field{\n",
			"kind"+camel(k.typ), k.typ, k.plural, k.typ, k.itemPath, k.listPath, k.typ)
		for _, a := range k.attrs {
			if a == "links" || a == "actions" {
				continue
			}
			fmt.Fprintf(&b, "{Name: %q, Type: %q, Doc: %q},\n", a, fieldType(k.attrType[a]), oneLine(k.attrDoc[a]))
		}
		b.WriteString("},\nFilters: []stratus.FilterKey{\n")
		for _, a := range k.actions {
			if a.name != "index" {
				continue
			}
			for _, p := range a.params {
				switch {
				case p.name == "filter":
					var fs []string
					for _, f := range a.filters {
						if f.partial {
							fs = append(fs, f.name+" (substring)")
						} else {
							fs = append(fs, f.name)
						}
					}
					fmt.Fprintf(&b, "{Name: \"filter[]\", Aliases: []string{\"filter\"}, Doc: %q},\n", "field==value or field<>value, repeated; fields: "+strings.Join(fs, ", "))
				case strings.Contains(p.name, "["):
				default:
					doc := p.class
					if len(p.values) > 0 {
						doc = strings.Join(p.values, ", ")
					}
					fmt.Fprintf(&b, "{Name: %q, Required: %v, Doc: %q},\n", p.name, p.mandatory, doc)
				}
			}
		}
		b.WriteString("}}\n\n")
	}
	b.WriteString("// generatedKinds is every kind of the metadata.\nvar generatedKinds = []*stratus.Kind{\n")
	for _, k := range kinds {
		fmt.Fprintf(&b, "%s,\n", "kind"+camel(k.typ))
	}
	b.WriteString("}\n\nfunc init() {\n")
	for _, k := range kinds {
		fmt.Fprintf(&b, "%s.New = func(r *stratus.Resource) stratus.Object { return wrap%s(r) }\n", "kind"+camel(k.typ), camel(k.typ))
	}
	b.WriteString("}\n\n")
	for _, k := range kinds {
		T := camel(k.typ)
		H := T + "Handle"
		kv := "kind" + T
		fmt.Fprintf(&b, "// %s is a lazy handle on a %s (%s).\ntype %s struct{ handle }\n\n", H, strings.ReplaceAll(k.typ, "_", " "), k.name, H)
		fmt.Fprintf(&b, "func wrap%s(r *stratus.Resource) *%s { return &%s{handle{r}} }\n\n", T, H, H)
		if k.itemPath != "" {
			fmt.Fprintf(&b, "// %s returns a handle on the %s at href, or with this id (%s). It sends nothing.\n", T, strings.ReplaceAll(k.typ, "_", " "), k.itemPath)
		} else {
			fmt.Fprintf(&b, "// %s returns a handle on the %s at href (it lives under another object). It sends nothing.\n", T, strings.ReplaceAll(k.typ, "_", " "))
		}
		fmt.Fprintf(&b, "func %s(c *stratus.Client, ref string) *%s { return wrap%s(newRef(c, %s, ref)) }\n\n", T, H, T, kv)
		{
			P := camel(k.plural)
			if k.collection && k.listPath != "" {
				fmt.Fprintf(&b, "// %s is the collection of %s at %s. It sends nothing until used.\n", P, strings.ReplaceAll(k.plural, "_", " "), k.listPath)
				fmt.Fprintf(&b, "func %s(c *stratus.Client) *List[*%s] { return newList(c, %s, %q, wrap%s) }\n\n", P, H, kv, k.listPath, T)
			}
			fmt.Fprintf(&b, "// %sAt is the collection of %s at href (a link of another object).\n", P, strings.ReplaceAll(k.plural, "_", " "))
			fmt.Fprintf(&b, "func %sAt(c *stratus.Client, href string) *List[*%s] { return newList(c, %s, href, wrap%s) }\n\n", P, H, kv, T)
		}
		used := map[string]bool{}
		// Links first: they are what the API answers with.
		for _, rel := range k.links {
			if rel == "self" {
				continue
			}
			name := camel(rel)
			if reserved[name] {
				name += "Link"
			}
			target := rel
			if t, ok := linkKinds[rel]; ok {
				target = t
			}
			if tk, ok := byType[target]; ok {
				used[name] = true
				fmt.Fprintf(&b, "// %s is the %s this %s links to (rel %q): an embedded object when the view carries one, else a lazy handle.\n", name, strings.ReplaceAll(tk.typ, "_", " "), strings.ReplaceAll(k.typ, "_", " "), rel)
				fmt.Fprintf(&b, "func (h *%s) %s() *%sHandle { return wrap%s(h.follow(%s, %q)) }\n\n", H, name, camel(tk.typ), camel(tk.typ), "kind"+camel(tk.typ), rel)
				continue
			}
			if tk, ok := byPlural[target]; ok {
				used[name] = true
				fmt.Fprintf(&b, "// %s is the collection of %s this %s links to (rel %q). It sends nothing until used.\n", name, strings.ReplaceAll(tk.plural, "_", " "), strings.ReplaceAll(k.typ, "_", " "), rel)
				fmt.Fprintf(&b, "func (h *%s) %s() *List[*%sHandle] { return newList(h.Client(), %s, h.Link(%q), wrap%s) }\n\n", H, name, camel(tk.typ), "kind"+camel(tk.typ), rel, camel(tk.typ))
			}
		}
		for _, a := range k.attrs {
			if a == "links" || a == "actions" {
				continue
			}
			name := camel(a)
			if reserved[name] || used[name] {
				name += "Field"
			}
			used[name] = true
			doc := oneLine(k.attrDoc[a])
			if doc == "" {
				doc = "the " + a + " attribute"
			}
			fmt.Fprintf(&b, "// %s reads %q: %s\n", name, a, doc)
			switch k.attrType[a] {
			case "string":
				fmt.Fprintf(&b, "func (h *%s) %s() string { return h.GetString(%q) }\n\n", H, name, a)
			case "time":
				fmt.Fprintf(&b, "func (h *%s) %s() time.Time { return ParseTime(h.Get(%q)) }\n\n", H, name, a)
			case "bool":
				fmt.Fprintf(&b, "func (h *%s) %s() bool { return h.GetBool(%q) }\n\n", H, name, a)
			case "int":
				fmt.Fprintf(&b, "func (h *%s) %s() int { return h.GetInt(%q) }\n\n", H, name, a)
			case "float":
				fmt.Fprintf(&b, "func (h *%s) %s() float64 { return h.GetFloat(%q) }\n\n", H, name, a)
			case "strings":
				fmt.Fprintf(&b, "func (h *%s) %s() []string { return h.GetStrings(%q) }\n\n", H, name, a)
			default:
				fmt.Fprintf(&b, "func (h *%s) %s() gjson.Result { return h.Get(%q) }\n\n", H, name, a)
			}
		}
		for _, ma := range members[k.typ] {
			name := camel(ma.name)
			if reserved[name] || used[name] {
				name += "Action"
			}
			used[name] = true
			fmt.Fprintf(&b, "// %s sends the %s action (%s <href>/%s; %d on success).\n", name, ma.name, ma.method, ma.name, ma.status)
			fmt.Fprintf(&b, "func (h *%s) %s(ctx context.Context, params Params) (*Result, error) { return h.act(ctx, %q, %q, params) }\n\n", H, name, ma.method, ma.name)
		}
		for _, ma := range lists[k.typ] {
			name := camel(k.plural) + camel(ma.name)
			fmt.Fprintf(&b, "// %s sends the %s action on a collection of %s (%s <collection href>/%s; %d on success).\n", name, ma.name, strings.ReplaceAll(k.plural, "_", " "), ma.method, ma.name, ma.status)
			fmt.Fprintf(&b, "func %s(ctx context.Context, c *stratus.Client, at string, params Params) (*Result, error) { return collectionAction(ctx, c, %q, at, %q, params) }\n\n", name, ma.method, ma.name)
		}
	}
	// Actions of resources that have no media type (tags): functions.
	for _, r := range rs {
		if r.typ != "" || r.name == "Oauth2" {
			continue
		}
		for _, a := range r.actions {
			for _, rt := range a.routes {
				if strings.Contains(rt[1], ":") {
					continue
				}
				name := camel(r.plural) + camel(a.name)
				fmt.Fprintf(&b, "// %s sends %s %s (%d on success).\n", name, rt[0], rt[1], a.status)
				fmt.Fprintf(&b, "func %s(ctx context.Context, c *stratus.Client, params Params) (*Result, error) { return send(ctx, c, %q, %q, params) }\n\n", name, rt[0], rt[1])
				break
			}
		}
	}
	return gofmt(modelFile, b.Bytes())
}

func addAction(list []memberAction, a memberAction) []memberAction {
	for _, x := range list {
		if x.name == a.name {
			return list
		}
	}
	return append(list, a)
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func fieldType(t string) string {
	switch t {
	case "strings":
		return "[]string"
	case "raw":
		return "object"
	}
	return t
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}
