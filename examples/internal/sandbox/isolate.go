package sandbox

import (
	"os"
	"testing"
)

// NoEnv is an environment without credentials, for tests of programs
// that fall back to the simulators.
func NoEnv(string) string { return "" }

// Isolate keeps a test off real accounts. OVH's loader reads ovh.conf
// files besides the environment: Isolate points HOME at an empty
// directory, and skips the test on a machine that has a system-wide
// /etc/ovh.conf or an ./ovh.conf, which cannot be hidden.
func Isolate(t testing.TB) {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	for _, f := range []string{"/etc/ovh.conf", "ovh.conf"} {
		if _, err := os.Stat(f); err == nil {
			t.Skipf("%s exists: the test could reach a real OVH account", f)
		}
	}
}
