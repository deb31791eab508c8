package ovh

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/ovh"
	"github.com/tidwall/gjson"
	"golang.org/x/sync/errgroup"
)

// The states of a dedicated server task (dedicated.TaskStatusEnum).
const (
	TaskInit          = "init"
	TaskTodo          = "todo"
	TaskDoing         = "doing"
	TaskDone          = "done"
	TaskCancelled     = "cancelled"
	TaskCustomerError = "customerError"
	TaskOVHError      = "ovhError"
)

// taskKind is a dedicated server's task. It is not registered: a task
// belongs to the operation that started it and is reached from its
// server (GET /dedicated/server/{name}/task lists the ids, whole tasks in
// the bulk page mode).
var taskKind = &stratus.Kind{
	Name: "dedicated_server_task", Plural: "dedicated_server_tasks", Scope: "infrastructure",
	IDField: "taskId", IDList: true, Pager: wire.Pager{}, TTL: 5 * time.Second,
}

// TaskHandle is an asynchronous task of a dedicated server
// (/dedicated/server/{name}/task/{taskId}): a reboot, a reinstall...
type TaskHandle struct {
	*stratus.Resource
	target *DedicatedServerHandle // the server that started it, reloaded when it ends
}

var _ stratus.Object = (*TaskHandle)(nil)

func taskPath(server string, id int64) string {
	return joinPath("/dedicated/server", server, "task", strconv.FormatInt(id, 10))
}

// Task returns a handle for task id of the server. No request is sent.
func (d *DedicatedServerHandle) Task(id int64) *TaskHandle {
	return &TaskHandle{Resource: stratus.NewResourceAt(d.Client(), taskKind, strconv.FormatInt(id, 10), taskPath(d.Name(), id))}
}

// Tasks lists the server's tasks (ids; whole tasks in the bulk page mode).
func (d *DedicatedServerHandle) Tasks() stratus.Collection[*TaskHandle] {
	base := d.Path() + "/task"
	return stratus.NewCollection(d.Client(), taskKind, func(r *stratus.Resource) *TaskHandle { return &TaskHandle{Resource: r} }).At(base).ItemsAt(base + "/{id}")
}

// Reboot hard-reboots the server (POST /dedicated/server/{name}/reboot)
// and returns the task, holding the answer.
func (d *DedicatedServerHandle) Reboot(ctx context.Context) (*TaskHandle, error) {
	res, err := write(ctx, d.Resource, http.MethodPost, d.Path()+"/reboot", nil)
	if err != nil {
		return nil, err
	}
	id := res.Get("taskId")
	if !res.IsObject() || id.Type != gjson.Number || id.Int() <= 0 {
		return nil, malformed("POST "+d.Path()+"/reboot", "the task")
	}
	return &TaskHandle{Resource: stratus.HydrateAt(d.Client(), taskKind, res, taskPath(d.Name(), id.Int())), target: d}, nil
}

// ID returns the task id (no load needed).
func (t *TaskHandle) ID() int64 {
	n, _ := strconv.ParseInt(t.Resource.ID(), 10, 64)
	return n
}

// ServerName returns the service name of the task's server.
func (t *TaskHandle) ServerName() string { return segment(t.Path(), "/dedicated/server", 0) }

// Function returns what the task does (hardReboot, reinstallServer...).
func (t *TaskHandle) Function() string { return t.GetString("function") }

// Status returns init, todo, doing, done, cancelled, customerError or
// ovhError.
func (t *TaskHandle) Status() string { return t.GetString("status") }

// Comment returns the API's comment (why a task failed).
func (t *TaskHandle) Comment() string { return t.GetString("comment") }

// StartDate returns when the task started.
func (t *TaskHandle) StartDate() time.Time { return t.GetTime("startDate") }

// DoneDate returns when it ended (zero while it runs).
func (t *TaskHandle) DoneDate() time.Time { return t.GetTime("doneDate") }

// Done reports whether the task has ended, from the data held.
func (t *TaskHandle) Done() bool {
	switch t.Peek("status").String() {
	case TaskDone, TaskCancelled, TaskCustomerError, TaskOVHError:
		return true
	}
	return false
}

func (t *TaskHandle) failed() bool {
	s := t.Peek("status").String()
	return s == TaskCancelled || s == TaskCustomerError || s == TaskOVHError
}

// Wait waits for the task to end; see WaitTasks.
func (t *TaskHandle) Wait(ctx context.Context, opts ...stratus.WaitOptions) error {
	_, err := WaitTasks(ctx, []*TaskHandle{t}, opts...)
	return err
}

// TaskError reports tasks that ended cancelled, customerError or
// ovhError. It matches stratus.ErrFailed.
type TaskError struct{ Tasks []*TaskHandle }

