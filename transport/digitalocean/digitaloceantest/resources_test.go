package digitaloceantest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const createBody = `{"name":"api-1","region":"nyc3","size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64","ssh_keys":null,"backups":false,"ipv6":true,"private_networking":false,"monitoring":true,"tags":null}` + "\n"

func TestSeededDroplets(t *testing.T) {
	c := newTC(t, Config{Droplets: 100})
	ids := c.srv.DropletIDs()
	require.Len(t, ids, 100)
	assert.IsIncreasing(t, ids)
	assert.Equal(t, 1, c.srv.DropletsNamed("web-0001"))
	assert.Equal(t, 1, c.srv.DropletsNamed("db-0002"))

	r := c.get("/v2/droplets/" + strconv.Itoa(ids[0]))
	require.Equal(t, http.StatusOK, r.status)
	d := r.json.Get("droplet")
	for _, f := range []string{"id", "name", "memory", "vcpus", "disk", "disk_info", "locked", "status", "kernel",
		"created_at", "features", "backup_ids", "next_backup_window", "snapshot_ids", "image", "volume_ids",
		"size", "size_slug", "networks", "region", "tags", "vpc_uuid"} {
		assert.True(t, d.Get(f).Exists(), "field %s", f)
	}
	assert.Equal(t, "web-0001", d.Get("name").String())
	assert.Equal(t, "active", d.Get("status").String())
	assert.Equal(t, []any{"web", "env:prod"}, d.Get("tags").Value())
	assert.Equal(t, "public", d.Get("networks.v4.0.type").String())
	assert.Equal(t, "private", d.Get("networks.v4.1.type").String())
	assert.Equal(t, "255.255.255.0", d.Get("networks.v4.0.netmask").String())
	assert.Equal(t, int64(64), d.Get("networks.v6.0.netmask").Int())
	assert.Equal(t, d.Get("size.slug").String(), d.Get("size_slug").String())
	assert.Equal(t, d.Get("size.memory").Int(), d.Get("memory").Int())
	assert.NotEmpty(t, d.Get("image.slug").String())
	assert.NotEmpty(t, d.Get("region.slug").String())
	assert.Len(t, d.Get("snapshot_ids").Array(), 1)
	assert.Len(t, d.Get("backup_ids").Array(), 1)
	_, err := time.Parse(time.RFC3339, d.Get("created_at").String())
	assert.NoError(t, err)

	off := c.get("/v2/droplets/" + strconv.Itoa(ids[4])).json.Get("droplet")
	assert.Equal(t, "off", off.Get("status").String())

	// Same seed, same data; another seed, other data.
	other := newTC(t, Config{Droplets: 100})
	assert.Equal(t, string(r.body), string(other.get("/v2/droplets/"+strconv.Itoa(ids[0])).body))
	third := newTC(t, Config{Droplets: 100, Seed: 7})
	assert.NotEqual(t, c.get("/v2/droplets?per_page=100").json.Get("droplets.#.size_slug").Raw,
		third.get("/v2/droplets?per_page=100").json.Get("droplets.#.size_slug").Raw)
}

func TestListFilters(t *testing.T) {
	c := newTC(t, Config{Droplets: 100})
	r := c.get("/v2/droplets?tag_name=web&per_page=200")
	assert.Equal(t, int64(50), r.json.Get("meta.total").Int())
	for _, tags := range r.json.Get("droplets.#.tags").Array() {
		assert.Contains(t, tags.String(), `"web"`)
	}
	assert.Equal(t, int64(25), c.get("/v2/droplets?tag_name=db").json.Get("meta.total").Int())
	r = c.get("/v2/droplets?name=WEB-0003")
	assert.Equal(t, int64(1), r.json.Get("meta.total").Int(), "name matches case-insensitively")
	assert.Equal(t, "web-0003", r.json.Get("droplets.0.name").String())
	assert.Equal(t, int64(2), c.get("/v2/droplets?type=gpus").json.Get("meta.total").Int())
	assert.Equal(t, int64(98), c.get("/v2/droplets?type=droplets").json.Get("meta.total").Int())

	requireError(t, c.get("/v2/droplets?tag_name=web&name=web-0001"), http.StatusBadRequest, "bad_request")
	requireError(t, c.get("/v2/droplets?type=gpus&tag_name=web"), http.StatusBadRequest, "bad_request")
	requireError(t, c.get("/v2/droplets?type=vms"), http.StatusBadRequest, "bad_request")
}

