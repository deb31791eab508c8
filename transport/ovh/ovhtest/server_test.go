package ovhtest

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// bulk asks for a page of objects.
func bulk(number, size int) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Set("X-Pagination-Mode", "CachedObjectList-Pages")
		if number > 0 {
			r.Header.Set("X-Pagination-Number", strconv.Itoa(number))
		}
		if size > 0 {
			r.Header.Set("X-Pagination-Size", strconv.Itoa(size))
		}
	}
}

func TestBulkPages(t *testing.T) {
	c := newTC(t, Config{DedicatedServers: 500, Bills: 500, RateLimit: -1})
	names := c.srv.DedicatedServerNames()
	require.Len(t, names, 500)

	r := c.do("GET", "/dedicated/server", "", bulk(2, 200))
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	objs := r.json.Array()
	require.Len(t, objs, 200)
	assert.Equal(t, "500", r.header.Get("X-Pagination-Elements"))
	assert.Equal(t, "2", r.header.Get("X-Pagination-Number"))
	assert.Equal(t, "200", r.header.Get("X-Pagination-Size"))
	for i, o := range objs {
		require.Equal(t, names[200+i], o.Get("name").String(), "objects in id-list order")
		requireFields(t, o, "serverId", "datacenter", "state")
	}
	// The object is the one GET /dedicated/server/{name} answers.
	assert.Equal(t, c.get("/dedicated/server/"+names[200]).json.Raw, objs[0].Raw)

	r = c.do("GET", "/dedicated/server", "", bulk(3, 200))
	assert.Len(t, r.json.Array(), 100)
	r = c.do("GET", "/dedicated/server", "", bulk(4, 200))
	assert.Equal(t, "[]", string(r.body), "past the last page")
	assert.Equal(t, "500", r.header.Get("X-Pagination-Elements"))
	r = c.do("GET", "/dedicated/server", "", bulk(0, 0))
	assert.Len(t, r.json.Array(), 500, "default page: number 1, size 1000")
	assert.Equal(t, "1000", r.header.Get("X-Pagination-Size"))
	assert.Equal(t, "1", r.header.Get("X-Pagination-Number"))
	r = c.do("GET", "/dedicated/server", "", bulk(1<<62, 1<<62))
	assert.Equal(t, "[]", string(r.body), "huge numbers do not overflow")

	for _, h := range []struct{ k, v string }{{"X-Pagination-Number", "0"}, {"X-Pagination-Size", "-5"}, {"X-Pagination-Size", "x"}} {
		r = c.do("GET", "/dedicated/server", "", bulk(0, 0), func(req *http.Request) { req.Header.Set(h.k, h.v) })
		requireError(t, r, http.StatusBadRequest, "", "Invalid value for header "+h.k+": \""+h.v+"\"")
	}
	// Another mode is not the bulk mode.
	r = c.do("GET", "/dedicated/server", "", func(req *http.Request) { req.Header.Set("X-Pagination-Mode", "CachedObjectList-Cursor") })
	assert.Equal(t, names[0], r.json.Get("0").String())

	// Bills, filtered then paged.
	r = c.do("GET", "/me/bill?category=autorenew", "", bulk(1, 50))
	require.Equal(t, http.StatusOK, r.status)
	ids := strs(c.get("/me/bill?category=autorenew").json)
	total, _ := strconv.Atoi(r.header.Get("X-Pagination-Elements"))
	assert.Equal(t, len(ids), total)
	for i, o := range r.json.Array() {
		assert.Equal(t, ids[i], o.Get("billId").String())
		assert.Equal(t, "autorenew", o.Get("category").String())
	}

	// NoBulk and SetBulk(false) answer the id list.
	c.srv.SetBulk(false)
	r = c.do("GET", "/dedicated/server", "", bulk(2, 200))
	assert.Equal(t, names, strs(r.json))
	assert.Empty(t, r.header.Get("X-Pagination-Elements"))
	c.srv.SetBulk(true)
	assert.Len(t, c.do("GET", "/dedicated/server", "", bulk(2, 200)).json.Array(), 200)

	n := newTC(t, Config{NoBulk: true})
	r = n.do("GET", "/domain/zone/example.com/record", "", bulk(1, 2))
	assert.Len(t, r.json.Array(), 6)
	assert.Equal(t, gjson.Number, r.json.Get("0").Type)
}

