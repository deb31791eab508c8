package sandbox

import (
	"github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
)

func init() { Register(digitalocean.Provider.Name, startDigitalOcean) }

// startDigitalOcean serves the DigitalOcean API with o.Droplets droplets,
// on the wall clock, with actions lasting o.ActionDuration.
func startDigitalOcean(o Options) (Endpoint, func(), error) {
	srv := digitaloceantest.NewServer(digitaloceantest.Config{
		Droplets:       o.Droplets,
		RealTime:       true,
		ActionDuration: o.ActionDuration,
	})
	return Endpoint{URLKey: srv.URL(), "token": srv.Token()}, srv.Close, nil
}
