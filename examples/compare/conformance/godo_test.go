package conformance

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/digitalocean/godo"
	"github.com/digitalocean/godo/util"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
)

// start runs a simulator and a godo client without retries, the way godo's
// README builds one with a custom base URL: the token travels as a plain
// request header.
func start(t *testing.T, cfg digitaloceantest.Config) (*digitaloceantest.Server, *godo.Client) {
	t.Helper()
	srv := digitaloceantest.NewServer(cfg)
	t.Cleanup(srv.Close)
	client, err := godo.New(&http.Client{Timeout: 10 * time.Second},
		godo.SetBaseURL(srv.URL()+"/"),
		godo.SetUserAgent("stratus-conformance"),
		godo.SetRequestHeaders(map[string]string{"Authorization": "Bearer " + srv.Token()}))
	require.NoError(t, err)
	return srv, client
}

// fromToken builds the client most users have: NewFromToken, which cleans
// the token and retries 429 and 5xx answers, pointed at the simulator.
func fromToken(t *testing.T, srv *digitaloceantest.Server) *godo.Client {
	t.Helper()
	client := godo.NewFromToken("  '" + srv.Token() + "'\n")
	var err error
	client.BaseURL, err = client.BaseURL.Parse(srv.URL() + "/")
	require.NoError(t, err)
	return client
}

func TestPagedListing(t *testing.T) {
	for _, tc := range []struct{ droplets, perPage int }{{23, 7}, {450, 200}, {5, 0}} {
		t.Run(strconv.Itoa(tc.droplets)+"/"+strconv.Itoa(tc.perPage), func(t *testing.T) {
			srv, client := start(t, digitaloceantest.Config{Droplets: tc.droplets})
			ctx := context.Background()

			// The loop from godo's README.
			var list []godo.Droplet
			opt := &godo.ListOptions{PerPage: tc.perPage}
			pages := 0
			for {
				droplets, resp, err := client.Droplets.List(ctx, opt)
				require.NoError(t, err)
				pages++
				list = append(list, droplets...)
				assert.Equal(t, tc.droplets, resp.Meta.Total)
				if resp.Links == nil || resp.Links.IsLastPage() {
					break
				}
				page, err := resp.Links.CurrentPage()
				require.NoError(t, err)
				assert.Equal(t, pages, page)
				opt.Page = page + 1
			}
			per := tc.perPage
			if per == 0 {
				per = 20
			}
			assert.Equal(t, (tc.droplets+per-1)/per, pages)
			require.Len(t, list, tc.droplets)
			ids := make([]int, len(list))
			for i, d := range list {
				ids[i] = d.ID
				assert.NotEmpty(t, d.Name)
				assert.NotNil(t, d.Region)
				assert.NotNil(t, d.Size)
			}
			assert.Equal(t, srv.DropletIDs(), ids)
			assert.Equal(t, pages, srv.RequestsTo(http.MethodGet, "/v2/droplets"))
		})
	}
}

func TestGetDroplet(t *testing.T) {
	srv, client := start(t, digitaloceantest.Config{})
	ctx := context.Background()
	id := srv.DropletIDs()[0]
	d, resp, err := client.Droplets.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, id, d.ID)
	assert.Equal(t, "web-0001", d.Name)
	assert.Equal(t, "active", d.Status)
	assert.Equal(t, []string{"web", "env:prod"}, d.Tags)
	assert.Equal(t, d.Size.Slug, d.SizeSlug)
	assert.Equal(t, d.Size.Memory, d.Memory)
	assert.True(t, d.Image.Public)
	assert.NotEmpty(t, d.Image.Slug)
	assert.NotEmpty(t, d.Region.Slug)
	assert.NotEmpty(t, d.VPCUUID)
	require.NotNil(t, d.Kernel)
	assert.NotZero(t, d.Kernel.ID)
	require.NotNil(t, d.NextBackupWindow)
	assert.False(t, d.NextBackupWindow.Start.IsZero())
	pub, err := d.PublicIPv4()
	require.NoError(t, err)
	assert.NotEmpty(t, pub)
	priv, err := d.PrivateIPv4()
	require.NoError(t, err)
	assert.NotEmpty(t, priv)
	v6, err := d.PublicIPv6()
	require.NoError(t, err)
	assert.NotEmpty(t, v6)
	created, err := time.Parse(time.RFC3339, d.Created)
	require.NoError(t, err)
	assert.True(t, created.Before(srv.Now()))

	byName, _, err := client.Droplets.ListByName(ctx, "web-0001", nil)
	require.NoError(t, err)
	require.Len(t, byName, 1)
	assert.Equal(t, id, byName[0].ID)
}

