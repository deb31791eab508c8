package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/stratus-cloud/stratus"
	rs "github.com/stratus-cloud/stratus/models/rightscale"
)

// rightscaleName is the provider's registry name, the key of its table.
const rightscaleName = rs.Name

func init() { addExtension(rightscaleName, rightscaleExtension()) }

// rightscaleExtension is the REPL's table for RightScale: server launch
// and terminate, running a RightScript on a server (a task: "wait task
// HREF"), the task waiter, list columns, and the lists that live under a
// cloud (ls instances cloud=1). Objects are named by href or, for the
// top-level kinds, by id.
func rightscaleExtension() *extension {
	e := &extension{
		waiters: map[string]waiter{
			"task": {states: []string{"completed"}, wait: waitRSTask},
		},
		columns: map[string][]column{
			"cloud":        {{"name", "name"}, {"type", "cloud_type"}, {"display_name", "display_name"}},
			"instance":     {{"name", "name"}, {"state", "state"}, {"resource_uid", "resource_uid"}, {"public_ip", "public_ip_addresses.0"}},
			"server":       {{"name", "name"}, {"state", "state"}, {"href", `links.#(rel=="self").href`}},
			"deployment":   {{"name", "name"}, {"description", "description"}, {"locked", "locked"}},
			"right_script": {{"name", "name"}, {"revision", "revision"}, {"description", "description"}},
			"datacenter":   {{"name", "name"}, {"resource_uid", "resource_uid"}},
			"user":         {{"email", "email"}, {"first_name", "first_name"}, {"last_name", "last_name"}},
		},
	}
	e.actions = []actionSpec{
		rsServerAction("launch", "launch the server (a new current instance)", func(ctx context.Context, s *rs.ServerHandle) (*rs.Result, error) {
			return s.Launch(ctx, nil)
		}),
		rsServerAction("terminate", "terminate the server's current instance", func(ctx context.Context, s *rs.ServerHandle) (*rs.Result, error) {
			return s.Terminate(ctx, nil)
		}),
		{
			name: "run_script", kind: "server", args: "SCRIPT_NAME [INPUT=VALUE...]",
			help: "run a RightScript on the server's current instance (a task: wait task HREF)", minArgs: 1, maxArgs: 64,
			run: func(ctx context.Context, c *stratus.Client, id string, args []string) ([]started, error) {
				srv := rs.Server(c, id)
				if err := srv.Load(ctx); err != nil {
					return nil, err
				}
				inputs := map[string]string{}
				for _, a := range args[1:] {
					k, v, ok := strings.Cut(a, "=")
					if !ok {
						return nil, fmt.Errorf("run_script: input %q is not NAME=VALUE", a)
					}
					inputs[k] = v
				}
				task, err := rs.RunScriptOnServer(ctx, c, args[0], srv.Name(), inputs)
				if err != nil {
					return nil, err
				}
				return []started{{id: task.Href(), typ: "run_script", status: "queued", kind: "server", target: id}}, nil
			},
		},
	}
	return e
}

func rsServerAction(name, help string, f func(context.Context, *rs.ServerHandle) (*rs.Result, error)) actionSpec {
	return actionSpec{name: name, kind: "server", help: help,
		run: func(ctx context.Context, c *stratus.Client, id string, _ []string) ([]started, error) {
			res, err := f(ctx, rs.Server(c, id))
			if err != nil {
				return nil, err
			}
			return []started{{id: res.Location, typ: name, status: fmt.Sprint(res.Status), kind: "server", target: id}}, nil
		}}
}

// waitRSTask follows a task's summary to "completed: ...".
func waitRSTask(ctx context.Context, c *stratus.Client, id, _ string, o stratus.WaitOptions) (string, error) {
	t := rs.Task(c, id)
	err := t.Wait(ctx, o)
	return t.Summary(), err
}
