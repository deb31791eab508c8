package enstratus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/tidwall/gjson"
)

// Job statuses.
const (
	JobRunning  = "RUNNING"
	JobComplete = "COMPLETE"
	JobError    = "ERROR"
)

// JobHandle is an asynchronous operation of the API (admin/Job): a
// launch, a pause, a termination... Wait polls it until it ends.
//
// The operations of this package return a nil *JobHandle when the API
// did the work at once (204); Wait on a nil job returns nil at once.
type JobHandle struct {
	handle
	target *ServerHandle // the server the job acts on, reloaded when it ends
}

var _ stratus.Object = (*JobHandle)(nil)

// Job returns a handle for job id. No request is sent.
func Job(c *stratus.Client, id int) *JobHandle {
	return wrapJob(stratus.NewResource(c, jobKind, strconv.Itoa(id)))
}

func wrapJob(r *stratus.Resource) *JobHandle { return &JobHandle{handle: newHandle(r)} }

// JobList is the list of jobs.
type JobList struct{ List[*JobHandle, JobList] }

func jobList(l List[*JobHandle, JobList]) JobList { return JobList{l} }

// Jobs lists the jobs, in basic detail.
func Jobs(c *stratus.Client) JobList { return newList(c, jobKind, wrapJob, jobList) }

// jobsFrom turns a 202 answer {"jobs":[{"jobId":N,"status":"RUNNING"}]}
// into job handles holding what the answer says (partial: a field it
// lacks loads the job).
func jobsFrom(c *stratus.Client, body gjson.Result, target *ServerHandle) []*JobHandle {
	ids := wire.Jobs(body)
	out := make([]*JobHandle, 0, len(ids))
	body.Get("jobs").ForEach(func(_, v gjson.Result) bool {
		if len(out) < len(ids) && v.IsObject() && v.Get("jobId").Exists() {
			j := wrapJob(stratus.Hydrate(c, jobKind, v, true))
			j.target = target
			out = append(out, j)
		}
		return true
	})
	return out
}

// ID returns the job id (no load needed).
func (j *JobHandle) ID() int { return j.IntID() }

// Status returns RUNNING, COMPLETE or ERROR.
func (j *JobHandle) Status() string { return j.GetString("status") }

// Description returns what the job does ("Launch Server web-1").
func (j *JobHandle) Description() string { return j.GetString("description") }

// Message returns the job's message: the new server's id for a launch
// that completed, the failure for a job in ERROR.
func (j *JobHandle) Message() string { return j.GetString("message") }

// StartDate returns when the job started.
func (j *JobHandle) StartDate() time.Time { return j.GetTime("startDate") }

// EndDate returns when it ended (zero while it runs).
func (j *JobHandle) EndDate() time.Time { return j.GetTime("endDate") }

// Done reports whether the job has ended, from the data held (no
// request).
func (j *JobHandle) Done() bool {
	s := j.Peek("status").String()
	return s == JobComplete || s == JobError
}

// Target returns the server the job acts on, when this handle was
// returned by one of its operations; nil otherwise (a launch's server is
// known once the job completes: see Server).
func (j *JobHandle) Target() *ServerHandle { return j.target }

// JobFailedError reports a job that ended in ERROR. It matches
// stratus.ErrFailed.
type JobFailedError struct {
	ID          int
	Description string
	Message     string // the API's explanation
}

func (e *JobFailedError) Error() string {
	s := fmt.Sprintf("enstratus: job %d", e.ID)
	if e.Description != "" {
		s += " (" + e.Description + ")"
	}
	s += " ended in ERROR"
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Is makes errors.Is(err, stratus.ErrFailed) true.
func (e *JobFailedError) Is(target error) bool { return target == stratus.ErrFailed }

func (j *JobHandle) failure() error {
	return &JobFailedError{ID: j.ID(), Description: j.Peek("description").String(), Message: j.Peek("message").String()}
}

// Wait polls admin/Job/<id> (always fresh) until the job is COMPLETE or
// ERROR, reporting its status as progress, then reloads the server it
// acted on, if any. A job in ERROR returns a *JobFailedError (errors.Is
// stratus.ErrFailed). Running out of wait time returns a
// *stratus.WaitTimeoutError that carries the job; a cancelled ctx returns
// ctx's error. Options default to the client's (WithWaitInterval,
// WithWaitTime).
func (j *JobHandle) Wait(ctx context.Context, opts ...stratus.WaitOptions) error {
	if j == nil {
		return nil
	}
	var o stratus.WaitOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	err := stratus.Poll(ctx, j.Client(), o, func(ctx context.Context) (bool, stratus.WaitProgress, error) {
		if err := j.Reload(ctx); err != nil {
			return false, stratus.WaitProgress{}, err
		}
		st := j.Peek("status").String()
		p := stratus.WaitProgress{Total: 1, State: st}
		if j.Done() {
			p.Done = 1
		}
		return j.Done(), p, nil
	})
	if err != nil {
		var wt *stratus.WaitTimeoutError
		if errors.As(err, &wt) {
			wt.Pending = []stratus.Object{j}
		}
		return err
	}
	if j.target != nil {
		if err := refresh(ctx, j.target); err != nil {
			return err
		}
	}
	if j.Peek("status").String() == JobError {
		return j.failure()
	}
	return nil
}

// Server returns the server a launch job created, loaded: the job's
// message names it, and the job is the handle's CurrentJob. The job must have completed (see WaitServer); it is
// loaded if this handle holds nothing yet.
func (j *JobHandle) Server(ctx context.Context) (*ServerHandle, error) {
	if j == nil {
		return nil, stratus.Invalid(nil, "job server", "no job")
	}
	if err := j.Load(ctx); err != nil {
		return nil, err
	}
	op := "GET " + j.Path()
	switch j.Status() {
	case JobComplete:
	case JobError:
		return nil, j.failure()
	default:
		return nil, &stratus.Error{Provider: Name, Op: op, Message: fmt.Sprintf("job %d is %s, not COMPLETE: wait for it first", j.ID(), j.Status()), Kind: stratus.ErrConflict}
	}
	msg := strings.TrimSpace(j.Message())
	id, err := strconv.Atoi(msg)
	if err != nil || id <= 0 {
		return nil, &stratus.Error{Provider: Name, Op: op, Message: fmt.Sprintf("job %d names no server (message %q)", j.ID(), msg), Kind: stratus.ErrMalformed}
	}
	s := Server(j.Client(), id)
	s.m.job.Store(int64(j.ID())) // the launch is the new server's current job, as in mixcoatl
	if err := s.Reload(ctx); err != nil {
		return s, err
	}
	return s, nil
}

// WaitServer waits for a launch job to complete and returns the new
// server, loaded.
func (j *JobHandle) WaitServer(ctx context.Context, opts ...stratus.WaitOptions) (*ServerHandle, error) {
	if j == nil {
		return nil, stratus.Invalid(nil, "wait server", "no job")
	}
	if err := j.Wait(ctx, opts...); err != nil {
		return nil, err
	}
	return j.Server(ctx)
}

// refresh reloads a server after an operation ended. A server that is
// gone is not an error.
func refresh(ctx context.Context, s *ServerHandle) error {
	if err := s.Reload(ctx); err != nil && !errors.Is(err, stratus.ErrNotFound) {
		return err
	}
	return nil
}
