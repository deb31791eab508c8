package sandbox

import (
	"strconv"

	"github.com/stratus-cloud/stratus/models/rightscale"
	"github.com/stratus-cloud/stratus/transport/rightscale/rightscaletest"
)

func init() { Register(rightscale.Provider.Name, startRightScale) }

// startRightScale serves the Cloud Management API at the root of its own
// origin, on the wall clock, with instances sized like the droplets and
// tasks lasting ActionDuration. The client logs in with the refresh token
// and acts on the simulated account.
func startRightScale(o Options) (Endpoint, func(), error) {
	srv := rightscaletest.NewServer(rightscaletest.Config{
		Size:         max(o.Droplets/10, 2),
		RealTime:     true,
		TaskDuration: o.ActionDuration,
		BootDuration: o.ActionDuration,
	})
	return Endpoint{
		URLKey:                      srv.URL(),
		rightscale.CredRefreshToken: srv.RefreshToken(),
		rightscale.CredAccountID:    strconv.Itoa(srv.AccountID()),
	}, srv.Close, nil
}
