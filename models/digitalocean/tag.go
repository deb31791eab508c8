package digitalocean

import (
	"context"
	"net/http"
	"regexp"
	"strconv"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
)

// TagHandle is a lazy tag. Tag names are "case stable": the first
// spelling is the canonical one, and paths must use it.
type TagHandle struct{ *stratus.Resource }

var _ stratus.Object = (*TagHandle)(nil)

// Tag returns a handle for the tag name. No request is sent.
func Tag(c *stratus.Client, name string) *TagHandle {
	return &TagHandle{stratus.NewResource(c, tagKind, name)}
}

func wrapTag(r *stratus.Resource) *TagHandle { return &TagHandle{r} }

// Tags lists the account's tags.
func Tags(c *stratus.Client) stratus.Collection[*TagHandle] {
	return stratus.NewCollection(c, tagKind, wrapTag)
}

// Name returns the tag's name (no load needed).
func (t *TagHandle) Name() string { return t.Resource.ID() }

// ResourceCount returns how many resources carry the tag.
func (t *TagHandle) ResourceCount() int { return t.GetInt("resources.count") }

// LastTaggedURI returns the API URI of the resource tagged last, "" if none.
func (t *TagHandle) LastTaggedURI() string { return t.GetString("resources.last_tagged_uri") }

// DropletCount returns how many droplets carry the tag.
func (t *TagHandle) DropletCount() int { return t.GetInt("resources.droplets.count") }

// ImageCount returns how many images carry the tag.
func (t *TagHandle) ImageCount() int { return t.GetInt("resources.images.count") }

// VolumeCount returns how many volumes carry the tag.
func (t *TagHandle) VolumeCount() int { return t.GetInt("resources.volumes.count") }

// VolumeSnapshotCount returns how many volume snapshots carry the tag.
func (t *TagHandle) VolumeSnapshotCount() int { return t.GetInt("resources.volume_snapshots.count") }

// DatabaseCount returns how many database clusters carry the tag.
func (t *TagHandle) DatabaseCount() int { return t.GetInt("resources.databases.count") }

// LastTaggedDroplet returns the droplet tagged last, hydrated from the
// tag, or nil when the answer names none.
func (t *TagHandle) LastTaggedDroplet() *DropletHandle {
	v := t.Get("resources.droplets.last_tagged")
	if !v.IsObject() {
		return nil
	}
	return &DropletHandle{stratus.Hydrate(t.Client(), dropletKind, v, true)}
}

func (t *TagHandle) path() string { return transport.PathJoin("/v2/tags", t.Name()) }

var tagName = regexp.MustCompile(`^[a-zA-Z0-9_\-:]+$`)

// MaxTagLength is the longest tag name the API accepts.
const MaxTagLength = 255

// ValidTagName reports whether the API accepts name as a tag: letters,
// digits, "_", "-" and ":", at most 255 characters.
func ValidTagName(name string) bool {
	return len(name) <= MaxTagLength && tagName.MatchString(name)
}

// CreateTag creates a tag. A name the API would refuse is refused before
// sending.
func CreateTag(ctx context.Context, c *stratus.Client, name string) (*TagHandle, error) {
	const op = "POST /v2/tags"
	if !ValidTagName(name) {
		return nil, withProvider(stratus.Invalid(c, op, "tag name %q must match ^[a-zA-Z0-9_\\-:]+$ and have at most %d characters", name, MaxTagLength))
	}
	body, err := c.DoJSON(ctx, http.MethodPost, tagKind.ListPath, nil, map[string]string{"name": name})
	if err != nil {
		return nil, err
	}
	obj := body.Get(tagKind.ItemKey)
	if !obj.IsObject() {
		return nil, malformed(op, tagKind.ItemKey)
	}
	return &TagHandle{stratus.Hydrate(c, tagKind, obj, false)}, nil
}

// Delete removes the tag from every resource and deletes it.
func (t *TagHandle) Delete(ctx context.Context) error {
	_, err := t.Client().Do(ctx, http.MethodDelete, t.path(), nil, nil)
	t.SetError(err)
	return err
}

// TagResource names a resource to tag. The API wants the id as a string
// whatever the type; use DropletResource, ImageResource, VolumeResource...
type TagResource struct {
	ID   string `json:"resource_id"`
	Type string `json:"resource_type"` // droplet, image, volume, volume_snapshot, database
}

// DropletResource names a droplet for tagging.
func DropletResource(id int) TagResource { return TagResource{strconv.Itoa(id), "droplet"} }

// ImageResource names an image for tagging.
func ImageResource(id int) TagResource { return TagResource{strconv.Itoa(id), "image"} }

// VolumeResource names a volume (by uuid) for tagging.
func VolumeResource(id string) TagResource { return TagResource{id, "volume"} }

// VolumeSnapshotResource names a volume snapshot (by id) for tagging.
func VolumeSnapshotResource(id string) TagResource { return TagResource{id, "volume_snapshot"} }

func (t *TagHandle) resources(ctx context.Context, method string, rs []TagResource) error {
	op := method + " " + t.path() + "/resources"
	if len(rs) == 0 {
		return withProvider(stratus.Invalid(t.Client(), op, "no resource given"))
	}
	for i, r := range rs {
		if r.ID == "" || r.Type == "" {
			return withProvider(stratus.Invalid(t.Client(), op, "resource %d lacks an id or a type", i))
		}
	}
	_, err := t.Client().DoJSON(ctx, method, t.path()+"/resources", nil, struct {
		Resources []TagResource `json:"resources"`
	}{rs})
	t.SetError(err)
	if err == nil && t.Loaded() {
		// The counts held are stale now; refresh them. Tagging succeeded
		// whatever happens here: a failed refresh shows in LastError.
		_ = t.Reload(ctx)
	}
	return err
}

// TagResources puts the tag on resources (the tag must exist). Tagging a
// droplet changes its tags: handles loaded before keep the old list until
// reloaded. A tag handle that holds data is reloaded.
func (t *TagHandle) TagResources(ctx context.Context, rs ...TagResource) error {
	return t.resources(ctx, http.MethodPost, rs)
}

// UntagResources takes the tag off resources.
func (t *TagHandle) UntagResources(ctx context.Context, rs ...TagResource) error {
	return t.resources(ctx, http.MethodDelete, rs)
}
