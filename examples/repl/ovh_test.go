package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

// OVH's loader reads ~/.ovh.conf besides the environment: the tests of
// this package run with a home that holds none, so that a developer's
// account is never used (nor made the only "real" provider, which would
// change which provider the REPL starts with). /etc/ovh.conf cannot be
// hidden; ovhSkipIfSystemConfig skips the OVH tests on such a machine.
func init() {
	os.Setenv("HOME", filepath.Join(os.TempDir(), "stratus-repl-test-home-without-ovh-conf"))
}

// ovhSimulator starts an OVH simulator owned by the test, without a rate
// limit, and returns the environment that points the REPL at it and a
// client of its own.
func ovhSimulator(t *testing.T, cfg ovhtest.Config) (*ovhtest.Server, func(string) string, *stratus.Client) {
	t.Helper()
	sandbox.Isolate(t)
	cfg.RateLimit = -1
	srv := ovhtest.NewServer(cfg)
	t.Cleanup(srv.Close)
	vars := map[string]string{
		"OVH_ENDPOINT": srv.URL(), "OVH_APPLICATION_KEY": srv.AppKey(),
		"OVH_APPLICATION_SECRET": srv.AppSecret(), "OVH_CONSUMER_KEY": srv.ConsumerKey(),
	}
	c, err := ovh.New(ovh.Credentials(srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()), stratus.WithBaseURL(srv.URL()), stratus.WithoutCache())
	require.NoError(t, err)
	return srv, func(k string) string { return vars[k] }, c
}

