package enstratus_test

import (
	"context"
	"testing"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/models/providertest"
	sim "github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stretchr/testify/require"
)

func TestConformance(t *testing.T) {
	srv := sim.NewServer(sim.Config{})
	t.Cleanup(srv.Close)
	newClient := func(t testing.TB, opts ...stratus.Option) *stratus.Client {
		base := []stratus.Option{es.Keys(srv.AccessKey(), srv.SecretKey()), stratus.WithBaseURL(srv.URL()), stratus.WithClock(srv.Now)}
		c, err := es.New(append(base, opts...)...)
		require.NoError(t, err)
		return c
	}
	faults := map[providertest.Fault]sim.Fault{providertest.Fault503: sim.Fault503HTML, providertest.Fault429: sim.Fault429,
		providertest.FaultReset: sim.FaultReset, providertest.FaultResetAfter: sim.FaultResetAfter,
		providertest.FaultTruncated: sim.FaultTruncated, providertest.FaultMalformed: sim.FaultMalformed}
	// The API does not page (PageSize 0); four lists require a region. The
	// totals are those of mixcoatl's test data and answers.
	const region = "?regionId=19344"
	providertest.Run(t, providertest.Harness{
		Provider: es.Provider, NewClient: newClient, Routes: srv.Routes(), Secrets: []string{srv.AccessKey(), srv.SecretKey()},
		Inject: func(f providertest.Fault) { srv.InjectNext(faults[f]) },
		Write: func(ctx context.Context, c *stratus.Client) error {
			_, err := es.CreateFirewallRule(ctx, c, es.RuleSpec{FirewallID: 116387, NetworkAddress: "192.0.2.0/24", Protocol: "TCP", StartPort: 443})
			return err
		},
		Kinds: map[string]providertest.Kind{
			"cloud":          {ID: "1", Missing: "999", Total: 29},
			"region":         {ID: "19340", Missing: "999", Total: 8},
			"data_center":    {ID: "64351", Missing: "999", List: region, Total: 3},
			"subscription":   {ID: "19340", Missing: "999", Total: 8},
			"server":         {ID: "311540", Missing: "999", Total: 10},
			"machine_image":  {ID: "281535", Missing: "999", List: region, Total: 7},
			"server_product": {ID: "640", Missing: "999", List: region, Total: 26},
			"volume":         {ID: "205535", Missing: "999", Total: 30},
			"snapshot":       {ID: "23008962", Missing: "999", Total: 19},
			"firewall":       {ID: "116387", Missing: "999", List: region, Total: 8},
			"firewall_rule":  {ID: "500001", Missing: "999", Total: 11},
			"load_balancer":  {ID: "10924", Missing: "999", Total: 2},
			"account":        {ID: "16000", Missing: "999", Total: 1},
			"user":           {ID: "6789", Missing: "999", Total: 3},
			"job":            {ID: "1", Missing: "999", Total: 8},
			"api_key":        {ID: "ABCDEFGHIJKL", Missing: "NOSUCHKEY", Total: 4},
			"billing_code":   {ID: "10287", Missing: "999", Total: 2},
			"group":          {ID: "9465", Missing: "999", Total: 2},
			"role":           {ID: "13712", Missing: "999", Total: 2},
		},
	})
}
