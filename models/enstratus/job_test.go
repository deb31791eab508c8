package enstratus_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// oregon is a launch that the simulator accepts: an image, a data center
// and a product of us-west-2.
func oregon(name string) es.LaunchSpec {
	return es.LaunchSpec{
		Name: name, Description: "made by the tests", ProductID: "m1.small",
		MachineImageID: 281535, DataCenterID: 64351, FirewallIDs: []int{116387}, Label: "test",
	}
}

func TestLaunchReturnsAJobThatYieldsTheServer(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()

	job, err := es.LaunchServer(ctx, c, oregon("web-1"))
	require.NoError(t, err)
	require.NotNil(t, job)
	assert.Equal(t, 1, srv.RequestsTo("POST", "infrastructure/Server"))
	assert.Equal(t, es.JobRunning, job.Status(), "the 202 answer says RUNNING")
	assert.Equal(t, 1, srv.Requests(), "read from the answer, no request")
	assert.Equal(t, 1, srv.PendingJobs())

	// The clock moves while Wait polls.
	go func() {
		time.Sleep(20 * time.Millisecond)
		srv.Advance(10 * time.Second)
	}()
	var progress []string
	s, err := job.WaitServer(ctx, stratus.WaitOptions{Progress: func(p stratus.WaitProgress) { progress = append(progress, p.State) }})
	require.NoError(t, err)
	require.NotNil(t, s)
	assert.Equal(t, es.JobComplete, progress[len(progress)-1])
	assert.Equal(t, strconv.Itoa(s.ID()), job.Message(), "a launch job's message is the new server id")
	assert.True(t, s.Loaded())
	assert.False(t, s.Partial())
	before := srv.Requests()
	assert.Equal(t, "web-1", s.Name())
	assert.Equal(t, es.ServerRunning, s.Status())
	assert.Equal(t, "made by the tests", s.Description())
	assert.Equal(t, "test", s.Label())
	assert.Equal(t, 64351, s.DataCenterID())
	assert.Equal(t, 19344, s.RegionID())
	assert.Equal(t, []int{116387}, s.FirewallIDs())
	assert.Equal(t, "m1.small", s.ProviderProductID())
	assert.NotEmpty(t, s.PublicIPAddress())
	assert.Equal(t, before, srv.Requests(), "the server came back loaded")
	assert.Contains(t, srv.ServerIDs(), int64(s.ID()))
	assert.Equal(t, job.ID(), s.CurrentJob(), "the launch is the new server's current job")

	// Server again is one fresh load; a job not launched by us works too.
	again, err := es.Job(c, job.ID()).Server(ctx)
	require.NoError(t, err)
	assert.Equal(t, s.ID(), again.ID())
}

func TestLaunchRefusesMissingAttributesBeforeSending(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()

	_, err := es.LaunchServer(ctx, c, es.LaunchSpec{})
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	for _, name := range []string{"Name", "Description", "ProductID", "MachineImageID", "DataCenterID",
		"provider_product_id", "machine_image", "data_center"} {
		assert.ErrorContains(t, err, name)
	}

	spec := oregon("x")
	spec.DataCenterID = 0
	_, err = es.LaunchServer(ctx, c, spec)
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.ErrorContains(t, err, "missing required attributes: DataCenterID (data_center)")
	assert.NotContains(t, err.Error(), "ProductID")

	spec = oregon("x")
	spec.FirewallIDs = []int{-3}
	_, err = es.LaunchServer(ctx, c, spec)
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.Equal(t, 0, srv.Requests(), "nothing was sent")

	// What the API refuses comes back as its message.
	spec = oregon("x")
	spec.MachineImageID = 1
	_, err = es.LaunchServer(ctx, c, spec)
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.ErrorContains(t, err, "No such machine image ID: 1")
	assert.Equal(t, 1, srv.Requests())
}

