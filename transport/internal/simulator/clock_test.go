package simulator

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestManualClock(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewClock(false, start)
	assert.Equal(t, start, c.Now())
	c.Advance(90 * time.Second)
	assert.Equal(t, start.Add(90*time.Second), c.Now())
	c.Advance(-time.Hour)
	c.Advance(0)
	assert.Equal(t, start.Add(90*time.Second), c.Now(), "it never goes back")
}

func TestWallClock(t *testing.T) {
	c := NewClock(true, time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC))
	before := time.Now()
	now := c.Now()
	c.Advance(time.Hour)
	assert.Equal(t, time.UTC, now.Location())
	assert.WithinDuration(t, before, now, time.Minute, "the start is ignored")
	assert.WithinDuration(t, time.Now(), c.Now(), time.Minute, "Advance does not move it")
}
