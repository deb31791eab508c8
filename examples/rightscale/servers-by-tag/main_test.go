package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func TestFindsServersByTag(t *testing.T) {
	var out, errs bytes.Buffer
	cfg := config{Setup: sandbox.Setup{Getenv: func(string) string { return "" }, Stderr: &errs}}
	require.NoError(t, run(context.Background(), &out, cfg))
	got := out.String()
	assert.Contains(t, got, "2 servers tagged server:role=*\n")
	assert.Regexp(t, `(?m)^/api/servers/\d+\s+operational\s+app-1\s+server:role=app rs_monitoring:state=active$`, got)
	assert.Regexp(t, `(?m)^/api/servers/\d+\s+inactive\s+db-1\s+server:role=db rs_backup:lineage=prod_db$`, got)

	out.Reset()
	cfg.tags, cfg.all = []string{"server:role=app", "rs_monitoring:state=active"}, true
	require.NoError(t, run(context.Background(), &out, cfg))
	assert.Contains(t, out.String(), "1 servers tagged")
	out.Reset()
	cfg.tags = []string{"no:such=tag"}
	require.NoError(t, run(context.Background(), &out, cfg))
	assert.Equal(t, "0 servers tagged no:such=tag\n", out.String())
}
