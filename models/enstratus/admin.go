package enstratus

import (
	"strconv"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/tidwall/gjson"
)

// AccountHandle is a lazy enStratus account (one cloud subscription).
type AccountHandle struct{ handle }

var _ stratus.Object = (*AccountHandle)(nil)

// Account returns a handle for account id. No request is sent.
func Account(c *stratus.Client, id int) *AccountHandle {
	return wrapAccount(stratus.NewResource(c, accountKind, strconv.Itoa(id)))
}

func wrapAccount(r *stratus.Resource) *AccountHandle { return &AccountHandle{newHandle(r)} }

// AccountList is the list of accounts.
type AccountList struct {
	List[*AccountHandle, AccountList]
}

func accountList(l List[*AccountHandle, AccountList]) AccountList { return AccountList{l} }

// Accounts lists the accounts, in basic detail.
func Accounts(c *stratus.Client) AccountList {
	return newList(c, accountKind, wrapAccount, accountList)
}

// ForCloud keeps the accounts subscribed to a cloud (cloudId).
func (l AccountList) ForCloud(cloudID int) AccountList {
	return l.filter("cloudId", positive(cloudID))
}

// ID returns the account id (no load needed).
func (h *AccountHandle) ID() int { return h.IntID() }

// Name returns the account's name.
func (h *AccountHandle) Name() string { return h.GetString("name") }

// Status returns its status.
func (h *AccountHandle) Status() string { return h.GetString("status") }

// Configured reports whether the account is configured.
func (h *AccountHandle) Configured() bool { return h.GetBool("configured") }

// Provisioned reports whether it is provisioned.
func (h *AccountHandle) Provisioned() bool { return h.GetBool("provisioned") }

// Subscribed reports whether it is subscribed.
func (h *AccountHandle) Subscribed() bool { return h.GetBool("subscribed") }

// BillingSystemID returns the billing system's id (the API gives it as a
// number or a string).
func (h *AccountHandle) BillingSystemID() int { return h.GetInt("billingSystemId") }

// PlanID returns the plan.
func (h *AccountHandle) PlanID() int { return h.GetInt("planId") }

// DefaultBudgetID returns the id of the default billing code.
func (h *AccountHandle) DefaultBudgetID() int { return h.GetInt("defaultBudget") }

// CloudID returns the id of the cloud the account subscribes to.
func (h *AccountHandle) CloudID() int { return h.GetInt("cloudSubscriptionId.cloudId") }

// Cloud returns the cloud the account subscribes to, without loading it.
func (h *AccountHandle) Cloud() *CloudHandle {
	if id := h.CloudID(); id != 0 {
		return Cloud(h.Client(), id)
	}
	return nil
}

// AccountNumber returns the account number at the cloud.
func (h *AccountHandle) AccountNumber() string {
	return h.GetString("cloudSubscriptionId.accountNumber")
}

// OwnerID returns the id of the owner.
func (h *AccountHandle) OwnerID() int { return h.refID("owner", "userId") }

// Owner returns the owner, without loading it.
func (h *AccountHandle) Owner() *UserHandle { return wrapRef(h.ref("owner", userKind), wrapUser) }

// CustomerID returns the id of the customer.
func (h *AccountHandle) CustomerID() int { return h.refID("customer", "customerId") }

// UserHandle is a lazy user.
type UserHandle struct{ handle }

var _ stratus.Object = (*UserHandle)(nil)

// User returns a handle for user id. No request is sent.
func User(c *stratus.Client, id int) *UserHandle {
	return wrapUser(stratus.NewResource(c, userKind, strconv.Itoa(id)))
}

func wrapUser(r *stratus.Resource) *UserHandle { return &UserHandle{newHandle(r)} }

// UserList is the list of users.
type UserList struct{ List[*UserHandle, UserList] }

func userList(l List[*UserHandle, UserList]) UserList { return UserList{l} }

// Users lists the users, in basic detail.
func Users(c *stratus.Client) UserList { return newList(c, userKind, wrapUser, userList) }

// ID returns the user id (no load needed).
func (h *UserHandle) ID() int { return h.IntID() }

// Email returns the e-mail address.
func (h *UserHandle) Email() string { return h.GetString("email") }

// GivenName returns the given name.
func (h *UserHandle) GivenName() string { return h.GetString("givenName") }

// FamilyName returns the family name.
func (h *UserHandle) FamilyName() string { return h.GetString("familyName") }

// AlphaName returns "Family, Given".
func (h *UserHandle) AlphaName() string { return h.GetString("alphaName") }

