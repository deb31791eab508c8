package digitalocean

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/digitalocean"
	"github.com/tidwall/gjson"
	"golang.org/x/sync/errgroup"
)

// ActionStatus is an action's state.
type ActionStatus string

// The action states of the API.
const (
	ActionInProgress ActionStatus = "in-progress"
	ActionCompleted  ActionStatus = "completed"
	ActionErrored    ActionStatus = "errored"
)

// ActionHandle is an asynchronous action (a create, a power-off, an IP
// assignment). Wait polls it until it ends.
type ActionHandle struct {
	*stratus.Resource
	target stratus.Object // what the action acts on, refreshed after Wait
}

// Action returns a handle for action id. No request is sent.
func Action(c *stratus.Client, id int) *ActionHandle {
	return &ActionHandle{Resource: stratus.NewResource(c, actionKind, strconv.Itoa(id))}
}

func wrapAction(r *stratus.Resource) *ActionHandle { return &ActionHandle{Resource: r} }

// Actions lists every action of the account, newest first.
func Actions(c *stratus.Client) stratus.Collection[*ActionHandle] {
	return stratus.NewCollection(c, actionKind, wrapAction)
}

// LastAction returns the account's newest action.
func LastAction(ctx context.Context, c *stratus.Client) (*ActionHandle, error) {
	return Actions(c).Fresh().First(ctx)
}

// ID returns the action id.
func (a *ActionHandle) ID() int { return a.IntID() }

// Status returns the action's state.
func (a *ActionHandle) Status() ActionStatus { return ActionStatus(a.GetString("status")) }

// Type returns the action type (create, power_off, assign_ip...).
func (a *ActionHandle) Type() string { return a.GetString("type") }

// StartedAt returns when the action started.
func (a *ActionHandle) StartedAt() time.Time { return a.GetTime("started_at") }

// CompletedAt returns when it ended (zero while in progress).
func (a *ActionHandle) CompletedAt() time.Time { return a.GetTime("completed_at") }

// ResourceID returns the id of the object acted on.
func (a *ActionHandle) ResourceID() int { return a.GetInt("resource_id") }

// ResourceType returns droplet, floating_ip, image, volume...
func (a *ActionHandle) ResourceType() string { return a.GetString("resource_type") }

// RegionSlug returns the region where the action ran.
func (a *ActionHandle) RegionSlug() string { return a.GetString("region_slug") }

// Done reports whether the action has ended, from the data held.
func (a *ActionHandle) Done() bool {
	s := ActionStatus(a.Peek("status").String())
	return s == ActionCompleted || s == ActionErrored
}

// Target returns the object the action acts on, when known: the droplet
// for a droplet action or a create, the floating IP for an IP action.
func (a *ActionHandle) Target() stratus.Object {
	if a.target != nil {
		return a.target
	}
	c := a.Client()
	switch a.ResourceType() {
	case "droplet":
		return Droplet(c, a.ResourceID())
	case "floating_ip":
		// The API gives the address as a 32-bit number (45.55.96.47 is
		// 758603823).
		if n := a.ResourceID(); n > 0 && n <= math.MaxUint32 {
			return FloatingIP(c, netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}).String())
		}
	}
	return nil
}

// Wait polls the action until it completes, then reloads the object it
// acted on. An errored action returns an error matching stratus.ErrFailed.
func (a *ActionHandle) Wait(ctx context.Context, opts ...stratus.WaitOptions) error {
	_, err := WaitActions(ctx, []*ActionHandle{a}, opts...)
	return err
}

// ActionError reports actions that ended "errored".
type ActionError struct{ Actions []*ActionHandle }

func (e *ActionError) Error() string {
	ids := ""
	for i, a := range e.Actions {
		if i > 0 {
			ids += ", "
		}
		ids += a.Resource.ID() + " (" + a.Type() + ")"
	}
	return fmt.Sprintf("digitalocean: action(s) errored: %s", ids)
}

