package sandbox

import (
	"github.com/stratus-cloud/stratus/models/softlayer"
	"github.com/stratus-cloud/stratus/transport/softlayer/softlayertest"
)

func init() { Register(softlayer.Provider.Name, startSoftLayer) }

// startSoftLayer serves the SoftLayer API (REST at the endpoint, XML-RPC
// beside it) on the wall clock, with the guests sized like the droplets
// and a provisioning that lasts ActionDuration.
func startSoftLayer(o Options) (Endpoint, func(), error) {
	srv := softlayertest.NewServer(softlayertest.Config{
		Guests:        max(o.Droplets, -1),
		RealTime:      true,
		ProvisionStep: max(o.ActionDuration/3, 1),
	})
	return Endpoint{
		URLKey:                 srv.URL(),
		softlayer.CredUsername: srv.Username(),
		softlayer.CredAPIKey:   srv.APIKey(),
	}, srv.Close, nil
}
