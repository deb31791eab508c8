package digitalocean_test

import (
	"context"
	"testing"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFloatingIPAssignedAtCreate(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 2})
	id := srv.DropletIDs()[0]
	region := do.Droplet(c, id).Region().Slug()
	require.NotEmpty(t, region)

	srv.ResetRequests()
	f, act, err := do.CreateFloatingIP(ctx, c, do.FloatingIPCreate{DropletID: id})
	require.NoError(t, err)
	require.NotNil(t, act, "an assignment comes with its action")
	assert.Equal(t, 1, srv.Requests())
	ip := f.IP()
	require.NotEmpty(t, ip)
	assert.Equal(t, region, f.Region().Slug())
	assert.Nil(t, f.Droplet(), "assigned only once the action completes")
	assert.Same(t, f, act.Target(), "the action's target is the new IP")

	srv.CompleteActions()
	require.NoError(t, act.Wait(ctx))
	assert.Equal(t, do.ActionCompleted, act.Status())
	assert.Equal(t, "assign_ip", act.Type())
	assert.Equal(t, "floating_ip", act.ResourceType())
	// Wait refreshed the IP: it now shows its droplet.
	d := f.Droplet()
	require.NotNil(t, d)
	assert.Equal(t, id, d.ID())
	assert.NotEmpty(t, d.Name())
	assert.False(t, f.Locked())

	// The account-wide action list names the IP by number; Target turns
	// it back into the address.
	listed := do.Action(c, act.ID())
	tgt, ok := listed.Target().(*do.FloatingIPHandle)
	require.True(t, ok, "target %T", listed.Target())
	assert.Equal(t, ip, tgt.IP())

	// Get by address.
	got := do.FloatingIP(c, ip)
	require.NotNil(t, got.Droplet())
	assert.Equal(t, id, got.Droplet().ID())
	assert.Equal(t, region, got.Region().Slug())
	assert.NotEmpty(t, got.ProjectID())
}

func TestFloatingIPLifecycle(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 4})
	ids := srv.DropletIDs()
	// Seeded droplets come two per region: 0 and 1 share one, 2 another.
	region := do.Droplet(c, ids[0]).Region().Slug()
	require.Equal(t, region, do.Droplet(c, ids[1]).Region().Slug())

	// Reserve in a region, in a project: no action.
	const project = "3b4f1c3a-7d2e-4e8b-9f10-2a3b4c5d6e7f"
	f, act, err := do.CreateFloatingIP(ctx, c, do.FloatingIPCreate{Region: region, ProjectID: project})
	require.NoError(t, err)
	assert.Nil(t, act)
	assert.Nil(t, f.Droplet())
	assert.Equal(t, region, f.Region().Slug())
	assert.Equal(t, project, f.ProjectID())
	assert.False(t, f.Locked())

	// A second one, so the list has two.
	f2, _, err := do.CreateFloatingIP(ctx, c, do.FloatingIPCreate{Region: region})
	require.NoError(t, err)
	assert.NotEqual(t, f.IP(), f2.IP())

	srv.ResetRequests()
	ips, err := do.FloatingIPs(c).Collect(ctx)
	require.NoError(t, err)
	var addrs []string
	for _, x := range ips {
		addrs = append(addrs, x.IP())
		assert.Equal(t, region, x.Region().Slug())
	}
	assert.ElementsMatch(t, []string{f.IP(), f2.IP()}, addrs)
	assert.Equal(t, 1, srv.Requests(), "list items are hydrated")

	// Assign: the IP is locked while the action runs.
	a, err := f.Assign(ctx, ids[1])
	require.NoError(t, err)
	assert.Equal(t, "assign_ip", a.Type())
	assert.Equal(t, do.ActionInProgress, a.Status())
	assert.Same(t, f, a.Target())
	assert.True(t, do.FloatingIP(c, f.IP()).Locked())
	srv.CompleteActions()
	require.NoError(t, a.Wait(ctx))
	require.NotNil(t, f.Droplet())
	assert.Equal(t, ids[1], f.Droplet().ID())

	// Unassign, and wait through WaitLastActions: a floating IP is an
	// ActionOwner.
	u, err := f.Unassign(ctx)
	require.NoError(t, err)
	assert.Equal(t, "unassign_ip", u.Type())
	srv.CompleteActions()
	pending, err := do.WaitLastActions(ctx, []*do.FloatingIPHandle{f})
	require.NoError(t, err)
	assert.Empty(t, pending)
	assert.Nil(t, f.Droplet(), "WaitLastActions refreshed the IP")

	// The IP's own actions, newest first, target the IP.
	acts, err := f.Actions().Collect(ctx)
	require.NoError(t, err)
	require.Len(t, acts, 2)
	assert.Equal(t, "unassign_ip", acts[0].Type())
	assert.Equal(t, "assign_ip", acts[1].Type())
	assert.Same(t, f, acts[0].Target())
	last, err := f.LastAction(ctx)
	require.NoError(t, err)
	assert.Equal(t, u.ID(), last.ID())
	assert.Equal(t, do.ActionCompleted, last.Status())

	// Errors the API reports: a droplet in another region, unassigning an
	// unassigned IP.
	_, err = f.Assign(ctx, ids[2])
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.ErrorIs(t, f.LastError(), stratus.ErrInvalid)
	_, err = f.Unassign(ctx)
	assert.ErrorIs(t, err, stratus.ErrInvalid)

	// Delete.
	require.NoError(t, f.Delete(ctx))
	assert.NoError(t, f.LastError())
	gone := do.FloatingIP(c, f.IP())
	assert.False(t, gone.Locked())
	assert.Nil(t, gone.Droplet())
	assert.Equal(t, "", gone.ProjectID())
	assert.Equal(t, "", gone.Region().Slug())
	assert.ErrorIs(t, gone.LastError(), stratus.ErrNotFound)
	n, err := do.FloatingIPs(c).Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func TestFloatingIPMissingIsTypedNotFound(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	f := do.FloatingIP(c, "203.0.113.99")
	assert.Equal(t, "203.0.113.99", f.IP(), "the address needs no load")
	assert.Nil(t, f.Droplet())
	assert.False(t, f.Locked())
	assert.Equal(t, "", f.ProjectID())
	assert.ErrorIs(t, f.LastError(), stratus.ErrNotFound)

	_, err := f.Assign(ctx, srv.DropletIDs()[0])
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	assert.ErrorIs(t, f.Delete(ctx), stratus.ErrNotFound)
	_, err = f.LastAction(ctx)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
}

func TestFloatingIPExactlyOneRuleSendsNothing(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	id := srv.DropletIDs()[0]
	srv.ResetRequests()

	for _, req := range []do.FloatingIPCreate{
		{},                              // neither
		{ProjectID: "p"},                // neither, a project alone
		{DropletID: id, Region: "nyc3"}, // both
		{DropletID: id, ProjectID: "p"}, // a project goes with a region
		{DropletID: -1},                 // not an id
	} {
		f, act, err := do.CreateFloatingIP(ctx, c, req)
		assert.Nil(t, f)
		assert.Nil(t, act)
		require.Error(t, err, "%+v", req)
		assert.ErrorIs(t, err, stratus.ErrInvalid)
		var se *stratus.Error
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "digitalocean", se.Provider)
		assert.Equal(t, 0, se.Status, "nothing was sent")
	}
	_, err := do.FloatingIP(c, "203.0.113.1").Assign(ctx, 0)
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.Equal(t, 0, srv.Requests(), "refused requests are never sent")
}
