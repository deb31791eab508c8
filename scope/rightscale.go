package scope

import (
	"context"
	"iter"

	"github.com/stratus-cloud/stratus"
)

func init() { Register("rightscale", rightscaleTable) }

// rsHref is where a RightScale object keeps its identity, its self link.
const rsHref = `links.#(rel=="self").href`

// rsInstanceStates maps instance and server states to the neutral ones.
var rsInstanceStates = map[string]string{
	"operational": StateRunning, "pending": StatePending, "booting": StatePending, "queued": StatePending,
	"provisioned": StatePending, "stopping": StatePending, "stopped": StateStopped, "inactive": StateStopped,
	"decommissioning": StatePending, "terminating": StatePending, "terminated": StateTerminated,
	"stranded": StateError, "stranded in booting": StateError, "failed": StateError,
}

// rightscaleTable: clouds and their datacenters are the geography (a
// RightScale cloud is a region of a provider: "EC2 us-east-1"); instances
// and servers are servers; images machine images; security groups and IP
// addresses the network; the account, users and tasks the admin scope.
// Datacenters, instances, images, security groups and IP addresses live
// under their cloud: they are listed cloud by cloud through the cloud's
// links. Tasks cannot be listed (each is reached from the Location of the
// call that started it).
var rightscaleTable = Table{
	KindCloud: {{Kind: "cloud", Fields: map[string]string{
		FieldID: rsHref, FieldName: "name", FieldCloud: "cloud_type",
	}}},
	KindRegion: {{Kind: "cloud", Fields: map[string]string{FieldID: rsHref, FieldName: "name"}}},
	KindDataCenter: {{Kind: "datacenter", Pages: perCloud("datacenters"), Fields: map[string]string{
		FieldID: rsHref, FieldName: "name", FieldRegionID: `links.#(rel=="cloud").href`,
	}}},
	KindServer: {
		{Kind: "instance", Pages: perCloud("instances"), States: rsInstanceStates, Fields: map[string]string{
			FieldID: rsHref, FieldName: "name", FieldState: "state", FieldPublicIP: "public_ip_addresses.0",
			FieldPrivateIP: "private_ip_addresses.0", FieldRegion: `links.#(rel=="cloud").href`,
			FieldSize: `links.#(rel=="instance_type").href`, FieldImage: `links.#(rel=="image").href`,
			FieldPlatform: "os_platform", FieldCreated: "created_at",
		}},
		{Kind: "server", States: rsInstanceStates, Fields: map[string]string{
			FieldID: rsHref, FieldName: "name", FieldState: "state", FieldCreated: "created_at",
		}},
	},
	KindMachineImage: {{Kind: "image", Pages: perCloud("images"), Fields: map[string]string{
		FieldID: rsHref, FieldName: "name", FieldPlatform: "os_platform",
	}}},
	KindSize: {{Kind: "instance_type", Pages: perCloud("instance_types"), Fields: map[string]string{
		FieldID: rsHref, FieldName: "name", FieldCPUs: "cpu_count",
	}}},
	KindFirewall: {{Kind: "security_group", Pages: perCloud("security_groups"), Fields: map[string]string{
		FieldID: rsHref, FieldName: "name",
	}}},
	KindIPAddress: {{Kind: "ip_address", Pages: perCloud("ip_addresses"), Fields: map[string]string{
		FieldID: rsHref, FieldName: "name", FieldAddress: "address",
	}}},
	KindAccount: {{Kind: "account", Pages: rsAccounts, Fields: map[string]string{
		FieldID: rsHref, FieldName: "name", FieldCreated: "created_at",
	}}},
	KindUser: {{Kind: "user", Fields: map[string]string{
		FieldID: rsHref, FieldName: "login_name", FieldEmail: "email", FieldCreated: "created_at",
	}}},
	KindJob: {{Kind: "task", Pages: noList, Fields: map[string]string{
		FieldID: rsHref, FieldName: "summary", FieldState: "summary", FieldMessage: "detail",
	}}},
}

// perCloud lists a kind that lives under each cloud, through the cloud's
// link rel, page by page.
func perCloud(rel string) func(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[[]stratus.Object, error] {
	return func(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[[]stratus.Object, error] {
		return func(yield func([]stratus.Object, error) bool) {
			ck, ok := c.Provider().Kind("cloud")
			if !ok {
				yield(nil, unsupported(c.Provider().Name, "cloud"))
				return
			}
			var hrefs []string
			for cl, err := range stratus.NewCollection(c, ck, ck.New).All(ctx) {
				if err != nil {
					yield(nil, err)
					return
				}
				if h := cl.Handle().Peek(`links.#(rel==` + gjsonQuote(rel) + `).href`).String(); h != "" {
					hrefs = append(hrefs, h)
				}
			}
			for _, h := range hrefs {
				for objs, err := range pagesOf(ctx, stratus.NewCollection(c, k, k.New).At(h)) {
					if !yield(objs, err) || err != nil {
						return
					}
				}
			}
		}
	}
}

// rsAccounts lists the accounts of the session.
func rsAccounts(ctx context.Context, c *stratus.Client, k *stratus.Kind) iter.Seq2[[]stratus.Object, error] {
	return pagesOf(ctx, stratus.NewCollection(c, k, k.New).At("/api/sessions/accounts"))
}

// noList yields nothing: the kind cannot be listed.
func noList(context.Context, *stratus.Client, *stratus.Kind) iter.Seq2[[]stratus.Object, error] {
	return func(func([]stratus.Object, error) bool) {}
}

func gjsonQuote(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}
