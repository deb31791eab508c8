package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
)

// enstratusName is the provider's registry name, the key of its table.
const enstratusName = es.Name

func init() { addExtension(enstratusName, enstratusExtension()) }

// enstratusExtension is the REPL's table for enStratus: the server
// operations and the launch (each starts a job: "wait job ID"), the
// waiters of servers and jobs, and list columns. Lists follow the model:
// basic detail (none for firewalls and their rules), filters by the API's
// names (ls data_centers regionId=19344).
func enstratusExtension() *extension {
	e := &extension{
		waiters: map[string]waiter{
			"server": {
				states: []string{es.ServerRunning, es.ServerPaused, es.ServerStopped, es.ServerTerminated},
				wait:   waitESServer, many: waitESServers,
			},
			"job": {states: []string{es.JobComplete}, wait: waitESJob, many: waitESJobs},
		},
		columns: map[string][]column{
			"server": {{"name", "name"}, {"status", "status"}, {"region", "region.regionId"},
				{"data_center", "dataCenter.dataCenterId"}, {"product", "providerProductId"}, {"platform", "platform"}},
			"cloud":         {{"name", "name"}, {"provider", "cloudProviderName"}, {"status", "status"}, {"private", "privateCloud"}},
			"region":        {{"name", "name"}, {"provider_id", "providerId"}, {"jurisdiction", "jurisdiction"}, {"status", "status"}},
			"data_center":   {{"name", "name"}, {"region", "region.regionId"}, {"status", "status"}},
			"job":           {{"status", "status"}, {"description", "description"}, {"message", "message"}, {"start", "startDate"}},
			"machine_image": {{"name", "name"}, {"provider_id", "providerId"}, {"platform", "platform"}, {"architecture", "architecture"}},
			"server_product": {{"provider_product_id", "providerProductId"}, {"name", "name"}, {"platform", "platform"},
				{"ram_mb", "ramInMb"}, {"hourly", "hourlyRate"}},
			"firewall":      {{"name", "name"}, {"provider_id", "providerId"}, {"status", "status"}},
			"firewall_rule": {{"direction", "direction"}, {"protocol", "protocol"}, {"network", "networkAddress"}, {"start", "startPort"}, {"end", "endPort"}},
			"api_key":       {{"name", "name"}, {"state", "state"}, {"description", "description"}},
		},
	}
	e.actions = []actionSpec{
		esServerAction("pause", "[REASON]", "pause a running server", 0, -1,
			func(ctx context.Context, s *es.ServerHandle, args []string) (*es.JobHandle, error) {
				return s.Pause(ctx, strings.Join(args, " "))
			}),
		esServerAction("start", "", "start a paused or stopped server", 0, 0,
			func(ctx context.Context, s *es.ServerHandle, _ []string) (*es.JobHandle, error) { return s.Start(ctx) }),
		esServerAction("stop", "", "stop a running server", 0, 0,
			func(ctx context.Context, s *es.ServerHandle, _ []string) (*es.JobHandle, error) { return s.Stop(ctx) }),
		esServerAction("terminate", "REASON", "destroy the server (the API wants a reason)", 1, -1,
			func(ctx context.Context, s *es.ServerHandle, args []string) (*es.JobHandle, error) {
				return s.Terminate(ctx, strings.Join(args, " "))
			}),
		esServerAction("rename", "NAME", "rename the server (done at once: no job)", 1, 1,
			func(ctx context.Context, s *es.ServerHandle, args []string) (*es.JobHandle, error) {
				return s.Rename(ctx, args[0])
			}),
		{
			name: "launch", kind: "machine_image", args: "DATA_CENTER_ID PRODUCT NAME [DESCRIPTION]",
			help: "launch a server from the image (PRODUCT: m1.small...; ls server_products regionId=ID)", minArgs: 3, maxArgs: 16,
			run: func(ctx context.Context, c *stratus.Client, id string, args []string) ([]started, error) {
				image, err := numericID("machine image", id)
				if err != nil {
					return nil, err
				}
				dc, err := numericID("data center", args[0])
				if err != nil {
					return nil, err
				}
				desc := strings.Join(args[3:], " ")
				if desc == "" {
					desc = "launched from the stratus REPL"
				}
				job, err := es.LaunchServer(ctx, c, es.LaunchSpec{Name: args[2], Description: desc, ProductID: args[1], MachineImageID: image, DataCenterID: dc})
				if err != nil {
					return nil, err
				}
				return []started{{id: strconv.Itoa(job.ID()), typ: "launch", status: job.Status(), kind: "machine_image", target: id}}, nil
			},
		},
	}
	// A variadic reason is as long as the line.
	for i := range e.actions {
		if e.actions[i].maxArgs < 0 {
			e.actions[i].maxArgs = 64
		}
	}
	return e
}

// esServerAction makes a server operation of the do command.
func esServerAction(name, args, help string, minArgs, maxArgs int, f func(context.Context, *es.ServerHandle, []string) (*es.JobHandle, error)) actionSpec {
	return actionSpec{name: name, kind: "server", args: args, help: help, minArgs: minArgs, maxArgs: maxArgs,
		run: func(ctx context.Context, c *stratus.Client, id string, args []string) ([]started, error) {
			n, err := numericID("server", id)
			if err != nil {
				return nil, err
			}
			job, err := f(ctx, es.Server(c, n), args)
			if err != nil || job == nil {
				return nil, err
			}
			return []started{{id: strconv.Itoa(job.ID()), typ: name, status: job.Status(), kind: "server", target: id}}, nil
		}}
}

// waitESServer waits for a server's status with the model's waiter.
func waitESServer(ctx context.Context, c *stratus.Client, id, state string, o stratus.WaitOptions) (string, error) {
	n, err := numericID("server", id)
	if err != nil {
		return "", err
	}
	s := es.Server(c, n)
	err = s.WaitStatus(ctx, state, o)
	return s.Peek("status").String(), err
}

// waitESJob waits for a job to end; one in ERROR is an error.
func waitESJob(ctx context.Context, c *stratus.Client, id, _ string, o stratus.WaitOptions) (string, error) {
	n, err := numericID("job", id)
	if err != nil {
		return "", err
	}
	j := es.Job(c, n)
	if err := j.Wait(ctx, o); err != nil {
		return j.Peek("status").String(), fmt.Errorf("job %d: %w", n, err)
	}
	return j.Peek("status").String(), nil
}

// waitESJobs waits for several jobs with one listing of the jobs a round;
// one in ERROR is an error.
func waitESJobs(ctx context.Context, c *stratus.Client, ids []string, _ string, o stratus.WaitOptions) error {
	jobs := make([]*es.JobHandle, len(ids))
	for i, id := range ids {
		n, err := numericID("job", id)
		if err != nil {
			return err
		}
		jobs[i] = es.Job(c, n)
	}
	_, err := es.WaitJobs(ctx, jobs, o)
	return err
}

// waitESServers waits for several servers' status with one listing of the
// servers a round.
func waitESServers(ctx context.Context, c *stratus.Client, ids []string, state string, o stratus.WaitOptions) error {
	ss := make([]*es.ServerHandle, len(ids))
	for i, id := range ids {
		n, err := numericID("server", id)
		if err != nil {
			return err
		}
		ss[i] = es.Server(c, n)
	}
	_, err := es.WaitServers(ctx, ss, state, o)
	return err
}