func (e *TaskError) Error() string {
	parts := make([]string, len(e.Tasks))
	for i, t := range e.Tasks {
		parts[i] = fmt.Sprintf("%d (%s on %s: %s)", t.ID(), t.Peek("function").String(), t.ServerName(), t.Peek("status").String())
		if c := t.Peek("comment").String(); c != "" {
			parts[i] += ": " + c
		}
	}
	return "ovh: task(s) failed: " + strings.Join(parts, ", ")
}

// Is makes errors.Is(err, stratus.ErrFailed) true.
func (e *TaskError) Is(target error) bool { return target == stratus.ErrFailed }

// WaitTasks waits until every task has ended. Each round reads, for each
// server with more than one pending task, the server's task list in the
// bulk page mode (one request gives whole tasks: up to a page of them)
// instead of each task; a task alone on its server, one the list lacks,
// and every task when the API answers ids only (the bulk mode refused),
// is loaded by itself. The progress callback reports each round's
// requests. When all have ended, the servers whose handles started the
// tasks (Reboot) are reloaded, each once.
//
// Tasks that ended cancelled, customerError or ovhError are reported in a
// *TaskError (errors.Is stratus.ErrFailed) once all have ended. It returns
// the tasks that had not ended: none on success; the rest with ctx.Err()
// when ctx ends, or with a *stratus.WaitTimeoutError listing them when the
// wait time runs out.
func WaitTasks(ctx context.Context, tasks []*TaskHandle, opts ...stratus.WaitOptions) ([]*TaskHandle, error) {
	if len(tasks) == 0 {
		return nil, nil
	}
	var o stratus.WaitOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	c := tasks[0].Client()
	w := &taskWait{c: c}
	pending, err := stratus.PollMany(ctx, c, o, tasks, stratus.Many[*TaskHandle]{
		Poll:  w.poll,
		Ended: (*TaskHandle).Done,
		State: func(t *TaskHandle) string { return t.Peek("status").String() },
	})
	if err != nil {
		return pending, err
	}
	var failed []*TaskHandle
	var servers []*DedicatedServerHandle
	for _, t := range tasks {
		if t.failed() {
			failed = append(failed, t)
		}
		if t.target != nil && !slices.ContainsFunc(servers, func(d *DedicatedServerHandle) bool { return stratus.Same(d, t.target) }) {
			servers = append(servers, t.target)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.Settings().Concurrency)
	for _, d := range servers {
		g.Go(func() error { return d.Reload(gctx) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if len(failed) > 0 {
		return nil, &TaskError{Tasks: failed}
	}
	return nil, nil
}

type taskWait struct {
	c      *stratus.Client
	mu     sync.Mutex
	noBulk bool // the API answered a task list with ids: load each task
}

func (w *taskWait) poll(ctx context.Context, pending []*TaskHandle) (int, error) {
	w.mu.Lock()
	noBulk := w.noBulk
	w.mu.Unlock()
	conc := w.c.Settings().Concurrency
	single, sent, err := listGroups(ctx, conc, pending, (*TaskHandle).ServerName, !noBulk, w.list)
	if err != nil {
		return sent, err
	}
	sent += len(single)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(conc)
	for _, t := range single {
		g.Go(func() error { return t.Reload(gctx) })
	}
	return sent, g.Wait()
}

// list reads the first page of a server's tasks in the bulk mode (up to
// wire.DefaultBulkSize tasks: one request) and fills the tasks it holds;
// it returns those it lacks (all of them when the API answered ids only).
func (w *taskWait) list(ctx context.Context, server string, ts []*TaskHandle) ([]*TaskHandle, error) {
	byID := make(map[int64][]*TaskHandle, len(ts))
	for _, t := range ts {
		byID[t.ID()] = append(byID[t.ID()], t)
	}
	d := DedicatedServer(w.c, server)
	for page, err := range d.Tasks().Fresh().PageSize(wire.DefaultBulkSize).Pages(ctx) {
		if err != nil {
			return nil, err
		}
		for _, item := range page.Items {
			if !item.Loaded() {
				// Ids only: the bulk mode is refused. Each task is
				// loaded by itself, from now on.
				w.mu.Lock()
				w.noBulk = true
				w.mu.Unlock()
				break
			}
			v := gjson.Parse(item.JSON())
			for _, t := range byID[item.ID()] {
				t.Fill(v, false)
			}
			delete(byID, item.ID())
		}
		break // one page a round: the tasks beyond it load by themselves
	}
	var missing []*TaskHandle
	for _, t := range ts {
		if byID[t.ID()] != nil {
			missing = append(missing, t)
		}
	}
	return missing, nil
}
