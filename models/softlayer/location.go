package softlayer

import (
	"fmt"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
	"github.com/tidwall/gjson"
)

// DatacenterHandle is a datacenter (SoftLayer_Location_Datacenter).
type DatacenterHandle struct{ handle }

// Datacenter returns the handle of datacenter id; no request is made.
func Datacenter(c *stratus.Client, id int) *DatacenterHandle {
	return &DatacenterHandle{newHandle(stratus.NewResource(c, datacenterKind, itoa(id)), wire.Mask{})}
}

// Datacenters lists the datacenters (Location_Datacenter::getDatacenters,
// a static method: its filter is rooted at the datacenter itself).
func Datacenters(c *stratus.Client) List[*DatacenterHandle] {
	return newList(c, datacenterKind, datacenterKind.ListPath, "", func(r *stratus.Resource, m wire.Mask) *DatacenterHandle {
		return &DatacenterHandle{newHandle(r, m)}
	})
}

func (d *DatacenterHandle) ID() int          { return d.IntID() }
func (d *DatacenterHandle) Name() string     { return d.str("name") }
func (d *DatacenterHandle) LongName() string { return d.str("longName") }

// PackageHandle is a product package (SoftLayer_Product_Package).
type PackageHandle struct{ handle }

// Package returns the handle of package id; no request is made.
func Package(c *stratus.Client, id int) *PackageHandle {
	return &PackageHandle{newHandle(stratus.NewResource(c, packageKind, itoa(id)), wire.Mask{})}
}

// Packages lists the product packages (Product_Package::getAllObjects);
// Where("type.keyName", "VIRTUAL_SERVER_INSTANCE") picks a type.
func Packages(c *stratus.Client) List[*PackageHandle] {
	return newList(c, packageKind, packageKind.ListPath, "", func(r *stratus.Resource, m wire.Mask) *PackageHandle {
		return &PackageHandle{newHandle(r, m)}
	})
}

func (p *PackageHandle) ID() int             { return p.IntID() }
func (p *PackageHandle) Name() string        { return p.str("name") }
func (p *PackageHandle) KeyName() string     { return p.str("keyName") }
func (p *PackageHandle) Description() string { return p.str("description") }
func (p *PackageHandle) Type() string        { return p.str("type.keyName") }

// Items lists the package's items with their prices and categories
// (Product_Package::getItems): the options an order is made of.
func (p *PackageHandle) Items() List[*ItemHandle] {
	return newList(p.Client(), itemKind, fmt.Sprintf("/SoftLayer_Product_Package/%d/getItems.json", p.IntID()), "items", func(r *stratus.Resource, m wire.Mask) *ItemHandle {
		return &ItemHandle{newHandle(r, m)}
	})
}

// ItemHandle is a product item of a package, read from the package's list.
type ItemHandle struct{ handle }

func (i *ItemHandle) ID() int             { return i.IntID() }
func (i *ItemHandle) KeyName() string     { return i.str("keyName") }
func (i *ItemHandle) Description() string { return i.str("description") }
func (i *ItemHandle) Capacity() string    { return i.str("capacity") }
func (i *ItemHandle) Category() string    { return i.str("itemCategory.categoryCode") }

// Price is one price of an item.
type Price struct {
	ID                 int
	HourlyRecurringFee string
	RecurringFee       string
	Categories         []string
}

// Prices returns the item's prices.
func (i *ItemHandle) Prices() []Price {
	var out []Price
	i.field("prices").ForEach(func(_, p gjson.Result) bool {
		pr := Price{ID: int(p.Get("id").Int()), HourlyRecurringFee: p.Get("hourlyRecurringFee").String(), RecurringFee: p.Get("recurringFee").String()}
		p.Get("categories").ForEach(func(_, c gjson.Result) bool {
			pr.Categories = append(pr.Categories, c.Get("categoryCode").String())
			return true
		})
		out = append(out, pr)
		return true
	})
	return out
}
