package ovh

import (
	"context"
	"net/http"
	"strings"
	"sync"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
	"golang.org/x/sync/errgroup"
)

// WaitInstances waits until every instance has the status (InstanceActive,
// InstanceShutoff, ...) with the client's wait settings; see
// WaitInstancesWith.
func WaitInstances(ctx context.Context, status string, instances ...*InstanceHandle) error {
	return WaitInstancesWith(ctx, stratus.WaitOptions{}, status, instances...)
}

// WaitInstancesWith waits until every instance has the status. Each round
// reads the instance list of each project that holds more than one
// pending instance (GET /cloud/project/{id}/instance answers whole
// objects in one request) instead of each instance; an instance alone in
// its project, or one its project's list lacks, is loaded by itself. So a
// round costs one request per project, plus one per instance not listed.
// The progress callback reports each round's requests. An instance read
// from a list holds the list's fields (the flavor and image ids, not their
// details: reading those loads it once).
//
// Waiting for InstanceDeleted is met by an instance the API no longer
// knows. An instance that turns ERROR, or is gone, while another status is
// awaited fails the wait at once (errors.Is stratus.ErrFailed). When the
// wait time runs out the error is a *stratus.WaitTimeoutError whose
// Pending holds the unfinished instances; when ctx ends, ctx's error.
func WaitInstancesWith(ctx context.Context, o stratus.WaitOptions, status string, instances ...*InstanceHandle) error {
	if len(instances) == 0 {
		return nil
	}
	c := instances[0].Client()
	if status == "" {
		return invalid(c, "wait instances", "status is required")
	}
	w := &instanceWait{c: c, status: status, gone: map[*InstanceHandle]bool{}}
	_, err := stratus.PollMany(ctx, c, o, instances, stratus.Many[*InstanceHandle]{
		Poll:  w.poll,
		Ended: w.ended,
		State: func(in *InstanceHandle) string { return in.Peek("status").String() },
	})
	return err
}

type instanceWait struct {
	c      *stratus.Client
	status string
	mu     sync.Mutex
	gone   map[*InstanceHandle]bool // instances the API no longer knows
}

func (w *instanceWait) isGone(in *InstanceHandle) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.gone[in]
}

func (w *instanceWait) ended(in *InstanceHandle) bool {
	if w.isGone(in) {
		return w.status == InstanceDeleted
	}
	return in.Peek("status").String() == w.status
}

// poll refreshes the pending instances, one list per project with more
// than one of them, and fails the round when one will not get there.
func (w *instanceWait) poll(ctx context.Context, pending []*InstanceHandle) (int, error) {
	single, sent, err := listGroups(ctx, w.c.Settings().Concurrency, pending, (*InstanceHandle).ProjectID, true, w.list)
	if err != nil {
		return sent, err
	}
	sent += len(single)
	if err := w.reload(ctx, single); err != nil {
		return sent, err
	}
	var failed []string
	for _, in := range pending {
		switch gone := w.isGone(in); {
		case gone && w.status != InstanceDeleted:
			failed = append(failed, in.ID()+" (deleted)")
		case !gone && w.status != InstanceError && in.Peek("status").String() == InstanceError:
			failed = append(failed, in.ID()+" ("+InstanceError+")")
		}
	}
	if len(failed) > 0 {
		return sent, &stratus.Error{Provider: Provider.Name, Op: "wait instances",
			Message: "instance(s) will not reach " + w.status + ": " + strings.Join(failed, ", "), Kind: stratus.ErrFailed}
	}
	return sent, nil
}

// list reads a project's instance list and fills the instances it holds
// (as partial: the list has the flavor's and image's ids only). It returns
// those it lacks.
func (w *instanceWait) list(ctx context.Context, project string, ins []*InstanceHandle) ([]*InstanceHandle, error) {
	path := Project(w.c, project).instancesPath()
	body, err := w.c.Do(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return nil, err
	}
	if !body.IsArray() {
		return nil, malformed("GET "+path, "the instance list")
	}
	byID := make(map[string][]*InstanceHandle, len(ins))
	for _, in := range ins {
		byID[in.ID()] = append(byID[in.ID()], in)
	}
	body.ForEach(func(_, v gjson.Result) bool {
		id := v.Get("id").String()
		for _, in := range byID[id] {
			in.Fill(v, true)
		}
		delete(byID, id)
		return true
	})
	var missing []*InstanceHandle
	for _, in := range ins {
		if byID[in.ID()] != nil {
			missing = append(missing, in)
		}
	}
	return missing, nil
}

// reload loads instances one by one, up to the client's concurrency at
// once, and notes those the API no longer knows (forgetting what their
// handles held).
func (w *instanceWait) reload(ctx context.Context, ins []*InstanceHandle) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(w.c.Settings().Concurrency)
	for _, in := range ins {
		g.Go(func() error {
			err := in.Reload(gctx)
			if notFound(err) {
				forget(in.Resource)
				w.mu.Lock()
				w.gone[in] = true
				w.mu.Unlock()
				return nil
			}
			return err
		})
	}
	return g.Wait()
}
