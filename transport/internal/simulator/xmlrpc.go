package simulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/tidwall/gjson"
)

// XML-RPC replies. An XML-RPC answer is always HTTP 200 with Content-Type
// text/xml: a methodResponse holding one value, or a fault (a struct of
// faultCode and faultString). The encoders below write what Python's
// xmlrpc.client and Go's XML-RPC clients read: <nil/> for a null (the
// common extension), <int> for integers that fit 32 bits and <i8> beyond,
// dateTime.iso8601 without a zone, struct members in a fixed order.

// XMLRPC answers v as an XML-RPC methodResponse (see MarshalXMLRPC).
func (rep *Reply) XMLRPC(v any) {
	rep.XML(http200, XMLRPCResponse(MarshalXMLRPC(v)))
}

// XMLRPCFault answers an XML-RPC fault. code is an int for a plain
// XML-RPC server; some APIs (SoftLayer) put their exception's class name,
// a string, there.
func (rep *Reply) XMLRPCFault(code any, message string) {
	rep.XML(http200, XMLRPCFault(code, message))
}

const http200 = 200

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// XMLRPCResponse wraps one encoded <value> in a methodResponse document.
func XMLRPCResponse(value []byte) []byte {
	b := make([]byte, 0, len(xmlHeader)+len(value)+80)
	b = append(b, xmlHeader...)
	b = append(b, "<methodResponse><params><param>"...)
	b = append(b, value...)
	return append(b, "</param></params></methodResponse>\n"...)
}

// XMLRPCFault is a methodResponse document that holds a fault.
func XMLRPCFault(code any, message string) []byte {
	v := MarshalXMLRPC(map[string]any{"faultCode": code, "faultString": message})
	b := make([]byte, 0, len(xmlHeader)+len(v)+48)
	b = append(b, xmlHeader...)
	b = append(b, "<methodResponse><fault>"...)
	b = append(b, v...)
	return append(b, "</fault></methodResponse>\n"...)
}

// MarshalXMLRPC encodes v as one XML-RPC <value>. It takes nil, bool,
// every integer and float kind, string, []byte (base64), time.Time,
// json.RawMessage or gjson.Result (JSON, converted: see JSONToXMLRPC),
// slices and arrays, maps with string keys (members sorted by key), and
// pointers to these. It panics on anything else, like Marshal: simulators
// encode only their own values.
func MarshalXMLRPC(v any) []byte {
	var b bytes.Buffer
	xmlrpcValue(&b, reflect.ValueOf(v))
	return b.Bytes()
}

// JSONToXMLRPC converts a JSON document into one XML-RPC <value>, keeping
// the order of object members: objects become structs, arrays arrays,
// integral numbers int (i8 beyond 32 bits), other numbers double, null
// <nil/>. It is how a simulator whose data is held as JSON answers over
// XML-RPC. Invalid JSON converts as <nil/>.
func JSONToXMLRPC(doc []byte) []byte {
	var b bytes.Buffer
	if !gjson.ValidBytes(doc) {
		b.WriteString("<value><nil/></value>")
		return b.Bytes()
	}
	jsonValue(&b, gjson.ParseBytes(doc))
	return b.Bytes()
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	gjsonType   = reflect.TypeFor[gjson.Result]()
	rawJSONType = reflect.TypeFor[json.RawMessage]()
)

func xmlrpcValue(b *bytes.Buffer, v reflect.Value) {
	for v.IsValid() && (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && !v.IsNil() {
		v = v.Elem()
	}
	if !v.IsValid() {
		b.WriteString("<value><nil/></value>")
		return
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer, reflect.Map:
		if v.IsNil() {
			b.WriteString("<value><nil/></value>")
			return
		}
	case reflect.Slice:
		if v.IsNil() && v.Type().Elem().Kind() != reflect.Uint8 {
			b.WriteString("<value><nil/></value>")
			return
		}
	}
	switch v.Type() {
	case timeType:
		t := v.Interface().(time.Time)
		b.WriteString("<value><dateTime.iso8601>" + t.Format("20060102T15:04:05") + "</dateTime.iso8601></value>")
		return
	case gjsonType:
		jsonValue(b, v.Interface().(gjson.Result))
		return
	}
	if v.Type() == rawJSONType {
		jsonValue(b, gjson.ParseBytes(v.Bytes()))
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			b.WriteString("<value><boolean>1</boolean></value>")
		} else {
			b.WriteString("<value><boolean>0</boolean></value>")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		xmlrpcInt(b, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := v.Uint()
		if u > math.MaxInt64 {
			panic("simulator: XML-RPC has no unsigned integer over 2^63-1")
		}
		xmlrpcInt(b, int64(u))
	case reflect.Float32, reflect.Float64:
		b.WriteString("<value><double>" + strconv.FormatFloat(v.Float(), 'g', -1, 64) + "</double></value>")
	case reflect.String:
		b.WriteString("<value><string>")
		_ = xml.EscapeText(b, []byte(v.String()))
		b.WriteString("</string></value>")
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 && v.Kind() == reflect.Slice {
			b.WriteString("<value><base64>" + base64.StdEncoding.EncodeToString(v.Bytes()) + "</base64></value>")
			return
		}
		b.WriteString("<value><array><data>")
		for i := range v.Len() {
			xmlrpcValue(b, v.Index(i))
		}
		b.WriteString("</data></array></value>")
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			panic("simulator: XML-RPC struct keys must be strings, not " + v.Type().Key().String())
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		b.WriteString("<value><struct>")
		for _, k := range keys {
			xmlrpcMember(b, k)
			xmlrpcValue(b, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())))
			b.WriteString("</member>")
		}
		b.WriteString("</struct></value>")
	default:
		panic(fmt.Sprintf("simulator: cannot encode %s in XML-RPC", v.Type()))
	}
}

func xmlrpcInt(b *bytes.Buffer, n int64) {
	if n >= math.MinInt32 && n <= math.MaxInt32 {
		b.WriteString("<value><int>" + strconv.FormatInt(n, 10) + "</int></value>")
		return
	}
	b.WriteString("<value><i8>" + strconv.FormatInt(n, 10) + "</i8></value>")
}

func xmlrpcMember(b *bytes.Buffer, name string) {
	b.WriteString("<member><name>")
	_ = xml.EscapeText(b, []byte(name))
	b.WriteString("</name>")
}

func jsonValue(b *bytes.Buffer, r gjson.Result) {
	switch r.Type {
	case gjson.True:
		b.WriteString("<value><boolean>1</boolean></value>")
	case gjson.False:
		b.WriteString("<value><boolean>0</boolean></value>")
	case gjson.String:
		xmlrpcValue(b, reflect.ValueOf(r.Str))
	case gjson.Number:
		if n, err := strconv.ParseInt(r.Raw, 10, 64); err == nil {
			xmlrpcInt(b, n)
			return
		}
		b.WriteString("<value><double>" + strconv.FormatFloat(r.Num, 'g', -1, 64) + "</double></value>")
	case gjson.JSON:
		if r.IsArray() {
			b.WriteString("<value><array><data>")
			r.ForEach(func(_, v gjson.Result) bool { jsonValue(b, v); return true })
			b.WriteString("</data></array></value>")
			return
		}
		b.WriteString("<value><struct>")
		r.ForEach(func(k, v gjson.Result) bool {
			xmlrpcMember(b, k.Str)
			jsonValue(b, v)
			b.WriteString("</member>")
			return true
		})
		b.WriteString("</struct></value>")
	default:
		b.WriteString("<value><nil/></value>")
	}
}
