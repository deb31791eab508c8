package enstratus

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// FirewallHandle is a lazy firewall (a security group).
type FirewallHandle struct{ handle }

var _ stratus.Object = (*FirewallHandle)(nil)

// Firewall returns a handle for firewall id. No request is sent.
func Firewall(c *stratus.Client, id int) *FirewallHandle {
	return wrapFirewall(stratus.NewResource(c, firewallKind, strconv.Itoa(id)))
}

func wrapFirewall(r *stratus.Resource) *FirewallHandle { return &FirewallHandle{newHandle(r)} }

// FirewallList is the list of the firewalls of a region.
type FirewallList struct {
	List[*FirewallHandle, FirewallList]
}

func firewallList(l List[*FirewallHandle, FirewallList]) FirewallList { return FirewallList{l} }

// Firewalls lists firewalls, in detail none as mixcoatl asked for them.
// The API needs a region: set it with InRegion, or the list is refused
// before any request.
func Firewalls(c *stratus.Client) FirewallList {
	return newList(c, firewallKind, wrapFirewall, firewallList)
}

// InRegion lists the firewalls of a region (regionId, required).
func (l FirewallList) InRegion(regionID int) FirewallList {
	return l.filter("regionId", positive(regionID))
}

// ID returns the firewall id (no load needed).
func (h *FirewallHandle) ID() int { return h.IntID() }

// Name returns the firewall's name.
func (h *FirewallHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *FirewallHandle) Description() string { return h.GetString("description") }

// ProviderID returns the cloud's id ("sg-28891318").
func (h *FirewallHandle) ProviderID() string { return h.GetString("providerId") }

// Status returns the firewall's status.
func (h *FirewallHandle) Status() string { return h.GetString("status") }

// Removable reports whether it may be removed.
func (h *FirewallHandle) Removable() bool { return h.GetBool("removable") }

// Label returns the label.
func (h *FirewallHandle) Label() string { return h.GetString("label") }

// BudgetID returns the billing code id.
func (h *FirewallHandle) BudgetID() int { return h.GetInt("budget") }

// CloudID returns the id of its cloud.
func (h *FirewallHandle) CloudID() int { return h.refID("cloud", "cloudId") }

// RegionID returns the id of its region.
func (h *FirewallHandle) RegionID() int { return h.refID("region", "regionId") }

// OwningAccountID returns the id of the account that owns it.
func (h *FirewallHandle) OwningAccountID() int { return h.refID("owningAccount", "accountId") }

// OwningUserID returns the id of the user who owns it.
func (h *FirewallHandle) OwningUserID() int { return h.refID("owningUser", "userId") }

// Region returns its region, without loading it.
func (h *FirewallHandle) Region() *RegionHandle {
	return wrapRef(h.ref("region", regionKind), wrapRegion)
}

// Rules lists the firewall's rules.
func (h *FirewallHandle) Rules() FirewallRuleList {
	return FirewallRules(h.Client()).ForFirewall(h.ID())
}

// AddRule adds a rule to the firewall; spec.FirewallID is set to it.
func (h *FirewallHandle) AddRule(ctx context.Context, spec RuleSpec) (*FirewallRuleHandle, error) {
	spec.FirewallID = h.ID()
	return CreateFirewallRule(ctx, h.Client(), spec)
}

// FirewallRuleHandle is a lazy firewall rule.
type FirewallRuleHandle struct{ handle }

var _ stratus.Object = (*FirewallRuleHandle)(nil)

// FirewallRule returns a handle for rule id. No request is sent.
func FirewallRule(c *stratus.Client, id int) *FirewallRuleHandle {
	return wrapFirewallRule(stratus.NewResource(c, firewallRuleKind, strconv.Itoa(id)))
}

func wrapFirewallRule(r *stratus.Resource) *FirewallRuleHandle {
	return &FirewallRuleHandle{newHandle(r)}
}

// FirewallRuleList is the list of firewall rules.
type FirewallRuleList struct {
	List[*FirewallRuleHandle, FirewallRuleList]
}

func firewallRuleList(l List[*FirewallRuleHandle, FirewallRuleList]) FirewallRuleList {
	return FirewallRuleList{l}
}

// FirewallRules lists firewall rules, in detail none as mixcoatl asked for
// them.
func FirewallRules(c *stratus.Client) FirewallRuleList {
	return newList(c, firewallRuleKind, wrapFirewallRule, firewallRuleList)
}

