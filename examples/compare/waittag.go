package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

// nameTagWait is the row of a wait on a tag's droplets, limits on.
const nameTagWait = "do wait droplets by tag, limits on"

// waitTag is the tag waited on: the simulator tags every other droplet
// "web", so a simulator of 2n droplets has n of them.
const waitTag = "web"

// tagWaitRounds is the most requests a polling round of stratus sent in
// the last run, for the target.
var tagWaitRounds atomic.Int64

// Scenario: power-cycle the n droplets of a tag (one by-tag action,
// started before the clock) and wait until none is locked, polling every
// waitPoll, with the simulator's limits on. stratus: WaitTag, one listing
// of the tag a round; godo: Droplets.Get of each droplet still locked,
// every round.
func tagWaitScenario(n int) *scenario {
	srv, tok := limitServer(2 * n)
	return &scenario{
		sdk: "godo", items: n, srv: srv, fix: doFix(srv), noBaseline: true,
		note: fmt.Sprintf("%s: %d droplets tagged %q power-cycled by tag (actions of %s), both sides polling every %s", nameTagWait, n, waitTag, actionTime, waitPoll),
		ours: []side{{name: nameTagWait, prepare: func(rec *recorder) (runFunc, error) {
			c, err := limitStratus(srv, tok(), 0, rec)
			if err != nil {
				return nil, err
			}
			if _, err := do.ActOnTag(context.Background(), c, waitTag, "power_cycle"); err != nil {
				return nil, err
			}
			return func(ctx context.Context) (tally, error) {
				var most int64
				ds, err := do.WaitTag(ctx, c, waitTag, do.UntilLocked(false), stratus.WaitOptions{MinDelay: waitPoll, MaxDelay: waitPoll, Progress: func(p stratus.WaitProgress) {
					most = max(most, int64(p.Requests))
				}})
				tagWaitRounds.Store(most)
				var t tally
				for _, d := range ds {
					t.add(int64(d.ID()) + int64(len(d.Status())))
				}
				return t, err
			}, nil
		}}},
		theirs: side{name: "godo", prepare: func(rec *recorder) (runFunc, error) {
			c, err := limitGodo(srv, tok(), rec)
			if err != nil {
				return nil, err
			}
			acts, _, err := c.DropletActions.PowerCycleByTag(context.Background(), waitTag)
			if err != nil {
				return nil, err
			}
			var ids []int
			for _, a := range acts {
				ids = append(ids, a.ResourceID)
			}
			return func(ctx context.Context) (tally, error) {
				return pollEach(ctx, ids, func(ctx context.Context, id int) (bool, int64, error) {
					d, _, err := c.Droplets.Get(ctx, id)
					if err != nil {
						return false, 0, fmt.Errorf("droplet %d: %w", id, err)
					}
					return !d.Locked, int64(d.ID) + int64(len(d.Status)), nil
				})
			}, nil
		}},
	}
}

func init() {
	extraTargets = append(extraTargets, tagWaitTarget)
}

// tagWaitTarget: completes, one request a round per 200 droplets of the
// tag, faster than godo's loop.
func tagWaitTarget(rep *report) []target {
	const what = "<= 1 request a polling round per 200 droplets, faster than godo"
	r := rep.find(nameTagWait, targetLatency)
	if r == nil {
		if len(rep.rowsNamed(nameTagWait)) == 0 {
			return []target{{na: true, text: nameTagWait + ": " + what + " (not run)"}}
		}
		return []target{{na: true, text: nameTagWait + ": " + what + " (not measured at " + fmtLatency(targetLatency) + ")"}}
	}
	most, want := tagWaitRounds.Load(), int64(ceilDiv(r.Items, 200))
	x := r.speedup()
	return []target{{ok: most <= want && x > 1, text: fmt.Sprintf("%s at %s: at most %d requests a polling round (target <= %d), %s requests in all vs godo %s, %sx faster (target > 1x)",
		r.Name, fmtLatency(r.Latency), most, want, fmtRequests(r.Ours), fmtRequests(r.Theirs), fmtFloat(x))}}
}