func TestCreateDroplet(t *testing.T) {
	c := newTC(t, Config{})
	c.host = "sim.example:9999"
	r := c.do(http.MethodPost, "/v2/droplets", createBody)
	require.Equal(t, http.StatusAccepted, r.status, "%s", r.body)
	d := r.json.Get("droplet")
	assert.Equal(t, "api-1", d.Get("name").String())
	assert.Equal(t, "new", d.Get("status").String())
	assert.True(t, d.Get("locked").Bool())
	assert.Equal(t, "[]", d.Get("networks.v4").Raw)
	assert.Equal(t, "[]", d.Get("networks.v6").Raw)
	assert.Equal(t, "[]", d.Get("tags").Raw)
	assert.Equal(t, "nyc3", d.Get("region.slug").String())
	assert.Contains(t, d.Get("features").String(), "monitoring")
	links := r.json.Get("links.actions").Array()
	require.Len(t, links, 1)
	assert.Equal(t, "create", links[0].Get("rel").String())
	actionID := links[0].Get("id").Int()
	assert.Equal(t, "http://sim.example:9999/v2/actions/"+strconv.FormatInt(actionID, 10), links[0].Get("href").String())

	id := d.Get("id").Int()
	path := "/v2/droplets/" + strconv.FormatInt(id, 10)
	a := c.get("/v2/actions/" + strconv.FormatInt(actionID, 10)).json.Get("action")
	assert.Equal(t, "in-progress", a.Get("status").String())
	assert.Equal(t, "create", a.Get("type").String())
	assert.Equal(t, id, a.Get("resource_id").Int())
	assert.Equal(t, "droplet", a.Get("resource_type").String())
	assert.Equal(t, "nyc3", a.Get("region_slug").String())
	assert.Equal(t, "null", a.Get("completed_at").Raw)

	c.srv.Advance(10 * time.Second)
	d = c.get(path).json.Get("droplet")
	assert.Equal(t, "active", d.Get("status").String())
	assert.False(t, d.Get("locked").Bool())
	assert.Len(t, d.Get("networks.v4").Array(), 2)
	assert.Len(t, d.Get("networks.v6").Array(), 1, "ipv6 was requested")
	a = c.get("/v2/actions/" + strconv.FormatInt(actionID, 10)).json.Get("action")
	assert.Equal(t, "completed", a.Get("status").String())
	assert.Equal(t, "2026-01-01T00:00:10Z", a.Get("completed_at").String())

	// Many at once.
	r = c.do(http.MethodPost, "/v2/droplets", `{"names":["m-1","m-2","m-3"],"size":"s-1vcpu-1gb","image":129211873,"ssh_keys":[41000000],"tags":["fleet","Web"]}`)
	require.Equal(t, http.StatusAccepted, r.status, "%s", r.body)
	assert.Len(t, r.json.Get("droplets").Array(), 3)
	assert.Len(t, r.json.Get("links.actions").Array(), 3)
	assert.Equal(t, `["fleet","web"]`, r.json.Get("droplets.0.tags").Raw, "tags take the canonical spelling")
	assert.Equal(t, http.StatusOK, c.get("/v2/tags/fleet").status, "tags are created on the fly")

	// Deletes.
	assert.Equal(t, http.StatusNoContent, c.do(http.MethodDelete, path, "").status)
	assert.Equal(t, http.StatusNotFound, c.get(path).status)
	before := c.srv.DropletCount()
	assert.Equal(t, http.StatusNoContent, c.do(http.MethodDelete, "/v2/droplets?tag_name=fleet", "").status)
	assert.Equal(t, before-3, c.srv.DropletCount())
	requireError(t, c.do(http.MethodDelete, "/v2/droplets", ""), http.StatusBadRequest, "bad_request")
}

func TestCreateDropletValidation(t *testing.T) {
	c := newTC(t, Config{})
	for name, body := range map[string]string{
		"bad name":       `{"name":"bad name!","size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64"}`,
		"no name":        `{"size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64"}`,
		"both":           `{"name":"a","names":["b"],"size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64"}`,
		"eleven":         `{"names":["a","b","c","d","e","f","g","h","i","j","k"],"size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64"}`,
		"no size":        `{"name":"a","image":"ubuntu-24-04-x64"}`,
		"unknown size":   `{"name":"a","size":"s-99","image":"ubuntu-24-04-x64"}`,
		"no image":       `{"name":"a","size":"s-1vcpu-1gb"}`,
		"unknown image":  `{"name":"a","size":"s-1vcpu-1gb","image":"plan9"}`,
		"unknown region": `{"name":"a","size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64","region":"mars1"}`,
		"unknown key":    `{"name":"a","size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64","ssh_keys":["aa:bb"]}`,
		"bad tag":        `{"name":"a","size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64","tags":["no spaces"]}`,
		"wrong type":     `{"name":"a","size":5,"image":"ubuntu-24-04-x64"}`,
	} {
		t.Run(name, func(t *testing.T) {
			requireError(t, c.do(http.MethodPost, "/v2/droplets", body), http.StatusUnprocessableEntity, "unprocessable_entity")
		})
	}
	requireError(t, c.do(http.MethodPost, "/v2/droplets", `{"name":`), http.StatusBadRequest, "bad_request")
	assert.Equal(t, 5, c.srv.DropletCount())

	r := c.do(http.MethodPost, "/v2/droplets", `{"name":"p","size":"s-1vcpu-1gb","image":"ubuntu-24-04-x64","region":"sfo"}`)
	require.Equal(t, http.StatusAccepted, r.status)
	assert.True(t, strings.HasPrefix(r.json.Get("droplet.region.slug").String(), "sfo"), "a region prefix picks a region")
}

