package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
)

func init() { addExtension(do.Provider.Name, digitaloceanExtension()) }

// digitaloceanExtension is the REPL's table for DigitalOcean: droplet
// actions (one droplet or by tag), image actions, the waiters of droplets
// and actions, list columns and the nested kinds' paths.
func digitaloceanExtension() *extension {
	e := &extension{
		waiters: map[string]waiter{
			"droplet": {
				states: []string{string(do.StatusActive), string(do.StatusOff), string(do.StatusNew), string(do.StatusArchive)},
				wait:   waitDroplet, many: waitDroplets, tag: waitTag,
			},
			"action": {states: []string{string(do.ActionCompleted)}, wait: waitAction, many: waitActions},
		},
		columns: map[string][]column{
			"droplet": {{"name", "name"}, {"status", "status"}, {"region", "region.slug"}, {"size", "size_slug"},
				{"public_ipv4", `networks.v4.#(type=="public").ip_address`}, {"tags", "tags"}},
			"action":        {{"type", "type"}, {"status", "status"}, {"resource", "resource_type"}, {"resource_id", "resource_id"}, {"started_at", "started_at"}},
			"image":         {{"slug", "slug"}, {"name", "name"}, {"distribution", "distribution"}, {"type", "type"}, {"status", "status"}},
			"domain_record": {{"type", "type"}, {"name", "name"}, {"data", "data"}, {"priority", "priority"}, {"ttl", "ttl"}},
			"size":          {{"memory", "memory"}, {"vcpus", "vcpus"}, {"disk", "disk"}, {"price_monthly", "price_monthly"}, {"available", "available"}},
			"region":        {{"name", "name"}, {"available", "available"}},
			"tag":           {{"resources", "resources.count"}, {"droplets", "resources.droplets.count"}},
		},
	}
	simple := []struct{ name, help string }{
		{"power_off", "cut the power"},
		{"power_on", "start"},
		{"power_cycle", "turn off and on again, hard"},
		{"reboot", "reboot gracefully"},
		{"shutdown", "ask the OS to shut down"},
		{"password_reset", "reset the root password (mailed to the owner)"},
		{"enable_ipv6", "add IPv6 networking"},
		{"enable_private_networking", "add private networking"},
		{"enable_backups", "turn backups on"},
		{"disable_backups", "turn backups off"},
	}
	methods := map[string]func(*do.DropletHandle, context.Context) (*do.ActionHandle, error){
		"power_off": (*do.DropletHandle).PowerOff, "power_on": (*do.DropletHandle).PowerOn,
		"power_cycle": (*do.DropletHandle).PowerCycle, "reboot": (*do.DropletHandle).Reboot,
		"shutdown": (*do.DropletHandle).Shutdown, "password_reset": (*do.DropletHandle).PasswordReset,
		"enable_ipv6": (*do.DropletHandle).EnableIPv6, "enable_private_networking": (*do.DropletHandle).EnablePrivateNetworking,
		"disable_backups": (*do.DropletHandle).DisableBackups,
		"enable_backups": func(d *do.DropletHandle, ctx context.Context) (*do.ActionHandle, error) {
			return d.EnableBackups(ctx, nil)
		},
	}
	for _, a := range simple {
		m := methods[a.name]
		e.actions = append(e.actions, dropletAction(a.name, "", a.help, 0, 0,
			func(ctx context.Context, d *do.DropletHandle, _ []string) (*do.ActionHandle, error) { return m(d, ctx) }))
	}
	e.actions = append(e.actions,
		dropletAction("rename", "NAME", "rename the droplet", 1, 1,
			func(ctx context.Context, d *do.DropletHandle, args []string) (*do.ActionHandle, error) {
				return d.Rename(ctx, args[0])
			}),
		dropletAction("snapshot", "[NAME]", "take a snapshot image", 0, 1,
			func(ctx context.Context, d *do.DropletHandle, args []string) (*do.ActionHandle, error) {
				name := ""
				if len(args) > 0 {
					name = args[0]
				}
				return d.Snapshot(ctx, name)
			}),
		dropletAction("resize", "SIZE [disk]", "change the size; \"disk\" also grows the disk, for good", 1, 2,
			func(ctx context.Context, d *do.DropletHandle, args []string) (*do.ActionHandle, error) {
				disk := len(args) == 2
				if disk && args[1] != "disk" {
					return nil, fmt.Errorf("resize: the second argument can only be \"disk\", got %q", args[1])
				}
				return d.Resize(ctx, args[0], disk)
			}),
		dropletAction("rebuild", "IMAGE", "reinstall from an image (slug or id)", 1, 1,
			func(ctx context.Context, d *do.DropletHandle, args []string) (*do.ActionHandle, error) {
				ref := do.ImageSlug(args[0])
				if n, err := strconv.Atoi(args[0]); err == nil {
					ref = do.ImageID(n)
				}
				return d.Rebuild(ctx, ref)
			}),
		dropletAction("restore", "BACKUP_ID", "restore from one of its backups", 1, 1,
			func(ctx context.Context, d *do.DropletHandle, args []string) (*do.ActionHandle, error) {
				n, err := strconv.Atoi(args[0])
				if err != nil {
					return nil, fmt.Errorf("restore: backup id %q is not a number", args[0])
				}
				return d.Restore(ctx, n)
			}),
		dropletAction("change_kernel", "KERNEL_ID", "boot another kernel (ls kernels droplet=ID)", 1, 1,
			func(ctx context.Context, d *do.DropletHandle, args []string) (*do.ActionHandle, error) {
				n, err := strconv.Atoi(args[0])
				if err != nil {
					return nil, fmt.Errorf("change_kernel: kernel id %q is not a number", args[0])
				}
				return d.ChangeKernel(ctx, n)
			}),
	)
	// The API runs these on every droplet that carries a tag at once.
	for _, name := range []string{"power_off", "power_on", "power_cycle", "shutdown", "enable_ipv6",
		"enable_private_networking", "enable_backups", "disable_backups", "snapshot"} {
		e.actions = append(e.actions, actionSpec{
			name: name, kind: "tag", help: "on every droplet tagged TAG, at once",
			run: func(ctx context.Context, c *stratus.Client, tag string, _ []string) ([]started, error) {
				acts, err := do.ActOnTag(ctx, c, tag, name)
				out := make([]started, 0, len(acts))
				for _, a := range acts {
					out = append(out, describeAction(a))
				}
				return out, err
			},
		})
	}
	e.actions = append(e.actions,
		imageAction("transfer", "REGION", "copy the image to another region", 1,
			func(ctx context.Context, i *do.ImageHandle, args []string) (*do.ActionHandle, error) {
				return i.Transfer(ctx, args[0])
			}),
		imageAction("convert", "", "turn a backup into a snapshot", 0,
			func(ctx context.Context, i *do.ImageHandle, _ []string) (*do.ActionHandle, error) {
				return i.Convert(ctx)
			}),
	)
	return e
}

