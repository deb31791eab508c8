package stratus_test

import (
	"context"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A kind's routes are read once, at Register: changing any copy a caller
// can reach (a handle's kind, the provider's kind, the declaration
// itself) changes no route.
func TestKindIsImmutableOnceRegistered(t *testing.T) {
	f := newFakeAPI(t, 3)
	c := newFakeClient(t, f)
	h := newThing(c, 1)
	h.Kind().ItemPath = "/evil/{id}"
	h.Kind().Filters = nil
	k, ok := c.Provider().Kind("thing")
	require.True(t, ok)
	k.ItemPath, k.ListPath, k.ItemKey = "/evil/{id}", "/evil", "evil"
	saved := *thingKind
	t.Cleanup(func() { *thingKind = saved })
	thingKind.ItemPath, thingKind.ListPath, thingKind.ListKey = "/evil/{id}", "/evil", "evil"

	assert.Equal(t, "/things/1", h.Path())
	assert.Equal(t, "/things/2", newThing(c, 2).Path())
	assert.Equal(t, "/things/2", stratus.NewResource(c, k, "2").Path(), "a copy stands for the registered kind")
	assert.Equal(t, "thing-0001", h.Name())
	items, err := things(c).Collect(context.Background())
	require.NoError(t, err)
	assert.Len(t, items, 3)
	assert.Equal(t, "/things/3", items[2].Path())
	assert.Equal(t, "/things/{id}", h.Kind().ItemPath)
	assert.True(t, thingKind.Is(h.Kind()))
	assert.True(t, k.Is(thingKind))
	assert.False(t, k.Is(stubKind))
}

var filteredKind = &stratus.Kind{
	Name: "gadget", Plural: "gadgets", ItemPath: "/things/{id}", ListPath: "/things",
	ItemKey: "thing", ListKey: "things", Pager: pagePager{},
	Filters: []stratus.FilterKey{
		{Name: "tag_name", Aliases: []string{"tag"}},
		{Name: "zoneId", Aliases: []string{"zone"}, Required: true, Hint: "InZone(id)"},
	},
}

var filteredProvider = &stratus.Provider{
	Name:        "filtered",
	Kinds:       []*stratus.Kind{filteredKind},
	Credentials: []string{"token"},
	Secret:      []string{"token"},
	Transport:   fakeProvider.Transport,
}

func init() { stratus.Register(filteredProvider) }

func TestFiltersAreCheckedByTheCollection(t *testing.T) {
	f := newFakeAPI(t, 5)
	c, err := stratus.New(filteredProvider, stratus.WithBaseURL(f.srv.URL), stratus.WithCredential("token", testSecret),
		stratus.WithRetry(transport.NoRetry))
	require.NoError(t, err)
	gadgets := stratus.NewCollection(c, filteredKind, wrapThing)
	ctx := context.Background()

	_, err = gadgets.Filter("colour", "red").Filter("zone", "1").Collect(ctx)
	require.ErrorIs(t, err, stratus.ErrInvalid)
	assert.Contains(t, err.Error(), `no filter "colour"; accepted: tag_name (tag), zoneId (zone) required`)

	_, err = gadgets.Filter("tag", "web").Limit(2).Fresh().Count(ctx)
	require.ErrorIs(t, err, stratus.ErrInvalid)
	assert.Contains(t, err.Error(), "gadget lists need zoneId: use InZone(id)")
	for _, err := range gadgets.Pages(ctx) {
		assert.ErrorIs(t, err, stratus.ErrInvalid)
	}
	assert.Equal(t, int64(0), f.requests.Load(), "nothing is sent")

	col := gadgets.Limit(2).Filter("ZONE", "7").Filter("tag", "web")
	assert.Equal(t, "7", col.Query().Get("zoneId"), "aliases and case resolve to the API's name")
	assert.Equal(t, "web", col.Query().Get("tag_name"))
	items, err := col.Collect(ctx)
	require.NoError(t, err)
	assert.Len(t, items, 2)

	raw, err := gadgets.Param("undocumented", "1").Param("zoneId", "1").First(ctx)
	require.NoError(t, err, "Param is the unchecked way")
	assert.NotNil(t, raw)
}
