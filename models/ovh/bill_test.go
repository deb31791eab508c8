package ovh_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestBillsList(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 4, Bills: 24})
	ctx := t.Context()
	srv.ResetRequests()

	bills, err := ovh.Bills(c).Collect(ctx)
	require.NoError(t, err)
	require.Len(t, bills, 24)
	assert.Equal(t, 1, srv.RequestsTo("GET", "/me/bill"), "one bulk page carries every bill")

	ids := map[string]bool{}
	var prev time.Time
	for _, b := range bills {
		assert.Regexp(t, `^FR\d+$`, b.ID())
		ids[b.ID()] = true
		assert.False(t, b.Date().IsZero(), b.ID())
		assert.False(t, b.Date().Before(prev), "bills come oldest first")
		prev = b.Date()
		assert.NotZero(t, b.OrderID())
		assert.Contains(t, []string{ovh.BillAutorenew, ovh.BillEarlyRenewal, ovh.BillPurchase, ovh.BillPurchaseCloud,
			ovh.BillPurchaseServers, ovh.BillPurchaseTelecom, ovh.BillPurchaseWeb}, b.Category())

		with, without, tax := b.PriceWithTax(), b.PriceWithoutTax(), b.Tax()
		assert.Equal(t, "EUR", with.Currency)
		assert.Greater(t, without.Value, 0.0)
		assert.InDelta(t, with.Value, without.Value+tax.Value, 0.005, "price with tax = price + tax")
		assert.InDelta(t, 0.2, tax.Value/without.Value, 0.01, "20%% VAT")
		assert.True(t, strings.HasSuffix(with.Text, " €"), with.Text)

		assert.True(t, strings.HasPrefix(b.PDFURL(), "https://"), b.PDFURL())
		assert.Contains(t, b.PDFURL(), b.ID())
		assert.True(t, strings.HasPrefix(b.URL(), "https://"), b.URL())
		assert.NoError(t, b.LastError())
	}
	assert.Len(t, ids, 24)
	assert.Equal(t, 1, srv.RequestsTo("GET", "/me/bill"), "reading the bills sends nothing more")

	// The same bill by id, loaded on its own.
	one := ovh.Bill(c, bills[5].ID())
	assert.Equal(t, bills[5].Date(), one.Date())
	assert.Equal(t, bills[5].PriceWithTax(), one.PriceWithTax())

	// Without the bulk mode: one id list, then one GET per bill.
	srv.ResetRequests()
	plain, err := ovh.Bills(c).NoBulk().Collect(ctx)
	require.NoError(t, err)
	require.Len(t, plain, 24)
	assert.Equal(t, 1, srv.Requests(), "the id list only, until a field is read")
	for i, b := range plain {
		assert.Equal(t, bills[i].ID(), b.ID())
		assert.Equal(t, bills[i].OrderID(), b.OrderID())
	}
	assert.Equal(t, 1+24-1, srv.RequestsTo("GET", "/me/bill"), "one GET per bill (bill 5 was cached)")
}

func TestBillsFilters(t *testing.T) {
	c, _ := newTestClient(t, ovhtest.Config{Seed: 5, Bills: 30})
	ctx := t.Context()
	all, err := ovh.Bills(c).Collect(ctx)
	require.NoError(t, err)
	require.Len(t, all, 30)

	from, to := all[6].Date(), all[17].Date()
	got, err := ovh.Bills(c).From(from).To(to).Collect(ctx)
	require.NoError(t, err)
	var want []string
	for _, b := range all {
		if !b.Date().Before(from) && !b.Date().After(to) {
			want = append(want, b.ID())
		}
	}
	require.Len(t, want, 12, "the dates are distinct: bills 6 to 17 inclusive")
	assert.Equal(t, want, billIDs(got))

	after, err := ovh.Bills(c).From(all[25].Date().Add(time.Second)).Collect(ctx)
	require.NoError(t, err)
	assert.Equal(t, billIDs(all[26:]), billIDs(after))

	before, err := ovh.Bills(c).To(all[2].Date()).Collect(ctx)
	require.NoError(t, err)
	assert.Equal(t, billIDs(all[:3]), billIDs(before))

	// A date in another zone means the same instant.
	paris := time.FixedZone("CET", 3600)
	same, err := ovh.Bills(c).From(from.In(paris)).To(to.In(time.UTC)).Collect(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, billIDs(same))

	cat := all[0].Category()
	byCat, err := ovh.Bills(c).Category(cat).Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, byCat)
	n := 0
	for _, b := range all {
		if b.Category() == cat {
			n++
		}
	}
	assert.Len(t, byCat, n)
	for _, b := range byCat {
		assert.Equal(t, cat, b.Category())
	}

	byOrder, err := ovh.Bills(c).Order(all[9].OrderID()).Collect(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{all[9].ID()}, billIDs(byOrder))
}

func billIDs(bs []*ovh.BillHandle) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.ID()
	}
	return out
}

func TestBillPprintHidesThePassword(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 6, Bills: 3})
	ctx := t.Context()
	b, err := ovh.Bills(c).First(ctx)
	require.NoError(t, err)
	require.NoError(t, b.Load(ctx))
	password := b.Get("password").String()
	require.NotEmpty(t, password)
	require.Contains(t, b.PDFURL(), "passwd="+password, "the URLs carry the password")

	var buf bytes.Buffer
	require.NoError(t, b.Pprint(&buf))
	out := buf.String()
	assert.Contains(t, out, `"billId": "`+b.ID()+`"`)
	assert.Contains(t, out, `"password": "[redacted]"`)
	assert.NotContains(t, out, "passwd=", "the URLs are redacted too")
	assert.NotContains(t, out, `"`+password+`"`)
	for _, s := range secrets(srv) {
		assert.NotContains(t, out, s)
	}
}

func TestParsePrice(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		want       ovh.Price
	}{
		{"value", `{"currencyCode":"EUR","text":"12.00 €","value":12.0,"priceInUcents":1200000000}`, ovh.Price{Value: 12, Currency: "EUR", Text: "12.00 €"}},
		{"ucents only", `{"currencyCode":"USD","text":"$3.50","priceInUcents":350000000}`, ovh.Price{Value: 3.5, Currency: "USD", Text: "$3.50"}},
		{"valueInUcents", `{"currencyCode":"CAD","valueInUcents":199000000}`, ovh.Price{Value: 1.99, Currency: "CAD"}},
		{"value wins", `{"currencyCode":"GBP","value":7.25,"priceInUcents":1}`, ovh.Price{Value: 7.25, Currency: "GBP"}},
		{"zero", `{"currencyCode":"EUR","text":"0.00 €","value":0}`, ovh.Price{Currency: "EUR", Text: "0.00 €"}},
		{"null", `null`, ovh.Price{}},
		{"not an object", `"12 €"`, ovh.Price{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ovh.ParsePrice(gjson.Parse(tc.json))
			assert.Equal(t, tc.want.Currency, got.Currency)
			assert.Equal(t, tc.want.Text, got.Text)
			assert.True(t, math.Abs(tc.want.Value-got.Value) < 1e-9, "%v != %v", tc.want.Value, got.Value)
		})
	}
	assert.Equal(t, "12.00 €", ovh.Price{Value: 12, Currency: "EUR", Text: "12.00 €"}.String())
	assert.Equal(t, "1.99 CAD", ovh.Price{Value: 1.99, Currency: "CAD"}.String())
	assert.Equal(t, "", ovh.Price{}.String())
	assert.True(t, ovh.Price{}.IsZero())
}
