package scope_test

import (
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/softlayer"
	"github.com/stratus-cloud/stratus/scope"
	"github.com/stratus-cloud/stratus/transport/softlayer/softlayertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSoftLayerScope(t *testing.T) {
	srv := softlayertest.NewServer(softlayertest.Config{Guests: 5, Hardware: 3})
	t.Cleanup(srv.Close)
	c, err := softlayer.New(softlayer.Credentials(srv.Username(), srv.APIKey()), softlayer.Endpoint(srv.XMLRPCURL()))
	require.NoError(t, err)
	kinds := map[string]int{}
	for it, err := range scope.List(t.Context(), scope.KindServer, c) {
		require.NoError(t, err)
		kinds[it.NativeKind()]++
		assert.NotEmpty(t, it.String(scope.FieldName))
		assert.NotEmpty(t, it.String(scope.FieldRegion), "the datacenter came with the list")
		assert.Equal(t, scope.StateRunning, it.State(), it.NativeState())
	}
	assert.Equal(t, map[string]int{"virtual_guest": 5, "hardware": 3}, kinds)
	assert.Equal(t, 2, srv.Calls("Account", ""), "one listing each, no request per item")

	var hosts []string
	for it, err := range scope.ListUnder(t.Context(), scope.KindDNSRecord, "12345", c) {
		require.NoError(t, err)
		hosts = append(hosts, it.String(scope.FieldName))
	}
	assert.Len(t, hosts, 6)
	acct, err := scope.Get(c, scope.KindAccount, "")
	require.NoError(t, err)
	assert.Equal(t, "Stratus Test Company", acct.String(scope.FieldName))
	dc, err := scope.Get(c, scope.KindDataCenter, "1441195")
	require.NoError(t, err)
	assert.Equal(t, "dal10", dc.String(scope.FieldName))
	_ = stratus.ErrNotFound
}
