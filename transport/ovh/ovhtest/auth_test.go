package ovhtest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// The vectors of go-ovh's and python-ovh's tests, and ours computed for the simulator.
func TestSignVectors(t *testing.T) {
	const as, ck, ts = "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk", "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY", "1457018875"
	const body = `{"a":"b","c":"d"}`
	for _, v := range []struct{ method, url, body, want string }{
		{"GET", "https://eu.api.ovh.com/1.0/auth", "", "$1$e9556054b6309771395efa467c22e627407461ad"},
		{"POST", "https://eu.api.ovh.com/1.0/auth", body, "$1$ec2fb5c7a81f64723c77d2e5b609ae6f58a84fc1"},
		{"PUT", "https://eu.api.ovh.com/1.0/auth", body, "$1$8a75a9e7c8e7296c9dbeda6a2a735eb6bd58ec4b"},
		{"DELETE", "https://eu.api.ovh.com/1.0/auth", "", "$1$a1eecd00b3b02b6cf5708b84b9ff42059a950d85"},
		{"GET", "https://eu.api.ovh.com/1.0/authTO", "", "$1$1f0958be70f095ddaba525778a9ac1dcffac89f3"},
		{"POST", "https://eu.api.ovh.com/1.0/authTO", body, "$1$b592effcb3bc2d37860eceb06a1b17670fbe49c6"},
		{"PUT", "https://eu.api.ovh.com/1.0/authTO", body, "$1$6b27c2a693a0eb4980217046b2fe10d74ba796f0"},
		{"DELETE", "https://eu.api.ovh.com/1.0/authTO", "", "$1$bd59b15361548c388058009e00c508081e991e8b"},
		{"GET", "https://eu.api.ovh.com/1.0/call", "", "$1$7f2db49253edfc41891023fcd1a54cf61db05fbb"},
		{"GET", "https://eu.api.ovh.com/v1/call", "", "$1$e6e7906d385eb28adcbfbe6b66c1528a42d741ad"},
		{"GET", "https://eu.api.ovh.com/v2/call", "", "$1$bb63b132a6f84ad5433d0c534d48d3f7c3804285"},
		{"GET", "http://127.0.0.1:8080/1.0/me", "", "$1$13bb1ea98fe1d7c5122cce7be7d22c163e547626"},
		{"GET", "https://eu.api.ovh.com/1.0/domain/zone/example.com/record?fieldType=A&subDomain=www", "", "$1$65727ee257afb1393f4d9255dc50d08829c678ea"},
		{"POST", "https://eu.api.ovh.com/1.0/domain/zone/example.com/record", `{"fieldType":"A","subDomain":"www","target":"192.0.2.10","ttl":3600}`, "$1$431c641128eb0afcfb224ce12a3ef0c16104c7f1"},
	} {
		assert.Equal(t, v.want, Sign(as, ck, v.method, v.url, v.body, ts), "%s %s", v.method, v.url)
	}
	assert.Equal(t, "$1$b503f821e41176d74fabbcee545808f5db94ddda", Sign(as, ck, "GET", "https://eu.api.ovh.com/1.0/auth", "", "1457018876"))
}

func TestSignedCallAccepted(t *testing.T) {
	c := newTC(t, Config{})
	r := c.get("/me")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
	assert.Regexp(t, queryIDShape, r.header.Get("X-Ovh-Queryid"))
	assert.True(t, strings.HasSuffix(r.json.Get("nichandle").String(), "-ovh"))

	// A query string is part of the signed URL.
	r = c.get("/domain/zone/example.com/record?fieldType=NS")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Len(t, r.json.Array(), 2)

	// The same API under /v1, signed with the /v1 URL.
	c.prefix = "/v1"
	assert.Equal(t, http.StatusOK, c.get("/me").status)
}

