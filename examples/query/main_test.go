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
	assert.Regexp(t, `^query: digitalocean: GET /v2/droplets/1: 404 not_found: .*\[not found\]\n$`, errOut)
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
