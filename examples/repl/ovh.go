package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	wire "github.com/stratus-cloud/stratus/transport/ovh"
)

// ovhName is the provider's registry name, the key of its table.
const ovhName = wire.Name

func init() { addExtension(ovhName, ovhExtension()) }

// ovhExtension is the REPL's table for OVH: the burst of dedicated servers,
// the power of cloud instances and the refresh of DNS zones (do), the
// instance waiter (wait), list columns, and the paths of the kinds that
// live under another object: instances under their project, records under
// their zone.
//
// OVH's calls answer nothing to wait for: each action reports the request
// id of its call (X-Ovh-Queryid, what OVH support asks for) and the state
// read back just after it.
func ovhExtension() *extension {
	publicIPv4 := `ipAddresses.#(type=="public")#|#(version==4).ip`
	e := &extension{
		waiters: map[string]waiter{
			"cloud_instance": {states: []string{ovh.InstanceActive, ovh.InstanceShutoff}, wait: waitInstance, many: waitInstances},
		},
		// The id column comes first (a server's or a zone's name, a
		// bill's or a record's id), then these.
		columns: map[string][]column{
			"dedicated_server": {{"datacenter", "datacenter"}, {"ip", "ip"}, {"state", "state"}, {"os", "os"}},
			"bill":             {{"date", "date"}, {"price_with_tax", "priceWithTax.text"}, {"category", "category"}},
			"cloud_project":    {{"name", "projectName"}, {"status", "status"}, {"description", "description"}},
			"cloud_instance":   {{"name", "name"}, {"status", "status"}, {"region", "region"}, {"public_ipv4", publicIPv4}},
			"dns_record":       {{"type", "fieldType"}, {"subdomain", "subDomain"}, {"target", "target"}, {"ttl", "ttl"}},
			"domain":           {{"state", "state"}, {"name_servers", "nameServerType"}, {"transfer_lock", "transferLockStatus"}, {"offer", "offer"}},
			"dns_zone":         {{"name_servers", "nameServers"}, {"anycast", "hasDnsAnycast"}, {"dnssec", "dnssecSupported"}, {"last_update", "lastUpdate"}},
		},
	}
	e.actions = []actionSpec{
		{name: "burst", kind: "dedicated_server", args: "on|off", help: "turn the bandwidth burst on or off",
			minArgs: 1, maxArgs: 1, run: setBurst},
		instanceAction("start", "[project=PROJECT]", "power the instance on", 0, nil,
			func(ctx context.Context, in *ovh.InstanceHandle, _ []string) error { return in.Start(ctx) }),
		instanceAction("stop", "[project=PROJECT]", "power the instance off", 0, nil,
			func(ctx context.Context, in *ovh.InstanceHandle, _ []string) error { return in.Stop(ctx) }),
		instanceAction("reboot", "[hard] [project=PROJECT]", "restart the instance: soft asks the OS, hard resets it", 1,
			func(args []string) error {
				if len(args) > 0 && args[0] != "hard" && args[0] != "soft" {
					return fmt.Errorf("reboot: the argument can only be \"hard\" or \"soft\", got %q", args[0])
				}
				return nil
			},
			func(ctx context.Context, in *ovh.InstanceHandle, args []string) error {
				return in.Reboot(ctx, len(args) > 0 && args[0] == "hard")
			}),
		{name: "refresh", kind: "dns_zone", help: "publish the zone's record changes", run: refreshZone},
	}
	return e
}

// queryID is the id OVH gave the client's last call.
func queryID(c *stratus.Client) string {
	if last := c.LastResponse(); last != nil && last.RequestID != "" {
		return last.RequestID
	}
	return "-"
}

// setBurst is "do burst dedicated_server NAME on|off".
func setBurst(ctx context.Context, c *stratus.Client, name string, args []string) ([]started, error) {
	var status string
	switch strings.ToLower(args[0]) {
	case "on", ovh.BurstActive:
		status = ovh.BurstActive
	case "off", ovh.BurstInactive:
		status = ovh.BurstInactive
	default:
		return nil, fmt.Errorf("burst: say on or off, not %q", args[0])
	}
	d := ovh.DedicatedServer(c, name)
	if err := d.SetBurst(ctx, status); err != nil {
		return nil, err
	}
	id := queryID(c)
	b, err := d.Burst(ctx)
	if err != nil {
		return nil, fmt.Errorf("the burst was set, but reading it back failed: %w", err)
	}
	return []started{{id: id, typ: "burst=" + status, status: b.Status, kind: "dedicated_server", target: name}}, nil
}