// ForFirewall keeps the rules of one firewall (firewallId).
func (l FirewallRuleList) ForFirewall(firewallID int) FirewallRuleList {
	return l.filter("firewallId", positive(firewallID))
}

// ID returns the rule id (no load needed).
func (h *FirewallRuleHandle) ID() int { return h.IntID() }

// Direction returns INGRESS or EGRESS.
func (h *FirewallRuleHandle) Direction() string { return h.GetString("direction") }

// NetworkAddress returns the CIDR block the rule applies to.
func (h *FirewallRuleHandle) NetworkAddress() string { return h.GetString("networkAddress") }

// Protocol returns TCP, UDP or ICMP.
func (h *FirewallRuleHandle) Protocol() string { return h.GetString("protocol") }

// StartPort returns the first port (-1 for ICMP).
func (h *FirewallRuleHandle) StartPort() int { return h.GetInt("startPort") }

// EndPort returns the last port (-1 for ICMP).
func (h *FirewallRuleHandle) EndPort() int { return h.GetInt("endPort") }

// FirewallID returns the id of the rule's firewall.
func (h *FirewallRuleHandle) FirewallID() int { return h.refID("firewall", "firewallId") }

// Firewall returns the rule's firewall, without loading it.
func (h *FirewallRuleHandle) Firewall() *FirewallHandle {
	return wrapRef(h.ref("firewall", firewallKind), wrapFirewall)
}

// Delete removes the rule: DELETE network/FirewallRule/<id>?reason=...
// The API wants a reason; an empty one is refused before sending.
func (h *FirewallRuleHandle) Delete(ctx context.Context, reason string) error {
	op := "DELETE " + h.Path()
	if strings.TrimSpace(reason) == "" {
		return stratus.Invalid(h.Client(), op, "a reason is required to remove a firewall rule")
	}
	resp, err := h.Client().Send(ctx, &transport.Request{Method: http.MethodDelete, Path: h.Path(), Query: url.Values{"reason": {reason}}})
	h.record(status(resp), 0, err)
	return err
}

// RuleSpec is a new firewall rule.
type RuleSpec struct {
	FirewallID     int
	Direction      string // INGRESS (default) or EGRESS
	NetworkAddress string // a CIDR block: "0.0.0.0/0"
	Protocol       string // TCP, UDP or ICMP
	StartPort      int    // TCP and UDP: 0-65535
	EndPort        int    // TCP and UDP: StartPort-65535; 0 means StartPort
}

// CreateFirewallRule adds a rule: POST network/FirewallRule with
// {"addRule":[{...}]}. The spec is checked before sending (a firewall, a
// direction, a CIDR block, a protocol, a port range for TCP and UDP). The
// answer (201) fills the returned handle.
func CreateFirewallRule(ctx context.Context, c *stratus.Client, spec RuleSpec) (*FirewallRuleHandle, error) {
	const op = "POST network/FirewallRule"
	rule, err := spec.body(c, op)
	if err != nil {
		return nil, err
	}
	res, err := c.DoJSON(ctx, http.MethodPost, firewallRuleKind.ListPath, nil, map[string]any{"addRule": []any{rule}})
	if err != nil {
		return nil, err
	}
	obj := res.Get(firewallRuleKind.ItemKey)
	if !obj.IsObject() {
		return nil, &stratus.Error{Provider: Name, Op: op, Message: "answer lacks the new rule", Kind: stratus.ErrMalformed}
	}
	h := wrapFirewallRule(stratus.Hydrate(c, firewallRuleKind, obj, false))
	h.record(http.StatusCreated, 0, nil)
	return h, nil
}

func (s RuleSpec) body(c *stratus.Client, op string) (map[string]any, error) {
	var missing []string
	if s.FirewallID <= 0 {
		missing = append(missing, "FirewallID")
	}
	if s.NetworkAddress == "" {
		missing = append(missing, "NetworkAddress")
	}
	if s.Protocol == "" {
		missing = append(missing, "Protocol")
	}
	if len(missing) > 0 {
		return nil, stratus.Invalid(c, op, "missing %s", strings.Join(missing, ", "))
	}
	dir := strings.ToUpper(strings.TrimSpace(s.Direction))
	if dir == "" {
		dir = "INGRESS"
	}
	if dir != "INGRESS" && dir != "EGRESS" {
		return nil, stratus.Invalid(c, op, "Direction must be INGRESS or EGRESS, not %q", s.Direction)
	}
	if _, err := netip.ParsePrefix(strings.TrimSpace(s.NetworkAddress)); err != nil {
		return nil, stratus.Invalid(c, op, "NetworkAddress %q is not a CIDR block such as 0.0.0.0/0", s.NetworkAddress)
	}
	proto := strings.ToUpper(strings.TrimSpace(s.Protocol))
	rule := map[string]any{
		"firewallId": s.FirewallID, "direction": dir,
		"networkAddress": strings.TrimSpace(s.NetworkAddress), "protocol": proto,
	}
	switch proto {
	case "TCP", "UDP":
		end := s.EndPort
		if end == 0 {
			end = s.StartPort
		}
		if s.StartPort < 0 || end > 65535 || s.StartPort > end {
			return nil, stratus.Invalid(c, op, "bad port range %d-%d", s.StartPort, end)
		}
		rule["startPort"], rule["endPort"] = s.StartPort, end
	case "ICMP":
	default:
		return nil, stratus.Invalid(c, op, "Protocol must be TCP, UDP or ICMP, not %q", s.Protocol)
	}
	return rule, nil
}

