package enstratus

import (
	"time"

	"github.com/stratus-cloud/stratus"
)

// f documents one field.
func f(name, typ string, doc ...string) stratus.Field {
	d := ""
	if len(doc) > 0 {
		d = doc[0]
	}
	return stratus.Field{Name: name, Type: typ, Doc: d}
}

// kind builds a kind of the table: every answer is {"<key>":[...]}, one
// object included, so an item is "<key>.0". Lists are partial: they are
// asked for in basic detail (or none), while an item load is answered in
// extended detail.
func kind(name, plural, scope, path, key, idField string, ttl time.Duration, detail string, fields ...stratus.Field) *stratus.Kind {
	return &stratus.Kind{
		Name: name, Plural: plural, Scope: scope,
		ItemPath: path + "/{id}", ListPath: path,
		ItemKey: key + ".0", ListKey: key, IDField: idField,
		Partial: true, Pager: Pager{Detail: detail}, TTL: ttl, Fields: fields,
	}
}

// Reference fields: an id object in basic detail, the object in extended
// detail, left out in none.
func refField(name, kindName, idKey string) stratus.Field {
	return f(name, kindName, "reference: {"+idKey+"} (basic), the "+kindName+" (extended)")
}

func refsField(name, kindName, idKey string) stratus.Field {
	return f(name, "[]"+kindName, "references: [{"+idKey+"}] (basic), the "+kindName+"s (extended)")
}

