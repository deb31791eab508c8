package softlayertest

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	wire "github.com/stratus-cloud/stratus/transport/softlayer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

type got struct {
	status int
	header http.Header
	body   string
}

func rest(t *testing.T, s *Server, method, path string, q url.Values, body string) got {
	t.Helper()
	u := s.RESTURL() + path
	if q != nil {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	require.NoError(t, err)
	req.SetBasicAuth(s.Username(), s.APIKey())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return got{resp.StatusCode, resp.Header, string(b)}
}

func xmlrpc(t *testing.T, s *Server, c wire.Call, auth wire.Auth) got {
	t.Helper()
	doc, err := wire.EncodeCall(c, auth)
	require.NoError(t, err)
	resp, err := http.Post(s.XMLRPCURL()+"/"+wire.ServiceName(c.Service), "text/xml", strings.NewReader(string(doc)))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return got{resp.StatusCode, resp.Header, string(b)}
}

func TestRESTListMaskFilterLimit(t *testing.T) {
	s := NewServer(Config{Guests: 12})
	defer s.Close()
	q := url.Values{"objectMask": {"mask[id,hostname,datacenter[name]]"}, "resultLimit": {"0,3"}}
	r := rest(t, s, "GET", "/SoftLayer_Account/getVirtualGuests.json", q, "")
	require.Equal(t, 200, r.status, r.body)
	assert.Equal(t, byte('['), r.body[0])
	assert.Equal(t, "12", r.header.Get("SoftLayer-Total-Items"))
	arr := gjson.Parse(r.body).Array()
	require.Len(t, arr, 3)
	assert.Equal(t, int64(100), arr[0].Get("id").Int())
	assert.Equal(t, "vs-test1", arr[0].Get("hostname").String())
	assert.True(t, arr[0].Get("datacenter.name").Exists())
	assert.False(t, arr[0].Get("domain").Exists(), "only named local properties")
	assert.False(t, arr[0].Get("datacenter.id").Exists())

	// No mask: local properties only.
	r = rest(t, s, "GET", "/SoftLayer_Virtual_Guest/100.json", nil, "")
	require.Equal(t, 200, r.status, r.body)
	assert.True(t, gjson.Get(r.body, "domain").Exists())
	assert.False(t, gjson.Get(r.body, "datacenter").Exists(), "relational only when named")

	// Filters.
	f := `{"virtualGuests":{"maxMemory":{"operation":"> 2048"},"hostname":{"operation":"^= vs-test"}}}`
	r = rest(t, s, "GET", "/SoftLayer_Account/getVirtualGuests.json", url.Values{"objectFilter": {f}, "objectMask": {"id;maxMemory"}}, "")
	require.Equal(t, 200, r.status, r.body)
	for _, g := range gjson.Parse(r.body).Array() {
		assert.Greater(t, g.Get("maxMemory").Int(), int64(2048))
	}
	assert.Equal(t, r.header.Get("SoftLayer-Total-Items"), strconv.Itoa(len(gjson.Parse(r.body).Array())))
}

func TestErrorsAndScalars(t *testing.T) {
	s := NewServer(Config{})
	defer s.Close()
	r := rest(t, s, "GET", "/SoftLayer_Virtual_Guest/42.json", nil, "")
	assert.Equal(t, 404, r.status)
	assert.JSONEq(t, `{"error":"Unable to find object with id of '42'.","code":"SoftLayer_Exception_ObjectNotFound"}`, r.body)

	r = rest(t, s, "DELETE", "/SoftLayer_Virtual_Guest/100.json", nil, "")
	assert.Equal(t, 200, r.status)
	assert.Equal(t, "true", r.body)

	x := xmlrpc(t, s, wire.Call{Service: "Virtual_Guest", Method: "getObject", ID: "42"}, wire.Auth{Username: s.Username(), APIKey: wire.Secret(s.APIKey())})
	assert.Equal(t, 200, x.status)
	_, fault, err := wire.DecodeResponse([]byte(x.body))
	require.NoError(t, err)
	require.NotNil(t, fault)
	assert.Equal(t, "SoftLayer_Exception_ObjectNotFound", fault.Code)

	x = xmlrpc(t, s, wire.Call{Service: "Account", Method: "getObject"}, wire.Auth{Username: s.Username(), APIKey: "nope"})
	_, fault, _ = wire.DecodeResponse([]byte(x.body))
	require.NotNil(t, fault)
	assert.Equal(t, "Invalid API token.", fault.String)

	x = xmlrpc(t, s, wire.Call{Service: "Account", Method: "getHardware", Mask: "id;memoryCapacity", Filter: `{"hardware":{"memoryCapacity":{"operation":"> 8"}}}`}, wire.Auth{Username: s.Username(), APIKey: wire.Secret(s.APIKey())})
	require.True(t, strings.HasPrefix(x.body, wire.ResponsePrefix), x.body)
	js, fault, err := wire.DecodeResponse([]byte(x.body))
	require.NoError(t, err)
	require.Nil(t, fault)
	arr := gjson.ParseBytes(js).Array()
	require.NotEmpty(t, arr)
	for _, h := range arr {
		assert.Greater(t, h.Get("memoryCapacity").Int(), int64(8))
	}
}
