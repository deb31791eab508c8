package enstratus

import (
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
)

// CloudHandle is a lazy cloud (a provider the account can use: AWS,
// Rackspace...). Make one with Cloud; getters load it on first use.
type CloudHandle struct{ handle }

var _ stratus.Object = (*CloudHandle)(nil)

// Cloud returns a handle for cloud id. No request is sent.
func Cloud(c *stratus.Client, id int) *CloudHandle {
	return wrapCloud(stratus.NewResource(c, cloudKind, strconv.Itoa(id)))
}

func wrapCloud(r *stratus.Resource) *CloudHandle { return &CloudHandle{newHandle(r)} }

// CloudList is the list of clouds.
type CloudList struct{ List[*CloudHandle, CloudList] }

func cloudList(l List[*CloudHandle, CloudList]) CloudList { return CloudList{l} }

// Clouds lists the clouds, in basic detail.
func Clouds(c *stratus.Client) CloudList { return newList(c, cloudKind, wrapCloud, cloudList) }

// PublicOnly keeps the public clouds (publicOnly=true).
func (l CloudList) PublicOnly() CloudList { return l.filter("publicOnly", "true") }

// Status keeps the clouds of one status (ACTIVE, INACTIVE).
func (l CloudList) Status(status string) CloudList { return l.filter("status", status) }

// ID returns the cloud id (no load needed).
func (h *CloudHandle) ID() int { return h.IntID() }

// Name returns the cloud's name ("Amazon Web Services").
func (h *CloudHandle) Name() string { return h.GetString("name") }

// Status returns ACTIVE or INACTIVE.
func (h *CloudHandle) Status() string { return h.GetString("status") }

// CloudProviderName returns the provider's name ("Amazon").
func (h *CloudHandle) CloudProviderName() string { return h.GetString("cloudProviderName") }

// CloudProviderConsoleURL returns the URL of the provider's console.
func (h *CloudHandle) CloudProviderConsoleURL() string {
	return h.GetString("cloudProviderConsoleURL")
}

// CloudProviderLogoURL returns the path of the provider's logo.
func (h *CloudHandle) CloudProviderLogoURL() string { return h.GetString("cloudProviderLogoURL") }

// ComputeDelegate returns the dasein class that drives the cloud.
func (h *CloudHandle) ComputeDelegate() string { return h.GetString("computeDelegate") }

