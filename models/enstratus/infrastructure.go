package enstratus

import (
	"strconv"
	"time"

	"github.com/stratus-cloud/stratus"
)

// Server statuses.
const (
	ServerPending    = "PENDING"
	ServerRunning    = "RUNNING"
	ServerPaused     = "PAUSED"
	ServerStopped    = "STOPPED"
	ServerTerminated = "TERMINATED"
)

// ServerHandle is a lazy server (a virtual machine). Make one with Server
// or LaunchServer; getters load it on first use. Its operations (Pause,
// Start, Stop, Rename, Terminate) are in server.go.
type ServerHandle struct{ handle }

var _ stratus.Object = (*ServerHandle)(nil)

// Server returns a handle for server id. No request is sent.
func Server(c *stratus.Client, id int) *ServerHandle {
	return wrapServer(stratus.NewResource(c, serverKind, strconv.Itoa(id)))
}

func wrapServer(r *stratus.Resource) *ServerHandle { return &ServerHandle{newHandle(r)} }

// ServerList is the list of servers.
type ServerList struct {
	List[*ServerHandle, ServerList]
}

func serverList(l List[*ServerHandle, ServerList]) ServerList { return ServerList{l} }

// Servers lists the servers, in basic detail: one request whatever their
// number, and reading the fields of the items sends nothing unless the
// basic answer lacks them (the fields of a nested object, such as
// cloud.name).
func Servers(c *stratus.Client) ServerList { return newList(c, serverKind, wrapServer, serverList) }

// InRegion keeps the servers of a region (regionId).
func (l ServerList) InRegion(regionID int) ServerList {
	return l.filter("regionId", positive(regionID))
}

// ID returns the server id (no load needed).
func (h *ServerHandle) ID() int { return h.IntID() }

// Name returns the server's name.
func (h *ServerHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *ServerHandle) Description() string { return h.GetString("description") }

// Label returns the label ("" when none).
func (h *ServerHandle) Label() string { return h.GetString("label") }

// Status returns PENDING, RUNNING, PAUSED, STOPPED, TERMINATED...
func (h *ServerHandle) Status() string { return h.GetString("status") }

// Platform returns the operating system family (UBUNTU, WINDOWS...).
func (h *ServerHandle) Platform() string { return h.GetString("platform") }

// ProviderID returns the cloud's id of the server ("i-0c67a03e").
func (h *ServerHandle) ProviderID() string { return h.GetString("providerId") }

// ProviderProductID returns the cloud's product ("m1.small").
func (h *ServerHandle) ProviderProductID() string { return h.GetString("providerProductId") }

// AgentVersion returns the version of the enStratus agent on the server.
func (h *ServerHandle) AgentVersion() int { return h.GetInt("agentVersion") }

// BudgetID returns the id of the billing code charged.
func (h *ServerHandle) BudgetID() int { return h.GetInt("budget") }

// Budget returns the billing code charged, without loading it.
func (h *ServerHandle) Budget() *BillingCodeHandle {
	if id := h.BudgetID(); id != 0 {
		return BillingCode(h.Client(), id)
	}
	return nil
}

// StartDate returns when the server started.
func (h *ServerHandle) StartDate() time.Time { return h.GetTime("startDate") }

// StopDate returns when it stopped (zero if it has not).
func (h *ServerHandle) StopDate() time.Time { return h.GetTime("stopDate") }

// PublicIPAddress returns the public address ("" when it has none: a
// server that is not running).
func (h *ServerHandle) PublicIPAddress() string { return h.GetString("publicIpAddress") }

// PrivateIPAddresses returns the private addresses.
func (h *ServerHandle) PrivateIPAddresses() []string { return h.GetStrings("privateIpAddresses") }

// CloudID returns the id of the server's cloud.
func (h *ServerHandle) CloudID() int { return h.refID("cloud", "cloudId") }

// RegionID returns the id of the server's region.
func (h *ServerHandle) RegionID() int { return h.refID("region", "regionId") }

