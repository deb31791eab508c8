package enstratustest

import (
	"testing"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// The guide's setup, as a program, launches a server and waits for its
// job with no other option: the client signs with the simulator's clock.
func TestDocSetupRunsAsAProgram(t *testing.T) {
	simulator.CheckDocSetup(t, "../../../docs/providers/enstratus.md", "web-1 COMPLETE RUNNING false")
	if NewHandler(Config{RealTime: true}).ManualClock() {
		t.Error("RealTime is the wall clock")
	}
}
