package digitalocean_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDropletHandleRequestCounts(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 10})
	id := srv.DropletIDs()[3]
	srv.ResetRequests()

	d := do.Droplet(c, id)
	assert.Equal(t, 0, srv.Requests(), "making a handle sends nothing")
	name := d.Name()
	assert.NotEmpty(t, name)
	assert.Equal(t, 1, srv.Requests(), "the first field read sends exactly one request")
	_ = d.Status()
	_ = d.Memory()
	_ = d.Region().Slug()
	_ = d.Image().Distribution()
	_ = d.Networks()
	assert.Equal(t, 1, srv.Requests(), "further reads send nothing")
	assert.Equal(t, id, d.ID())

	// 100 goroutines reading one unloaded handle send one request.
	c2, srv2 := newTestClient(t, digitaloceantest.Config{Droplets: 10})
	h := do.Droplet(c2, srv2.DropletIDs()[0])
	srv2.ResetRequests()
	var wg sync.WaitGroup
	names := make([]string, 100)
	for i := range 100 {
		wg.Add(1)
		go func() { defer wg.Done(); names[i] = h.Name() }()
	}
	wg.Wait()
	assert.Equal(t, 1, srv2.Requests())
	for _, n := range names {
		assert.Equal(t, names[0], n)
		assert.NotEmpty(t, n)
	}
}

func TestListThousandDropletsInFivePages(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1000})
	srv.ResetRequests()
	var ds []*do.DropletHandle
	for d, err := range do.Droplets(c).PageSize(200).All(context.Background()) {
		require.NoError(t, err)
		ds = append(ds, d)
	}
	require.Len(t, ds, 1000)
	assert.Equal(t, 5, srv.Requests())
	want := srv.DropletIDs()
	seen := map[int]bool{}
	for _, d := range ds {
		assert.True(t, d.Loaded())
		assert.False(t, d.Partial())
		assert.NotEmpty(t, d.Name())
		assert.NotEmpty(t, d.Status())
		assert.NotEmpty(t, d.Region().Slug())
		seen[d.ID()] = true
	}
	assert.Len(t, seen, 1000)
	for _, id := range want {
		assert.True(t, seen[id], "droplet %d listed", id)
	}
	assert.Equal(t, 5, srv.Requests(), "reading fields of listed droplets sends nothing")
	assert.Equal(t, int64(1000), c.LastMeta().Get("total").Int())
	rl := c.LastRateLimit()
	require.NotNil(t, rl)
	assert.Equal(t, 5000, rl.Limit)
	assert.Equal(t, 4995, rl.Remaining)
}

func TestListingSurvivesTransientFaults(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1000, Seed: 7})
	want := map[int]string{}
	for _, id := range srv.DropletIDs() {
		want[id] = ""
	}
	// Ground truth, read without faults.
	clean, err := do.Droplets(c).PageSize(200).Fresh().Collect(context.Background())
	require.NoError(t, err)
	for _, d := range clean {
		want[d.ID()] = d.Name()
	}

	srv.SetFaultRate(0.3, digitaloceantest.Fault503, digitaloceantest.Fault429, digitaloceantest.FaultReset)
	defer srv.SetFaultRate(0)
	srv.ResetRequests()
	got := map[int]string{}
	for d, err := range do.Droplets(c).PageSize(200).Fresh().All(context.Background()) {
		require.NoError(t, err)
		got[d.ID()] = d.Name()
	}
	assert.Equal(t, want, got)
	assert.Greater(t, srv.Requests(), 5, "faults were injected and retried")
}

func TestCreateNotRepeatedAfterItReachedTheServer(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 3})
	before := srv.DropletCount()
	srv.InjectNext(digitaloceantest.FaultResetAfter)
	_, _, err := do.CreateDroplet(context.Background(), c, do.DropletCreate{Name: "once-only", Region: "nyc3", Size: "s-1vcpu-1gb", Image: do.ImageSlug("ubuntu-24-04-x64")})
	require.Error(t, err)
	assert.ErrorIs(t, err, stratus.ErrUnavailable)
	assert.Equal(t, 1, srv.DropletsNamed("once-only"), "the create happened once and was not sent again")
	assert.Equal(t, before+1, srv.DropletCount())
	assert.Equal(t, 1, srv.RequestsTo("POST", "/v2/droplets"))

	// A 503 on a create is not retried either; a 429 is (nothing was done).
	srv.InjectNext(digitaloceantest.Fault429)
	d, act, err := do.CreateDroplet(context.Background(), c, do.DropletCreate{Name: "after-429", Region: "nyc3", Size: "s-1vcpu-1gb", Image: do.ImageSlug("ubuntu-24-04-x64")})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.DropletsNamed("after-429"))
	assert.Equal(t, "after-429", d.Name())
	require.NotNil(t, act)
}

