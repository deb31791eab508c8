package enstratus_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	wire "github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestProviderIsRegistered(t *testing.T) {
	p, err := stratus.Lookup("enstratus")
	require.NoError(t, err)
	assert.Same(t, es.Provider, p)
	assert.Equal(t, []string{"access_key", "secret_key"}, p.Credentials)
	assert.Equal(t, []string{"access_key", "secret_key"}, p.Secret)
	assert.Len(t, p.Kinds, 19)
	scopes := map[string]int{}
	for _, k := range p.Kinds {
		scopes[k.Scope]++
		assert.Equal(t, k.ListKey+".0", k.ItemKey, k.Name)
		assert.Equal(t, k.ListPath+"/{id}", k.ItemPath, k.Name)
		assert.True(t, strings.HasPrefix(k.ListPath, k.Scope+"/"), k.Name)
		assert.True(t, k.Partial, k.Name)
		assert.Implements(t, (*interface {
			Split(url.Values) (url.Values, http.Header)
		})(nil), k.Pager, k.Name)
		require.NotEmpty(t, k.Fields, k.Name)
		assert.Equal(t, k.IDField, k.Fields[0].Name, "%s documents its id first", k.Name)
		require.NotNil(t, k.New, k.Name)
		assert.True(t, k.Is(k.New(stratus.NewResource(nil, k, "1")).Handle().Kind()), k.Name)
	}
	assert.Equal(t, map[string]int{"geography": 4, "infrastructure": 5, "network": 3, "admin": 7}, scopes)
	k, ok := p.Kind("data_centers")
	require.True(t, ok)
	assert.Equal(t, "geography/DataCenter", k.ListPath)
	assert.Equal(t, "dataCenters", k.ListKey)
	assert.Equal(t, "dataCenterId", k.IDField)
}

func TestPagerMovesTheDetailIntoTheHeader(t *testing.T) {
	p := es.Pager{}
	q := p.First(url.Values{"regionId": {"19344"}}, 50)
	assert.Equal(t, "basic", q.Get(es.DetailKey))
	assert.Equal(t, "19344", q.Get("regionId"))
	send, h := p.Split(q)
	assert.Equal(t, url.Values{"regionId": {"19344"}}, send)
	assert.Equal(t, "basic", h.Get(wire.HeaderDetails))
	assert.Equal(t, "basic", q.Get(es.DetailKey), "Split leaves its input alone")
	next, total := p.Next(q, http.Header{}, gjson.Result{}, 7)
	assert.Nil(t, next)
	assert.Equal(t, 7, total)
	assert.Equal(t, "none", es.Pager{Detail: "none"}.First(nil, 0).Get(es.DetailKey))
	assert.Equal(t, "extended", es.Pager{Detail: "none"}.First(url.Values{es.DetailKey: {"extended"}}, 0).Get(es.DetailKey))
	send, h = p.Split(url.Values{"a": {"b"}})
	assert.Nil(t, h)
	assert.Equal(t, url.Values{"a": {"b"}}, send)
}

func TestClientConstruction(t *testing.T) {
	_, err := es.New()
	assert.ErrorIs(t, err, stratus.ErrUnauthorized)
	assert.ErrorContains(t, err, "no API keys")

	c, err := es.New(es.Keys("AK", "SK"))
	require.NoError(t, err)
	assert.Equal(t, "https://api.enstratus.com/api/enstratus/2012-06-15", c.BaseURL())
	c, err = es.New(es.Keys("AK", "SK"), es.Endpoint("https://dcm.example.com/api/enstratus/2015-05-25/"))
	require.NoError(t, err)
	assert.Equal(t, "https://dcm.example.com/api/enstratus/2015-05-25", c.BaseURL())
	c, err = stratus.Open("enstratus", stratus.WithCredentials(map[string]string{"access_key": "AK", "secret_key": "SK", "endpoint": "http://127.0.0.1:1/api/enstratus/2014-07-30"}))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:1/api/enstratus/2014-07-30", c.BaseURL())

	_, err = es.FromEnv(func(string) string { return "" })
	assert.ErrorIs(t, err, wire.ErrMissingKey)
	assert.ErrorContains(t, err, "ES_ACCESS_KEY")

	// The environment, as mixcoatl reads it, against the simulator.
	srv := enstratustest.NewServer(enstratustest.Config{RealTime: true})
	defer srv.Close()
	env := map[string]string{"ES_ACCESS_KEY": srv.AccessKey(), "DCM_SECRET_KEY": srv.SecretKey(), "ES_ENDPOINT": srv.URL()}
	opts, err := es.FromEnv(func(k string) string { return env[k] })
	require.NoError(t, err)
	c, err = es.New(opts...)
	require.NoError(t, err)
	assert.Equal(t, srv.URL(), c.BaseURL())
	assert.Equal(t, "Amazon Web Services", es.Cloud(c, 1).Name(), "signed with the wall clock")
	require.NoError(t, es.Cloud(c, 1).LastError())
	m, err := es.Provider.Env(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, srv.URL(), m["url"])

	// The signature covers the User-Agent actually sent.
	c, err = es.New(append(opts, stratus.WithUserAgent("my-tool/1.0"))...)
	require.NoError(t, err)
	_, err = c.Do(context.Background(), http.MethodGet, "admin/Job", nil, nil)
	assert.NoError(t, err)
}
