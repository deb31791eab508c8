package sandbox

import (
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

func init() { Register(ovh.Provider.Name, startOVH) }

// startOVH serves the OVH API with the dedicated servers sized like the
// droplets. A consumer key requested through it validates itself after
// ActionDuration, as if its owner had clicked the validation link (which
// the simulator also serves).
func startOVH(o Options) (Endpoint, func(), error) {
	srv := ovhtest.NewServer(ovhtest.Config{
		DedicatedServers: max(o.Droplets, -1),
		ValidateAfter:    o.ActionDuration,
	})
	return Endpoint{
		URLKey:                    srv.URL(),
		ovh.CredApplicationKey:    srv.AppKey(),
		ovh.CredApplicationSecret: srv.AppSecret(),
		ovh.CredConsumerKey:       srv.ConsumerKey(),
	}, srv.Close, nil
}
