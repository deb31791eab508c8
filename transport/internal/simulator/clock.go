package simulator

import "time"

// Clock is a simulator's clock: the wall clock (in UTC), or a manual clock
// that stands still but for Advance, so that tests decide when timed work
// (actions, jobs, rate windows) comes due. It has no lock of its own: a
// simulator guards it with the mutex of the simulated cloud it drives.
type Clock struct {
	wall bool
	now  time.Time
}

// NewClock returns the wall clock if realTime is set, else a manual clock
// that starts at start.
func NewClock(realTime bool, start time.Time) Clock {
	return Clock{wall: realTime, now: start}
}

// Now is the current time.
func (c *Clock) Now() time.Time {
	if c.wall {
		return time.Now().UTC()
	}
	return c.now
}

// Advance moves a manual clock forward by d. It does nothing to the wall
// clock, nor for d <= 0.
func (c *Clock) Advance(d time.Duration) {
	if !c.wall && d > 0 {
		c.now = c.now.Add(d)
	}
}
