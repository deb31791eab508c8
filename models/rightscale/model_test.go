package rightscale_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/rightscale"
	"github.com/stratus-cloud/stratus/scope"
	"github.com/stratus-cloud/stratus/scope/infrastructure"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/rightscale/rightscaletest"
)

func start(t *testing.T, cfg rightscaletest.Config, opts ...stratus.Option) (*rightscaletest.Server, *stratus.Client) {
	t.Helper()
	srv := rightscaletest.NewServer(cfg)
	t.Cleanup(srv.Close)
	base := []stratus.Option{stratus.WithBaseURL(srv.URL()), rightscale.RefreshToken(srv.RefreshToken()),
		rightscale.AccountID("60073"), stratus.WithRetry(transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}),
		stratus.WithWaitInterval(time.Millisecond, 5*time.Millisecond)}
	c, err := rightscale.New(append(base, opts...)...)
	require.NoError(t, err)
	// Log in first, so that the counts below are the API's calls only.
	_, err = rightscale.AuthOf(c).Token(context.Background())
	require.NoError(t, err)
	srv.ResetRequests()
	return srv, c
}

func TestHandlesAndLinksSendNothingUntilUsed(t *testing.T) {
	srv, c := start(t, rightscaletest.Config{})
	ctx := context.Background()
	byHref := rightscale.Server(c, "/api/servers/1001")
	byID := rightscale.Server(c, "1001")
	assert.Equal(t, byHref.Href(), byID.Href())
	assert.True(t, stratus.Same(byHref, byID))
	cloud := rightscale.Cloud(c, "/api/clouds/1")
	assert.Equal(t, 0, srv.Requests(), "handles send nothing")

	instances := cloud.Instances()
	assert.Equal(t, 1, srv.Requests(), "the cloud is read for its links")
	assert.Equal(t, "/api/clouds/1/instances", instances.Href())
	_ = instances.Eq("name", "web").View("tiny")
	assert.Equal(t, 1, srv.Requests(), "a collection sends nothing until used")

	ci := byHref.CurrentInstance()
	assert.Equal(t, 2, srv.Requests(), "the server, read for its link")
	assert.True(t, strings.HasPrefix(ci.Href(), "/api/clouds/1/instances/"))
	assert.False(t, ci.Loaded())
	assert.Equal(t, "operational", ci.State())
	assert.Equal(t, 3, srv.Requests())
	assert.Equal(t, byHref.Href(), ci.Link("parent"), "an instance links its server as parent")
	assert.NotEmpty(t, ci.Deployment().Href())
	assert.ElementsMatch(t, []string{"terminate", "reboot", "run_executable", "lock", "unlock"}, ci.Actions())
	assert.True(t, byHref.Can("terminate"))
	assert.False(t, byHref.Can("launch"))

	// An inactive server has no current instance: a handle that fails.
	db, err := rightscale.Servers(c).FindByName(ctx, "db-1")
	require.NoError(t, err)
	assert.Equal(t, []string{"launch", "clone"}, db.Actions())
	none := db.CurrentInstance()
	require.Error(t, none.Load(ctx))

	// instance_detail embeds the current instance: no request to follow it.
	detailed, err := rightscale.Servers(c).View("instance_detail").FindByName(ctx, "app-1")
	require.NoError(t, err)
	n := srv.Requests()
	emb := detailed.CurrentInstance()
	assert.Equal(t, "app-1", emb.Name())
	assert.Equal(t, n, srv.Requests(), "the embedded instance was used")
}

func TestTinyViewIsPartial(t *testing.T) {
	srv, c := start(t, rightscaletest.Config{})
	ctx := context.Background()
	items, err := rightscale.InstancesAt(c, "/api/clouds/1/instances").View("tiny").Collect(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, items)
	n := srv.Requests()
	in := items[0]
	assert.True(t, in.Partial())
	assert.NotEmpty(t, in.Name())
	assert.Equal(t, n, srv.Requests(), "name is in the tiny view")
	assert.Equal(t, "fixed", in.PricingType(), "a field the view lacks loads the instance")
	assert.Equal(t, n+1, srv.Requests())
	assert.False(t, in.Partial())
	assert.False(t, in.CreatedAt().IsZero(), "timestamps in the API's layout")
}