// The route table: every resource of mixcoatl's API 2012-06-15, with its
// path below the version, its envelope key, its id field and the fields
// the sources document, named as the API spells them.
var (
	cloudKind = kind("cloud", "clouds", "geography", "geography/Cloud", "clouds", "cloudId", 10*time.Minute, "",
		f("cloudId", "int"), f("name", "string", "Amazon Web Services"), f("cloudProviderName", "string", "Amazon"),
		f("cloudProviderConsoleURL", "string"), f("cloudProviderLogoURL", "string"),
		f("computeDelegate", "string", "org.dasein.cloud.aws.AWSCloud"), f("computeEndpoint", "string", "comma-separated URLs"),
		f("computeAccessKeyLabel", "string"), f("computeSecretKeyLabel", "string"), f("computeAccountNumberLabel", "string"),
		f("computeX509CertLabel", "string"), f("computeX509KeyLabel", "string"), f("documentationLabel", "string"),
		f("privateCloud", "bool"), f("status", "string", "ACTIVE, INACTIVE"),
	)
	regionKind = kind("region", "regions", "geography", "geography/Region", "regions", "regionId", 10*time.Minute, "",
		f("regionId", "int"), f("name", "string", "Oregon (us-west-2)"), f("description", "string"),
		f("providerId", "string", "us-west-2"), f("jurisdiction", "string", "US, EU, JP..."), f("status", "string"),
		refField("cloud", "cloud", "cloudId"), f("customer", "object", "{customerId}"),
	)
	dataCenterKind = kind("data_center", "data_centers", "geography", "geography/DataCenter", "dataCenters", "dataCenterId", 10*time.Minute, "",
		f("dataCenterId", "int"), f("name", "string"), f("description", "string"), f("providerId", "string", "us-west-2a"),
		f("status", "string"), refField("region", "region", "regionId"),
	)
	subscriptionKind = kind("subscription", "subscriptions", "geography", "geography/Subscription", "subscriptions", "regionId", 10*time.Minute, "",
		f("regionId", "int", "the region subscribed to; also the id"),
		f("subscribedServer", "bool"), f("subscribedVolume", "bool"), f("subscribedSnapshot", "bool"),
		f("subscribedMachineImage", "bool"), f("subscribedFirewall", "bool"), f("subscribedLoadBalancer", "bool"),
		f("subscribedNetwork", "bool"), f("subscribedStaticIP", "bool"), f("subscribedDNS", "bool"), f("subscribedRDBMS", "bool"),
		f("subscribedBlobStore", "bool"), f("subscribedCDN", "bool"), f("subscribedAutoScaling", "bool"),
		f("publicIPAddressesAssigned", "bool"), f("privateIPAddressesAssigned", "bool"), f("customImages", "bool"),
		f("customNetworks", "bool"), f("maxLoadBalancerListeners", "int"),
	)
	serverKind = kind("server", "servers", "infrastructure", "infrastructure/Server", "servers", "serverId", 15*time.Second, "",
		f("serverId", "int"), f("name", "string"), f("description", "string"), f("label", "string"),
		f("status", "string", "PENDING, RUNNING, PAUSED, STOPPED, TERMINATED"), f("platform", "string", "UBUNTU, WINDOWS..."),
		f("providerId", "string", "i-0c67a03e"), f("providerProductId", "string", "m1.small"), f("agentVersion", "int"),
		f("budget", "int", "billing code id"), f("startDate", "time"), f("stopDate", "time"),
		f("privateIpAddresses", "[]string"), f("publicIpAddress", "string"),
		refField("cloud", "cloud", "cloudId"), refField("region", "region", "regionId"),
		refField("dataCenter", "data_center", "dataCenterId"), refField("machineImage", "machine_image", "machineImageId"),
		refsField("firewalls", "firewall", "firewallId"), refField("owningUser", "user", "userId"),
		refsField("owningGroups", "group", "groupId"), refField("product", "server_product", "productId"),
		f("customer", "object", "{customerId}"),
	)
	machineImageKind = kind("machine_image", "machine_images", "infrastructure", "infrastructure/MachineImage", "images", "machineImageId", 5*time.Minute, "",
		f("machineImageId", "int"), f("name", "string"), f("description", "string"), f("architecture", "string", "I32, I64"),
		f("platform", "string"), f("providerId", "string", "ami-..."), f("status", "string"), f("removable", "bool"),
		f("sharable", "bool"), f("creationTimestamp", "time"), f("owningCloudAccountNumber", "string"),
		f("budget", "int", "billing code id"), f("label", "string"), f("agentVersion", "int"),
		refField("owningAccount", "account", "accountId"), refField("owningUser", "user", "userId"),
		refsField("owningGroups", "group", "groupId"), refField("cloud", "cloud", "cloudId"),
		refField("region", "region", "regionId"), f("customer", "object", "{customerId}"),
	)
	serverProductKind = kind("server_product", "server_products", "infrastructure", "infrastructure/ServerProduct", "serverProducts", "productId", 10*time.Minute, "",
		f("productId", "int"), f("name", "string", "32-bit Small"), f("description", "string"),
		f("providerProductId", "string", "m1.small: what a launch names"), f("providerRegionId", "string", "us-west-2"),
		f("architecture", "string"), f("platform", "string"), f("cpuCount", "int"), f("cpuSpeedInMhz", "int"),
		f("ramInMb", "int"), f("diskSizeInGb", "int"), f("hourlyRate", "float"), f("currency", "string"),
		f("software", "string"), refField("cloud", "cloud", "cloudId"),
	)
	volumeKind = kind("volume", "volumes", "infrastructure", "infrastructure/Volume", "volumes", "volumeId", time.Minute, "",
		f("volumeId", "int"), f("name", "string"), f("description", "string"), f("providerId", "string"),
		f("status", "string"), f("available", "bool"), f("encrypted", "bool"), f("removable", "bool"),
		f("sizeInGb", "int"), f("sizeString", "string", "6GB"), f("deviceId", "string", "/dev/sda1"),
		f("creationTimestamp", "time"), f("budget", "int"), refField("cloud", "cloud", "cloudId"),
		refField("region", "region", "regionId"), refField("dataCenter", "data_center", "dataCenterId"),
		refField("server", "server", "serverId"), refField("owningAccount", "account", "accountId"),
		f("customer", "object", "{customerId}"),
	)
	snapshotKind = kind("snapshot", "snapshots", "infrastructure", "infrastructure/Snapshot", "snapshots", "snapshotId", time.Minute, "",
		f("snapshotId", "int"), f("name", "string"), f("description", "string"), f("providerId", "string"),
		f("status", "string"), f("available", "bool"), f("encrypted", "bool"), f("removable", "bool"),
		f("sharable", "bool"), f("sizeInGb", "int"), f("createdTimestamp", "time"), f("label", "string"),
		f("budget", "int"), refField("cloud", "cloud", "cloudId"), refField("region", "region", "regionId"),
		refField("volume", "volume", "volumeId"), refField("owningAccount", "account", "accountId"),
		f("customer", "object", "{customerId}"),
	)
	firewallKind = kind("firewall", "firewalls", "network", "network/Firewall", "firewalls", "firewallId", time.Minute, DetailNone,
		f("firewallId", "int"), f("name", "string"), f("description", "string"), f("providerId", "string", "sg-..."),
		f("status", "string"), f("removable", "bool"), f("budget", "int"), f("label", "string"),
		refField("cloud", "cloud", "cloudId"), refField("region", "region", "regionId"),
		refField("owningAccount", "account", "accountId"), refField("owningUser", "user", "userId"),
		f("customer", "object", "{customerId}"),
	)
	firewallRuleKind = kind("firewall_rule", "firewall_rules", "network", "network/FirewallRule", "rules", "firewallRuleId", time.Minute, DetailNone,
		f("firewallRuleId", "int"), f("direction", "string", "INGRESS, EGRESS"), f("networkAddress", "string", "a CIDR block"),
		f("protocol", "string", "TCP, UDP, ICMP"), f("startPort", "int", "-1 for ICMP"), f("endPort", "int", "-1 for ICMP"),
		refField("firewall", "firewall", "firewallId"),
	)
	loadBalancerKind = kind("load_balancer", "load_balancers", "network", "network/LoadBalancer", "loadBalancers", "loadBalancerId", time.Minute, "",
		f("loadBalancerId", "int"), f("name", "string"), f("description", "string"), f("address", "string", "the DNS name"),
		f("providerId", "string"), f("status", "string"), f("cnameBased", "bool"), f("budget", "int"),
		refField("cloud", "cloud", "cloudId"), refField("region", "region", "regionId"),
		refField("owningAccount", "account", "accountId"), refField("owningUser", "user", "userId"),
		refsField("owningGroups", "group", "groupId"), f("customer", "object", "{customerId}"),
	)
	accountKind = kind("account", "accounts", "admin", "admin/Account", "accounts", "accountId", 5*time.Minute, "",
		f("accountId", "int"), f("name", "string"), f("status", "string"), f("configured", "bool"),
		f("provisioned", "bool"), f("subscribed", "bool"), f("billingSystemId", "int"), f("planId", "int"),
		f("defaultBudget", "int", "billing code id"), refField("owner", "user", "userId"),
		f("cloudSubscriptionId", "object", "{accountNumber, cloudId, cloudSubscriptionId, storageAccountNumber}"),
		f("alertConfiguration", "object"), f("customer", "object", "{customerId}"),
	)
	userKind = kind("user", "users", "admin", "admin/User", "users", "userId", 5*time.Minute, "",
		f("userId", "int"), f("email", "string"), f("givenName", "string"), f("familyName", "string"),
		f("alphaName", "string", "Smith, Bob"), f("status", "string"), f("timeZone", "string"), f("vmLoginId", "string"),
		f("editable", "bool"), f("hasCloudAPIAccess", "bool"), f("hasCloudConsoleAccess", "bool"),
		f("sshPublicKey", "string"), f("accountUserId", "string"), refsField("groups", "group", "groupId"),
		refField("account", "account", "accountId"), refsField("billingCodes", "billing_code", "billingCodeId"),
		f("customer", "object", "{customerId}"),
	)
	jobKind = kind("job", "jobs", "admin", "admin/Job", "jobs", "jobId", 5*time.Second, "",
		f("jobId", "int"), f("status", "string", "RUNNING, COMPLETE, ERROR"), f("description", "string", "Launch Server web-1"),
		f("message", "string", "a launch's new server id; the failure of a job in ERROR"), f("startDate", "time"),
		f("endDate", "time", "null while RUNNING"),
	)
	apiKeyKind = kind("api_key", "api_keys", "admin", "admin/ApiKey", "apiKeys", "accessKey", 5*time.Minute, "",
		f("accessKey", "string", "the id"), f("secretKey", "string", "secret: redacted"), f("name", "string"),
		f("description", "string"), f("state", "string", "ACTIVE..."), f("activation", "time"),
		f("customerManagementKey", "bool"), f("systemManagementKey", "bool"),
		refField("account", "account", "accountId"), refField("user", "user", "userId"), f("customer", "object", "{customerId}"),
	)
	billingCodeKind = kind("billing_code", "billing_codes", "admin", "admin/BillingCode", "billingCodes", "billingCodeId", 5*time.Minute, "",
		f("billingCodeId", "int"), f("name", "string"), f("description", "string"), f("financeCode", "string"),
		f("status", "string"), f("budgetState", "string", "NORMAL..."), f("currentUsage", "money", "{currency, value}"),
		f("projectedUsage", "money", "{currency, value}"), f("customer", "object", "{customerId}"),
	)
	groupKind = kind("group", "groups", "admin", "admin/Group", "groups", "groupId", 5*time.Minute, "",
		f("groupId", "int"), f("name", "string"), f("description", "string"), f("status", "string"),
		f("customer", "object", "{customerId}"),
	)
	roleKind = kind("role", "roles", "admin", "admin/Role", "roles", "roleId", 5*time.Minute, "",
		f("roleId", "int"), f("name", "string"), f("description", "string"), f("status", "string"),
		f("acl", "[]object", "{action, qualifier, resourceType}"), f("customer", "object", "{customerId}"),
	)
)

