package simulator

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFaultNamesAndKinds(t *testing.T) {
	assert.Equal(t, "none", FaultNone.String())
	assert.Equal(t, "502-html", Fault502HTML.String())
	assert.Equal(t, "503-html", Fault503HTML.String())
	assert.Equal(t, "truncated", FaultTruncated.String())
	assert.Equal(t, "Fault(42)", Fault(42).String())
	assert.Equal(t, "Fault(-1)", Fault(-1).String())

	for _, f := range []Fault{Fault429, Fault500, Fault503, Fault502HTML, Fault503HTML, Fault504HTML, FaultMalformed} {
		assert.True(t, f.Replaces(), f)
	}
	for _, f := range []Fault{FaultNone, FaultReset, FaultResetAfter, FaultTruncated, Fault(42)} {
		assert.False(t, f.Replaces(), f)
	}
}

func TestFaultQueueOrder(t *testing.T) {
	q := NewFaults(1, Fault429, Fault500)
	q.InjectNext(Fault500, Fault429)
	q.InjectNext(FaultReset)
	// The queue comes before random faults, even certain ones.
	q.SetRate(1, FaultTruncated)
	assert.Equal(t, Fault500, q.Next())
	assert.Equal(t, Fault429, q.Next())
	assert.Equal(t, FaultReset, q.Next())
	assert.Equal(t, FaultTruncated, q.Next())
	q.SetRate(0)
	assert.Equal(t, FaultNone, q.Next())
}

func TestFaultsNotOffered(t *testing.T) {
	q := NewFaults(1, Fault429)
	// Kinds the simulator does not render, and values out of range, use
	// up their place in the queue and are served as no fault.
	q.InjectNext(Fault502HTML, Fault(42), Fault(-1), Fault(99), Fault429, FaultResetAfter, FaultTruncated)
	var got []Fault
	for range 8 {
		got = append(got, q.Next())
	}
	assert.Equal(t, []Fault{FaultNone, FaultNone, FaultNone, FaultNone, Fault429, FaultResetAfter, FaultTruncated, FaultNone}, got)

	q.SetRate(1, Fault503HTML)
	assert.Equal(t, FaultNone, q.Next(), "a random kind that is not offered")
}

func TestFaultRateIsSeeded(t *testing.T) {
	draw := func(seed int64) []Fault {
		q := NewFaults(seed, Fault429, Fault500)
		q.SetRate(0.5, Fault500, Fault429)
		var got []Fault
		for range 200 {
			got = append(got, q.Next())
		}
		return got
	}
	a := draw(7)
	assert.Equal(t, a, draw(7), "same seed, same faults")
	assert.NotEqual(t, a, draw(8))
	count := map[Fault]int{}
	for _, f := range a {
		count[f]++
	}
	assert.Len(t, count, 3)
	assert.InDelta(t, 100, count[FaultNone], 30, "about half the requests")

	// The kinds are copied: changing the caller's slice changes nothing.
	q := NewFaults(7, Fault429, Fault500)
	kinds := []Fault{Fault500}
	q.SetRate(1, kinds...)
	kinds[0] = Fault429
	assert.Equal(t, Fault500, q.Next())

	q.SetRate(1)
	assert.Equal(t, FaultNone, q.Next(), "no kinds, no faults")
	q.SetRate(0, Fault500)
	assert.Equal(t, FaultNone, q.Next(), "rate 0, no faults")
}
