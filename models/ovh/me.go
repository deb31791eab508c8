package ovh

import (
	"context"

	"github.com/stratus-cloud/stratus"
)

// MeHandle is the lazy view of the account (nichandle) the consumer key
// acts for: GET /me.
type MeHandle struct{ *stratus.Resource }

var _ stratus.Object = (*MeHandle)(nil)

// Me returns a handle for the account. No request is sent.
func Me(c *stratus.Client) *MeHandle {
	return &MeHandle{stratus.NewResourceAt(c, meKind, "", meKind.ItemPath)}
}

// Nichandle returns the account id ("ab12345-ovh").
func (m *MeHandle) Nichandle() string { return m.GetString("nichandle") }

// Email returns the account's email address.
func (m *MeHandle) Email() string { return m.GetString("email") }

// FirstName returns the holder's first name.
func (m *MeHandle) FirstName() string { return m.GetString("firstname") }

// LastName returns the holder's last name (the API's "name").
func (m *MeHandle) LastName() string { return m.GetString("name") }

// Organisation returns the organisation's name.
func (m *MeHandle) Organisation() string { return m.GetString("organisation") }

// Country returns the country code (FR, GB, ...).
func (m *MeHandle) Country() string { return m.GetString("country") }

// Language returns the account's language (fr_FR, en_GB, ...).
func (m *MeHandle) Language() string { return m.GetString("language") }

// Currency returns the account's currency code (EUR, ...).
func (m *MeHandle) Currency() string { return m.GetString("currency.code") }

// CurrencySymbol returns the currency's symbol as the API names it.
func (m *MeHandle) CurrencySymbol() string { return m.GetString("currency.symbol") }

// State returns complete or incomplete.
func (m *MeHandle) State() string { return m.GetString("state") }

// LegalForm returns individual, corporation, association, ...
func (m *MeHandle) LegalForm() string { return m.GetString("legalform") }

// OVHCompany returns ovh, kimsufi or soyoustart.
func (m *MeHandle) OVHCompany() string { return m.GetString("ovhCompany") }

// OVHSubsidiary returns the subsidiary the account belongs to (FR, GB, ...).
func (m *MeHandle) OVHSubsidiary() string { return m.GetString("ovhSubsidiary") }

// Phone returns the phone number.
func (m *MeHandle) Phone() string { return m.GetString("phone") }

// Address returns the postal address's street line.
func (m *MeHandle) Address() string { return m.GetString("address") }

// City returns the city.
func (m *MeHandle) City() string { return m.GetString("city") }

// Zip returns the postal code.
func (m *MeHandle) Zip() string { return m.GetString("zip") }

// VAT returns the VAT number.
func (m *MeHandle) VAT() string { return m.GetString("vat") }

// CustomerCode returns the code support asks for on the phone.
func (m *MeHandle) CustomerCode() string { return m.GetString("customerCode") }

// KYCValidated reports whether the holder's identity was checked.
func (m *MeHandle) KYCValidated() bool { return m.GetBool("kycValidated") }

// Update changes the editable fields named in the API's words
// ("firstname", "name", "organisation", "language", "legalform", "phone",
// "address", "city", "zip", "vat"), then reloads the handle.
func (m *MeHandle) Update(ctx context.Context, fields map[string]any) error {
	if len(fields) == 0 {
		return invalid(m.Client(), "PUT /me", "nothing to update")
	}
	return update(ctx, m.Resource, m.Path(), fields)
}