var kinds = []*stratus.Kind{
	cloudKind, regionKind, dataCenterKind, subscriptionKind,
	serverKind, machineImageKind, serverProductKind, volumeKind, snapshotKind,
	firewallKind, firewallRuleKind, loadBalancerKind,
	accountKind, userKind, jobKind, apiKeyKind, billingCodeKind, groupKind, roleKind,
}

// inRegion is the regionId filter, required where the API refuses a list
// without it.
func inRegion(required bool) stratus.FilterKey {
	return stratus.FilterKey{Name: "regionId", Aliases: []string{"region"}, Required: required, Hint: "InRegion(regionID)", Doc: "the region's id"}
}

// The filters of the lists, by the API's names (mixcoatl's list
// parameters).
func declareFilters() {
	cloudKind.Filters = []stratus.FilterKey{
		{Name: "publicOnly", Hint: "PublicOnly()", Doc: "true: public clouds only"},
		{Name: "status", Hint: "Status(s)", Doc: "ACTIVE, INACTIVE"},
	}
	regionKind.Filters = []stratus.FilterKey{
		{Name: "accountId", Aliases: []string{"account"}, Hint: "ForAccount(accountID)", Doc: "the regions of an account"},
		{Name: "jurisdiction", Hint: "Jurisdiction(j)", Doc: "US, EU, JP..."},
		{Name: "scope", Hint: "Scope(s)", Doc: "all, account"},
	}
	dataCenterKind.Filters = []stratus.FilterKey{inRegion(true)}
	serverKind.Filters = []stratus.FilterKey{inRegion(false)}
	machineImageKind.Filters = []stratus.FilterKey{
		inRegion(true),
		{Name: "active", Doc: "true: active images only"},
		{Name: "registered", Doc: "true: images registered with the account"},
	}
	serverProductKind.Filters = []stratus.FilterKey{inRegion(true)}
	firewallKind.Filters = []stratus.FilterKey{inRegion(true)}
	firewallRuleKind.Filters = []stratus.FilterKey{
		{Name: "firewallId", Aliases: []string{"firewall"}, Hint: "ForFirewall(firewallID)", Doc: "the rules of one firewall"},
	}
	accountKind.Filters = []stratus.FilterKey{
		{Name: "cloudId", Aliases: []string{"cloud"}, Hint: "ForCloud(cloudID)", Doc: "the accounts subscribed to a cloud"},
	}
}