// Status returns the user's status.
func (h *UserHandle) Status() string { return h.GetString("status") }

// TimeZone returns the user's time zone.
func (h *UserHandle) TimeZone() string { return h.GetString("timeZone") }

// VMLoginID returns the login on virtual machines.
func (h *UserHandle) VMLoginID() string { return h.GetString("vmLoginId") }

// Editable reports whether the user may be edited.
func (h *UserHandle) Editable() bool { return h.GetBool("editable") }

// HasCloudAPIAccess reports whether the user may use the cloud's API.
func (h *UserHandle) HasCloudAPIAccess() bool { return h.GetBool("hasCloudAPIAccess") }

// HasCloudConsoleAccess reports whether the user may use the console.
func (h *UserHandle) HasCloudConsoleAccess() bool { return h.GetBool("hasCloudConsoleAccess") }

// SSHPublicKey returns the user's SSH public key.
func (h *UserHandle) SSHPublicKey() string { return h.GetString("sshPublicKey") }

// AccountID returns the id of the user's account.
func (h *UserHandle) AccountID() int { return h.refID("account", "accountId") }

// GroupIDs returns the ids of the user's groups.
func (h *UserHandle) GroupIDs() []int { return h.refIDs("groups", "groupId") }

// Groups returns the user's groups, without loading them.
func (h *UserHandle) Groups() []*GroupHandle { return wrapRefs(h.refs("groups", groupKind), wrapGroup) }

// BillingCodeIDs returns the ids of the user's billing codes.
func (h *UserHandle) BillingCodeIDs() []int { return h.refIDs("billingCodes", "billingCodeId") }

// CustomerID returns the id of the customer.
func (h *UserHandle) CustomerID() int { return h.refID("customer", "customerId") }

// APIKeyHandle is a lazy API key, named by its access key. Its secret key
// is redacted by Pprint.
type APIKeyHandle struct{ handle }

var _ stratus.Object = (*APIKeyHandle)(nil)

// APIKey returns a handle for the key whose access key is accessKey
// (mixcoatl's ApiKey). No request is sent.
func APIKey(c *stratus.Client, accessKey string) *APIKeyHandle {
	return wrapAPIKey(stratus.NewResource(c, apiKeyKind, accessKey))
}

func wrapAPIKey(r *stratus.Resource) *APIKeyHandle { return &APIKeyHandle{newHandle(r)} }

// APIKeyList is the list of API keys.
type APIKeyList struct {
	List[*APIKeyHandle, APIKeyList]
}

func apiKeyList(l List[*APIKeyHandle, APIKeyList]) APIKeyList { return APIKeyList{l} }

// APIKeys lists the API keys, in basic detail. Their ids are strings: use
// Keys, not IDs.
func APIKeys(c *stratus.Client) APIKeyList { return newList(c, apiKeyKind, wrapAPIKey, apiKeyList) }

// ID returns the access key (no load needed).
func (h *APIKeyHandle) ID() string { return h.Resource.ID() }

// AccessKey returns the access key (no load needed).
func (h *APIKeyHandle) AccessKey() string { return h.Resource.ID() }

// SecretKey returns the secret key, as a value that never prints.
func (h *APIKeyHandle) SecretKey() wire.Secret { return wire.Secret(h.GetString("secretKey")) }

// Name returns the key's name.
func (h *APIKeyHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *APIKeyHandle) Description() string { return h.GetString("description") }

// State returns ACTIVE...
func (h *APIKeyHandle) State() string { return h.GetString("state") }

// Activation returns when the key was activated.
func (h *APIKeyHandle) Activation() time.Time { return h.GetTime("activation") }

// CustomerManagementKey reports whether it is a customer management key.
func (h *APIKeyHandle) CustomerManagementKey() bool { return h.GetBool("customerManagementKey") }

// SystemManagementKey reports whether it is a system management key.
func (h *APIKeyHandle) SystemManagementKey() bool { return h.GetBool("systemManagementKey") }

// AccountID returns the id of the key's account.
func (h *APIKeyHandle) AccountID() int { return h.refID("account", "accountId") }

// UserID returns the id of the key's user.
func (h *APIKeyHandle) UserID() int { return h.refID("user", "userId") }

// BillingCodeHandle is a lazy billing code (a budget).
type BillingCodeHandle struct{ handle }

var _ stratus.Object = (*BillingCodeHandle)(nil)

// BillingCode returns a handle for billing code id. No request is sent.
func BillingCode(c *stratus.Client, id int) *BillingCodeHandle {
	return wrapBillingCode(stratus.NewResource(c, billingCodeKind, strconv.Itoa(id)))
}

