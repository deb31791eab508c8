package scope

import (
	"github.com/stratus-cloud/stratus"
)

func init() { Register("enstratus", enstratusTable) }

// enstratusTable: mixcoatl's vocabulary is enStratus's own, so every
// neutral kind but IP addresses, DNS and bills maps to a resource of the
// same name. Data centers, machine images, server products and firewalls
// can only be listed per region (regionId is required): their listing
// walks the regions.
var enstratusTable = Table{
	KindCloud: {{Kind: "cloud", Fields: map[string]string{
		FieldID: "cloudId", FieldName: "name", FieldCloud: "cloudProviderName", FieldState: "status",
	}}},
	KindRegion: {{Kind: "region", Fields: map[string]string{FieldID: "regionId", FieldName: "name", FieldState: "status"}}},
	KindDataCenter: {{Kind: "data_center", Pages: perRegion, Fields: map[string]string{
		FieldID: "dataCenterId", FieldName: "name", FieldRegionID: "region.regionId", FieldState: "status",
	}}},
	KindServer: {{
		Kind: "server",
		Fields: map[string]string{
			FieldID: "serverId", FieldName: "name", FieldState: "status", FieldPublicIP: "publicIpAddress",
			FieldPrivateIP: "privateIpAddresses.0", FieldRegion: "region.regionId", FieldSize: "providerProductId",
			FieldImage: "machineImage.machineImageId", FieldCreated: "startDate",
		},
		States: map[string]string{
			"RUNNING": StateRunning, "PAUSED": StateStopped, "STOPPED": StateStopped, "PENDING": StatePending,
			"TERMINATED": StateTerminated, "ERROR": StateError,
		},
	}},
	KindMachineImage: {{Kind: "machine_image", Pages: perRegion, Fields: map[string]string{
		FieldID: "machineImageId", FieldName: "name", FieldPlatform: "platform", FieldState: "status", FieldCreated: "creationTimestamp",
	}}},
	KindVolume: {{Kind: "volume", Fields: map[string]string{
		FieldID: "volumeId", FieldName: "name", FieldSizeGB: "sizeInGb", FieldState: "status", FieldCreated: "creationTimestamp",
	}}},
	KindSize: {{Kind: "server_product", Pages: perRegion, Fields: map[string]string{
		FieldID: "productId", FieldName: "name", FieldMemoryMB: "ramInMb", FieldCPUs: "cpuCount", FieldDiskGB: "diskSizeInGb",
	}}},
	KindFirewall: {{Kind: "firewall", Pages: perRegion, Fields: map[string]string{
		FieldID: "firewallId", FieldName: "name", FieldState: "status",
	}}},
	KindAccount: {{Kind: "account", Fields: map[string]string{FieldID: "accountId", FieldName: "name", FieldState: "status"}}},
	KindUser: {{Kind: "user", Fields: map[string]string{
		FieldID: "userId", FieldName: "alphaName", FieldEmail: "email", FieldState: "status",
	}}},
	KindJob: {{
		Kind:   "job",
		Fields: map[string]string{FieldID: "jobId", FieldName: "description", FieldState: "status", FieldCreated: "startDate", FieldMessage: "message"},
		States: map[string]string{"RUNNING": StatePending, "COMPLETE": StateComplete, "ERROR": StateError},
	}},
}

// perRegion lists a kind whose listing needs regionId, region by region.
var perRegion = eachParent("region", func(c *stratus.Client, k *stratus.Kind, id string) stratus.Collection[stratus.Object] {
	return stratus.NewCollection(c, k, k.New).Filter("regionId", id)
})
