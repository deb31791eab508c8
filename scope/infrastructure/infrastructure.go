// Package infrastructure is the neutral view of what runs: servers,
// machine images, volumes and sizes. Servers are DigitalOcean droplets,
// OVH dedicated servers and cloud instances, enStratus servers; a provider
// without a kind answers stratus.ErrUnsupported.
//
//	for s, err := range infrastructure.Servers(ctx, doClient, ovhClient, esClient) {
//		fmt.Println(s.Provider(), s.Name(), s.State(), s.PublicIP())
//	}
package infrastructure

import (
	"context"
	"iter"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/scope"
)

// ServerHandle is a server of any provider. State is one of running,
// stopped, pending, terminated, error (NativeState has the provider's
// word); Native returns the provider's own handle.
type ServerHandle struct{ scope.Item }

// Server returns a server handle without any request (OVH: a dedicated
// server by name).
func Server(c *stratus.Client, id any) ServerHandle {
	return ServerHandle{scope.One(c, scope.KindServer, id)}
}

// Servers lists every server of every client, streaming: every client's
// listing runs at once and each page is yielded as it arrives, each
// provider's servers in that provider's order (see scope.List for the
// order, errors and stopping).
func Servers(ctx context.Context, clients ...*stratus.Client) iter.Seq2[ServerHandle, error] {
	return scope.ListOf(ctx, scope.KindServer, func(i scope.Item) ServerHandle { return ServerHandle{i} }, clients...)
}

// Name returns the server's name.
func (s ServerHandle) Name() string { return s.String(scope.FieldName) }

// PublicIP returns the first public IPv4 address ("" if none).
func (s ServerHandle) PublicIP() string { return s.String(scope.FieldPublicIP) }

// PrivateIP returns the first private IPv4 address ("" if none).
func (s ServerHandle) PrivateIP() string { return s.String(scope.FieldPrivateIP) }

// Region returns where it runs: a region or data center name or id.
func (s ServerHandle) Region() string { return s.String(scope.FieldRegion) }

// Size returns its size, flavor or product name.
func (s ServerHandle) Size() string { return s.String(scope.FieldSize) }

// Image returns the image or operating system it runs.
func (s ServerHandle) Image() string { return s.String(scope.FieldImage) }

// MachineImageHandle is an image servers start from.
type MachineImageHandle struct{ scope.Item }

// MachineImage returns an image handle without any request.
func MachineImage(c *stratus.Client, id any) MachineImageHandle {
	return MachineImageHandle{scope.One(c, scope.KindMachineImage, id)}
}

// MachineImages lists the images of every client.
func MachineImages(ctx context.Context, clients ...*stratus.Client) iter.Seq2[MachineImageHandle, error] {
	return scope.ListOf(ctx, scope.KindMachineImage, func(i scope.Item) MachineImageHandle { return MachineImageHandle{i} }, clients...)
}

// Name returns the image's name.
func (m MachineImageHandle) Name() string { return m.String(scope.FieldName) }

// Platform returns its distribution or platform ("Ubuntu", "UBUNTU").
func (m MachineImageHandle) Platform() string { return m.String(scope.FieldPlatform) }

// VolumeHandle is a block storage volume.
type VolumeHandle struct{ scope.Item }

// Volume returns a volume handle without any request.
func Volume(c *stratus.Client, id any) VolumeHandle {
	return VolumeHandle{scope.One(c, scope.KindVolume, id)}
}

// Volumes lists the volumes of every client.
func Volumes(ctx context.Context, clients ...*stratus.Client) iter.Seq2[VolumeHandle, error] {
	return scope.ListOf(ctx, scope.KindVolume, func(i scope.Item) VolumeHandle { return VolumeHandle{i} }, clients...)
}

// Name returns the volume's name.
func (v VolumeHandle) Name() string { return v.String(scope.FieldName) }

// SizeGB returns its size in GB.
func (v VolumeHandle) SizeGB() int { return int(v.Field(scope.FieldSizeGB).Int()) }

// SizeHandle is a server size (DigitalOcean size, enStratus product).
type SizeHandle struct{ scope.Item }

// Size returns a size handle without any request.
func Size(c *stratus.Client, id any) SizeHandle { return SizeHandle{scope.One(c, scope.KindSize, id)} }

// Sizes lists the sizes of every client.
func Sizes(ctx context.Context, clients ...*stratus.Client) iter.Seq2[SizeHandle, error] {
	return scope.ListOf(ctx, scope.KindSize, func(i scope.Item) SizeHandle { return SizeHandle{i} }, clients...)
}

// Name returns the size's name.
func (s SizeHandle) Name() string { return s.String(scope.FieldName) }

// MemoryMB returns its memory in MB (0 if the provider does not say).
func (s SizeHandle) MemoryMB() int { return int(s.Field(scope.FieldMemoryMB).Int()) }

// CPUs returns its virtual CPUs (0 if the provider does not say).
func (s SizeHandle) CPUs() int { return int(s.Field(scope.FieldCPUs).Int()) }