// Is makes errors.Is(err, stratus.ErrFailed) true.
func (e *ActionError) Is(target error) bool { return target == stratus.ErrFailed }

func waitOpts(opts []stratus.WaitOptions) stratus.WaitOptions {
	if len(opts) > 0 {
		return opts[0]
	}
	return stratus.WaitOptions{}
}

// WaitActions waits until every action has ended and refreshes the
// objects they acted on. Each polling round reads the account's action
// list, newest first, 200 a page (the way hcloud-go's action waiter polls
// its list): one request answers for up to 200 actions, and further pages
// are read only while they may still hold a pending action (at most
// maxActionPages a round). Actions that none of those pages holds are
// reloaded one by one, up to the client's concurrency at once. The
// progress callback reports each round's requests.
//
// It returns the actions that had not ended: none on success; the rest
// with ctx.Err() when ctx ends, or with a *stratus.WaitTimeoutError when
// the wait time runs out. Actions that errored are returned in an
// *ActionError once all have ended.
func WaitActions(ctx context.Context, acts []*ActionHandle, opts ...stratus.WaitOptions) ([]*ActionHandle, error) {
	if len(acts) == 0 {
		return nil, nil
	}
	c := acts[0].Client()
	pending := append([]*ActionHandle(nil), acts...)
	err := stratus.Poll(ctx, c, waitOpts(opts), func(ctx context.Context) (bool, stratus.WaitProgress, error) {
		sent, err := pollActions(ctx, c, pending)
		if err != nil {
			return false, stratus.WaitProgress{Requests: sent}, err
		}
		still := pending[:0]
		for _, a := range pending {
			if !a.Done() {
				still = append(still, a)
			}
		}
		pending = still
		return len(pending) == 0, stratus.WaitProgress{Done: len(acts) - len(pending), Total: len(acts), State: string(lastStatus(pending)), Requests: sent}, nil
	})
	if err != nil {
		return pending, carry(err, pending)
	}
	var targets []stratus.Object
	var failed []*ActionHandle
	for _, a := range acts {
		if a.Status() == ActionErrored {
			failed = append(failed, a)
		}
		if t := a.Target(); t != nil {
			targets = append(targets, t)
		}
	}
	if err := reloadObjects(ctx, c, targets); err != nil {
		return nil, err
	}
	if len(failed) > 0 {
		return nil, &ActionError{Actions: failed}
	}
	return nil, nil
}

// maxActionPages bounds the pages of the action list one polling round
// reads before it falls back to loading the actions it has not found.
const maxActionPages = 5

// pollActions refreshes the pending actions from the action list (newest
// first, so pending work sits on the first pages) and reloads one by one
// those it does not find. It returns the requests sent.
func pollActions(ctx context.Context, c *stratus.Client, pending []*ActionHandle) (int, error) {
	missing := make(map[int]*ActionHandle, len(pending))
	oldest := math.MaxInt
	for _, a := range pending {
		id := a.ID()
		if id <= 0 {
			continue
		}
		missing[id] = a
		oldest = min(oldest, id)
	}
	sent := 0
	if len(missing) > 1 {
		for page := 1; page <= maxActionPages && len(missing) > 0; page++ {
			body, err := c.Do(ctx, http.MethodGet, "/v2/actions", url.Values{
				"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(wire.MaxPageSize)},
			}, nil)
			sent++
			if err != nil {
				return sent, err
			}
			list := body.Get("actions")
			if !list.IsArray() {
				return sent, &stratus.Error{Provider: Provider.Name, Op: "GET /v2/actions", Message: "answer lacks the \"actions\" list", Kind: stratus.ErrMalformed}
			}
			n, least := 0, math.MaxInt
			list.ForEach(func(_, v gjson.Result) bool {
				n++
				id := int(v.Get("id").Int())
				least = min(least, id)
				if a := missing[id]; a != nil {
					a.Fill(v, false)
					delete(missing, id)
				}
				return true
			})
			// Newest first: once a page reaches below the oldest pending
			// id, or the list ends, later pages cannot hold one.
			if n < wire.MaxPageSize || least <= oldest || body.Get("links.pages.next").String() == "" {
				break
			}
		}
	}
	if len(missing) == 0 {
		return sent, nil
	}
	rest := make([]*ActionHandle, 0, len(missing))
	for _, a := range pending {
		if missing[a.ID()] != nil || a.ID() <= 0 {
			rest = append(rest, a)
		}
	}
	sent += len(rest)
	return sent, reloadAll(ctx, c, rest)
}

