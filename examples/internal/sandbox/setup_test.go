//go:build linux

package sandbox

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/examples/internal/pty"
)

// On a terminal the question is asked and only y or yes goes on.
func TestConfirmAsksOnATerminal(t *testing.T) {
	for answer, ok := range map[string]bool{"y\n": true, "YES\n": true, "n\n": false, "\n": false, "sure\n": false} {
		controller, tty, err := pty.Open()
		require.NoError(t, err)
		var stderr bytes.Buffer
		s := Setup{Stdin: tty, Stderr: &stderr}
		_, err = controller.WriteString(answer)
		require.NoError(t, err)
		err = s.Confirm("power off 13 droplets")
		if ok {
			assert.NoError(t, err, "%q", answer)
		} else {
			assert.ErrorIs(t, err, ErrNotConfirmed, "%q", answer)
		}
		assert.Equal(t, "This will power off 13 droplets.\nGo on? [y/N] ", stderr.String())
		controller.Close()
		tty.Close()
	}
}

func TestConfirmRefusesWithoutATerminal(t *testing.T) {
	var stderr bytes.Buffer
	s := Setup{Stdin: strings.NewReader("y\n"), Stderr: &stderr}
	err := s.Confirm("power off 13 droplets")
	assert.ErrorIs(t, err, ErrNotConfirmed)
	assert.ErrorContains(t, err, "refusing to power off 13 droplets without -yes")
	assert.Empty(t, stderr.String(), "nothing is asked where nobody can answer")
}
