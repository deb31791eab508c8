package transport

import (
	"strconv"
	"strings"
	"unsafe"

	"github.com/tidwall/gjson"
)

// Span is the byte range [Start, End) of one value in an answer.
type Span struct{ Start, End int }

// PageScan is what one pass over a list answer found: where the list is,
// where each of its elements is, and the answer's other top-level members
// (links, meta). Every value it gives is a sub-slice of the answer's
// bytes; nothing is copied but the small object of the other members.
type PageScan struct {
	body string
	// List is the list: the member named by the key, or the whole answer
	// when the key is "". It does not exist when the answer lacks it.
	List gjson.Result
	// Items are the byte ranges of the list's elements, in order, when
	// List is an array and Plain is false.
	Items []Span
	// Rest is an object of the answer's other top-level members when the
	// list is one of them; the whole answer when Plain; empty when the key
	// is "".
	Rest gjson.Result
	// Plain says that the list was found the plain way (gjson's Get with
	// the key as a path: a key with path characters, or an answer that is
	// not an object): Items is then empty and List is to be iterated.
	Plain bool
}

// Body returns the answer the scan was made of.
func (p *PageScan) Body() string { return p.body }

// Item returns element i of the list, as gjson's ForEach over the list
// gives it.
func (p *PageScan) Item(i int) gjson.Result {
	sp := p.Items[i]
	raw := p.body[sp.Start:sp.End]
	if c := raw[0]; c == '{' || c == '[' {
		return gjson.Result{Type: gjson.JSON, Raw: raw, Index: sp.Start}
	}
	r := gjson.Parse(raw)
	r.Index = sp.Start
	return r
}

// ScanPage checks in one pass that body is JSON nested no deeper than
// MaxDepth (what ValidJSON says) and, in the same pass, finds the list at
// key: the top-level member of that name (the first, if several), or the
// whole answer when key is "". items is reused for the element ranges.
// An empty body is accepted and holds no list, as an empty answer (204)
// is. A body that is not valid gives an ErrMalformed *Error saying why;
// no input makes ScanPage panic, and it does not recurse.
func ScanPage(body []byte, key string, items []Span) (PageScan, error) {
	s := unsafe.String(unsafe.SliceData(body), len(body))
	ps := PageScan{body: s, Items: items[:0]}
	if len(body) == 0 {
		return ps, nil
	}
	mode := scanObject
	switch {
	case key == "":
		mode = scanArray
	case strings.ContainsAny(key, ".*?|#@\\"):
		mode = scanNone
	}
	sc := pageScanner{b: body, key: key, mode: mode, items: ps.Items}
	if code := sc.run(); code != scanOK {
		// The depth is named first, whatever else is wrong, as ValidJSON
		// checks it first.
		msg := "answer is not valid JSON"
		if code == scanDeep || !DepthOK(body, MaxDepth) {
			msg = "answer nests deeper than " + strconv.Itoa(MaxDepth) + " levels"
		}
		return PageScan{}, &Error{Message: msg, Kind: ErrMalformed}
	}
	ps.Items = sc.items
	switch {
	case mode == scanArray:
		ps.List = gjson.Parse(s)
		if !ps.List.IsArray() {
			ps.Items = ps.Items[:0]
		}
	case mode == scanNone || body[sc.top] != '{':
		ps.Plain, ps.Items = true, ps.Items[:0]
		ps.Rest = gjson.Parse(s)
		ps.List = ps.Rest.Get(key)
	default:
		if sc.list.End > 0 {
			ps.List = valueAt(s, sc.list)
		}
		if !ps.List.IsArray() {
			ps.Items = ps.Items[:0]
		}
		ps.Rest = sc.rest(s)
	}
	return ps, nil
}

// valueAt is the value at sp of s, as gjson reads it.
func valueAt(s string, sp Span) gjson.Result {
	raw := s[sp.Start:sp.End]
	if c := raw[0]; c == '{' || c == '[' {
		return gjson.Result{Type: gjson.JSON, Raw: raw, Index: sp.Start}
	}
	r := gjson.Parse(raw)
	r.Index = sp.Start
	return r
}

// Scan modes: where the list is.
const (
	scanObject = iota // a member of a top-level object
	scanArray         // the top-level array itself
	scanNone          // found afterwards, the plain way
)

// Results of a scan.
const (
	scanOK = iota
	scanBad
	scanDeep
)

// member is one top-level member: the key's and the value's ranges.
type member struct{ ks, ke, vs, ve int }

// pageScanner is the state of one pass. The nesting is kept in an array
// bounded by MaxDepth: no recursion, no allocation but the item ranges
// (and the members beyond the first eight).
type pageScanner struct {
	b     []byte
	key   string
	mode  int
	items []Span
	top   int // offset of the top-level value
	list  Span
	nmem  int // members recorded: the first eight in buf, the others in more
	buf   [8]member
	more  []member
}

func (sc *pageScanner) memberAt(i int) member {
	if i < len(sc.buf) {
		return sc.buf[i]
	}
	return sc.more[i-len(sc.buf)]
}

// rest builds the object of the top-level members other than the list,
// as "key":value pairs.
func (sc *pageScanner) rest(s string) gjson.Result {
	if sc.nmem == 0 {
		return gjson.Parse("{}")
	}
	n := 2
	for i := range sc.nmem {
		m := sc.memberAt(i)
		n += m.ke - m.ks + m.ve - m.vs + 2
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('{')
	for i := range sc.nmem {
		m := sc.memberAt(i)
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[m.ks:m.ke])
		b.WriteByte(':')
		b.WriteString(s[m.vs:m.ve])
	}
	b.WriteByte('}')
	return gjson.Parse(b.String())
}

