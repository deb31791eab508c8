package rightscaletest

import (
	"reflect"
	"testing"
)

func TestRailsParams(t *testing.T) {
	p := params{}
	if err := parsePairs("server%5Bname%5D=web&tags%5B%5D=a&tags%5B%5D=b&inputs%5B%5D%5Bname%5D=X&inputs%5B%5D%5Bvalue%5D=text%3A1&inputs%5B%5D%5Bname%5D=Y&inputs%5B%5D%5Bvalue%5D=text%3A2", p); err != nil {
		t.Fatal(err)
	}
	if err := mergeJSON([]byte(`{"instance":{"cloud_href":"/api/clouds/1"},"filter[]":"name==x"}`), p); err != nil {
		t.Fatal(err)
	}
	want := params{
		"server":   map[string]any{"name": "web"},
		"tags":     []any{"a", "b"},
		"inputs":   []any{map[string]any{"name": "X", "value": "text:1"}, map[string]any{"name": "Y", "value": "text:2"}},
		"instance": map[string]any{"cloud_href": "/api/clouds/1"},
		"filter":   []any{"name==x"},
	}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("got %#v", p)
	}
	if !p.has("server[name]") || p.has("server[description]") || !p.has("tags") {
		t.Fatal("has")
	}
}

func FuzzParams(f *testing.F) {
	f.Add("a[b][c]=1&a[]=2&x[][y]=3", `{"a":{"b":1}}`)
	f.Add("a]=1&[=2&%zz=3", `[1]`)
	f.Fuzz(func(t *testing.T, q, body string) {
		p := params{}
		_ = parsePairs(q, p)
		_ = mergeJSON([]byte(body), p)
		for k := range p {
			_ = p.has(k + "[x]")
			_ = p.str(k, "x")
			_ = p.list(k)
		}
	})
}
