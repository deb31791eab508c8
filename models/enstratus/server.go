package enstratus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
)

// LaunchSpec is a server to launch (mixcoatl's Server.launch). Name,
// Description, ProductID, MachineImageID and DataCenterID are required.
type LaunchSpec struct {
	Name        string
	Description string
	// ProductID is the cloud's product ("m1.large"), mixcoatl's
	// provider_product_id; ServerProductHandle.ProviderProductID gives it.
	ProductID      string
	MachineImageID int
	DataCenterID   int
	FirewallIDs    []int  // optional
	Label          string // optional
	KeyPair        string // optional: the cloud's key pair name
	BudgetID       int    // optional: the billing code; the account's default when 0
}

// missing names the required attributes that are not set, as mixcoatl's
// required_attrs would (Go names first, mixcoatl's in parentheses).
func (s LaunchSpec) missing() []string {
	var out []string
	for _, m := range []struct {
		ok   bool
		name string
	}{
		{strings.TrimSpace(s.ProductID) != "", "ProductID (provider_product_id)"},
		{s.MachineImageID > 0, "MachineImageID (machine_image)"},
		{strings.TrimSpace(s.Description) != "", "Description (description)"},
		{strings.TrimSpace(s.Name) != "", "Name (name)"},
		{s.DataCenterID > 0, "DataCenterID (data_center)"},
	} {
		if !m.ok {
			out = append(out, m.name)
		}
	}
	return out
}

// MarshalJSON writes one entry of a launch request, as mixcoatl v0.2.6
// sent it.
func (s LaunchSpec) MarshalJSON() ([]byte, error) {
	type ref map[string]int
	m := map[string]any{
		"name":         strings.TrimSpace(s.Name),
		"description":  strings.TrimSpace(s.Description),
		"productId":    strings.TrimSpace(s.ProductID),
		"machineImage": ref{"machineImageId": s.MachineImageID},
		"dataCenter":   ref{"dataCenterId": s.DataCenterID},
	}
	if len(s.FirewallIDs) > 0 {
		fws := make([]ref, len(s.FirewallIDs))
		for i, id := range s.FirewallIDs {
			fws[i] = ref{"firewallId": id}
		}
		m["firewalls"] = fws
	}
	if s.Label != "" {
		m["label"] = s.Label
	}
	if s.KeyPair != "" {
		m["keypair"] = s.KeyPair
	}
	if s.BudgetID > 0 {
		m["budget"] = s.BudgetID
	}
	return json.Marshal(m)
}

// LaunchServer launches a server: POST infrastructure/Server with
// {"launch":[{...}]}. The required attributes are checked before any
// request (an error matching stratus.ErrInvalid names each one missing).
// The API answers with a job: WaitServer on it returns the new server,
// loaded.
func LaunchServer(ctx context.Context, c *stratus.Client, spec LaunchSpec) (*JobHandle, error) {
	const op = "POST infrastructure/Server"
	if miss := spec.missing(); len(miss) > 0 {
		return nil, stratus.Invalid(c, op, "launch: missing required attributes: %s", strings.Join(miss, ", "))
	}
	for _, id := range spec.FirewallIDs {
		if id <= 0 {
			return nil, stratus.Invalid(c, op, "launch: firewall id %d is not an id", id)
		}
	}
	body, err := json.Marshal(map[string]any{"launch": []LaunchSpec{spec}})
	if err != nil {
		return nil, stratus.Invalid(c, op, "cannot encode the launch: %v", err)
	}
	resp, err := c.Send(ctx, &transport.Request{Method: http.MethodPost, Path: serverKind.ListPath, Body: body})
	if err != nil {
		return nil, err
	}
	res, err := parseBody(op, resp)
	if err != nil {
		return nil, err
	}
	jobs := jobsFrom(c, res, nil)
	if len(jobs) == 0 {
		return nil, &stratus.Error{Provider: Name, Op: op, Status: resp.Status, Message: "the answer names no job", Kind: stratus.ErrMalformed}
	}
	return jobs[0], nil
}