func init() {
	apiKeyKind.Secret = []string{"secretKey", "secret_key"}
	declareFilters()
	cloudKind.New = func(r *stratus.Resource) stratus.Object { return wrapCloud(r) }
	regionKind.New = func(r *stratus.Resource) stratus.Object { return wrapRegion(r) }
	dataCenterKind.New = func(r *stratus.Resource) stratus.Object { return wrapDataCenter(r) }
	subscriptionKind.New = func(r *stratus.Resource) stratus.Object { return wrapSubscription(r) }
	serverKind.New = func(r *stratus.Resource) stratus.Object { return wrapServer(r) }
	machineImageKind.New = func(r *stratus.Resource) stratus.Object { return wrapMachineImage(r) }
	serverProductKind.New = func(r *stratus.Resource) stratus.Object { return wrapServerProduct(r) }
	volumeKind.New = func(r *stratus.Resource) stratus.Object { return wrapVolume(r) }
	snapshotKind.New = func(r *stratus.Resource) stratus.Object { return wrapSnapshot(r) }
	firewallKind.New = func(r *stratus.Resource) stratus.Object { return wrapFirewall(r) }
	firewallRuleKind.New = func(r *stratus.Resource) stratus.Object { return wrapFirewallRule(r) }
	loadBalancerKind.New = func(r *stratus.Resource) stratus.Object { return wrapLoadBalancer(r) }
	accountKind.New = func(r *stratus.Resource) stratus.Object { return wrapAccount(r) }
	userKind.New = func(r *stratus.Resource) stratus.Object { return wrapUser(r) }
	jobKind.New = func(r *stratus.Resource) stratus.Object { return wrapJob(r) }
	apiKeyKind.New = func(r *stratus.Resource) stratus.Object { return wrapAPIKey(r) }
	billingCodeKind.New = func(r *stratus.Resource) stratus.Object { return wrapBillingCode(r) }
	groupKind.New = func(r *stratus.Resource) stratus.Object { return wrapGroup(r) }
	roleKind.New = func(r *stratus.Resource) stratus.Object { return wrapRole(r) }
	// Registered last: Register copies the kinds as they are now.
	stratus.Register(Provider)
}
