package enstratus_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jobRounds(srv *enstratustest.Server, advanceAt int, out *[]stratus.WaitProgress) stratus.WaitOptions {
	return stratus.WaitOptions{MinDelay: time.Millisecond, MaxDelay: time.Millisecond, Progress: func(p stratus.WaitProgress) {
		*out = append(*out, p)
		if p.Attempt == advanceAt {
			srv.Advance(time.Minute)
		}
	}}
}

// Twenty jobs are waited on with one listing of the jobs a round; the
// servers they acted on are reloaded once each at the end.
func TestWaitJobsListsTheJobsOnceARound(t *testing.T) {
	c, srv, rec := newTestClient(t, enstratustest.Config{Servers: 20})
	ctx := t.Context()
	servers, err := es.Servers(c).Collect(ctx)
	require.NoError(t, err)
	var jobs []*es.JobHandle
	for _, s := range servers {
		if s.Status() != es.ServerRunning {
			continue
		}
		j, err := s.Pause(ctx, "maintenance")
		require.NoError(t, err)
		require.NotNil(t, j)
		jobs = append(jobs, j)
	}
	require.Greater(t, len(jobs), 5)
	jobs = append(jobs, nil) // an operation done at once: skipped
	srv.ResetRequests()
	rec.reset()

	var ps []stratus.WaitProgress
	pending, err := es.WaitJobs(ctx, jobs, jobRounds(srv, 2, &ps))
	require.NoError(t, err)
	assert.Empty(t, pending)
	require.Len(t, ps, 3)
	for _, p := range ps {
		assert.Equal(t, 1, p.Requests, "one listing a round: %+v", p)
		assert.Equal(t, len(jobs)-1, p.Total)
	}
	assert.Equal(t, es.JobRunning, ps[0].State)
	assert.Equal(t, len(jobs)-1, ps[2].Done)
	assert.Equal(t, 3, srv.RequestsTo("GET", "admin/Job")-srv.RequestsTo("GET", "admin/Job/"))
	assert.Zero(t, srv.RequestsTo("GET", "admin/Job/"), "no job read by itself")
	for _, r := range rec.all() {
		if strings.HasSuffix(r.path, "/admin/Job") {
			assert.Equal(t, "extended", r.details, "whole jobs")
		}
	}
	assert.Zero(t, srv.RequestsTo("GET", "infrastructure/Server/"), "no server loaded by itself")
	assert.Equal(t, 1, srv.RequestsTo("GET", "infrastructure/Server"), "the servers refreshed from one listing")
	for _, j := range jobs[:len(jobs)-1] {
		assert.Equal(t, es.JobComplete, j.Status())
		assert.Equal(t, es.ServerPaused, j.Target().Status(), "the server is refreshed")
	}
}