func lastStatus(pending []*ActionHandle) ActionStatus {
	if len(pending) == 0 {
		return ActionCompleted
	}
	return ActionInProgress
}

// carry puts the unfinished objects into a wait-timeout error.
func carry[T stratus.Object](err error, pending []T) error {
	var wt *stratus.WaitTimeoutError
	if errors.As(err, &wt) {
		wt.Pending = wt.Pending[:0]
		for _, p := range pending {
			wt.Pending = append(wt.Pending, p)
		}
	}
	return err
}

// reloadAll reloads handles concurrently, bounded by the client's
// concurrency; it fails on the first error.
func reloadAll[T stratus.Object](ctx context.Context, c *stratus.Client, objs []T) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(c.Settings().Concurrency)
	for _, o := range objs {
		g.Go(func() error { return o.Handle().Reload(ctx) })
	}
	return g.Wait()
}

// reloadObjects refreshes what finished actions acted on, each object
// once: the droplets from a listing when that takes fewer requests than
// loading them (see refreshDroplets), the others one by one. An object
// that is gone (a droplet destroyed meanwhile) is not an error of the
// wait.
func reloadObjects(ctx context.Context, c *stratus.Client, objs []stratus.Object) error {
	var droplets []*DropletHandle
	var others []stratus.Object
	for _, o := range objs {
		if slices.ContainsFunc(others, func(x stratus.Object) bool { return stratus.Same(x, o) }) {
			continue
		}
		if d, ok := o.(*DropletHandle); ok {
			droplets = append(droplets, d)
			continue
		}
		others = append(others, o)
	}
	if len(droplets) > 1 {
		if err := refreshDroplets(ctx, c, droplets); err != nil {
			return err
		}
	} else {
		for _, d := range droplets {
			others = append(others, d)
		}
	}
	return reloadEach(ctx, c, others)
}

// reloadEach reloads objects one by one, up to the client's concurrency;
// one that is gone is not an error.
func reloadEach(ctx context.Context, c *stratus.Client, objs []stratus.Object) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(c.Settings().Concurrency)
	for _, o := range objs {
		g.Go(func() error {
			if err := o.Handle().Reload(ctx); err != nil && !errors.Is(err, stratus.ErrNotFound) {
				return err
			}
			return nil
		})
	}
	return g.Wait()
}

// ActionOwner is an object whose newest action can be fetched (droplets,
// floating IPs, images).
type ActionOwner interface {
	stratus.Object
	LastAction(ctx context.Context) (*ActionHandle, error)
}

