package ovhtest

import (
	"testing"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// The guide's setup, as a program, creates an instance and waits for it to
// be ACTIVE with no other option. OVH's clock is the wall clock unless a
// test asks for a manual one.
func TestDocSetupRunsAsAProgram(t *testing.T) {
	simulator.CheckDocSetup(t, "../../../docs/providers/ovh.md", "web-1 ACTIVE false")
	if NewHandler(Config{}).ManualClock() || !NewHandler(Config{Clock: ClockManual}).ManualClock() {
		t.Error("the wall clock by default, a manual one when asked")
	}
}
