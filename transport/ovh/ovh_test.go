package ovh_test

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/ovh"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// The official vectors (go-ovh ovh_test.go, python-ovh test_client.py),
// with revoked keys, and four more computed for the simulator.
const (
	vecAS = "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk"
	vecCK = "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY"
	vecTS = 1457018875
)

func TestSignatureVectors(t *testing.T) {
	body := `{"a":"b","c":"d"}`
	cases := []struct {
		method, url, body, want string
		ts                      int64
	}{
		{"GET", "https://eu.api.ovh.com/1.0/auth", "", "$1$e9556054b6309771395efa467c22e627407461ad", vecTS},
		{"POST", "https://eu.api.ovh.com/1.0/auth", body, "$1$ec2fb5c7a81f64723c77d2e5b609ae6f58a84fc1", vecTS},
		{"PUT", "https://eu.api.ovh.com/1.0/auth", body, "$1$8a75a9e7c8e7296c9dbeda6a2a735eb6bd58ec4b", vecTS},
		{"DELETE", "https://eu.api.ovh.com/1.0/auth", "", "$1$a1eecd00b3b02b6cf5708b84b9ff42059a950d85", vecTS},
		{"GET", "https://eu.api.ovh.com/1.0/authTO", "", "$1$1f0958be70f095ddaba525778a9ac1dcffac89f3", vecTS},
		{"POST", "https://eu.api.ovh.com/1.0/authTO", body, "$1$b592effcb3bc2d37860eceb06a1b17670fbe49c6", vecTS},
		{"PUT", "https://eu.api.ovh.com/1.0/authTO", body, "$1$6b27c2a693a0eb4980217046b2fe10d74ba796f0", vecTS},
		{"DELETE", "https://eu.api.ovh.com/1.0/authTO", "", "$1$bd59b15361548c388058009e00c508081e991e8b", vecTS},
		{"GET", "https://eu.api.ovh.com/1.0/call", "", "$1$7f2db49253edfc41891023fcd1a54cf61db05fbb", vecTS},
		{"GET", "https://eu.api.ovh.com/v1/call", "", "$1$e6e7906d385eb28adcbfbe6b66c1528a42d741ad", vecTS},
		{"GET", "https://eu.api.ovh.com/v2/call", "", "$1$bb63b132a6f84ad5433d0c534d48d3f7c3804285", vecTS},
		// Computed for the simulator (not upstream).
		{"GET", "http://127.0.0.1:8080/1.0/me", "", "$1$13bb1ea98fe1d7c5122cce7be7d22c163e547626", vecTS},
		{"GET", "https://eu.api.ovh.com/1.0/domain/zone/example.com/record?fieldType=A&subDomain=www", "", "$1$65727ee257afb1393f4d9255dc50d08829c678ea", vecTS},
		{"POST", "https://eu.api.ovh.com/1.0/domain/zone/example.com/record", `{"fieldType":"A","subDomain":"www","target":"192.0.2.10","ttl":3600}`, "$1$431c641128eb0afcfb224ce12a3ef0c16104c7f1", vecTS},
		{"GET", "https://eu.api.ovh.com/1.0/auth", "", "$1$b503f821e41176d74fabbcee545808f5db94ddda", vecTS + 1},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%d_%s_%s", i+1, c.method, c.url), func(t *testing.T) {
			assert.Equal(t, c.want, ovh.Sign(vecAS, vecCK, c.method, c.url, []byte(c.body), c.ts))
		})
	}
}

