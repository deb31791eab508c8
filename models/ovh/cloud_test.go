package ovh_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestProjects(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 11, Projects: 3, Instances: 2})
	ctx := t.Context()
	srv.ResetRequests()
	ps, err := ovh.Projects(c).Collect(ctx)
	require.NoError(t, err)
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID())
		assert.Regexp(t, `^[0-9a-f]{32}$`, p.ID())
		assert.NotEmpty(t, p.Name())
		assert.NotEmpty(t, p.Description())
		assert.Equal(t, "ok", p.Status())
		assert.NotEmpty(t, p.PlanCode())
		assert.False(t, p.CreationDate().IsZero())
		assert.True(t, p.Expiration().IsZero(), "null: no expiry")
		assert.Equal(t, "full", p.Access())
	}
	assert.Equal(t, srv.ProjectIDs(), ids)
	assert.Equal(t, 1, srv.RequestsTo("GET", "/cloud/project"), "one bulk page")

	one := ovh.Project(c, ids[1])
	assert.Equal(t, ps[1].Name(), one.Name())
	assert.Equal(t, ps[1].CreationDate(), one.CreationDate())

	plain, err := ovh.Projects(c).NoBulk().Collect(ctx)
	require.NoError(t, err)
	require.Len(t, plain, 3)
	assert.Equal(t, ps[2].Name(), plain[2].Name())

	missing := ovh.Project(c, "00000000000000000000000000000000")
	ok, err := missing.Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestInstancesListIsHydrated(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 12, Instances: 6})
	ctx := t.Context()
	p := ovh.Project(c, srv.ProjectIDs()[0])
	require.NoError(t, p.Load(ctx)) // syncs the clock too
	srv.ResetRequests()

	ins, err := p.Instances().Collect(ctx)
	require.NoError(t, err)
	require.Len(t, ins, 6)
	assert.Equal(t, 1, srv.Requests(), "one request for the list")

	for _, in := range ins {
		assert.Regexp(t, `^[0-9a-f-]{36}$`, in.ID())
		assert.Equal(t, p.ID(), in.ProjectID())
		assert.Equal(t, "/cloud/project/"+p.ID()+"/instance/"+in.ID(), in.Path())
		assert.NotEmpty(t, in.Name())
		assert.Contains(t, []string{ovh.InstanceActive, ovh.InstanceShutoff}, in.Status())
		assert.NotEmpty(t, in.Region())
		assert.NotEmpty(t, in.PublicIPv4())
		assert.NotEmpty(t, in.PublicIPv6())
		assert.Len(t, in.IPAddresses(), 2)
		assert.NotEmpty(t, in.FlavorID())
		assert.NotEmpty(t, in.ImageID())
		assert.NotEmpty(t, in.PlanCode())
		assert.False(t, in.Created().IsZero())
		assert.True(t, in.Partial(), "the list lacks the flavor and image details")
	}
	assert.Equal(t, 1, srv.Requests(), "reading the list's fields sends nothing")

	first := ins[0]
	flavorID := first.FlavorID()
	f := first.Flavor()
	assert.Equal(t, 2, srv.Requests(), "the flavor loads the instance once")
	assert.Equal(t, 1, srv.RequestsTo("GET", first.Path()))
	assert.Equal(t, flavorID, f.ID)
	assert.NotEmpty(t, f.Name)
	assert.Positive(t, f.VCPUs)
	assert.Positive(t, f.RAM)
	assert.Positive(t, f.Disk)
	assert.NotEmpty(t, first.ImageName())
	assert.Equal(t, flavorID, first.FlavorID(), "the detail gives the id as flavor.id")
	assert.NotEmpty(t, first.ImageID())
	assert.False(t, first.Partial())
	_ = first.Flavor()
	assert.Equal(t, 2, srv.Requests(), "once")

	// The region filter.
	region := ins[1].Region()
	inRegion, err := p.Instances().Region(region).Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, inRegion)
	n := 0
	for _, in := range ins {
		if in.Region() == region {
			n++
		}
	}
	assert.Len(t, inRegion, n)
	for _, in := range inRegion {
		assert.Equal(t, region, in.Region())
	}

	// A handle made by id loads the detail.
	h := ovh.Instance(c, p.ID(), ins[2].ID())
	assert.Equal(t, ins[2].Name(), h.Name())
	assert.Equal(t, ins[2].FlavorID(), h.FlavorID())
	assert.Equal(t, ins[2].ImageID(), h.ImageID())
	assert.Equal(t, ins[2].PublicIPv4(), h.PublicIPv4())
}