func TestDropletActions(t *testing.T) {
	c := newTC(t, Config{ActionDuration: 30 * time.Second})
	id := c.srv.DropletIDs()[0]
	path := "/v2/droplets/" + strconv.Itoa(id)
	act := func(body string) (int, int64) {
		r := c.do(http.MethodPost, path+"/actions", body)
		return r.status, r.json.Get("action.id").Int()
	}

	status, aid := act(`{"type":"power_off"}`)
	require.Equal(t, http.StatusCreated, status)
	r := c.get(path + "/actions/" + strconv.FormatInt(aid, 10))
	assert.Equal(t, "in-progress", r.json.Get("action.status").String())
	assert.Equal(t, "power_off", r.json.Get("action.type").String())
	assert.True(t, c.get(path).json.Get("droplet.locked").Bool())

	r = c.do(http.MethodPost, path+"/actions", `{"type":"power_on"}`)
	requireError(t, r, http.StatusUnprocessableEntity, "unprocessable_entity")
	assert.Equal(t, "Droplet already has a pending event.", r.json.Get("message").String())

	c.srv.Advance(29 * time.Second)
	assert.Equal(t, "active", c.srv.DropletStatus(id))
	c.srv.Advance(time.Second)
	d := c.get(path).json.Get("droplet")
	assert.Equal(t, "off", d.Get("status").String())
	assert.False(t, d.Get("locked").Bool())

	steps := []struct {
		body  string
		check func()
	}{
		{`{"type":"power_on"}`, func() { assert.Equal(t, "active", c.srv.DropletStatus(id)) }},
		{`{"type":"resize","size":"s-8vcpu-16gb","disk":true}`, func() {
			d := c.get(path).json.Get("droplet")
			assert.Equal(t, "s-8vcpu-16gb", d.Get("size_slug").String())
			assert.Equal(t, "s-8vcpu-16gb", d.Get("size.slug").String())
			assert.Equal(t, int64(16384), d.Get("memory").Int())
			assert.Equal(t, int64(8), d.Get("vcpus").Int())
			assert.Equal(t, int64(320), d.Get("disk").Int())
		}},
		{`{"type":"rename","name":"renamed"}`, func() { assert.Equal(t, 1, c.srv.DropletsNamed("renamed")) }},
		{`{"type":"snapshot","name":"snap-1"}`, func() {
			d := c.get(path).json.Get("droplet")
			ids := d.Get("snapshot_ids").Array()
			require.Len(t, ids, 2)
			img := c.get("/v2/images/" + ids[1].String()).json.Get("image")
			assert.Equal(t, "snap-1", img.Get("name").String())
			assert.Equal(t, "snapshot", img.Get("type").String())
			assert.False(t, img.Get("public").Bool())
			assert.Equal(t, "null", img.Get("slug").Raw)
			assert.Equal(t, int64(2), c.get(path+"/snapshots").json.Get("meta.total").Int())
		}},
		{`{"type":"enable_ipv6"}`, func() {
			assert.Contains(t, c.get(path).json.Get("droplet.features").String(), "ipv6")
		}},
		{`{"type":"disable_backups"}`, func() {
			d := c.get(path).json.Get("droplet")
			assert.NotContains(t, d.Get("features").String(), "backups")
			assert.Equal(t, "null", d.Get("next_backup_window").Raw)
		}},
		{`{"type":"enable_backups"}`, func() {
			d := c.get(path).json.Get("droplet")
			assert.Contains(t, d.Get("features").String(), "backups")
			assert.True(t, d.Get("next_backup_window.start").Exists())
		}},
		{`{"type":"change_kernel","kernel":61833229}`, func() {
			assert.Equal(t, int64(61833229), c.get(path).json.Get("droplet.kernel.id").Int())
		}},
		{`{"type":"rebuild","image":"debian-12-x64"}`, func() {
			assert.Equal(t, "debian-12-x64", c.get(path).json.Get("droplet.image.slug").String())
		}},
		{`{"type":"password_reset"}`, func() {}},
		{`{"type":"reboot"}`, func() { assert.Equal(t, "active", c.srv.DropletStatus(id)) }},
		{`{"type":"shutdown"}`, func() { assert.Equal(t, "off", c.srv.DropletStatus(id)) }},
		{`{"type":"power_cycle"}`, func() { assert.Equal(t, "active", c.srv.DropletStatus(id)) }},
		{`{"type":"restore","image":` + c.get(path).json.Get("droplet.backup_ids.0").Raw + `}`, func() {}},
	}
	for _, st := range steps {
		status, _ := act(st.body)
		require.Equal(t, http.StatusCreated, status, st.body)
		c.srv.CompleteActions()
		st.check()
	}

	for _, bad := range []string{`{"type":"explode"}`, `{}`, `{"type":"resize","size":"nope"}`,
		`{"type":"resize","size":"s-1vcpu-1gb","disk":true}`, `{"type":"rename","name":"no way"}`,
		`{"type":"change_kernel","kernel":1}`, `{"type":"rebuild","image":"nope"}`, `{"type":"restore"}`} {
		requireError(t, c.do(http.MethodPost, path+"/actions", bad), http.StatusUnprocessableEntity, "unprocessable_entity")
	}

	// The droplet's actions, newest first, and the account's.
	r = c.get(path + "/actions?per_page=100")
	assert.Equal(t, int64(len(steps)+1), r.json.Get("meta.total").Int())
	assert.Equal(t, "restore", r.json.Get("actions.0.type").String())
	assert.Equal(t, "power_off", r.json.Get(`actions.`+strconv.Itoa(len(steps))+`.type`).String())
	assert.Equal(t, r.json.Get("meta.total").Int(), c.get("/v2/actions").json.Get("meta.total").Int())
	other := c.srv.DropletIDs()[1]
	assert.Equal(t, http.StatusNotFound, c.get("/v2/droplets/"+strconv.Itoa(other)+"/actions/"+strconv.FormatInt(aid, 10)).status)
}

func TestFailedActions(t *testing.T) {
	c := newTC(t, Config{})
	id := c.srv.DropletIDs()[0]
	path := "/v2/droplets/" + strconv.Itoa(id)
	c.srv.FailNextActions(1)
	r := c.do(http.MethodPost, path+"/actions", `{"type":"power_off"}`)
	require.Equal(t, http.StatusCreated, r.status)
	aid := r.json.Get("action.id").String()
	assert.Equal(t, 1, c.srv.PendingActions())
	c.srv.Advance(time.Minute)
	assert.Equal(t, 0, c.srv.PendingActions())
	assert.Equal(t, "errored", c.get("/v2/actions/"+aid).json.Get("action.status").String())
	d := c.get(path).json.Get("droplet")
	assert.Equal(t, "active", d.Get("status").String(), "an errored action has no effect")
	assert.False(t, d.Get("locked").Bool())

	r = c.do(http.MethodPost, path+"/actions", `{"type":"power_off"}`)
	c.srv.CompleteActions()
	assert.Equal(t, "completed", c.get("/v2/actions/"+r.json.Get("action.id").String()).json.Get("action.status").String())
	assert.Equal(t, "off", c.srv.DropletStatus(id))
}

func TestLockedDroplet(t *testing.T) {
	c := newTC(t, Config{})
	id := c.srv.DropletIDs()[2]
	require.True(t, c.srv.SetDropletLocked(id, true))
	assert.False(t, c.srv.SetDropletLocked(1, true))
	path := "/v2/droplets/" + strconv.Itoa(id)
	assert.True(t, c.get(path).json.Get("droplet.locked").Bool())
	r := c.do(http.MethodPost, path+"/actions", `{"type":"reboot"}`)
	requireError(t, r, http.StatusUnprocessableEntity, "unprocessable_entity")
	assert.Equal(t, "Droplet already has a pending event.", r.json.Get("message").String())
	c.srv.SetDropletLocked(id, false)
	assert.Equal(t, http.StatusCreated, c.do(http.MethodPost, path+"/actions", `{"type":"reboot"}`).status)
}