// DataCenterID returns the id of the server's data center.
func (h *ServerHandle) DataCenterID() int { return h.refID("dataCenter", "dataCenterId") }

// MachineImageID returns the id of the image the server was launched
// from.
func (h *ServerHandle) MachineImageID() int { return h.refID("machineImage", "machineImageId") }

// ProductID returns the id of the server product, 0 when the API names
// none.
func (h *ServerHandle) ProductID() int { return h.refID("product", "productId") }

// FirewallIDs returns the ids of the server's firewalls.
func (h *ServerHandle) FirewallIDs() []int { return h.refIDs("firewalls", "firewallId") }

// OwningUserID returns the id of the user who owns the server.
func (h *ServerHandle) OwningUserID() int { return h.refID("owningUser", "userId") }

// OwningGroupIDs returns the ids of the groups that own it.
func (h *ServerHandle) OwningGroupIDs() []int { return h.refIDs("owningGroups", "groupId") }

// CustomerID returns the id of the customer.
func (h *ServerHandle) CustomerID() int { return h.refID("customer", "customerId") }

// Cloud returns the server's cloud, without loading it (nil if the
// server names none). When the server was read in extended detail, the
// handle already holds the cloud's fields.
func (h *ServerHandle) Cloud() *CloudHandle { return wrapRef(h.ref("cloud", cloudKind), wrapCloud) }

// Region returns the server's region, without loading it.
func (h *ServerHandle) Region() *RegionHandle {
	return wrapRef(h.ref("region", regionKind), wrapRegion)
}

// DataCenter returns the server's data center, without loading it.
func (h *ServerHandle) DataCenter() *DataCenterHandle {
	return wrapRef(h.ref("dataCenter", dataCenterKind), wrapDataCenter)
}

// MachineImage returns the server's image, without loading it.
func (h *ServerHandle) MachineImage() *MachineImageHandle {
	return wrapRef(h.ref("machineImage", machineImageKind), wrapMachineImage)
}

// Product returns the server product, without loading it (nil when the
// API names none).
func (h *ServerHandle) Product() *ServerProductHandle {
	return wrapRef(h.ref("product", serverProductKind), wrapServerProduct)
}

// OwningUser returns the owner, without loading it.
func (h *ServerHandle) OwningUser() *UserHandle {
	return wrapRef(h.ref("owningUser", userKind), wrapUser)
}

// Firewalls returns the server's firewalls, without loading them.
func (h *ServerHandle) Firewalls() []*FirewallHandle {
	return wrapRefs(h.refs("firewalls", firewallKind), wrapFirewall)
}

// OwningGroups returns the groups that own the server, without loading
// them.
func (h *ServerHandle) OwningGroups() []*GroupHandle {
	return wrapRefs(h.refs("owningGroups", groupKind), wrapGroup)
}

func wrapRefs[T any](rs []*stratus.Resource, wrap func(*stratus.Resource) *T) []*T {
	out := make([]*T, len(rs))
	for i, r := range rs {
		out[i] = wrap(r)
	}
	return out
}

// MachineImageHandle is a lazy machine image (an AMI...).
type MachineImageHandle struct{ handle }

var _ stratus.Object = (*MachineImageHandle)(nil)

// MachineImage returns a handle for machine image id. No request is sent.
func MachineImage(c *stratus.Client, id int) *MachineImageHandle {
	return wrapMachineImage(stratus.NewResource(c, machineImageKind, strconv.Itoa(id)))
}

func wrapMachineImage(r *stratus.Resource) *MachineImageHandle {
	return &MachineImageHandle{newHandle(r)}
}

// MachineImageList is the list of the images of a region.
type MachineImageList struct {
	List[*MachineImageHandle, MachineImageList]
}

func machineImageList(l List[*MachineImageHandle, MachineImageList]) MachineImageList {
	return MachineImageList{l}
}