// The signer signs the URL actually requested, resolving /v1 and /v2 at
// the host's root, and sends only the application key on the two
// unauthenticated calls.
func TestSignerThroughTransport(t *testing.T) {
	var got []*http.Request
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		got = append(got, r)
		if r.URL.Path == "/1.0/auth/time" {
			return answer(200, fmt.Sprint(vecTS)), nil
		}
		return answer(200, "null"), nil
	})
	cr := ovh.Credentials{Endpoint: "ovh-eu", ApplicationKey: "TDPKJdwZwAQPwKX2", ApplicationSecret: vecAS, ConsumerKey: vecCK}
	now := func() time.Time { return time.Unix(vecTS+3600, 0) } // local clock an hour ahead
	cfg, _, err := ovh.Config(cr, ovh.Options{Now: now})
	require.NoError(t, err)
	cfg.HTTPClient = &http.Client{Transport: rt}
	tc, err := transport.New(cfg)
	require.NoError(t, err)
	ctx := context.Background()

	for _, p := range []string{"/auth", "/v1/call", "/v2/call"} {
		_, err := tc.Do(ctx, &transport.Request{Method: "GET", Path: p})
		require.NoError(t, err)
	}
	require.Len(t, got, 4) // /auth/time once, then three calls
	assert.Equal(t, "/1.0/auth/time", got[0].URL.Path)
	assert.Equal(t, "TDPKJdwZwAQPwKX2", got[0].Header.Get("X-Ovh-Application"))
	assert.Empty(t, got[0].Header.Get("X-Ovh-Signature"), "server time is read unsigned")
	want := map[string]string{
		"https://eu.api.ovh.com/1.0/auth": "$1$e9556054b6309771395efa467c22e627407461ad",
		"https://eu.api.ovh.com/v1/call":  "$1$e6e7906d385eb28adcbfbe6b66c1528a42d741ad",
		"https://eu.api.ovh.com/v2/call":  "$1$bb63b132a6f84ad5433d0c534d48d3f7c3804285",
	}
	for _, r := range got[1:] {
		assert.Equal(t, want[r.URL.String()], r.Header.Get("X-Ovh-Signature"), r.URL.String())
		assert.Equal(t, fmt.Sprint(vecTS), r.Header.Get("X-Ovh-Timestamp"), "timestamp corrected by the delta")
		assert.Equal(t, vecCK, r.Header.Get("X-Ovh-Consumer"))
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
	}

	got = nil
	_, err = tc.Do(ctx, &transport.Request{Method: "POST", Path: "/auth/credential", Body: []byte(`{}`)})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "TDPKJdwZwAQPwKX2", got[0].Header.Get("X-Ovh-Application"))
	for _, h := range []string{"X-Ovh-Consumer", "X-Ovh-Timestamp", "X-Ovh-Signature"} {
		assert.Empty(t, got[0].Header.Get(h), h)
	}
}

func TestSignerWithoutConsumerKey(t *testing.T) {
	cfg, _, err := ovh.Config(ovh.Credentials{ApplicationKey: "ak", ApplicationSecret: "as"}, ovh.Options{})
	require.NoError(t, err)
	var sent atomic.Int32
	cfg.HTTPClient = &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return answer(200, "1"), nil
	})}
	tc, err := transport.New(cfg)
	require.NoError(t, err)
	_, err = tc.Do(context.Background(), &transport.Request{Method: "GET", Path: "/me"})
	require.Error(t, err)
	assert.ErrorIs(t, err, ovh.ErrNotCredential)
	assert.ErrorIs(t, err, transport.ErrUnauthorized)
	assert.Zero(t, sent.Load(), "nothing is sent without a consumer key")
}

