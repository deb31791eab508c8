package digitalocean

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/stratus-cloud/stratus"
)

// ImageHandle is a lazy image (distribution, application, snapshot,
// backup or custom).
type ImageHandle struct{ *stratus.Resource }

// Image returns a handle for image id. No request is sent.
func Image(c *stratus.Client, id int) *ImageHandle {
	return &ImageHandle{stratus.NewResource(c, imageKind, strconv.Itoa(id))}
}

// ImageBySlug returns a handle for a public image by slug
// ("ubuntu-24-04-x64"). Private images have no slug.
func ImageBySlug(c *stratus.Client, slug string) *ImageHandle {
	return &ImageHandle{stratus.NewResource(c, imageKind, slug)}
}

func wrapImage(r *stratus.Resource) *ImageHandle { return &ImageHandle{r} }

// ImageList is the collection of images, with DigitalOcean's filters.
// Its refinements and the generic ones chain in any order.
type ImageList struct {
	stratus.Refinements[*ImageHandle, ImageList]
}

func imageList(col stratus.Collection[*ImageHandle]) ImageList {
	return ImageList{stratus.Refine(col, imageList)}
}

// Images lists every image the account can use.
func Images(c *stratus.Client) ImageList {
	return imageList(stratus.NewCollection(c, imageKind, wrapImage))
}

// Distribution keeps the public distribution images.
func (l ImageList) Distribution() ImageList { return l.Filter("type", "distribution") }

// Application keeps the one-click application images.
func (l ImageList) Application() ImageList { return l.Filter("type", "application") }

// Private keeps the account's own images (snapshots, backups, custom).
func (l ImageList) Private() ImageList { return l.Filter("private", "true") }

// Tag keeps the images that carry tag.
func (l ImageList) Tag(tag string) ImageList { return l.Filter("tag_name", tag) }

// ID returns the image id (0 for a handle made by slug and not loaded).
func (i *ImageHandle) ID() int {
	if n, err := strconv.Atoi(i.Resource.ID()); err == nil {
		return n
	}
	return i.GetInt("id")
}

// Name returns the image's name.
func (i *ImageHandle) Name() string { return i.GetString("name") }

// Type returns base, snapshot, backup, custom or admin.
func (i *ImageHandle) Type() string { return i.GetString("type") }

// Distribution returns the OS distribution (Ubuntu, Debian...).
func (i *ImageHandle) Distribution() string { return i.GetString("distribution") }

// Slug returns the public slug, "" for private images.
func (i *ImageHandle) Slug() string { return i.GetString("slug") }

// Public reports whether the image is public.
func (i *ImageHandle) Public() bool { return i.GetBool("public") }

// Regions returns the regions where the image is available.
func (i *ImageHandle) Regions() []string { return i.GetStrings("regions") }

// CreatedAt returns the creation time.
func (i *ImageHandle) CreatedAt() time.Time { return i.GetTime("created_at") }

// MinDiskSize returns the smallest disk, in GB, that can hold the image.
func (i *ImageHandle) MinDiskSize() int { return i.GetInt("min_disk_size") }

// SizeGigabytes returns the image's size.
func (i *ImageHandle) SizeGigabytes() float64 { return i.GetFloat("size_gigabytes") }

// Description returns the description.
func (i *ImageHandle) Description() string { return i.GetString("description") }

// Tags returns the image's tags.
func (i *ImageHandle) Tags() []string { return i.GetStrings("tags") }

// Status returns NEW, available, pending, deleted or retired.
func (i *ImageHandle) Status() string { return i.GetString("status") }

// ErrorMessage returns why a custom image failed to import.
func (i *ImageHandle) ErrorMessage() string { return i.GetString("error_message") }

// ImageUpdate holds the fields an update may change; empty ones are kept.
type ImageUpdate struct {
	Name         string `json:"name,omitempty"`
	Distribution string `json:"distribution,omitempty"`
	Description  string `json:"description,omitempty"`
}

// byID returns the image's path by numeric id: private images cannot be
// addressed by slug, and writes need the id.
func (i *ImageHandle) byID() string {
	if _, err := strconv.Atoi(i.Resource.ID()); err == nil {
		return i.Path()
	}
	return "/v2/images/" + strconv.Itoa(i.GetInt("id"))
}

// Update changes the image's name, distribution or description and
// refreshes the handle with the answer.
func (i *ImageHandle) Update(ctx context.Context, u ImageUpdate) error {
	if u == (ImageUpdate{}) {
		return withProvider(stratus.Invalid(i.Client(), "PUT /v2/images", "nothing to update"))
	}
	res, err := i.Client().DoJSON(ctx, http.MethodPut, i.byID(), nil, u)
	if err == nil {
		if obj := res.Get("image"); obj.IsObject() {
			i.Fill(obj, false)
		}
	}
	i.SetError(err)
	return err
}

// Delete removes the image.
func (i *ImageHandle) Delete(ctx context.Context) error {
	_, err := i.Client().Do(ctx, http.MethodDelete, i.byID(), nil, nil)
	i.SetError(err)
	return err
}

// Transfer copies the image to another region.
func (i *ImageHandle) Transfer(ctx context.Context, region string) (*ActionHandle, error) {
	if region == "" {
		return nil, withProvider(stratus.Invalid(i.Client(), "POST /v2/images/actions", "region is required"))
	}
	return i.imageAct(ctx, map[string]any{"type": "transfer", "region": region})
}

// Convert turns a backup into a snapshot.
func (i *ImageHandle) Convert(ctx context.Context) (*ActionHandle, error) {
	return i.imageAct(ctx, map[string]any{"type": "convert"})
}

func (i *ImageHandle) imageAct(ctx context.Context, body map[string]any) (*ActionHandle, error) {
	res, err := i.Client().DoJSON(ctx, http.MethodPost, i.byID()+"/actions", nil, body)
	i.SetError(err)
	if err != nil {
		return nil, err
	}
	return actionFrom(i.Client(), res, i)
}

// Actions lists the actions run on the image.
func (i *ImageHandle) Actions() stratus.Collection[*ActionHandle] {
	return Actions(i.Client()).At(i.byID() + "/actions")
}

// LastAction returns the newest action run on the image.
func (i *ImageHandle) LastAction(ctx context.Context) (*ActionHandle, error) {
	return i.Actions().Fresh().First(ctx)
}
