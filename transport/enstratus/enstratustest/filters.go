package enstratustest

import (
	"strconv"
	"strings"
)

// filters are the list parameters each kind honours.
func (s *Server) filters() map[string]filterFunc {
	return map[string]filterFunc{
		kCloud:         filterClouds,
		kRegion:        filterRegions,
		kDataCenter:    byRegion(true),
		kMachineImage:  byRegion(true),
		kFirewall:      byRegion(true),
		kServer:        byRegion(false),
		kServerProduct: filterProducts,
		kFirewallRule:  filterRules,
		kAccount:       filterAccounts,
	}
}

// intParam reads an integer query parameter. present is false when it is
// absent; ok is false after answering 400.
func (c *call) intParam(name string, required bool) (id string, present, ok bool) {
	v := c.query(name)
	if v == "" {
		if required {
			c.badRequest("Missing required parameter: " + name)
			return "", false, false
		}
		return "", false, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		c.badRequest("Invalid " + name + ": " + v + " (expected an integer)")
		return "", false, false
	}
	return strconv.FormatInt(n, 10), true, true
}

// boolParam reads a true/false query parameter.
func (c *call) boolParam(name string) (val, present, ok bool) {
	v := c.query(name)
	if v == "" {
		return false, false, true
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		c.badRequest("Invalid " + name + ": " + v + " (expected true or false)")
		return false, false, false
	}
	return b, true, true
}

func all(*object) bool { return true }

// filterClouds: publicOnly=true keeps the public clouds; status keeps one
// status (any case).
func filterClouds(_ *Server, c *call) (func(*object) bool, bool) {
	publicOnly, _, ok := c.boolParam("publicOnly")
	if !ok {
		return nil, false
	}
	status := c.query("status")
	return func(o *object) bool {
		if publicOnly && o.get("privateCloud").Bool() {
			return false
		}
		return status == "" || strings.EqualFold(o.str("status"), status)
	}, true
}

// filterRegions: jurisdiction (any case). accountId and scope are accepted
// and ignored: the simulator has one account, which sees every region.
func filterRegions(_ *Server, c *call) (func(*object) bool, bool) {
	j := c.query("jurisdiction")
	if j == "" {
		return all, true
	}
	return func(o *object) bool { return strings.EqualFold(o.str("jurisdiction"), j) }, true
}

// byRegion filters on the region reference; required makes regionId
// mandatory (400 without it).
func byRegion(required bool) filterFunc {
	return func(_ *Server, c *call) (func(*object) bool, bool) {
		id, present, ok := c.intParam("regionId", required)
		if !ok {
			return nil, false
		}
		if !present {
			return all, true
		}
		return func(o *object) bool { return o.ref("region") == id }, true
	}
}

// filterProducts: regionId is required; products name their region by its
// provider id (providerRegionId: "us-west-2").
func filterProducts(s *Server, c *call) (func(*object) bool, bool) {
	id, _, ok := c.intParam("regionId", true)
	if !ok {
		return nil, false
	}
	region := s.kind(kRegion).byID[id]
	if region == nil {
		return func(*object) bool { return false }, true
	}
	prov := region.str("providerId")
	return func(o *object) bool { return o.str("providerRegionId") == prov }, true
}

// filterRules: firewallId, optional.
func filterRules(_ *Server, c *call) (func(*object) bool, bool) {
	id, present, ok := c.intParam("firewallId", false)
	if !ok {
		return nil, false
	}
	if !present {
		return all, true
	}
	return func(o *object) bool { return o.ref("firewall") == id }, true
}

// filterAccounts: cloudId, optional, matched against the account's cloud
// subscription.
func filterAccounts(_ *Server, c *call) (func(*object) bool, bool) {
	id, present, ok := c.intParam("cloudId", false)
	if !ok {
		return nil, false
	}
	if !present {
		return all, true
	}
	return func(o *object) bool { return idString(o.get("cloudSubscriptionId").Get("cloudId")) == id }, true
}

// reason reads the reason query parameter that deletions require.
func (c *call) reason(what string) (string, bool) {
	r := c.query("reason")
	if r == "" {
		c.badRequest("A reason is required to " + what)
		return "", false
	}
	return r, true
}
