package scope

import (
	"context"
	"iter"

	"github.com/stratus-cloud/stratus"
)

func init() { Register("softlayer", softlayerTable) }

// softlayerTable: guests (CCIs) and bare-metal hardware are both
// servers; datacenters are data centers; zones and their records are DNS;
// the account is the API user's own. Guests and hardware are listed with
// the relational properties the neutral fields read (datacenter, power
// state, status), so that a neutral listing sends no request per item.
var softlayerTable = Table{
	KindDataCenter: {{Kind: "datacenter", Fields: map[string]string{FieldID: "id", FieldName: "name", FieldRegion: "longName"}}},
	KindServer: {
		{
			Kind:  "virtual_guest",
			Pages: softlayerMasked("mask[datacenter,status,powerState]"),
			Fields: map[string]string{
				FieldID: "id", FieldName: "hostname", FieldState: "powerState.keyName", FieldPublicIP: "primaryIpAddress",
				FieldPrivateIP: "primaryBackendIpAddress", FieldRegion: "datacenter.name", FieldMemoryMB: "maxMemory",
				FieldCPUs: "maxCpu", FieldImage: "operatingSystemReferenceCode", FieldCreated: "createDate",
			},
			States: map[string]string{"RUNNING": StateRunning, "HALTED": StateStopped, "PAUSED": StateStopped},
		},
		{
			Kind:  "hardware",
			Pages: softlayerMasked("mask[datacenter,hardwareStatus]"),
			Fields: map[string]string{
				FieldID: "id", FieldName: "hostname", FieldState: "hardwareStatus.status", FieldPublicIP: "primaryIpAddress",
				FieldPrivateIP: "primaryBackendIpAddress", FieldRegion: "datacenter.name", FieldCPUs: "processorPhysicalCoreAmount",
				FieldCreated: "provisionDate",
			},
			States: map[string]string{"ACTIVE": StateRunning, "DEPLOY": StatePending, "DEPLOY2": StatePending, "RECLAIM": StateTerminated},
		},
	},
	KindDNSZone: {{Kind: "dns_zone", Fields: map[string]string{FieldID: "id", FieldName: "name", FieldCreated: "updateDate"}}},
	KindDNSRecord: {{
		Kind:   "dns_record",
		Fields: map[string]string{FieldID: "id", FieldName: "host", FieldType: "type", FieldTarget: "data", FieldTTL: "ttl"},
	}},
	KindAccount: {{Kind: "account", Single: true, Fields: map[string]string{
		FieldID: "id", FieldName: "companyName", FieldEmail: "email", FieldState: "accountStatusId", FieldCreated: "createDate",
	}}},
}

// softlayerMasked lists a kind with an object mask: its items are whole
// for the fields the mask brings.
func softlayerMasked(mask string) func(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[[]stratus.Object, error] {
	return func(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[[]stratus.Object, error] {
		return pagesOf(ctx, stratus.NewCollection(c, k, k.New).Filter("objectMask", mask).PartialItems(false))
	}
}
