package digitaloceantest

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// world is the simulated account. Server.mu guards it.
type world struct {
	routeTable *simulator.Router[func(*call)]

	regions      []*region
	regionBySlug map[string]*region
	sizes        []*size
	sizeBySlug   map[string]*size

	images     map[int]*image
	imageOrder []*image // ascending id

	droplets     map[int]*droplet
	dropletOrder []*droplet // ascending id

	actions     map[int]*action
	actionOrder []*action // ascending id
	pending     []*pending
	failNext    int

	keys     map[int]*sshKey
	keyOrder []*sshKey

	domains map[string]*domain
	ips     map[string]*floatingIP
	tags    map[string]*tag // by lower-case name

	account []byte
	vpcs    map[string]string // region slug -> default VPC uuid

	nextDroplet, nextImage, nextAction, nextKey, nextRecord int
	addrSeq, floatSeq                                       int
	rnd                                                     *rand.Rand
}

// action is an asynchronous operation on a droplet, image or floating IP.
type action struct {
	id           int
	status       string
	kind         string
	started      time.Time
	completed    time.Time // zero while in progress
	resourceID   int
	resourceType string
	region       *region

	cache []byte
}

func (a *action) json() []byte {
	if a.cache != nil {
		return a.cache
	}
	var completed *string
	if !a.completed.IsZero() {
		t := stamp(a.completed)
		completed = &t
	}
	var regionJSON rawJSON
	var slug *string
	if a.region != nil {
		regionJSON = a.region.json
		slug = &a.region.Slug
	}
	a.cache = marshal(struct {
		ID           int     `json:"id"`
		Status       string  `json:"status"`
		Type         string  `json:"type"`
		StartedAt    string  `json:"started_at"`
		CompletedAt  *string `json:"completed_at"`
		ResourceID   int     `json:"resource_id"`
		ResourceType string  `json:"resource_type"`
		Region       rawJSON `json:"region"`
		RegionSlug   *string `json:"region_slug"`
	}{a.id, a.status, a.kind, stamp(a.started), completed, a.resourceID, a.resourceType, regionJSON, slug})
	return a.cache
}

// rawJSON is pre-encoded JSON; empty encodes as null.
type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	return r, nil
}

// pending is work that finishes when the clock reaches due: an action
// (act != nil) or a silent state change such as a custom image import.
type pending struct {
	due   time.Time
	act   *action
	fail  bool
	apply func(ok bool)
}

// startAction records an in-progress action and schedules its completion;
// apply runs under the lock when it ends, with ok=false when it errored.
func (s *Server) startAction(c *call, kind, resourceType string, resourceID int, r *region, apply func(ok bool)) *action {
	s.nextAction++
	a := &action{id: s.nextAction, status: "in-progress", kind: kind, started: c.now,
		resourceID: resourceID, resourceType: resourceType, region: r}
	s.actions[a.id] = a
	s.actionOrder = append(s.actionOrder, a)
	fail := s.failNext > 0
	if fail {
		s.failNext--
	}
	s.pending = append(s.pending, &pending{due: c.now.Add(s.cfg.ActionDuration), act: a, fail: fail, apply: apply})
	return a
}

// later schedules a silent state change after the action duration.
func (s *Server) later(c *call, apply func()) {
	s.pending = append(s.pending, &pending{due: c.now.Add(s.cfg.ActionDuration), apply: func(bool) { apply() }})
}

// settle finishes the pending work that is due at now (all of it if all).
// Work is queued in due order because the clock never goes back.
func (s *Server) settle(now time.Time, all bool) {
	for len(s.pending) > 0 && (all || !s.pending[0].due.After(now)) {
		p := s.pending[0]
		s.pending[0] = nil
		s.pending = s.pending[1:]
		at := p.due
		if at.After(now) {
			at = now
		}
		if p.act != nil {
			p.act.status = "completed"
			if p.fail {
				p.act.status = "errored"
			}
			p.act.completed = at
			p.act.cache = nil
		}
		if p.apply != nil {
			p.apply(!p.fail)
		}
	}
}

// actionsNewestFirst lists the actions, optionally only those of one
// resource, newest first.
func (s *Server) actionsNewestFirst(keep func(*action) bool) []*action {
	out := make([]*action, 0, 16)
	for i := len(s.actionOrder) - 1; i >= 0; i-- {
		if a := s.actionOrder[i]; keep == nil || keep(a) {
			out = append(out, a)
		}
	}
	return out
}

func (s *Server) listActions(c *call) {
	listOf(c, "actions", s.actionsNewestFirst(nil), (*action).json)
}

func (s *Server) getAction(c *call) {
	id, ok := c.intParam(0)
	a := s.actions[id]
	if !ok || a == nil {
		c.notFound()
		return
	}
	c.ok(http.StatusOK, m("action", a.json()))
}

// resourceActions serves the action list and single-action routes nested
// under a resource; which identifies the resource's actions.
func (s *Server) resourceActions(c *call, which func(*action) bool, single bool) {
	if !single {
		listOf(c, "actions", s.actionsNewestFirst(which), (*action).json)
		return
	}
	id, ok := c.intParam(1)
	a := s.actions[id]
	if !ok || a == nil || !which(a) {
		c.notFound()
		return
	}
	c.ok(http.StatusOK, m("action", a.json()))
}

// removeSorted deletes the element with the given id from a slice sorted by
// id.
func removeSorted[T any](list []T, id int, idOf func(T) int) []T {
	i, found := slices.BinarySearchFunc(list, id, func(e T, id int) int { return idOf(e) - id })
	if !found {
		return list
	}
	return slices.Delete(list, i, i+1)
}