func TestCreateAndWait(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	ctx := context.Background()
	d, act, err := do.CreateDroplet(ctx, c, do.DropletCreate{Name: "web-new", Region: "nyc3", Size: "s-1vcpu-1gb", Image: do.ImageSlug("ubuntu-24-04-x64"), Tags: []string{"web"}})
	require.NoError(t, err)
	assert.Equal(t, do.StatusNew, d.Status())
	assert.Empty(t, d.PublicIPv4())
	require.NotNil(t, act)

	var progress []stratus.WaitProgress
	done := make(chan error, 1)
	go func() {
		done <- act.Wait(ctx, stratus.WaitOptions{MinDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, Progress: func(p stratus.WaitProgress) { progress = append(progress, p) }})
	}()
	time.Sleep(5 * time.Millisecond)
	srv.Advance(time.Minute)
	require.NoError(t, <-done)
	assert.Equal(t, do.ActionCompleted, act.Status())
	assert.Equal(t, do.StatusActive, d.Status(), "the waited-on droplet is refreshed")
	assert.NotEmpty(t, d.PublicIPv4())
	require.NotEmpty(t, progress)
	assert.Equal(t, 1, progress[len(progress)-1].Done)
}

func TestPowerOffAndWaitDroplets(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 6})
	ctx := context.Background()
	var active []*do.DropletHandle
	for d, err := range do.Droplets(c).All(ctx) {
		require.NoError(t, err)
		if d.Status() == do.StatusActive {
			active = append(active, d)
		}
	}
	require.NotEmpty(t, active)
	for _, d := range active {
		act, err := d.PowerOff(ctx)
		require.NoError(t, err)
		assert.Equal(t, "power_off", act.Type())
	}
	// A locked droplet refuses another action with a typed error.
	_, err := active[0].PowerOn(ctx)
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.Error(t, active[0].LastError())

	// Out of wait time: the error carries the unfinished droplets.
	left, err := do.WaitDroplets(ctx, active, do.UntilStatus(do.StatusOff), stratus.WaitOptions{MinDelay: time.Millisecond, Timeout: 20 * time.Millisecond})
	assert.ErrorIs(t, err, stratus.ErrWaitTimeout)
	assert.Len(t, left, len(active))
	var wt *stratus.WaitTimeoutError
	require.ErrorAs(t, err, &wt)
	assert.Len(t, wt.Pending, len(active))

	// Cancelled: the unfinished come back with ctx's error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	left, err = do.WaitDroplets(cctx, active, do.UntilStatus(do.StatusOff), stratus.WaitOptions{MinDelay: time.Millisecond})
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotEmpty(t, left)

	srv.Advance(time.Minute)
	left, err = do.WaitDroplets(ctx, active, do.UntilStatus(do.StatusOff), stratus.WaitOptions{MinDelay: time.Millisecond})
	require.NoError(t, err)
	assert.Empty(t, left)
	for _, d := range active {
		assert.Equal(t, do.StatusOff, d.Status())
		assert.Equal(t, "off", srv.DropletStatus(d.ID()))
	}

	_, err = do.WaitDroplets(ctx, active, do.Until{})
	assert.ErrorIs(t, err, stratus.ErrInvalid, "status or locked, exactly one")
}

func TestWaitLastActionsAndErroredActions(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 4})
	ctx := context.Background()
	ds, err := do.Droplets(c).Collect(ctx)
	require.NoError(t, err)
	srv.FailNextActions(1)
	var targets []*do.DropletHandle
	for _, d := range ds {
		if _, err := d.Reboot(ctx); err == nil {
			targets = append(targets, d)
		}
	}
	require.NotEmpty(t, targets)
	srv.Advance(time.Minute)
	left, err := do.WaitLastActions(ctx, targets, stratus.WaitOptions{MinDelay: time.Millisecond})
	assert.Empty(t, left)
	require.Error(t, err)
	assert.ErrorIs(t, err, stratus.ErrFailed)
	var ae *do.ActionError
	require.ErrorAs(t, err, &ae)
	assert.Len(t, ae.Actions, 1)

	last, err := do.LastAction(ctx, c)
	require.NoError(t, err)
	assert.Equal(t, "reboot", last.Type())
}

