package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

// OVH's loader reads ~/.ovh.conf besides the environment: the tests of
// this package run with a home that holds none, so that a developer's
// account is never used. /etc/ovh.conf cannot be hidden: the OVH tests
// skip on a machine that has one.
func init() {
	os.Setenv("HOME", filepath.Join(os.TempDir(), "stratus-query-test-home-without-ovh-conf"))
}

func TestOVHSandboxMe(t *testing.T) {
	code, out, errOut := query(t, noEnv, "-sandbox", "ovh", "/me")
	require.Equal(t, exitOK, code, errOut)
	require.True(t, gjson.Valid(out), "stdout is not JSON: %s", out)
	me := gjson.Parse(out)
	assert.Regexp(t, `^[a-z]{2}\d{5}-ovh$`, me.Get("nichandle").String())
	assert.NotEmpty(t, me.Get("firstname").String())
	assert.Equal(t, "EUR", me.Get("currency.code").String())
	assert.Contains(t, out, "\n  \"nichandle\": ", "the answer is printed indented")
}

func TestOVHSandboxDedicatedServers(t *testing.T) {
	code, out, errOut := query(t, noEnv, "-sandbox", "ovh", "/dedicated/server")
	require.Equal(t, exitOK, code, errOut)
	names := gjson.Parse(out).Array()
	require.Len(t, names, sandbox.DefaultDroplets, "a raw GET answers the id list, not the bulk pages")
	assert.Regexp(t, `^ns\d+\.ip-[0-9-]+\.(eu|net|us)$`, names[0].String())

	// The same list through the v1 branch, with a query string.
	code, out, errOut = query(t, noEnv, "-sandbox", "ovh", "/v1/domain/zone/example.com/record", `{"fieldType":"NS"}`)
	require.Equal(t, exitOK, code, errOut)
	assert.Len(t, gjson.Parse(out).Array(), 2, "the zone's two name servers")
}

func TestOVHSandboxWriteAndError(t *testing.T) {
	code, out, errOut := query(t, noEnv, "-sandbox", "-X", "POST", "ovh", "/domain/zone/example.com/record",
		`{"fieldType":"A","subDomain":"query","target":"192.0.2.7"}`)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "query", gjson.Get(out, "subDomain").String())
	assert.Positive(t, gjson.Get(out, "id").Int())

	code, out, errOut = query(t, noEnv, "-sandbox", "ovh", "/dedicated/server/ns0.missing.eu")
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.Regexp(t, `^query: -sandbox: using the built-in simulator at \S+\nquery: ovh: GET /dedicated/server/ns0\.missing\.eu: 404 Client::NotFound: This service does not exist \(request EU\.ext-\S+\) \[not found\]\n$`, errOut)
}

func TestOVHCredentialsFromTheEnvironment(t *testing.T) {
	sandbox.Isolate(t)
	srv := ovhtest.NewServer(ovhtest.Config{DedicatedServers: 3})
	defer srv.Close()
	env := map[string]string{
		"OVH_ENDPOINT": srv.URL(), "OVH_APPLICATION_KEY": srv.AppKey(),
		"OVH_APPLICATION_SECRET": srv.AppSecret(), "OVH_CONSUMER_KEY": srv.ConsumerKey(),
	}
	getenv := func(k string) string { return env[k] }

	code, out, errOut := query(t, getenv, "ovh", "/dedicated/server")
	require.Equal(t, exitOK, code, errOut)
	assert.Len(t, gjson.Parse(out).Array(), 3)

	// A wrong secret: the signature is refused, and no credential shows.
	env["OVH_APPLICATION_SECRET"] = strings.Repeat("w", 32)
	code, out, errOut = query(t, getenv, "ovh", "/me")
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "400 INVALID_SIGNATURE: Invalid signature")
	for _, s := range []string{srv.AppKey(), srv.ConsumerKey(), env["OVH_APPLICATION_SECRET"]} {
		assert.NotContains(t, errOut, s)
	}

	// Half an application is a configuration error, not a request.
	delete(env, "OVH_APPLICATION_SECRET")
	code, _, errOut = query(t, getenv, "ovh", "/me")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "both application_key and application_secret must be given")
}

func TestOVHWithoutCredentials(t *testing.T) {
	sandbox.Isolate(t)
	code, out, errOut := query(t, noEnv, "ovh", "/me")
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "no credentials found")
	assert.Contains(t, errOut, "(or use -sandbox)")
}

// A bill's URLs carry its password as a query parameter: the raw answer
// prints them without it.
func TestOVHSandboxBillURLsRedacted(t *testing.T) {
	code, out, errOut := query(t, noEnv, "-sandbox", "ovh", "/me/bill")
	require.Equal(t, exitOK, code, errOut)
	ids := gjson.Parse(out).Array()
	require.NotEmpty(t, ids)
	code, out, errOut = query(t, noEnv, "-sandbox", "ovh", "/me/bill/"+ids[0].String())
	require.Equal(t, exitOK, code, errOut)
	bill := gjson.Parse(out)
	assert.Contains(t, bill.Get("pdfUrl").String(), "passwd=[redacted]")
	assert.Equal(t, "[redacted]", bill.Get("password").String())
	assert.NotRegexp(t, `passwd=[^\[]`, out)
}
