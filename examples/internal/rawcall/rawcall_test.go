package rawcall

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuild(t *testing.T) {
	tests := []struct {
		name, method, path, params string
		wantPath                   string
		wantQuery                  url.Values
		wantBody                   string
		wantErr                    bool
	}{
		{name: "no params", method: "GET", path: "/v2/droplets", wantPath: "/v2/droplets", wantQuery: url.Values{}},
		{name: "leading slash added", method: "GET", path: "v2/account", wantPath: "/v2/account", wantQuery: url.Values{}},
		{name: "scalars to query", method: "GET", path: "/v2/droplets", params: `{"per_page":5,"tag_name":"web","private":true,"x":null}`,
			wantPath: "/v2/droplets", wantQuery: url.Values{"per_page": {"5"}, "tag_name": {"web"}, "private": {"true"}, "x": {""}}},
		{name: "arrays repeat", method: "DELETE", path: "/v2/x", params: `{"id":[1,"two"]}`, wantPath: "/v2/x", wantQuery: url.Values{"id": {"1", "two"}}},
		{name: "objects as JSON", method: "GET", path: "/v2/x", params: `{"f":{"a":1}}`, wantPath: "/v2/x", wantQuery: url.Values{"f": {`{"a":1}`}}},
		{name: "query in path kept", method: "GET", path: "/v2/droplets?page=2", params: `{"per_page":5}`,
			wantPath: "/v2/droplets", wantQuery: url.Values{"page": {"2"}, "per_page": {"5"}}},
		{name: "body for POST", method: "POST", path: "/v2/tags", params: `{"name":"web"}`, wantPath: "/v2/tags", wantQuery: url.Values{}, wantBody: `{"name":"web"}`},
		{name: "array body for PUT", method: "PUT", path: "/v2/x", params: `[1,2]`, wantPath: "/v2/x", wantQuery: url.Values{}, wantBody: `[1,2]`},
		{name: "invalid JSON", method: "GET", path: "/v2/x", params: `{per_page:5}`, wantErr: true},
		{name: "GET wants an object", method: "GET", path: "/v2/x", params: `[1]`, wantErr: true},
		{name: "no path", method: "GET", path: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, q, body, err := Build(tt.method, tt.path, tt.params)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantPath, p)
			assert.Equal(t, tt.wantQuery, q)
			assert.Equal(t, tt.wantBody, string(body))
		})
	}
}

func TestMethod(t *testing.T) {
	m, err := Method("post")
	require.NoError(t, err)
	assert.Equal(t, "POST", m)
	_, err = Method("FETCH")
	assert.ErrorContains(t, err, "unknown HTTP method")
}
