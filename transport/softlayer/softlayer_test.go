package softlayer

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestCallRoundTripThroughXML(t *testing.T) {
	c := Call{Service: "Account", Method: "getVirtualGuests", Mask: "id;hostname", Filter: `{"virtualGuests":{"maxMemory":{"operation":"> 8"},"id":{"operation":"orderBy","options":[{"name":"sort","value":["ASC"]}]}}}`,
		Limit: 10, Offset: 20, HasLimit: true, Params: []byte(`["a",2,2.5,true,null,{"k":[1]}]`)}
	doc, err := EncodeCall(c, Auth{Username: "SL1", APIKey: "k3y<&>"})
	require.NoError(t, err)
	x, err := DecodeCall(doc)
	require.NoError(t, err)
	assert.Equal(t, "getVirtualGuests", x.Method)
	got, auth := CallFromXML("SoftLayer_Account", x)
	assert.Equal(t, "SL1", auth.Username)
	assert.Equal(t, "k3y<&>", string(auth.APIKey))
	assert.Equal(t, "mask[id;hostname]", got.Mask, "a legacy mask is wrapped as mask[...]")
	assert.JSONEq(t, c.Filter, got.Filter)
	assert.Equal(t, 10, got.Limit)
	assert.Equal(t, 20, got.Offset)
	assert.JSONEq(t, `["a",2,2.5,true,null,{"k":[1]}]`, string(got.Params))
}

func TestDecodeCallHeadersInAnyOrder(t *testing.T) {
	doc := `<?xml version="1.0" encoding="iso-8859-1"?>
<methodCall><methodName>getObject</methodName><params>
<param><value><struct>
 <member><name>headers</name><value><struct>
  <member><name>resultLimit</name><value><struct><member><name>offset</name><value><int>0</int></value></member><member><name>limit</name><value><i4>5</i4></value></member></struct></value></member>
  <member><name>SoftLayer_Virtual_GuestObjectMask</name><value><struct><member><name>mask</name><value><struct><member><name>hostname</name><value><struct></struct></value></member><member><name>datacenter</name><value><struct><member><name>name</name><value><struct></struct></value></member></struct></value></member></struct></value></member></struct></value></member>
  <member><name>SoftLayer_Virtual_GuestInitParameters</name><value><struct><member><name>id</name><value><double>100</double></value></member></struct></value></member>
  <member><name>authenticate</name><value><struct><member><name>apiKey</name><value>caf` + "\xe9" + `</value></member><member><name>username</name><value><string>u</string></value></member></struct></value></member>
 </struct></value></member>
</struct></value></param>
<param><value><nil/></value></param>
</params></methodCall>`
	x, err := DecodeCall([]byte(doc))
	require.NoError(t, err)
	c, a := CallFromXML("SoftLayer_Virtual_Guest", x)
	assert.Equal(t, "100", c.ID, "a <double> id")
	assert.Equal(t, "mask[datacenter[name],hostname]", c.Mask, "the legacy struct mask")
	assert.True(t, c.HasLimit)
	assert.Equal(t, 5, c.Limit)
	assert.Equal(t, "café", string(a.APIKey), "ISO-8859-1 is read")
	assert.JSONEq(t, `[null]`, string(c.Params))
}

