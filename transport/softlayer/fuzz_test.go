package softlayer

import (
	"net/url"
	"testing"

	"github.com/tidwall/gjson"
)

func FuzzDecodeResponse(f *testing.F) {
	f.Add([]byte(ResponsePrefix + `<array><data><value><struct><member><name>id</name><value><int>1</int></value></member></struct></value></data></array>` + responseSuffix))
	f.Add(EncodeFault(CodeObjectNotFound, "x"))
	f.Add([]byte(`<?xml version="1.0" encoding="iso-8859-1"?><methodResponse><params><param><value><double>1e400</double></value></param></params></methodResponse>`))
	f.Add([]byte(`<methodResponse><params><param><value><base64>aGk=</base64></value></param></params></methodResponse>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		js, fault, err := DecodeResponse(doc)
		if err == nil && fault == nil && !gjson.ValidBytes(js) {
			t.Fatalf("decoded to invalid JSON: %q", js)
		}
		if err == nil && fault == nil {
			// What is decoded encodes and decodes to the same JSON.
			back, err := EncodeResponse(js)
			if err != nil {
				return // nested deeper than the encoder takes
			}
			again, _, err := DecodeResponse(back)
			if err != nil || gjson.ParseBytes(again).Raw != gjson.ParseBytes(js).Raw {
				t.Fatalf("round trip: %q -> %q (%v)", js, again, err)
			}
		}
		_, _ = DecodeBody(nil, doc)
		_ = isFault(doc)
	})
}

func FuzzDecodeCall(f *testing.F) {
	doc, _ := EncodeCall(Call{Service: "Account", Method: "getObject", ID: "1", Mask: "id", Filter: `{"a":{"operation":1}}`, HasLimit: true, Limit: 1, Params: []byte(`[1,"a"]`)}, Auth{Username: "u", APIKey: "k"})
	f.Add(doc)
	f.Add([]byte(`<methodCall><methodName>x</methodName></methodCall>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		x, err := DecodeCall(doc)
		if err != nil {
			return
		}
		if !gjson.ValidBytes(x.Headers) || !gjson.ValidBytes(x.Params) {
			t.Fatalf("invalid JSON: %q %q", x.Headers, x.Params)
		}
		c, _ := CallFromXML("SoftLayer_Account", x)
		if c.Filter != "" && !gjson.Valid(c.Filter) {
			t.Fatalf("invalid filter %q", c.Filter)
		}
	})
}

func FuzzParseMask(f *testing.F) {
	for _, s := range []string{"mask[id,hostname,datacenter[id,name]]", "id;hostname;datacenter.name", "[mask[id], mask(SoftLayer_Hardware_Server)[x]]", "mask.a.b,mask.c", "filteredMask[a]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMask(s)
		if err != nil {
			return
		}
		// The rendering parses back to the same mask.
		back, err := ParseMask(m.String())
		if err != nil || back.String() != m.String() {
			t.Fatalf("%q -> %q -> %q (%v)", s, m.String(), back.String(), err)
		}
		if m.Legacy() != "" {
			if l, err := ParseMask(m.Legacy()); err != nil || l.String() != m.String() {
				t.Fatalf("legacy %q: %v", m.Legacy(), err)
			}
		}
	})
}

func FuzzParseREST(f *testing.F) {
	f.Add("GET", "/SoftLayer_Account/getVirtualGuests.json", "resultLimit=0,10&objectMask=id", `{"parameters":[1]}`)
	f.Fuzz(func(t *testing.T, verb, path, q, body string) {
		vals, _ := url.ParseQuery(q)
		c, err := ParseREST(verb, path, vals, []byte(body))
		if err != nil {
			return
		}
		if c.Service == "" || c.Method == "" {
			t.Fatalf("accepted without a service or method: %+v", c)
		}
		req := c.Request()
		if _, err := ParseREST(req.Method, req.Path, req.Query, req.Body); err != nil {
			t.Fatalf("the rendered request does not parse: %v %+v", err, req)
		}
	})
}

func FuzzParseINI(f *testing.F) {
	f.Add([]byte("[softlayer]\nusername = a\napi_key = b\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseINI(b)
		_, _ = LoadConfig(func(string) string { return "" }, b)
	})
}
