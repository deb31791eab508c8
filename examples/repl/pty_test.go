//go:build linux

package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/examples/internal/pty"
)

// TestMain lets the tests run the REPL as a program of its own, on a
// pseudo-terminal that is its controlling terminal: the test binary runs
// itself with childEnv set.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(mainCode(os.Args[1:]))
	}
	os.Exit(m.Run())
}

const childEnv = "STRATUS_REPL_TEST_CHILD"

// terminal is a REPL process on a pseudo-terminal: keys are typed on the
// controller, the screen is read from it.
type terminal struct {
	t      *testing.T
	ctl    *os.File
	cmd    *exec.Cmd
	screen *syncBuffer
	done   chan error
}

// startTerminal runs the REPL with args on a new 100x40 terminal, with no
// credentials in its environment and its state under dir.
func startTerminal(t *testing.T, dir string, args ...string) *terminal {
	t.Helper()
	ctl, tty, err := pty.Open()
	require.NoError(t, err)
	require.NoError(t, pty.SetSize(tty, 100, 40))
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{childEnv + "=1", "HOME=" + dir, "XDG_STATE_HOME=" + filepath.Join(dir, "state"), "PATH=" + os.Getenv("PATH"), "TERM=xterm"}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	require.NoError(t, cmd.Start())
	tty.Close() // the child holds it
	term := &terminal{t: t, ctl: ctl, cmd: cmd, screen: &syncBuffer{}, done: make(chan error, 1)}
	go func() { _, _ = io.Copy(term.screen, ctl) }()
	go func() { term.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		ctl.Close()
	})
	term.waitFor(`digitalocean> $`)
	return term
}

func (term *terminal) typeKeys(keys string) {
	term.t.Helper()
	_, err := term.ctl.WriteString(keys)
	require.NoError(term.t, err)
}

// csi matches the terminal's control sequences (cursor moves, clearing).
var csi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// text is what the screen received, control sequences and carriage
// returns removed: a line the editor redrew holds its old and its new
// text one after the other.
func (term *terminal) text() string {
	return strings.ReplaceAll(csi.ReplaceAllString(term.screen.String(), ""), "\r", "")
}

// waitFor waits until the screen's text matches re.
func (term *terminal) waitFor(re string) string {
	term.t.Helper()
	rx := regexp.MustCompile(re)
	var got string
	require.Eventually(term.t, func() bool {
		got = term.text()
		return rx.MatchString(got)
	}, 15*time.Second, 10*time.Millisecond, "no %q on the screen:\n%s", re, term.screen)
	return got
}

// exit leaves with quit and returns the exit status.
func (term *terminal) exit() error {
	term.t.Helper()
	term.typeKeys("quit\r")
	select {
	case err := <-term.done:
		return err
	case <-time.After(15 * time.Second):
		term.t.Fatalf("the REPL did not leave:\n%s", term.screen)
		return nil
	}
}

func TestTerminalTabListsCandidates(t *testing.T) {
	term := startTerminal(t, t.TempDir(), "-sandbox", "-droplets", "3")
	term.typeKeys("ls d\t")
	term.waitFor(`ls d\s*domain_records  domains  droplets\n` + `digitalocean> ls d$`)
	term.typeKeys("r\t")
	term.waitFor(`ls droplets $`)
	term.typeKeys("limit=1\r")
	term.waitFor(`(?m)^400000000\s+web-0001\s+active`)

	// The ids the session has seen complete.
	term.typeKeys("show droplet 4\t")
	term.waitFor(`show droplet 400000000 $`)
	term.typeKeys("\r")
	term.waitFor(`"name": "web-0001"`)
	// Fields come from the registry.
	term.typeKeys("get droplet 400000000 size_\t")
	term.waitFor(`get droplet 400000000 size_slug $`)
	term.typeKeys("\r")
	term.waitFor(`(?m)^s-2vcpu-4gb\s*$`)
	assert.NoError(t, term.exit())
}

func TestTerminalHistoryIsKeptAcrossSessions(t *testing.T) {
	dir := t.TempDir()
	first := startTerminal(t, dir, "-sandbox", "-droplets", "3")
	first.typeKeys("fields droplet\r")
	first.waitFor(`(?m)^FIELD\s+TYPE\s+DESCRIPTION`)
	require.NoError(t, first.exit())

	file := filepath.Join(dir, "state", "stratus", "repl_history")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, "fields droplet\nquit\n", string(data))
	info, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the history is its owner's alone")
	dirInfo, err := os.Stat(filepath.Dir(file))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), dirInfo.Mode().Perm())

	second := startTerminal(t, dir, "-sandbox", "-droplets", "3")
	second.typeKeys("\x1b[A\x1b[A") // up twice: past quit to the command before it
	second.waitFor(`digitalocean> quit\s*fields droplet$`)
	second.typeKeys("\r")
	second.waitFor(`(?m)^FIELD\s+TYPE\s+DESCRIPTION`)
	require.NoError(t, second.exit())
}

func TestTerminalCtrlCInterruptsAWait(t *testing.T) {
	term := startTerminal(t, t.TempDir(), "-sandbox", "-droplets", "3")
	// web-0001 is active and nothing powers it off: the wait would last
	// its whole timeout.
	term.typeKeys("wait droplet 400000000 off timeout=10m\r")
	term.waitFor(`waiting for droplet 400000000 to be off \(timeout 10m0s; Ctrl-C stops waiting\)`)
	term.waitFor(`poll 1, `)
	term.typeKeys("\x03")
	got := term.waitFor(`error: wait: interrupted\s+digitalocean> $`)
	assert.NotContains(t, got, "is off after")
	// The session goes on.
	term.typeKeys("get droplet 400000000 status\r")
	term.waitFor(`(?m)^active\s*$`)
	assert.NoError(t, term.exit(), "an interrupted command does not end the session")
	assert.False(t, strings.Contains(term.screen.String(), "panic"))
}