// WaitLastActions fetches the newest action of each object and waits for
// them all, as doapi's wait_actions_on_objects. The newest actions of
// several droplets are read from the account's action list, newest first,
// 200 a page (the pages while there are fewer of them than droplets not
// found yet, at most maxActionPages); the other objects' are read one by
// one. It returns the unfinished actions like WaitActions.
func WaitLastActions[T ActionOwner](ctx context.Context, objs []T, opts ...stratus.WaitOptions) ([]*ActionHandle, error) {
	acts := make([]*ActionHandle, len(objs))
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	if len(objs) > 0 {
		g.SetLimit(objs[0].Handle().Client().Settings().Concurrency)
	}
	found, err := lastDropletActions(ctx, objs, acts)
	if err != nil {
		return nil, err
	}
	for i, o := range objs {
		if found[i] {
			continue
		}
		g.Go(func() error {
			a, err := o.LastAction(gctx)
			if err != nil {
				return err
			}
			mu.Lock()
			a.target = o
			acts[i] = a
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return WaitActions(ctx, acts, opts...)
}

// act posts a droplet action and returns its handle, which refreshes the
// droplet when waited on.
func (d *DropletHandle) act(ctx context.Context, body map[string]any) (*ActionHandle, error) {
	res, err := d.Client().DoJSON(ctx, http.MethodPost, d.Path()+"/actions", nil, body)
	d.SetError(err)
	if err != nil {
		return nil, err
	}
	return actionFrom(d.Client(), res, d)
}

func actionFrom(c *stratus.Client, res gjson.Result, target stratus.Object) (*ActionHandle, error) {
	obj := res.Get("action")
	if !obj.IsObject() {
		return nil, malformed("POST actions", "action")
	}
	return &ActionHandle{Resource: stratus.Hydrate(c, actionKind, obj, false), target: target}, nil
}

// Reboot reboots the droplet gracefully.
func (d *DropletHandle) Reboot(ctx context.Context) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "reboot"})
}

// PowerCycle turns the droplet off and on again, hard.
func (d *DropletHandle) PowerCycle(ctx context.Context) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "power_cycle"})
}

// Shutdown asks the droplet's OS to shut down.
func (d *DropletHandle) Shutdown(ctx context.Context) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "shutdown"})
}

// PowerOff cuts the droplet's power.
func (d *DropletHandle) PowerOff(ctx context.Context) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "power_off"})
}

// PowerOn starts the droplet.
func (d *DropletHandle) PowerOn(ctx context.Context) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "power_on"})
}

// PasswordReset resets the root password (mailed to the account owner).
func (d *DropletHandle) PasswordReset(ctx context.Context) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "password_reset"})
}

// EnableIPv6 adds IPv6 networking.
func (d *DropletHandle) EnableIPv6(ctx context.Context) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "enable_ipv6"})
}

// EnablePrivateNetworking adds private networking (legacy; VPCs replace it).
func (d *DropletHandle) EnablePrivateNetworking(ctx context.Context) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "enable_private_networking"})
}

// EnableBackups turns backups on, with an optional policy.
func (d *DropletHandle) EnableBackups(ctx context.Context, policy *BackupPolicy) (*ActionHandle, error) {
	body := map[string]any{"type": "enable_backups"}
	if policy != nil {
		body["backup_policy"] = policy
	}
	return d.act(ctx, body)
}

// DisableBackups turns backups off.
func (d *DropletHandle) DisableBackups(ctx context.Context) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "disable_backups"})
}

// ChangeBackupPolicy changes when backups run.
func (d *DropletHandle) ChangeBackupPolicy(ctx context.Context, policy BackupPolicy) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "change_backup_policy", "backup_policy": policy})
}

// Restore restores the droplet from one of its backups.
func (d *DropletHandle) Restore(ctx context.Context, backupID int) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "restore", "image": backupID})
}

// Resize changes the droplet's size; disk=true also grows the disk, which
// cannot be undone.
func (d *DropletHandle) Resize(ctx context.Context, size string, disk bool) (*ActionHandle, error) {
	if size == "" {
		return nil, withProvider(stratus.Invalid(d.Client(), "POST "+d.Path()+"/actions", "size is required"))
	}
	return d.act(ctx, map[string]any{"type": "resize", "size": size, "disk": disk})
}

// Rebuild reinstalls the droplet from an image.
func (d *DropletHandle) Rebuild(ctx context.Context, image ImageRef) (*ActionHandle, error) {
	if image.IsZero() {
		return nil, withProvider(stratus.Invalid(d.Client(), "POST "+d.Path()+"/actions", "image is required"))
	}
	return d.act(ctx, map[string]any{"type": "rebuild", "image": image})
}