func TestActionsByTag(t *testing.T) {
	c := newTC(t, Config{Droplets: 8})
	r := c.do(http.MethodPost, "/v2/droplets/actions?tag_name=db", `{"type":"power_off"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	acts := r.json.Get("actions").Array()
	require.Len(t, acts, 2)
	for _, a := range acts {
		assert.Equal(t, "power_off", a.Get("type").String())
	}
	c.srv.CompleteActions()
	for _, d := range c.get("/v2/droplets?tag_name=db").json.Get("droplets").Array() {
		assert.Equal(t, "off", d.Get("status").String())
	}
	requireError(t, c.do(http.MethodPost, "/v2/droplets/actions?tag_name=db", `{"type":"reboot"}`),
		http.StatusUnprocessableEntity, "unprocessable_entity")
	requireError(t, c.do(http.MethodPost, "/v2/droplets/actions?tag_name=nosuchtag", `{"type":"power_on"}`),
		http.StatusNotFound, "not_found")
}

func TestDropletSubresources(t *testing.T) {
	c := newTC(t, Config{Droplets: 12})
	ids := c.srv.DropletIDs()
	p := "/v2/droplets/" + strconv.Itoa(ids[0])
	r := c.get(p + "/kernels")
	assert.Equal(t, int64(3), r.json.Get("meta.total").Int())
	assert.NotEmpty(t, r.json.Get("kernels.0.version").String())
	assert.Equal(t, int64(1), c.get(p+"/backups").json.Get("meta.total").Int())
	assert.Equal(t, "backup", c.get(p+"/backups").json.Get("backups.0.type").String())

	r = c.get(p + "/neighbors")
	assert.Equal(t, []any{float64(ids[1])}, r.json.Get("droplets.#.id").Value())
	assert.False(t, r.json.Get("links").Exists())
	assert.Equal(t, "[]", c.get("/v2/droplets/"+strconv.Itoa(ids[5])+"/neighbors").json.Get("droplets").Raw)

	r = c.get("/v2/reports/droplet_neighbors_ids")
	assert.Equal(t, "[["+strconv.Itoa(ids[0])+","+strconv.Itoa(ids[1])+"],["+strconv.Itoa(ids[10])+","+strconv.Itoa(ids[11])+"]]",
		r.json.Get("neighbor_ids").Raw)
	r = c.get("/v2/reports/droplet_neighbors?per_page=1")
	assert.Equal(t, int64(2), r.json.Get("meta.total").Int())
	assert.Len(t, r.json.Get("neighbors.0").Array(), 2)
	assert.True(t, r.json.Get("links.pages.next").Exists())
}

func TestImages(t *testing.T) {
	c := newTC(t, Config{})
	r := c.get("/v2/images?type=distribution&per_page=100")
	require.Equal(t, http.StatusOK, r.status)
	for _, img := range r.json.Get("images").Array() {
		assert.True(t, img.Get("public").Bool())
		assert.NotEqual(t, "null", img.Get("slug").Raw)
	}
	assert.Equal(t, int64(8), r.json.Get("meta.total").Int())
	assert.Equal(t, int64(3), c.get("/v2/images?type=application").json.Get("meta.total").Int())
	priv := c.get("/v2/images?private=true")
	assert.Equal(t, int64(3), priv.json.Get("meta.total").Int(), "two backups and one snapshot")
	assert.Equal(t, int64(1), c.get("/v2/images?tag_name=web").json.Get("meta.total").Int())

	assert.Equal(t, int64(129211873), c.get("/v2/images/ubuntu-24-04-x64").json.Get("image.id").Int())
	assert.Equal(t, "ubuntu-24-04-x64", c.get("/v2/images/129211873").json.Get("image.slug").String())
	requireError(t, c.get("/v2/images/no-such-slug"), http.StatusNotFound, "not_found")

	snap := priv.json.Get(`images.#(type=="snapshot")`)
	sp := "/v2/images/" + snap.Get("id").String()
	r = c.do(http.MethodPut, sp, `{"name":"golden-2","description":"the new one"}`+"\n")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "golden-2", r.json.Get("image.name").String())
	assert.Equal(t, "the new one", r.json.Get("image.description").String())
	assert.Equal(t, snap.Get("distribution").String(), r.json.Get("image.distribution").String())
	requireError(t, c.do(http.MethodPut, "/v2/images/129211873", `{"name":"mine"}`), http.StatusForbidden, "forbidden")

	r = c.do(http.MethodPost, sp+"/actions", `{"type":"transfer","region":"lon1"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	assert.Equal(t, "transfer", r.json.Get("action.type").String())
	assert.Equal(t, "image", r.json.Get("action.resource_type").String())
	c.srv.CompleteActions()
	assert.Contains(t, c.get(sp).json.Get("image.regions").String(), "lon1")
	assert.Equal(t, int64(1), c.get(sp+"/actions").json.Get("meta.total").Int())
	assert.Equal(t, http.StatusOK, c.get(sp+"/actions/"+r.json.Get("action.id").String()).status)
	requireError(t, c.do(http.MethodPost, sp+"/actions", `{"type":"convert"}`), http.StatusUnprocessableEntity, "unprocessable_entity")
	backup := priv.json.Get(`images.#(type=="backup")`).Get("id").String()
	require.Equal(t, http.StatusCreated, c.do(http.MethodPost, "/v2/images/"+backup+"/actions", `{"type":"convert"}`).status)
	c.srv.CompleteActions()
	assert.Equal(t, "snapshot", c.get("/v2/images/"+backup).json.Get("image.type").String())

	assert.Equal(t, http.StatusNoContent, c.do(http.MethodDelete, sp, "").status)
	assert.Equal(t, http.StatusNotFound, c.get(sp).status)

	r = c.do(http.MethodPost, "/v2/images", `{"name":"custom","url":"https://example.com/img.qcow2","region":"nyc3","distribution":"Ubuntu"}`)
	require.Equal(t, http.StatusAccepted, r.status)
	assert.Equal(t, "NEW", r.json.Get("image.status").String())
	c.srv.Advance(time.Minute)
	assert.Equal(t, "available", c.get("/v2/images/"+r.json.Get("image.id").String()).json.Get("image.status").String())
}

func TestRegionsAndSizes(t *testing.T) {
	c := newTC(t, Config{})
	r := c.get("/v2/regions")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, int64(13), r.json.Get("meta.total").Int())
	nyc3 := r.json.Get(`regions.#(slug=="nyc3")`)
	assert.Equal(t, "New York 3", nyc3.Get("name").String())
	assert.True(t, nyc3.Get("available").Bool())
	assert.Contains(t, nyc3.Get("sizes").String(), "s-1vcpu-1gb")
	r = c.get("/v2/sizes?per_page=50")
	z := r.json.Get(`sizes.#(slug=="s-1vcpu-1gb")`)
	for _, f := range []string{"memory", "vcpus", "disk", "transfer", "price_monthly", "price_hourly", "regions", "available", "description", "disk_info"} {
		assert.True(t, z.Get(f).Exists(), f)
	}
	assert.True(t, r.json.Get(`sizes.#(slug=="gpu-h100x1-80gb").gpu_info.count`).Exists())
}

