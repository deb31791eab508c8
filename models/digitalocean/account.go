package digitalocean

import "github.com/stratus-cloud/stratus"

// AccountStatus is the account's standing.
type AccountStatus string

// The account states of the API.
const (
	AccountActive  AccountStatus = "active"
	AccountWarning AccountStatus = "warning"
	AccountLocked  AccountStatus = "locked"
)

// AccountHandle is the lazy view of the account the token belongs to.
type AccountHandle struct{ *stratus.Resource }

var _ stratus.Object = (*AccountHandle)(nil)

// Account returns a handle for the token's account. No request is sent.
func Account(c *stratus.Client) *AccountHandle {
	return &AccountHandle{stratus.NewResourceAt(c, accountKind, "", accountKind.ItemPath)}
}

// DropletLimit returns how many droplets the account may have.
func (a *AccountHandle) DropletLimit() int { return a.GetInt("droplet_limit") }

// FloatingIPLimit returns how many floating IPs the account may have.
func (a *AccountHandle) FloatingIPLimit() int { return a.GetInt("floating_ip_limit") }

// ReservedIPLimit returns how many reserved IPs the account may have.
func (a *AccountHandle) ReservedIPLimit() int { return a.GetInt("reserved_ip_limit") }

// VolumeLimit returns how many volumes the account may have.
func (a *AccountHandle) VolumeLimit() int { return a.GetInt("volume_limit") }

// Email returns the account's email address.
func (a *AccountHandle) Email() string { return a.GetString("email") }

// Name returns the account holder's name.
func (a *AccountHandle) Name() string { return a.GetString("name") }

// UUID returns the account's unique id.
func (a *AccountHandle) UUID() string { return a.GetString("uuid") }

// EmailVerified reports whether the email address was confirmed.
func (a *AccountHandle) EmailVerified() bool { return a.GetBool("email_verified") }

// Status returns active, warning or locked.
func (a *AccountHandle) Status() AccountStatus { return AccountStatus(a.GetString("status")) }

// StatusMessage explains a warning or locked status.
func (a *AccountHandle) StatusMessage() string { return a.GetString("status_message") }

// TeamName returns the name of the team the token acts for, "" if none.
func (a *AccountHandle) TeamName() string { return a.GetString("team.name") }

// TeamUUID returns the uuid of the team the token acts for, "" if none.
func (a *AccountHandle) TeamUUID() string { return a.GetString("team.uuid") }