func TestFilters(t *testing.T) {
	_, c := start(t, rightscaletest.Config{})
	ctx := context.Background()
	ec2, err := rightscale.Clouds(c).Eq("name", "ec2").Collect(ctx)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(ec2), 5, "name== is a case-insensitive substring match")
	for _, cl := range ec2 {
		assert.Contains(t, strings.ToLower(cl.Name()), "ec2")
	}
	amazon, err := rightscale.Clouds(c).Eq("cloud_type", "amaz").Collect(ctx)
	require.NoError(t, err)
	assert.Empty(t, amazon, "cloud_type== is exact")
	notEC2, err := rightscale.Clouds(c).Ne("name", "EC2").Collect(ctx)
	require.NoError(t, err)
	all, err := rightscale.Clouds(c).Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, all, len(ec2)+len(notEC2))

	cl, err := rightscale.Clouds(c).FindByName(ctx, "EC2 us-east-1")
	require.NoError(t, err)
	assert.Equal(t, "/api/clouds/1", cl.Href())
	_, err = rightscale.Clouds(c).FindByName(ctx, "EC2")
	assert.True(t, errors.Is(err, stratus.ErrNotFound), "no cloud is named exactly EC2: %v", err)
	none, err := rightscale.Clouds(c).Eq("name", "does not exist").Collect(ctx)
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestListInstances(t *testing.T) {
	srv, c := start(t, rightscaletest.Config{Size: 4})
	ctx := context.Background()
	all, err := rightscale.ListInstances(ctx, c, "EC2 us-east-1", "", "tiny")
	require.NoError(t, err)
	names := map[string]bool{}
	for _, in := range all {
		assert.Equal(t, "operational", in.State())
		names[in.Name()] = true
	}
	assert.GreaterOrEqual(t, len(names), 2)
	srv.ResetRequests()
	prod, err := rightscale.ListInstances(ctx, c, "EC2 us-east-1", "production", "")
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestsTo("GET", "/api/deployments"), "the deployment looked up once")
	assert.Equal(t, 1, srv.RequestsTo("GET", "/api/clouds/1/instances"), "one listing")
	require.NotEmpty(t, prod)
	assert.Less(t, len(prod), len(all))
	for _, in := range prod {
		assert.Equal(t, "/api/deployments/1001", in.Link("deployment"))
	}
	_, err = rightscale.ListInstances(ctx, c, "No such cloud", "", "")
	assert.True(t, errors.Is(err, stratus.ErrNotFound))
}

func TestRunScriptOnServerWaitsForTheSummary(t *testing.T) {
	srv, c := start(t, rightscaletest.Config{TaskDuration: 30 * time.Second})
	ctx := context.Background()
	task, err := rightscale.RunScriptOnServer(ctx, c, "Hello World", "app-1", map[string]string{"GREETING": "hi there", "KEY": "cred:SSH_KEY"})
	require.NoError(t, err)
	assert.Contains(t, task.Href(), "/live/tasks/")
	var seen []string
	done := make(chan error, 1)
	go func() {
		done <- task.Wait(ctx, stratus.WaitOptions{Progress: func(p stratus.WaitProgress) {
			if len(seen) == 0 || seen[len(seen)-1] != p.State {
				seen = append(seen, p.State)
			}
		}})
	}()
	// Move the simulator's clock while the waiter polls.
	for range 3 {
		time.Sleep(20 * time.Millisecond)
		srv.Advance(11 * time.Second)
	}
	require.NoError(t, <-done)
	assert.Equal(t, "completed: Hello World", task.Summary())
	assert.Equal(t, "completed: Hello World", seen[len(seen)-1])
	assert.Contains(t, seen, "RightScript: 'Hello World'")

	srv.FailNextTasks(1)
	task, err = rightscale.RunScriptOnServer(ctx, c, "Hello World", "app-1", nil)
	require.NoError(t, err)
	srv.Advance(time.Minute)
	err = task.Wait(ctx)
	assert.True(t, errors.Is(err, stratus.ErrFailed), "%v", err)

	_, err = rightscale.RunScriptOnServer(ctx, c, "Hello World", "db-1", nil)
	assert.True(t, errors.Is(err, stratus.ErrConflict), "db-1 is not running: %v", err)
	_, err = rightscale.RunScriptOnServer(ctx, c, "No such script", "app-1", nil)
	assert.True(t, errors.Is(err, stratus.ErrNotFound))
}