func TestTamperedCall(t *testing.T) {
	c := newTC(t, Config{})
	body := `{"fieldType":"A","subDomain":"www2","target":"192.0.2.55","ttl":60}`
	before := len(c.get("/domain/zone/example.com/record").json.Array())

	r := c.do("POST", "/domain/zone/example.com/record", body, withBody(strings.Replace(body, "55", "56", 1)))
	requireError(t, r, http.StatusBadRequest, "INVALID_SIGNATURE", "Invalid signature")
	assert.Equal(t, before, len(c.get("/domain/zone/example.com/record").json.Array()), "nothing created")

	// The query is signed too.
	r = c.do("GET", "/domain/zone/example.com/record?fieldType=A", "", func(req *http.Request) {
		req.URL.RawQuery = "fieldType=NS"
	})
	requireError(t, r, http.StatusBadRequest, "INVALID_SIGNATURE", "Invalid signature")
	// So are the method and the consumer key's secret.
	r = c.do("GET", "/me", "", func(req *http.Request) { req.Method = "DELETE" })
	assert.Equal(t, http.StatusMethodNotAllowed, r.status, "routing comes first")
	c2 := *c
	c2.as = strings.ToUpper(c.as)
	requireError(t, c2.get("/me"), http.StatusBadRequest, "INVALID_SIGNATURE", "Invalid signature")
	// And the host the client used.
	r = c.do("GET", "/me", "", func(req *http.Request) { req.Host = "eu.api.ovh.com" })
	requireError(t, r, http.StatusBadRequest, "INVALID_SIGNATURE", "Invalid signature")

	// The untouched call goes through.
	r = c.do("POST", "/domain/zone/example.com/record", body)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "192.0.2.55", r.json.Get("target").String())
}

func TestTimestampWindow(t *testing.T) {
	c := newTC(t, Config{})
	frozen(c.srv)
	for _, tc := range []struct {
		skew time.Duration
		ok   bool
	}{{0, true}, {-5 * time.Minute, true}, {5 * time.Minute, true}, {-5*time.Minute - time.Second, false}, {6 * time.Minute, false}} {
		c.skew = tc.skew
		r := c.get("/me")
		if tc.ok {
			assert.Equal(t, http.StatusOK, r.status, "skew %v: %s", tc.skew, r.body)
		} else {
			requireError(t, r, http.StatusBadRequest, "QUERY_TIME_OUT", "Query out of time")
		}
	}
	c.skew = 0
	r := c.do("GET", "/me", "", func(req *http.Request) {
		// Not a number, but correctly signed.
		req.Header.Set("X-Ovh-Timestamp", "soon")
		req.Header.Set("X-Ovh-Signature", Sign(c.as, c.ck, "GET", c.srv.URL()+"/me", "", "soon"))
	})
	requireError(t, r, http.StatusBadRequest, "QUERY_TIME_OUT", "Query out of time")

	// A clock step on the server makes the client's timestamps stale.
	c.skew = 0
	start := c.srv.Now()
	c.srv.SkewClock(10 * time.Minute)
	assert.Equal(t, 10*time.Minute, c.srv.Now().Sub(start))
	c.skew = -10 * time.Minute // a client that kept its old time delta
	requireError(t, c.get("/me"), http.StatusBadRequest, "QUERY_TIME_OUT", "Query out of time")

	// A narrower window, and no window.
	n := newTC(t, Config{TimeWindow: 30 * time.Second})
	frozen(n.srv)
	n.skew = 31 * time.Second
	requireError(t, n.get("/me"), http.StatusBadRequest, "QUERY_TIME_OUT", "Query out of time")
	n.skew = 30 * time.Second
	assert.Equal(t, http.StatusOK, n.get("/me").status)
	off := newTC(t, Config{TimeWindow: -1})
	off.skew = -48 * time.Hour
	assert.Equal(t, http.StatusOK, off.get("/me").status)
}

