package digitaloceantest

import "time"

// region is a datacenter; its JSON never changes.
type region struct {
	Slug      string   `json:"slug"`
	Name      string   `json:"name"`
	Features  []string `json:"features"`
	Available bool     `json:"available"`
	Sizes     []string `json:"sizes"`

	index int
	json  []byte
}

type diskInfo struct {
	Type string `json:"type"`
	Size struct {
		Amount int    `json:"amount"`
		Unit   string `json:"unit"`
	} `json:"size"`
}

func localDisk(gb int) []diskInfo {
	d := diskInfo{Type: "local"}
	d.Size.Amount, d.Size.Unit = gb, "gib"
	return []diskInfo{d}
}

type gpuInfo struct {
	Count int    `json:"count"`
	Model string `json:"model"`
	VRAM  struct {
		Amount int    `json:"amount"`
		Unit   string `json:"unit"`
	} `json:"vram"`
}

// size is a droplet plan; its JSON never changes.
type size struct {
	Slug         string     `json:"slug"`
	Memory       int        `json:"memory"`
	VCPUs        int        `json:"vcpus"`
	Disk         int        `json:"disk"`
	Transfer     float64    `json:"transfer"`
	PriceMonthly float64    `json:"price_monthly"`
	PriceHourly  float64    `json:"price_hourly"`
	Regions      []string   `json:"regions"`
	Available    bool       `json:"available"`
	Description  string     `json:"description"`
	DiskInfo     []diskInfo `json:"disk_info"`
	GPUInfo      *gpuInfo   `json:"gpu_info,omitempty"`

	json []byte
}

