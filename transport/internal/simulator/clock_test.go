package simulator

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestManualClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewClock(ClockManual, start)
	assert.True(t, c.Manual())
	assert.Equal(t, start, c.Now())
	c.Advance(90 * time.Second)
	assert.Equal(t, start.Add(90*time.Second), c.Now())
	c.Advance(-time.Hour)
	c.Advance(0)
	assert.Equal(t, start.Add(90*time.Second), c.Now(), "Advance never goes back")
	c.Skew(-time.Hour)
	assert.Equal(t, start.Add(90*time.Second-time.Hour), c.Now(), "Skew steps it either way")
}

func TestWallClock(t *testing.T) {
	c := NewClock(ClockReal, time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.False(t, c.Manual())
	before := time.Now()
	now := c.Now()
	c.Advance(time.Hour)
	assert.Equal(t, time.UTC, now.Location())
	assert.WithinDuration(t, before, now, time.Minute, "the start is ignored")
	assert.WithinDuration(t, time.Now(), c.Now(), time.Minute, "Advance does not move it")
	c.Skew(24 * time.Hour)
	assert.WithinDuration(t, time.Now().Add(24*time.Hour), c.Now(), time.Minute, "Skew does")
}

func TestClockModes(t *testing.T) {
	assert.True(t, ClockAuto.Manual(), "a test binary gets a manual clock")
	assert.True(t, ClockManual.Manual())
	assert.False(t, ClockReal.Manual())
	assert.False(t, ClockMode(9).Manual(), "an unknown mode is the wall clock")
	assert.Equal(t, "auto", ClockAuto.String())
	assert.Equal(t, "real", ClockReal.String())
	assert.Equal(t, "ClockMode(9)", ClockMode(9).String())
	c := NewClock(ClockAuto, time.Date(2013, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 3600)))
	assert.Equal(t, time.Date(2012, 12, 31, 23, 0, 0, 0, time.UTC), c.Now(), "the start is kept, in UTC")
}
