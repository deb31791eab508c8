package ovhtest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// account is the nichandle behind /me.
type account struct {
	nichandle, email, firstname, name, organisation   string
	country, language, legalform, company, subsidiary string
	state, phone, address, city, zip, vat, customer   string
	kyc                                               bool

	cache []byte
}

func (a *account) json() []byte {
	if a.cache != nil {
		return a.cache
	}
	type currency struct {
		Code   string `json:"code"`
		Symbol string `json:"symbol"`
	}
	a.cache = marshal(struct {
		Nichandle     string   `json:"nichandle"`
		Email         string   `json:"email"`
		Firstname     string   `json:"firstname"`
		Name          string   `json:"name"`
		Organisation  string   `json:"organisation"`
		Country       string   `json:"country"`
		Currency      currency `json:"currency"`
		Language      string   `json:"language"`
		Legalform     string   `json:"legalform"`
		OVHCompany    string   `json:"ovhCompany"`
		OVHSubsidiary string   `json:"ovhSubsidiary"`
		State         string   `json:"state"`
		Phone         string   `json:"phone"`
		Address       string   `json:"address"`
		City          string   `json:"city"`
		Zip           string   `json:"zip"`
		VAT           string   `json:"vat"`
		CustomerCode  string   `json:"customerCode"`
		KYCValidated  bool     `json:"kycValidated"`
	}{a.nichandle, a.email, a.firstname, a.name, a.organisation, a.country, currency{"EUR", "EURO"},
		a.language, a.legalform, a.company, a.subsidiary, a.state, a.phone, a.address, a.city, a.zip,
		a.vat, a.customer, a.kyc})
	return a.cache
}

