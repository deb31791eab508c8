package digitalocean

import "github.com/stratus-cloud/stratus"

// RegionHandle is a region (nyc3, ams3...). Regions can only be listed:
// there is no endpoint for one region.
type RegionHandle struct{ *stratus.Resource }

// Regions lists every region.
func Regions(c *stratus.Client) stratus.Collection[*RegionHandle] {
	return stratus.NewCollection(c, regionKind, func(r *stratus.Resource) *RegionHandle { return &RegionHandle{r} })
}

// Slug returns the region's slug.
func (r *RegionHandle) Slug() string { return r.GetString("slug") }

// Name returns the region's name ("New York 3").
func (r *RegionHandle) Name() string { return r.GetString("name") }

// Features returns the region's features.
func (r *RegionHandle) Features() []string { return r.GetStrings("features") }

// Available reports whether new droplets can be created there.
func (r *RegionHandle) Available() bool { return r.GetBool("available") }

// Sizes returns the size slugs offered there.
func (r *RegionHandle) Sizes() []string { return r.GetStrings("sizes") }

// SizeHandle is a droplet size. Sizes can only be listed.
type SizeHandle struct{ *stratus.Resource }

// Sizes lists every size.
func Sizes(c *stratus.Client) stratus.Collection[*SizeHandle] {
	return stratus.NewCollection(c, sizeKind, func(r *stratus.Resource) *SizeHandle { return &SizeHandle{r} })
}

// Slug returns the size's slug.
func (s *SizeHandle) Slug() string { return s.GetString("slug") }

// Memory returns the memory in MB.
func (s *SizeHandle) Memory() int { return s.GetInt("memory") }

// VCPUs returns the number of virtual CPUs.
func (s *SizeHandle) VCPUs() int { return s.GetInt("vcpus") }

// Disk returns the disk size in GB.
func (s *SizeHandle) Disk() int { return s.GetInt("disk") }

// Transfer returns the monthly transfer allowance in TB.
func (s *SizeHandle) Transfer() float64 { return s.GetFloat("transfer") }

// PriceMonthly returns the monthly price in USD.
func (s *SizeHandle) PriceMonthly() float64 { return s.GetFloat("price_monthly") }

// PriceHourly returns the hourly price in USD.
func (s *SizeHandle) PriceHourly() float64 { return s.GetFloat("price_hourly") }

// Regions returns the regions offering the size.
func (s *SizeHandle) Regions() []string { return s.GetStrings("regions") }

// Available reports whether the size can be used.
func (s *SizeHandle) Available() bool { return s.GetBool("available") }

// Description returns the size class ("Basic").
func (s *SizeHandle) Description() string { return s.GetString("description") }