// catalogue finds a flavor and an image of region through raw calls.
func catalogue(ctx context.Context, t *testing.T, c *stratus.Client, projectID, region string) (flavorID, imageID string) {
	t.Helper()
	fl, err := ovh.Get(ctx, c, "/cloud/project/"+projectID+"/flavor", ovh.Params("region", region))
	require.NoError(t, err)
	im, err := ovh.Get(ctx, c, "/cloud/project/"+projectID+"/image", ovh.Params("region", region))
	require.NoError(t, err)
	flavorID, imageID = fl.Get("0.id").String(), im.Get("0.id").String()
	require.NotEmpty(t, flavorID)
	require.NotEmpty(t, imageID)
	return flavorID, imageID
}

func TestInstanceLifecycle(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 13, Instances: 1})
	ctx := t.Context()
	pid := srv.ProjectIDs()[0]
	flavorID, imageID := catalogue(ctx, t, c, pid, "GRA11")

	// Required fields are checked before sending.
	srv.ResetRequests()
	for _, spec := range []ovh.InstanceSpec{
		{FlavorID: flavorID, Region: "GRA11"},
		{Name: "web", Region: "GRA11"},
		{Name: "web", FlavorID: flavorID},
	} {
		_, err := ovh.CreateInstance(ctx, c, pid, spec)
		assert.ErrorIs(t, err, stratus.ErrInvalid)
	}
	_, err := ovh.CreateInstance(ctx, c, "", ovh.InstanceSpec{Name: "web", FlavorID: flavorID, Region: "GRA11"})
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.Equal(t, 0, srv.Requests())

	in, err := ovh.Project(c, pid).CreateInstance(ctx, ovh.InstanceSpec{Name: "web-1", FlavorID: flavorID, ImageID: imageID, Region: "GRA11"})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestsTo("POST", "/cloud/project"))
	assert.Equal(t, ovh.InstanceBuild, in.Status(), "filled from the answer")
	assert.Equal(t, "web-1", in.Name())
	assert.Equal(t, flavorID, in.FlavorID())
	assert.Equal(t, imageID, in.ImageID())
	assert.Equal(t, pid, in.ProjectID())
	assert.Empty(t, in.PublicIPv4(), "no address while building")
	assert.Equal(t, 0, srv.RequestsTo("GET", in.Path()), "the create answer is the whole object")

	// A power action while it builds is the API's 409.
	assert.ErrorIs(t, in.Stop(ctx), stratus.ErrConflict)

	require.NoError(t, ovh.WaitInstances(ctx, ovh.InstanceActive, in))
	assert.Equal(t, ovh.InstanceActive, in.Status())
	assert.NotEmpty(t, in.PublicIPv4(), "addresses once active")

	require.NoError(t, in.Stop(ctx))
	require.NoError(t, ovh.WaitInstances(ctx, ovh.InstanceShutoff, in))
	assert.Equal(t, ovh.InstanceShutoff, in.Status())

	require.NoError(t, in.Start(ctx))
	require.NoError(t, in.Reboot(ctx, true))
	require.NoError(t, in.Reload(ctx))
	assert.Equal(t, ovh.InstanceHardReboot, in.Status())
	require.NoError(t, ovh.WaitInstances(ctx, ovh.InstanceActive, in))

	require.NoError(t, in.Rename(ctx, "web-renamed"))
	assert.Equal(t, "web-renamed", in.Name(), "reloaded after the rename")
	assert.ErrorIs(t, in.Rename(ctx, " "), stratus.ErrInvalid)

	ok, err := in.Exists(ctx)
	require.NoError(t, err)
	require.True(t, ok)
	id := in.ID() // held before the delete: a handle made from a create answer takes its id from its data
	require.NoError(t, in.Delete(ctx))
	ok, err = in.Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok, "the deleted handle asks the API again")
	assert.ErrorIs(t, in.LastError(), stratus.ErrNotFound)
	ok, err = ovh.Instance(c, pid, id).Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.ErrorIs(t, in.Start(ctx), stratus.ErrNotFound)
}

