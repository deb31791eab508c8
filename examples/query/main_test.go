package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

// noEnv is an environment without credentials, whatever the developer's
// shell holds: tests never reach a real account.
func noEnv(string) string { return "" }

func query(t *testing.T, getenv func(string) string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, getenv, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSandboxQueryHonoursPerPage(t *testing.T) {
	code, out, errOut := query(t, noEnv, "-sandbox", "digitalocean", "/v2/droplets", `{"per_page":5}`)
	require.Equal(t, exitOK, code, errOut)
	require.True(t, gjson.Valid(out), "stdout is not JSON: %s", out)
	res := gjson.Parse(out)
	assert.Len(t, res.Get("droplets").Array(), 5)
	assert.EqualValues(t, sandbox.DefaultDroplets, res.Get("meta.total").Int())
	assert.Contains(t, out, "\n  \"droplets\": [", "the answer is printed indented")
}

func TestErrorGoesToStderr(t *testing.T) {
	code, out, errOut := query(t, noEnv, "-sandbox", "digitalocean", "/v2/droplets/1")
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.Regexp(t, `^query: -sandbox: using the built-in simulator at \S+\nquery: digitalocean: GET /v2/droplets/1: 404 not_found: .*\[not found\]\n$`, errOut)
}

func TestPostSendsTheBody(t *testing.T) {
	code, out, errOut := query(t, noEnv, "-sandbox", "-X", "post", "digitalocean", "/v2/tags", `{"name":"from-query"}`)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "from-query", gjson.Get(out, "tag.name").String())
}

func TestCredentialsFromTheEnvironment(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{Droplets: 3})
	require.NoError(t, err)
	defer sb.Close()
	ep := sb.Endpoints["digitalocean"]
	env := map[string]string{"DIGITALOCEAN_TOKEN": ep["token"], "DIGITALOCEAN_API_URL": ep.URL()}

	code, out, errOut := query(t, func(k string) string { return env[k] }, "digitalocean", "/v2/droplets")
	require.Equal(t, exitOK, code, errOut)
	assert.EqualValues(t, 3, gjson.Get(out, "meta.total").Int())
	assert.NotContains(t, out+errOut, ep["token"])

	env["DIGITALOCEAN_TOKEN"] = "dop_v1_wrong"
	code, _, errOut = query(t, func(k string) string { return env[k] }, "digitalocean", "/v2/droplets")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "401")
	assert.NotContains(t, errOut, "dop_v1_wrong")
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
		msg  string
	}{
		{"no path", []string{"digitalocean"}, exitUsage, "usage:"},
		{"bad JSON", []string{"-sandbox", "digitalocean", "/v2/droplets", "{per_page:5}"}, exitUsage, "not valid JSON"},
		{"bad method", []string{"-X", "FETCH", "digitalocean", "/v2/droplets"}, exitUsage, "unknown HTTP method"},
		{"unknown provider", []string{"-sandbox", "nimbus", "/v1/x"}, exitError, "forgotten import?"},
		{"no credentials", []string{"digitalocean", "/v2/account"}, exitError, "no credentials found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := query(t, noEnv, tt.args...)
			assert.Equal(t, tt.want, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.msg)
		})
	}
}

// TestSandboxEnstratusAsMixcoatlsQueryScript runs es-dump.py's two
// examples: paths relative to the versioned base URL, without a leading
// slash, answered in the API's envelope.
func TestSandboxEnstratusAsMixcoatlsQueryScript(t *testing.T) {
	code, out, errOut := query(t, noEnv, "-sandbox", "enstratus", "admin/Job")
	require.Equal(t, exitOK, code, errOut)
	require.True(t, gjson.Valid(out), "stdout is not JSON: %s", out)
	jobs := gjson.Get(out, "jobs")
	require.True(t, jobs.IsArray(), out)
	assert.NotEmpty(t, jobs.Array())
	assert.Equal(t, "kaboom!", gjson.Get(out, `jobs.#(jobId==5).message`).String())
	assert.Contains(t, out, "\n  \"jobs\": [", "the answer is printed indented")

	code, out, errOut = query(t, noEnv, "-sandbox", "enstratus", "geography/DataCenter", `{"regionId":19344}`)
	require.Equal(t, exitOK, code, errOut)
	dcs := gjson.Get(out, "dataCenters").Array()
	require.Len(t, dcs, 3, out)
	for _, dc := range dcs {
		assert.EqualValues(t, 19344, dc.Get("region.regionId").Int())
		assert.Equal(t, "Oregon (us-west-2)", dc.Get("region.name").String(), "no x-es-details: the API answers extended")
	}

	// With the slash, the same; the required parameter missing is the API's 400.
	code, out, _ = query(t, noEnv, "-sandbox", "enstratus", "/geography/DataCenter?regionId=19344")
	require.Equal(t, exitOK, code)
	assert.Len(t, gjson.Get(out, "dataCenters").Array(), 3)
	code, out, errOut = query(t, noEnv, "-sandbox", "enstratus", "geography/DataCenter")
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.Regexp(t, `^query: -sandbox: using the built-in simulator at \S+\nquery: enstratus: GET /geography/DataCenter: 400 Missing required parameter: regionId \[invalid request\]\n$`, errOut)

	// And digitalocean's paths still work without their slash.
	code, out, errOut = query(t, noEnv, "-sandbox", "digitalocean", "v2/droplets", `{"per_page":2}`)
	require.Equal(t, exitOK, code, errOut)
	assert.Len(t, gjson.Get(out, "droplets").Array(), 2)
}

func TestEnstratusCredentialsFromTheEnvironment(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{Droplets: 3})
	require.NoError(t, err)
	defer sb.Close()
	ep := sb.Endpoints["enstratus"]
	env := map[string]string{"ES_ACCESS_KEY": ep["access_key"], "ES_SECRET_KEY": ep["secret_key"], "ES_ENDPOINT": ep.URL()}

	code, out, errOut := query(t, func(k string) string { return env[k] }, "enstratus", "infrastructure/Server")
	require.Equal(t, exitOK, code, errOut)
	assert.Len(t, gjson.Get(out, "servers").Array(), 3)
	assert.NotContains(t, out+errOut, ep["secret_key"])

	env["ES_SECRET_KEY"] = "wrong-secret-key"
	code, _, errOut = query(t, func(k string) string { return env[k] }, "enstratus", "admin/Job")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "403 Invalid signature")
	assert.NotContains(t, errOut, "wrong-secret-key")
}

// A request that changes a real account needs -yes when there is no
// terminal to ask on; nothing is sent without it.
func TestWritesToARealAccountNeedYes(t *testing.T) {
	getenv, sent := sandbox.Bogus(t, "digitalocean")
	code, out, errOut := query(t, getenv, "-X", "POST", "digitalocean", "/v2/tags", `{"name":"web"}`)
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "query: refusing to send POST /v2/tags to the real digitalocean account at http://127.0.0.1:")
	assert.Zero(t, sent())

	code, _, _ = query(t, getenv, "-yes", "-X", "POST", "digitalocean", "/v2/tags", `{"name":"web"}`)
	assert.Equal(t, exitError, code, "the made-up token is refused")
	assert.EqualValues(t, 1, sent(), "with -yes the request goes")
}