// operate sends a server operation and returns its job: PUT with an
// operation envelope, or DELETE. A 204 (done at once) gives a nil job,
// after reloading the server; a 202 records the job on the server handle
// (CurrentJob), and the job reloads the server when waited on.
func (h *ServerHandle) operate(ctx context.Context, req *transport.Request) (*JobHandle, error) {
	c := h.Client()
	op := transport.Op(req.Method, req.Path)
	resp, err := c.Send(ctx, req)
	if err != nil {
		h.record(status(resp), 0, err)
		return nil, err
	}
	res, err := parseBody(op, resp)
	if err != nil {
		h.record(resp.Status, 0, err)
		return nil, err
	}
	jobs := jobsFrom(c, res, h)
	if len(jobs) == 0 {
		h.record(resp.Status, 0, nil)
		if resp.Status == http.StatusAccepted {
			return nil, &stratus.Error{Provider: Name, Op: op, Status: resp.Status, Message: "the answer names no job", Kind: stratus.ErrMalformed}
		}
		return nil, refresh(ctx, h)
	}
	h.record(resp.Status, int64(jobs[0].ID()), nil)
	return jobs[0], nil
}

func (h *ServerHandle) put(ctx context.Context, operation string, arg map[string]any) (*JobHandle, error) {
	if arg == nil {
		arg = map[string]any{}
	}
	body, err := json.Marshal(map[string]any{operation: []any{arg}})
	if err != nil {
		return nil, stratus.Invalid(h.Client(), "PUT "+h.Path(), "cannot encode %s: %v", operation, err)
	}
	return h.operate(ctx, &transport.Request{Method: http.MethodPut, Path: h.Path(), Body: body})
}

// Pause pauses a running server ({"pause":[{"reason":...}]}); reason may
// be empty.
func (h *ServerHandle) Pause(ctx context.Context, reason string) (*JobHandle, error) {
	var arg map[string]any
	if reason = strings.TrimSpace(reason); reason != "" {
		arg = map[string]any{"reason": reason}
	}
	return h.put(ctx, "pause", arg)
}

// Start starts a paused or stopped server ({"start":[{}]}).
func (h *ServerHandle) Start(ctx context.Context) (*JobHandle, error) {
	return h.put(ctx, "start", nil)
}

// Stop stops a running server ({"stop":[{}]}).
func (h *ServerHandle) Stop(ctx context.Context) (*JobHandle, error) {
	return h.put(ctx, "stop", nil)
}

// Rename changes the server's name ({"describeServer":[{"name":...}]}).
// The API does it at once (204): the job is nil and the handle is
// reloaded.
func (h *ServerHandle) Rename(ctx context.Context, name string) (*JobHandle, error) {
	if name = strings.TrimSpace(name); name == "" {
		return nil, stratus.Invalid(h.Client(), "PUT "+h.Path(), "rename: a name is required")
	}
	return h.put(ctx, "describeServer", map[string]any{"name": name})
}

// Terminate destroys the server: DELETE infrastructure/Server/<id>?reason=...
// The API wants a reason; an empty one is refused before sending.
func (h *ServerHandle) Terminate(ctx context.Context, reason string) (*JobHandle, error) {
	if reason = strings.TrimSpace(reason); reason == "" {
		return nil, stratus.Invalid(h.Client(), "DELETE "+h.Path(), "terminate: a reason is required")
	}
	return h.operate(ctx, &transport.Request{Method: http.MethodDelete, Path: h.Path(), Query: url.Values{"reason": {reason}}})
}

// WaitStatus polls the server (always fresh) until its status is status,
// as mixcoatl's Server.wait_for. A server that is TERMINATED while another
// status is awaited fails with an error matching stratus.ErrFailed.
// Timeouts and cancellation behave as in JobHandle.Wait.
func (h *ServerHandle) WaitStatus(ctx context.Context, status string, opts ...stratus.WaitOptions) error {
	var o stratus.WaitOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	err := stratus.Poll(ctx, h.Client(), o, func(ctx context.Context) (bool, stratus.WaitProgress, error) {
		if err := h.Reload(ctx); err != nil {
			return false, stratus.WaitProgress{}, err
		}
		now := h.Peek("status").String()
		if now == ServerTerminated && status != ServerTerminated {
			return false, stratus.WaitProgress{}, fmt.Errorf("enstratus: server %d is TERMINATED, it will never be %s: %w", h.ID(), status, stratus.ErrFailed)
		}
		p := stratus.WaitProgress{Total: 1, State: now}
		if now == status {
			p.Done = 1
		}
		return now == status, p, nil
	})
	var wt *stratus.WaitTimeoutError
	if errors.As(err, &wt) {
		wt.Pending = []stratus.Object{h}
	}
	return err
}