func (w *world) seedAccount() *account {
	first := []string{"Camille", "Louis", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Jules"}
	last := []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"}
	cities := []struct{ city, zip string }{{"Roubaix", "59100"}, {"Lille", "59000"}, {"Paris", "75011"}, {"Lyon", "69003"}, {"Nantes", "44000"}}
	fn, ln := first[w.rnd.IntN(len(first))], last[w.rnd.IntN(len(last))]
	city := cities[w.rnd.IntN(len(cities))]
	letters := string([]byte{byte('a' + w.rnd.IntN(26)), byte('a' + w.rnd.IntN(26))})
	ascii := strings.NewReplacer("é", "e", "è", "e", "ï", "i")
	return &account{
		nichandle:    fmt.Sprintf("%s%05d-ovh", letters, 10000+w.rnd.IntN(90000)),
		email:        strings.ToLower(ascii.Replace(fn) + "." + ascii.Replace(ln) + "@example.com"),
		firstname:    fn,
		name:         ln,
		organisation: ln + " Conseil SAS",
		country:      "FR",
		language:     "fr_FR",
		legalform:    "corporation",
		company:      "ovh",
		subsidiary:   "FR",
		state:        "complete",
		phone:        fmt.Sprintf("+33.3%08d", w.rnd.IntN(100000000)),
		address:      fmt.Sprintf("%d rue Nationale", 1+w.rnd.IntN(200)),
		city:         city.city,
		zip:          city.zip,
		vat:          fmt.Sprintf("FR%011d", w.rnd.Int64N(100000000000)),
		customer:     fmt.Sprintf("%04d-%04d-%02d", w.rnd.IntN(10000), w.rnd.IntN(10000), w.rnd.IntN(100)),
		kyc:          true,
	}
}

func (s *Server) getMe(c *call) { c.send(s.me.json()) }

var (
	legalForms = []string{"administration", "association", "corporation", "individual", "other", "personalcorporation"}
	languages  = []string{"cs_CZ", "de_DE", "en_AU", "en_CA", "en_GB", "en_IE", "en_US", "es_ES", "fi_FI", "fr_CA", "fr_FR", "fr_MA", "fr_SN", "fr_TN", "it_IT", "lt_LT", "nl_NL", "pl_PL", "pt_PT"}
)

// putMe is PUT /me: a partial update of the editable fields. The others
// (nichandle, email, currency, ovhCompany, ...) are refused as not
// described parameters.
func (s *Server) putMe(c *call) {
	f, ok := c.object()
	if !ok {
		return
	}
	a := s.me
	type edit struct {
		key string
		dst *string
	}
	edits := []edit{{"firstname", &a.firstname}, {"name", &a.name}, {"organisation", &a.organisation},
		{"language", &a.language}, {"legalform", &a.legalform}, {"phone", &a.phone},
		{"address", &a.address}, {"city", &a.city}, {"zip", &a.zip}, {"vat", &a.vat}}
	vals := make([]*string, len(edits))
	for i, e := range edits {
		if v, given := f.str(e.key); given {
			vals[i] = &v
		}
	}
	if v := vals[3]; v != nil {
		f.enum("language", *v, "nichandle.LanguageEnum", languages...)
	}
	if v := vals[4]; v != nil {
		f.enum("legalform", *v, "nichandle.LegalFormEnum", legalForms...)
	}
	if !f.ok() {
		return
	}
	for i, e := range edits {
		if vals[i] != nil {
			*e.dst = *vals[i]
		}
	}
	a.cache = nil
	c.void()
}

// bill is a billing.Bill. Amounts are in cents, without tax.
type bill struct {
	id       string
	date     time.Time
	orderID  int64
	category string
	cents    int64
	password string

	cache []byte
	lines []billDetail // details, built on first use
}

var billCategories = []string{"autorenew", "earlyrenewal", "purchase", "purchase-cloud", "purchase-servers", "purchase-telecom", "purchase-web"}

// price is an order.Price in euros.
type price struct {
	CurrencyCode  string  `json:"currencyCode"`
	Text          string  `json:"text"`
	Value         float64 `json:"value"`
	PriceInUcents int64   `json:"priceInUcents"`
}

func euros(cents int64) price {
	return price{"EUR", fmt.Sprintf("%d.%02d €", cents/100, cents%100), float64(cents) / 100, cents * 1000000}
}

func (b *bill) json() []byte {
	if b.cache != nil {
		return b.cache
	}
	tax := (b.cents*20 + 50) / 100
	q := "?reference=" + b.id + "&passwd=" + b.password
	b.cache = marshal(struct {
		BillID          string `json:"billId"`
		Date            string `json:"date"`
		OrderID         int64  `json:"orderId"`
		Category        string `json:"category"`
		PriceWithTax    price  `json:"priceWithTax"`
		PriceWithoutTax price  `json:"priceWithoutTax"`
		Tax             price  `json:"tax"`
		PDFURL          string `json:"pdfUrl"`
		URL             string `json:"url"`
		Password        string `json:"password"`
	}{b.id, localStamp(b.date), b.orderID, b.category, euros(b.cents + tax), euros(b.cents), euros(tax),
		"https://www.ovh.com/cgi-bin/order/facture.pdf" + q, "https://www.ovh.com/cgi-bin/order/facture.cgi" + q,
		b.password})
	return b.cache
}

// seedBills spreads n bills before the epoch: monthly for up to three
// years' worth, closer together beyond that. Ids and order ids grow with
// the date.
func (w *world) seedBills(n int) {
	w.billByID = make(map[string]*bill, n)
	step := 30 * 24 * time.Hour
	if n > 36 {
		step = 3 * 365 * 24 * time.Hour / time.Duration(n)
	}
	weighted := []string{"autorenew", "autorenew", "autorenew", "autorenew", "purchase-servers",
		"purchase-cloud", "purchase-web", "earlyrenewal", "purchase", "purchase-telecom"}
	id := 40000000 + w.rnd.Int64N(1000000)
	order := 180000000 + w.rnd.Int64N(10000000)
	for i := range n {
		id += 1000 + w.rnd.Int64N(40000)
		order += 1 + w.rnd.Int64N(5000)
		b := &bill{
			id:       "FR" + strconv.FormatInt(id, 10),
			date:     epoch.Add(-time.Duration(n-i)*step + time.Duration(w.rnd.IntN(6*3600))*time.Second),
			orderID:  order,
			category: weighted[w.rnd.IntN(len(weighted))],
			cents:    299 + w.rnd.Int64N(150000),
			password: w.randomLower(6),
		}
		w.bills = append(w.bills, b)
		w.billByID[b.id] = b
	}
}

func (w *world) randomLower(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + w.rnd.IntN(26))
	}
	return string(b)
}