func TestOVHScript(t *testing.T) {
	srv, env, c := ovhSimulator(t, ovhtest.Config{DedicatedServers: 8, Instances: 4})
	ctx := context.Background()
	name := srv.DedicatedServerNames()[0]
	require.Equal(t, ovh.BurstActive, srv.Burst(name))
	d := ovh.DedicatedServer(c, name)
	project := ovh.Project(c, srv.ProjectIDs()[0])
	ins, err := project.Instances().Collect(ctx)
	require.NoError(t, err)
	in := ins[0]
	require.Equal(t, ovh.InstanceActive, in.Status())
	records, err := ovh.Zone(c, "example.com").Records().Collect(ctx)
	require.NoError(t, err)
	www := records[3]
	require.Equal(t, "www", www.SubDomain())
	bills, err := ovh.Bills(c).Collect(ctx)
	require.NoError(t, err)

	script := fmt.Sprintf(`use ovh
kinds
ls dedicated_servers limit=3
show dedicated_server %[1]s
get dedicated_server %[1]s datacenter
do burst dedicated_server %[1]s off
ls dns_records zone=example.com
show dns_record %[2]d zone=example.com
ls cloud_instances project=%[3]s
do stop cloud_instance %[4]s
wait cloud_instance %[4]s SHUTOFF
do start cloud_instance %[4]s project=%[3]s
wait cloud_instance %[3]s/%[4]s
do refresh dns_zone example.com
ls bills limit=2
show bill %[5]s
show me
ls domains
ls dns_zones
ls cloud_projects
`, name, www.ID(), project.ID(), in.ID(), bills[0].ID())
	var out bytes.Buffer
	err = run(ctx, strings.NewReader(script), &out, config{getenv: env, yes: true, sandbox: fast, clientOpts: fastWaits})
	require.NoError(t, err, out.String())
	got := out.String()

	assert.Regexp(t, `(?m)^\* ovh\s+environment\s+`+regexp.QuoteMeta(srv.URL()), got, "the only provider with credentials is used at once")
	assert.Contains(t, got, "using ovh (the real API at "+srv.URL()+")", "use says where it points")
	for _, re := range []string{
		// kinds: the extension's routes make nested kinds listable.
		`(?m)^cloud_instance\s+cloud_instances\s+infrastructure\s+ls,show,do,wait\s`,
		`(?m)^dns_record\s+dns_records\s+network\s+ls,show\s`,
		`(?m)^dedicated_server\s+dedicated_servers\s+infrastructure\s+ls,show,do\s`,
		// ls dedicated_servers: the name, then the table's columns.
		`(?m)^NAME\s+DATACENTER\s+IP\s+STATE\s+OS$`,
		`(?m)^` + regexp.QuoteMeta(name) + `\s+` + d.Datacenter() + `\s+` + regexp.QuoteMeta(d.IP()) + `\s+ok\s+\S+$`,
		`(?m)^3 of 8 dedicated_servers \(more with limit=N, all with limit=0\)$`,
		// show and get.
		`(?m)^  "name": "` + regexp.QuoteMeta(name) + `",$`,
		`(?m)^` + d.Datacenter() + `$`,
		// do burst.
		`(?m)^action EU\.ext-\S+: burst=inactive on dedicated_server ` + regexp.QuoteMeta(name) + `, inactive$`,
		// the records of the zone, and one of them.
		`(?m)^ID\s+TYPE\s+SUBDOMAIN\s+TARGET\s+TTL$`,
		fmt.Sprintf(`(?m)^%d\s+CNAME\s+www\s+example\.com\.\s+0$`, www.ID()),
		`(?m)^6 dns_records$`,
		fmt.Sprintf(`(?m)^  "id": %d,$`, www.ID()),
		// instances of a project, their power and the waiter.
		`(?m)^ID\s+NAME\s+STATUS\s+REGION\s+PUBLIC_IPV4$`,
		`(?m)^` + in.ID() + `\s+` + regexp.QuoteMeta(in.Name()) + `\s+ACTIVE\s+` + in.Region() + `\s+` + regexp.QuoteMeta(in.PublicIPv4()) + `$`,
		`(?m)^action \S+: stop on cloud_instance ` + in.ID() + `, SHUTOFF$`,
		`(?m)^cloud_instance ` + in.ID() + ` is SHUTOFF after [0-9.]+s$`,
		`(?m)^action \S+: start on cloud_instance ` + in.ID() + `, ACTIVE$`,
		`(?m)^waiting for cloud_instance ` + project.ID() + `/` + in.ID() + ` to be ACTIVE \(timeout 15m0s; Ctrl-C stops waiting\)$`,
		`(?m)^action \S+: refresh on dns_zone example\.com, done$`,
		// bills: the price's text; the password and the URLs that carry
		// it are redacted.
		`(?m)^BILLID\s+DATE\s+PRICE_WITH_TAX\s+CATEGORY$`,
		`(?m)^` + bills[0].ID() + `\s+\S+\s+` + regexp.QuoteMeta(bills[0].PriceWithTax().Text) + `\s+\S+$`,
		`(?m)^  "password": "\[redacted\]",?$`,
		`(?m)^  "pdfUrl": "\[redacted\]",$`,
		`(?m)^  "firstname": "` + regexp.QuoteMeta(ovh.Me(c).FirstName()) + `",$`,
		`(?m)^DOMAIN\s+STATE\s+NAME_SERVERS\s+TRANSFER_LOCK\s+OFFER$`,
		`(?m)^example\.com\s+dns\d+\.ovh\.net,ns\d+\.ovh\.net\s+`,
		`(?m)^PROJECT_ID\s+NAME\s+STATUS\s+DESCRIPTION$`,
	} {
		assert.Regexp(t, re, got)
	}
	assert.NotContains(t, got, "error:")
	assert.NotContains(t, got, "passwd=")
	for _, s := range []string{srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()} {
		assert.NotContains(t, got, s)
	}

	assert.Equal(t, ovh.BurstInactive, srv.Burst(name), "the burst is off")
	assert.Equal(t, 1, srv.ZoneRefreshes("example.com"))
	require.NoError(t, in.Reload(ctx))
	assert.Equal(t, ovh.InstanceActive, in.Status(), "stopped, then started again")
	assert.Equal(t, 1, srv.RequestsTo("POST", "/cloud/project/"+project.ID()+"/instance/"+in.ID()+"/stop"))
}

