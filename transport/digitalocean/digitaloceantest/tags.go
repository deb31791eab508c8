package digitaloceantest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// tag is a label. Its first spelling is canonical; lookups by URL must use
// it, while filters and new taggings match any case.
type tag struct {
	name        string
	lastDroplet int // the droplet or image tagged last, if still tagged
	lastImage   int
	lastIsImage bool
}

var tagName = regexp.MustCompile(`^[a-zA-Z0-9_\-:]+$`)

func validTag(n string) bool { return len(n) <= 255 && tagName.MatchString(n) }

func lower(s string) string { return strings.ToLower(s) }

// ensureTag returns the tag with this name in any case, creating it.
func (s *Server) ensureTag(name string) *tag {
	t := s.tags[lower(name)]
	if t == nil {
		t = &tag{name: name}
		s.tags[lower(name)] = t
	}
	return t
}

func (s *Server) tagJSON(c *call, t *tag) []byte {
	type stats struct {
		Count         int     `json:"count"`
		LastTaggedURI string  `json:"last_tagged_uri,omitempty"`
		LastTagged    rawJSON `json:"last_tagged,omitempty"`
	}
	var drops, imgs stats
	var lastD *droplet
	var lastI *image
	for _, d := range s.dropletOrder {
		if d.hasTag(t.name) {
			drops.Count++
			if lastD == nil || lastD.id != t.lastDroplet {
				lastD = d
			}
		}
	}
	for _, img := range s.imageOrder {
		if slices.ContainsFunc(img.tags, func(x string) bool { return strings.EqualFold(x, t.name) }) {
			imgs.Count++
			if lastI == nil || lastI.id != t.lastImage {
				lastI = img
			}
		}
	}
	if lastD != nil {
		drops.LastTaggedURI = c.base() + "/v2/droplets/" + strconv.Itoa(lastD.id)
		drops.LastTagged = lastD.json()
	}
	if lastI != nil {
		imgs.LastTaggedURI = c.base() + "/v2/images/" + strconv.Itoa(lastI.id)
	}
	last := drops.LastTaggedURI
	if (t.lastIsImage && lastI != nil) || last == "" {
		last = imgs.LastTaggedURI
	}
	type resources struct {
		Count           int    `json:"count"`
		LastTaggedURI   string `json:"last_tagged_uri,omitempty"`
		Droplets        stats  `json:"droplets"`
		Images          stats  `json:"images"`
		Volumes         stats  `json:"volumes"`
		VolumeSnapshots stats  `json:"volume_snapshots"`
		Databases       stats  `json:"databases"`
	}
	return marshal(struct {
		Name      string    `json:"name"`
		Resources resources `json:"resources"`
	}{t.name, resources{Count: drops.Count + imgs.Count, LastTaggedURI: last, Droplets: drops, Images: imgs}})
}

func (s *Server) tagParam(c *call) *tag {
	t := s.tags[lower(c.params[0])]
	if t == nil || t.name != c.params[0] {
		c.notFound()
		return nil
	}
	return t
}

func (s *Server) listTags(c *call) {
	listOf(c, "tags", sortedKeys(s.tags), func(k string) []byte { return s.tagJSON(c, s.tags[k]) })
}

func (s *Server) createTag(c *call) {
	var req struct {
		Name string `json:"name"`
	}
	if !c.decode(&req) {
		return
	}
	if !validTag(req.Name) {
		// The tag service answers in its own shape, error_with_root_causes.
		problem := "contains invalid characters"
		if req.Name == "" || len(req.Name) > 255 {
			problem = "must be between 1 and 255 characters"
		}
		msg := `Error validating resource tag: "tag-name \"` + req.Name + `\" ` + problem + `"`
		c.rep.JSON(http.StatusBadRequest, struct {
			Error      string   `json:"error"`
			Messages   []string `json:"messages"`
			RootCauses []string `json:"root_causes"`
		}{msg, nil, []string{"rpc error: code = InvalidArgument desc = " + msg}})
		return
	}
	c.ok(http.StatusCreated, m("tag", s.tagJSON(c, s.ensureTag(req.Name))))
}

