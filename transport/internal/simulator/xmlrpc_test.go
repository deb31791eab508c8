package simulator

import (
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestMarshalXMLRPC(t *testing.T) {
	v := func(s string) string { return "<value>" + s + "</value>" }
	type named string
	n := 5
	var nilMap map[string]int
	for _, c := range []struct {
		in   any
		want string
	}{
		{nil, v("<nil/>")},
		{true, v("<boolean>1</boolean>")},
		{false, v("<boolean>0</boolean>")},
		{42, v("<int>42</int>")},
		{int64(-2147483648), v("<int>-2147483648</int>")},
		{int64(1) << 40, v("<i8>1099511627776</i8>")},
		{uint16(7), v("<int>7</int>")},
		{1.5, v("<double>1.5</double>")},
		{"a<b>&c", v("<string>a&lt;b&gt;&amp;c</string>")},
		{named("x"), v("<string>x</string>")},
		{&n, v("<int>5</int>")},
		{(*int)(nil), v("<nil/>")},
		{nilMap, v("<nil/>")},
		{[]byte("hi"), v("<base64>aGk=</base64>")},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), v("<dateTime.iso8601>20260102T03:04:05</dateTime.iso8601>")},
		{[]any{1, "a", nil}, v("<array><data>" + v("<int>1</int>") + v("<string>a</string>") + v("<nil/>") + "</data></array>")},
		{[]int(nil), v("<nil/>")},
		{map[string]any{"b": 2, "a": "x"}, v("<struct><member><name>a</name>" + v("<string>x</string>") + "</member><member><name>b</name>" + v("<int>2</int>") + "</member></struct>")},
		{json.RawMessage(`{"z":1,"a":[true,null,2.5,"s"]}`), v("<struct><member><name>z</name>" + v("<int>1</int>") + "</member><member><name>a</name>" + v("<array><data>"+v("<boolean>1</boolean>")+v("<nil/>")+v("<double>2.5</double>")+v("<string>s</string>")+"</data></array>") + "</member></struct>")},
		{gjson.Parse(`12345678901`), v("<i8>12345678901</i8>")},
	} {
		assert.Equal(t, c.want, string(MarshalXMLRPC(c.in)), "%#v", c.in)
	}
	assert.Panics(t, func() { MarshalXMLRPC(map[int]int{1: 1}) })
	assert.Panics(t, func() { MarshalXMLRPC(struct{}{}) })
	assert.Panics(t, func() { MarshalXMLRPC(uint64(1) << 63) })
	assert.Equal(t, v("<nil/>"), string(JSONToXMLRPC([]byte("not json"))))
	assert.Equal(t, string(MarshalXMLRPC(json.RawMessage(`{"id":1}`))), string(JSONToXMLRPC([]byte(`{"id":1}`))))
}

// xmlrpcDoc is enough of the XML-RPC grammar to read the documents back
// with encoding/xml, independently of the encoder.
type xmlrpcDoc struct {
	XMLName xml.Name `xml:"methodResponse"`
	Param   *struct {
		Value struct {
			Struct []struct {
				Name  string `xml:"name"`
				Value struct {
					Int    string `xml:"int"`
					String string `xml:"string"`
				} `xml:"value"`
			} `xml:"struct>member"`
		} `xml:"value"`
	} `xml:"params>param"`
	Fault *struct {
		Members []struct {
			Name  string `xml:"name"`
			Value struct {
				Int    string `xml:"int"`
				String string `xml:"string"`
			} `xml:"value"`
		} `xml:"value>struct>member"`
	} `xml:"fault"`
}

func TestXMLRPCReplies(t *testing.T) {
	rep := NewReply()
	rep.XMLRPC(map[string]any{"id": 1234, "hostname": "web1"})
	assert.Equal(t, 200, rep.Status)
	assert.Equal(t, ContentTypeXML, rep.Header.Get("Content-Type"))
	var doc xmlrpcDoc
	require.NoError(t, xml.Unmarshal(rep.Body, &doc), string(rep.Body))
	require.NotNil(t, doc.Param)
	assert.Nil(t, doc.Fault)
	m := doc.Param.Value.Struct
	require.Len(t, m, 2)
	assert.Equal(t, "hostname", m[0].Name)
	assert.Equal(t, "web1", m[0].Value.String)
	assert.Equal(t, "1234", m[1].Value.Int)

	rep = NewReply()
	rep.XMLRPCFault("SoftLayer_Exception_ObjectNotFound", "Unable to find object with id of '1'.")
	assert.Equal(t, 200, rep.Status, "XML-RPC faults travel in a 200")
	doc = xmlrpcDoc{}
	require.NoError(t, xml.Unmarshal(rep.Body, &doc), string(rep.Body))
	require.NotNil(t, doc.Fault)
	assert.Nil(t, doc.Param)
	assert.Equal(t, "faultCode", doc.Fault.Members[0].Name)
	assert.Equal(t, "SoftLayer_Exception_ObjectNotFound", doc.Fault.Members[0].Value.String)
	assert.Equal(t, "Unable to find object with id of '1'.", doc.Fault.Members[1].Value.String)

	rep = NewReply()
	rep.XMLRPCFault(4, "Too many parameters")
	doc = xmlrpcDoc{}
	require.NoError(t, xml.Unmarshal(rep.Body, &doc))
	assert.Equal(t, "4", doc.Fault.Members[0].Value.Int)

	// A truncated XML reply is written like any other: half the body.
	w := httptest.NewRecorder()
	Wire{ContentType: ContentTypeJSON}.Write(w, rep, len(rep.Body)/2)
	assert.Equal(t, ContentTypeXML, w.Header().Get("Content-Type"), "the reply's type, not the Wire's")
	assert.True(t, strings.HasPrefix(string(rep.Body), w.Body.String()))
	assert.Error(t, xml.Unmarshal(w.Body.Bytes(), &doc))
}

func TestReplyHelpers(t *testing.T) {
	rep := NewReply()
	rep.JSON(201, map[string]int{"id": 1})
	assert.Equal(t, 201, rep.Status)
	assert.Equal(t, `{"id":1}`, string(rep.Body))
	assert.Empty(t, rep.Header.Get("Content-Type"), "the Wire's type")
	rep.JSON(200, []byte(`[1]`))
	assert.Equal(t, `[1]`, string(rep.Body), "bytes are sent as they are")
	rep.JSON(200, json.RawMessage(`{}`))
	assert.Equal(t, `{}`, string(rep.Body))
	rep.Send(503, ContentTypeHTML, []byte("<p>down</p>"))
	assert.Equal(t, ContentTypeHTML, rep.Header.Get("Content-Type"))

	assert.Equal(t, `[]`, string(Array(0, nil)))
	assert.Equal(t, `[1,"b"]`, string(Array(2, func(i int) []byte { return [][]byte{[]byte("1"), []byte(`"b"`)}[i] })))
	assert.Equal(t, `{}`, string(Object()))
	assert.Equal(t, `{"z":1,"a<":[]}`, string(Object(M("z", []byte("1")), M("a<", []byte("[]")))), "in order, keys not HTML-escaped")
}