// A clock step on the server side: the first signed call is refused, the
// client reads the time again and the retry passes. A wrong secret is
// refused without a retry loop.
func TestClockResync(t *testing.T) {
	var server atomic.Int64
	server.Store(vecTS)
	var calls, timeReads atomic.Int32
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/1.0/auth/time" {
			timeReads.Add(1)
			return answer(200, fmt.Sprint(server.Load())), nil
		}
		calls.Add(1)
		if r.Header.Get("X-Ovh-Timestamp") != fmt.Sprint(server.Load()) {
			return answer(400, `{"class":"Client::BadRequest","message":"Query out of time","errorCode":"QUERY_TIME_OUT","httpCode":"400 Bad Request"}`), nil
		}
		return answer(200, `{"ok":true}`), nil
	})
	local := time.Unix(vecTS, 0)
	cfg, clock, err := ovh.Config(ovh.Credentials{ApplicationKey: "ak", ApplicationSecret: "as", ConsumerKey: "ck"}, ovh.Options{Now: func() time.Time { return local }})
	require.NoError(t, err)
	cfg.HTTPClient = &http.Client{Transport: rt}
	cfg.Retry = transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: time.Millisecond}
	tc, err := transport.New(cfg)
	require.NoError(t, err)
	ctx := context.Background()

	_, err = tc.Do(ctx, &transport.Request{Method: "GET", Path: "/me"})
	require.NoError(t, err)
	assert.EqualValues(t, 1, timeReads.Load())

	server.Add(600) // the API's clock jumps ten minutes
	local = local.Add(2 * time.Second)
	_, err = tc.Do(ctx, &transport.Request{Method: "POST", Path: "/me/x", Body: []byte(`{}`)})
	require.NoError(t, err, "re-synced and retried, even a POST: the API refused it before acting")
	assert.EqualValues(t, 2, timeReads.Load())
	d, err := clock.Delta(ctx)
	require.NoError(t, err)
	assert.Equal(t, -598*time.Second, d)
}

func TestNoRetryLoopOnWrongSecret(t *testing.T) {
	// Both clocks agree and stand still: the delta stays.
	var tick atomic.Int64
	tick.Store(vecTS)
	var calls atomic.Int32
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/1.0/auth/time" {
			return answer(200, fmt.Sprint(tick.Load())), nil
		}
		calls.Add(1)
		return answer(400, `{"class":"Client::BadRequest","message":"Invalid signature","errorCode":"INVALID_SIGNATURE","httpCode":"400 Bad Request"}`), nil
	})
	now := func() time.Time { return time.Unix(tick.Load(), 0) }
	cfg, _, err := ovh.Config(ovh.Credentials{ApplicationKey: "ak", ApplicationSecret: "wrong-secret", ConsumerKey: "ck"}, ovh.Options{Now: now})
	require.NoError(t, err)
	cfg.HTTPClient = &http.Client{Transport: rt}
	cfg.Retry = transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: time.Millisecond}
	tc, err := transport.New(cfg)
	require.NoError(t, err)
	_, err = tc.Do(context.Background(), &transport.Request{Method: "GET", Path: "/me"})
	require.Error(t, err)
	assert.ErrorIs(t, err, ovh.ErrInvalidSignature)
	assert.ErrorIs(t, err, transport.ErrUnauthorized)
	assert.EqualValues(t, 1, calls.Load(), "the delta did not move: no retry")
	assert.NotContains(t, err.Error(), "wrong-secret")
}