func (s *Server) getTag(c *call) {
	if t := s.tagParam(c); t != nil {
		c.ok(http.StatusOK, m("tag", s.tagJSON(c, t)))
	}
}

func (s *Server) deleteTag(c *call) {
	t := s.tagParam(c)
	if t == nil {
		return
	}
	for _, d := range s.dropletOrder {
		if d.hasTag(t.name) {
			untagDroplet(d, t)
		}
	}
	for _, img := range s.imageOrder {
		untagImage(img, t)
	}
	delete(s.tags, lower(t.name))
	c.noContent()
}

func untagDroplet(d *droplet, t *tag) {
	d.tags = slices.DeleteFunc(d.tags, func(x string) bool { return strings.EqualFold(x, t.name) })
	d.changed()
}

func untagImage(img *image, t *tag) {
	n := len(img.tags)
	img.tags = slices.DeleteFunc(img.tags, func(x string) bool { return strings.EqualFold(x, t.name) })
	if len(img.tags) != n {
		img.changed()
	}
}

// taggables resolves the body of a tag or untag request to droplets and
// images; it answers the error itself.
func (s *Server) taggables(c *call) (drops []*droplet, imgs []*image, ok bool) {
	var req struct {
		Resources []struct {
			ID   json.RawMessage `json:"resource_id"`
			Type string          `json:"resource_type"`
		} `json:"resources"`
	}
	if !c.decode(&req) {
		return nil, nil, false
	}
	if len(req.Resources) == 0 {
		c.unprocessable("resources must list at least one resource.")
		return nil, nil, false
	}
	for _, r := range req.Resources {
		var ref string
		if err := json.Unmarshal(r.ID, &ref); err != nil {
			// The API decodes into a string field and says so in Go's words.
			what := "number"
			switch b := bytes.TrimSpace(r.ID); {
			case len(b) == 0:
				what = "null"
			case b[0] == '{':
				what = "object"
			case b[0] == '[':
				what = "array"
			case b[0] == 't' || b[0] == 'f':
				what = "bool"
			case b[0] == 'n':
				ref = "" // null leaves the string empty
				what = ""
			}
			if what != "" {
				c.badRequest("json: cannot unmarshal " + what + " into Go struct field Resource.resource_id of type string")
				return nil, nil, false
			}
		}
		id, err := strconv.Atoi(ref)
		switch r.Type {
		case "droplet":
			d := s.droplets[id]
			if err != nil || d == nil {
				c.notFound()
				return nil, nil, false
			}
			drops = append(drops, d)
		case "image":
			img := s.images[id]
			if err != nil || img == nil || img.public {
				c.notFound()
				return nil, nil, false
			}
			imgs = append(imgs, img)
		case "volume", "volume_snapshot", "database", "load_balancer":
			// None exist in the simulator.
			c.notFound()
			return nil, nil, false
		default:
			c.unprocessable(strconv.Quote(r.Type) + " is not a resource type that can be tagged.")
			return nil, nil, false
		}
	}
	return drops, imgs, true
}

func (s *Server) tagResources(c *call) {
	t := s.tagParam(c)
	if t == nil {
		return
	}
	drops, imgs, ok := s.taggables(c)
	if !ok {
		return
	}
	for _, d := range drops {
		if !d.hasTag(t.name) {
			d.tags = append(d.tags, t.name)
			d.changed()
		}
		t.lastDroplet, t.lastIsImage = d.id, false
	}
	for _, img := range imgs {
		if !slices.ContainsFunc(img.tags, func(x string) bool { return strings.EqualFold(x, t.name) }) {
			img.tags = append(img.tags, t.name)
			img.changed()
		}
		t.lastImage, t.lastIsImage = img.id, true
	}
	c.noContent()
}

func (s *Server) untagResources(c *call) {
	t := s.tagParam(c)
	if t == nil {
		return
	}
	drops, imgs, ok := s.taggables(c)
	if !ok {
		return
	}
	for _, d := range drops {
		untagDroplet(d, t)
	}
	for _, img := range imgs {
		untagImage(img, t)
	}
	c.noContent()
}
