package simulator

import (
	"fmt"
	"time"

	"github.com/stratus-cloud/stratus"
)

// ClientFor builds a client of the registered provider name for a
// simulator at baseURL, with its credentials and clock, then the caller's
// options (which win). Simulators live below the model packages and do not
// import them: the provider is found in the registry, where its model
// package registered it, so the program must import that package (it does
// as soon as it makes a handle).
func ClientFor(name, baseURL string, creds map[string]string, now func() time.Time, opts ...stratus.Option) (*stratus.Client, error) {
	if baseURL == "" {
		return nil, fmt.Errorf("%stest: the simulator does not listen (built with NewHandler): mount it and use WithBaseURL", name)
	}
	p, err := stratus.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("%stest: provider %q not registered: import github.com/stratus-cloud/stratus/models/%s", name, name, name)
	}
	all := append([]stratus.Option{
		stratus.WithBaseURL(baseURL),
		stratus.WithCredentials(creds),
		stratus.WithClock(now),
	}, opts...)
	return stratus.New(p, all...)
}