func TestWaitInstances(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 14, Instances: 4})
	ctx := t.Context()
	pid := srv.ProjectIDs()[0]
	ins, err := ovh.Project(c, pid).Instances().Collect(ctx)
	require.NoError(t, err)
	var active, off []*ovh.InstanceHandle
	for _, in := range ins {
		if in.Status() == ovh.InstanceActive {
			active = append(active, in)
		} else {
			off = append(off, in)
		}
	}
	require.NotEmpty(t, active)
	require.NotEmpty(t, off)

	// Already there: one poll.
	srv.ResetRequests()
	require.NoError(t, ovh.WaitInstances(ctx, ovh.InstanceActive, active...))
	require.Greater(t, len(active), 1)
	assert.Equal(t, 1, srv.Requests(), "one listing of their project")
	require.NoError(t, ovh.WaitInstances(ctx, ovh.InstanceActive))

	// Running out of wait time returns the unfinished ones.
	var progress []stratus.WaitProgress
	err = ovh.WaitInstancesWith(ctx, stratus.WaitOptions{Timeout: 100 * time.Millisecond, Progress: func(p stratus.WaitProgress) {
		progress = append(progress, p)
	}}, ovh.InstanceActive, ins...)
	require.ErrorIs(t, err, stratus.ErrWaitTimeout)
	var wt *stratus.WaitTimeoutError
	require.ErrorAs(t, err, &wt)
	require.Len(t, wt.Pending, len(off))
	for i, p := range wt.Pending {
		assert.Same(t, off[i], p)
	}
	require.NotEmpty(t, progress)
	assert.Equal(t, len(active), progress[len(progress)-1].Done)
	assert.Equal(t, len(ins), progress[len(progress)-1].Total)
	assert.Equal(t, ovh.InstanceShutoff, progress[len(progress)-1].State)

	// A cancelled ctx ends the wait with its error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	err = ovh.WaitInstances(cctx, ovh.InstanceActive, off...)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)

	// Waiting for DELETED is met by an instance that is gone; another
	// status of a gone instance fails the wait.
	goneID := active[0].ID()
	require.NoError(t, active[0].Delete(ctx))
	require.NoError(t, ovh.WaitInstances(ctx, ovh.InstanceDeleted, active[0]))
	err = ovh.WaitInstances(ctx, ovh.InstanceActive, ovh.Instance(c, pid, goneID))
	assert.ErrorIs(t, err, stratus.ErrFailed)

	// A loaded handle whose instance is deleted elsewhere: once the wait
	// saw it gone, Exists asks the API again.
	other := off[0]
	require.NoError(t, other.Load(ctx))
	_, err = ovh.Delete(ctx, c, other.Path(), nil)
	require.NoError(t, err)
	require.NoError(t, ovh.WaitInstances(ctx, ovh.InstanceDeleted, other))
	ok, err := other.Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)

	assert.ErrorIs(t, ovh.WaitInstances(ctx, "", off...), stratus.ErrInvalid)
}

func TestInstanceAddresses(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 25})
	k, ok := ovh.Provider.Kind("cloud_instance")
	require.True(t, ok)
	obj := gjson.Parse(`{"id":"i-1","status":"ACTIVE","ipAddresses":[
		{"ip":"10.0.0.5","type":"private","version":4,"networkId":"n1"},
		{"ip":"2001:db8::5","type":"public","version":6,"networkId":"n2","gatewayIp":"2001:db8::1"},
		{"ip":"203.0.113.5","type":"public","version":4,"networkId":"n2","gatewayIp":"203.0.113.1"},
		{"ip":"203.0.113.6","type":"public","version":4,"networkId":"n2"}]}`)
	in := k.New(stratus.HydrateAt(c, k, obj, "/cloud/project/p/instance/i-1")).(*ovh.InstanceHandle)
	srv.ResetRequests()
	assert.Equal(t, "203.0.113.5", in.PublicIPv4(), "the first public v4, whatever comes before it")
	assert.Equal(t, "2001:db8::5", in.PublicIPv6())
	assert.Equal(t, "10.0.0.5", in.PrivateIPv4())
	assert.Equal(t, []ovh.IPAddress{
		{IP: "10.0.0.5", Type: "private", Version: 4, NetworkID: "n1"},
		{IP: "2001:db8::5", Type: "public", Version: 6, NetworkID: "n2", GatewayIP: "2001:db8::1"},
		{IP: "203.0.113.5", Type: "public", Version: 4, NetworkID: "n2", GatewayIP: "203.0.113.1"},
		{IP: "203.0.113.6", Type: "public", Version: 4, NetworkID: "n2"},
	}, in.IPAddresses())
	assert.Equal(t, "p", in.ProjectID())
	assert.Equal(t, 0, srv.Requests())

	none := k.New(stratus.HydrateAt(c, k, gjson.Parse(`{"id":"i-2","ipAddresses":[]}`), "/cloud/project/p/instance/i-2")).(*ovh.InstanceHandle)
	assert.Equal(t, "", none.PublicIPv4())
	assert.Empty(t, none.IPAddresses())
}
