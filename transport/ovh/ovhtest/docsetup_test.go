package ovhtest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// The setup docs/providers/ovh.md shows, run as a plain program,
// creates an instance and waits for it to be ACTIVE, with no option: on
// the wall clock.
func TestDocSetupRunsAsAProgram(t *testing.T) {
	snippet := simulator.DocSnippet(t, "../../../docs/providers/ovh.md", "## The simulator")
	simulator.RequireSnippetIn(t, snippet, "testdata/docsetup/main.go")
	out := simulator.RunProgram(t, "testdata/docsetup")
	require.Equal(t, "web-1 ACTIVE false", strings.TrimSpace(out))
	assert.False(t, NewHandler(Config{}).ManualClock(), "the wall clock, in a test too")
	assert.True(t, NewHandler(Config{Clock: ClockManual}).ManualClock())
}
