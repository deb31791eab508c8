package ovh_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/models/providertest"
	sim "github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/require"
)

func TestConformance(t *testing.T) {
	srv := sim.NewServer(sim.Config{RateLimit: -1})
	t.Cleanup(srv.Close)
	newClient := func(t testing.TB, opts ...stratus.Option) *stratus.Client {
		c, err := ovh.New(append([]stratus.Option{ovh.Credentials(srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()), stratus.WithBaseURL(srv.URL())}, opts...)...)
		require.NoError(t, err)
		// The first signed call reads the API's clock (GET /auth/time) once
		// per client: done here, so that the suite counts from then on.
		_, _ = c.Do(context.Background(), http.MethodGet, "/auth/currentCredential", nil, nil)
		return c
	}
	faults := map[providertest.Fault]sim.Fault{providertest.Fault503: sim.Fault503HTML, providertest.Fault429: sim.Fault429,
		providertest.FaultReset: sim.FaultReset, providertest.FaultResetAfter: sim.FaultResetAfter,
		providertest.FaultTruncated: sim.FaultTruncated, providertest.FaultMalformed: sim.FaultMalformed}
	providertest.Run(t, providertest.Harness{
		Provider: ovh.Provider, NewClient: newClient, Routes: srv.Routes(),
		Secrets: []string{srv.AppKey(), srv.AppSecret(), srv.ConsumerKey()},
		Inject:  func(f providertest.Fault) { srv.InjectNext(faults[f]) },
		Write: func(ctx context.Context, c *stratus.Client) error {
			_, err := ovh.Post(ctx, c, "/domain/zone/example.com/refresh", nil)
			return err
		},
		Kinds: map[string]providertest.Kind{
			"me":               {NoMissing: "the consumer key's own account", NoList: "one account per consumer key"},
			"bill":             {ID: "FR40155470", Missing: "FR00000000", Total: 12, PageSize: 5},
			"dedicated_server": {ID: srv.DedicatedServerNames()[0], Missing: "ns0.ip-192-0-2.eu", Total: 3, PageSize: 2},
			"cloud_project":    {ID: srv.ProjectIDs()[0], Missing: "00000000000000000000000000000000", Total: 1},
			"cloud_instance":   {Parent: srv.ProjectIDs()[0], ID: "4d4da809-f479-4f18-98d3-3714279c20f7", Missing: "00000000-0000-0000-0000-000000000000", Total: 4},
			"domain":           {ID: "example.com", Missing: "missing.example", Total: 1},
			"dns_zone":         {ID: "example.com", Missing: "missing.example", Total: 1},
			"dns_record":       {Parent: "example.com", ID: "5068387953", Missing: "1", Total: 6, PageSize: 4},
		},
		Outside: map[string]string{"/auth": "the signer reads the API's clock; the consumer-key flow calls the rest by raw path"},
	})
}
