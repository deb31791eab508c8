package ovh_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func taskRounds(srv *ovhtest.Server, advanceAt int, out *[]stratus.WaitProgress) stratus.WaitOptions {
	return stratus.WaitOptions{MinDelay: time.Millisecond, MaxDelay: time.Millisecond, Progress: func(p stratus.WaitProgress) {
		*out = append(*out, p)
		if p.Attempt == advanceAt {
			srv.Advance(time.Minute)
		}
	}}
}

func perRound(ps []stratus.WaitProgress) []int {
	out := make([]int, len(ps))
	for i, p := range ps {
		out[i] = p.Requests
	}
	return out
}

// reboots starts n reboots on each server and returns the tasks.
func reboots(t *testing.T, c *stratus.Client, names []string, n []int) []*ovh.TaskHandle {
	t.Helper()
	var out []*ovh.TaskHandle
	for i, name := range names {
		for range n[i] {
			task, err := ovh.DedicatedServer(c, name).Reboot(t.Context())
			require.NoError(t, err)
			assert.Equal(t, "hardReboot", task.Function())
			assert.Equal(t, ovh.TaskTodo, task.Status(), "read from the answer")
			assert.Equal(t, name, task.ServerName())
			out = append(out, task)
		}
	}
	return out
}

// Tasks of two servers are waited on with one bulk listing of each
// server's tasks a round; a task alone on its server is loaded by itself.
func TestWaitTasksListsEachServerOnceARound(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 5, DedicatedServers: 3, Clock: ovhtest.ClockManual})
	names := srv.DedicatedServerNames()
	tasks := reboots(t, c, names, []int{3, 2, 1})
	srv.ResetRequests()

	var ps []stratus.WaitProgress
	pending, err := ovh.WaitTasks(t.Context(), tasks, taskRounds(srv, 2, &ps))
	require.NoError(t, err)
	assert.Empty(t, pending)
	assert.Equal(t, []int{3, 3, 3}, perRound(ps), "two lists and one load a round")
	assert.Equal(t, ovh.TaskTodo, ps[0].State)
	assert.Equal(t, 6, ps[2].Done)
	for _, name := range names[:2] {
		base := "/dedicated/server/" + name + "/task"
		assert.Equal(t, 3, srv.RequestsTo("GET", base)-srv.RequestsTo("GET", base+"/"), name)
		assert.Zero(t, srv.RequestsTo("GET", base+"/"), "no task of %s read by itself", name)
	}
	assert.Equal(t, 3, srv.RequestsTo("GET", "/dedicated/server/"+names[2]+"/task/"+strconv.FormatInt(tasks[5].ID(), 10)))
	for _, task := range tasks {
		assert.Equal(t, ovh.TaskDone, task.Status())
		assert.False(t, task.DoneDate().IsZero())
	}
	for _, name := range names {
		assert.Equal(t, 1, srv.RequestsTo("GET", "/dedicated/server/"+name)-srv.RequestsTo("GET", "/dedicated/server/"+name+"/"), "%s reloaded once", name)
	}
}

// Without the bulk mode a task list gives ids: the first round reads it
// once, then every task is loaded by itself. A failed task ends the wait
// with a *TaskError; out of time, the pending tasks are listed.
func TestWaitTasksFallbackFailureAndTimeout(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 6, DedicatedServers: 2, Clock: ovhtest.ClockManual, NoBulk: true})
	names := srv.DedicatedServerNames()
	srv.FailNextTasks(1)
	tasks := reboots(t, c, names[:1], []int{3})
	srv.ResetRequests()

	_, err := ovh.WaitTasks(t.Context(), tasks, stratus.WaitOptions{MinDelay: time.Millisecond, Timeout: 20 * time.Millisecond})
	require.ErrorIs(t, err, stratus.ErrWaitTimeout)
	var wt *stratus.WaitTimeoutError
	require.ErrorAs(t, err, &wt)
	assert.Len(t, wt.Pending, 3)

	cctx, cancel := context.WithCancel(t.Context())
	cancel()
	left, err := ovh.WaitTasks(cctx, tasks)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, left, 3)

	srv.ResetRequests()
	var ps []stratus.WaitProgress
	_, err = ovh.WaitTasks(t.Context(), tasks, taskRounds(srv, 2, &ps))
	require.ErrorIs(t, err, stratus.ErrFailed)
	var te *ovh.TaskError
	require.ErrorAs(t, err, &te)
	require.Len(t, te.Tasks, 1)
	assert.Equal(t, tasks[0].ID(), te.Tasks[0].ID())
	assert.Equal(t, ovh.TaskOVHError, tasks[0].Status())
	assert.Contains(t, err.Error(), "ovhError")
	assert.Equal(t, []int{4, 3, 3}, perRound(ps), "the list once (ids only), then each task")
}
