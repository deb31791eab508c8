package sandbox

import (
	"time"

	"github.com/stratus-cloud/stratus/models/softlayer"
	"github.com/stratus-cloud/stratus/transport/softlayer/softlayertest"
)

func init() { Register(softlayer.Provider.Name, startSoftLayer) }

// startSoftLayer serves the SoftLayer API (REST at the endpoint, XML-RPC
// beside it) on the wall clock, with the guests sized like the droplets
// and a provisioning that lasts ActionDuration.
func startSoftLayer(o Options) (Endpoint, func(), error) {
	srv := softlayertest.NewServer(softlayertest.Config{
		Guests:        o.Droplets,
		Clock:         softlayertest.ClockReal,
		ProvisionStep: max(o.ActionDuration/3, time.Millisecond),
	})
	return Endpoint{
		URLKey:                 srv.RESTURL(),
		softlayer.CredUsername: srv.Username(),
		softlayer.CredAPIKey:   srv.APIKey(),
	}, srv.Close, nil
}