// parseDate reads a bill date filter: RFC 3339, or a day (midnight, Paris
// time).
func parseDate(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, paris); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// listBills is GET /me/bill with the filters date.from and date.to (both
// inclusive), category and orderId.
func (s *Server) listBills(c *call) {
	q := c.r.URL.Query()
	var from, to time.Time
	for _, p := range []struct {
		key string
		dst *time.Time
	}{{"date.from", &from}, {"date.to", &to}} {
		if v := q.Get(p.key); v != "" {
			t, ok := parseDate(v)
			if !ok {
				c.badRequest("[%s] Given data (%s) is not valid for type datetime", p.key, v)
				return
			}
			*p.dst = t
		}
	}
	category := q.Get("category")
	if category != "" && !slices.Contains(billCategories, category) {
		c.badRequest("[category] Given data (%s) does not belong to the billing.CategoryEnum enumeration", category)
		return
	}
	var orderID int64
	if v := q.Get("orderId"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			c.badRequest("[orderId] Given data (%s) is not valid for type long", v)
			return
		}
		orderID = n
	}
	out := make([]*bill, 0, len(s.bills))
	for _, b := range s.bills {
		if (!from.IsZero() && b.date.Before(from)) || (!to.IsZero() && b.date.After(to)) ||
			(category != "" && b.category != category) || (orderID != 0 && b.orderID != orderID) {
			continue
		}
		out = append(out, b)
	}
	c.ids(len(out), func(i int) []byte { return quote(out[i].id) }, func(i int) []byte { return out[i].json() })
}

// billDetail is a billing.BillDetail: one line of a bill.
type billDetail struct {
	id          string
	description string
	domain      string
	start, end  time.Time
	quantity    int64
	unitCents   int64
}

// details splits a bill into one to three lines whose totals add up to
// its amount without tax, derived from the bill alone (same bill, same
// lines). The services named are the account's dedicated servers, else
// its first zone.
func (w *world) details(b *bill) []billDetail {
	if b.lines != nil {
		return b.lines
	}
	n := 1 + int(b.orderID%3)
	services := make([]string, 0, len(w.servers))
	for _, d := range w.servers {
		services = append(services, d.name)
	}
	if len(services) == 0 {
		services = append(services, "example.com")
		if len(w.zones) > 0 {
			services[0] = w.zones[0].name
		}
	}
	rest := b.cents
	for i := range n {
		cents := rest
		if i < n-1 {
			cents = rest / int64(n-i)
		}
		rest -= cents
		qty := int64(1)
		if cents%2 == 0 && cents > 1 {
			qty, cents = 2, cents/2
		}
		b.lines = append(b.lines, billDetail{
			id:          strconv.FormatInt(b.orderID*10+int64(i+1), 10),
			description: fmt.Sprintf("%s - renewal %s", billCategories[int(b.orderID+int64(i))%len(billCategories)], b.date.In(paris).Format("01/2006")),
			domain:      services[(int(b.orderID)+i)%len(services)],
			start:       b.date,
			end:         b.date.AddDate(0, 1, 0).Add(-time.Second),
			quantity:    qty,
			unitCents:   cents,
		})
	}
	return b.lines
}

func (d billDetail) json() []byte {
	return marshal(struct {
		BillDetailID string `json:"billDetailId"`
		Description  string `json:"description"`
		Domain       string `json:"domain"`
		PeriodStart  string `json:"periodStart"`
		PeriodEnd    string `json:"periodEnd"`
		Quantity     string `json:"quantity"`
		TotalPrice   price  `json:"totalPrice"`
		UnitPrice    price  `json:"unitPrice"`
	}{d.id, d.description, d.domain, d.start.In(paris).Format("2006-01-02"), d.end.In(paris).Format("2006-01-02"),
		strconv.FormatInt(d.quantity, 10), euros(d.unitCents * d.quantity), euros(d.unitCents)})
}

// listBillDetails is GET /me/bill/{billId}/details: the ids of its lines.
func (s *Server) listBillDetails(c *call) {
	b := s.billByID[c.params[0]]
	if b == nil {
		c.noObject("billId", c.params[0])
		return
	}
	lines := s.details(b)
	c.ids(len(lines), func(i int) []byte { return quote(lines[i].id) }, func(i int) []byte { return lines[i].json() })
}

// getBillDetail is GET /me/bill/{billId}/details/{billDetailId}.
func (s *Server) getBillDetail(c *call) {
	b := s.billByID[c.params[0]]
	if b == nil {
		c.noObject("billId", c.params[0])
		return
	}
	for _, d := range s.details(b) {
		if d.id == c.params[1] {
			c.send(d.json())
			return
		}
	}
	c.noObject("billDetailId", c.params[1])
}

func (s *Server) getBill(c *call) {
	b := s.billByID[c.params[0]]
	if b == nil {
		c.noObject("billId", c.params[0])
		return
	}
	c.send(b.json())
}