// LoadBalancerHandle is a lazy load balancer.
type LoadBalancerHandle struct{ handle }

var _ stratus.Object = (*LoadBalancerHandle)(nil)

// LoadBalancer returns a handle for load balancer id. No request is sent.
func LoadBalancer(c *stratus.Client, id int) *LoadBalancerHandle {
	return wrapLoadBalancer(stratus.NewResource(c, loadBalancerKind, strconv.Itoa(id)))
}

func wrapLoadBalancer(r *stratus.Resource) *LoadBalancerHandle {
	return &LoadBalancerHandle{newHandle(r)}
}

// LoadBalancerList is the list of load balancers.
type LoadBalancerList struct {
	List[*LoadBalancerHandle, LoadBalancerList]
}

func loadBalancerList(l List[*LoadBalancerHandle, LoadBalancerList]) LoadBalancerList {
	return LoadBalancerList{l}
}

// LoadBalancers lists the load balancers, in basic detail.
func LoadBalancers(c *stratus.Client) LoadBalancerList {
	return newList(c, loadBalancerKind, wrapLoadBalancer, loadBalancerList)
}

// ID returns the load balancer id (no load needed).
func (h *LoadBalancerHandle) ID() int { return h.IntID() }

// Name returns its name.
func (h *LoadBalancerHandle) Name() string { return h.GetString("name") }

// Description returns the description.
func (h *LoadBalancerHandle) Description() string { return h.GetString("description") }

// Address returns its DNS name.
func (h *LoadBalancerHandle) Address() string { return h.GetString("address") }

// ProviderID returns the cloud's id.
func (h *LoadBalancerHandle) ProviderID() string { return h.GetString("providerId") }

// Status returns its status.
func (h *LoadBalancerHandle) Status() string { return h.GetString("status") }

// CnameBased reports whether it is addressed by a CNAME.
func (h *LoadBalancerHandle) CnameBased() bool { return h.GetBool("cnameBased") }

// BudgetID returns the billing code id.
func (h *LoadBalancerHandle) BudgetID() int { return h.GetInt("budget") }

// CloudID returns the id of its cloud.
func (h *LoadBalancerHandle) CloudID() int { return h.refID("cloud", "cloudId") }

// RegionID returns the id of its region.
func (h *LoadBalancerHandle) RegionID() int { return h.refID("region", "regionId") }

// OwningAccountID returns the id of the account that owns it.
func (h *LoadBalancerHandle) OwningAccountID() int { return h.refID("owningAccount", "accountId") }

// OwningUserID returns the id of the user who owns it.
func (h *LoadBalancerHandle) OwningUserID() int { return h.refID("owningUser", "userId") }

// OwningGroupIDs returns the ids of the groups that own it.
func (h *LoadBalancerHandle) OwningGroupIDs() []int { return h.refIDs("owningGroups", "groupId") }

// status is the status of an answer, 0 when none arrived.
func status(resp *transport.Response) int {
	if resp == nil {
		return 0
	}
	return resp.Status
}

// parseBody reads a write's answer: empty (204) or JSON.
func parseBody(op string, resp *transport.Response) (gjson.Result, error) {
	if resp == nil || len(resp.Body) == 0 {
		return gjson.Result{}, nil
	}
	if !transport.ValidJSON(resp.Body) {
		return gjson.Result{}, &stratus.Error{Provider: Name, Op: op, Status: resp.Status, Message: "answer is not valid JSON", Kind: stratus.ErrMalformed}
	}
	return gjson.ParseBytes(resp.Body), nil
}
