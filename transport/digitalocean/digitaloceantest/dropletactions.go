package digitaloceantest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// byTagActions are the droplet action types allowed with ?tag_name=.
var byTagActions = map[string]bool{
	"power_cycle": true, "shutdown": true, "power_off": true, "power_on": true,
	"enable_ipv6": true, "enable_private_networking": true, "enable_backups": true,
	"disable_backups": true, "snapshot": true,
}

type actionRequest struct {
	Type         string          `json:"type"`
	Image        json.RawMessage `json:"image"`
	Size         string          `json:"size"`
	Disk         bool            `json:"disk"`
	Name         string          `json:"name"`
	Kernel       *int            `json:"kernel"`
	BackupPolicy json.RawMessage `json:"backup_policy"`
}

// prepare validates a droplet action and returns the effect to apply when
// it completes, or a 422 message.
func (s *Server) prepare(c *call, d *droplet, req *actionRequest) (effect func(), msg string) {
	switch req.Type {
	case "reboot", "power_cycle", "power_on":
		return func() { d.status = "active" }, ""
	case "shutdown", "power_off":
		return func() { d.status = "off" }, ""
	case "password_reset":
		return func() {}, ""
	case "enable_ipv6":
		return func() { s.addIPv6(d) }, ""
	case "enable_private_networking":
		return func() { d.addFeature("private_networking") }, ""
	case "enable_backups":
		return func() {
			d.addFeature("backups")
			if d.backupStart.IsZero() {
				d.backupStart = nextMidnight(s.clock())
			}
		}, ""
	case "disable_backups":
		return func() {
			d.removeFeature("backups")
			d.backupStart = time.Time{}
		}, ""
	case "change_backup_policy":
		if len(req.BackupPolicy) == 0 || string(req.BackupPolicy) == "null" {
			return nil, "backup_policy is required."
		}
		if !d.hasFeature("backups") {
			return nil, "Backups are not enabled for this Droplet."
		}
		return func() {}, ""
	case "restore":
		var id int
		if json.Unmarshal(req.Image, &id) != nil || s.images[id] == nil {
			return nil, "You specified an invalid image to restore from."
		}
		return func() { d.status = "active" }, ""
	case "resize":
		z := s.sizeBySlug[req.Size]
		switch {
		case req.Size == "":
			return nil, "Size is required."
		case z == nil || !slices.Contains(d.region.Sizes, z.Slug):
			return nil, "You specified an invalid size for this Droplet."
		case req.Disk && z.Disk < d.disk:
			return nil, "The disk of a Droplet cannot be made smaller."
		}
		return func() { d.setSize(z, req.Disk) }, ""
	case "rebuild":
		img := s.imageRef(req.Image)
		if len(req.Image) == 0 || img == nil {
			return nil, "You specified an invalid image to rebuild from."
		}
		return func() { d.image, d.status = img.json(), "active" }, ""
	case "rename":
		if !validDropletName(req.Name) {
			return nil, "Name is not valid: only letters, numbers, periods and dashes are allowed."
		}
		return func() { d.name = req.Name }, ""
	case "change_kernel":
		if req.Kernel == nil || kernelByID(*req.Kernel) == nil {
			return nil, "You specified an invalid kernel."
		}
		k := kernelByID(*req.Kernel)
		return func() { d.kernel = k }, ""
	case "snapshot":
		name := req.Name
		if name == "" {
			name = fmt.Sprintf("%s-%d", d.name, c.now.Unix())
		}
		return func() {
			img := s.addPrivateImage(name, "snapshot", d, s.clock())
			d.snapshotIDs = append(d.snapshotIDs, img.id)
		}, ""
	case "":
		return nil, "Action type is required."
	}
	return nil, fmt.Sprintf("%q is not a valid action type.", req.Type)
}

// startDropletAction locks the droplet and starts the action.
func (s *Server) startDropletAction(c *call, d *droplet, kind string, effect func()) *action {
	d.locked = true
	d.changed()
	return s.startAction(c, kind, "droplet", d.id, d.region, func(ok bool) {
		if _, alive := s.droplets[d.id]; !alive {
			return
		}
		d.locked = false
		if ok {
			effect()
		}
		d.changed()
	})
}

const lockedMessage = "Droplet already has a pending event."

func (s *Server) postDropletAction(c *call) {
	d := s.dropletParam(c)
	if d == nil {
		return
	}
	var req actionRequest
	if !c.decode(&req) {
		return
	}
	effect, msg := s.prepare(c, d, &req)
	switch {
	case effect == nil:
		c.unprocessable(msg)
	case d.locked:
		c.unprocessable(lockedMessage)
	default:
		a := s.startDropletAction(c, d, req.Type, effect)
		c.ok(http.StatusCreated, m("action", a.json()))
	}
}

func (s *Server) dropletActionsByTag(c *call) {
	tag := c.query("tag_name")
	if tag == "" {
		c.unprocessable("tag_name is required.")
		return
	}
	var req actionRequest
	if !c.decode(&req) {
		return
	}
	if !byTagActions[req.Type] {
		c.unprocessable(fmt.Sprintf("%q cannot be used with tag_name.", req.Type))
		return
	}
	if s.tags[lower(tag)] == nil {
		c.notFound()
		return
	}
	var targets []*droplet
	var effects []func()
	for _, d := range s.dropletOrder {
		if !d.hasTag(tag) {
			continue
		}
		if d.locked {
			c.unprocessable(fmt.Sprintf("Droplet %d: %s", d.id, lockedMessage))
			return
		}
		effect, msg := s.prepare(c, d, &req)
		if effect == nil {
			c.unprocessable(msg)
			return
		}
		targets = append(targets, d)
		effects = append(effects, effect)
	}
	items := make([][]byte, len(targets))
	for i, d := range targets {
		items[i] = s.startDropletAction(c, d, req.Type, effects[i]).json()
	}
	c.ok(http.StatusCreated, m("actions", joinJSON(items)))
}

func (s *Server) dropletActionFilter(c *call) func(*action) bool {
	d := s.dropletParam(c)
	if d == nil {
		return nil
	}
	return func(a *action) bool { return a.resourceType == "droplet" && a.resourceID == d.id }
}

func (s *Server) listDropletActions(c *call) {
	if f := s.dropletActionFilter(c); f != nil {
		s.resourceActions(c, f, false)
	}
}

func (s *Server) getDropletAction(c *call) {
	if f := s.dropletActionFilter(c); f != nil {
		s.resourceActions(c, f, true)
	}
}
