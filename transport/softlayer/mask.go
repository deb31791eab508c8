package softlayer

import (
	"sort"
	"strings"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// Mask is a parsed object mask: a tree of property names. A name with no
// children asks for the property with its local properties. The zero
// value (and nil) is the empty mask, which asks for the default local
// properties. Masks are values: Add returns a new tree.
type Mask struct {
	kids map[string]*Mask
}

// Bounds of a mask text: its length and its nesting.
const (
	maxMaskLen   = 64 << 10
	maxMaskDepth = 32
)

// ParseMask reads a mask in any of the forms the API accepts:
//
//	mask[id,hostname,datacenter[id,name],operatingSystem.passwords]
//	mask.datacenter.name,mask.hostname           (dotted extended)
//	id,hostname,datacenter.name                  (bare list)
//	id;hostname;datacenter.name                  (legacy)
//	[mask[id], mask(SoftLayer_Hardware_Server)[activeTransaction]]
//	filteredMask[...]
//
// Commas and semicolons both separate; spaces are ignored; type casts
// (mask(Type)) are read and dropped. An error is a *transport.Error with
// ErrInvalid naming the offset.
func ParseMask(s string) (Mask, error) {
	var m Mask
	if len(s) > maxMaskLen {
		return m, maskErr("mask longer than 64 KiB", 0)
	}
	p := &maskParser{s: s}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '[' {
		p.i++
		if err := p.list(&m, ']', 1); err != nil {
			return Mask{}, err
		}
		p.i++
	} else if err := p.list(&m, 0, 0); err != nil {
		return Mask{}, err
	}
	p.space()
	if p.i != len(p.s) {
		return Mask{}, maskErr("unexpected "+quoteByte(p.s[p.i]), p.i)
	}
	return m, nil
}

// MustMask is ParseMask for masks written in code; it panics on error.
func MustMask(s string) Mask {
	m, err := ParseMask(s)
	if err != nil {
		panic(err)
	}
	return m
}

// MaskOf builds a mask from field paths ("id", "datacenter.name",
// "activeTransaction.transactionStatus.name"). Empty paths are skipped.
func MaskOf(paths ...string) Mask {
	var m Mask
	for _, p := range paths {
		m = m.Add(p)
	}
	return m
}

// MaskFromStruct reads the legacy struct form of XML-RPC masks:
// {"hostname":{},"datacenter":{"name":{}}} (empty arrays for leaves are
// read too).
func MaskFromStruct(v gjson.Result) Mask {
	var m Mask
	fromStruct(&m, v, 0)
	return m
}

func fromStruct(m *Mask, v gjson.Result, depth int) {
	if depth > maxMaskDepth || !v.IsObject() {
		return
	}
	v.ForEach(func(k, sub gjson.Result) bool {
		child := m.child(k.String())
		fromStruct(child, sub, depth+1)
		return true
	})
}

func maskErr(msg string, at int) error {
	return &transport.Error{Provider: Name, Op: "parse mask", Message: msg + " at offset " + itoa(at), Kind: transport.ErrInvalid}
}

func quoteByte(b byte) string { return "'" + string(rune(b)) + "'" }

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

type maskParser struct {
	s string
	i int
}

func (p *maskParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *maskParser) name() string {
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i]
}

// list reads items separated by , or ; until close (0: the end of text).
// It stops before close.
func (p *maskParser) list(m *Mask, close byte, depth int) error {
	if depth > maxMaskDepth {
		return maskErr("mask nested too deep", p.i)
	}
	for {
		p.space()
		if p.i >= len(p.s) {
			if close != 0 {
				return maskErr("missing "+quoteByte(close), p.i)
			}
			return nil
		}
		c := p.s[p.i]
		switch {
		case c == close:
			return nil
		case c == ',' || c == ';':
			p.i++
			continue
		}
		if err := p.item(m, depth); err != nil {
			return err
		}
	}
}

