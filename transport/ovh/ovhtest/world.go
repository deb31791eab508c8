package ovhtest

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport/internal/simulator"
)

// epoch anchors the seeded dates (bills, creation dates): the data does
// not depend on when the simulator starts.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// world is the simulated account. Server.mu guards it.
type world struct {
	routeTable *simulator.Router[endpoint]
	rnd        *rand.Rand

	me *account

	bills    []*bill // ascending date
	billByID map[string]*bill

	servers      []*dedicated // ascending name
	serverByName map[string]*dedicated

	projects    []*project
	projectByID map[string]*project

	zones      []*zone
	zoneByName map[string]*zone
	nextRecord int64

	tasks taskBook // the dedicated servers' tasks (tasks.go)
}

// seed builds the account from the configuration and the seed.
func (s *Server) seed(cfg Config) {
	w := &s.world
	w.rnd = rand.New(rand.NewPCG(uint64(cfg.Seed), 0x73656564))
	w.routeTable = s.routes()
	w.me = w.seedAccount()
	w.seedBills(cfg.Bills)
	w.seedServers(cfg.DedicatedServers)
	w.seedProjects(cfg.Projects, cfg.Instances)
	w.seedZones(cfg.Zones, cfg.Records)
}

// uuid4 formats two random words as a version 4 UUID.
func uuid4(a, b uint64) string {
	a = a&^(0xf<<12) | 0x4<<12
	b = b&^(0x3<<62) | 0x2<<62
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func (w *world) uuid() string { return uuid4(w.rnd.Uint64(), w.rnd.Uint64()) }

// stableUUID derives a UUID from a name, for catalogue entries (flavors,
// images, networks) whose ids do not depend on the seed.
func stableUUID(name string) string {
	sum := sha1.Sum([]byte(name))
	return uuid4(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16]))
}

func (w *world) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[w.rnd.IntN(16)]
	}
	return string(b)
}

// sshPublicKey makes a well-formed ssh-ed25519 public key line.
func (w *world) sshPublicKey(comment string) string {
	const typ = "ssh-ed25519"
	blob := binary.BigEndian.AppendUint32(nil, uint32(len(typ)))
	blob = append(blob, typ...)
	blob = binary.BigEndian.AppendUint32(blob, 32)
	for range 4 {
		blob = binary.BigEndian.AppendUint64(blob, w.rnd.Uint64())
	}
	return typ + " " + base64.StdEncoding.EncodeToString(blob) + " " + comment
}

// DedicatedServerNames lists the dedicated servers, in the order GET
// /dedicated/server lists them.
func (s *Server) DedicatedServerNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, len(s.servers))
	for i, d := range s.servers {
		names[i] = d.name
	}
	return names
}

// Burst is the burst status of a dedicated server ("active", "inactive",
// "inactiveLocked"), or "" if there is no such server.
func (s *Server) Burst(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.serverByName[name]; d != nil {
		return d.burst
	}
	return ""
}

// ProjectIDs lists the Public Cloud project ids, in the order GET
// /cloud/project lists them.
func (s *Server) ProjectIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, len(s.projects))
	for i, p := range s.projects {
		ids[i] = p.id
	}
	return ids
}

// ZoneRefreshes is the number of POST /domain/zone/{zone}/refresh calls
// served for a zone.
func (s *Server) ZoneRefreshes(zone string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if z := s.zoneByName[strings.ToLower(zone)]; z != nil {
		return z.refreshes
	}
	return 0
}
