package simulator

import (
	"strconv"
	"testing"
	"time"
)

// ClockMode chooses a simulator's clock.
type ClockMode int

const (
	// ClockAuto is a manual clock in a test binary and the wall clock in
	// any other program: a simulator started by a program (the sandbox, a
	// user's main) lets actions and jobs finish on their own, while tests
	// keep control of time. Each simulator documents its own default.
	ClockAuto ClockMode = iota
	// ClockManual stands still but for Advance.
	ClockManual
	// ClockReal is the wall clock, in UTC.
	ClockReal
)

var clockNames = [...]string{"auto", "manual", "real"}

func (m ClockMode) String() string {
	if m >= 0 && int(m) < len(clockNames) {
		return clockNames[m]
	}
	return "ClockMode(" + strconv.Itoa(int(m)) + ")"
}

// Manual resolves the mode: true for ClockManual, and for ClockAuto inside
// a test binary (testing.Testing); false otherwise.
func (m ClockMode) Manual() bool {
	switch m {
	case ClockManual:
		return true
	case ClockAuto:
		return testing.Testing()
	}
	return false
}

// Clock is a simulator's clock: the wall clock (in UTC), or a manual clock
// that stands still but for Advance, so that tests decide when timed work
// (actions, jobs, rate windows) comes due. Either may be stepped with
// Skew, as a provider's clock that is set anew. It has no lock of its own:
// a simulator guards it with the mutex of the simulated cloud it drives
// (the lock it hands to NewShell).
type Clock struct {
	manual bool
	now    time.Time     // manual clock
	offset time.Duration // Skew
}

// NewClock returns a manual clock that starts at start when mode resolves
// to manual (ClockMode.Manual), else the wall clock.
func NewClock(mode ClockMode, start time.Time) Clock {
	return Clock{manual: mode.Manual(), now: start.UTC()}
}

// Manual reports whether the clock is a manual one.
func (c *Clock) Manual() bool { return c.manual }

// Now is the current time, in UTC.
func (c *Clock) Now() time.Time {
	if c.manual {
		return c.now.Add(c.offset)
	}
	return time.Now().UTC().Add(c.offset)
}

// Advance moves a manual clock forward by d. It does nothing to the wall
// clock, nor for d <= 0: time never goes back through Advance.
func (c *Clock) Advance(d time.Duration) {
	if c.manual && d > 0 {
		c.now = c.now.Add(d)
	}
}

// Skew steps either clock by d, forward or back: what a provider's clock
// does when it is set anew, and what signature timestamps are checked
// against.
func (c *Clock) Skew(d time.Duration) { c.offset += d }
