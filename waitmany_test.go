package stratus_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus"
)

// PollMany polls every object in the first round (what they held may be
// stale), then only those not ended; each round's requests, Done, Total
// and the first pending state reach the progress callback.
func TestPollManyRounds(t *testing.T) {
	c := newFakeClient(t, newFakeAPI(t, 1))
	objs := make([]*stratus.Resource, 4)
	for i := range objs {
		objs[i] = stratus.NewResource(c, toyKind, strconv.Itoa(i+1))
		objs[i].Fill(gjson.Parse(`{"id":`+strconv.Itoa(i+1)+`,"state":"done"}`), false) // stale
	}
	round := 0
	var polled [][]string
	var ps []stratus.WaitProgress
	pending, err := stratus.PollMany(context.Background(), c, stratus.WaitOptions{MinDelay: time.Millisecond, MaxDelay: time.Millisecond,
		Progress: func(p stratus.WaitProgress) { ps = append(ps, p) }}, objs, stratus.Many[*stratus.Resource]{
		Poll: func(_ context.Context, p []*stratus.Resource) (int, error) {
			round++
			var ids []string
			for _, o := range p {
				ids = append(ids, o.ID())
				n, _ := strconv.Atoi(o.ID())
				st := "busy"
				if n <= round { // object n ends in round n
					st = "done"
				}
				o.Fill(gjson.Parse(`{"id":`+o.ID()+`,"state":"`+st+`"}`), false)
			}
			polled = append(polled, ids)
			return 1, nil
		},
		Ended: func(o *stratus.Resource) bool { return o.Peek("state").String() == "done" },
		State: func(o *stratus.Resource) string { return o.Peek("state").String() + " " + o.ID() },
	})
	require.NoError(t, err)
	assert.Empty(t, pending)
	assert.Equal(t, [][]string{{"1", "2", "3", "4"}, {"2", "3", "4"}, {"3", "4"}, {"4"}}, polled)
	require.Len(t, ps, 4)
	for i, p := range ps {
		assert.Equal(t, i+1, p.Attempt)
		assert.Equal(t, 1, p.Requests)
		assert.Equal(t, 4, p.Total)
		assert.Equal(t, i+1, p.Done)
	}
	assert.Equal(t, "busy 2", ps[0].State)
	assert.Empty(t, ps[3].State)

	none, err := stratus.PollMany(context.Background(), c, stratus.WaitOptions{}, nil, stratus.Many[*stratus.Resource]{})
	assert.NoError(t, err)
	assert.Empty(t, none)
}

// Out of time the error lists what is pending; a failed round returns its
// error with the objects still pending; a cancelled ctx, ctx's error.
func TestPollManyEnds(t *testing.T) {
	c := newFakeClient(t, newFakeAPI(t, 1))
	objs := []*stratus.Resource{stratus.NewResource(c, toyKind, "1"), stratus.NewResource(c, toyKind, "2")}
	never := stratus.Many[*stratus.Resource]{
		Poll:  func(context.Context, []*stratus.Resource) (int, error) { return 1, nil },
		Ended: func(o *stratus.Resource) bool { return o.ID() == "1" },
	}
	pending, err := stratus.PollMany(context.Background(), c, stratus.WaitOptions{MinDelay: time.Millisecond, Timeout: 10 * time.Millisecond}, objs, never)
	require.ErrorIs(t, err, stratus.ErrWaitTimeout)
	var wt *stratus.WaitTimeoutError
	require.ErrorAs(t, err, &wt)
	require.Len(t, wt.Pending, 1)
	assert.Same(t, objs[1], wt.Pending[0])
	assert.Equal(t, []*stratus.Resource{objs[1]}, pending)

	boom := errors.New("boom")
	failing := never
	failing.Poll = func(context.Context, []*stratus.Resource) (int, error) { return 2, boom }
	pending, err = stratus.PollMany(context.Background(), c, stratus.WaitOptions{}, objs, failing)
	assert.ErrorIs(t, err, boom)
	assert.Len(t, pending, 2)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pending, err = stratus.PollMany(ctx, c, stratus.WaitOptions{MinDelay: time.Millisecond}, objs, never)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, pending, 1)
}
