package ovh

import (
	"strconv"

	"github.com/tidwall/gjson"
)

// Price is an amount of money as the API gives it (order.Price).
type Price struct {
	Value    float64 // in units of Currency (12.5 for 12.50 €)
	Currency string  // ISO code: EUR, USD, CAD, GBP, ...
	Text     string  // as the API formats it: "12.50 €"
}

// ucents is how many micro-cents ("Ucents") make one unit: the API's
// priceInUcents is the value times 10^8.
const ucents = 1e8

// ParsePrice reads an order.Price object: value, currencyCode and text.
// When value is absent it is read from priceInUcents (or the newer
// valueInUcents) divided by 10^8. Anything else gives the zero Price.
func ParsePrice(v gjson.Result) Price {
	if !v.IsObject() {
		return Price{}
	}
	p := Price{Currency: v.Get("currencyCode").String(), Text: v.Get("text").String()}
	switch val := v.Get("value"); {
	case val.Type == gjson.Number:
		p.Value = val.Float()
	case v.Get("priceInUcents").Type == gjson.Number:
		p.Value = float64(v.Get("priceInUcents").Int()) / ucents
	case v.Get("valueInUcents").Type == gjson.Number:
		p.Value = float64(v.Get("valueInUcents").Int()) / ucents
	}
	return p
}

// IsZero reports a price that was absent.
func (p Price) IsZero() bool { return p == Price{} }

// String returns the API's text, or the value and the currency code.
func (p Price) String() string {
	if p.Text != "" {
		return p.Text
	}
	if p.IsZero() {
		return ""
	}
	s := strconv.FormatFloat(p.Value, 'f', 2, 64)
	if p.Currency != "" {
		s += " " + p.Currency
	}
	return s
}
