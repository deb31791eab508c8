package digitalocean_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dropletIDsTagged(t *testing.T, c *stratus.Client, tag string) []int {
	t.Helper()
	ds, err := do.Droplets(c).Tag(tag).Collect(context.Background())
	require.NoError(t, err)
	var ids []int
	for _, d := range ds {
		ids = append(ids, d.ID())
	}
	return ids
}

func TestTagLifecycle(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 4})
	ids := srv.DropletIDs()

	srv.ResetRequests()
	tg, err := do.CreateTag(ctx, c, "team:Blue_1-a")
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestsTo("POST", "/v2/tags"))
	assert.Equal(t, "team:Blue_1-a", tg.Name())
	assert.Equal(t, 0, tg.ResourceCount())
	assert.Equal(t, 0, tg.DropletCount())
	assert.Nil(t, tg.LastTaggedDroplet())
	assert.Equal(t, 1, srv.Requests(), "the create answer fills the handle")

	// Read a list of droplets first: tagging must not be hidden by the
	// cache.
	assert.Empty(t, dropletIDsTagged(t, c, "team:Blue_1-a"))
	before := do.Droplet(c, ids[1])
	assert.NotContains(t, before.Tags(), "team:Blue_1-a")

	// Tag two droplets: resource ids go as strings.
	srv.ResetRequests()
	require.NoError(t, tg.TagResources(ctx, do.DropletResource(ids[0]), do.DropletResource(ids[2])))
	assert.Equal(t, 1, srv.RequestsTo("POST", "/v2/tags/team:Blue_1-a/resources"))
	assert.Contains(t, srv.DropletTags(ids[0]), "team:Blue_1-a")
	assert.Contains(t, srv.DropletTags(ids[2]), "team:Blue_1-a")
	assert.NotContains(t, srv.DropletTags(ids[1]), "team:Blue_1-a")
	assert.Equal(t, []int{ids[0], ids[2]}, dropletIDsTagged(t, c, "team:Blue_1-a"))
	assert.Contains(t, do.Droplet(c, ids[2]).Tags(), "team:Blue_1-a")
	// The tag handle held data: it was refreshed.
	assert.Equal(t, 2, tg.DropletCount())
	assert.Equal(t, 2, tg.ResourceCount())
	require.NotNil(t, tg.LastTaggedDroplet())
	assert.Equal(t, ids[2], tg.LastTaggedDroplet().ID())
	assert.Contains(t, tg.LastTaggedURI(), "/v2/droplets/")

	// Get by name, and list.
	got := do.Tag(c, "team:Blue_1-a")
	assert.Equal(t, 2, got.DropletCount())
	assert.Equal(t, 0, got.ImageCount())
	assert.Equal(t, 0, got.VolumeCount())
	assert.Equal(t, 0, got.VolumeSnapshotCount())
	assert.Equal(t, 0, got.DatabaseCount())
	tags, err := do.Tags(c).Collect(ctx)
	require.NoError(t, err)
	counts := map[string]int{}
	for _, x := range tags {
		counts[x.Name()] = x.DropletCount()
	}
	assert.Equal(t, 2, counts["team:Blue_1-a"])
	assert.Contains(t, counts, "web")
	assert.Contains(t, counts, "env:prod")

	// Untag one: DELETE with a body.
	require.NoError(t, tg.UntagResources(ctx, do.DropletResource(ids[0])))
	assert.Equal(t, 1, srv.RequestsTo("DELETE", "/v2/tags/team:Blue_1-a/resources"))
	assert.NotContains(t, srv.DropletTags(ids[0]), "team:Blue_1-a")
	assert.Equal(t, []int{ids[2]}, dropletIDsTagged(t, c, "team:Blue_1-a"))
	assert.Equal(t, 1, tg.DropletCount())

	// Images can be tagged too (the seeded snapshot of the first droplet).
	snaps, err := do.Droplet(c, ids[0]).Snapshots().Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, snaps)
	require.NoError(t, tg.TagResources(ctx, do.ImageResource(snaps[0].ID())))
	assert.Equal(t, 1, tg.ImageCount())
	assert.Equal(t, 2, tg.ResourceCount())
	assert.Contains(t, do.Image(c, snaps[0].ID()).Tags(), "team:Blue_1-a")

	// Delete: the tag leaves every resource.
	require.NoError(t, tg.Delete(ctx))
	assert.NotContains(t, srv.DropletTags(ids[2]), "team:Blue_1-a")
	gone := do.Tag(c, "team:Blue_1-a")
	assert.Equal(t, 0, gone.ResourceCount())
	assert.Equal(t, 0, gone.DropletCount())
	assert.ErrorIs(t, gone.LastError(), stratus.ErrNotFound)
	assert.ErrorIs(t, gone.TagResources(ctx, do.DropletResource(ids[0])), stratus.ErrNotFound)
	assert.ErrorIs(t, gone.LastError(), stratus.ErrNotFound)
}

func TestTagErrors(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	srv.ResetRequests()

	for _, name := range []string{"", "has space", "a/b", "dot.ted", "é", strings.Repeat("x", 256), "trailing\n"} {
		tg, err := do.CreateTag(ctx, c, name)
		assert.Nil(t, tg)
		assert.ErrorIs(t, err, stratus.ErrInvalid, "%q", name)
		assert.False(t, do.ValidTagName(name), "%q", name)
	}
	web := do.Tag(c, "web")
	assert.ErrorIs(t, web.TagResources(ctx), stratus.ErrInvalid)
	assert.ErrorIs(t, web.UntagResources(ctx, do.TagResource{ID: "1"}), stratus.ErrInvalid)
	assert.Equal(t, 0, srv.Requests(), "refused requests are never sent")

	// The longest name is accepted.
	long := strings.Repeat("y", do.MaxTagLength)
	tg, err := do.CreateTag(ctx, c, long)
	require.NoError(t, err)
	assert.Equal(t, long, tg.Name())

	// A droplet that does not exist.
	err = web.TagResources(ctx, do.DropletResource(1))
	assert.ErrorIs(t, err, stratus.ErrNotFound)

	// Helpers build string ids with the right types.
	assert.Equal(t, do.TagResource{ID: "42", Type: "droplet"}, do.DropletResource(42))
	assert.Equal(t, do.TagResource{ID: "7", Type: "image"}, do.ImageResource(7))
	assert.Equal(t, do.TagResource{ID: "vol-uuid", Type: "volume"}, do.VolumeResource("vol-uuid"))
	assert.Equal(t, do.TagResource{ID: "snap", Type: "volume_snapshot"}, do.VolumeSnapshotResource("snap"))
	raw, err := json.Marshal(do.DropletResource(42))
	require.NoError(t, err)
	assert.JSONEq(t, `{"resource_id":"42","resource_type":"droplet"}`, string(raw), "resource_id is always a string")
}
