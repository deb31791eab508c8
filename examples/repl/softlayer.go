package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/stratus-cloud/stratus"
	sl "github.com/stratus-cloud/stratus/models/softlayer"
)

func init() { extensions[sl.Name] = softlayerExtension() }

// softlayerExtension is the REPL's table for SoftLayer: the guests' and
// servers' power actions (done at once: SoftLayer answers true), the
// provisioning waiter of guests ("wait virtual_guest ID"), list columns
// and the records under their zone (ls dns_records zone=12345).
func softlayerExtension() *extension {
	e := &extension{
		waiters: map[string]waiter{
			"virtual_guest": {states: []string{"ready"}, wait: waitSLGuest},
		},
		columns: map[string][]column{
			"virtual_guest":   {{"hostname", "hostname"}, {"domain", "domain"}, {"cpus", "maxCpu"}, {"memory_mb", "maxMemory"}, {"ip", "primaryIpAddress"}},
			"hardware":        {{"hostname", "hostname"}, {"cores", "processorPhysicalCoreAmount"}, {"memory_gb", "memoryCapacity"}, {"ip", "primaryIpAddress"}},
			"dns_zone":        {{"name", "name"}, {"serial", "serial"}, {"records", "resourceRecordCount"}},
			"dns_record":      {{"host", "host"}, {"type", "type"}, {"data", "data"}, {"ttl", "ttl"}},
			"datacenter":      {{"name", "name"}, {"long_name", "longName"}},
			"product_package": {{"key_name", "keyName"}, {"name", "name"}},
		},
		routes: map[string]route{
			"dns_record": {list: "/SoftLayer_Dns_Domain/{zone}/getResourceRecords.json", item: "/SoftLayer_Dns_Domain_ResourceRecord/{id}/getObject.json"},
		},
	}
	guest := func(name, help string, f func(*sl.GuestHandle, context.Context) error) actionSpec {
		return actionSpec{name: name, kind: "virtual_guest", help: help, run: func(ctx context.Context, c *stratus.Client, id string, _ []string) ([]started, error) {
			n, err := strconv.Atoi(id)
			if err != nil {
				return nil, fmt.Errorf("%s: a guest id is a number, not %q", name, id)
			}
			g := sl.Guest(c, n)
			if err := f(g, ctx); err != nil {
				return nil, err
			}
			st, err := g.PowerState(ctx)
			if err != nil {
				return nil, fmt.Errorf("%s was sent, but reading the power state back failed: %w", name, err)
			}
			return []started{{id: "-", typ: name, status: st, kind: "virtual_guest", target: id}}, nil
		}}
	}
	hw := func(name, help string, f func(*sl.HardwareHandle, context.Context) error) actionSpec {
		return actionSpec{name: name, kind: "hardware", help: help, run: func(ctx context.Context, c *stratus.Client, id string, _ []string) ([]started, error) {
			n, err := strconv.Atoi(id)
			if err != nil {
				return nil, fmt.Errorf("%s: a server id is a number, not %q", name, id)
			}
			if err := f(sl.Hardware(c, n), ctx); err != nil {
				return nil, err
			}
			return []started{{id: "-", typ: name, status: "done", kind: "hardware", target: id}}, nil
		}}
	}
	e.actions = []actionSpec{
		guest("power_off", "turn the guest off", (*sl.GuestHandle).PowerOff),
		guest("power_off_soft", "shut the guest's system down", (*sl.GuestHandle).PowerOffSoft),
		guest("power_on", "turn the guest on", (*sl.GuestHandle).PowerOn),
		guest("reboot_soft", "reboot through the guest's system", (*sl.GuestHandle).RebootSoft),
		guest("reboot_hard", "power-cycle the guest", (*sl.GuestHandle).RebootHard),
		hw("power_off", "turn the server off", (*sl.HardwareHandle).PowerOff),
		hw("power_on", "turn the server on", (*sl.HardwareHandle).PowerOn),
		hw("power_cycle", "turn the server off and on", (*sl.HardwareHandle).PowerCycle),
	}
	return e
}

// waitSLGuest is "wait virtual_guest ID": until no transaction is active
// and the guest has a provision date.
func waitSLGuest(ctx context.Context, c *stratus.Client, id, _ string, o stratus.WaitOptions) (string, error) {
	n, err := strconv.Atoi(id)
	if err != nil {
		return "", fmt.Errorf("wait: a guest id is a number, not %q", id)
	}
	g := sl.Guest(c, n)
	err = g.WaitReady(ctx, o)
	if g.Ready() {
		return "ready", err
	}
	return g.ActiveTransaction(), err
}
