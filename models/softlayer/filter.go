package softlayer

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Filter builds an object filter: a tree of property paths ending in
// operations. It is a value: every method returns a new filter. Paths are
// dotted ("datacenter.name"); a list's filter is rooted at the method's
// property by the list (virtualGuests.datacenter.name), a raw call's
// filter is sent as built.
type Filter struct {
	leaves []leaf
}

type leaf struct {
	path []string
	op   any // string or number
	opts []option
}

type option struct {
	Name  string `json:"name"`
	Value []any  `json:"value"`
}

// Where adds a condition in the API's operation syntax: "> 8", "<= 4096",
// "^= web", "$= .com", "*= test", "!= x", "_= X", "~ x", "is null",
// "not null", or a plain value for equality.
func (f Filter) Where(path, operation string) Filter {
	return f.with(path, strings.TrimSpace(operation), nil)
}

// Eq adds an equality with a value sent as it is (a number stays a
// number).
func (f Filter) Eq(path string, v any) Filter { return f.with(path, v, nil) }

// Query adds a condition written as softlayer-python's query_filter
// reads it: an operator prefix is kept (">8" becomes "> 8"), "*x*"
// contains, "*x" ends with, "x*" begins with, anything else a
// case-insensitive equality.
func (f Filter) Query(path, q string) Filter { return f.with(path, QueryOp(q), nil) }

// In adds a membership test.
func (f Filter) In(path string, values ...any) Filter {
	return f.with(path, "in", []option{{Name: "data", Value: values}})
}

// OrderBy sorts by the property, ascending or descending.
func (f Filter) OrderBy(path string, desc bool) Filter {
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	return f.with(path, "orderBy", []option{{Name: "sort", Value: []any{dir}}})
}

// Empty says whether the filter has no condition.
func (f Filter) Empty() bool { return len(f.leaves) == 0 }

// HasOrder says whether the filter sorts.
func (f Filter) HasOrder() bool {
	for _, l := range f.leaves {
		if l.op == "orderBy" {
			return true
		}
	}
	return false
}

// And returns the conditions of f and g together.
func (f Filter) And(g Filter) Filter {
	out := Filter{leaves: append(append([]leaf(nil), f.leaves...), g.leaves...)}
	return out
}

func (f Filter) with(path string, op any, opts []option) Filter {
	var segs []string
	for _, s := range strings.Split(path, ".") {
		if s = strings.TrimSpace(s); s != "" {
			segs = append(segs, s)
		}
	}
	if len(segs) == 0 {
		return f
	}
	out := Filter{leaves: make([]leaf, 0, len(f.leaves)+1)}
	for _, l := range f.leaves {
		if strings.Join(l.path, ".") != strings.Join(segs, ".") || (l.op == "orderBy") != (op == "orderBy") {
			out.leaves = append(out.leaves, l)
		}
	}
	out.leaves = append(out.leaves, leaf{path: segs, op: op, opts: opts})
	return out
}

// QueryOp turns a query_filter string into an operation.
func QueryOp(q string) string {
	q = strings.TrimSpace(q)
	for _, op := range []string{"<=", ">=", "!~", "*=", "^=", "$=", "_=", "<", ">", "~"} {
		if rest, ok := strings.CutPrefix(q, op); ok {
			return op + " " + strings.TrimSpace(rest)
		}
	}
	switch {
	case len(q) > 1 && strings.HasPrefix(q, "*") && strings.HasSuffix(q, "*"):
		return "*= " + q[1:len(q)-1]
	case strings.HasPrefix(q, "*"):
		return "$= " + q[1:]
	case strings.HasSuffix(q, "*"):
		return "^= " + q[:len(q)-1]
	}
	if _, err := strconv.Atoi(q); err == nil {
		return q
	}
	return "_= " + q
}

// JSON renders the filter as built, paths in the order they were added.
func (f Filter) JSON() string { return f.Rooted("") }

// Rooted renders the filter under a root property ("virtualGuests").
func (f Filter) Rooted(root string) string {
	if f.Empty() {
		return ""
	}
	n := &fnode{}
	for _, l := range f.leaves {
		p := l.path
		if root != "" {
			p = append([]string{root}, p...)
		}
		n.put(p, l)
	}
	var b strings.Builder
	n.write(&b)
	return b.String()
}

type fnode struct {
	keys []string
	kids map[string]*fnode
	leaf *leaf
}

func (n *fnode) put(path []string, l leaf) {
	if len(path) == 0 {
		n.leaf = &l
		return
	}
	if n.kids == nil {
		n.kids = map[string]*fnode{}
	}
	c := n.kids[path[0]]
	if c == nil {
		c = &fnode{}
		n.kids[path[0]] = c
		n.keys = append(n.keys, path[0])
	}
	c.put(path[1:], l)
}

func (n *fnode) write(b *strings.Builder) {
	b.WriteByte('{')
	first := true
	if n.leaf != nil {
		op := marshal(n.leaf.op)
		b.WriteString(`"operation":`)
		b.Write(op)
		if len(n.leaf.opts) > 0 {
			o := marshal(n.leaf.opts)
			b.WriteString(`,"options":`)
			b.Write(o)
		}
		first = false
	}
	for _, k := range n.keys {
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb := marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		n.kids[k].write(b)
	}
	b.WriteByte('}')
}

// marshal encodes without HTML escaping: "> 8" stays readable.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // strings, numbers and options only
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'})
}