func TestCreateAndWait(t *testing.T) {
	srv, client := start(t, digitaloceantest.Config{ActionDuration: 45 * time.Second})
	ctx := context.Background()
	keys, _, err := client.Keys.List(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, keys)

	d, resp, err := client.Droplets.Create(ctx, &godo.DropletCreateRequest{
		Name:    "api-1",
		Region:  "nyc3",
		Size:    "s-1vcpu-1gb",
		Image:   godo.DropletCreateImage{Slug: "ubuntu-24-04-x64"},
		SSHKeys: []godo.DropletCreateSSHKey{{Fingerprint: keys[0].Fingerprint}, {ID: keys[1].ID}},
		IPv6:    true,
		Tags:    []string{"web"},
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.Equal(t, "new", d.Status)
	assert.Equal(t, "nyc3", d.Region.Slug)
	assert.Empty(t, d.Networks.V4)
	require.NotNil(t, resp.Links)
	require.Len(t, resp.Links.Actions, 1)
	link := resp.Links.Actions[0]
	assert.Equal(t, "create", link.Rel)

	a, _, err := client.DropletActions.GetByURI(ctx, link.HREF)
	require.NoError(t, err)
	assert.Equal(t, godo.ActionInProgress, a.Status)
	assert.Equal(t, d.ID, a.ResourceID)
	assert.Nil(t, a.CompletedAt)

	srv.Advance(44 * time.Second)
	a, _, err = client.DropletActions.GetByURI(ctx, link.HREF)
	require.NoError(t, err)
	assert.Equal(t, godo.ActionInProgress, a.Status)

	srv.Advance(time.Second)
	a, _, err = link.Get(ctx, client)
	require.NoError(t, err)
	assert.Equal(t, godo.ActionCompleted, a.Status)
	require.NotNil(t, a.CompletedAt)
	assert.Equal(t, 45*time.Second, a.CompletedAt.Sub(a.StartedAt.Time))
	// godo's own waiter returns at once on a completed action.
	require.NoError(t, util.WaitForActive(ctx, client, link.HREF))

	d, _, err = client.Droplets.Get(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, "active", d.Status)
	assert.False(t, d.Locked)
	pub, err := d.PublicIPv4()
	require.NoError(t, err)
	assert.NotEmpty(t, pub)
	v6, err := d.PublicIPv6()
	require.NoError(t, err)
	assert.NotEmpty(t, v6)

	many, resp, err := client.Droplets.CreateMultiple(ctx, &godo.DropletMultiCreateRequest{
		Names: []string{"batch-1", "batch-2"},
		Size:  "s-1vcpu-1gb",
		Image: godo.DropletCreateImage{ID: 129211873},
	})
	require.NoError(t, err)
	require.Len(t, many, 2)
	assert.Len(t, resp.Links.Actions, 2)
	assert.Equal(t, 1, srv.DropletsNamed("batch-2"))

	_, err = client.Droplets.Delete(ctx, many[0].ID)
	require.NoError(t, err)
	assert.Equal(t, 0, srv.DropletsNamed("batch-1"))
}

func TestPowerOff(t *testing.T) {
	srv, client := start(t, digitaloceantest.Config{Droplets: 8})
	ctx := context.Background()
	id := srv.DropletIDs()[0]

	a, resp, err := client.DropletActions.PowerOff(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "power_off", a.Type)
	assert.Equal(t, godo.ActionInProgress, a.Status)
	assert.Equal(t, "droplet", a.ResourceType)

	_, _, err = client.DropletActions.Reboot(ctx, id)
	var er *godo.ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, http.StatusUnprocessableEntity, er.Response.StatusCode)
	assert.Equal(t, "Droplet already has a pending event.", er.Message)

	srv.Advance(10 * time.Second)
	a, _, err = client.DropletActions.Get(ctx, id, a.ID)
	require.NoError(t, err)
	assert.Equal(t, godo.ActionCompleted, a.Status)
	d, _, err := client.Droplets.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "off", d.Status)

	// By tag, then the account-wide action log, newest first.
	acts, _, err := client.DropletActions.PowerOffByTag(ctx, "db")
	require.NoError(t, err)
	require.Len(t, acts, 2)
	srv.CompleteActions()
	dbs, _, err := client.Droplets.ListByTag(ctx, "db", nil)
	require.NoError(t, err)
	for _, d := range dbs {
		assert.Equal(t, "off", d.Status)
	}
	all, _, err := client.Actions.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all, 3)
	assert.Equal(t, acts[1].ID, all[0].ID)

	_, _, err = client.DropletActions.Resize(ctx, id, "s-2vcpu-4gb", true)
	require.NoError(t, err)
	srv.CompleteActions()
	_, _, err = client.DropletActions.Rename(ctx, id, "renamed")
	require.NoError(t, err)
	srv.CompleteActions()
	d, _, err = client.Droplets.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "s-2vcpu-4gb", d.SizeSlug)
	assert.Equal(t, 4096, d.Memory)
	assert.Equal(t, "renamed", d.Name)
}

