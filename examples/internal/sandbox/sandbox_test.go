package sandbox

import (
	"context"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
)

func TestEveryEndpointSpeaksTheProvidersLanguage(t *testing.T) {
	sb, err := Start(Options{Droplets: 2, ActionDuration: 100 * time.Millisecond})
	require.NoError(t, err)
	defer sb.Close()
	require.Equal(t, Names(), sortedKeys(sb.Endpoints))
	for name, ep := range sb.Endpoints {
		p, err := stratus.Lookup(name)
		require.NoError(t, err, "every simulator belongs to a registered provider")
		assert.Regexp(t, `^http://127\.0\.0\.1:\d+(/[^/]+)*$`, ep.URL(), name)
		creds := ep.Credentials()
		assert.NotContains(t, creds, URLKey)
		for k, v := range creds {
			assert.Contains(t, p.Credentials, k, "%s: credential %q is not one of the provider's names", name, k)
			assert.NotEmpty(t, v)
		}

		c, err := sb.Open(name)
		require.NoError(t, err)
		assert.Equal(t, ep.URL(), c.BaseURL())
		i := slices.IndexFunc(p.Kinds, func(k *stratus.Kind) bool { return k.ListPath != "" })
		require.GreaterOrEqual(t, i, 0, "%s lists something", name)
		_, err = c.Do(context.Background(), http.MethodGet, p.Kinds[i].ListPath, nil, nil)
		assert.NoError(t, err, "%s: GET %s with the sandbox credentials", name, p.Kinds[i].ListPath)
	}
	sb.Close()
	sb.Close() // twice is fine
}

func TestOpenUnknownProvider(t *testing.T) {
	sb, err := Start(Options{Droplets: -1})
	require.NoError(t, err)
	defer sb.Close()
	_, err = sb.Open("nimbus")
	assert.ErrorContains(t, err, `no simulator for provider "nimbus"`)
}

func TestEnvOptions(t *testing.T) {
	p, err := stratus.Lookup("digitalocean")
	require.NoError(t, err)

	_, err = EnvOptions(p, func(string) string { return "" })
	assert.ErrorIs(t, err, ErrNoCredentials)
	assert.ErrorContains(t, err, "DIGITALOCEAN_TOKEN", "the loader's reason is kept")

	opts, err := EnvOptions(p, func(k string) string {
		return map[string]string{"DIGITALOCEAN_ACCESS_TOKEN": "dop_v1_x", "DIGITALOCEAN_API_URL": "http://127.0.0.1:1"}[k]
	})
	require.NoError(t, err)
	c, err := stratus.New(p, opts...)
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:1", c.BaseURL())
	assert.Equal(t, "[redacted]", c.Settings().Credentials["token"])
}

func TestConnectPrefersTheEnvironment(t *testing.T) {
	sb, err := Start(Options{Droplets: 3})
	require.NoError(t, err)
	defer sb.Close()
	ep := sb.Endpoints["digitalocean"]
	env := map[string]string{"DIGITALOCEAN_TOKEN": ep["token"], "DIGITALOCEAN_API_URL": ep.URL()}

	conn, err := Connect("digitalocean", func(k string) string { return env[k] }, Options{})
	require.NoError(t, err)
	defer conn.Close()
	assert.False(t, conn.Simulated)
	assert.Equal(t, "using credentials from the environment: "+ep.URL(), conn.Describe())

	sim, err := Connect("digitalocean", func(string) string { return "" }, Options{Droplets: 2})
	require.NoError(t, err)
	assert.True(t, sim.Simulated)
	assert.NotEqual(t, ep.URL(), sim.Client.BaseURL(), "a simulator of its own")
	assert.Contains(t, sim.Describe(), "no credentials found: using the built-in simulator at http://127.0.0.1:")
	res, err := sim.Client.Do(context.Background(), http.MethodGet, "/v2/droplets", nil, nil)
	require.NoError(t, err)
	assert.EqualValues(t, 2, res.Get("meta.total").Int())
	sim.Close()
	_, err = http.Get(sim.Client.BaseURL() + "/v2/droplets")
	assert.Error(t, err, "the simulator is closed with the Conn")

	_, err = Connect("nimbus", func(string) string { return "" }, Options{})
	assert.ErrorContains(t, err, "forgotten import?")
}

func TestWaitInterval(t *testing.T) {
	for _, tt := range []struct{ d, min, max time.Duration }{
		{3 * time.Second, 300 * time.Millisecond, 1500 * time.Millisecond},
		{50 * time.Millisecond, 10 * time.Millisecond, 25 * time.Millisecond},
		{time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond},
		{time.Hour, 2 * time.Second, 30 * time.Second},
	} {
		minWait, maxWait := WaitInterval(tt.d)
		assert.Equal(t, tt.min, minWait, tt.d)
		assert.Equal(t, tt.max, maxWait, tt.d)
	}
}

func sortedKeys(m Endpoints) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Nothing configured falls back to a simulator; half a configuration is an
// error to show, never silently replaced by one.
func TestEnvOptionsHalfConfigured(t *testing.T) {
	t.Setenv("HOME", t.TempDir()) // no ~/.ovh.conf
	if _, err := os.Stat("/etc/ovh.conf"); err == nil {
		t.Skip("/etc/ovh.conf exists on this machine")
	}
	cases := map[string]map[string]string{
		"ovh":       {"OVH_APPLICATION_KEY": "only-the-key"},
		"enstratus": {"ES_ACCESS_KEY": "only-the-access-key"},
	}
	for provider, vars := range cases {
		p, err := stratus.Lookup(provider)
		require.NoError(t, err)
		_, err = EnvOptions(p, func(string) string { return "" })
		assert.ErrorIs(t, err, ErrNoCredentials, provider)

		_, err = EnvOptions(p, func(k string) string { return vars[k] })
		require.Error(t, err, provider)
		assert.NotErrorIs(t, err, ErrNoCredentials, "%s: a half-done configuration is reported", provider)
		for _, v := range vars {
			assert.NotContains(t, err.Error(), v, "no credential in the message")
		}
		_, err = Connect(provider, func(k string) string { return vars[k] }, Options{Droplets: -1})
		assert.Error(t, err, "%s: no silent simulator", provider)
	}
}

// Every registered provider has a simulator here: a provider added
// without its file in this package fails this test, and the REPL, the
// query tool and the sandbox program would not know it.
func TestEveryProviderHasASimulator(t *testing.T) {
	assert.Equal(t, stratus.Providers(), Names())
	assert.Panics(t, func() { Register("digitalocean", startDigitalOcean) }, "one simulator per provider")
}
