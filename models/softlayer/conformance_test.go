package softlayer_test

import (
	"context"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/providertest"
	"github.com/stratus-cloud/stratus/models/softlayer"
	sim "github.com/stratus-cloud/stratus/transport/softlayer/softlayertest"
	"github.com/stretchr/testify/require"
)

// TestConformance runs the shared suite over both protocols, each against
// its own simulator.
func TestConformance(t *testing.T) {
	for _, proto := range []string{"rest", "xmlrpc"} {
		t.Run(proto, func(t *testing.T) {
			srv := sim.NewServer(sim.Config{Guests: 7})
			t.Cleanup(srv.Close)
			u, read := srv.RESTURL(), ""
			if proto == "xmlrpc" {
				u, read = srv.XMLRPCURL(), "POST"
			}
			newClient := func(t testing.TB, opts ...stratus.Option) *stratus.Client {
				c, err := softlayer.New(append([]stratus.Option{softlayer.Credentials(srv.Username(), srv.APIKey()), softlayer.Endpoint(u)}, opts...)...)
				require.NoError(t, err)
				return c
			}
			faults := map[providertest.Fault]sim.Fault{providertest.Fault503: sim.Fault503, providertest.Fault429: sim.Fault429,
				providertest.FaultReset: sim.FaultReset, providertest.FaultResetAfter: sim.FaultResetAfter,
				providertest.FaultTruncated: sim.FaultTruncated, providertest.FaultMalformed: sim.FaultMalformed}
			providertest.Run(t, providertest.Harness{
				Provider: softlayer.Provider, NewClient: newClient, Routes: srv.Routes(), Secrets: []string{srv.APIKey()},
				ReadMethod: read,
				Inject:     func(f providertest.Fault) { srv.InjectNext(faults[f]) },
				Write: func(ctx context.Context, c *stratus.Client) error {
					// The guest's tags set to what they are.
					return softlayer.Guest(c, 100).SetTags(ctx, "production")
				},
				Kinds: map[string]providertest.Kind{
					"account":         {NoMissing: "the API user's own account", NoList: "one account per API user"},
					"virtual_guest":   {ID: "100", Missing: "1", Total: 7, PageSize: 3},
					"hardware":        {ID: "1000", Missing: "1", Total: 6, PageSize: 4},
					"dns_zone":        {ID: "12345", Missing: "1", Total: 3, PageSize: 2},
					"dns_record":      {ID: "1", Missing: "999999", List: "/SoftLayer_Dns_Domain/12345/getResourceRecords.json", Total: 6, PageSize: 4},
					"datacenter":      {ID: "1441195", Missing: "1", Total: 4, PageSize: 3},
					"product_package": {ID: "46", Missing: "1", Total: 2, PageSize: 1},
					"product_item":    {NoItem: "items are read from their package's getItems", List: "/SoftLayer_Product_Package/46/getItems.json", Total: 18, PageSize: 5},
				},
				Outside: map[string]string{
					"/SoftLayer_Virtual_Guest":             "createObject(s), editObject, deleteObject and the power actions, called by the handles' methods",
					"/SoftLayer_Hardware_Server":           "the power actions and setTags, called by the handles' methods",
					"/SoftLayer_Hardware":                  "the parent service of SoftLayer_Hardware_Server, served alike",
					"/SoftLayer_Dns_Domain":                "createObject, deleteObject, createARecord and the zone file, called by the model's functions",
					"/SoftLayer_Dns_Domain_ResourceRecord": "createObject, editObject and deleteObject of records",
					"/SoftLayer_Account":                   "the hourly and monthly guest lists and the current user, listed through the model's functions",
					"/SoftLayer_Location":                  "the parent service of SoftLayer_Location_Datacenter",
					"/SoftLayer_Product_Package":           "the package's items and prices, listed from a package handle",
				},
			})
		})
	}
}
