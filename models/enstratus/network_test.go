package enstratus_test

import (
	"context"
	"testing"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFirewallRuleCreateAndDelete(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()
	fw := es.Firewall(c, 116387)

	for _, bad := range []es.RuleSpec{
		{},
		{NetworkAddress: "10.0.0.0/8", Protocol: "TCP", StartPort: 80},
		{NetworkAddress: "10.0.0.300/8", Protocol: "TCP", StartPort: 80, FirewallID: 116387},
		{NetworkAddress: "10.0.0.0/8", Protocol: "SCTP", FirewallID: 116387},
		{NetworkAddress: "10.0.0.0/8", Protocol: "TCP", StartPort: 90, EndPort: 80, FirewallID: 116387},
		{NetworkAddress: "10.0.0.0/8", Protocol: "TCP", StartPort: 80, Direction: "SIDEWAYS", FirewallID: 116387},
	} {
		_, err := es.CreateFirewallRule(ctx, c, bad)
		assert.ErrorIs(t, err, stratus.ErrInvalid, "%+v", bad)
	}
	assert.Equal(t, 0, srv.Requests(), "refused before sending")

	rule, err := fw.AddRule(ctx, es.RuleSpec{NetworkAddress: "203.0.113.0/24", Protocol: "tcp", StartPort: 443})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestsTo("POST", "network/FirewallRule"))
	assert.NotZero(t, rule.ID())
	assert.Equal(t, "INGRESS", rule.Direction())
	assert.Equal(t, "TCP", rule.Protocol())
	assert.Equal(t, 443, rule.StartPort())
	assert.Equal(t, 443, rule.EndPort())
	assert.Equal(t, 116387, rule.FirewallID())
	assert.Equal(t, 1, srv.Requests(), "the answer filled the handle")

	icmp, err := es.CreateFirewallRule(ctx, c, es.RuleSpec{FirewallID: 116387, Direction: "egress", NetworkAddress: "0.0.0.0/0", Protocol: "ICMP"})
	require.NoError(t, err)
	assert.Equal(t, -1, icmp.StartPort())
	assert.Equal(t, "EGRESS", icmp.Direction())

	ids, err := fw.Rules().IDs(ctx)
	require.NoError(t, err)
	assert.Contains(t, ids, rule.ID())
	assert.Contains(t, ids, icmp.ID())

	assert.ErrorIs(t, rule.Delete(ctx, ""), stratus.ErrInvalid)
	require.NoError(t, rule.Delete(ctx, "no longer needed"))
	assert.Equal(t, "<Response [204]>", rule.LastRequest())
	ids, err = fw.Rules().IDs(ctx)
	require.NoError(t, err)
	assert.NotContains(t, ids, rule.ID(), "the write emptied the cache")
	gone := es.FirewallRule(c, rule.ID())
	assert.Equal(t, "", gone.Protocol())
	assert.ErrorIs(t, gone.LastError(), stratus.ErrNotFound)
	assert.ErrorIs(t, rule.Delete(ctx, "again"), stratus.ErrNotFound)
}
