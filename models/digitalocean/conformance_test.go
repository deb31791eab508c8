package digitalocean_test

import (
	"context"
	"testing"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/models/providertest"
	sim "github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/require"
)

func TestConformance(t *testing.T) {
	srv := sim.NewServer(sim.Config{Droplets: 5, HourlyLimit: -1, BurstLimit: -1})
	t.Cleanup(srv.Close)
	newClient := func(t testing.TB, opts ...stratus.Option) *stratus.Client {
		c, err := do.New(append([]stratus.Option{do.Token(srv.Token()), stratus.WithBaseURL(srv.URL())}, opts...)...)
		require.NoError(t, err)
		return c
	}
	// A floating IP assigned to a droplet: the account's one IP and one action.
	ip, act, err := do.CreateFloatingIP(context.Background(), newClient(t), do.FloatingIPCreate{DropletID: 400000000})
	require.NoError(t, err)
	faults := map[providertest.Fault]sim.Fault{providertest.Fault503: sim.Fault503, providertest.Fault429: sim.Fault429,
		providertest.FaultReset: sim.FaultReset, providertest.FaultResetAfter: sim.FaultResetAfter,
		providertest.FaultTruncated: sim.FaultTruncated, providertest.FaultMalformed: sim.FaultMalformed}
	providertest.Run(t, providertest.Harness{
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
			"region":        {NoItem: "the API has no GET /v2/regions/{slug}", Total: 13, PageSize: 5},
			"size":          {NoItem: "the API has no GET /v2/sizes/{slug}", Total: 12, PageSize: 5},
			"ssh_key":       {ID: "41000000", Missing: "1", Total: 2, PageSize: 1},
			"domain":        {ID: "example.com", Missing: "missing.example", Total: 1},
			"domain_record": {Parent: "example.com", ID: "300000000", Missing: "1", Total: 8, PageSize: 3},
			"floating_ip":   {ID: ip.Handle().ID(), Missing: "192.0.2.1", Total: 1},
			"tag":           {ID: "web", Missing: "missing", Total: 4, PageSize: 3},
			"account":       {NoMissing: "the token's own account", NoList: "one account per token"},
			"kernel":        {NoItem: "the API has no GET for one kernel", Parent: "400000000", Total: 3, PageSize: 2},
		},
		Outside: map[string]string{
			"/v2/reports":      "NeighborIDs and AllNeighbors read the reports by raw path",
			"/v2/reserved_ips": "the floating IPs under the API's newer name, modelled as floating_ip",
		},
	})
}
