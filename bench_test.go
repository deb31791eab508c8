package stratus_test

import (
	"context"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
)

// BenchmarkGetters reads numbers, booleans and a plain string from a
// loaded handle: none of them allocates.
func BenchmarkGetters(b *testing.B) {
	c, err := stratus.Open("fake", stratus.WithBaseURL("http://bench.invalid"), stratus.WithCredential("token", testSecret))
	if err != nil {
		b.Fatal(err)
	}
	obj := gjson.Parse(`{"id":12345,"name":"web-0001","size":64,"on":true,"memory":4096}`)
	th := &Thing{stratus.Hydrate(c, thingKind, obj, false)}
	b.ReportAllocs()
	sum := 0
	for b.Loop() {
		sum += th.IntID() + th.Size() + th.GetInt("memory") + len(th.Name())
		if th.GetBool("on") {
			sum++
		}
	}
	if sum == 0 {
		b.Fatal("nothing read")
	}
}

func TestGettersDoNotAllocate(t *testing.T) {
	c := newFakeClient(t, newFakeAPI(t, 1))
	th := newThing(c, 1)
	if err := th.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		_ = th.IntID() + th.Size() + len(th.Name())
		_ = th.GetBool("on")
	})
	if allocs != 0 {
		t.Fatalf("getters allocated %v times per run", allocs)
	}
}