func TestDecodeError(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		kind   error
		code   string
		msg    string
	}{
		{"modern", 403, `{"class":"Client::Forbidden","message":"This call has not been granted"}`, ovh.ErrNotGranted, "Client::Forbidden", "This call has not been granted"},
		{"legacy", 403, `{"errorCode":"INVALID_CREDENTIAL","httpCode":"403 Forbidden","message":"This credential is not valid"}`, ovh.ErrInvalidCredential, "INVALID_CREDENTIAL", "This credential is not valid"},
		{"union", 400, `{"class":"Client::BadRequest","message":"Invalid signature","errorCode":"INVALID_SIGNATURE","httpCode":"400 Bad Request"}`, ovh.ErrInvalidSignature, "INVALID_SIGNATURE", "Invalid signature"},
		{"not credential", 403, `{"errorCode":"NOT_CREDENTIAL","message":"This credential does not exist"}`, ovh.ErrNotCredential, "NOT_CREDENTIAL", ""},
		{"invalid key", 403, `{"message":"Invalid application key"}`, ovh.ErrInvalidKey, "", "Invalid application key"},
		{"iam", 403, `{"class":"Client::Forbidden","errorCode":"FORBIDDEN","message":"User not granted for this request","details":{"unauthorizedActionsByIAM":"account:apiovh:me/get"}}`, transport.ErrForbidden, "FORBIDDEN", ""},
		{"expired service", 460, `{"class":"Client::Gone","message":"This service is expired"}`, ovh.ErrServiceExpired, "Client::Gone", "This service is expired"},
		{"html", 503, `<html><head><title>Maintenance</title></head></html>`, transport.ErrUnavailable, "", ""},
		{"not found", 404, `{"class":"Client::NotFound","message":"This service does not exist"}`, transport.ErrNotFound, "Client::NotFound", "This service does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &transport.Error{Provider: ovh.Name, Status: c.status, Kind: transport.KindForStatus(c.status)}
			ovh.DecodeError(e, http.Header{"X-Ovh-Queryid": {"FR.ws-8.5860f657.4632.0180"}}, []byte(c.body))
			assert.ErrorIs(t, e, c.kind)
			assert.Equal(t, "FR.ws-8.5860f657.4632.0180", e.RequestID)
			if c.code != "" {
				assert.Equal(t, c.code, e.Code)
			}
			if c.msg != "" {
				assert.Equal(t, c.msg, e.Message)
			}
		})
	}
	e := &transport.Error{Status: 403}
	ovh.DecodeError(e, http.Header{}, []byte(`{"class":"Client::Forbidden","errorCode":"FORBIDDEN","message":"denied","details":{"unauthorizedActionsByIAM":["account:apiovh:me/get"]}}`))
	assert.Equal(t, "denied (missing IAM permissions: account:apiovh:me/get)", e.Message)
	assert.ErrorIs(t, e, transport.ErrForbidden)
}

func FuzzDecodeError(f *testing.F) {
	f.Add(403, []byte(`{"errorCode":"NOT_GRANTED_CALL","message":"x"}`))
	f.Add(400, []byte(`{"class":"Client::BadRequest","message":"Invalid signature","details":{"unauthorizedActionsByIAM":[1,{}]}}`))
	f.Add(503, []byte(`<html>`))
	f.Add(400, []byte(`{"details":`+strings.Repeat("[", 200)+`]`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := &transport.Error{Status: status, Kind: transport.KindForStatus(status)}
		ovh.DecodeError(e, http.Header{}, body)
		_ = e.Error()
	})
}

func TestResolveEndpoint(t *testing.T) {
	for alias, want := range map[string]string{
		"ovh-eu": "https://eu.api.ovh.com/1.0", "ovh-ca": "https://ca.api.ovh.com/1.0", "ovh-us": "https://api.us.ovhcloud.com/1.0",
		"kimsufi-eu": "https://eu.api.kimsufi.com/1.0", "kimsufi-ca": "https://ca.api.kimsufi.com/1.0",
		"soyoustart-eu": "https://eu.api.soyoustart.com/1.0", "soyoustart-ca": "https://ca.api.soyoustart.com/1.0",
		"runabove-ca": "https://api.runabove.com/1.0", "": "https://eu.api.ovh.com/1.0",
		"http://127.0.0.1:8080/1.0/": "http://127.0.0.1:8080/1.0",
	} {
		got, err := ovh.ResolveEndpoint(alias)
		require.NoError(t, err, alias)
		assert.Equal(t, want, got, alias)
	}
	_, err := ovh.ResolveEndpoint("ovh-mars")
	assert.ErrorIs(t, err, ovh.ErrUnknownEndpoint)
	assert.ErrorIs(t, err, transport.ErrInvalid)
}

