package sandbox

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Bogus returns an environment that holds made-up credentials of
// provider, pointed at a loopback server that answers 401 to everything,
// and a count of the requests that server received. A program run with it
// believes it has a real account; the count tells whether it sent anything.
func Bogus(t testing.TB, provider string) (getenv func(string) string, sent func() int64) {
	t.Helper()
	Isolate(t)
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"id":"unauthorized","message":"bogus credentials"}`))
	}))
	t.Cleanup(srv.Close)
	env := map[string]map[string]string{
		"digitalocean": {"DIGITALOCEAN_ACCESS_TOKEN": "dop_v1_bogus", "DIGITALOCEAN_API_URL": srv.URL},
		"ovh": {"OVH_ENDPOINT": srv.URL, "OVH_APPLICATION_KEY": "bogus-ak", "OVH_APPLICATION_SECRET": "bogus-as",
			"OVH_CONSUMER_KEY": "bogus-ck"},
		"enstratus": {"ES_ACCESS_KEY": "bogus-access", "ES_SECRET_KEY": "bogus-secret", "ES_ENDPOINT": srv.URL + "/api/enstratus/2012-06-15"},
	}[provider]
	if env == nil {
		t.Fatalf("Bogus: no made-up environment for provider %q", provider)
	}
	return func(k string) string { return env[k] }, n.Load
}

// MainFunc runs a scenario program as its main does, with s and the
// command-line arguments args, and returns its exit code.
type MainFunc func(s Setup, args []string) int

// TestSafety checks the two common flags of a scenario program: with
// made-up credentials in the environment, stdin not a terminal and no
// -yes, a program that changes resources (changes) sends nothing and
// exits non-zero, while one that only reads says it uses the environment;
// with -sandbox, the same environment is ignored and the program succeeds
// against the simulator; -h prints help that names both flags.
func TestSafety(t *testing.T, provider string, changes bool, main MainFunc) {
	t.Run("without -yes", func(t *testing.T) {
		getenv, sent := Bogus(t, provider)
		var stderr bytes.Buffer
		code := main(Setup{Getenv: getenv, Stdin: strings.NewReader("y\n"), Stderr: &stderr}, nil)
		assert.NotEqual(t, 0, code, stderr.String())
		assert.Contains(t, stderr.String(), "using credentials from the environment", "it says what it uses")
		if changes {
			assert.Zero(t, sent(), "nothing is sent before the confirmation")
			assert.Contains(t, stderr.String(), "without -yes: stdin is not a terminal")
			assert.Contains(t, stderr.String(), "nothing was changed")
		}
	})
	t.Run("-sandbox", func(t *testing.T) {
		getenv, sent := Bogus(t, provider)
		var stderr bytes.Buffer
		code := main(Setup{Getenv: getenv, Stdin: strings.NewReader(""), Stderr: &stderr}, []string{"-sandbox"})
		assert.Equal(t, 0, code, stderr.String())
		assert.Zero(t, sent(), "the credentials of the environment are not used")
		assert.Contains(t, stderr.String(), "-sandbox: using the built-in simulator at http://127.0.0.1:")
	})
	t.Run("-h", func(t *testing.T) {
		var stderr bytes.Buffer
		code := main(Setup{Getenv: NoEnv, Stderr: &stderr}, []string{"-h"})
		assert.Equal(t, 0, code)
		assert.Contains(t, stderr.String(), "usage: ")
		assert.Contains(t, stderr.String(), "-sandbox")
		assert.Contains(t, stderr.String(), "-yes")
	})
}
