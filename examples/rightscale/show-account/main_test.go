package main

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func TestShowsTheAccount(t *testing.T) {
	var out, errs bytes.Buffer
	cfg := config{Setup: sandbox.Setup{Getenv: func(string) string { return "" }, Stderr: &errs}}
	require.NoError(t, run(context.Background(), &out, cfg))
	got := out.String()
	assert.Contains(t, got, "account /api/accounts/60073 Stratus Sandbox\n")
	assert.Contains(t, got, `"name": "Stratus Sandbox"`)
	assert.Contains(t, got, `"created_at": "2009/07/13 21:50:24 +0000"`)
	assert.Contains(t, got, "owner /api/users/888: Fred Accountholder <owner_user@example.com>\n")

	cfg.id = "1"
	err := run(context.Background(), &out, cfg)
	assert.True(t, errors.Is(err, stratus.ErrNotFound), "%v", err)
}