// A single job is read by itself; a job the list lacks too. Jobs in ERROR
// end the wait with a *JobFailedError; running out of time lists the
// pending jobs.
func TestWaitJobsFallbackFailuresAndTimeout(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{Servers: 10})
	ctx := t.Context()
	servers, err := es.Servers(c).Collect(ctx)
	require.NoError(t, err)
	var running []*es.ServerHandle
	for _, s := range servers {
		if s.Status() == es.ServerRunning {
			running = append(running, s)
		}
	}
	require.GreaterOrEqual(t, len(running), 3)

	one, err := running[0].Pause(ctx, "one")
	require.NoError(t, err)
	srv.ResetRequests()
	var ps []stratus.WaitProgress
	_, err = es.WaitJobs(ctx, []*es.JobHandle{one}, jobRounds(srv, 1, &ps))
	require.NoError(t, err)
	require.Len(t, ps, 2)
	assert.Equal(t, []int{1, 1}, []int{ps[0].Requests, ps[1].Requests})
	assert.Equal(t, 2, srv.RequestsTo("GET", "admin/Job/"+strconv.Itoa(one.ID())))

	// A job id the API does not know: the list lacks it, its own load
	// says not found.
	ghost := es.Job(c, 999999)
	srv.ResetRequests()
	_, err = es.WaitJobs(ctx, []*es.JobHandle{one, ghost})
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	assert.Equal(t, 1, srv.RequestsTo("GET", "admin/Job")-srv.RequestsTo("GET", "admin/Job/"), "one listing")
	assert.Equal(t, 1, srv.RequestsTo("GET", "admin/Job/999999"), "then the job it lacks, by itself")
	assert.Equal(t, 2, srv.Requests())

	// Two jobs, one of which fails.
	srv.FailNextJobs(1)
	bad, err := running[1].Pause(ctx, "fails")
	require.NoError(t, err)
	good, err := running[2].Pause(ctx, "works")
	require.NoError(t, err)

	_, err = es.WaitJobs(ctx, []*es.JobHandle{bad, good}, stratus.WaitOptions{MinDelay: time.Millisecond, Timeout: 20 * time.Millisecond})
	require.ErrorIs(t, err, stratus.ErrWaitTimeout)
	var wt *stratus.WaitTimeoutError
	require.ErrorAs(t, err, &wt)
	assert.Len(t, wt.Pending, 2)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	left, err := es.WaitJobs(cctx, []*es.JobHandle{bad, good})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, left, 2)

	srv.Advance(time.Minute)
	srv.ResetRequests()
	left, err = es.WaitJobs(ctx, []*es.JobHandle{bad, good})
	assert.Empty(t, left)
	require.ErrorIs(t, err, stratus.ErrFailed)
	var jf *es.JobFailedError
	require.True(t, errors.As(err, &jf))
	assert.Equal(t, bad.ID(), jf.ID)
	assert.Equal(t, es.JobComplete, good.Status())
	assert.Equal(t, 1, srv.RequestsTo("GET", "admin/Job")-srv.RequestsTo("GET", "admin/Job/"), "both ended: one round")
}

// Servers waited on together: one listing of the servers a round; a
// TERMINATED one fails the wait; out of time, the pending are listed.
func TestWaitServersListsTheServersOnceARound(t *testing.T) {
	c, srv, _ := newTestClient(t, enstratustest.Config{Servers: 20})
	ctx := t.Context()
	all, err := es.Servers(c).Collect(ctx)
	require.NoError(t, err)
	var paused []*es.ServerHandle
	for _, s := range all {
		if s.Status() != es.ServerRunning {
			continue
		}
		_, err := s.Pause(ctx, "maintenance")
		require.NoError(t, err)
		paused = append(paused, s)
	}
	require.Greater(t, len(paused), 5)
	srv.ResetRequests()
	var ps []stratus.WaitProgress
	left, err := es.WaitServers(ctx, paused, es.ServerPaused, jobRounds(srv, 2, &ps))
	require.NoError(t, err)
	assert.Empty(t, left)
	require.Len(t, ps, 3)
	for _, p := range ps {
		assert.Equal(t, 1, p.Requests, "%+v", p)
	}
	assert.Equal(t, 3, srv.Requests())
	assert.Zero(t, srv.RequestsTo("GET", "infrastructure/Server/"))
	for _, s := range paused {
		assert.Equal(t, es.ServerPaused, s.Status())
	}

	_, err = es.WaitServers(ctx, paused, es.ServerRunning, stratus.WaitOptions{MinDelay: time.Millisecond, Timeout: 20 * time.Millisecond})
	var wt *stratus.WaitTimeoutError
	require.ErrorAs(t, err, &wt)
	assert.Len(t, wt.Pending, len(paused))

	_, err = paused[0].Terminate(ctx, "done")
	require.NoError(t, err)
	srv.Advance(time.Minute)
	_, err = es.WaitServers(ctx, paused[:2], es.ServerPaused)
	assert.ErrorIs(t, err, stratus.ErrFailed)
	_, err = es.WaitServers(ctx, paused[:2], "")
	assert.ErrorIs(t, err, stratus.ErrInvalid)
}
