package stratus_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/stratus-cloud/stratus"
)

// A wait is bounded unless asked not to be: the client's default, its
// own setting, or none with a negative wait time.
func TestDefaultWaitTime(t *testing.T) {
	f := newFakeAPI(t, 1)
	assert.Equal(t, stratus.DefaultWaitTime, newFakeClient(t, f).WaitOptions().Timeout)
	assert.Equal(t, time.Second, newFakeClient(t, f, stratus.WithWaitTime(time.Second)).WaitOptions().Timeout)
	assert.Zero(t, newFakeClient(t, f, stratus.WithWaitTime(-1)).WaitOptions().Timeout, "no bound but the context")

	// The client's bound applies to a call that sets none...
	c := newFakeClient(t, f, stratus.WithWaitTime(5*time.Millisecond))
	never := func(context.Context) (bool, stratus.WaitProgress, error) { return false, stratus.WaitProgress{}, nil }
	err := stratus.Poll(context.Background(), c, stratus.WaitOptions{MinDelay: time.Millisecond}, never)
	assert.ErrorIs(t, err, stratus.ErrWaitTimeout)
	var wt *stratus.WaitTimeoutError
	assert.ErrorAs(t, err, &wt)

	// ...and a negative one on the call lifts it: only ctx ends the wait.
	ctx, cancel := context.WithCancel(context.Background())
	polls := 0
	err = stratus.Poll(ctx, c, stratus.WaitOptions{MinDelay: time.Millisecond, MaxDelay: time.Millisecond, Timeout: -1},
		func(context.Context) (bool, stratus.WaitProgress, error) {
			polls++
			if polls == 20 { // well past the client's 5ms bound
				cancel()
			}
			return false, stratus.WaitProgress{}, nil
		})
	assert.ErrorIs(t, err, context.Canceled)
	assert.GreaterOrEqual(t, polls, 20)
}