// go-ovh's TestConfigFromFiles: the application key from the system file,
// the secret from the user's, the consumer key from the local one.
func TestLoaderMergesFilesPerKey(t *testing.T) {
	files := map[string]string{
		"/etc/ovh.conf":      "[default]\nendpoint=ovh-eu\n\n[ovh-eu]\napplication_key=system\napplication_secret=system\nconsumer_key=system\n",
		"/home/u/.ovh.conf":  "[ovh-eu]\napplication_secret=user\nconsumer_key=user\n",
		"ovh.conf":           "; local overrides\n[ovh-eu]\nconsumer_key=local\n",
		"/unused/other.conf": "[ovh-ca]\napplication_key=other\n",
	}
	l := ovh.Loader{Files: []string{"/etc/ovh.conf", "/home/u/.ovh.conf", "ovh.conf", "/missing.conf"}, ReadFile: fakeFS(files)}
	cr, err := l.Load()
	require.NoError(t, err)
	assert.Equal(t, "ovh-eu", cr.Endpoint)
	assert.EqualValues(t, "system", cr.ApplicationKey)
	assert.EqualValues(t, "user", cr.ApplicationSecret)
	assert.EqualValues(t, "local", cr.ConsumerKey)

	// Environment on top, per key, whatever the section.
	l.Getenv = env(map[string]string{"OVH_CONSUMER_KEY": "fromenv", "OVH_ENDPOINT": "ovh-eu"})
	cr, err = l.Load()
	require.NoError(t, err)
	assert.EqualValues(t, "fromenv", cr.ConsumerKey)
	assert.EqualValues(t, "system", cr.ApplicationKey)

	// An explicit endpoint picks another section.
	l.Getenv = nil
	l.Endpoint = "ovh-ca"
	_, err = l.Load()
	require.Error(t, err)
	assert.ErrorIs(t, err, ovh.ErrConfig)
	assert.Contains(t, err.Error(), "missing authentication information")

	// A URL section, as go-ovh allows.
	files["ovh.conf"] = "[default]\nendpoint=http://127.0.0.1:4242/1.0\n[http://127.0.0.1:4242/1.0]\napplication_key=a\napplication_secret=b\n"
	l = ovh.Loader{Files: []string{"ovh.conf"}, ReadFile: fakeFS(files)}
	cr, err = l.Load()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:4242/1.0", cr.Endpoint)
	assert.EqualValues(t, "a", cr.ApplicationKey)
}

func TestLoaderValidation(t *testing.T) {
	read := fakeFS(map[string]string{
		"half.conf":    "[ovh-eu]\napplication_key=only\n",
		"broken.conf":  "[ovh-eu\napplication_key=x\n",
		"oauth.conf":   "[ovh-eu]\nclient_id=x\nclient_secret=y\n",
		"garbage.conf": "[ovh-eu]\njust words\n",
	})
	cases := map[string]string{
		"half.conf":    "invalid authentication config, both application_key and application_secret must be given",
		"broken.conf":  "cannot load configuration broken.conf: line 1: unclosed section",
		"oauth.conf":   "not supported",
		"garbage.conf": "line 2: expected key=value",
	}
	for f, msg := range cases {
		_, err := ovh.Loader{Files: []string{f}, ReadFile: read}.Load()
		require.Error(t, err, f)
		assert.Contains(t, err.Error(), msg, f)
		assert.ErrorIs(t, err, transport.ErrInvalid)
	}
	_, err := ovh.Loader{Files: []string{}, Getenv: env(map[string]string{"OVH_ENDPOINT": "nowhere"})}.Load()
	assert.ErrorContains(t, err, `unknown endpoint "nowhere"`)
}

func TestSecretsNeverPrint(t *testing.T) {
	cr := ovh.Credentials{Endpoint: "ovh-eu", ApplicationKey: "AKAKAKAK", ApplicationSecret: "ASASASAS", ConsumerKey: "CKCKCKCK"}
	for _, s := range []string{fmt.Sprint(cr), fmt.Sprintf("%v", cr), fmt.Sprintf("%+v", cr), fmt.Sprintf("%#v", cr)} {
		for _, secret := range []string{"AKAKAKAK", "ASASASAS", "CKCKCKCK"} {
			assert.NotContains(t, s, secret)
		}
	}
}