func TestTags(t *testing.T) {
	srv, client := start(t, digitaloceantest.Config{})
	ctx := context.Background()
	ids := srv.DropletIDs()

	tag, resp, err := client.Tags.Create(ctx, &godo.TagCreateRequest{Name: "blue"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "blue", tag.Name)
	require.NotNil(t, tag.Resources)
	assert.Zero(t, tag.Resources.Count)

	_, err = client.Tags.TagResources(ctx, "blue", &godo.TagResourcesRequest{Resources: []godo.Resource{
		{ID: strconv.Itoa(ids[1]), Type: godo.DropletResourceType},
		{ID: strconv.Itoa(ids[2]), Type: godo.DropletResourceType},
	}})
	require.NoError(t, err)
	tagged, _, err := client.Droplets.ListByTag(ctx, "blue", nil)
	require.NoError(t, err)
	require.Len(t, tagged, 2)
	assert.Equal(t, []int{ids[1], ids[2]}, []int{tagged[0].ID, tagged[1].ID})
	assert.Contains(t, tagged[0].Tags, "blue")

	tag, _, err = client.Tags.Get(ctx, "blue")
	require.NoError(t, err)
	assert.Equal(t, 2, tag.Resources.Count)
	require.NotNil(t, tag.Resources.Droplets)
	assert.Equal(t, 2, tag.Resources.Droplets.Count)
	require.NotNil(t, tag.Resources.Droplets.LastTagged)
	assert.Equal(t, ids[2], tag.Resources.Droplets.LastTagged.ID)

	_, err = client.Tags.UntagResources(ctx, "blue", &godo.UntagResourcesRequest{Resources: []godo.Resource{
		{ID: strconv.Itoa(ids[1]), Type: godo.DropletResourceType},
	}})
	require.NoError(t, err)
	tagged, _, err = client.Droplets.ListByTag(ctx, "blue", nil)
	require.NoError(t, err)
	require.Len(t, tagged, 1)
	assert.Equal(t, ids[2], tagged[0].ID)

	tags, _, err := client.Tags.List(ctx, nil)
	require.NoError(t, err)
	names := make([]string, len(tags))
	for i, tg := range tags {
		names[i] = tg.Name
	}
	assert.Contains(t, names, "blue")

	_, err = client.Tags.Delete(ctx, "blue")
	require.NoError(t, err)
	d, _, err := client.Droplets.Get(ctx, ids[2])
	require.NoError(t, err)
	assert.NotContains(t, d.Tags, "blue")
	_, _, err = client.Tags.Get(ctx, "blue")
	assert.Error(t, err)
}

func TestDomains(t *testing.T) {
	_, client := start(t, digitaloceantest.Config{})
	ctx := context.Background()

	dom, resp, err := client.Domains.Create(ctx, &godo.DomainCreateRequest{Name: "stratus.test", IPAddress: "203.0.113.9"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "stratus.test", dom.Name)

	recs, _, err := client.Domains.Records(ctx, "stratus.test", nil)
	require.NoError(t, err)
	types := make([]string, len(recs))
	for i, r := range recs {
		types[i] = r.Type
	}
	assert.Equal(t, []string{"SOA", "NS", "NS", "NS", "A"}, types)

	rec, resp, err := client.Domains.CreateRecord(ctx, "stratus.test", &godo.DomainRecordEditRequest{
		Type: "A", Name: "www", Data: "203.0.113.10", TTL: 600})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "www", rec.Name)
	assert.Equal(t, 600, rec.TTL)

	mx, _, err := client.Domains.CreateRecord(ctx, "stratus.test", &godo.DomainRecordEditRequest{
		Type: "MX", Name: "@", Data: "mail.stratus.test.", Priority: 10})
	require.NoError(t, err)
	assert.Equal(t, 10, mx.Priority)
	assert.Equal(t, 1800, mx.TTL)

	byType, _, err := client.Domains.RecordsByType(ctx, "stratus.test", "MX", nil)
	require.NoError(t, err)
	require.Len(t, byType, 1)
	assert.Equal(t, mx.ID, byType[0].ID)
	byName, _, err := client.Domains.RecordsByName(ctx, "stratus.test", "www.stratus.test", nil)
	require.NoError(t, err)
	require.Len(t, byName, 1)
	assert.Equal(t, rec.ID, byName[0].ID)

	edited, _, err := client.Domains.EditRecord(ctx, "stratus.test", rec.ID, &godo.DomainRecordEditRequest{Data: "203.0.113.11"})
	require.NoError(t, err)
	assert.Equal(t, "203.0.113.11", edited.Data)
	assert.Equal(t, "www", edited.Name)
	got, _, err := client.Domains.Record(ctx, "stratus.test", rec.ID)
	require.NoError(t, err)
	assert.Equal(t, "203.0.113.11", got.Data)

	dom, _, err = client.Domains.Get(ctx, "stratus.test")
	require.NoError(t, err)
	assert.Equal(t, 1800, dom.TTL)
	assert.Contains(t, dom.ZoneFile, "www.stratus.test. 600 IN A 203.0.113.11")

	_, err = client.Domains.DeleteRecord(ctx, "stratus.test", rec.ID)
	require.NoError(t, err)
	_, _, err = client.Domains.Record(ctx, "stratus.test", rec.ID)
	assert.Error(t, err)

	list, _, err := client.Domains.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, list, 2)
	_, err = client.Domains.Delete(ctx, "stratus.test")
	require.NoError(t, err)
	_, _, err = client.Domains.Get(ctx, "stratus.test")
	assert.Error(t, err)
}

