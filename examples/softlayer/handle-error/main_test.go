package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func TestHandlesAMissingGuest(t *testing.T) {
	sandbox.Isolate(t)
	for _, xmlrpc := range []bool{false, true} {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), &out, config{getenv: func(string) string { return "" }, id: 42, xmlrpc: xmlrpc}))
		got := out.String()
		assert.Contains(t, got, "Unable to retrieve virtual guest. faultCode=SoftLayer_Exception_ObjectNotFound, faultString=Unable to find object with id of '42'.\n")
		assert.Contains(t, got, "HTTP status 404, not found: true, unauthorized: false\n")
		assert.Contains(t, got, `hostname "", last error: softlayer:`)
		assert.Contains(t, got, "SoftLayer_Exception_ObjectNotFound")
	}
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, config{getenv: func(string) string { return "" }, id: 100}))
	assert.Contains(t, out.String(), "guest 100 is vs-test1.test.sftlyr.ws\n")
}
