package softlayer

import (
	"context"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
)

// AccountHandle is the account (SoftLayer_Account::getObject).
type AccountHandle struct{ handle }

// Account returns the account's handle; no request is made.
func Account(c *stratus.Client) *AccountHandle {
	return &AccountHandle{newHandle(stratus.NewResource(c, accountKind, ""), wire.Mask{})}
}

// AccountWithMask loads the account with mask m (either form) and
// returns its handle: fields outside the mask load the rest once.
func AccountWithMask(ctx context.Context, c *stratus.Client, m string) (*AccountHandle, error) {
	mk, err := wire.ParseMask(m)
	if err != nil {
		return nil, err
	}
	h, err := loadMasked(ctx, c, accountKind, "", mk)
	if err != nil {
		return nil, err
	}
	return &AccountHandle{h}, nil
}

func (a *AccountHandle) ID() int               { return a.int("id") }
func (a *AccountHandle) CompanyName() string   { return a.str("companyName") }
func (a *AccountHandle) FirstName() string     { return a.str("firstName") }
func (a *AccountHandle) LastName() string      { return a.str("lastName") }
func (a *AccountHandle) Email() string         { return a.str("email") }
func (a *AccountHandle) City() string          { return a.str("city") }
func (a *AccountHandle) State() string         { return a.str("state") }
func (a *AccountHandle) Country() string       { return a.str("country") }
func (a *AccountHandle) OfficePhone() string   { return a.str("officePhone") }
func (a *AccountHandle) AccountStatusID() int  { return a.int("accountStatusId") }
func (a *AccountHandle) IsReseller() bool      { return a.int("isReseller") != 0 }
func (a *AccountHandle) CreateDate() time.Time { return a.time("createDate") }