func TestSSHKeys(t *testing.T) {
	c := newTC(t, Config{})
	// Vectors from ssh-keygen -l -E md5.
	const rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDJWKqUFjEtzwwnImtMqZFGE0zYPH/bgP8yhvYu5ZZ8L9PLJdi6EB4aDNr0tMcnKnUqu6R4DKp6bRES4EMKvTEBrFjZ3mFSyX9Tnm/k1xY+14VyVk0ZZwWPzLAhNLrKc3JMPksXE/CwuiffGsMPvrLoAUU9jI+3LQIFAceBVmJZ4Q== test@stratus"
	const ed = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1DJ7JWLhzvMSSq+gl61B23b+f6hLPDI/m6uhpQeEIc ed@stratus"
	fp, err := Fingerprint(ed)
	require.NoError(t, err)
	assert.Equal(t, "0e:e1:17:de:d8:07:48:1d:ff:ab:44:06:c9:65:2a:d7", fp)

	r := c.do(http.MethodPost, "/v2/account/keys", `{"name":"laptop","public_key":"`+rsa+`"}`+"\n")
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	k := r.json.Get("ssh_key")
	assert.Equal(t, "6b:0e:4f:73:e0:ac:c7:b2:4f:0b:40:3f:72:99:c7:07", k.Get("fingerprint").String())
	assert.Equal(t, rsa, k.Get("public_key").String())
	id := k.Get("id").String()

	assert.Equal(t, id, c.get("/v2/account/keys/6b:0e:4f:73:e0:ac:c7:b2:4f:0b:40:3f:72:99:c7:07").json.Get("ssh_key.id").String())
	r = c.do(http.MethodPut, "/v2/account/keys/"+id, `{"name":"desk"}`)
	assert.Equal(t, "desk", r.json.Get("ssh_key.name").String())
	assert.Equal(t, int64(3), c.get("/v2/account/keys").json.Get("meta.total").Int())

	requireError(t, c.do(http.MethodPost, "/v2/account/keys", `{"name":"dup","public_key":"`+rsa+`"}`), http.StatusUnprocessableEntity, "unprocessable_entity")
	for _, bad := range []string{"ssh-rsa notbase64!!", "hello", "ssh-rsa " + strings.Split(ed, " ")[1]} {
		requireError(t, c.do(http.MethodPost, "/v2/account/keys", `{"name":"x","public_key":"`+bad+`"}`), http.StatusUnprocessableEntity, "unprocessable_entity")
	}
	assert.Equal(t, http.StatusNoContent, c.do(http.MethodDelete, "/v2/account/keys/6b:0e:4f:73:e0:ac:c7:b2:4f:0b:40:3f:72:99:c7:07", "").status)
	assert.Equal(t, http.StatusNotFound, c.get("/v2/account/keys/"+id).status)
}

