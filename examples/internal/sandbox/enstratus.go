package sandbox

import (
	"github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
)

func init() { Register(enstratus.Provider.Name, startEnstratus) }

// startEnstratus serves the enStratus API with the servers sized like the
// droplets, on the wall clock (programs sign with it) and with jobs lasting
// ActionDuration. The endpoint is the full base URL, version included.
func startEnstratus(o Options) (Endpoint, func(), error) {
	srv := enstratustest.NewServer(enstratustest.Config{
		Servers:     o.Droplets,
		RealTime:    true,
		JobDuration: o.ActionDuration,
	})
	return Endpoint{
		URLKey:                  srv.URL(),
		enstratus.CredAccessKey: srv.AccessKey(),
		enstratus.CredSecretKey: srv.SecretKey(),
	}, srv.Close, nil
}
