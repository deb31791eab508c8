package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func testConfig(xmlrpc bool) config {
	return config{
		getenv: func(string) string { return "" },
		// Each of the three provisioning steps lasts 500 ms, far longer than
		// the program takes to print the state it saw at creation, even on a
		// loaded machine.
		sandbox:    sandbox.Options{Droplets: 3, ActionDuration: 1500 * time.Millisecond},
		clientOpts: []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 30*time.Millisecond)},
		datacenter: "dal10", hostname: "web", domain: "example.com", xmlrpc: xmlrpc,
	}
}

func TestCreatesWaitsAndCancels(t *testing.T) {
	sandbox.Isolate(t)
	for _, xmlrpc := range []bool{false, true} {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), &out, testConfig(xmlrpc)))
		got := out.String()
		assert.Contains(t, got, "no credentials found: using the built-in simulator")
		if xmlrpc {
			assert.Contains(t, got, "/xmlrpc/v3.1")
		}
		assert.Regexp(t, `(?m)^createObject: guest \d+ web-raw\.example\.com$`, got)
		assert.Contains(t, got, "refused before sending: ")
		assert.Regexp(t, `(?m)^create_instance: guest \d+ web-manager\.example\.com \(CLOUD_CREATE_DISK\)$`, got)
		assert.Regexp(t, `(?m)^  guest \d+ poll \d+: CLOUD_INSTALL_OS$|^  guest \d+ poll \d+: CLOUD_CREATE_DISK$`, got)
		ready := regexp.MustCompile(`(?m)^guest (\d+) is ready: web-manager\.example\.com in dal10, 2 CPU, 2048 MB, RUNNING, provisioned .+, tags \[stratus example\]$`).FindStringSubmatch(got)
		require.NotNil(t, ready, got)
		assert.Contains(t, got, "guest "+ready[1]+" cancelled\n")
	}
}