// MachineImages lists machine images. The API needs a region: set it with
// InRegion, or the list is refused before any request.
func MachineImages(c *stratus.Client) MachineImageList {
	return newList(c, machineImageKind, wrapMachineImage, machineImageList)
}

// InRegion lists the images of a region (regionId, required).
func (l MachineImageList) InRegion(regionID int) MachineImageList {
	return l.filter("regionId", positive(regionID))
}

// ID returns the image id (no load needed).
func (h *MachineImageHandle) ID() int { return h.IntID() }

// Name returns the image's name.
func (h *MachineImageHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *MachineImageHandle) Description() string { return h.GetString("description") }

// Architecture returns I32 or I64.
func (h *MachineImageHandle) Architecture() string { return h.GetString("architecture") }

// Platform returns the operating system family.
func (h *MachineImageHandle) Platform() string { return h.GetString("platform") }

// ProviderID returns the cloud's id ("ami-1875fc28").
func (h *MachineImageHandle) ProviderID() string { return h.GetString("providerId") }

// Status returns the image's status.
func (h *MachineImageHandle) Status() string { return h.GetString("status") }

// Removable reports whether the image may be removed.
func (h *MachineImageHandle) Removable() bool { return h.GetBool("removable") }

// Sharable reports whether the image may be shared.
func (h *MachineImageHandle) Sharable() bool { return h.GetBool("sharable") }

// CreationTimestamp returns when the image was made.
func (h *MachineImageHandle) CreationTimestamp() time.Time { return h.GetTime("creationTimestamp") }

// OwningCloudAccountNumber returns the cloud account that owns it.
func (h *MachineImageHandle) OwningCloudAccountNumber() string {
	return h.GetString("owningCloudAccountNumber")
}

// Label returns the label.
func (h *MachineImageHandle) Label() string { return h.GetString("label") }

// AgentVersion returns the version of the agent baked in.
func (h *MachineImageHandle) AgentVersion() int { return h.GetInt("agentVersion") }

// BudgetID returns the billing code id.
func (h *MachineImageHandle) BudgetID() int { return h.GetInt("budget") }

// CloudID returns the id of its cloud.
func (h *MachineImageHandle) CloudID() int { return h.refID("cloud", "cloudId") }

// RegionID returns the id of its region.
func (h *MachineImageHandle) RegionID() int { return h.refID("region", "regionId") }

// OwningAccountID returns the id of the account that owns it.
func (h *MachineImageHandle) OwningAccountID() int { return h.refID("owningAccount", "accountId") }

// OwningUserID returns the id of the user who owns it.
func (h *MachineImageHandle) OwningUserID() int { return h.refID("owningUser", "userId") }

// OwningGroupIDs returns the ids of the groups that own it.
func (h *MachineImageHandle) OwningGroupIDs() []int { return h.refIDs("owningGroups", "groupId") }

// Region returns its region, without loading it.
func (h *MachineImageHandle) Region() *RegionHandle {
	return wrapRef(h.ref("region", regionKind), wrapRegion)
}

// ServerProductHandle is a lazy server product (a size: m1.small...).
type ServerProductHandle struct{ handle }

var _ stratus.Object = (*ServerProductHandle)(nil)

// ServerProduct returns a handle for product id. No request is sent.
func ServerProduct(c *stratus.Client, id int) *ServerProductHandle {
	return wrapServerProduct(stratus.NewResource(c, serverProductKind, strconv.Itoa(id)))
}

func wrapServerProduct(r *stratus.Resource) *ServerProductHandle {
	return &ServerProductHandle{newHandle(r)}
}

// ServerProductList is the list of the products of a region.
type ServerProductList struct {
	List[*ServerProductHandle, ServerProductList]
}

func serverProductList(l List[*ServerProductHandle, ServerProductList]) ServerProductList {
	return ServerProductList{l}
}

// ServerProducts lists server products. The API needs a region: set it
// with InRegion, or the list is refused before any request.
func ServerProducts(c *stratus.Client) ServerProductList {
	return newList(c, serverProductKind, wrapServerProduct, serverProductList)
}

