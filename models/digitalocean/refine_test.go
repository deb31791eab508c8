package digitalocean_test

import (
	"context"
	"testing"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The provider's refinements and the generic ones chain in any order and
// give the same listing.
func TestRefinementsChainInAnyOrder(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 40})
	ctx := context.Background()
	all, err := do.Droplets(c).Tag("web").Collect(ctx)
	require.NoError(t, err)
	require.Greater(t, len(all), 5, "the seed has enough web droplets")

	for name, l := range map[string]do.DropletList{
		"limit then tag":     do.Droplets(c).Limit(5).Tag("web"),
		"tag then limit":     do.Droplets(c).Tag("web").Limit(5),
		"page size between":  do.Droplets(c).Limit(5).PageSize(2).Tag("web").Fresh(),
		"alias through list": do.Droplets(c).Fresh().Filter("tag", "web").Limit(5),
	} {
		got, err := l.Collect(ctx)
		require.NoError(t, err, name)
		require.Len(t, got, 5, name)
		for i, d := range got {
			assert.Equal(t, all[i].ID(), d.ID(), name)
			assert.Contains(t, d.Tags(), "web", name)
		}
	}
	imgs := do.Images(c).Limit(1).Distribution()
	assert.Equal(t, "distribution", imgs.Query().Get("type"))
	img, err := imgs.Collect(ctx)
	require.NoError(t, err)
	require.Len(t, img, 1)
	assert.Equal(t, 1, srv.RequestsTo("GET", "/v2/images"))
}

func TestUnknownFiltersAreRefusedBeforeSending(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 3})
	ctx := context.Background()
	srv.ResetRequests()
	_, err := do.Droplets(c).Filter("bogus", "1").Limit(2).Collect(ctx)
	require.ErrorIs(t, err, stratus.ErrInvalid)
	assert.Contains(t, err.Error(), `"bogus"`)
	assert.Contains(t, err.Error(), "name, tag_name (tag), type", "the error names the accepted keys")
	_, err = do.Droplets(c).Filter("status", "off").Count(ctx)
	require.ErrorIs(t, err, stratus.ErrInvalid)
	_, err = do.Regions(c).Filter("region", "nyc1").First(ctx)
	require.ErrorIs(t, err, stratus.ErrInvalid)
	assert.Contains(t, err.Error(), "accepted: none")
	assert.Equal(t, 0, srv.Requests(), "nothing was sent")
}

// Every kind of the provider declares its filters by the API's names,
// and every refinement sets a declared one.
func TestFilterDeclarations(t *testing.T) {
	k, ok := do.Provider.Kind("droplet")
	require.True(t, ok)
	f, ok := k.Filter("tag")
	require.True(t, ok)
	assert.Equal(t, "tag_name", f.Name)
	f, ok = k.Filter("TAG_NAME")
	require.True(t, ok, "case does not matter")
	assert.Equal(t, "tag_name", f.Name)
	for name, q := range map[string]string{
		"tag":   do.Droplets(nil).Tag("web").Query().Encode(),
		"name":  do.Droplets(nil).Named("x").Query().Encode(),
		"gpus":  do.Droplets(nil).GPUs().Query().Encode(),
		"dist":  do.Images(nil).Distribution().Query().Encode(),
		"app":   do.Images(nil).Application().Query().Encode(),
		"priv":  do.Images(nil).Private().Query().Encode(),
		"itag":  do.Images(nil).Tag("t").Query().Encode(),
		"rtype": do.Domain(nil, "example.com").Records().Type("A").Query().Encode(),
		"rname": do.Domain(nil, "example.com").Records().Named("www.example.com").Query().Encode(),
	} {
		assert.NotEmpty(t, q, name)
	}
}