func TestSSHKeys(t *testing.T) {
	_, client := start(t, digitaloceantest.Config{})
	ctx := context.Background()
	// Fingerprint from `ssh-keygen -l -E md5`.
	const pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1DJ7JWLhzvMSSq+gl61B23b+f6hLPDI/m6uhpQeEIc ed@stratus"
	const fp = "0e:e1:17:de:d8:07:48:1d:ff:ab:44:06:c9:65:2a:d7"

	key, resp, err := client.Keys.Create(ctx, &godo.KeyCreateRequest{Name: "laptop", PublicKey: pub})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, fp, key.Fingerprint)
	assert.Equal(t, pub, key.PublicKey)

	got, _, err := client.Keys.GetByFingerprint(ctx, fp)
	require.NoError(t, err)
	assert.Equal(t, key.ID, got.ID)
	got, _, err = client.Keys.GetByID(ctx, key.ID)
	require.NoError(t, err)
	assert.Equal(t, "laptop", got.Name)

	upd, _, err := client.Keys.UpdateByFingerprint(ctx, fp, &godo.KeyUpdateRequest{Name: "desk"})
	require.NoError(t, err)
	assert.Equal(t, "desk", upd.Name)
	upd, _, err = client.Keys.UpdateByID(ctx, key.ID, &godo.KeyUpdateRequest{Name: "desk-2"})
	require.NoError(t, err)
	assert.Equal(t, "desk-2", upd.Name)

	_, _, err = client.Keys.Create(ctx, &godo.KeyCreateRequest{Name: "bad", PublicKey: "ssh-rsa nope"})
	var er *godo.ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, http.StatusUnprocessableEntity, er.Response.StatusCode)

	_, err = client.Keys.DeleteByFingerprint(ctx, fp)
	require.NoError(t, err)
	_, _, err = client.Keys.GetByID(ctx, key.ID)
	require.ErrorAs(t, err, &er)
	assert.Equal(t, http.StatusNotFound, er.Response.StatusCode)
}