func TestDomains(t *testing.T) {
	c := newTC(t, Config{})
	r := c.do(http.MethodPost, "/v2/domains", `{"name":"stratus.test","ip_address":"203.0.113.7"}`)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	assert.Equal(t, "stratus.test", r.json.Get("domain.name").String())
	assert.Equal(t, int64(1800), r.json.Get("domain.ttl").Int())
	requireError(t, c.do(http.MethodPost, "/v2/domains", `{"name":"stratus.test"}`), http.StatusUnprocessableEntity, "unprocessable_entity")
	requireError(t, c.do(http.MethodPost, "/v2/domains", `{"name":"not a domain"}`), http.StatusUnprocessableEntity, "unprocessable_entity")

	r = c.get("/v2/domains/stratus.test/records")
	assert.Equal(t, int64(5), r.json.Get("meta.total").Int())
	assert.Equal(t, `["SOA","NS","NS","NS","A"]`, r.json.Get("domain_records.#.type").Raw)
	a := r.json.Get(`domain_records.#(type=="A")`)
	assert.Equal(t, "@", a.Get("name").String())
	assert.Equal(t, "203.0.113.7", a.Get("data").String())
	assert.Equal(t, "null", a.Get("priority").Raw)

	// godo sends every number, zero when unused.
	r = c.do(http.MethodPost, "/v2/domains/stratus.test/records",
		`{"type":"MX","name":"@","data":"mail.stratus.test.","priority":10,"port":0,"ttl":0,"weight":0,"flags":0}`+"\n")
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	mx := r.json.Get("domain_record")
	assert.Equal(t, int64(10), mx.Get("priority").Int())
	assert.Equal(t, "null", mx.Get("port").Raw)
	assert.Equal(t, int64(1800), mx.Get("ttl").Int())
	rp := "/v2/domains/stratus.test/records/" + mx.Get("id").String()

	r = c.do(http.MethodPost, "/v2/domains/stratus.test/records", `{"type":"CNAME","name":"www","data":"@","priority":0,"port":0,"weight":0,"flags":0}`)
	require.Equal(t, http.StatusCreated, r.status)
	requireError(t, c.do(http.MethodPost, "/v2/domains/stratus.test/records", `{"type":"A","name":"x","data":"not-an-ip"}`), http.StatusUnprocessableEntity, "unprocessable_entity")
	requireError(t, c.do(http.MethodPost, "/v2/domains/stratus.test/records", `{"type":"BOGUS","name":"x","data":"y"}`), http.StatusUnprocessableEntity, "unprocessable_entity")

	assert.Equal(t, int64(1), c.get("/v2/domains/stratus.test/records?type=MX").json.Get("meta.total").Int())
	assert.Equal(t, int64(1), c.get("/v2/domains/stratus.test/records?name=www.stratus.test").json.Get("meta.total").Int())
	assert.Equal(t, int64(6), c.get("/v2/domains/stratus.test/records?name=stratus.test").json.Get("meta.total").Int(), "SOA, 3 NS, A and MX at the apex")
	assert.Equal(t, int64(3), c.get("/v2/domains/stratus.test/records?type=NS&name=stratus.test").json.Get("meta.total").Int())

	r = c.do(http.MethodPut, rp, `{"data":"mx2.stratus.test.","priority":0,"port":0,"weight":0,"flags":0}`)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "mx2.stratus.test.", r.json.Get("domain_record.data").String())
	assert.Equal(t, int64(10), r.json.Get("domain_record.priority").Int(), "a zero from godo does not clear the priority")
	r = c.do(http.MethodPatch, rp, `{"priority":20,"ttl":600}`)
	assert.Equal(t, int64(20), r.json.Get("domain_record.priority").Int())
	assert.Equal(t, int64(600), r.json.Get("domain_record.ttl").Int())
	assert.Equal(t, "MX", c.get(rp).json.Get("domain_record.type").String())

	zone := c.get("/v2/domains/stratus.test").json.Get("domain.zone_file").String()
	assert.Contains(t, zone, "$ORIGIN stratus.test.")
	assert.Contains(t, zone, "stratus.test. 600 IN MX 20 mx2.stratus.test.")
	assert.Contains(t, zone, "www.stratus.test. 1800 IN CNAME stratus.test.")

	assert.Equal(t, http.StatusNoContent, c.do(http.MethodDelete, rp, "").status)
	assert.Equal(t, http.StatusNotFound, c.get(rp).status)
	assert.Equal(t, int64(2), c.get("/v2/domains").json.Get("meta.total").Int())
	assert.Equal(t, http.StatusNoContent, c.do(http.MethodDelete, "/v2/domains/stratus.test", "").status)
	assert.Equal(t, http.StatusNotFound, c.get("/v2/domains/stratus.test").status)
}

func TestFloatingIPs(t *testing.T) {
	c := newTC(t, Config{})
	ids := c.srv.DropletIDs()
	drop := c.get("/v2/droplets/" + strconv.Itoa(ids[0])).json.Get("droplet")

	requireError(t, c.do(http.MethodPost, "/v2/floating_ips", `{}`), http.StatusUnprocessableEntity, "unprocessable_entity")
	requireError(t, c.do(http.MethodPost, "/v2/floating_ips", `{"droplet_id":`+drop.Get("id").String()+`,"region":"nyc3"}`),
		http.StatusUnprocessableEntity, "unprocessable_entity")

	r := c.do(http.MethodPost, "/v2/floating_ips", `{"region":"fra1"}`)
	require.Equal(t, http.StatusAccepted, r.status)
	assert.Equal(t, "{}", r.json.Get("links").Raw)
	assert.Equal(t, "null", r.json.Get("floating_ip.droplet").Raw)
	assert.False(t, r.json.Get("floating_ip.locked").Bool())

	r = c.do(http.MethodPost, "/v2/floating_ips", `{"droplet_id":`+drop.Get("id").String()+`}`)
	require.Equal(t, http.StatusAccepted, r.status, "%s", r.body)
	ip := r.json.Get("floating_ip.ip").String()
	assert.True(t, r.json.Get("floating_ip.locked").Bool())
	assert.Equal(t, drop.Get("region.slug").String(), r.json.Get("floating_ip.region.slug").String())
	assert.Equal(t, "assign_ip", r.json.Get("links.actions.0.rel").String())
	assert.Equal(t, "droplet", r.json.Get("links.droplets.0.rel").String())
	c.srv.CompleteActions()
	got := c.get("/v2/floating_ips/" + ip).json.Get("floating_ip")
	assert.Equal(t, drop.Get("id").Int(), got.Get("droplet.id").Int())
	assert.False(t, got.Get("locked").Bool())

	// The same address under its newer name.
	r = c.get("/v2/reserved_ips/" + ip)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, ip, r.json.Get("reserved_ip.ip").String())
	assert.Equal(t, int64(2), c.get("/v2/reserved_ips").json.Get("meta.total").Int())

	r = c.do(http.MethodPost, "/v2/floating_ips/"+ip+"/actions", `{"type":"unassign"}`)
	require.Equal(t, http.StatusCreated, r.status)
	a := r.json.Get("action")
	assert.Equal(t, "unassign_ip", a.Get("type").String())
	assert.Equal(t, "floating_ip", a.Get("resource_type").String())
	assert.NotZero(t, a.Get("resource_id").Int())
	requireError(t, c.do(http.MethodPost, "/v2/floating_ips/"+ip+"/actions", `{"type":"assign","droplet_id":`+drop.Get("id").String()+`}`),
		http.StatusUnprocessableEntity, "unprocessable_entity")
	c.srv.CompleteActions()
	assert.Equal(t, "null", c.get("/v2/floating_ips/"+ip).json.Get("floating_ip.droplet").Raw)

	r = c.do(http.MethodPost, "/v2/reserved_ips/"+ip+"/actions", `{"type":"assign","droplet_id":`+drop.Get("id").String()+`}`)
	require.Equal(t, http.StatusCreated, r.status)
	assert.Equal(t, "assign_ip", r.json.Get("action.type").String())
	assert.Equal(t, "reserved_ip", r.json.Get("action.resource_type").String())
	c.srv.CompleteActions()
	assert.Equal(t, int64(3), c.get("/v2/floating_ips/"+ip+"/actions").json.Get("meta.total").Int())

	assert.Equal(t, http.StatusNoContent, c.do(http.MethodDelete, "/v2/floating_ips/"+ip, "").status)
	assert.Equal(t, http.StatusNotFound, c.get("/v2/reserved_ips/"+ip).status)
}