func TestLifecycle(t *testing.T) {
	srv, c := start(t, rightscaletest.Config{})
	ctx := context.Background()
	dep, err := rightscale.Deployments(c).Create(ctx, rightscale.Params{"deployment[name]": {"stratus-test"}, "deployment[description]": {"made by a test"}})
	require.NoError(t, err)
	assert.Equal(t, "stratus-test", dep.Name())
	_, err = rightscale.Deployments(c).Create(ctx, rightscale.Params{"deployment[name]": {"stratus-test"}})
	assert.True(t, errors.Is(err, stratus.ErrInvalid), "a second deployment of that name: %v", err)
	require.NoError(t, dep.Update(ctx, rightscale.Params{"deployment[description]": {"changed"}}))
	assert.Equal(t, "changed", dep.Description())

	_, err = rightscale.Servers(c).Create(ctx, rightscale.Params{"server[name]": {"no-deployment"}})
	assert.True(t, errors.Is(err, stratus.ErrInvalid), "a server needs a deployment: %v", err)
	srvH, err := rightscale.Servers(c).Create(ctx, rightscale.Params{"server[name]": {"new-1"}, "server[deployment_href]": {dep.Href()},
		"server[instance][cloud_href]": {"/api/clouds/1"}, "server[instance][server_template_href]": {"/api/server_templates/348626003"}})
	require.NoError(t, err)
	assert.Equal(t, "inactive", srvH.State())
	res, err := srvH.Launch(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 201, res.Status)
	in := res.Instance()
	assert.Equal(t, "pending", in.State())
	srv.Advance(4 * time.Minute)
	require.NoError(t, in.Reload(ctx))
	assert.Equal(t, "operational", in.State())
	assert.NotEmpty(t, in.PublicIPAddresses())

	_, err = in.Terminate(ctx, nil)
	require.NoError(t, err)
	srv.Advance(4 * time.Minute)
	require.NoError(t, srvH.Reload(ctx))
	assert.Equal(t, "inactive", srvH.State())
	require.NoError(t, srvH.Destroy(ctx))
	ok, err := srvH.Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
	require.NoError(t, dep.Destroy(ctx))
}

func TestTagsAndAccount(t *testing.T) {
	_, c := start(t, rightscaletest.Config{})
	ctx := context.Background()
	servers, err := rightscale.ServersByTag(ctx, c, false, "server:role=app")
	require.NoError(t, err)
	require.Len(t, servers, 1)
	assert.Equal(t, "app-1", servers[0].Name())
	wild, err := rightscale.ServersByTag(ctx, c, false, "server:role=*")
	require.NoError(t, err)
	assert.Len(t, wild, 2)
	db, err := rightscale.Servers(c).FindByName(ctx, "db-1")
	require.NoError(t, err)
	require.NoError(t, rightscale.AddTags(ctx, c, []string{db.Href()}, "team:owner=ops"))
	tags, err := rightscale.Tags(ctx, c, db.Href())
	require.NoError(t, err)
	assert.Contains(t, tags[db.Href()], "team:owner=ops")
	require.NoError(t, rightscale.RemoveTags(ctx, c, []string{db.Href()}, "team:owner=ops"))
	tags, err = rightscale.Tags(ctx, c, db.Href())
	require.NoError(t, err)
	assert.NotContains(t, tags[db.Href()], "team:owner=ops")

	acct := rightscale.Account(c, "60073")
	assert.Equal(t, "Stratus Sandbox", acct.Name())
	assert.Equal(t, "rightscale888", acct.Owner().LoginName())
	accts, err := rightscale.SessionAccounts(c).Collect(ctx)
	require.NoError(t, err)
	require.Len(t, accts, 1)
	assert.True(t, stratus.Same(acct, accts[0]))
	assert.Contains(t, rightscale.Root(c).Links(), "clouds")
}

func TestScope(t *testing.T) {
	_, c := start(t, rightscaletest.Config{})
	ctx := context.Background()
	states := map[string]int{}
	n := 0
	for s, err := range infrastructure.Servers(ctx, c) {
		require.NoError(t, err)
		states[s.State()]++
		n++
		if n > 400 {
			break
		}
	}
	assert.Greater(t, states[scope.StateRunning], 0)
	assert.Greater(t, states[scope.StateStopped], 0)
}