type kernel struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`
	Version string `json:"version"`
}

var kernels = []kernel{
	{7515, "DigitalOcean GrubLoader v0.2 (20160714)", "2016.07.13-DigitalOcean_loader_Ubuntu"},
	{61833229, "Ubuntu 18.04 x64 vmlinuz-4.15.0-24-generic", "4.15.0-24-generic"},
	{485432972, "Ubuntu 20.04 x64 vmlinuz-5.4.0-42-generic", "5.4.0-42-generic"},
}

func kernelByID(id int) *kernel {
	for i := range kernels {
		if kernels[i].ID == id {
			return &kernels[i]
		}
	}
	return nil
}

var regionFeatures = []string{"private_networking", "backups", "ipv6", "metadata", "install_agent", "storage", "image_transfer"}

// The catalog: regions, sizes and public images, the same for every seed.
func newCatalog() ([]*region, []*size) {
	type plan struct {
		slug              string
		mem, vcpus, disk  int
		transfer, monthly float64
		desc              string
		gpu               bool
	}
	plans := []plan{
		{"s-1vcpu-512mb-10gb", 512, 1, 10, 0.5, 4, "Basic", false},
		{"s-1vcpu-1gb", 1024, 1, 25, 1, 6, "Basic", false},
		{"s-1vcpu-2gb", 2048, 1, 50, 2, 12, "Basic", false},
		{"s-2vcpu-2gb", 2048, 2, 60, 3, 18, "Basic", false},
		{"s-2vcpu-4gb", 4096, 2, 80, 4, 24, "Basic", false},
		{"s-4vcpu-8gb", 8192, 4, 160, 5, 48, "Basic", false},
		{"s-8vcpu-16gb", 16384, 8, 320, 6, 96, "Basic", false},
		{"c-2", 4096, 2, 25, 4, 42, "CPU-Optimized", false},
		{"c-4", 8192, 4, 50, 5, 84, "CPU-Optimized", false},
		{"g-2vcpu-8gb", 8192, 2, 25, 4, 63, "General Purpose", false},
		{"m-2vcpu-16gb", 16384, 2, 50, 4, 84, "Memory-Optimized", false},
		{"gpu-h100x1-80gb", 245760, 20, 720, 15, 2522.88, "H100 GPU - 1X", true},
	}
	regionDefs := []struct {
		slug, name string
		available  bool
		gpu        bool
	}{
		{"nyc1", "New York 1", true, false},
		{"nyc2", "New York 2", false, false},
		{"nyc3", "New York 3", true, false},
		{"sfo2", "San Francisco 2", true, false},
		{"sfo3", "San Francisco 3", true, false},
		{"ams3", "Amsterdam 3", true, false},
		{"fra1", "Frankfurt 1", true, false},
		{"lon1", "London 1", true, false},
		{"sgp1", "Singapore 1", true, false},
		{"tor1", "Toronto 1", true, true},
		{"blr1", "Bangalore 1", true, false},
		{"syd1", "Sydney 1", true, false},
		{"atl1", "Atlanta 1", true, true},
	}
	regions := make([]*region, len(regionDefs))
	for i, rd := range regionDefs {
		r := &region{Slug: rd.slug, Name: rd.name, Available: rd.available, index: i, Features: regionFeatures, Sizes: []string{}}
		if rd.available {
			for _, p := range plans {
				if !p.gpu || rd.gpu {
					r.Sizes = append(r.Sizes, p.slug)
				}
			}
		}
		r.json = marshal(r)
		regions[i] = r
	}
	sizes := make([]*size, len(plans))
	for i, p := range plans {
		z := &size{
			Slug: p.slug, Memory: p.mem, VCPUs: p.vcpus, Disk: p.disk, Transfer: p.transfer,
			PriceMonthly: p.monthly, PriceHourly: float64(int(p.monthly/672*1e5+0.5)) / 1e5,
			Regions: []string{}, Available: true, Description: p.desc, DiskInfo: localDisk(p.disk),
		}
		if p.gpu {
			z.GPUInfo = &gpuInfo{Count: 1, Model: "nvidia_h100"}
			z.GPUInfo.VRAM.Amount, z.GPUInfo.VRAM.Unit = 80, "gib"
		}
		for _, r := range regions {
			for _, sl := range r.Sizes {
				if sl == p.slug {
					z.Regions = append(z.Regions, r.Slug)
				}
			}
		}
		z.json = marshal(z)
		sizes[i] = z
	}
	return regions, sizes
}

// publicImages are the distribution and one-click application images.
func publicImages(regions []*region) []*image {
	var slugs []string
	for _, r := range regions {
		if r.Available {
			slugs = append(slugs, r.Slug)
		}
	}
	at := func(s string) time.Time {
		t, _ := time.Parse(time.DateOnly, s)
		return t.Add(5*time.Hour + 47*time.Minute + 50*time.Second)
	}
	type def struct {
		id                   int
		name, distro, slug   string
		app                  bool
		minDisk              int
		gigabytes            float64
		created, description string
	}
	defs := []def{
		{129211873, "24.04 (LTS) x64", "Ubuntu", "ubuntu-24-04-x64", false, 7, 2.34, "2024-04-25", "Ubuntu 24.04 (LTS) x64"},
		{112929454, "22.04 (LTS) x64", "Ubuntu", "ubuntu-22-04-x64", false, 7, 2.28, "2022-06-09", "Ubuntu 22.04 (LTS) x64"},
		{63663980, "20.04 (LTS) x64", "Ubuntu", "ubuntu-20-04-x64", false, 20, 2.36, "2020-05-15", "Ubuntu 20.04 (LTS) x64"},
		{136491402, "12 x64", "Debian", "debian-12-x64", false, 15, 0.79, "2023-06-11", "Debian 12 x64"},
		{133873314, "9 Stream x64", "CentOS", "centos-stream-9-x64", false, 10, 1.2, "2023-05-02", "CentOS Stream 9 x64"},
		{155452993, "40 x64", "Fedora", "fedora-40-x64", false, 15, 1.5, "2024-04-23", "Fedora 40 x64"},
		{144591282, "9 x64", "Rocky Linux", "rockylinux-9-x64", false, 10, 1.1, "2023-11-27", "Rocky Linux 9 x64"},
		{148453024, "14.0 x64 ufs", "FreeBSD", "freebsd-14-x64-ufs", false, 20, 1.87, "2024-01-10", "FreeBSD 14.0 x64 ufs"},
		{110582170, "Docker on Ubuntu 22.04", "Ubuntu", "docker-20-04", true, 15, 3.02, "2022-05-24", "Docker 24 on Ubuntu 22.04"},
		{111441913, "WordPress on Ubuntu 22.04", "Ubuntu", "wordpress-20-04", true, 25, 4.3, "2022-06-01", "WordPress 6 on Ubuntu 22.04"},
		{113527722, "LAMP on Ubuntu 22.04", "Ubuntu", "lamp-20-04", true, 25, 3.6, "2022-07-13", "LAMP on Ubuntu 22.04"},
	}
	out := make([]*image, len(defs))
	for i, d := range defs {
		out[i] = &image{
			id: d.id, name: d.name, kind: "snapshot", distribution: d.distro, slug: d.slug, public: true,
			application: d.app, regions: slugs, created: at(d.created), minDisk: d.minDisk,
			gigabytes: d.gigabytes, description: d.description, status: "available",
		}
	}
	return out
}