func TestDecodeResponse(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		"bare params": {ResponsePrefix + `<array><data><value><struct><member><name>id</name><value><int>1</int></value></member><member><name>d</name><value><dateTime.iso8601>20140307T13:52:31</dateTime.iso8601></value></member></struct></value></data></array>` + responseSuffix,
			`[{"id":1,"d":"2014-03-07T13:52:31Z"}]`},
		"method response": {`<?xml version="1.0"?><methodResponse><params><param><value><boolean>1</boolean></value></param></params></methodResponse>`, `true`},
		"untyped string":  {`<?xml version="1.0"?><methodResponse><params><param><value> x </value></param></params></methodResponse>`, `" x "`},
		"double and nil":  {ResponsePrefix + `<array><data><value><double>8</double></value><value><double>-1.5e3</double></value><value><nil/></value></data></array>` + responseSuffix, `[8,-1500,null]`},
	} {
		t.Run(name, func(t *testing.T) {
			js, f, err := DecodeResponse([]byte(tc.doc))
			require.NoError(t, err)
			require.Nil(t, f)
			assert.JSONEq(t, tc.want, string(js))
		})
	}
	_, f, err := DecodeResponse(EncodeFault(CodeObjectNotFound, "Unable to find object with id of '42'."))
	require.NoError(t, err)
	require.NotNil(t, f)
	assert.Equal(t, CodeObjectNotFound, f.Code)
	_, f, err = DecodeResponse([]byte(`<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>-32601</int></value></member><member><name>faultString</name><value><string>no</string></value></member></struct></value></fault></methodResponse>`))
	require.NoError(t, err)
	assert.Equal(t, "-32601", f.Code)
	for _, bad := range []string{"", "<x/>", ResponsePrefix + "<int>x</int>" + responseSuffix, ResponsePrefix + "<double>NaN</double>" + responseSuffix, ResponsePrefix + "<array><data>"} {
		_, _, err := DecodeResponse([]byte(bad))
		assert.ErrorIs(t, err, transport.ErrMalformed, bad)
	}
}