// InRegion lists the products of a region (regionId, required).
func (l ServerProductList) InRegion(regionID int) ServerProductList {
	return l.filter("regionId", positive(regionID))
}

// ID returns the product id (no load needed).
func (h *ServerProductHandle) ID() int { return h.IntID() }

// Name returns the product's name ("32-bit Small").
func (h *ServerProductHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *ServerProductHandle) Description() string { return h.GetString("description") }

// ProviderProductID returns the cloud's name for it ("m1.small"), which
// is what LaunchSpec.ProductID takes.
func (h *ServerProductHandle) ProviderProductID() string { return h.GetString("providerProductId") }

// ProviderRegionID returns the cloud's name of its region ("us-west-2").
func (h *ServerProductHandle) ProviderRegionID() string { return h.GetString("providerRegionId") }

// Architecture returns I32 or I64.
func (h *ServerProductHandle) Architecture() string { return h.GetString("architecture") }

// Platform returns UNIX, WINDOWS...
func (h *ServerProductHandle) Platform() string { return h.GetString("platform") }

// CPUCount returns the number of CPUs.
func (h *ServerProductHandle) CPUCount() int { return h.GetInt("cpuCount") }

// CPUSpeedInMhz returns the CPU speed.
func (h *ServerProductHandle) CPUSpeedInMhz() int { return h.GetInt("cpuSpeedInMhz") }

// RAMInMB returns the memory.
func (h *ServerProductHandle) RAMInMB() int { return h.GetInt("ramInMb") }

// DiskSizeInGB returns the disk size.
func (h *ServerProductHandle) DiskSizeInGB() int { return h.GetInt("diskSizeInGb") }

// HourlyRate returns the price per hour, in Currency.
func (h *ServerProductHandle) HourlyRate() float64 { return h.GetFloat("hourlyRate") }

// Currency returns the currency of the rate.
func (h *ServerProductHandle) Currency() string { return h.GetString("currency") }

// Software returns the software included.
func (h *ServerProductHandle) Software() string { return h.GetString("software") }

// CloudID returns the id of its cloud.
func (h *ServerProductHandle) CloudID() int { return h.refID("cloud", "cloudId") }

// VolumeHandle is a lazy block volume.
type VolumeHandle struct{ handle }

var _ stratus.Object = (*VolumeHandle)(nil)

// Volume returns a handle for volume id. No request is sent.
func Volume(c *stratus.Client, id int) *VolumeHandle {
	return wrapVolume(stratus.NewResource(c, volumeKind, strconv.Itoa(id)))
}

func wrapVolume(r *stratus.Resource) *VolumeHandle { return &VolumeHandle{newHandle(r)} }

// VolumeList is the list of volumes.
type VolumeList struct {
	List[*VolumeHandle, VolumeList]
}

func volumeList(l List[*VolumeHandle, VolumeList]) VolumeList { return VolumeList{l} }

// Volumes lists the volumes, in basic detail.
func Volumes(c *stratus.Client) VolumeList { return newList(c, volumeKind, wrapVolume, volumeList) }

// ID returns the volume id (no load needed).
func (h *VolumeHandle) ID() int { return h.IntID() }

// Name returns the volume's name.
func (h *VolumeHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *VolumeHandle) Description() string { return h.GetString("description") }

// ProviderID returns the cloud's id ("vol-d843aca4").
func (h *VolumeHandle) ProviderID() string { return h.GetString("providerId") }

// Status returns the volume's status.
func (h *VolumeHandle) Status() string { return h.GetString("status") }

// Available reports whether the volume is available.
func (h *VolumeHandle) Available() bool { return h.GetBool("available") }

// Encrypted reports whether the volume is encrypted.
func (h *VolumeHandle) Encrypted() bool { return h.GetBool("encrypted") }

// Removable reports whether it may be removed.
func (h *VolumeHandle) Removable() bool { return h.GetBool("removable") }

