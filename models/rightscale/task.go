package rightscale

import (
	"context"
	"errors"
	"strings"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/rightscale"
)

// Done says whether the task's summary (as held: it does not load) says
// it has ended: "completed: ..." or "failed: ...".
func (t *TaskHandle) Done() bool {
	s := strings.ToLower(t.Peek("summary").String())
	return strings.HasPrefix(s, "completed") || strings.HasPrefix(s, "failed")
}

// Failed says whether the summary held says "failed: ...".
func (t *TaskHandle) Failed() bool {
	return strings.HasPrefix(strings.ToLower(t.Peek("summary").String()), "failed")
}

// TaskFailedError is a task whose summary ended "failed: ...". It matches
// stratus.ErrFailed.
type TaskFailedError struct {
	Href    string
	Summary string
}

func (e *TaskFailedError) Error() string { return "rightscale: task " + e.Href + ": " + e.Summary }

// Is makes errors.Is(err, stratus.ErrFailed) hold.
func (e *TaskFailedError) Is(target error) bool { return target == stratus.ErrFailed }

// Wait polls the task (always fresh) until its summary says "completed:
// <name>" (nil) or "failed: ..." (a *TaskFailedError, errors.Is
// stratus.ErrFailed), reporting each summary as progress. Running out of
// wait time returns a *stratus.WaitTimeoutError that carries the task; a
// cancelled ctx returns ctx's error. Options default to the client's.
func (t *TaskHandle) Wait(ctx context.Context, opts ...stratus.WaitOptions) error {
	if t == nil {
		return &stratus.Error{Provider: wire.Name, Op: "wait task", Message: "no task", Kind: stratus.ErrInvalid}
	}
	var o stratus.WaitOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	err := stratus.Poll(ctx, t.Client(), o, func(ctx context.Context) (bool, stratus.WaitProgress, error) {
		if err := t.Reload(ctx); err != nil {
			return false, stratus.WaitProgress{}, err
		}
		p := stratus.WaitProgress{Total: 1, State: t.Peek("summary").String()}
		if t.Done() {
			p.Done = 1
		}
		return t.Done(), p, nil
	})
	if err != nil {
		var wt *stratus.WaitTimeoutError
		if errors.As(err, &wt) {
			wt.Pending = []stratus.Object{t}
		}
		return err
	}
	if t.Failed() {
		return &TaskFailedError{Href: t.Href(), Summary: t.Peek("summary").String()}
	}
	return nil
}