func TestAuthErrors(t *testing.T) {
	c := newTC(t, Config{})
	srv := c.srv
	otherApp := func() *app {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		return srv.addApp()
	}()
	foreign := func() string {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		return srv.addCredential(otherApp, stateValidated, []Rule{{"GET", "/*"}}, srv.clock()).ck
	}()
	pending := srv.NewConsumerKey("pendingValidation")
	refused := srv.NewConsumerKey("refused")
	expired := srv.NewConsumerKey("expired")
	meOnly := srv.NewConsumerKey("validated", Rule{"GET", "/me"})

	type check struct {
		name    string
		client  func() *tc
		status  int
		code    string
		message string
	}
	with := func(f func(d *tc)) func() *tc {
		return func() *tc {
			d := *c
			f(&d)
			return &d
		}
	}
	for _, ch := range []check{
		{"no auth headers", with(func(d *tc) { d.unsigned = true }), 401, "", "You must login first"},
		{"no headers at all", with(func(d *tc) { d.unsigned, d.ak = true, "" }), 401, "", "You must login first"},
		{"unknown application", with(func(d *tc) { d.ak = "nope" }), 403, "INVALID_KEY", "This application key is invalid"},
		{"missing application", with(func(d *tc) { d.ak = "" }), 403, "INVALID_KEY", "This application key is invalid"},
		{"unknown consumer key", with(func(d *tc) { d.ck = "nope" }), 403, "NOT_CREDENTIAL", "This credential does not exist"},
		{"another application's key", with(func(d *tc) { d.ck = foreign }), 403, "NOT_CREDENTIAL", "This credential does not exist"},
		{"foreign app signs its own key", with(func(d *tc) { d.ak, d.as, d.ck = otherApp.key, otherApp.secret, c.ck }), 403, "NOT_CREDENTIAL", "This credential does not exist"},
		{"bad signature", with(func(d *tc) { d.as = "wrong" }), 400, "INVALID_SIGNATURE", "Invalid signature"},
		{"stale", with(func(d *tc) { d.skew = -time.Hour }), 400, "QUERY_TIME_OUT", "Query out of time"},
		{"pending", with(func(d *tc) { d.ck = pending }), 403, "INVALID_CREDENTIAL", "This credential is not valid"},
		{"refused", with(func(d *tc) { d.ck = refused }), 403, "INVALID_CREDENTIAL", "This credential is not valid"},
		{"expired", with(func(d *tc) { d.ck = expired }), 403, "INVALID_CREDENTIAL", "This credential is not valid"},
		{"not granted", with(func(d *tc) { d.ck = meOnly }), 403, "NOT_GRANTED_CALL", "This call has not been granted"},
		// The order of the checks.
		{"unknown app before bad signature", with(func(d *tc) { d.ak, d.as = "nope", "wrong" }), 403, "INVALID_KEY", "This application key is invalid"},
		{"unknown key before bad signature", with(func(d *tc) { d.ck, d.as = "nope", "wrong" }), 403, "NOT_CREDENTIAL", "This credential does not exist"},
		{"bad signature before stale", with(func(d *tc) { d.as, d.skew = "wrong", -time.Hour }), 400, "INVALID_SIGNATURE", "Invalid signature"},
		{"stale before pending", with(func(d *tc) { d.ck, d.skew = pending, -time.Hour }), 400, "QUERY_TIME_OUT", "Query out of time"},
		{"expired before not granted", with(func(d *tc) { d.ck = srv.NewConsumerKey("expired", Rule{"GET", "/me"}) }), 403, "INVALID_CREDENTIAL", "This credential is not valid"},
	} {
		t.Run(ch.name, func(t *testing.T) {
			requireError(t, ch.client().get("/dedicated/server"), ch.status, ch.code, ch.message)
		})
	}
	// The key limited to GET /me reads /me.
	assert.Equal(t, http.StatusOK, c.withKey(meOnly).get("/me").status)
	// Unauthenticated routes need no signature.
	d := *c
	d.unsigned = true
	assert.Equal(t, http.StatusOK, d.get("/auth/time").status)
}

func TestGlob(t *testing.T) {
	for _, g := range []struct {
		pattern, path string
		want          bool
	}{
		{"/*", "/me", true},
		{"/*", "/dedicated/server/ns1.ip-1-2-3.eu/burst", true},
		{"/me", "/me", true},
		{"/me", "/me/bill", false},
		{"/me/*", "/me/bill", true},
		{"/me/*", "/me/bill/FR123", true},
		{"/me/*", "/me", false},
		{"/me*", "/me", true},
		{"/me*", "/mention", true},
		{"/dedicated/server/*/burst", "/dedicated/server/ns1.ip-1-2-3.eu/burst", true},
		{"/dedicated/server/*/burst", "/dedicated/server/ns1.ip-1-2-3.eu/ips", false},
		{"/domain/zone/*/record/*", "/domain/zone/example.com/record/5000000123", true},
		{"/domain/zone/*/record/*", "/domain/zone/example.com/record", false},
		{"/cloud/*/instance", "/cloud/project/abc/instance", true},
		{"*", "/anything", true},
		{"/a*b*c", "/axxbyyc", true},
		{"/a*b*c", "/axxbyy", false},
		{"", "/me", false},
	} {
		assert.Equal(t, g.want, glob(g.pattern, g.path), "%q ~ %q", g.pattern, g.path)
	}
}

