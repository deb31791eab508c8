package softlayer

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// ResponsePrefix is how every successful answer of the API begins: the
// XML declaration, then <params> at once, with no <methodResponse> around
// it. softlayer-go tells a list from a single object by this very prefix
// (a list's value is an <array> right after it), so the simulator keeps
// it exactly; DecodeResponse reads it and the standard form alike.
const ResponsePrefix = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<params><param><value>`

const responseSuffix = `</value></param></params>`

// maxXMLDepth bounds the nesting of values a document may have.
const maxXMLDepth = 64

// Auth is the authenticate header: an API user and key.
type Auth struct {
	Username string
	APIKey   Secret
}

// Fault is an XML-RPC fault: SoftLayer's faultCode is normally the
// exception's class name ("SoftLayer_Exception_ObjectNotFound"); a numeric
// code is kept as its decimal text.
type Fault struct {
	Code   string
	String string
}

func (f *Fault) Error() string { return f.Code + ": " + f.String }

// EncodeCall renders a call as an XML-RPC methodCall: parameter 1 is the
// headers struct (authenticate, <Service>InitParameters {id},
// SoftLayer_ObjectMask {mask}, <Service>ObjectFilter, resultLimit {limit,
// offset}); the call's own parameters follow. A mask that does not begin
// with "mask" is wrapped as mask[...]. Dates travel as the strings they
// are in JSON.
func EncodeCall(c Call, a Auth) ([]byte, error) {
	service := ServiceName(c.Service)
	var b bytes.Buffer
	b.Grow(512 + len(c.Params) + len(c.Filter))
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<methodCall><methodName>")
	xmlText(&b, c.Method)
	b.WriteString("</methodName><params><param><value><struct><member><name>headers</name><value><struct>")
	if a.Username != "" || a.APIKey != "" {
		b.WriteString("<member><name>authenticate</name><value><struct>")
		member(&b, "username", func() { str(&b, a.Username) })
		member(&b, "apiKey", func() { str(&b, string(a.APIKey)) })
		b.WriteString("</struct></value></member>")
	}
	if c.ID != "" {
		id, err := strconv.ParseInt(c.ID, 10, 64)
		if err != nil {
			return nil, encodeErr("the id must be an integer")
		}
		member(&b, service+"InitParameters", func() {
			b.WriteString("<struct>")
			member(&b, "id", func() { b.WriteString("<int>" + strconv.FormatInt(id, 10) + "</int>") })
			b.WriteString("</struct>")
		})
	}
	if c.Mask != "" {
		m := strings.TrimSpace(c.Mask)
		if !strings.HasPrefix(m, "mask") && !strings.HasPrefix(m, "filteredMask") && !strings.HasPrefix(m, "[") {
			m = "mask[" + m + "]"
		}
		member(&b, "SoftLayer_ObjectMask", func() {
			b.WriteString("<struct>")
			member(&b, "mask", func() { str(&b, m) })
			b.WriteString("</struct>")
		})
	}
	if c.Filter != "" {
		if !gjson.Valid(c.Filter) {
			return nil, encodeErr("the object filter is not JSON")
		}
		var err error
		member(&b, service+"ObjectFilter", func() { err = jsonToXML(&b, gjson.Parse(c.Filter), 0) })
		if err != nil {
			return nil, err
		}
	}
	if c.HasLimit {
		member(&b, "resultLimit", func() {
			b.WriteString("<struct>")
			member(&b, "limit", func() { b.WriteString("<int>" + strconv.Itoa(c.Limit) + "</int>") })
			member(&b, "offset", func() { b.WriteString("<int>" + strconv.Itoa(c.Offset) + "</int>") })
			b.WriteString("</struct>")
		})
	}
	b.WriteString("</struct></value></member></struct></value></param>")
	if p := bytes.TrimSpace(c.Params); len(p) > 0 && string(p) != "null" {
		if !gjson.ValidBytes(p) || !gjson.ParseBytes(p).IsArray() {
			return nil, encodeErr("the parameters must be a JSON array")
		}
		var err error
		gjson.ParseBytes(p).ForEach(func(_, v gjson.Result) bool {
			b.WriteString("<param><value>")
			if err = jsonToXML(&b, v, 0); err != nil {
				return false
			}
			b.WriteString("</value></param>")
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	b.WriteString("</params></methodCall>")
	return b.Bytes(), nil
}

// EncodeResponse renders a JSON value as a methodResponse. It begins with
// ResponsePrefix.
func EncodeResponse(js []byte) ([]byte, error) {
	if !gjson.ValidBytes(js) {
		return nil, encodeErr("the answer is not JSON")
	}
	var b bytes.Buffer
	b.Grow(len(js)*2 + len(ResponsePrefix) + len(responseSuffix))
	b.WriteString(ResponsePrefix)
	if err := jsonToXML(&b, gjson.ParseBytes(js), 0); err != nil {
		return nil, err
	}
	b.WriteString(responseSuffix)
	return b.Bytes(), nil
}

// EncodeFault renders a fault with a string faultCode.
func EncodeFault(code, msg string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<methodResponse><fault><value><struct>")
	member(&b, "faultCode", func() { str(&b, code) })
	member(&b, "faultString", func() { str(&b, msg) })
	b.WriteString("</struct></value></fault></methodResponse>")
	return b.Bytes()
}

func encodeErr(msg string) error {
	return &transport.Error{Provider: Name, Op: "encode XML-RPC", Message: msg, Kind: transport.ErrInvalid}
}

func member(b *bytes.Buffer, name string, value func()) {
	b.WriteString("<member><name>")
	xmlText(b, name)
	b.WriteString("</name><value>")
	value()
	b.WriteString("</value></member>")
}

func str(b *bytes.Buffer, s string) {
	b.WriteString("<string>")
	xmlText(b, s)
	b.WriteString("</string>")
}

func xmlText(b *bytes.Buffer, s string) { _ = xml.EscapeText(b, []byte(s)) }

// jsonToXML writes the XML-RPC value of v (without <value>): integers as
// <int>, other numbers as <double>, null as <nil/>.
func jsonToXML(b *bytes.Buffer, v gjson.Result, depth int) error {
	if depth > maxXMLDepth {
		return encodeErr("value nested too deep")
	}
	switch v.Type {
	case gjson.Null:
		b.WriteString("<nil/>")
	case gjson.True:
		b.WriteString("<boolean>1</boolean>")
	case gjson.False:
		b.WriteString("<boolean>0</boolean>")
	case gjson.String:
		str(b, v.Str)
	case gjson.Number:
		raw := strings.TrimSpace(v.Raw)
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
			b.WriteString("<int>" + strconv.FormatInt(n, 10) + "</int>")
		} else {
			b.WriteString("<double>" + strconv.FormatFloat(v.Num, 'g', -1, 64) + "</double>")
		}
	case gjson.JSON:
		var err error
		if v.IsArray() {
			b.WriteString("<array><data>")
			v.ForEach(func(_, x gjson.Result) bool {
				b.WriteString("<value>")
				if err = jsonToXML(b, x, depth+1); err != nil {
					return false
				}
				b.WriteString("</value>")
				return true
			})
			b.WriteString("</data></array>")
		} else {
			b.WriteString("<struct>")
			v.ForEach(func(k, x gjson.Result) bool {
				b.WriteString("<member><name>")
				xmlText(b, k.String())
				b.WriteString("</name><value>")
				if err = jsonToXML(b, x, depth+1); err != nil {
					return false
				}
				b.WriteString("</value></member>")
				return true
			})
			b.WriteString("</struct>")
		}
		return err
	}
	return nil
}

// DecodeResponse turns a methodResponse (with or without the
// <methodResponse> element) into the JSON of its value, or
// the fault it carries (with a nil JSON). Any other document is an error
// (*transport.Error with ErrMalformed); no input makes it panic.
func DecodeResponse(doc []byte) ([]byte, *Fault, error) {
	d := newDecoder(doc)
	start, err := d.next()
	if err != nil {
		return nil, nil, err
	}
	closing := 0 // </methodResponse> when the document has one
	if start.Name.Local == "methodResponse" {
		closing = 1
		if start, err = d.next(); err != nil {
			return nil, nil, err
		}
	}
	switch start.Name.Local {
	case "params":
		if err := d.open("param"); err != nil {
			return nil, nil, err
		}
		if err := d.open("value"); err != nil {
			return nil, nil, err
		}
		out := make([]byte, 0, len(doc)/2)
		if out, err = d.value(out, 0); err != nil {
			return nil, nil, err
		}
		if err := d.closeN(2 + closing); err != nil { // param, params[, methodResponse]
			return nil, nil, err
		}
		return out, nil, nil
	case "fault":
		if err := d.open("value"); err != nil {
			return nil, nil, err
		}
		js, err := d.value(nil, 0)
		if err != nil {
			return nil, nil, err
		}
		r := gjson.ParseBytes(js)
		if !r.IsObject() {
			return nil, nil, malformed("the fault is not a struct")
		}
		f := &Fault{}
		switch c := r.Get("faultCode"); c.Type {
		case gjson.String:
			f.Code = c.Str
		case gjson.Number:
			f.Code = c.Raw
		}
		f.String = r.Get("faultString").String()
		if err := d.closeN(1 + closing); err != nil {
			return nil, nil, err
		}
		return nil, f, nil
	}
	return nil, nil, malformed("expected <params> or <fault>, got <" + start.Name.Local + ">")
}

// XMLCall is a methodCall as a server reads it.
type XMLCall struct {
	Method string
	// Headers is the headers struct as JSON ("{}" when there is none).
	Headers []byte
	// Params are the method's own arguments as a JSON array.
	Params []byte
}

// DecodeCall reads a methodCall. When the first parameter is a struct
// with a "headers" member it is taken as the headers and the others are
// the method's arguments.
func DecodeCall(doc []byte) (XMLCall, error) {
	var c XMLCall
	d := newDecoder(doc)
	if err := d.open("methodCall"); err != nil {
		return c, err
	}
	if err := d.open("methodName"); err != nil {
		return c, err
	}
	name, err := d.text()
	if err != nil {
		return c, err
	}
	c.Method = strings.TrimSpace(name)
	params := []byte{'['}
	n := 0
	for {
		t, err := d.next()
		if err == errEnd {
			break
		}
		if err != nil {
			return c, err
		}
		if t.Name.Local != "params" {
			return c, malformed("expected <params>, got <" + t.Name.Local + ">")
		}
		for {
			p, err := d.next()
			if err == errEnd {
				break
			}
			if err != nil {
				return c, err
			}
			if p.Name.Local != "param" {
				return c, malformed("expected <param>")
			}
			if err := d.open("value"); err != nil {
				return c, err
			}
			v, err := d.value(nil, 0)
			if err != nil {
				return c, err
			}
			if err := d.closeN(1); err != nil {
				return c, err
			}
			if n == 0 {
				if h := gjson.GetBytes(v, "headers"); h.IsObject() {
					c.Headers = []byte(h.Raw)
					n++
					continue
				}
			}
			if len(params) > 1 {
				params = append(params, ',')
			}
			params = append(params, v...)
			n++
		}
	}
	if c.Headers == nil {
		c.Headers = []byte("{}")
	}
	c.Params = append(params, ']')
	return c, nil
}

// CallFromXML reads the Call a methodCall to service makes: the headers
// struct gives the id, the mask (string or legacy struct form), the
// filter and the result limit; the rest are the parameters. It returns
// the authenticate header too.
func CallFromXML(service string, x XMLCall) (Call, Auth) {
	h := gjson.ParseBytes(x.Headers)
	c := Call{Service: service, Method: x.Method, Params: x.Params}
	var a Auth
	h.ForEach(func(k, v gjson.Result) bool {
		key := k.String()
		switch {
		case key == "authenticate":
			a.Username = v.Get("username").String()
			a.APIKey = Secret(v.Get("apiKey").String())
		case key == "resultLimit":
			c.HasLimit = true
			c.Limit, c.Offset = int(v.Get("limit").Int()), int(v.Get("offset").Int())
		case key == "SoftLayer_ObjectMask" || strings.HasSuffix(key, "ObjectMask"):
			switch m := v.Get("mask"); {
			case m.Type == gjson.String:
				c.Mask = m.Str
			case m.IsObject():
				c.Mask = MaskFromStruct(m).String()
			}
		case strings.HasSuffix(key, "ObjectFilter"):
			c.Filter = v.Raw
		case strings.HasSuffix(key, "InitParameters"):
			if id := v.Get("id"); id.Exists() {
				c.ID = strconv.FormatInt(id.Int(), 10)
			}
		}
		return true
	})
	return c, a
}

var errEnd = errors.New("end of element")

func malformed(msg string) error {
	return &transport.Error{Provider: Name, Op: "decode XML-RPC", Message: msg, Kind: transport.ErrMalformed}
}

type decoder struct {
	x *xml.Decoder
}

func newDecoder(doc []byte) *decoder {
	x := xml.NewDecoder(bytes.NewReader(doc))
	x.CharsetReader = charsetReader
	x.Strict = true
	return &decoder{x: x}
}

// charsetReader accepts UTF-8, US-ASCII and ISO-8859-1 (softlayer-python
// declares it).
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(b)+len(b)/8)
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	return nil, errors.New("unsupported encoding " + label)
}

// next returns the next start element, skipping white space, comments and
// processing instructions; errEnd at an end element.
func (d *decoder) next() (xml.StartElement, error) {
	for {
		t, err := d.x.Token()
		if err != nil {
			if err == io.EOF {
				return xml.StartElement{}, malformed("unexpected end of document")
			}
			return xml.StartElement{}, malformed(err.Error())
		}
		switch t := t.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			return xml.StartElement{}, errEnd
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, malformed("unexpected text")
			}
		}
	}
}

func (d *decoder) open(name string) error {
	t, err := d.next()
	if err == errEnd {
		return malformed("expected <" + name + ">")
	}
	if err != nil {
		return err
	}
	if t.Name.Local != name {
		return malformed("expected <" + name + ">, got <" + t.Name.Local + ">")
	}
	return nil
}

// closeN reads n end elements (white space between allowed).
func (d *decoder) closeN(n int) error {
	for range n {
		if _, err := d.next(); err != errEnd {
			if err == nil {
				return malformed("unexpected element")
			}
			return err
		}
	}
	return nil
}

// text reads the character data of an element up to its end.
func (d *decoder) text() (string, error) {
	var sb strings.Builder
	for {
		t, err := d.x.Token()
		if err != nil {
			return "", malformed("unexpected end of document")
		}
		switch t := t.(type) {
		case xml.CharData:
			sb.Write(t)
		case xml.EndElement:
			return sb.String(), nil
		case xml.StartElement:
			return "", malformed("unexpected <" + t.Name.Local + "> in text")
		}
	}
}

// value appends the JSON of the value whose <value> was just opened, and
// reads its </value>.
func (d *decoder) value(out []byte, depth int) ([]byte, error) {
	if depth > maxXMLDepth {
		return nil, malformed("value nested too deep")
	}
	var text []byte
	for {
		t, err := d.x.Token()
		if err != nil {
			return nil, malformed("unexpected end of document")
		}
		switch t := t.(type) {
		case xml.CharData:
			text = append(text, t...)
		case xml.EndElement:
			// An untyped value is a string.
			return appendString(out, string(text)), nil
		case xml.StartElement:
			if len(bytes.TrimSpace(text)) > 0 {
				return nil, malformed("text beside a typed value")
			}
			if out, err = d.typed(out, t.Name.Local, depth); err != nil {
				return nil, err
			}
			if err := d.closeN(1); err != nil {
				return nil, err
			}
			return out, nil
		}
	}
}

// typed appends the value of a typed element whose start was read, and
// reads its end.
func (d *decoder) typed(out []byte, name string, depth int) ([]byte, error) {
	switch name {
	case "nil":
		if err := d.closeN(1); err != nil {
			return nil, err
		}
		return append(out, "null"...), nil
	case "int", "i4", "i8":
		s, err := d.text()
		if err != nil {
			return nil, err
		}
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, malformed("bad <" + name + ">")
		}
		return strconv.AppendInt(out, n, 10), nil
	case "double":
		s, err := d.text()
		if err != nil {
			return nil, err
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f != f || f > 1.7976931348623157e308 || f < -1.7976931348623157e308 {
			return nil, malformed("bad <double>")
		}
		return strconv.AppendFloat(out, f, 'g', -1, 64), nil
	case "boolean":
		s, err := d.text()
		if err != nil {
			return nil, err
		}
		switch strings.TrimSpace(s) {
		case "1", "true":
			return append(out, "true"...), nil
		case "0", "false":
			return append(out, "false"...), nil
		}
		return nil, malformed("bad <boolean>")
	case "string":
		s, err := d.text()
		if err != nil {
			return nil, err
		}
		return appendString(out, s), nil
	case "base64":
		s, err := d.text()
		if err != nil {
			return nil, err
		}
		return appendString(out, strings.Join(strings.Fields(s), "")), nil
	case "dateTime.iso8601":
		s, err := d.text()
		if err != nil {
			return nil, err
		}
		s = strings.TrimSpace(s)
		for _, layout := range []string{"20060102T15:04:05", "20060102T15:04:05Z07:00", time.RFC3339, "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil {
				s = t.Format(time.RFC3339)
				break
			}
		}
		return appendString(out, s), nil
	case "struct":
		out = append(out, '{')
		first := true
		for {
			m, err := d.next()
			if err == errEnd {
				return append(out, '}'), nil
			}
			if err != nil {
				return nil, err
			}
			if m.Name.Local != "member" {
				return nil, malformed("expected <member>")
			}
			if err := d.open("name"); err != nil {
				return nil, err
			}
			key, err := d.text()
			if err != nil {
				return nil, err
			}
			if err := d.open("value"); err != nil {
				return nil, err
			}
			if !first {
				out = append(out, ',')
			}
			first = false
			out = appendString(out, key)
			out = append(out, ':')
			if out, err = d.value(out, depth+1); err != nil {
				return nil, err
			}
			if err := d.closeN(1); err != nil {
				return nil, err
			}
		}
	case "array":
		if err := d.open("data"); err != nil {
			return nil, err
		}
		out = append(out, '[')
		first := true
		for {
			v, err := d.next()
			if err == errEnd {
				break
			}
			if err != nil {
				return nil, err
			}
			if v.Name.Local != "value" {
				return nil, malformed("expected <value>")
			}
			if !first {
				out = append(out, ',')
			}
			first = false
			if out, err = d.value(out, depth+1); err != nil {
				return nil, err
			}
		}
		if err := d.closeN(1); err != nil { // </array>
			return nil, err
		}
		return append(out, ']'), nil
	}
	return nil, malformed("unknown type <" + name + ">")
}

func appendString(out []byte, s string) []byte {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	b, _ := json.Marshal(s)
	return append(out, b...)
}