// item reads one path, with its optional [sub-mask], into m.
func (p *maskParser) item(m *Mask, depth int) error {
	p.space()
	start := p.i
	n := p.name()
	if n == "" {
		if p.i < len(p.s) {
			return maskErr("expected a property, got "+quoteByte(p.s[p.i]), p.i)
		}
		return maskErr("expected a property", p.i)
	}
	node := m
	if n == "mask" || n == "filteredMask" {
		p.space()
		if p.i < len(p.s) && p.s[p.i] == '(' {
			end := strings.IndexByte(p.s[p.i:], ')')
			if end < 0 {
				return maskErr("missing ')'", p.i)
			}
			p.i += end + 1
			p.space()
		}
		switch {
		case p.i < len(p.s) && p.s[p.i] == '[':
			p.i++
			if err := p.list(node, ']', depth+1); err != nil {
				return err
			}
			p.i++
			return nil
		case p.i < len(p.s) && p.s[p.i] == '.':
			p.i++
			p.space()
			if n = p.name(); n == "" {
				return maskErr("expected a property after 'mask.'", p.i)
			}
		case p.i >= len(p.s) || p.s[p.i] == ',' || p.s[p.i] == ';' || p.s[p.i] == ']':
			// A property that is really named "mask".
		default:
			return maskErr("unexpected "+quoteByte(p.s[p.i]), p.i)
		}
	}
	node = node.child(n)
	levels := 1
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '.' {
			break
		}
		p.i++
		p.space()
		n = p.name()
		if n == "" {
			return maskErr("expected a property after '.'", p.i)
		}
		if levels++; levels > maxMaskDepth {
			return maskErr("mask nested too deep", start)
		}
		node = node.child(n)
	}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '[' {
		p.i++
		if err := p.list(node, ']', depth+levels); err != nil {
			return err
		}
		p.i++
	}
	return nil
}

// child returns m's child named n, making it. It mutates m: only the
// parser and builders that own the tree call it.
func (m *Mask) child(n string) *Mask {
	if m.kids == nil {
		m.kids = map[string]*Mask{}
	}
	c := m.kids[n]
	if c == nil {
		c = &Mask{}
		m.kids[n] = c
	}
	return c
}

// clone copies the tree.
func (m Mask) clone() Mask {
	if m.kids == nil {
		return Mask{}
	}
	out := Mask{kids: make(map[string]*Mask, len(m.kids))}
	for k, v := range m.kids {
		c := v.clone()
		out.kids[k] = &c
	}
	return out
}

// Add returns the mask with a dotted path added ("datacenter.name").
// Segments that are not property names (gjson's "#") are skipped.
func (m Mask) Add(path string) Mask {
	out := m.clone()
	node := &out
	added := false
	for _, seg := range strings.Split(path, ".") {
		seg = strings.TrimSpace(seg)
		if seg == "" || !validName(seg) {
			continue
		}
		node = node.child(seg)
		added = true
	}
	if !added {
		return m
	}
	return out
}

// Merge returns the union of m and o.
func (m Mask) Merge(o Mask) Mask {
	out := m.clone()
	merge(&out, o)
	return out
}

func merge(dst *Mask, src Mask) {
	for k, v := range src.kids {
		merge(dst.child(k), *v)
	}
}

// Empty says whether the mask names nothing.
func (m Mask) Empty() bool { return len(m.kids) == 0 }

// Names returns the properties the mask names at its top level, sorted.
func (m Mask) Names() []string {
	out := make([]string, 0, len(m.kids))
	for k := range m.kids {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Sub returns the mask under a top-level property, and whether it is
// named.
func (m Mask) Sub(name string) (Mask, bool) {
	c, ok := m.kids[name]
	if !ok {
		return Mask{}, false
	}
	return *c, true
}

// Covers says whether the answer to this mask holds the field at path
// (a gjson path: "datacenter.name", "tagReferences.#.tag.name"): every
// segment is named, or a named leaf stands for all of what is below it.
// The empty mask covers nothing: it is not known what the defaults hold.
func (m Mask) Covers(path string) bool {
	if m.Empty() {
		return false
	}
	node := m
	for _, seg := range strings.Split(path, ".") {
		if seg == "#" || isID(seg) {
			continue
		}
		if node.Empty() {
			return true
		}
		c, ok := node.kids[seg]
		if !ok {
			return false
		}
		node = *c
	}
	return true
}

// String renders the extended form: mask[id,hostname,datacenter[id,name]],
// properties sorted. The empty mask is "".
func (m Mask) String() string {
	if m.Empty() {
		return ""
	}
	var b strings.Builder
	b.WriteString("mask")
	m.write(&b)
	return b.String()
}

func (m Mask) write(b *strings.Builder) {
	b.WriteByte('[')
	for i, k := range m.Names() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		if c := m.kids[k]; !c.Empty() {
			c.write(b)
		}
	}
	b.WriteByte(']')
}

// Legacy renders the semicolon form: id;hostname;datacenter.id;datacenter.name.
func (m Mask) Legacy() string {
	var out []string
	var walk func(prefix string, n Mask)
	walk = func(prefix string, n Mask) {
		for _, k := range n.Names() {
			c := n.kids[k]
			if c.Empty() {
				out = append(out, prefix+k)
				continue
			}
			walk(prefix+k+".", *c)
		}
	}
	walk("", m)
	return strings.Join(out, ";")
}
