package enstratus_test

import (
	"testing"

	es "github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A field in no answer at all, read first from a basic item: the page is
// re-listed once in full, and nothing more is sent for any item, however
// many read it (200 servers: 2 requests, not 201).
func TestFieldInNoAnswerCostsOneRelisting(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{Servers: 200})
	servers, err := es.Servers(c).Collect(t.Context())
	require.NoError(t, err)
	require.Len(t, servers, 200)
	require.Equal(t, 1, srv.Requests())
	for _, s := range servers {
		assert.False(t, s.Field("cloud.noSuchField").Exists())
	}
	assert.Equal(t, 2, srv.Requests())
	assert.Zero(t, srv.RequestsTo("GET", "infrastructure/Server/"), "no item load")
	for _, s := range servers {
		assert.NotEmpty(t, s.Field("cloud.name").String(), "now whole")
	}
	assert.Equal(t, 2, srv.Requests())
}