func TestEncodeResponsePrefixAndTypes(t *testing.T) {
	doc, err := EncodeResponse([]byte(`[{"id":5,"when":"2014-03-07T13:52:31-06:00","m":8.5,"ok":false,"n":null}]`))
	require.NoError(t, err)
	s := string(doc)
	assert.Regexp(t, `^<\?xml version="1.0" encoding=".+"\?>\s*<params>\s*<param>\s*<value>\s*<array>`, s)
	assert.Contains(t, s, "<string>2014-03-07T13:52:31-06:00</string>", "dates travel as strings")
	assert.Contains(t, s, "<int>5</int>")
	assert.Contains(t, s, "<double>8.5</double>")
	assert.Contains(t, s, "<nil/>")
	js, _, err := DecodeResponse(doc)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"id":5,"when":"2014-03-07T13:52:31-06:00","m":8.5,"ok":false,"n":null}]`, string(js))
}

func TestParseMask(t *testing.T) {
	for in, want := range map[string]string{
		"mask[id,hostname,datacenter[id,name],operatingSystem.passwords]": "mask[datacenter[id,name],hostname,id,operatingSystem[passwords]]",
		"mask.datacenter.name,mask.hostname":                              "mask[datacenter[name],hostname]",
		"id, hostname , datacenter.name":                                  "mask[datacenter[name],hostname,id]",
		"id;hostname;datacenter.name":                                     "mask[datacenter[name],hostname,id]",
		"[mask[id], mask(SoftLayer_Hardware_Server)[activeTransaction]]":  "mask[activeTransaction,id]",
		"filteredMask[id]":                                                "mask[id]",
		"mask[]":                                                          "",
		"mask[a;b]":                                                       "mask[a,b]",
	} {
		m, err := ParseMask(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, m.String(), in)
	}
	for _, bad := range []string{"mask[id", "id]", "a..b", "mask(X", "a[b]]", "@"} {
		_, err := ParseMask(bad)
		assert.ErrorIs(t, err, transport.ErrInvalid, bad)
	}
	m := MustMask("mask[id,datacenter[name],tagReferences[tag]]")
	assert.True(t, m.Covers("id"))
	assert.True(t, m.Covers("datacenter.name"))
	assert.False(t, m.Covers("datacenter.id"))
	assert.True(t, m.Covers("tagReferences.#.tag.name"), "a named leaf covers what is below it")
	assert.False(t, m.Covers("hostname"))
	assert.False(t, Mask{}.Covers("id"))
	assert.Equal(t, "datacenter.name;id;tagReferences.tag", m.Legacy())
	assert.Equal(t, "mask[a[b[c]],d]", MaskOf("a.b.c", "d", "").String())
}

func TestParseREST(t *testing.T) {
	for _, tc := range []struct {
		verb, path, method, id string
	}{
		{"GET", "/SoftLayer_Account.json", "getObject", ""},
		{"GET", "/SoftLayer_Virtual_Guest/5.json", "getObject", "5"},
		{"DELETE", "/SoftLayer_Virtual_Guest/5.json", "deleteObject", "5"},
		{"PUT", "/SoftLayer_Virtual_Guest/5.json", "editObject", "5"},
		{"POST", "/SoftLayer_Virtual_Guest.json", "createObject", ""},
		{"GET", "/SoftLayer_Virtual_Guest/5/deleteObject.json", "deleteObject", "5"},
		{"DELETE", "/SoftLayer_Virtual_Guest/5/deleteObject.json", "deleteObject", "5"},
		{"GET", "/SoftLayer_Account/getVirtualGuests", "getVirtualGuests", ""},
	} {
		c, err := ParseREST(tc.verb, tc.path, url.Values{"resultLimit": {"20,10"}}, nil)
		require.NoError(t, err, tc.path)
		assert.Equal(t, tc.method, c.Method, tc.path)
		assert.Equal(t, tc.id, c.ID, tc.path)
		assert.Equal(t, 20, c.Offset)
		assert.Equal(t, 10, c.Limit)
	}
	c, err := ParseREST("POST", "/SoftLayer_Dns_Domain/77/createARecord.json", nil, []byte(`{"parameters":["www","1.2.3.4",900]}`))
	require.NoError(t, err)
	assert.JSONEq(t, `["www","1.2.3.4",900]`, string(c.Params))
	for _, bad := range []struct{ verb, path, q, body string }{
		{"GET", "/a/b/c/d.json", "", ""}, {"GET", "/SoftLayer_Account.xml", "", ""}, {"GET", "/Soft-Layer.json", "", ""},
		{"GET", "/SoftLayer_Account.json", "resultLimit=x", ""}, {"GET", "/SoftLayer_Account.json", "objectFilter={", ""},
		{"POST", "/SoftLayer_Account.json", "", "[1]"}, {"POST", "/SoftLayer_Account.json", "", `{"parameters":1}`}, {"PATCH", "/SoftLayer_Account.json", "", ""},
	} {
		q, _ := url.ParseQuery(bad.q)
		_, err := ParseREST(bad.verb, bad.path, q, []byte(bad.body))
		assert.ErrorIs(t, err, transport.ErrInvalid, bad.path+"?"+bad.q)
	}
	// The request a call renders parses back to the call.
	call := Call{Service: "Virtual_Guest", Method: "powerOff", ID: "9", Write: true}
	req := call.Request()
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "/SoftLayer_Virtual_Guest/9/powerOff.json", req.Path)
	back, err := ParseREST(req.Method, req.Path, req.Query, req.Body)
	require.NoError(t, err)
	assert.Equal(t, "powerOff", back.Method)
	del := Call{Service: "SoftLayer_Virtual_Guest", Method: "deleteObject", ID: "9"}.Request()
	assert.Equal(t, "DELETE /SoftLayer_Virtual_Guest/9.json", del.Method+" "+del.Path)
}

func TestLoadConfig(t *testing.T) {
	file := []byte("# comment\n[softlayer]\nusername = filer\napi_key: filekey\nendpoint_url = https://api.softlayer.com/xmlrpc/v3.1/\ntimeout = 2.5\n")
	env := map[string]string{"SL_USERNAME": "envuser"}
	c, err := LoadConfig(func(k string) string { return env[k] }, file)
	require.NoError(t, err)
	assert.Equal(t, "envuser", c.Username, "a variable wins over the file")
	assert.Equal(t, "filekey", string(c.APIKey))
	assert.Equal(t, "https://api.softlayer.com/xmlrpc/v3.1", c.Endpoint)
	assert.Equal(t, 2500*time.Millisecond, c.Timeout)
	assert.Equal(t, XMLRPCProtocol, ProtocolOf(c.Endpoint))
	assert.Equal(t, REST, ProtocolOf(PrivateREST))

	_, err = LoadConfig(func(string) string { return "" }, nil)
	assert.ErrorIs(t, err, ErrNoConfig)
	_, err = LoadConfig(func(k string) string { return map[string]string{"SL_USERNAME": "u"}[k] }, nil)
	var ce *ConfigError
	require.True(t, errors.As(err, &ce))
	_, err = LoadConfig(func(k string) string {
		return map[string]string{"SL_USERNAME": "u", "SL_API_KEY": "k", "SL_TIMEOUT": "soon"}[k]
	}, nil)
	require.True(t, errors.As(err, &ce))
	assert.Equal(t, "SL_TIMEOUT", ce.Source)
	assert.NotContains(t, err.Error(), "k\"")
	_, err = LoadConfig(func(string) string { return "" }, []byte("[softlayer\n"))
	require.Error(t, err)
}

func TestErrorsAndRetries(t *testing.T) {
	e := &transport.Error{Status: 404, Kind: transport.KindForStatus(404)}
	DecodeError(e, nil, ErrorBody(CodeObjectNotFound, "Unable to find object with id of '1'."))
	assert.Equal(t, CodeObjectNotFound, e.Code)
	assert.ErrorIs(t, e, transport.ErrNotFound)
	e = &transport.Error{Status: 500, Kind: transport.KindForStatus(500)}
	DecodeError(e, nil, ErrorBody(CodeRateLimit, "Rate limit"))
	assert.ErrorIs(t, e, transport.ErrRateLimited)
	assert.ErrorIs(t, &transport.Error{Kind: KindOf(CodePublic, MsgInvalidToken)}, transport.ErrUnauthorized)
	assert.Equal(t, 401, StatusOf(CodePublic, MsgInvalidToken))
	assert.Equal(t, 500, StatusOf(CodeRateLimit, ""))

	hint := func(status int, body []byte) (bool, bool) {
		r, _, ok := RetryHint(&http.Response{StatusCode: status, Header: http.Header{}}, body)
		return r, ok
	}
	r, ok := hint(500, ErrorBody(CodeRateLimit, "x"))
	assert.True(t, ok && r, "the rate-limit exception is a throttle")
	r, ok = hint(500, ErrorBody(CodeInvalidValue, "x"))
	assert.True(t, ok && !r, "a bad value is an answer")
	_, ok = hint(500, ErrorBody(CodePublic, "Internal Error"))
	assert.False(t, ok, "generic rules")
	_, ok = hint(503, []byte("<html>"))
	assert.False(t, ok)
}

func TestPager(t *testing.T) {
	p := Pager{}
	q := p.First(url.Values{"objectMask": {"id"}}, 0)
	assert.Equal(t, "0,100", q.Get("resultLimit"))
	next, total := p.Next(p.First(nil, 10), http.Header{"Softlayer-Total-Items": {"25"}}, gjson.Result{}, 10)
	assert.Equal(t, 25, total)
	assert.Equal(t, "10,10", next.Get("resultLimit"))
	next, _ = p.Next(url.Values{"resultLimit": {"20,10"}}, http.Header{"Softlayer-Total-Items": {"25"}}, gjson.Result{}, 5)
	assert.Nil(t, next, "the last page")
	next, total = p.Next(url.Values{"resultLimit": {"0,10"}}, http.Header{}, gjson.Result{}, 10)
	assert.Equal(t, -1, total)
	assert.NotNil(t, next, "a full page without the total may have more")
	assert.Equal(t, "40,10", p.Page(nil, 5, 10).Get("resultLimit"))
}