func TestFloatingIPs(t *testing.T) {
	srv, client := start(t, digitaloceantest.Config{})
	ctx := context.Background()
	id := srv.DropletIDs()[0]

	fip, resp, err := client.FloatingIPs.Create(ctx, &godo.FloatingIPCreateRequest{DropletID: id})
	require.NoError(t, err)
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	assert.True(t, fip.Locked)
	require.Len(t, resp.Links.Actions, 1)
	assert.Equal(t, "assign_ip", resp.Links.Actions[0].Rel)
	assign, _, err := resp.Links.Actions[0].Get(ctx, client)
	require.NoError(t, err)
	assert.Equal(t, "assign_ip", assign.Type)
	assert.Equal(t, "floating_ip", assign.ResourceType)

	srv.Advance(10 * time.Second)
	fip, _, err = client.FloatingIPs.Get(ctx, fip.IP)
	require.NoError(t, err)
	require.NotNil(t, fip.Droplet)
	assert.Equal(t, id, fip.Droplet.ID)
	assert.False(t, fip.Locked)
	assert.Equal(t, fip.Droplet.Region.Slug, fip.Region.Slug)

	a, resp, err := client.FloatingIPActions.Unassign(ctx, fip.IP)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "unassign_ip", a.Type)
	srv.CompleteActions()
	fip, _, err = client.FloatingIPs.Get(ctx, fip.IP)
	require.NoError(t, err)
	assert.Nil(t, fip.Droplet)

	a, _, err = client.FloatingIPActions.Assign(ctx, fip.IP, id)
	require.NoError(t, err)
	assert.Equal(t, "assign_ip", a.Type)
	srv.CompleteActions()
	got, _, err := client.FloatingIPActions.Get(ctx, fip.IP, a.ID)
	require.NoError(t, err)
	assert.Equal(t, godo.ActionCompleted, got.Status)
	acts, _, err := client.FloatingIPActions.List(ctx, fip.IP, nil)
	require.NoError(t, err)
	assert.Len(t, acts, 3)

	rip, _, err := client.ReservedIPs.Get(ctx, fip.IP)
	require.NoError(t, err)
	require.NotNil(t, rip.Droplet)
	assert.Equal(t, id, rip.Droplet.ID)

	list, _, err := client.FloatingIPs.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	_, err = client.FloatingIPs.Delete(ctx, fip.IP)
	require.NoError(t, err)
	_, _, err = client.FloatingIPs.Get(ctx, fip.IP)
	assert.Error(t, err)
}

func TestAccount(t *testing.T) {
	_, client := start(t, digitaloceantest.Config{})
	acct, _, err := client.Account.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 25, acct.DropletLimit)
	assert.Positive(t, acct.FloatingIPLimit)
	assert.Positive(t, acct.ReservedIPLimit)
	assert.Positive(t, acct.VolumeLimit)
	assert.NotEmpty(t, acct.Email)
	assert.Len(t, acct.UUID, 40)
	assert.True(t, acct.EmailVerified)
	assert.Equal(t, "active", acct.Status)
	require.NotNil(t, acct.Team)
	assert.NotEmpty(t, acct.Team.UUID)
}