func TestRules(t *testing.T) {
	c := newTC(t, Config{})
	name := c.srv.DedicatedServerNames()[0]
	ck := c.srv.NewConsumerKey("validated",
		Rule{"GET", "/me"},
		Rule{"GET", "/dedicated/server/*/burst"},
		Rule{"PUT", "/dedicated/server/" + name},
		Rule{"GET", "/domain/zone/example.com/record"})
	k := c.withKey(ck)
	granted := func(method, path, body string) bool {
		t.Helper()
		r := k.do(method, path, body)
		if r.status == http.StatusForbidden {
			assert.Equal(t, "NOT_GRANTED_CALL", r.json.Get("errorCode").String())
			return false
		}
		return true
	}
	assert.True(t, granted("GET", "/me", ""))
	assert.False(t, granted("GET", "/me/bill", ""), "/me does not cover /me/bill")
	assert.False(t, granted("PUT", "/me", `{"firstname":"A"}`), "the method matters")
	assert.True(t, granted("GET", "/dedicated/server/"+name+"/burst", ""))
	assert.False(t, granted("GET", "/dedicated/server/"+name, ""))
	assert.False(t, granted("PUT", "/dedicated/server/"+name+"/burst", `{"status":"active"}`))
	assert.True(t, granted("PUT", "/dedicated/server/"+name, `{"monitoring":true}`))
	assert.True(t, granted("GET", "/domain/zone/example.com/record?fieldType=A", ""), "the query is not part of the rule path")

	// SetRules replaces them.
	require.True(t, c.srv.SetRules(ck, Rule{"GET", "/me/*"}))
	assert.False(t, granted("GET", "/me", ""))
	assert.True(t, granted("GET", "/me/bill", ""))
	assert.False(t, c.srv.SetRules("unknown"))
}

