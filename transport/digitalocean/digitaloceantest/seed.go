package digitaloceantest

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"
)

// The first ids the simulator hands out.
const (
	firstDropletID = 400000000
	firstImageID   = 200000000
	firstActionID  = 1800000000
	firstKeyID     = 41000000
	firstRecordID  = 300000000
)

// seed builds the account: catalog, droplets, keys, a domain and tags.
func (s *Server) seed(cfg Config) {
	w := &s.world
	w.rnd = rand.New(rand.NewPCG(uint64(cfg.Seed), 0x73656564))
	w.routeTable = s.routes()
	w.regions, w.sizes = newCatalog()
	w.regionBySlug = make(map[string]*region, len(w.regions))
	w.vpcs = make(map[string]string, len(w.regions))
	for _, r := range w.regions {
		w.regionBySlug[r.Slug] = r
		w.vpcs[r.Slug] = uuidFrom(w.rnd.Uint64(), w.rnd.Uint64())
	}
	w.sizeBySlug = make(map[string]*size, len(w.sizes))
	for _, z := range w.sizes {
		w.sizeBySlug[z.Slug] = z
	}
	w.images = map[int]*image{}
	for _, img := range publicImages(w.regions) {
		s.addImage(img)
	}
	w.droplets = make(map[int]*droplet, cfg.Droplets)
	w.dropletOrder = make([]*droplet, 0, cfg.Droplets)
	w.actions = map[int]*action{}
	w.keys = map[int]*sshKey{}
	w.domains = map[string]*domain{}
	w.ips = map[string]*floatingIP{}
	w.tags = map[string]*tag{}
	w.nextDroplet, w.nextImage, w.nextAction = firstDropletID-1, firstImageID-1, firstActionID-1
	w.nextKey, w.nextRecord = firstKeyID-1, firstRecordID-1

	for _, name := range []string{"sammy@laptop", "ci-deploy"} {
		pub := s.seedKey(name)
		fp, err := Fingerprint(pub)
		if err != nil {
			panic("digitaloceantest: seeded key: " + err.Error())
		}
		s.addKey(name, pub, fp)
	}

	d := s.addDomain("example.com", "192.0.2.10")
	s.addRecord(d, &record{typ: "CNAME", name: "www", data: "@", ttl: 3600})
	s.addRecord(d, &record{typ: "MX", name: "@", data: "mail.example.com", priority: 10, ttl: 1800})
	s.addRecord(d, &record{typ: "TXT", name: "@", data: "v=spf1 -all", ttl: 1800})

	for _, t := range []string{"web", "db", "env:prod", "env:staging"} {
		s.ensureTag(t)
	}
	s.seedDroplets(cfg.Droplets)

	s.account = marshal(struct {
		DropletLimit    int    `json:"droplet_limit"`
		FloatingIPLimit int    `json:"floating_ip_limit"`
		ReservedIPLimit int    `json:"reserved_ip_limit"`
		VolumeLimit     int    `json:"volume_limit"`
		Email           string `json:"email"`
		Name            string `json:"name"`
		UUID            string `json:"uuid"`
		EmailVerified   bool   `json:"email_verified"`
		Status          string `json:"status"`
		StatusMessage   string `json:"status_message"`
		Team            struct {
			UUID string `json:"uuid"`
			Name string `json:"name"`
		} `json:"team"`
	}{
		DropletLimit: max(25, 2*cfg.Droplets), FloatingIPLimit: 10, ReservedIPLimit: 10, VolumeLimit: 100,
		Email: "sammy@example.com", Name: "Sammy the Shark",
		UUID:          fmt.Sprintf("%016x%016x%08x", w.rnd.Uint64(), w.rnd.Uint64(), w.rnd.Uint32()),
		EmailVerified: true, Status: "active", StatusMessage: "",
		Team: struct {
			UUID string `json:"uuid"`
			Name string `json:"name"`
		}{fmt.Sprintf("%016x%016x%08x", w.rnd.Uint64(), w.rnd.Uint64(), w.rnd.Uint32()), "My Team"},
	})
}