func TestEveryDropletActionIsAccepted(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 2})
	ctx := context.Background()
	d := do.Droplet(c, srv.DropletIDs()[0])
	run := func(name string, f func() (*do.ActionHandle, error)) {
		t.Helper()
		act, err := f()
		require.NoError(t, err, name)
		assert.Equal(t, name, act.Type())
		require.NoError(t, act.Wait(ctx, stratus.WaitOptions{MinDelay: time.Millisecond}), name)
	}
	go func() {
		for range 2000 {
			time.Sleep(time.Millisecond)
			srv.CompleteActions()
		}
	}()
	run("power_off", func() (*do.ActionHandle, error) { return d.PowerOff(ctx) })
	run("power_on", func() (*do.ActionHandle, error) { return d.PowerOn(ctx) })
	run("shutdown", func() (*do.ActionHandle, error) { return d.Shutdown(ctx) })
	run("power_on", func() (*do.ActionHandle, error) { return d.PowerOn(ctx) })
	run("reboot", func() (*do.ActionHandle, error) { return d.Reboot(ctx) })
	run("power_cycle", func() (*do.ActionHandle, error) { return d.PowerCycle(ctx) })
	run("password_reset", func() (*do.ActionHandle, error) { return d.PasswordReset(ctx) })
	run("enable_ipv6", func() (*do.ActionHandle, error) { return d.EnableIPv6(ctx) })
	run("enable_backups", func() (*do.ActionHandle, error) { return d.EnableBackups(ctx, nil) })
	run("disable_backups", func() (*do.ActionHandle, error) { return d.DisableBackups(ctx) })
	run("rename", func() (*do.ActionHandle, error) { return d.Rename(ctx, "renamed-1") })
	run("resize", func() (*do.ActionHandle, error) { return d.Resize(ctx, "s-2vcpu-2gb", false) })
	run("snapshot", func() (*do.ActionHandle, error) { return d.Snapshot(ctx, "snap-1") })
	run("rebuild", func() (*do.ActionHandle, error) { return d.Rebuild(ctx, do.ImageSlug("ubuntu-24-04-x64")) })
	run("change_kernel", func() (*do.ActionHandle, error) { return d.ChangeKernel(ctx, 7515) })
	assert.Equal(t, "renamed-1", d.Name())
	assert.Equal(t, "s-2vcpu-2gb", d.SizeSlug())
	assert.Contains(t, d.Features(), "ipv6")
	assert.NotEmpty(t, d.PublicIPv6())
	assert.NotEmpty(t, d.SnapshotIDs())
	snaps, err := d.Snapshots().Collect(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, snaps)
	if len(d.BackupIDs()) > 0 {
		run("restore", func() (*do.ActionHandle, error) { return d.Restore(ctx, d.BackupIDs()[0]) })
	}

	_, err = d.Rename(ctx, "")
	assert.ErrorIs(t, err, stratus.ErrInvalid)
}

func TestCreateValidationSendsNothing(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	srv.ResetRequests()
	ctx := context.Background()
	for _, req := range []do.DropletCreate{
		{Size: "s", Image: do.ImageSlug("x")},
		{Name: "a", Image: do.ImageSlug("x")},
		{Name: "a", Size: "s"},
	} {
		_, _, err := do.CreateDroplet(ctx, c, req)
		assert.ErrorIs(t, err, stratus.ErrInvalid)
	}
	_, _, err := do.CreateDroplets(ctx, c, do.DropletCreate{Names: make([]string, 11), Size: "s", Image: do.ImageID(1)})
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.Equal(t, 0, srv.Requests())

	ds, acts, err := do.CreateDroplets(ctx, c, do.DropletCreate{Names: []string{"m-1", "m-2", "m-3"}, Size: "s-1vcpu-1gb", Image: do.ImageSlug("ubuntu-24-04-x64"), Region: "ams3"})
	require.NoError(t, err)
	assert.Len(t, ds, 3)
	assert.Len(t, acts, 3)
	assert.Equal(t, "m-2", ds[1].Name())
}

func TestByTagAndNeighbors(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 30})
	ctx := context.Background()
	web, err := do.Droplets(c).Tag("web").Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, web)
	for _, d := range web {
		assert.Contains(t, d.Tags(), "web")
	}
	acts, err := do.ActOnTag(ctx, c, "web", "power_off")
	require.NoError(t, err)
	srv.Advance(time.Minute)
	_, err = do.WaitActions(ctx, acts, stratus.WaitOptions{MinDelay: time.Millisecond})
	require.NoError(t, err)
	for _, d := range web {
		assert.Equal(t, "off", srv.DropletStatus(d.ID()))
	}
	groups, err := do.NeighborIDs(ctx, c)
	require.NoError(t, err)
	full, err := do.AllNeighbors(ctx, c)
	require.NoError(t, err)
	assert.Equal(t, len(groups), len(full))
	if len(groups) > 0 {
		ns, err := do.Droplet(c, groups[0][0]).Neighbors(ctx)
		require.NoError(t, err)
		assert.NotEmpty(t, ns)
	}
}