// strPlain marks the bytes that a string's scan passes over: all but the
// quote, the backslash and the control characters.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// isWS marks JSON's four whitespace bytes.
var isWS = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

func skipWS(b []byte, i int) int {
	for i < len(b) && isWS[b[i]] {
		i++
	}
	return i
}

// scanString returns the offset just past the string whose opening quote
// is at i-1, or -1 if it is not a valid JSON string.
func scanString(b []byte, i int) int {
	for {
		for i+4 <= len(b) && strPlain[b[i]] && strPlain[b[i+1]] && strPlain[b[i+2]] && strPlain[b[i+3]] {
			i += 4
		}
		for i < len(b) && strPlain[b[i]] {
			i++
		}
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case '"':
			return i + 1
		case '\\':
			i++
			if i >= len(b) {
				return -1
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+4 >= len(b) || !isHex(b[i+1]) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) {
					return -1
				}
				i += 5
			default:
				return -1
			}
		default:
			return -1 // a control character
		}
	}
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNumber returns the offset just past the number starting at i, or
// -1 if there is no valid JSON number there.
func scanNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b) || !isDigit(b[i]):
		return -1
	case b[i] == '0':
		i++
	default:
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return -1
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return -1
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	return i
}

// scanLiteral returns the offset past lit at i, or -1.
func scanLiteral(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// keyIs says whether the key whose quoted text is raw (quotes included)
// reads as key.
func keyIs(raw []byte, key string) bool {
	in := raw[1 : len(raw)-1]
	if string(in) == key {
		return true
	}
	for _, c := range in {
		if c == '\\' {
			return gjson.ParseBytes(raw).Str == key
		}
	}
	return false
}

// run makes the pass. The top-level object's members are recorded as
// they end, and the list's elements while the list is open. It is a
// state machine whose states are the labels value (a value must come),
// after (a comma, a closing bracket or the end must come) and key (an
// object's key must come).
func (sc *pageScanner) run() int {
	b := sc.b
	n := len(b)
	var kinds [MaxDepth + 1]byte // '{' or '[' of each open container
	var starts [MaxDepth + 1]int // where each open container began
	depth := 0
	listDepth := -1 // the list's depth while it is open, else -1
	members := sc.mode == scanObject
	inList := false // the top-level member being read is the list
	found := false  // the list's member has been seen
	var ks, ke int  // the current top-level key
	var vs, k0 int  // where the value, or the key, being read began
	var c byte
	i := skipWS(b, 0)
	sc.top = i
	if i < n && b[i] != '{' {
		members = false
	}

value:
	if i >= n {
		return scanBad
	}
	vs = i
	switch c = b[i]; c {
	case '{', '[':
		if depth == MaxDepth {
			return scanDeep
		}
		depth++
		kinds[depth], starts[depth] = c, i
		if c == '[' && ((sc.mode == scanArray && depth == 1) || (inList && depth == 2)) {
			listDepth = depth
		}
		i++
		if i < n && isWS[b[i]] {
			i = skipWS(b, i)
		}
		if i >= n || b[i] != c+2 { // '}' and ']' come two after their openers
			if c == '{' {
				goto key
			}
			goto value
		}
		i++ // an empty object or array
		if listDepth == depth {
			listDepth = -1
		}
		depth--
	case '"':
		i = scanString(b, i+1)
	case 't':
		i = scanLiteral(b, i, "true")
	case 'f':
		i = scanLiteral(b, i, "false")
	case 'n':
		i = scanLiteral(b, i, "null")
	default:
		if c != '-' && !isDigit(c) {
			return scanBad
		}
		i = scanNumber(b, i)
	}
	if i < 0 {
		return scanBad
	}

ended: // the value [vs, i) has ended, inside the container at depth
	if depth == listDepth {
		sc.items = append(sc.items, Span{vs, i})
	} else if depth == 1 && members {
		sc.member(inList, ks, ke, vs, i)
	}

	// after
	if i < n && isWS[b[i]] {
		i = skipWS(b, i)
	}
	if depth == 0 {
		if i != n {
			return scanBad
		}
		return scanOK
	}
	if i >= n {
		return scanBad
	}
	c = b[i]
	if c == ',' {
		i++
		if i < n && isWS[b[i]] {
			i = skipWS(b, i)
		}
		if kinds[depth] == '{' {
			goto key
		}
		goto value
	}
	if c != kinds[depth]+2 {
		return scanBad
	}
	i++
	if listDepth == depth {
		listDepth = -1
	}
	vs = starts[depth]
	depth--
	goto ended

key:
	if i >= n || b[i] != '"' {
		return scanBad
	}
	k0 = i
	if i = scanString(b, i+1); i < 0 {
		return scanBad
	}
	if depth == 1 && members {
		ks, ke = k0, i
		inList = !found && keyIs(b[ks:ke], sc.key)
		found = found || inList
	}
	if i < n && isWS[b[i]] {
		i = skipWS(b, i)
	}
	if i >= n || b[i] != ':' {
		return scanBad
	}
	i++
	if i < n && isWS[b[i]] {
		i = skipWS(b, i)
	}
	goto value
}

// member records a top-level member that has ended.
func (sc *pageScanner) member(inList bool, ks, ke, vs, ve int) {
	if inList {
		sc.list = Span{vs, ve}
		return
	}
	if sc.nmem < len(sc.buf) {
		sc.buf[sc.nmem] = member{ks, ke, vs, ve}
	} else {
		sc.more = append(sc.more, member{ks, ke, vs, ve})
	}
	sc.nmem++
}