func wrapBillingCode(r *stratus.Resource) *BillingCodeHandle { return &BillingCodeHandle{newHandle(r)} }

// BillingCodeList is the list of billing codes.
type BillingCodeList struct {
	List[*BillingCodeHandle, BillingCodeList]
}

func billingCodeList(l List[*BillingCodeHandle, BillingCodeList]) BillingCodeList {
	return BillingCodeList{l}
}

// BillingCodes lists the billing codes, in basic detail.
func BillingCodes(c *stratus.Client) BillingCodeList {
	return newList(c, billingCodeKind, wrapBillingCode, billingCodeList)
}

// Money is an amount in a currency.
type Money struct {
	Value    float64
	Currency string
}

func money(v gjson.Result) Money {
	return Money{Value: v.Get("value").Float(), Currency: v.Get("currency").String()}
}

// ID returns the billing code id (no load needed).
func (h *BillingCodeHandle) ID() int { return h.IntID() }

// Name returns its name.
func (h *BillingCodeHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *BillingCodeHandle) Description() string { return h.GetString("description") }

// FinanceCode returns the finance code.
func (h *BillingCodeHandle) FinanceCode() string { return h.GetString("financeCode") }

// Status returns its status.
func (h *BillingCodeHandle) Status() string { return h.GetString("status") }

// BudgetState returns NORMAL...
func (h *BillingCodeHandle) BudgetState() string { return h.GetString("budgetState") }

// CurrentUsage returns what was spent so far.
func (h *BillingCodeHandle) CurrentUsage() Money { return money(h.Get("currentUsage")) }

// ProjectedUsage returns what will be spent at this pace.
func (h *BillingCodeHandle) ProjectedUsage() Money { return money(h.Get("projectedUsage")) }

// GroupHandle is a lazy group of users.
type GroupHandle struct{ handle }

var _ stratus.Object = (*GroupHandle)(nil)

// Group returns a handle for group id. No request is sent.
func Group(c *stratus.Client, id int) *GroupHandle {
	return wrapGroup(stratus.NewResource(c, groupKind, strconv.Itoa(id)))
}

func wrapGroup(r *stratus.Resource) *GroupHandle { return &GroupHandle{newHandle(r)} }

// GroupList is the list of groups.
type GroupList struct{ List[*GroupHandle, GroupList] }

func groupList(l List[*GroupHandle, GroupList]) GroupList { return GroupList{l} }

// Groups lists the groups, in basic detail.
func Groups(c *stratus.Client) GroupList { return newList(c, groupKind, wrapGroup, groupList) }

// ID returns the group id (no load needed).
func (h *GroupHandle) ID() int { return h.IntID() }

// Name returns its name.
func (h *GroupHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *GroupHandle) Description() string { return h.GetString("description") }

// Status returns its status.
func (h *GroupHandle) Status() string { return h.GetString("status") }

// RoleHandle is a lazy role (a set of permissions).
type RoleHandle struct{ handle }

var _ stratus.Object = (*RoleHandle)(nil)

// Role returns a handle for role id. No request is sent.
func Role(c *stratus.Client, id int) *RoleHandle {
	return wrapRole(stratus.NewResource(c, roleKind, strconv.Itoa(id)))
}

func wrapRole(r *stratus.Resource) *RoleHandle { return &RoleHandle{newHandle(r)} }

// RoleList is the list of roles.
type RoleList struct{ List[*RoleHandle, RoleList] }

func roleList(l List[*RoleHandle, RoleList]) RoleList { return RoleList{l} }

// Roles lists the roles, in basic detail.
func Roles(c *stratus.Client) RoleList { return newList(c, roleKind, wrapRole, roleList) }

// ID returns the role id (no load needed).
func (h *RoleHandle) ID() int { return h.IntID() }

// Name returns its name.
func (h *RoleHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *RoleHandle) Description() string { return h.GetString("description") }

// Status returns its status.
func (h *RoleHandle) Status() string { return h.GetString("status") }

// ACLEntry is one permission of a role.
type ACLEntry struct {
	Action, Qualifier, ResourceType string
}

// ACL returns the role's permissions.
func (h *RoleHandle) ACL() []ACLEntry {
	var out []ACLEntry
	h.Get("acl").ForEach(func(_, v gjson.Result) bool {
		out = append(out, ACLEntry{Action: v.Get("action").String(), Qualifier: v.Get("qualifier").String(), ResourceType: v.Get("resourceType").String()})
		return true
	})
	return out
}
