package softlayer

import (
	"context"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
)

const hardwareService = "SoftLayer_Hardware_Server"

// HardwareHandle is a bare-metal server (SoftLayer_Hardware_Server).
type HardwareHandle struct{ handle }

// Hardware returns the handle of server id; no request is made.
func Hardware(c *stratus.Client, id int) *HardwareHandle {
	return &HardwareHandle{newHandle(stratus.NewResource(c, hardwareKind, itoa(id)), wire.Mask{})}
}

func wrapHardware(r *stratus.Resource, m wire.Mask) *HardwareHandle {
	return &HardwareHandle{newHandle(r, m)}
}

// HardwareList lists the account's servers (Account::getHardware).
func HardwareList(c *stratus.Client) List[*HardwareHandle] {
	return newList(c, hardwareKind, hardwareKind.ListPath, "hardware", wrapHardware)
}

func (h *HardwareHandle) ID() int                  { return h.IntID() }
func (h *HardwareHandle) GlobalIdentifier() string { return h.str("globalIdentifier") }
func (h *HardwareHandle) Hostname() string         { return h.str("hostname") }
func (h *HardwareHandle) Domain() string           { return h.str("domain") }
func (h *HardwareHandle) FQDN() string             { return h.str("fullyQualifiedDomainName") }
func (h *HardwareHandle) Cores() uint              { return h.uint("processorPhysicalCoreAmount") }
func (h *HardwareHandle) MemoryGB() uint           { return h.uint("memoryCapacity") }
func (h *HardwareHandle) PrimaryIP() string        { return h.str("primaryIpAddress") }
func (h *HardwareHandle) PrimaryBackendIP() string { return h.str("primaryBackendIpAddress") }
func (h *HardwareHandle) ManagementIP() string     { return h.str("networkManagementIpAddress") }
func (h *HardwareHandle) Status() string           { return h.str("hardwareStatus.status") }
func (h *HardwareHandle) Datacenter() string       { return h.str("datacenter.name") }
func (h *HardwareHandle) ProvisionDate() time.Time { return h.time("provisionDate") }
func (h *HardwareHandle) Notes() string            { return h.str("notes") }
func (h *HardwareHandle) Tags() []string           { return h.tags() }
func (h *HardwareHandle) OSName() string {
	return h.str("operatingSystem.softwareLicense.softwareDescription.name")
}
func (h *HardwareHandle) OSReferenceCode() string {
	return h.str("operatingSystem.softwareLicense.softwareDescription.referenceCode")
}

// PowerOff turns the server off.
func (h *HardwareHandle) PowerOff(ctx context.Context) error { return h.act(ctx, "powerOff") }

// PowerOn turns the server on.
func (h *HardwareHandle) PowerOn(ctx context.Context) error { return h.act(ctx, "powerOn") }

// PowerCycle turns the server off and on.
func (h *HardwareHandle) PowerCycle(ctx context.Context) error { return h.act(ctx, "powerCycle") }

// RebootSoft reboots through the server's system.
func (h *HardwareHandle) RebootSoft(ctx context.Context) error { return h.act(ctx, "rebootSoft") }

// RebootHard reboots the server by power.
func (h *HardwareHandle) RebootHard(ctx context.Context) error { return h.act(ctx, "rebootHard") }

// SetTags replaces the server's tags.
func (h *HardwareHandle) SetTags(ctx context.Context, tags ...string) error {
	return h.act(ctx, "setTags", Params(strings.Join(tags, ",")))
}

func (h *HardwareHandle) act(ctx context.Context, method string, opts ...Option) error {
	err := h.action(ctx, hardwareService, method, opts...)
	if err == nil {
		h.markStale()
	}
	return err
}