// ComputeEndpoints returns the compute endpoints (the API gives them
// comma-separated).
func (h *CloudHandle) ComputeEndpoints() []string {
	s := h.GetString("computeEndpoint")
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// ComputeAccessKeyLabel returns how the cloud names its access key.
func (h *CloudHandle) ComputeAccessKeyLabel() string { return h.GetString("computeAccessKeyLabel") }

// ComputeSecretKeyLabel returns how the cloud names its secret key.
func (h *CloudHandle) ComputeSecretKeyLabel() string { return h.GetString("computeSecretKeyLabel") }

// ComputeAccountNumberLabel returns how the cloud names an account number.
func (h *CloudHandle) ComputeAccountNumberLabel() string {
	return h.GetString("computeAccountNumberLabel")
}

// ComputeX509CertLabel returns how the cloud names its X.509 certificate.
func (h *CloudHandle) ComputeX509CertLabel() string { return h.GetString("computeX509CertLabel") }

// ComputeX509KeyLabel returns how the cloud names its X.509 key.
func (h *CloudHandle) ComputeX509KeyLabel() string { return h.GetString("computeX509KeyLabel") }

// DocumentationLabel returns the documentation label ("" when null).
func (h *CloudHandle) DocumentationLabel() string { return h.GetString("documentationLabel") }

// PrivateCloud reports whether the cloud is private.
func (h *CloudHandle) PrivateCloud() bool { return h.GetBool("privateCloud") }

// RegionHandle is a lazy region of a cloud.
type RegionHandle struct{ handle }

var _ stratus.Object = (*RegionHandle)(nil)

// Region returns a handle for region id. No request is sent.
func Region(c *stratus.Client, id int) *RegionHandle {
	return wrapRegion(stratus.NewResource(c, regionKind, strconv.Itoa(id)))
}

func wrapRegion(r *stratus.Resource) *RegionHandle { return &RegionHandle{newHandle(r)} }

// RegionList is the list of regions.
type RegionList struct {
	List[*RegionHandle, RegionList]
}

func regionList(l List[*RegionHandle, RegionList]) RegionList { return RegionList{l} }

// Regions lists the regions, in basic detail.
func Regions(c *stratus.Client) RegionList { return newList(c, regionKind, wrapRegion, regionList) }

// Jurisdiction keeps the regions of one jurisdiction (US, EU, JP...).
func (l RegionList) Jurisdiction(j string) RegionList { return l.filter("jurisdiction", j) }

// ForAccount asks for the regions an account sees (accountId).
func (l RegionList) ForAccount(accountID int) RegionList {
	return l.filter("accountId", strconv.Itoa(accountID))
}

// Scope sets the scope of the list: "all" or "account".
func (l RegionList) Scope(scope string) RegionList { return l.filter("scope", scope) }

// ID returns the region id (no load needed).
func (h *RegionHandle) ID() int { return h.IntID() }

// Name returns the region's name ("Oregon (us-west-2)").
func (h *RegionHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *RegionHandle) Description() string { return h.GetString("description") }

// ProviderID returns the cloud's name for the region ("us-west-2").
func (h *RegionHandle) ProviderID() string { return h.GetString("providerId") }

// Jurisdiction returns the region's jurisdiction (US, EU...).
func (h *RegionHandle) Jurisdiction() string { return h.GetString("jurisdiction") }

// Status returns the region's status.
func (h *RegionHandle) Status() string { return h.GetString("status") }

// CloudID returns the id of the region's cloud.
func (h *RegionHandle) CloudID() int { return h.refID("cloud", "cloudId") }

// Cloud returns the region's cloud, without loading it.
func (h *RegionHandle) Cloud() *CloudHandle { return wrapRef(h.ref("cloud", cloudKind), wrapCloud) }

// CustomerID returns the id of the customer.
func (h *RegionHandle) CustomerID() int { return h.refID("customer", "customerId") }

// DataCenters lists the region's data centers.
func (h *RegionHandle) DataCenters() DataCenterList { return DataCenters(h.Client()).InRegion(h.ID()) }

// DataCenterHandle is a lazy data center (an availability zone).
type DataCenterHandle struct{ handle }

var _ stratus.Object = (*DataCenterHandle)(nil)

// DataCenter returns a handle for data center id. No request is sent.
func DataCenter(c *stratus.Client, id int) *DataCenterHandle {
	return wrapDataCenter(stratus.NewResource(c, dataCenterKind, strconv.Itoa(id)))
}

func wrapDataCenter(r *stratus.Resource) *DataCenterHandle { return &DataCenterHandle{newHandle(r)} }

// DataCenterList is the list of the data centers of a region.
type DataCenterList struct {
	List[*DataCenterHandle, DataCenterList]
}

func dataCenterList(l List[*DataCenterHandle, DataCenterList]) DataCenterList {
	return DataCenterList{l}
}

// DataCenters lists data centers. The API needs a region: set it with
// InRegion, or the list is refused before any request.
func DataCenters(c *stratus.Client) DataCenterList {
	return newList(c, dataCenterKind, wrapDataCenter, dataCenterList)
}

// InRegion lists the data centers of a region (regionId, required).
func (l DataCenterList) InRegion(regionID int) DataCenterList {
	return l.filter("regionId", positive(regionID))
}

// ID returns the data center id (no load needed).
func (h *DataCenterHandle) ID() int { return h.IntID() }

// Name returns the data center's name ("us-west-2a").
func (h *DataCenterHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *DataCenterHandle) Description() string { return h.GetString("description") }

// ProviderID returns the cloud's name for it.
func (h *DataCenterHandle) ProviderID() string { return h.GetString("providerId") }

// Status returns the data center's status.
func (h *DataCenterHandle) Status() string { return h.GetString("status") }

// RegionID returns the id of its region.
func (h *DataCenterHandle) RegionID() int { return h.refID("region", "regionId") }

// Region returns its region, without loading it.
func (h *DataCenterHandle) Region() *RegionHandle {
	return wrapRef(h.ref("region", regionKind), wrapRegion)
}

// SubscriptionHandle is what the account may do in a region. Its id is
// the region's.
type SubscriptionHandle struct{ handle }

var _ stratus.Object = (*SubscriptionHandle)(nil)

// Subscription returns a handle for the subscription of region regionID.
// No request is sent.
func Subscription(c *stratus.Client, regionID int) *SubscriptionHandle {
	return wrapSubscription(stratus.NewResource(c, subscriptionKind, strconv.Itoa(regionID)))
}

func wrapSubscription(r *stratus.Resource) *SubscriptionHandle {
	return &SubscriptionHandle{newHandle(r)}
}

// SubscriptionList is the list of subscriptions.
type SubscriptionList struct {
	List[*SubscriptionHandle, SubscriptionList]
}

func subscriptionList(l List[*SubscriptionHandle, SubscriptionList]) SubscriptionList {
	return SubscriptionList{l}
}

// Subscriptions lists the account's subscriptions, one per region.
func Subscriptions(c *stratus.Client) SubscriptionList {
	return newList(c, subscriptionKind, wrapSubscription, subscriptionList)
}

// ID returns the region id (no load needed).
func (h *SubscriptionHandle) ID() int { return h.IntID() }

// RegionID returns the region id (no load needed).
func (h *SubscriptionHandle) RegionID() int { return h.IntID() }

// Region returns the region, without loading it.
func (h *SubscriptionHandle) Region() *RegionHandle { return Region(h.Client(), h.IntID()) }

// Subscribed reports whether a service is subscribed in the region:
// Subscribed("Server") reads subscribedServer; other names: Volume,
// Snapshot, MachineImage, Firewall, LoadBalancer, Network, StaticIP, DNS,
// RDBMS, BlobStore, CDN, AutoScaling, MQ, KVDB, VPN, Email...
func (h *SubscriptionHandle) Subscribed(service string) bool {
	return h.GetBool("subscribed" + service)
}

// Services lists the subscribed services, in the API's order.
func (h *SubscriptionHandle) Services() []string {
	var out []string
	h.Get("@this").ForEach(func(k, v gjson.Result) bool {
		if s, ok := strings.CutPrefix(k.Str, "subscribed"); ok && s != "" && v.Bool() {
			out = append(out, s)
		}
		return true
	})
	return out
}

// Bool reads any of the subscription's flags by its API name
// ("publicIPAddressesAssigned", "customImages"...).
func (h *SubscriptionHandle) Bool(name string) bool { return h.GetBool(name) }

// positive renders an id for a query; 0 or less stays unset, so that the
// required-filter check refuses it.
func positive(id int) string {
	if id <= 0 {
		return ""
	}
	return strconv.Itoa(id)
}

// wrapRef wraps a reference's resource, or gives nil.
func wrapRef[T any](r *stratus.Resource, wrap func(*stratus.Resource) *T) *T {
	if r == nil {
		return nil
	}
	return wrap(r)
}