// dropletAction makes a droplet action of the do command.
func dropletAction(name, args, help string, minArgs, maxArgs int, f func(context.Context, *do.DropletHandle, []string) (*do.ActionHandle, error)) actionSpec {
	return actionSpec{name: name, kind: "droplet", args: args, help: help, minArgs: minArgs, maxArgs: maxArgs,
		run: func(ctx context.Context, c *stratus.Client, id string, args []string) ([]started, error) {
			n, err := numericID("droplet", id)
			if err != nil {
				return nil, err
			}
			a, err := f(ctx, do.Droplet(c, n), args)
			if err != nil {
				return nil, err
			}
			return []started{describeAction(a)}, nil
		}}
}

// imageAction makes an image action of the do command.
func imageAction(name, args, help string, nargs int, f func(context.Context, *do.ImageHandle, []string) (*do.ActionHandle, error)) actionSpec {
	return actionSpec{name: name, kind: "image", args: args, help: help, minArgs: nargs, maxArgs: nargs,
		run: func(ctx context.Context, c *stratus.Client, id string, args []string) ([]started, error) {
			n, err := numericID("image", id)
			if err != nil {
				return nil, err
			}
			a, err := f(ctx, do.Image(c, n), args)
			if err != nil {
				return nil, err
			}
			return []started{describeAction(a)}, nil
		}}
}

func numericID(kind, id string) (int, error) {
	n, err := strconv.Atoi(id)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("a %s id is a positive number, got %q", kind, id)
	}
	return n, nil
}

// describeAction reads an action the API returned (no request: the
// handle holds the answer).
func describeAction(a *do.ActionHandle) started {
	return started{
		id: strconv.Itoa(a.ID()), typ: a.Type(), status: string(a.Status()),
		kind: a.ResourceType(), target: strconv.Itoa(a.ResourceID()),
	}
}

// waitDroplet waits with the model's waiter, which reloads the droplet.
func waitDroplet(ctx context.Context, c *stratus.Client, id, state string, o stratus.WaitOptions) (string, error) {
	n, err := numericID("droplet", id)
	if err != nil {
		return "", err
	}
	d := do.Droplet(c, n)
	if _, err := do.WaitDroplets(ctx, []*do.DropletHandle{d}, do.UntilStatus(do.DropletStatus(state)), o); err != nil {
		return d.Peek("status").String(), err
	}
	return d.Peek("status").String(), nil
}

// waitAction waits for an action to end; an errored one is an error.
func waitAction(ctx context.Context, c *stratus.Client, id, _ string, o stratus.WaitOptions) (string, error) {
	n, err := numericID("action", id)
	if err != nil {
		return "", err
	}
	a := do.Action(c, n)
	err = a.Wait(ctx, o)
	return a.Peek("status").String(), err
}

// numericIDs reads several ids of one kind.
func numericIDs(kind string, ids []string) ([]int, error) {
	out := make([]int, len(ids))
	for i, id := range ids {
		n, err := numericID(kind, id)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// waitDroplets waits for several droplets with one listing a round.
func waitDroplets(ctx context.Context, c *stratus.Client, ids []string, state string, o stratus.WaitOptions) error {
	ns, err := numericIDs("droplet", ids)
	if err != nil {
		return err
	}
	ds := make([]*do.DropletHandle, len(ns))
	for i, n := range ns {
		ds[i] = do.Droplet(c, n)
	}
	_, err = do.WaitDroplets(ctx, ds, do.UntilStatus(do.DropletStatus(state)), o)
	return err
}

// waitTag waits for the droplets of a tag with one listing of the tag a
// round.
func waitTag(ctx context.Context, c *stratus.Client, tag, state string, o stratus.WaitOptions) (int, error) {
	ds, err := do.WaitTag(ctx, c, tag, do.UntilStatus(do.DropletStatus(state)), o)
	return len(ds), err
}

// waitActions waits for several actions with one listing of the actions
// a round.
func waitActions(ctx context.Context, c *stratus.Client, ids []string, _ string, o stratus.WaitOptions) error {
	ns, err := numericIDs("action", ids)
	if err != nil {
		return err
	}
	acts := make([]*do.ActionHandle, len(ns))
	for i, n := range ns {
		acts[i] = do.Action(c, n)
	}
	_, err = do.WaitActions(ctx, acts, o)
	return err
}