func TestBulkPager(t *testing.T) {
	p := ovh.Pager{}
	q := p.First(url.Values{"datacenter": {"sbg1"}}, 200)
	send, h := p.Split(q)
	assert.Equal(t, url.Values{"datacenter": {"sbg1"}}, send)
	assert.Equal(t, ovh.ModeBulk, h.Get(ovh.HeaderMode))
	assert.Equal(t, "1", h.Get(ovh.HeaderNumber))
	assert.Equal(t, "200", h.Get(ovh.HeaderSize))

	next, total := p.Next(q, http.Header{ovh.HeaderElements: {"500"}}, gjson.Result{}, 200)
	assert.Equal(t, 500, total)
	require.NotNil(t, next)
	assert.Equal(t, "2", next.Get(ovh.HeaderNumber))
	next, _ = p.Next(p.Page(q, 3, 200), http.Header{ovh.HeaderElements: {"500"}}, gjson.Result{}, 100)
	assert.Nil(t, next, "page 3 of 500 at 200 is the last")

	// A server that ignores the mode answered the whole id list.
	next, total = p.Next(q, http.Header{}, gjson.Result{}, 500)
	assert.Nil(t, next)
	assert.Equal(t, 500, total)

	off := p.First(url.Values{ovh.NoBulk: {"1"}}, 0)
	send, h = p.Split(off)
	assert.Empty(t, send)
	assert.Empty(t, h.Get(ovh.HeaderMode))
}

func TestUnauthenticated(t *testing.T) {
	assert.True(t, ovh.Unauthenticated("GET", "/1.0/auth/time"))
	assert.True(t, ovh.Unauthenticated("POST", "/1.0/auth/credential"))
	assert.False(t, ovh.Unauthenticated("GET", "/1.0/auth/currentCredential"))
	assert.False(t, ovh.Unauthenticated("POST", "/1.0/auth/time"))
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := f(r)
	if resp != nil {
		resp.Request = r // as net/http does: the request sent, signed
	}
	return resp, err
}

func answer(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: nopCloser{strings.NewReader(body)}, ContentLength: int64(len(body))}
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

func fakeFS(files map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// After the API's clock jumps, many calls in flight are refused at once:
// they share one re-sync and all succeed on their retry.
func TestConcurrentRefusalsShareOneResync(t *testing.T) {
	var server atomic.Int64
	server.Store(vecTS)
	var timeReads atomic.Int32
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/1.0/auth/time" {
			timeReads.Add(1)
			return answer(200, fmt.Sprint(server.Load())), nil
		}
		if r.Header.Get("X-Ovh-Timestamp") != fmt.Sprint(server.Load()) {
			return answer(400, `{"class":"Client::BadRequest","message":"Query out of time","errorCode":"QUERY_TIME_OUT"}`), nil
		}
		return answer(200, `{}`), nil
	})
	cfg, _, err := ovh.Config(ovh.Credentials{ApplicationKey: "ak", ApplicationSecret: "as", ConsumerKey: "ck"},
		ovh.Options{Now: func() time.Time { return time.Unix(vecTS, 0) }})
	require.NoError(t, err)
	cfg.HTTPClient = &http.Client{Transport: rt}
	cfg.Retry = transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: time.Millisecond}
	tc, err := transport.New(cfg)
	require.NoError(t, err)
	_, err = tc.Do(context.Background(), &transport.Request{Method: "GET", Path: "/me"})
	require.NoError(t, err)

	server.Add(3600)
	errs := make(chan error, 16)
	for range 16 {
		go func() {
			_, err := tc.Do(context.Background(), &transport.Request{Method: "GET", Path: "/me"})
			errs <- err
		}()
	}
	for range 16 {
		assert.NoError(t, <-errs)
	}
	assert.LessOrEqual(t, timeReads.Load(), int32(3), "the refused calls share the re-sync")
}

func FuzzParseINI(f *testing.F) {
	f.Add([]byte("[default]\nendpoint=ovh-eu\n[ovh-eu]\napplication_key=a\n"))
	f.Add([]byte("\ufeff; comment\n[x\nkey: 'v'\n=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		secs, err := ovh.ParseINI(data)
		if err != nil {
			return
		}
		for name, kv := range secs {
			if name == "" {
				t.Fatal("a section without a name")
			}
			for k := range kv {
				if k == "" || k != strings.ToLower(k) {
					t.Fatalf("key %q is empty or not lower-cased", k)
				}
			}
		}
	})
}