func TestTags(t *testing.T) {
	c := newTC(t, Config{})
	// A bad name: the tag service's error_with_root_causes, not {id, message}.
	r := c.do(http.MethodPost, "/v2/tags", `{"name":"здорово"}`)
	require.Equal(t, http.StatusBadRequest, r.status)
	msg := `Error validating resource tag: "tag-name \"здорово\" contains invalid characters"`
	assert.JSONEq(t, `{"error":`+strconv.Quote(msg)+`,"messages":null,"root_causes":[`+strconv.Quote("rpc error: code = InvalidArgument desc = "+msg)+`]}`, string(r.body))
	assert.NotEmpty(t, r.header.Get("x-request-id"))
	r = c.do(http.MethodPost, "/v2/tags", `{"name":""}`)
	assert.Contains(t, r.json.Get("error").String(), "must be between 1 and 255 characters")
	assert.True(t, r.json.Get("root_causes").IsArray())
	r = c.do(http.MethodPost, "/v2/tags", `{"name":"Blue"}`)
	require.Equal(t, http.StatusCreated, r.status)
	assert.Equal(t, "Blue", r.json.Get("tag.name").String())
	assert.Equal(t, int64(0), r.json.Get("tag.resources.count").Int())
	assert.Equal(t, "Blue", c.do(http.MethodPost, "/v2/tags", `{"name":"blue"}`).json.Get("tag.name").String(), "case stable")
	assert.Equal(t, http.StatusNotFound, c.get("/v2/tags/blue").status, "URLs use the canonical spelling")

	ids := c.srv.DropletIDs()
	body := `{"resources":[{"resource_id":"` + strconv.Itoa(ids[1]) + `","resource_type":"droplet"},{"resource_id":"` + strconv.Itoa(ids[3]) + `","resource_type":"droplet"}]}` + "\n"
	require.Equal(t, http.StatusNoContent, c.do(http.MethodPost, "/v2/tags/Blue/resources", body).status)
	assert.Contains(t, c.srv.DropletTags(ids[1]), "Blue")
	r = c.get("/v2/tags/Blue")
	assert.Equal(t, int64(2), r.json.Get("tag.resources.count").Int())
	assert.Equal(t, int64(2), r.json.Get("tag.resources.droplets.count").Int())
	assert.True(t, strings.HasSuffix(r.json.Get("tag.resources.last_tagged_uri").String(), "/v2/droplets/"+strconv.Itoa(ids[3])))
	assert.Equal(t, int64(2), c.get("/v2/droplets?tag_name=Blue").json.Get("meta.total").Int())

	require.Equal(t, http.StatusNoContent, c.do(http.MethodDelete, "/v2/tags/Blue/resources",
		`{"resources":[{"resource_id":"`+strconv.Itoa(ids[3])+`","resource_type":"droplet"}]}`).status)
	assert.NotContains(t, c.srv.DropletTags(ids[3]), "Blue")
	r = c.get("/v2/tags/Blue")
	assert.Equal(t, int64(1), r.json.Get("tag.resources.count").Int())
	assert.True(t, strings.HasSuffix(r.json.Get("tag.resources.last_tagged_uri").String(), "/v2/droplets/"+strconv.Itoa(ids[1])))

	requireError(t, c.do(http.MethodPost, "/v2/tags/Blue/resources", `{"resources":[{"resource_id":"1","resource_type":"droplet"}]}`), http.StatusNotFound, "not_found")
	requireError(t, c.do(http.MethodPost, "/v2/tags/Blue/resources", `{"resources":[]}`), http.StatusUnprocessableEntity, "unprocessable_entity")
	requireError(t, c.do(http.MethodPost, "/v2/tags/Blue/resources", `{"resources":[{"resource_id":"1","resource_type":"spaceship"}]}`), http.StatusUnprocessableEntity, "unprocessable_entity")
	// resource_id must be a string: the API has refused numbers since late
	// 2017, in the words of its Go decoder, and tags nothing.
	for _, method := range []string{http.MethodPost, http.MethodDelete} {
		r := c.do(method, "/v2/tags/Blue/resources", `{"resources":[{"resource_id":`+strconv.Itoa(ids[0])+`,"resource_type":"droplet"}]}`)
		requireError(t, r, http.StatusBadRequest, "bad_request")
		assert.Equal(t, "json: cannot unmarshal number into Go struct field Resource.resource_id of type string", r.json.Get("message").String())
	}
	assert.NotContains(t, c.srv.DropletTags(ids[0]), "Blue")
	r = c.do(http.MethodPost, "/v2/tags/Blue/resources", `{"resources":[{"resource_id":true,"resource_type":"droplet"}]}`)
	assert.Equal(t, "json: cannot unmarshal bool into Go struct field Resource.resource_id of type string", r.json.Get("message").String())

	assert.Equal(t, int64(5), c.get("/v2/tags").json.Get("meta.total").Int())
	require.Equal(t, http.StatusNoContent, c.do(http.MethodDelete, "/v2/tags/Blue", "").status)
	assert.NotContains(t, c.srv.DropletTags(ids[1]), "Blue")
	assert.Equal(t, http.StatusNotFound, c.get("/v2/tags/Blue").status)
}

func TestAccount(t *testing.T) {
	c := newTC(t, Config{})
	r := c.get("/v2/account")
	require.Equal(t, http.StatusOK, r.status)
	a := r.json.Get("account")
	for _, f := range []string{"droplet_limit", "floating_ip_limit", "reserved_ip_limit", "volume_limit", "email", "name",
		"uuid", "email_verified", "status", "status_message", "team.uuid", "team.name"} {
		assert.True(t, a.Get(f).Exists(), f)
	}
	assert.Equal(t, "active", a.Get("status").String())
	assert.Len(t, a.Get("uuid").String(), 40)
}

