package digitaloceantest

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// image is a public distribution or application image, or a private
// snapshot, backup or custom image.
type image struct {
	id           int
	name         string
	kind         string // JSON "type": snapshot, backup, custom, base, admin
	distribution string
	slug         string // public images only
	public       bool
	application  bool
	regions      []string
	created      time.Time
	minDisk      int
	gigabytes    float64
	description  string
	tags         []string
	status       string
	errorMessage string
	dropletID    int // the droplet a snapshot or backup was taken from

	cache []byte
}

func (img *image) changed() { img.cache = nil }

func (img *image) json() []byte {
	if img.cache != nil {
		return img.cache
	}
	var slug *string
	if img.public && img.slug != "" {
		slug = &img.slug
	}
	img.cache = marshal(struct {
		ID            int      `json:"id"`
		Name          string   `json:"name"`
		Type          string   `json:"type"`
		Distribution  string   `json:"distribution"`
		Slug          *string  `json:"slug"`
		Public        bool     `json:"public"`
		Regions       []string `json:"regions"`
		CreatedAt     string   `json:"created_at"`
		MinDiskSize   int      `json:"min_disk_size"`
		SizeGigabytes float64  `json:"size_gigabytes"`
		Description   string   `json:"description"`
		Tags          []string `json:"tags"`
		Status        string   `json:"status"`
		ErrorMessage  string   `json:"error_message"`
	}{img.id, img.name, img.kind, img.distribution, slug, img.public, nonNil(img.regions),
		stamp(img.created), img.minDisk, img.gigabytes, img.description, nonNil(img.tags),
		img.status, img.errorMessage})
	return img.cache
}

var distributions = []string{"Arch Linux", "CentOS", "CoreOS", "Debian", "Fedora", "Fedora Atomic",
	"FreeBSD", "Gentoo", "openSUSE", "RancherOS", "Rocky Linux", "Ubuntu", "Unknown"}

func (s *Server) addImage(img *image) {
	s.images[img.id] = img
	i, _ := slices.BinarySearchFunc(s.imageOrder, img.id, func(e *image, id int) int { return e.id - id })
	s.imageOrder = slices.Insert(s.imageOrder, i, img)
}

// addPrivateImage records a snapshot or backup of a droplet.
func (s *Server) addPrivateImage(name, kind string, d *droplet, at time.Time) *image {
	var src struct {
		Distribution string `json:"distribution"`
	}
	_ = json.Unmarshal(d.image, &src)
	s.nextImage++
	img := &image{
		id: s.nextImage, name: name, kind: kind, distribution: src.Distribution,
		regions: []string{d.region.Slug}, created: at, minDisk: d.disk,
		gigabytes: math.Round(float64(d.disk)*9.7) / 100, status: "available", dropletID: d.id,
	}
	s.addImage(img)
	return img
}

func (s *Server) removeImage(id int) {
	img := s.images[id]
	if img == nil {
		return
	}
	delete(s.images, id)
	s.imageOrder = removeSorted(s.imageOrder, id, func(i *image) int { return i.id })
	if d := s.droplets[img.dropletID]; d != nil {
		d.snapshotIDs = slices.DeleteFunc(d.snapshotIDs, func(x int) bool { return x == id })
		d.backupIDs = slices.DeleteFunc(d.backupIDs, func(x int) bool { return x == id })
		d.changed()
	}
}

func (s *Server) imageBySlug(slug string) *image {
	for _, img := range s.imageOrder {
		if img.public && img.slug == slug {
			return img
		}
	}
	return nil
}

// imageParam finds the image named by the first path parameter: an id, or
// the slug of a public image.
func (s *Server) imageParam(c *call) *image {
	var img *image
	if id, err := strconv.Atoi(c.params[0]); err == nil {
		img = s.images[id]
	} else {
		img = s.imageBySlug(c.params[0])
	}
	if img == nil {
		c.notFound()
	}
	return img
}

// privateImageParam is imageParam for operations that only apply to the
// account's own images.
func (s *Server) privateImageParam(c *call) *image {
	img := s.imageParam(c)
	if img != nil && img.public {
		c.fail(http.StatusForbidden, "forbidden", "You do not have access for the attempted action.")
		return nil
	}
	return img
}

func (s *Server) listImages(c *call) {
	q := c.r.URL.Query()
	typ, tag := q.Get("type"), q.Get("tag_name")
	private := q.Get("private") == "true"
	if typ != "" && typ != "distribution" && typ != "application" {
		c.badRequest("type must be distribution or application")
		return
	}
	var items []*image
	for _, img := range s.imageOrder {
		switch {
		case typ == "distribution" && (!img.public || img.application),
			typ == "application" && (!img.public || !img.application),
			private && img.public,
			tag != "" && !slices.ContainsFunc(img.tags, func(t string) bool { return strings.EqualFold(t, tag) }):
			continue
		}
		items = append(items, img)
	}
	listOf(c, "images", items, (*image).json)
}

