package digitaloceantest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// The setup docs/providers/digitalocean.md shows, run as a plain program,
// creates a droplet and waits for it with no option beyond the doc's: on
// the wall clock, which a program gets by default.
func TestDocSetupRunsAsAProgram(t *testing.T) {
	snippet := simulator.DocSnippet(t, "../../../docs/providers/digitalocean.md", "## The simulator")
	simulator.RequireSnippetIn(t, snippet, "testdata/docsetup/main.go")
	out := simulator.RunProgram(t, "testdata/docsetup")
	require.Equal(t, "web-1 completed active false", strings.TrimSpace(out))
	assert.True(t, NewHandler(Config{}).ManualClock(), "a test binary gets a manual clock by default")
}