func TestRealTimeClock(t *testing.T) {
	c := newTC(t, Config{RealTime: true, ActionDuration: time.Millisecond})
	before := time.Now().Add(-time.Second)
	assert.True(t, c.srv.Now().After(before))
	id := c.srv.DropletIDs()[0]
	r := c.do(http.MethodPost, "/v2/droplets/"+strconv.Itoa(id)+"/actions", `{"type":"power_off"}`)
	require.Equal(t, http.StatusCreated, r.status)
	time.Sleep(5 * time.Millisecond)
	assert.Equal(t, "completed", c.get("/v2/actions/"+r.json.Get("action.id").String()).json.Get("action.status").String())
	assert.Equal(t, "off", c.srv.DropletStatus(id))
}

func TestRecordTypes(t *testing.T) {
	c := newTC(t, Config{})
	base := "/v2/domains/example.com/records"
	for _, tc := range []struct {
		body, check string
	}{
		{`{"type":"AAAA","name":"v6","data":"2001:db8::1","priority":0,"port":0,"weight":0,"flags":0}`, `v6.example.com. 1800 IN AAAA 2001:db8::1`},
		{`{"type":"SRV","name":"_sip._tcp","data":"sip.example.com.","priority":10,"port":5060,"weight":5}`, `_sip._tcp.example.com. 1800 IN SRV 10 5 5060 sip.example.com.`},
		{`{"type":"CAA","name":"@","data":"letsencrypt.org","flags":0,"tag":"issue"}`, `example.com. 1800 IN CAA 0 issue "letsencrypt.org"`},
		{`{"type":"NS","name":"sub","data":"ns1.other.net."}`, `sub.example.com. 1800 IN NS ns1.other.net.`},
	} {
		r := c.do(http.MethodPost, base, tc.body)
		require.Equal(t, http.StatusCreated, r.status, "%s: %s", tc.body, r.body)
		assert.Contains(t, c.get("/v2/domains/example.com").json.Get("domain.zone_file").String(), tc.check)
	}
	srv := c.get(base + "?type=SRV").json.Get("domain_records.0")
	assert.Equal(t, int64(5060), srv.Get("port").Int())
	assert.Equal(t, int64(5), srv.Get("weight").Int())
	assert.Equal(t, "null", srv.Get("flags").Raw)
	caa := c.get(base + "?type=CAA").json.Get("domain_records.0")
	assert.Equal(t, "issue", caa.Get("tag").String())
	assert.Equal(t, int64(0), caa.Get("flags").Int())

	for _, bad := range []string{
		`{"type":"AAAA","name":"x","data":"10.0.0.1"}`,
		`{"type":"CAA","name":"@","data":"ca.example","tag":"bogus"}`,
		`{"type":"CAA","name":"@","data":"ca.example","tag":"issue","flags":300}`,
		`{"type":"SRV","name":"_x._tcp","data":"h.","port":70000}`,
		`{"type":"A","name":"x","data":"10.0.0.1","ttl":5}`,
		`{"type":"SOA","name":"@","data":"1800"}`,
		`{"type":"TXT","name":"x"}`,
		`{"type":"TXT","data":"x"}`,
	} {
		requireError(t, c.do(http.MethodPost, base, bad), http.StatusUnprocessableEntity, "unprocessable_entity")
	}

	// The SOA record only lets its TTL change.
	soa := c.get(base + "?type=SOA").json.Get("domain_records.0")
	r := c.do(http.MethodPut, base+"/"+soa.Get("id").String(), `{"data":"nope","ttl":3600}`)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "1800", r.json.Get("domain_record.data").String())
	assert.Equal(t, int64(3600), r.json.Get("domain_record.ttl").Int())
	// An invalid update leaves the record as it was.
	a := c.get(base + "?type=A").json.Get("domain_records.0")
	requireError(t, c.do(http.MethodPatch, base+"/"+a.Get("id").String(), `{"data":"not-an-ip"}`), http.StatusUnprocessableEntity, "unprocessable_entity")
	assert.Equal(t, a.Get("data").String(), c.get(base+"/"+a.Get("id").String()).json.Get("domain_record.data").String())
	requireError(t, c.get("/v2/domains/nosuch.com/records"), http.StatusNotFound, "not_found")
	requireError(t, c.get(base+"/12"), http.StatusNotFound, "not_found")
}

func TestDeleteDropletCleansUp(t *testing.T) {
	c := newTC(t, Config{})
	id := c.srv.DropletIDs()[0]
	r := c.do(http.MethodPost, "/v2/floating_ips", `{"droplet_id":`+strconv.Itoa(id)+`}`)
	require.Equal(t, http.StatusAccepted, r.status)
	ip := r.json.Get("floating_ip.ip").String()
	c.srv.CompleteActions()
	backups := c.get("/v2/droplets/" + strconv.Itoa(id) + "/backups").json.Get("backups.#.id").Array()
	require.Len(t, backups, 1)

	require.Equal(t, http.StatusNoContent, c.do(http.MethodDelete, "/v2/droplets/"+strconv.Itoa(id), "").status)
	assert.Equal(t, "null", c.get("/v2/floating_ips/"+ip).json.Get("floating_ip.droplet").Raw, "the address is released")
	assert.Equal(t, http.StatusNotFound, c.get("/v2/images/"+backups[0].String()).status, "backups go with the droplet")
	priv := c.get("/v2/images?private=true").json
	assert.Equal(t, `["snapshot","backup"]`, priv.Get("images.#.type").Raw, "the other droplet's backup and the snapshot stay")

	// Tag an image; images count in the tag's resources.
	snap := priv.Get(`images.#(type=="snapshot").id`).String()
	require.Equal(t, http.StatusNoContent, c.do(http.MethodPost, "/v2/tags/db/resources",
		`{"resources":[{"resource_id":"`+snap+`","resource_type":"image"}]}`).status)
	tag := c.get("/v2/tags/db").json.Get("tag.resources")
	assert.Equal(t, int64(1), tag.Get("images.count").Int())
	assert.True(t, strings.HasSuffix(tag.Get("last_tagged_uri").String(), "/v2/images/"+snap))
	assert.Equal(t, int64(1), c.get("/v2/images?tag_name=db").json.Get("meta.total").Int())
}