// seedKey makes a well-formed ssh-ed25519 public key from the seed.
func (s *Server) seedKey(comment string) string {
	const typ = "ssh-ed25519"
	blob := binary.BigEndian.AppendUint32(nil, uint32(len(typ)))
	blob = append(blob, typ...)
	blob = binary.BigEndian.AppendUint32(blob, 32)
	for range 4 {
		blob = binary.BigEndian.AppendUint64(blob, s.rnd.Uint64())
	}
	return typ + " " + base64.StdEncoding.EncodeToString(blob) + " " + comment
}

// seedDroplets creates n droplets named <role>-NNNN. Every fourth pattern:
// web (tags web, env:prod), db (db, env:prod), web, cache (env:staging).
// Every fifth is off, every third has backups, every second IPv6, every
// fiftieth is a GPU droplet; the droplets at (0-based) indexes 10k and
// 10k+1 share a host, so they are neighbors.
func (s *Server) seedDroplets(n int) {
	var pool, gpuPool []*region
	for _, r := range s.regions {
		if r.Available {
			pool = append(pool, r)
		}
		if r.Available && s.sizeBySlug["gpu-h100x1-80gb"] != nil && slices.Contains(r.Sizes, "gpu-h100x1-80gb") {
			gpuPool = append(gpuPool, r)
		}
	}
	var basic []*size
	for _, z := range s.sizes {
		if z.GPUInfo == nil {
			basic = append(basic, z)
		}
	}
	var distros []*image
	for _, img := range s.imageOrder {
		if img.public && !img.application {
			distros = append(distros, img)
		}
	}
	roles := []string{"web", "db", "web", "cache"}
	roleTags := map[string][]string{"web": {"web", "env:prod"}, "db": {"db", "env:prod"}, "cache": {"env:staging"}}
	for i := range n {
		role := roles[i%len(roles)]
		s.nextDroplet++
		d := &droplet{
			id: s.nextDroplet, name: fmt.Sprintf("%s-%04d", role, i+1), status: "active",
			created: epoch.Add(-time.Duration(n-i)*time.Hour - time.Duration(s.rnd.IntN(3600))*time.Second),
			region:  pool[(i/2)%len(pool)], tags: append([]string(nil), roleTags[role]...),
			features: []string{"private_networking"}, wantPublicV4: true, wantIPv6: i%2 == 0,
		}
		z := basic[s.rnd.IntN(len(basic))]
		if i%50 == 49 && len(gpuPool) > 0 {
			z, d.region = s.sizeBySlug["gpu-h100x1-80gb"], gpuPool[(i/50)%len(gpuPool)]
		}
		d.setSize(z, true)
		d.vpc = s.vpcs[d.region.Slug]
		d.image = distros[s.rnd.IntN(len(distros))].json()
		if i%5 == 4 {
			d.status = "off"
		}
		if i%2 == 0 {
			d.kernel = &kernels[0]
		}
		if i%4 == 1 {
			d.addFeature("monitoring")
		}
		if i%7 == 3 {
			d.volumeIDs = []string{uuidFrom(s.rnd.Uint64(), s.rnd.Uint64())}
		}
		if i%10 < 2 {
			d.host = i/10 + 1
		}
		s.addDroplet(d)
		s.giveAddresses(d)
		if i%3 == 0 {
			d.addFeature("backups")
			d.backupStart = nextMidnight(epoch)
			if i < 20 {
				img := s.addPrivateImage(fmt.Sprintf("%s %s", d.name, epoch.Add(-24*time.Hour).Format(time.DateOnly)),
					"backup", d, epoch.Add(-24*time.Hour))
				d.backupIDs = append(d.backupIDs, img.id)
			}
		}
		if i == 0 {
			img := s.addPrivateImage(d.name+"-golden", "snapshot", d, epoch.Add(-72*time.Hour))
			d.snapshotIDs = append(d.snapshotIDs, img.id)
			img.tags = []string{"web"}
		}
		d.changed()
	}
}

func (s *Server) getAccount(c *call) { c.ok(http.StatusOK, m("account", s.account)) }