func TestCatalog(t *testing.T) {
	srv, client := start(t, digitaloceantest.Config{Droplets: 12})
	ctx := context.Background()
	regions, _, err := client.Regions.List(ctx, &godo.ListOptions{PerPage: 200})
	require.NoError(t, err)
	assert.NotEmpty(t, regions)
	sizes, _, err := client.Sizes.List(ctx, &godo.ListOptions{PerPage: 200})
	require.NoError(t, err)
	gpu := slices.IndexFunc(sizes, func(z godo.Size) bool { return z.GPUInfo != nil })
	require.GreaterOrEqual(t, gpu, 0)
	assert.Equal(t, 1, sizes[gpu].GPUInfo.Count)

	distros, _, err := client.Images.ListDistribution(ctx, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, distros)
	img, _, err := client.Images.GetBySlug(ctx, "debian-12-x64")
	require.NoError(t, err)
	assert.Equal(t, "Debian", img.Distribution)
	user, _, err := client.Images.ListUser(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, user)
	for _, i := range user {
		assert.False(t, i.Public)
	}
	upd, _, err := client.Images.Update(ctx, user[0].ID, &godo.ImageUpdateRequest{Name: "renamed-image"})
	require.NoError(t, err)
	assert.Equal(t, "renamed-image", upd.Name)

	id := srv.DropletIDs()[0]
	kernels, _, err := client.Droplets.Kernels(ctx, id, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, kernels)
	backups, _, err := client.Droplets.Backups(ctx, id, nil)
	require.NoError(t, err)
	assert.Len(t, backups, 1)
	snaps, _, err := client.Droplets.Snapshots(ctx, id, nil)
	require.NoError(t, err)
	assert.Len(t, snaps, 1)
	neighbors, _, err := client.Droplets.Neighbors(ctx, id)
	require.NoError(t, err)
	require.Len(t, neighbors, 1)
	assert.Equal(t, srv.DropletIDs()[1], neighbors[0].ID)
}

func TestRateAndErrors(t *testing.T) {
	srv, client := start(t, digitaloceantest.Config{})
	ctx := context.Background()

	_, first, err := client.Account.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, 5000, first.Rate.Limit)
	assert.Equal(t, 4999, first.Rate.Remaining)
	assert.Equal(t, srv.Now().Add(time.Hour).Unix(), first.Rate.Reset.Unix())
	_, second, err := client.Account.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, first.Rate.Remaining-1, second.Rate.Remaining)
	assert.Equal(t, second.Rate, client.GetRate())

	_, resp, err := client.Droplets.Get(ctx, 1)
	var er *godo.ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, http.StatusNotFound, er.Response.StatusCode)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.NotEmpty(t, er.Message)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, er.RequestID)
	assert.Equal(t, resp.Header.Get("x-request-id"), er.RequestID)
	assert.Contains(t, er.Error(), `404 (request "`+er.RequestID+`")`)
	assert.Equal(t, 4997, resp.Rate.Remaining, "errors carry the rate headers too")

	// An HTML page from a proxy becomes the message.
	srv.InjectNext(digitaloceantest.Fault504HTML)
	_, _, err = client.Account.Get(ctx)
	require.ErrorAs(t, err, &er)
	assert.Equal(t, http.StatusGatewayTimeout, er.Response.StatusCode)
	assert.Contains(t, er.Message, "<html")
}

func TestRetries(t *testing.T) {
	srv, _ := start(t, digitaloceantest.Config{})
	client := fromToken(t, srv)
	ctx := context.Background()

	srv.InjectNext(digitaloceantest.Fault503)
	acct, resp, err := client.Account.Get(ctx)
	require.NoError(t, err, "godo retries a 503")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotEmpty(t, acct.UUID)
	assert.Equal(t, 2, srv.RequestsTo(http.MethodGet, "/v2/account"))

	srv.ResetRequests()
	srv.InjectNext(digitaloceantest.Fault429)
	d, _, err := client.Droplets.Get(ctx, srv.DropletIDs()[0])
	require.NoError(t, err, "godo honours retry-after on a 429")
	assert.Equal(t, "web-0001", d.Name)
	assert.Equal(t, 2, srv.Requests())

	// Without retries the same fault is an error.
	srv2, plainClient := start(t, digitaloceantest.Config{})
	srv2.InjectNext(digitaloceantest.Fault503)
	_, _, err = plainClient.Account.Get(ctx)
	var er *godo.ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, http.StatusServiceUnavailable, er.Response.StatusCode)
	assert.NotEmpty(t, er.RequestID)
	assert.Zero(t, er.Attempts, "no retry layer, no attempt count")
}