func TestCredentialFlow(t *testing.T) {
	c := newTC(t, Config{})
	u := *c
	u.unsigned = true

	// An unknown or missing application is refused.
	body := `{"accessRules":[{"method":"GET","path":"/me"},{"method":"GET","path":"/me/*"}]}`
	bad := u
	bad.ak = "nope"
	requireError(t, bad.do("POST", "/auth/credential", body), 403, "INVALID_KEY", "This application key is invalid")
	bad.ak = ""
	requireError(t, bad.do("POST", "/auth/credential", body), 403, "INVALID_KEY", "This application key is invalid")

	// Bad requests.
	for _, b := range []string{`{}`, `{"accessRules":[]}`, `{"accessRules":[{"method":"PATCH","path":"/me"}]}`,
		`{"accessRules":[{"method":"GET","path":"me"}]}`, `{"accessRules":"all"}`, `[1]`, `{"accessRules":[{"method":"GET","path":"/me"}],"allowedIPs":["nope"]}`,
		`{"accessRules":[{"method":"GET","path":"/me"}],"extra":1}`} {
		r := u.do("POST", "/auth/credential", b)
		assert.Equal(t, http.StatusBadRequest, r.status, "%s: %s", b, r.body)
		assert.Equal(t, "Client::BadRequest", r.json.Get("class").String())
	}

	r := u.do("POST", "/auth/credential", body)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, []string{"validationUrl", "consumerKey", "state"}, keys(r.json))
	assert.Equal(t, "pendingValidation", r.json.Get("state").String())
	ck := r.json.Get("consumerKey").String()
	assert.Regexp(t, `^[A-Za-z0-9]{32}$`, ck)
	vurl := r.json.Get("validationUrl").String()
	require.True(t, strings.HasPrefix(vurl, c.srv.Root()+"/auth/?credentialToken="), vurl)
	assert.Regexp(t, `^[A-Za-z0-9]{64}$`, strings.TrimPrefix(vurl, c.srv.Root()+"/auth/?credentialToken="))
	assert.Equal(t, "pendingValidation", c.srv.ConsumerKeyState(ck))

	k := c.withKey(ck)
	requireError(t, k.get("/me"), 403, "INVALID_CREDENTIAL", "This credential is not valid")
	// The pending key can poll its own state.
	r = k.get("/auth/currentCredential")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "pendingValidation", r.json.Get("status").String())

	// The user's click.
	clicks := c.srv.RequestsTo("GET", "/auth/")
	page, err := c.hc.Get(vurl)
	require.NoError(t, err)
	page.Body.Close()
	assert.Equal(t, http.StatusOK, page.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", page.Header.Get("Content-Type"))
	assert.NotEmpty(t, page.Header.Get("X-Ovh-Queryid"))
	assert.Equal(t, "validated", c.srv.ConsumerKeyState(ck))
	assert.Equal(t, clicks+1, c.srv.RequestsTo("GET", "/auth/"))

	assert.Equal(t, http.StatusOK, k.get("/me").status)
	assert.Equal(t, http.StatusOK, k.get("/me/bill").status)
	requireError(t, k.get("/dedicated/server"), 403, "NOT_GRANTED_CALL", "This call has not been granted")
	r = k.get("/auth/currentCredential")
	assert.Equal(t, "validated", r.json.Get("status").String())
	assert.Equal(t, `[{"method":"GET","path":"/me"},{"method":"GET","path":"/me/*"}]`, r.json.Get("rules").Raw)

	// With a redirection the click redirects.
	r = u.do("POST", "/auth/credential", `{"accessRules":[{"method":"GET","path":"/*"}],"redirection":"https://app.example/callback?x=1"}`)
	require.Equal(t, http.StatusOK, r.status)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err = noFollow.Get(r.json.Get("validationUrl").String())
	require.NoError(t, err)
	page.Body.Close()
	assert.Equal(t, http.StatusFound, page.StatusCode)
	assert.Equal(t, "https://app.example/callback?x=1", page.Header.Get("Location"))
	assert.Equal(t, "validated", c.srv.ConsumerKeyState(r.json.Get("consumerKey").String()))

	// A refused key cannot be validated by a click; an unknown token is a 404.
	r = u.do("POST", "/auth/credential", `{"accessRules":[{"method":"GET","path":"/*"}],"redirection":null}`)
	require.Equal(t, http.StatusOK, r.status, "python-ovh sends a null redirection: %s", r.body)
	require.True(t, c.srv.RefuseConsumerKey(r.json.Get("consumerKey").String()))
	page, err = c.hc.Get(r.json.Get("validationUrl").String())
	require.NoError(t, err)
	page.Body.Close()
	assert.Equal(t, http.StatusForbidden, page.StatusCode)
	page, err = c.hc.Get(c.srv.Root() + "/auth/?credentialToken=" + strings.Repeat("x", 64))
	require.NoError(t, err)
	page.Body.Close()
	assert.Equal(t, http.StatusNotFound, page.StatusCode)

	// Allowed IPs are enforced: the test runs from 127.0.0.1.
	r = u.do("POST", "/auth/credential", `{"accessRules":[{"method":"GET","path":"/*"}],"allowedIPs":["192.0.2.0/24"]}`)
	require.Equal(t, http.StatusOK, r.status)
	far := r.json.Get("consumerKey").String()
	require.True(t, c.srv.ValidateConsumerKey(far))
	requireError(t, c.withKey(far).get("/me"), 403, "INVALID_CREDENTIAL", "This credential is not valid from this IP address")
	r = u.do("POST", "/auth/credential", `{"accessRules":[{"method":"GET","path":"/*"}],"allowedIPs":["127.0.0.1","::1/128"]}`)
	near := r.json.Get("consumerKey").String()
	require.True(t, c.srv.ValidateConsumerKey(near))
	r = c.withKey(near).get("/auth/currentCredential")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, `["127.0.0.1","::1/128"]`, r.json.Get("allowedIPs").Raw)
}

func keys(obj gjson.Result) []string {
	var out []string
	obj.ForEach(func(k, _ gjson.Result) bool {
		out = append(out, k.String())
		return true
	})
	return out
}