func TestBulkOtherLists(t *testing.T) {
	c := newTC(t, Config{Projects: 3, Instances: 5, Records: 9, Zones: []string{"example.com", "example.org"}})
	for _, path := range []string{"/cloud/project", "/domain", "/domain/zone", "/domain/zone/example.org/record", "/me/bill"} {
		ids := c.get(path).json.Array()
		r := c.do("GET", path, "", bulk(1, 2))
		require.Equal(t, http.StatusOK, r.status, "%s: %s", path, r.body)
		assert.Equal(t, strconv.Itoa(len(ids)), r.header.Get("X-Pagination-Elements"), path)
		objs := r.json.Array()
		require.Len(t, objs, 2, path)
		for i, o := range objs {
			assert.True(t, o.IsObject(), "%s: %s", path, o.Raw)
			assert.Contains(t, o.Raw, ids[i].Raw, "%s: object %d has id %s", path, i, ids[i].Raw)
		}
	}
	// Instances are objects already; bulk pages them too.
	p := c.srv.ProjectIDs()[1]
	all := c.get("/cloud/project/" + p + "/instance").json.Array()
	require.Len(t, all, 5)
	r := c.do("GET", "/cloud/project/"+p+"/instance", "", bulk(2, 3))
	assert.Equal(t, "5", r.header.Get("X-Pagination-Elements"))
	require.Len(t, r.json.Array(), 2)
	assert.Equal(t, all[3].Raw, r.json.Get("0").Raw)
}

func TestFaults(t *testing.T) {
	c := newTC(t, Config{})
	zone := "/domain/zone/example.com/record"
	count := func() int { return len(c.get(zone).json.Array()) }
	records := count()

	c.srv.InjectNext(Fault429)
	r := c.get("/me")
	requireError(t, r, http.StatusTooManyRequests, "", "Too many requests, please retry later")
	assert.Equal(t, "1", r.header.Get("Retry-After"))

	c.srv.InjectNext(Fault500)
	requireError(t, c.get("/me"), http.StatusInternalServerError, "", "Internal server error")
	assert.Equal(t, "Server::InternalServerError", errorClass(500))

	c.srv.InjectNext(Fault503HTML)
	r = c.get("/me")
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "text/html; charset=utf-8", r.header.Get("Content-Type"))
	assert.Contains(t, string(r.body), "<title>503 Service Unavailable</title>")
	assert.Contains(t, string(r.body), r.header.Get("X-Ovh-Queryid"))

	c.srv.InjectNext(FaultMalformed)
	r = c.get("/me")
	assert.Equal(t, http.StatusOK, r.status)
	assert.False(t, gjson.ValidBytes(r.body))

	// A POST reset before the handler creates nothing; one reset after
	// the handler has run creates the record although no answer came.
	c.srv.InjectNext(FaultReset)
	_, err := c.try("POST", zone, `{"fieldType":"A","subDomain":"r1","target":"192.0.2.1"}`)
	require.Error(t, err)
	assert.Equal(t, records, count())
	c.srv.InjectNext(FaultResetAfter)
	_, err = c.try("POST", zone, `{"fieldType":"A","subDomain":"r2","target":"192.0.2.2"}`)
	require.Error(t, err)
	assert.Equal(t, records+1, count())

	c.srv.InjectNext(FaultTruncated)
	_, err = c.try("GET", "/me", "")
	require.Error(t, err, "a short body is an error")

	// Faults are counted and take effect in order.
	c.srv.ResetRequests()
	c.srv.InjectNext(Fault500, Fault429)
	assert.Equal(t, 500, c.get("/me").status)
	assert.Equal(t, 429, c.get("/me").status)
	assert.Equal(t, 200, c.get("/me").status)
	assert.Equal(t, 3, c.srv.Requests())

	// Random faults are seeded.
	seq := func() string {
		d := newTC(t, Config{Seed: 7})
		d.srv.SetFaultRate(0.5, Fault500, Fault429)
		var b strings.Builder
		for range 30 {
			b.WriteString(strconv.Itoa(d.get("/auth/time").status) + " ")
		}
		d.srv.SetFaultRate(0)
		assert.Equal(t, 200, d.get("/auth/time").status)
		return b.String()
	}
	first := seq()
	assert.Equal(t, first, seq())
	assert.Contains(t, first, "200")
	assert.Contains(t, first, "500")
	assert.Equal(t, "truncated", FaultTruncated.String())
	assert.Equal(t, "Fault(42)", Fault(42).String())
}

