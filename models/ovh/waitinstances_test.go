package ovh_test

import (
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Instances of two projects are waited on with one instance list per
// project a round; an instance alone in its project is loaded by itself.
func TestWaitInstancesListsEachProjectOnceARound(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 3, Projects: 3, Instances: 6, Clock: ovhtest.ClockManual})
	ctx := t.Context()
	pids := srv.ProjectIDs()
	require.Len(t, pids, 3)
	var waited []*ovh.InstanceHandle
	for k, pid := range pids {
		ins, err := ovh.Project(c, pid).Instances().Collect(ctx)
		require.NoError(t, err)
		n := 0
		for _, in := range ins {
			if in.Status() != ovh.InstanceActive || (k == 2 && n == 1) {
				continue
			}
			require.NoError(t, in.Reboot(ctx, false))
			waited = append(waited, in)
			n++
		}
		require.Positive(t, n)
	}
	srv.ResetRequests()
	var ps []stratus.WaitProgress
	err := ovh.WaitInstancesWith(ctx, stratus.WaitOptions{MinDelay: time.Millisecond, MaxDelay: time.Millisecond, Progress: func(p stratus.WaitProgress) {
		ps = append(ps, p)
		if p.Attempt == 2 {
			srv.Advance(time.Minute)
		}
	}}, ovh.InstanceActive, waited...)
	require.NoError(t, err)
	require.Len(t, ps, 3)
	for _, p := range ps {
		assert.Equal(t, 3, p.Requests, "two lists and one load a round: %+v", p)
		assert.Equal(t, len(waited), p.Total)
	}
	assert.Equal(t, ovh.InstanceReboot, ps[0].State)
	for _, pid := range pids[:2] {
		assert.Equal(t, 3, srv.RequestsTo("GET", "/cloud/project/"+pid+"/instance")-srv.RequestsTo("GET", "/cloud/project/"+pid+"/instance/"), pid)
		assert.Zero(t, srv.RequestsTo("GET", "/cloud/project/"+pid+"/instance/"), "no instance of %s read by itself", pid)
	}
	assert.Equal(t, 3, srv.RequestsTo("GET", "/cloud/project/"+pids[2]+"/instance/"), "the lone one, loaded")
	for _, in := range waited {
		assert.Equal(t, ovh.InstanceActive, in.Status())
	}

	// One of a project's instances deleted elsewhere: its list lacks it,
	// its own load says it is gone, and the wait fails.
	_, err = ovh.Delete(ctx, c, waited[0].Path(), nil)
	require.NoError(t, err)
	srv.ResetRequests()
	err = ovh.WaitInstances(ctx, ovh.InstanceActive, waited[0], waited[1])
	assert.ErrorIs(t, err, stratus.ErrFailed)
	assert.Equal(t, 2, srv.Requests(), "the list, then the missing one")
}