func TestOVHErrorsAreOneLine(t *testing.T) {
	_, env, _ := ovhSimulator(t, ovhtest.Config{})
	script := `use ovh
ls dns_records
ls cloud_instances
show dedicated_server ns0.missing.eu
lasterror
do burst dedicated_server ns0.missing.eu maybe
do burst dedicated_server ns0.missing.eu on
do stop cloud_instance nosuchinstance
wait cloud_instance nosuchinstance BUILD
do reboot cloud_instance x sideways
ls me
`
	var out bytes.Buffer
	err := run(context.Background(), strings.NewReader(script), &out, config{getenv: env, yes: true, sandbox: fast, clientOpts: fastWaits})
	assert.ErrorIs(t, err, errScriptFailed)
	assert.ErrorContains(t, err, "9 command(s) failed")
	got := out.String()
	for _, want := range []string{
		"error: ls dns_records: give zone=VALUE (the path is /domain/zone/{zone}/record)",
		"error: ls cloud_instances: give project=VALUE (the path is /cloud/project/{project}/instance)",
		"error: ovh: GET /dedicated/server/ns0.missing.eu: 404 Client::NotFound: This service does not exist",
		"  request id  EU.ext-",
		`error: burst: say on or off, not "maybe"`,
		`error: ovh: find cloud_instance: no project has instance "nosuchinstance"`,
		"error: a cloud_instance can be waited on to be ACTIVE, SHUTOFF, not \"BUILD\"",
		`error: reboot: the argument can only be "hard" or "soft", got "sideways"`,
		"error: me cannot be listed (try: show me)",
	} {
		assert.Contains(t, got, want)
	}
}

// TestOVHInTheSandbox drives the REPL through a pipe against the built-in
// simulators, as a user would: list the servers, pick one, act on it.
func TestOVHInTheSandbox(t *testing.T) {
	sandbox.Isolate(t)
	send, waitFor, out, done := piped(t, config{getenv: noEnv, forceSandbox: true, sandbox: fast, clientOpts: fastWaits})

	send("use ovh", "ls dedicated_servers")
	waitFor(`(?m)^6 dedicated_servers$`)
	assert.Regexp(t, `(?m)^-sandbox: using the built-in simulators for .*\bovh\b`, out.String())
	assert.Regexp(t, `(?m)^  ovh\s+simulator\s+http://127\.0\.0\.1:\d+/1\.0\s`, out.String())
	name := waitFor(`(?m)^(ns\d+\.\S+)\s+\w+\s+[0-9.]+\s+ok\s`)[1]

	send("show dedicated_server "+name, "do burst dedicated_server "+name+" off", "ls dns_records zone=example.com")
	waitFor(`(?m)^  "name": "` + regexp.QuoteMeta(name) + `",$`)
	waitFor(`(?m)^action \S+: burst=inactive on dedicated_server ` + regexp.QuoteMeta(name) + `, inactive$`)
	waitFor(`(?m)^6 dns_records$`)
	send("quit")
	select {
	case err := <-done:
		require.NoError(t, err, out.String())
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after quit")
	}
	assert.NotContains(t, out.String(), "error:")
}

// Without the bulk mode, records come as ids: ls loads each from its
// nested path (under the zone), not from a path the kind does not have.
func TestOVHNestedIDList(t *testing.T) {
	_, env, c := ovhSimulator(t, ovhtest.Config{NoBulk: true, Records: 4})
	records, err := ovh.Zone(c, "example.com").Records().Collect(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, records)
	first := records[0]
	var out bytes.Buffer
	err = run(context.Background(), strings.NewReader("use ovh\nls dns_records zone=example.com\n"), &out, config{getenv: env, yes: true, sandbox: fast, clientOpts: fastWaits})
	require.NoError(t, err, out.String())
	assert.Regexp(t, fmt.Sprintf(`(?m)^%d\s+%s\s+`, first.ID(), first.FieldType()), out.String())
	assert.NotRegexp(t, `(?m)^\d+\s+-\s+-`, out.String(), "no row of dashes")
}