// SizeInGB returns the size.
func (h *VolumeHandle) SizeInGB() int { return h.GetInt("sizeInGb") }

// DeviceID returns the device it is attached as ("/dev/sda1").
func (h *VolumeHandle) DeviceID() string { return h.GetString("deviceId") }

// CreationTimestamp returns when it was made.
func (h *VolumeHandle) CreationTimestamp() time.Time { return h.GetTime("creationTimestamp") }

// BudgetID returns the billing code id.
func (h *VolumeHandle) BudgetID() int { return h.GetInt("budget") }

// CloudID returns the id of its cloud.
func (h *VolumeHandle) CloudID() int { return h.refID("cloud", "cloudId") }

// RegionID returns the id of its region.
func (h *VolumeHandle) RegionID() int { return h.refID("region", "regionId") }

// DataCenterID returns the id of its data center.
func (h *VolumeHandle) DataCenterID() int { return h.refID("dataCenter", "dataCenterId") }

// ServerID returns the id of the server it is attached to, 0 if none.
func (h *VolumeHandle) ServerID() int { return h.refID("server", "serverId") }

// Server returns the server it is attached to, without loading it (nil
// if none).
func (h *VolumeHandle) Server() *ServerHandle {
	return wrapRef(h.ref("server", serverKind), wrapServer)
}

// SnapshotHandle is a lazy snapshot of a volume.
type SnapshotHandle struct{ handle }

var _ stratus.Object = (*SnapshotHandle)(nil)

// Snapshot returns a handle for snapshot id. No request is sent.
func Snapshot(c *stratus.Client, id int) *SnapshotHandle {
	return wrapSnapshot(stratus.NewResource(c, snapshotKind, strconv.Itoa(id)))
}

func wrapSnapshot(r *stratus.Resource) *SnapshotHandle { return &SnapshotHandle{newHandle(r)} }

// SnapshotList is the list of snapshots.
type SnapshotList struct {
	List[*SnapshotHandle, SnapshotList]
}

func snapshotList(l List[*SnapshotHandle, SnapshotList]) SnapshotList { return SnapshotList{l} }

// Snapshots lists the snapshots, in basic detail.
func Snapshots(c *stratus.Client) SnapshotList {
	return newList(c, snapshotKind, wrapSnapshot, snapshotList)
}

// ID returns the snapshot id (no load needed).
func (h *SnapshotHandle) ID() int { return h.IntID() }

// Name returns the snapshot's name.
func (h *SnapshotHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *SnapshotHandle) Description() string { return h.GetString("description") }

// ProviderID returns the cloud's id ("snap-53de4b75").
func (h *SnapshotHandle) ProviderID() string { return h.GetString("providerId") }

// Status returns the snapshot's status.
func (h *SnapshotHandle) Status() string { return h.GetString("status") }

// Available reports whether it is available.
func (h *SnapshotHandle) Available() bool { return h.GetBool("available") }

// Sharable reports whether it may be shared.
func (h *SnapshotHandle) Sharable() bool { return h.GetBool("sharable") }

// SizeInGB returns the size.
func (h *SnapshotHandle) SizeInGB() int { return h.GetInt("sizeInGb") }

// CreatedTimestamp returns when it was taken.
func (h *SnapshotHandle) CreatedTimestamp() time.Time { return h.GetTime("createdTimestamp") }

// Label returns the label ("" when null).
func (h *SnapshotHandle) Label() string { return h.GetString("label") }

// RegionID returns the id of its region.
func (h *SnapshotHandle) RegionID() int { return h.refID("region", "regionId") }

// VolumeID returns the id of the volume it was taken from.
func (h *SnapshotHandle) VolumeID() int { return h.refID("volume", "volumeId") }

// Volume returns the volume it was taken from, without loading it.
func (h *SnapshotHandle) Volume() *VolumeHandle {
	return wrapRef(h.ref("volume", volumeKind), wrapVolume)
}