// refreshZone is "do refresh dns_zone NAME".
func refreshZone(ctx context.Context, c *stratus.Client, name string, _ []string) ([]started, error) {
	if err := ovh.Zone(c, name).Refresh(ctx); err != nil {
		return nil, err
	}
	return []started{{id: queryID(c), typ: "refresh", status: "done", kind: "dns_zone", target: name}}, nil
}

// instanceAction makes an action on a cloud instance. Its id may be
// PROJECT/ID, or come with project=PROJECT, or alone: then the instance is
// looked for in every project. maxPlain counts the arguments other than
// project=; check (optional) vets them before any request.
func instanceAction(name, usage, help string, maxPlain int, check func([]string) error,
	f func(context.Context, *ovh.InstanceHandle, []string) error) actionSpec {
	return actionSpec{name: name, kind: "cloud_instance", args: usage, help: help, maxArgs: maxPlain + 1,
		run: func(ctx context.Context, c *stratus.Client, id string, args []string) ([]started, error) {
			var project string
			var plain []string
			for _, a := range args {
				if v, ok := strings.CutPrefix(a, "project="); ok {
					project = v
					continue
				}
				plain = append(plain, a)
			}
			if len(plain) > maxPlain {
				return nil, fmt.Errorf("usage: do %s cloud_instance ID %s", name, usage)
			}
			if check != nil {
				if err := check(plain); err != nil {
					return nil, err
				}
			}
			in, err := findInstance(ctx, c, id, project)
			if err != nil {
				return nil, err
			}
			if err := f(ctx, in, plain); err != nil {
				return nil, err
			}
			qid := queryID(c)
			if err := in.Reload(ctx); err != nil {
				return nil, fmt.Errorf("%s was sent, but reading the instance back failed: %w", name, err)
			}
			typ := name
			if name == "reboot" {
				typ = "reboot soft"
				if len(plain) > 0 && plain[0] == "hard" {
					typ = "reboot hard"
				}
			}
			return []started{{id: qid, typ: typ, status: in.Status(), kind: "cloud_instance", target: in.ID()}}, nil
		}}
}

// findInstance returns a loaded instance: id is INSTANCE (with project)
// or PROJECT/INSTANCE; without a project every project is tried in turn.
func findInstance(ctx context.Context, c *stratus.Client, id, project string) (*ovh.InstanceHandle, error) {
	if project == "" {
		if p, i, ok := strings.Cut(id, "/"); ok {
			project, id = p, i
		}
	}
	if id == "" {
		return nil, errors.New("a cloud instance id is required (ls cloud_instances project=PROJECT lists them)")
	}
	if project != "" {
		in := ovh.Instance(c, project, id)
		return in, in.Reload(ctx)
	}
	for p, err := range ovh.Projects(c).All(ctx) {
		if err != nil {
			return nil, err
		}
		in := ovh.Instance(c, p.ID(), id)
		err := in.Reload(ctx)
		if err == nil {
			return in, nil
		}
		if !errors.Is(err, stratus.ErrNotFound) {
			return nil, err
		}
	}
	return nil, &stratus.Error{Provider: ovh.Provider.Name, Op: "find cloud_instance",
		Message: fmt.Sprintf("no project has instance %q", id), Kind: stratus.ErrNotFound}
}

// waitInstance is "wait cloud_instance ID [ACTIVE|SHUTOFF]" with the
// model's waiter; ID may be PROJECT/ID.
func waitInstance(ctx context.Context, c *stratus.Client, id, state string, o stratus.WaitOptions) (string, error) {
	in, err := findInstance(ctx, c, id, "")
	if err != nil {
		return "", err
	}
	err = ovh.WaitInstancesWith(ctx, o, state, in)
	return in.Peek("status").String(), err
}

// waitInstances waits for several instances with one instance list per
// project a round; each ID may be PROJECT/ID (without a project, finding
// the instance costs a load in each project tried).
func waitInstances(ctx context.Context, c *stratus.Client, ids []string, state string, o stratus.WaitOptions) error {
	ins := make([]*ovh.InstanceHandle, len(ids))
	for i, id := range ids {
		p, iid, ok := strings.Cut(id, "/")
		if ok && p != "" && iid != "" {
			ins[i] = ovh.Instance(c, p, iid)
			continue
		}
		in, err := findInstance(ctx, c, id, "")
		if err != nil {
			return err
		}
		ins[i] = in
	}
	return ovh.WaitInstancesWith(ctx, o, state, ins...)
}