func TestCurrentCredentialAndLogout(t *testing.T) {
	c := newTC(t, Config{})
	r := c.get("/auth/currentCredential")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, []string{"credentialId", "applicationId", "creation", "expiration", "lastUse", "status", "rules", "allowedIPs", "ovhSupport"}, keys(r.json))
	assert.Equal(t, "validated", r.json.Get("status").String())
	assert.Equal(t, gjson.Null, r.json.Get("expiration").Type)
	assert.Equal(t, 4, len(r.json.Get("rules").Array()))
	assert.Positive(t, r.json.Get("credentialId").Int())
	assert.Positive(t, r.json.Get("applicationId").Int())
	_, err := time.Parse(time.RFC3339, r.json.Get("lastUse").String())
	assert.NoError(t, err)

	// Any state may read itself, even without a rule for it.
	for _, state := range []string{"pendingValidation", "refused", "expired"} {
		r := c.withKey(c.srv.NewConsumerKey(state, Rule{"GET", "/me"})).get("/auth/currentCredential")
		require.Equal(t, http.StatusOK, r.status, "%s: %s", state, r.body)
		assert.Equal(t, state, r.json.Get("status").String())
	}

	// Logout revokes the key, whatever its rules.
	ck := c.srv.NewConsumerKey("validated", Rule{"GET", "/me"})
	k := c.withKey(ck)
	r = k.do("POST", "/auth/logout", "")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "null", string(r.body))
	assert.Equal(t, "expired", c.srv.ConsumerKeyState(ck))
	requireError(t, k.get("/me"), 403, "INVALID_CREDENTIAL", "This credential is not valid")
	r = k.get("/auth/currentCredential")
	assert.Equal(t, "expired", r.json.Get("status").String())
	assert.NotEqual(t, gjson.Null, r.json.Get("expiration").Type)
}

func TestConsumerKeyHooks(t *testing.T) {
	srv := NewHandler(Config{})
	assert.Equal(t, "validated", srv.ConsumerKeyState(srv.ConsumerKey()))
	assert.Len(t, srv.AppKey(), 16)
	assert.Len(t, srv.AppSecret(), 32)
	assert.Len(t, srv.ConsumerKey(), 32)
	assert.Equal(t, "", srv.ConsumerKeyState("unknown"))

	p := srv.NewConsumerKey("pendingValidation")
	assert.False(t, srv.ExpireConsumerKey("unknown"))
	assert.True(t, srv.ValidateConsumerKey(p))
	assert.False(t, srv.ValidateConsumerKey(p), "already validated")
	assert.False(t, srv.RefuseConsumerKey(p), "only a pending key can be refused")
	assert.True(t, srv.ExpireConsumerKey(p))
	assert.Equal(t, "expired", srv.ConsumerKeyState(p))
	assert.False(t, srv.ExpireConsumerKey(p))

	q := srv.NewConsumerKey("pendingValidation")
	assert.True(t, srv.RefuseConsumerKey(q))
	assert.Equal(t, "refused", srv.ConsumerKeyState(q))
	assert.False(t, srv.ValidateConsumerKey(q))
	assert.False(t, srv.ValidateConsumerKey("unknown"))
	assert.Panics(t, func() { srv.NewConsumerKey("revoked") })

	// Same seed, same keys.
	again := NewHandler(Config{})
	assert.Equal(t, srv.AppKey(), again.AppKey())
	assert.Equal(t, srv.ConsumerKey(), again.ConsumerKey())
	assert.NotEqual(t, srv.ConsumerKey(), NewHandler(Config{Seed: 2}).ConsumerKey())
}

func TestValidateAfter(t *testing.T) {
	c := newTC(t, Config{ValidateAfter: 30 * time.Second})
	frozen(c.srv)
	u := *c
	u.unsigned = true
	r := u.do("POST", "/auth/credential", `{"accessRules":[{"method":"GET","path":"/me"}]}`)
	require.Equal(t, http.StatusOK, r.status)
	ck := r.json.Get("consumerKey").String()
	k := c.withKey(ck)
	assert.Equal(t, "pendingValidation", k.get("/auth/currentCredential").json.Get("status").String())
	c.srv.SkewClock(29 * time.Second)
	requireError(t, k.get("/me"), 403, "INVALID_CREDENTIAL", "This credential is not valid")
	c.srv.SkewClock(time.Second)
	assert.Equal(t, http.StatusOK, k.get("/me").status)
	assert.Equal(t, "validated", c.srv.ConsumerKeyState(ck))
}