func (s *Server) getImage(c *call) {
	if img := s.imageParam(c); img != nil {
		c.ok(http.StatusOK, m("image", img.json()))
	}
}

func (s *Server) updateImage(c *call) {
	img := s.privateImageParam(c)
	if img == nil {
		return
	}
	var req struct {
		Name         *string `json:"name"`
		Distribution *string `json:"distribution"`
		Description  *string `json:"description"`
	}
	if !c.decode(&req) {
		return
	}
	if req.Name != nil && strings.TrimSpace(*req.Name) == "" {
		c.unprocessable("Name cannot be blank.")
		return
	}
	if req.Distribution != nil && *req.Distribution != "" && !slices.Contains(distributions, *req.Distribution) {
		c.unprocessable("Distribution is not valid.")
		return
	}
	if req.Name != nil {
		img.name = *req.Name
	}
	if req.Distribution != nil && *req.Distribution != "" {
		img.distribution = *req.Distribution
	}
	if req.Description != nil {
		img.description = *req.Description
	}
	img.changed()
	c.ok(http.StatusOK, m("image", img.json()))
}

func (s *Server) deleteImage(c *call) {
	if img := s.privateImageParam(c); img != nil {
		s.removeImage(img.id)
		c.noContent()
	}
}

func (s *Server) createCustomImage(c *call) {
	var req struct {
		Name         string   `json:"name"`
		URL          string   `json:"url"`
		Region       string   `json:"region"`
		Distribution string   `json:"distribution"`
		Description  string   `json:"description"`
		Tags         []string `json:"tags"`
	}
	if !c.decode(&req) {
		return
	}
	r := s.regionBySlug[req.Region]
	switch {
	case req.Name == "":
		c.unprocessable("Name is required.")
		return
	case !strings.HasPrefix(req.URL, "http://") && !strings.HasPrefix(req.URL, "https://"):
		c.unprocessable("A URL to the image file is required.")
		return
	case r == nil || !r.Available:
		c.unprocessable("You specified an invalid region.")
		return
	case req.Distribution != "" && !slices.Contains(distributions, req.Distribution):
		c.unprocessable("Distribution is not valid.")
		return
	}
	if req.Distribution == "" {
		req.Distribution = "Unknown"
	}
	for _, t := range req.Tags {
		if !validTag(t) {
			c.unprocessable("Tag " + strconv.Quote(t) + " is not valid.")
			return
		}
	}
	var tags []string
	for _, t := range req.Tags {
		tags = append(tags, s.ensureTag(t).name)
	}
	s.nextImage++
	img := &image{id: s.nextImage, name: req.Name, kind: "custom", distribution: req.Distribution,
		regions: []string{r.Slug}, created: c.now, description: req.Description, tags: tags, status: "NEW"}
	s.addImage(img)
	s.later(c, func() {
		img.status, img.minDisk, img.gigabytes = "available", 20, 2.2
		img.changed()
	})
	c.ok(http.StatusAccepted, m("image", img.json()))
}

func (s *Server) postImageAction(c *call) {
	img := s.imageParam(c)
	if img == nil {
		return
	}
	var req struct {
		Type   string `json:"type"`
		Region string `json:"region"`
	}
	if !c.decode(&req) {
		return
	}
	if img.public {
		c.unprocessable("Actions are only available for your own images.")
		return
	}
	var a *action
	switch req.Type {
	case "transfer":
		r := s.regionBySlug[req.Region]
		if r == nil || !r.Available {
			c.unprocessable("You specified an invalid region.")
			return
		}
		a = s.startAction(c, "transfer", "image", img.id, r, func(ok bool) {
			if ok && !slices.Contains(img.regions, r.Slug) {
				img.regions = append(img.regions, r.Slug)
				img.changed()
			}
		})
	case "convert":
		if img.kind != "backup" {
			c.unprocessable("Only backups can be converted to snapshots.")
			return
		}
		a = s.startAction(c, "convert", "image", img.id, s.regionBySlug[img.regions[0]], func(ok bool) {
			if ok {
				img.kind = "snapshot"
				img.changed()
			}
		})
	default:
		c.unprocessable(strconv.Quote(req.Type) + " is not a valid image action type.")
		return
	}
	c.ok(http.StatusCreated, m("action", a.json()))
}

func (s *Server) imageActionFilter(c *call) func(*action) bool {
	img := s.imageParam(c)
	if img == nil {
		return nil
	}
	return func(a *action) bool { return a.resourceType == "image" && a.resourceID == img.id }
}

func (s *Server) listImageActions(c *call) {
	if f := s.imageActionFilter(c); f != nil {
		s.resourceActions(c, f, false)
	}
}

func (s *Server) getImageAction(c *call) {
	if f := s.imageActionFilter(c); f != nil {
		s.resourceActions(c, f, true)
	}
}

func (s *Server) listRegions(c *call) {
	listOf(c, "regions", s.regions, func(r *region) []byte { return r.json })
}

func (s *Server) listSizes(c *call) {
	listOf(c, "sizes", s.sizes, func(z *size) []byte { return z.json })
}