func TestBadTokenIsTypedAndNeverShown(t *testing.T) {
	_, srv := newTestClient(t, digitaloceantest.Config{Droplets: 2})
	var logs bytes.Buffer
	const bad = "dop_v1_thisisnotavalidtokenbutlooksreal0000000000000000000000000000"
	c, err := do.New(do.Token(bad), stratus.WithBaseURL(srv.URL()), stratus.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	d := do.Droplet(c, srv.DropletIDs()[0])
	assert.Empty(t, d.Name())
	err = d.LastError()
	require.Error(t, err)
	assert.ErrorIs(t, err, stratus.ErrUnauthorized)
	var se *stratus.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "Unable to authenticate you", se.Message)
	assert.NotEmpty(t, se.RequestID)

	var out bytes.Buffer
	_ = d.Pprint(&out)
	for _, s := range []string{err.Error(), logs.String(), out.String(), fmt.Sprintf("%v %+v %#v", c, c.Settings(), d)} {
		assert.NotContains(t, s, bad)
	}
	// And with a good token, Pprint and logs stay clean too.
	good, _ := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	out.Reset()
	first, err := do.Droplets(good).First(context.Background())
	require.NoError(t, err)
	require.NoError(t, first.Pprint(&out))
	assert.Contains(t, out.String(), `"name": "`+first.Name()+`"`)
	assert.NotContains(t, out.String(), digitaloceantest.DefaultToken)
}

func TestNoTokenRefusedAtConstruction(t *testing.T) {
	_, err := do.New()
	assert.ErrorIs(t, err, stratus.ErrUnauthorized)
	opts, err := do.FromEnv(func(k string) string {
		return map[string]string{"DIGITALOCEAN_ACCESS_TOKEN": "tok", "DIGITALOCEAN_API_URL": "http://127.0.0.1:1"}[k]
	})
	require.NoError(t, err)
	c, err := do.New(opts...)
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:1", c.BaseURL())
}

func TestWaitIgnoresDeletedTarget(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 2})
	ctx := context.Background()
	d := do.Droplet(c, srv.DropletIDs()[0])
	act, err := d.Reboot(ctx)
	require.NoError(t, err)
	require.NoError(t, d.Delete(ctx))
	srv.Advance(time.Minute)
	// Actions outlive their droplet; the wait must not fail because the
	// droplet it would refresh is gone.
	require.NoError(t, act.Wait(ctx, stratus.WaitOptions{MinDelay: time.Millisecond}))
	assert.Equal(t, do.ActionCompleted, act.Status())
}

func TestBadAnswersAreTypedWithRequestIDs(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 2})
	c2, err := do.New(do.Token(srv.Token()), stratus.WithBaseURL(srv.URL()), stratus.WithoutCache(), stratus.WithRetry(transport.NoRetry))
	require.NoError(t, err)
	_ = c
	id := srv.DropletIDs()[0]
	cases := []struct {
		fault digitaloceantest.Fault
		kind  error
		reqID bool
		msg   string
	}{
		{digitaloceantest.FaultMalformed, stratus.ErrMalformed, true, "not valid JSON"},
		{digitaloceantest.Fault502HTML, stratus.ErrUnavailable, false, "HTML error page"},
		{digitaloceantest.Fault504HTML, stratus.ErrUnavailable, false, "HTML error page"},
		{digitaloceantest.FaultTruncated, stratus.ErrUnavailable, false, "truncated"},
		{digitaloceantest.Fault500, stratus.ErrUnavailable, true, ""},
		{digitaloceantest.Fault503, stratus.ErrUnavailable, true, ""},
		{digitaloceantest.Fault429, stratus.ErrRateLimited, true, "rate limit"},
	}
	for _, tc := range cases {
		t.Run(tc.fault.String(), func(t *testing.T) {
			srv.InjectNext(tc.fault)
			d := do.Droplet(c2, id)
			assert.Empty(t, d.Name(), "a failed lazy load gives the zero value, never error text")
			err := d.LastError()
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.kind)
			var se *stratus.Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, "digitalocean", se.Provider)
			if tc.reqID {
				assert.NotEmpty(t, se.RequestID, err.Error())
			}
			if tc.msg != "" {
				assert.Contains(t, err.Error(), tc.msg)
			}
			// The next load, with no fault, works.
			require.NoError(t, d.Load(context.Background()))
			assert.NotEmpty(t, d.Name())
		})
	}
}
