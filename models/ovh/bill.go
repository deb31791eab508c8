package ovh

import (
	"strconv"
	"time"

	"github.com/stratus-cloud/stratus"
)

// The bill categories of the API.
const (
	BillAutorenew       = "autorenew"
	BillEarlyRenewal    = "earlyrenewal"
	BillPurchase        = "purchase"
	BillPurchaseCloud   = "purchase-cloud"
	BillPurchaseServers = "purchase-servers"
	BillPurchaseTelecom = "purchase-telecom"
	BillPurchaseWeb     = "purchase-web"
)

// BillHandle is a lazy bill of the account (/me/bill/{billId}). Its
// password, and the URLs that carry it, are redacted by Pprint.
type BillHandle struct{ *stratus.Resource }

var _ stratus.Object = (*BillHandle)(nil)

// Bill returns a handle for bill id ("FR12345678"). No request is sent.
func Bill(c *stratus.Client, id string) *BillHandle {
	return &BillHandle{stratus.NewResource(c, billKind, id)}
}

func wrapBill(r *stratus.Resource) *BillHandle { return &BillHandle{r} }

// BillList is the collection of the account's bills, oldest first, with
// the API's filters.
type BillList struct {
	stratus.Refinements[*BillHandle, BillList]
}

func billList(col stratus.Collection[*BillHandle]) BillList {
	return BillList{stratus.Refine(col, billList)}
}

// Bills lists the account's bills.
func Bills(c *stratus.Client) BillList {
	return billList(stratus.NewCollection(c, billKind, wrapBill))
}

// From keeps the bills dated t or later (date.from).
func (l BillList) From(t time.Time) BillList {
	return l.Filter("date.from", t.Format(time.RFC3339))
}

// To keeps the bills dated t or earlier (date.to).
func (l BillList) To(t time.Time) BillList {
	return l.Filter("date.to", t.Format(time.RFC3339))
}

// Category keeps the bills of one category (BillAutorenew, ...).
func (l BillList) Category(category string) BillList {
	return l.Filter("category", category)
}

// Order keeps the bills of one order.
func (l BillList) Order(orderID int64) BillList {
	return l.Filter("orderId", strconv.FormatInt(orderID, 10))
}

// NoBulk lists ids and loads each bill on its own, for APIs that refuse
// the bulk page mode.
func (l BillList) NoBulk() BillList { return l.With(noBulk(l.Collection)) }

// ID returns the bill id (no load needed).
func (b *BillHandle) ID() string { return b.Resource.ID() }

// Date returns when the bill was issued.
func (b *BillHandle) Date() time.Time { return b.GetTime("date") }

// OrderID returns the order the bill belongs to.
func (b *BillHandle) OrderID() int64 { return b.Get("orderId").Int() }

// Category returns the bill's category (BillAutorenew, ...).
func (b *BillHandle) Category() string { return b.GetString("category") }

// PriceWithTax returns the amount due, tax included.
func (b *BillHandle) PriceWithTax() Price { return ParsePrice(b.Get("priceWithTax")) }

// PriceWithoutTax returns the amount before tax.
func (b *BillHandle) PriceWithoutTax() Price { return ParsePrice(b.Get("priceWithoutTax")) }

// Tax returns the tax amount.
func (b *BillHandle) Tax() Price { return ParsePrice(b.Get("tax")) }

// PDFURL returns the URL of the PDF. It carries the bill's password:
// treat it as a secret.
func (b *BillHandle) PDFURL() string { return b.GetString("pdfUrl") }

// URL returns the URL of the HTML view. It carries the bill's password:
// treat it as a secret.
func (b *BillHandle) URL() string { return b.GetString("url") }