func TestAuthTime(t *testing.T) {
	c := newTC(t, Config{})
	at := frozen(c.srv)
	r, err := c.send(mustReq(t, "GET", c.srv.URL()+"/auth/time"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, strconv.FormatInt(at.Unix(), 10), string(r.body), "a bare integer")
	assert.NotEmpty(t, r.header.Get("X-Ovh-Queryid"))
	c.srv.SkewClock(-90 * time.Second)
	r, err = c.send(mustReq(t, "GET", c.srv.Root()+"/v1/auth/time"))
	require.NoError(t, err)
	assert.Equal(t, strconv.FormatInt(at.Unix()-90, 10), string(r.body))
}

func mustReq(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	return req
}

func TestRateLimit(t *testing.T) {
	c := newTC(t, Config{RateLimit: StrictRateLimit})
	frozen(c.srv)
	for i := range 60 {
		require.Equal(t, http.StatusOK, c.get("/me").status, "request %d", i+1)
	}
	r := c.get("/me")
	requireError(t, r, http.StatusTooManyRequests, "", "Too many requests, please retry later")
	assert.Equal(t, "1", r.header.Get("Retry-After"))

	// Per consumer key; unauthenticated routes are not limited.
	other := c.withKey(c.srv.NewConsumerKey("validated"))
	assert.Equal(t, http.StatusOK, other.get("/me").status)
	u := *c
	u.unsigned = true
	assert.Equal(t, http.StatusOK, u.get("/auth/time").status)

	// The bucket refills at one token a second.
	c.srv.SkewClock(time.Second)
	assert.Equal(t, http.StatusOK, c.get("/me").status)
	assert.Equal(t, http.StatusTooManyRequests, c.get("/me").status)
	c.srv.SkewClock(time.Minute)
	for range 60 {
		require.Equal(t, http.StatusOK, c.get("/me").status)
	}

	c.srv.SetRateLimit(-1)
	for range 100 {
		require.Equal(t, http.StatusOK, c.get("/me").status)
	}
	c.srv.SetRateLimit(5)
	for range 5 {
		require.Equal(t, http.StatusOK, c.get("/me").status)
	}
	r = c.get("/me")
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "12", r.header.Get("Retry-After"), "one token every 12 s at 5/min")

	// Disabled from the start.
	d := newTC(t, Config{RateLimit: -1})
	for range 70 {
		require.Equal(t, http.StatusOK, d.get("/me").status)
	}

	// The default is generous: a loop over 100 servers, twice, on a clock
	// that does not move, is never refused.
	g := newTC(t, Config{DedicatedServers: 100})
	frozen(g.srv)
	names := g.srv.DedicatedServerNames()
	require.Len(t, names, 100)
	for range 2 {
		for _, n := range names {
			require.Equal(t, http.StatusOK, g.get("/dedicated/server/"+n).status)
		}
	}
	g.srv.SetRateLimit(0)
	for range 200 {
		require.Equal(t, http.StatusOK, g.get("/me").status, "SetRateLimit(0) is the default again")
	}
}

// The validation URL follows the host the client used.
func TestValidationURLHost(t *testing.T) {
	srv := NewHandler(Config{})
	assert.Empty(t, srv.URL())
	assert.Empty(t, srv.Root())
	srv.Close()
	req := httptest.NewRequest("POST", "http://api.example.test/1.0/auth/credential",
		strings.NewReader(`{"accessRules":[{"method":"GET","path":"/*"}]}`))
	req.Header.Set("X-Ovh-Application", srv.AppKey())
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	require.Equal(t, http.StatusOK, w.Code, "body: %s", w.Body)
	v, err := url.Parse(gjson.GetBytes(w.Body.Bytes(), "validationUrl").String())
	require.NoError(t, err)
	assert.Equal(t, "api.example.test", v.Host)
	assert.Equal(t, "/auth/", v.Path)
}
