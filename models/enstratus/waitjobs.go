package enstratus

import (
	"context"
	"errors"
	"iter"
	"slices"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
	"golang.org/x/sync/errgroup"
)

// WaitJobs waits until every job is COMPLETE or ERROR. Each round reads
// the job list (GET admin/Job, in extended detail: the whole jobs, in one
// answer, since enStratus lists do not page) instead of each job; a job
// the list lacks is loaded by itself (admin/Job/<id>), and so is a single
// job, whose own answer is smaller than the list. The progress callback
// reports each round's requests. Nil jobs (operations the API did at
// once) are skipped.
//
// When all have ended, the servers the jobs acted on are refreshed, each
// once: several from one listing of the servers in extended detail. Jobs in ERROR are then reported, each as a *JobFailedError
// (errors.Is stratus.ErrFailed; several are joined). It returns the jobs
// that had not ended: none on success; the rest with ctx.Err() when ctx
// ends, or with a *stratus.WaitTimeoutError listing them when the wait
// time runs out.
func WaitJobs(ctx context.Context, jobs []*JobHandle, opts ...stratus.WaitOptions) ([]*JobHandle, error) {
	var js []*JobHandle
	for _, j := range jobs {
		if j != nil {
			js = append(js, j)
		}
	}
	if len(js) == 0 {
		return nil, nil
	}
	var o stratus.WaitOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	c := js[0].Client()
	pending, err := stratus.PollMany(ctx, c, o, js, stratus.Many[*JobHandle]{
		Poll:  func(ctx context.Context, p []*JobHandle) (int, error) { return pollJobs(ctx, c, p) },
		Ended: (*JobHandle).Done,
		State: func(j *JobHandle) string { return j.Peek("status").String() },
	})
	if err != nil {
		return pending, err
	}
	var targets []*ServerHandle
	var failed []error
	for _, j := range js {
		if j.target != nil && !slices.ContainsFunc(targets, func(s *ServerHandle) bool { return stratus.Same(s, j.target) }) {
			targets = append(targets, j.target)
		}
		if j.Peek("status").String() == JobError {
			failed = append(failed, j.failure())
		}
	}
	if err := refreshServers(ctx, c, targets); err != nil {
		return nil, err
	}
	return nil, errors.Join(failed...)
}

// refreshServers reloads servers after their jobs ended: several from one
// listing in extended detail (whole servers, one request), one by itself;
// a server the listing lacks is loaded by itself, and one that is gone is
// not an error.
func refreshServers(ctx context.Context, c *stratus.Client, servers []*ServerHandle) error {
	rest := servers
	if len(servers) > 1 {
		byID := make(map[int][]*ServerHandle, len(servers))
		for _, s := range servers {
			byID[s.ID()] = append(byID[s.ID()], s)
		}
		for item, err := range Servers(c).Extended().Fresh().All(ctx) {
			if err != nil {
				return err
			}
			ss := byID[item.ID()]
			if ss == nil {
				continue
			}
			v := gjson.Parse(item.JSON())
			for _, s := range ss {
				s.Fill(v, false)
			}
			delete(byID, item.ID())
		}
		rest = rest[:0:0]
		for _, ss := range byID {
			rest = append(rest, ss...)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.Settings().Concurrency)
	for _, s := range rest {
		g.Go(func() error { return refresh(gctx, s) })
	}
	return g.Wait()
}

// pollJobs refreshes the pending jobs from one listing of the jobs (more
// than one pending) and loads by itself each one it lacks. It returns the
// requests sent.
func pollJobs(ctx context.Context, c *stratus.Client, pending []*JobHandle) (int, error) {
	return pollListed(ctx, c, pending, func() iter.Seq2[*JobHandle, error] { return Jobs(c).Extended().Fresh().All(ctx) })
}