func TestLatency(t *testing.T) {
	c := newTC(t, Config{})
	c.srv.SetLatency(50 * time.Millisecond)
	start := time.Now()
	assert.Equal(t, http.StatusOK, c.get("/me").status)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	c.srv.SetLatency(0)
}

func TestRequestCounters(t *testing.T) {
	c := newTC(t, Config{})
	name := c.srv.DedicatedServerNames()[0]
	c.get("/dedicated/server")
	c.get("/dedicated/server/" + name)
	c.prefix = "/v1"
	c.get("/dedicated/server/" + name + "/burst")
	c.do("PUT", "/me", `{"firstname":"Ana"}`)
	c.prefix = "/v2"
	c.get("/me")
	c.prefix = "/1.0"
	c.srv.InjectNext(Fault500)
	c.get("/me/bill")

	assert.Equal(t, 6, c.srv.Requests())
	assert.Equal(t, 3, c.srv.RequestsTo("GET", "/dedicated/server"))
	assert.Equal(t, 2, c.srv.RequestsTo("get", "/dedicated/server/"))
	assert.Equal(t, 1, c.srv.RequestsTo("PUT", "/me"))
	assert.Equal(t, 2, c.srv.RequestsTo("", "/me"), "PUT /me and the faulted GET /me/bill")
	assert.Equal(t, 1, c.srv.RequestsTo("GET", "/v2/"))
	c.srv.ResetRequests()
	assert.Equal(t, 0, c.srv.Requests())
	assert.Equal(t, 0, c.srv.RequestsTo("", "/"))
}

func TestNotFoundAndMethods(t *testing.T) {
	c := newTC(t, Config{})
	requireError(t, c.get("/nothing/here"), http.StatusNotFound, "", "Got an invalid (or empty) URL")
	requireError(t, c.get("/me//"), http.StatusNotFound, "", "Got an invalid (or empty) URL")
	requireError(t, c.get("/dedicated/server/ns1.example"), http.StatusNotFound, "", "This service does not exist")
	requireError(t, c.get("/cloud/project/0123"), http.StatusNotFound, "", "This service does not exist")
	requireError(t, c.get("/domain/zone/nope.test"), http.StatusNotFound, "", "This service does not exist")
	requireError(t, c.get("/me/bill/FR0"), http.StatusNotFound, "", "The requested object (billId = FR0) does not exist")
	requireError(t, c.get("/domain/zone/example.com/record/12"), http.StatusNotFound, "", "The requested object (id = 12) does not exist")

	r := c.do("DELETE", "/me", "")
	requireError(t, r, http.StatusMethodNotAllowed, "", "Method DELETE is not allowed on this URL")
	assert.Equal(t, "GET, PUT", r.header.Get("Allow"))

	c.prefix = "/v2"
	requireError(t, c.get("/me"), http.StatusNotFound, "", "Got an invalid (or empty) URL")
	c.prefix = ""
	requireError(t, c.get("/me"), http.StatusNotFound, "", "Got an invalid (or empty) URL")

	// Bodies that are not JSON objects.
	c.prefix = "/1.0"
	requireError(t, c.do("PUT", "/me", `{"firstname":`), http.StatusBadRequest, "", "Invalid JSON received")
	requireError(t, c.do("PUT", "/me", `"x"`), http.StatusBadRequest, "", "Invalid JSON received")
}

