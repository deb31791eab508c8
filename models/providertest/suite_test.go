package providertest_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"testing"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/models/providertest"
	"github.com/stratus-cloud/stratus/transport"
	sim "github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mutantEnv names the broken harness TestMutant runs.
const mutantEnv = "PROVIDERTEST_MUTANT"

// mutants are harnesses (or clients) broken in one way each, the run
// pattern that reaches the checks concerned, and the subtests that must
// fail: the suite's checks can fail.
var mutants = []struct {
	name, run string
	fail      []string
}{
	{"no-cache", "TestMutant/(droplet|provider)/", []string{"droplet/second_listing_within_ttl_no_request", "provider/write_invalidates_cache"}},
	{"no-retry", "TestMutant/droplet/", []string{"droplet/get_retried_on_503", "droplet/get_retried_on_reset", "droplet/get_retried_on_truncated_body"}},
	{"wrong-total", "TestMutant/droplet/", []string{"droplet/list_items_hydrated", "droplet/paging_ceil_total_over_size"}},
	{"stale-outside", "TestMutant/routes/", []string{"routes/simulator_routes_known_to_registry"}},
	{"get-write", "TestMutant/provider/", []string{"provider/write_invalidates_cache"}},
	{"secret-in-data", "TestMutant/(droplet/first|secrets)", []string{"secrets/pprint", "secrets/log_lines_text"}},
}

// TestSuiteCatchesMutants runs each broken harness in a child process and
// checks that the suite fails it where it should.
func TestSuiteCatchesMutants(t *testing.T) {
	if os.Getenv(mutantEnv) != "" {
		return
	}
	for _, m := range mutants {
		t.Run(m.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run="+m.run, "-test.v")
			cmd.Env = append(os.Environ(), mutantEnv+"="+m.name)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite passed a broken harness:\n%s", out)
			for _, f := range m.fail {
				assert.Contains(t, string(out), "--- FAIL: TestMutant/"+f+" ", "%s fails", f)
			}
		})
	}
}

// TestMutant is the child process of TestSuiteCatchesMutants.
func TestMutant(t *testing.T) {
	m := os.Getenv(mutantEnv)
	if m == "" {
		return
	}
	srv := sim.NewServer(sim.Config{Droplets: 5, HourlyLimit: -1, BurstLimit: -1})
	t.Cleanup(srv.Close)
	newClient := func(t testing.TB, opts ...stratus.Option) *stratus.Client {
		opts = append([]stratus.Option{do.Token(srv.Token()), stratus.WithBaseURL(srv.URL())}, opts...)
		switch m {
		case "no-cache":
			opts = append(opts, stratus.WithoutCache())
		case "no-retry":
			opts = append(opts, stratus.WithRetry(transport.NoRetry))
		}
		c, err := do.New(opts...)
		require.NoError(t, err)
		return c
	}
	ip, act, err := do.CreateFloatingIP(context.Background(), newClient(t), do.FloatingIPCreate{DropletID: 400000000})
	require.NoError(t, err)
	faults := map[providertest.Fault]sim.Fault{providertest.Fault503: sim.Fault503, providertest.Fault429: sim.Fault429,
		providertest.FaultReset: sim.FaultReset, providertest.FaultResetAfter: sim.FaultResetAfter,
		providertest.FaultTruncated: sim.FaultTruncated, providertest.FaultMalformed: sim.FaultMalformed}
	h := providertest.Harness{
		Provider: do.Provider, NewClient: newClient, Routes: srv.Routes(), Secrets: []string{srv.Token()},
		Inject: func(f providertest.Fault) { srv.InjectNext(faults[f]) },
		Write: func(ctx context.Context, c *stratus.Client) error {
			_, err := do.CreateTag(ctx, c, "conformance")
			return err
		},
		Kinds: map[string]providertest.Kind{
			"droplet":       {ID: "400000000", Missing: "1", Total: 5, PageSize: 2},
			"action":        {ID: act.Handle().ID(), Missing: "1", Total: 1},
			"image":         {ID: "63663980", Missing: "1", Total: 14, PageSize: 5},
			"region":        {NoItem: "no GET /v2/regions/{slug}", Total: 13},
			"size":          {NoItem: "no GET /v2/sizes/{slug}", Total: 12},
			"ssh_key":       {ID: "41000000", Missing: "1", Total: 2},
			"domain":        {ID: "example.com", Missing: "missing.example", Total: 1},
			"domain_record": {Parent: "example.com", ID: "300000000", Missing: "1", Total: 8},
			"floating_ip":   {ID: ip.Handle().ID(), Missing: "192.0.2.1", Total: 1},
			"tag":           {ID: "web", Missing: "missing", Total: 4},
			"account":       {NoMissing: "the token's account", NoList: "one account"},
			"kernel":        {NoItem: "no GET for one kernel", Parent: "400000000", Total: 3},
		},
		Outside: map[string]string{"/v2/reports": "raw reports", "/v2/reserved_ips": "floating IPs"},
	}
	switch m {
	case "wrong-total":
		k := h.Kinds["droplet"]
		k.Total = 4
		h.Kinds["droplet"] = k
	case "stale-outside":
		h.Outside["/v2/droplets"] = "known to the registry"
	case "get-write":
		h.Write = func(ctx context.Context, c *stratus.Client) error {
			_, err := c.Do(ctx, http.MethodGet, "/v2/account", nil, nil)
			return err
		}
	case "secret-in-data":
		// A droplet's name is in its Pprint; its id in the log lines of
		// the requests that read it.
		h.Secrets = append(h.Secrets, "web-0001", "400000000")
	}
	providertest.Run(t, h)
}