func TestServerOperations(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()
	s := es.Server(c, 326787)
	require.Equal(t, es.ServerRunning, s.Status())

	job, err := s.Pause(ctx, "lunch")
	require.NoError(t, err)
	require.NotNil(t, job)
	assert.Equal(t, job.ID(), s.CurrentJob(), "the server handle records its job")
	assert.Same(t, s, job.Target())
	assert.Equal(t, "<Response [202]>", s.LastRequest())
	var out bytes.Buffer
	require.NoError(t, s.Pprint(&out))
	p := gjson.Parse(out.String())
	assert.EqualValues(t, job.ID(), p.Get("current_job").Int())
	assert.Equal(t, "<Response [202]>", p.Get("last_request").String())
	assert.Equal(t, "infrastructure/Server/326787", p.Get("path").String())

	srv.CompleteJobs()
	require.NoError(t, job.Wait(ctx))
	before := srv.Requests()
	assert.Equal(t, es.ServerPaused, s.Status(), "Wait reloaded the server it acted on")
	assert.Empty(t, s.PublicIPAddress())
	assert.Equal(t, before, srv.Requests())
	assert.Equal(t, "<Response [200]>", s.LastRequest())

	// An operation the API refuses: the handle records it.
	_, err = s.Stop(ctx)
	assert.ErrorIs(t, err, stratus.ErrConflict)
	assert.ErrorIs(t, s.LastError(), stratus.ErrConflict)
	assert.Equal(t, "<Response [409]>", s.LastRequest())
	out.Reset()
	require.NoError(t, s.Pprint(&out))
	assert.Contains(t, gjson.Get(out.String(), "last_error").String(), "Cannot stop server 326787 while it is PAUSED")

	job, err = s.Start(ctx)
	require.NoError(t, err)
	srv.Advance(10 * time.Second)
	require.NoError(t, job.Wait(ctx))
	assert.Equal(t, es.ServerRunning, s.Status())
	assert.NoError(t, s.LastError())

	job, err = s.Stop(ctx)
	require.NoError(t, err)
	stopJob := job.ID()
	srv.Advance(10 * time.Second)
	require.NoError(t, job.Wait(ctx))
	assert.Equal(t, es.ServerStopped, s.Status())

	// Rename is done at once: no job, the handle is reloaded.
	job, err = s.Rename(ctx, "renamed")
	require.NoError(t, err)
	assert.Nil(t, job)
	assert.NoError(t, job.Wait(ctx), "waiting on no job is fine")
	before = srv.Requests()
	assert.Equal(t, "renamed", s.Name())
	assert.Equal(t, before, srv.Requests())
	assert.Equal(t, stopJob, s.CurrentJob(), "the last job stays current")
	_, err = s.Rename(ctx, " ")
	assert.ErrorIs(t, err, stratus.ErrInvalid)

	// WaitStatus polls the server itself.
	_, err = s.Start(ctx)
	require.NoError(t, err)
	go func() {
		time.Sleep(10 * time.Millisecond)
		srv.Advance(10 * time.Second)
	}()
	require.NoError(t, s.WaitStatus(ctx, es.ServerRunning))
	assert.Equal(t, es.ServerRunning, s.Status())
}

func TestTerminateNeedsAReason(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()
	s := es.Server(c, 338941)

	_, err := s.Terminate(ctx, "")
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.ErrorContains(t, err, "reason")
	assert.Equal(t, 0, srv.Requests(), "refused before sending")

	job, err := s.Terminate(ctx, "end of test")
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestsTo("DELETE", "infrastructure/Server/338941"))
	srv.Advance(10 * time.Second)
	require.NoError(t, job.Wait(ctx))
	assert.Equal(t, es.ServerTerminated, s.Status())
	assert.Equal(t, es.ServerTerminated, srv.ServerStatus(338941))

	err = s.WaitStatus(ctx, es.ServerRunning)
	assert.ErrorIs(t, err, stratus.ErrFailed, "a terminated server will never run")
}

func TestFailedJobIsErrFailed(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()

	srv.FailNextJobs(1)
	s := es.Server(c, 326787)
	job, err := s.Pause(ctx, "")
	require.NoError(t, err)
	srv.Advance(10 * time.Second)
	err = job.Wait(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, stratus.ErrFailed)
	var jf *es.JobFailedError
	require.True(t, errors.As(err, &jf))
	assert.Equal(t, job.ID(), jf.ID)
	assert.Contains(t, err.Error(), "ended in ERROR")
	assert.Equal(t, es.JobError, job.Status())
	assert.Equal(t, es.ServerRunning, s.Status(), "the server was reloaded: a failed pause left it running")

	srv.FailNextJobs(1)
	launch, err := es.LaunchServer(ctx, c, oregon("doomed"))
	require.NoError(t, err)
	srv.CompleteJobs()
	_, err = launch.WaitServer(ctx)
	assert.ErrorIs(t, err, stratus.ErrFailed)
	_, err = launch.Server(ctx)
	assert.ErrorIs(t, err, stratus.ErrFailed)

	// The fixture's job 5 failed with "kaboom!".
	err = es.Job(c, 5).Wait(ctx)
	assert.ErrorIs(t, err, stratus.ErrFailed)
	assert.ErrorContains(t, err, "kaboom!")
}

func TestWaitTimesOutAndServerNeedsACompleteJob(t *testing.T) {
	c, _, _ := newTestClient(t, enstratustest.Config{})
	ctx := context.Background()
	job, err := es.LaunchServer(ctx, c, oregon("slow"))
	require.NoError(t, err)

	_, err = job.Server(ctx)
	assert.ErrorIs(t, err, stratus.ErrConflict, "still RUNNING")

	err = job.Wait(ctx, stratus.WaitOptions{Timeout: 30 * time.Millisecond})
	assert.ErrorIs(t, err, stratus.ErrWaitTimeout)
	var wt *stratus.WaitTimeoutError
	require.True(t, errors.As(err, &wt))
	require.Len(t, wt.Pending, 1)
	assert.Equal(t, job.Handle(), wt.Pending[0].Handle())

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, job.Wait(cctx), context.Canceled)

	_, err = es.Job(c, 1).Server(ctx)
	assert.ErrorIs(t, err, stratus.ErrMalformed, "job 1 completed but created no server")
}