// Rename changes the droplet's name.
func (d *DropletHandle) Rename(ctx context.Context, name string) (*ActionHandle, error) {
	if name == "" {
		return nil, withProvider(stratus.Invalid(d.Client(), "POST "+d.Path()+"/actions", "name is required"))
	}
	return d.act(ctx, map[string]any{"type": "rename", "name": name})
}

// ChangeKernel boots the droplet with another kernel.
func (d *DropletHandle) ChangeKernel(ctx context.Context, kernelID int) (*ActionHandle, error) {
	return d.act(ctx, map[string]any{"type": "change_kernel", "kernel": kernelID})
}

// Snapshot takes a snapshot image of the droplet.
func (d *DropletHandle) Snapshot(ctx context.Context, name string) (*ActionHandle, error) {
	body := map[string]any{"type": "snapshot"}
	if name != "" {
		body["name"] = name
	}
	return d.act(ctx, body)
}

// ActOnTag runs one action on every droplet that carries tag (only the
// types the API allows by tag: power_cycle, shutdown, power_off, power_on,
// enable_ipv6, enable_backups, disable_backups, snapshot).
func ActOnTag(ctx context.Context, c *stratus.Client, tag, actionType string) ([]*ActionHandle, error) {
	if tag == "" || actionType == "" {
		return nil, withProvider(stratus.Invalid(c, "POST /v2/droplets/actions", "tag and action type are required"))
	}
	res, err := c.DoJSON(ctx, http.MethodPost, "/v2/droplets/actions", map[string][]string{"tag_name": {tag}}, map[string]string{"type": actionType})
	if err != nil {
		return nil, err
	}
	var out []*ActionHandle
	res.Get("actions").ForEach(func(_, v gjson.Result) bool {
		a := &ActionHandle{Resource: stratus.Hydrate(c, actionKind, v, false)}
		if a.ResourceType() == "droplet" {
			a.target = Droplet(c, a.ResourceID())
		}
		out = append(out, a)
		return true
	})
	return out, nil
}

// lastDropletActions fills acts with the newest action of each droplet
// among objs found in the account's action list (newest first) and
// reports which it found. With fewer than two droplets it reads nothing.
func lastDropletActions[T ActionOwner](ctx context.Context, objs []T, acts []*ActionHandle) ([]bool, error) {
	found := make([]bool, len(objs))
	want := map[int][]int{}
	for i, o := range objs {
		if d, ok := any(o).(*DropletHandle); ok && d.ID() > 0 {
			want[d.ID()] = append(want[d.ID()], i)
		}
	}
	if len(want) < 2 {
		return found, nil
	}
	c := objs[0].Handle().Client()
	for page := 1; page <= maxActionPages && page < len(want)+1 && len(want) > 0; page++ {
		body, err := c.Do(ctx, http.MethodGet, "/v2/actions", url.Values{
			"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(wire.MaxPageSize)},
		}, nil)
		if err != nil {
			return nil, err
		}
		list := body.Get("actions")
		if !list.IsArray() {
			return nil, &stratus.Error{Provider: Provider.Name, Op: "GET /v2/actions", Message: "answer lacks the \"actions\" list", Kind: stratus.ErrMalformed}
		}
		n := 0
		list.ForEach(func(_, v gjson.Result) bool {
			n++
			if v.Get("resource_type").String() != "droplet" {
				return true
			}
			id := int(v.Get("resource_id").Int())
			for _, i := range want[id] {
				acts[i] = &ActionHandle{Resource: stratus.Hydrate(c, actionKind, v, false), target: objs[i]}
				found[i] = true
			}
			delete(want, id)
			return true
		})
		if n < wire.MaxPageSize || body.Get("links.pages.next").String() == "" {
			break
		}
	}
	return found, nil
}
