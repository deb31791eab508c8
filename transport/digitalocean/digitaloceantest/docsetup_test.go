package digitaloceantest

import (
	"testing"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// The guide's setup, as a program on the wall clock a program gets by
// default, creates a droplet and waits for it with no other option; a test
// binary gets a manual clock.
func TestDocSetupRunsAsAProgram(t *testing.T) {
	simulator.CheckDocSetup(t, "../../../docs/providers/digitalocean.md", "web-1 completed active false")
	if !NewHandler(Config{}).ManualClock() {
		t.Error("a test binary gets a manual clock by default")
	}
}
