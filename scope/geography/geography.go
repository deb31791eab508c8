// Package geography is the neutral view of where clouds run: clouds,
// regions and data centers. enStratus has all three; DigitalOcean has
// regions; a provider without a kind answers stratus.ErrUnsupported.
//
// As in mixcoatl, Cloud(c, 1) returns at once and the first field read
// loads the object; ids are ints or strings, as the provider has them.
package geography

import (
	"context"
	"iter"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/scope"
)

// CloudHandle is a cloud that a management platform knows (enStratus).
type CloudHandle struct{ scope.Item }

// Cloud returns a cloud handle without any request.
func Cloud(c *stratus.Client, id any) CloudHandle {
	return CloudHandle{scope.One(c, scope.KindCloud, id)}
}

// Clouds lists the clouds of every client.
func Clouds(ctx context.Context, clients ...*stratus.Client) iter.Seq2[CloudHandle, error] {
	return scope.ListOf(ctx, scope.KindCloud, func(i scope.Item) CloudHandle { return CloudHandle{i} }, clients...)
}

// Name returns the cloud's name ("Amazon Web Services").
func (c CloudHandle) Name() string { return c.String(scope.FieldName) }

// CloudProvider returns the name of the company behind it ("Amazon").
func (c CloudHandle) CloudProvider() string { return c.String(scope.FieldCloud) }

// RegionHandle is a region of a cloud.
type RegionHandle struct{ scope.Item }

// Region returns a region handle without any request.
func Region(c *stratus.Client, id any) RegionHandle {
	return RegionHandle{scope.One(c, scope.KindRegion, id)}
}

// Regions lists the regions of every client.
func Regions(ctx context.Context, clients ...*stratus.Client) iter.Seq2[RegionHandle, error] {
	return scope.ListOf(ctx, scope.KindRegion, func(i scope.Item) RegionHandle { return RegionHandle{i} }, clients...)
}

// Name returns the region's name.
func (r RegionHandle) Name() string { return r.String(scope.FieldName) }

// DataCenterHandle is a data center (an availability zone) of a region.
type DataCenterHandle struct{ scope.Item }

// DataCenter returns a data center handle without any request.
func DataCenter(c *stratus.Client, id any) DataCenterHandle {
	return DataCenterHandle{scope.One(c, scope.KindDataCenter, id)}
}

// DataCenters lists the data centers of every client.
func DataCenters(ctx context.Context, clients ...*stratus.Client) iter.Seq2[DataCenterHandle, error] {
	return scope.ListOf(ctx, scope.KindDataCenter, func(i scope.Item) DataCenterHandle { return DataCenterHandle{i} }, clients...)
}

// Name returns the data center's name.
func (d DataCenterHandle) Name() string { return d.String(scope.FieldName) }

// RegionID returns the id of its region.
func (d DataCenterHandle) RegionID() string { return d.String(scope.FieldRegionID) }