func TestDeterministicData(t *testing.T) {
	a, b := newTC(t, Config{Seed: 42}), newTC(t, Config{Seed: 42})
	other := newTC(t, Config{Seed: 43})
	for _, path := range []string{"/me", "/me/bill", "/dedicated/server", "/cloud/project", "/domain/zone/example.com/record"} {
		assert.Equal(t, string(a.get(path).body), string(b.get(path).body), path)
		assert.NotEqual(t, string(a.get(path).body), string(other.get(path).body), path)
	}
	ids := a.get("/me/bill").json.Array()
	assert.Equal(t, string(a.get("/me/bill/"+ids[3].String()).body), string(b.get("/me/bill/"+ids[3].String()).body))
	p := a.srv.ProjectIDs()[0]
	assert.Equal(t, string(a.get("/cloud/project/"+p+"/instance").body), string(b.get("/cloud/project/"+p+"/instance").body))

	// Counts from the configuration.
	n := NewHandler(Config{DedicatedServers: -1, Bills: -1, Projects: -1, Zones: []string{}})
	assert.Empty(t, n.DedicatedServerNames())
	assert.Empty(t, n.ProjectIDs())
	d := NewHandler(Config{})
	assert.Len(t, d.DedicatedServerNames(), 3)
	assert.Len(t, d.ProjectIDs(), 1)
	assert.Len(t, d.bills, 12)
	require.Len(t, d.zones, 1)
	assert.Len(t, d.zones[0].records, 6)
	assert.Len(t, d.projects[0].instances, 4)
}

func TestConcurrentUse(t *testing.T) {
	c := newTC(t, Config{RateLimit: -1, DedicatedServers: 20})
	names := c.srv.DedicatedServerNames()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := *c
			for j := range 20 {
				switch j % 4 {
				case 0:
					assert.Equal(t, 200, d.get("/dedicated/server/"+names[(i+j)%len(names)]).status)
				case 1:
					assert.Equal(t, 200, d.do("PUT", "/dedicated/server/"+names[i], `{"monitoring":false}`).status)
				case 2:
					assert.Equal(t, 200, d.do("GET", "/dedicated/server", "", bulk(1, 7)).status)
				case 3:
					assert.Equal(t, 200, d.do("POST", "/domain/zone/example.com/record", `{"fieldType":"TXT","target":"x"}`).status)
				}
			}
			c.srv.SkewClock(time.Millisecond)
			c.srv.Burst(names[i])
		}()
	}
	wg.Wait()
	assert.Equal(t, 320, c.srv.Requests())
	assert.Len(t, c.get("/domain/zone/example.com/record?fieldType=TXT").json.Array(), 1+80)
}

func BenchmarkBulkServers(b *testing.B) {
	srv := NewServer(Config{DedicatedServers: 1000, RateLimit: -1})
	defer srv.Close()
	ts := strconv.FormatInt(srv.Now().Unix(), 10)
	u := srv.URL() + "/dedicated/server"
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("X-Ovh-Application", srv.AppKey())
	req.Header.Set("X-Ovh-Consumer", srv.ConsumerKey())
	req.Header.Set("X-Ovh-Timestamp", ts)
	req.Header.Set("X-Ovh-Signature", Sign(srv.AppSecret(), srv.ConsumerKey(), "GET", u, "", ts))
	req.Header.Set("X-Pagination-Mode", "CachedObjectList-Pages")
	for b.Loop() {
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			b.Fatal(err, res.StatusCode)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}
