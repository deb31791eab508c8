package enstratus_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// The four worked signature examples of the enStratus API as mixcoatl signs it, computed
// there with python3 and openssl.
var vectors = []struct {
	access, secret, method, path string
	ts                           int64
	toSign, sig                  string
}{
	{"ABCDEFGHIJ", "abcdefghij0123456789", "GET", "/api/enstratus/2012-06-15/geography/Cloud/1", 1356998400000,
		"ABCDEFGHIJ:GET:/api/enstratus/2012-06-15/geography/Cloud/1:1356998400000:mixcoatl",
		"cxun1ODQHGUu2VWiFjnigk6l4GULQoR5ATSoG2yFlbk="},
	{"ABCDEFGHIJ", "abcdefghij0123456789", "GET", "/api/enstratus/2012-06-15/geography/DataCenter", 1356998400000,
		"ABCDEFGHIJ:GET:/api/enstratus/2012-06-15/geography/DataCenter:1356998400000:mixcoatl",
		"YfCECTVQq0qSn0gH+xlQNq0Pjnc+M5Q1zzEPwFU1M/c="},
	{"ABCDEFGHIJ", "abcdefghij0123456789", "POST", "/api/enstratus/2012-06-15/infrastructure/Server", 1356998400123,
		"ABCDEFGHIJ:POST:/api/enstratus/2012-06-15/infrastructure/Server:1356998400123:mixcoatl",
		"wuBavzh2eG/G8yGFNZknwhj2dR10gE1ts/l+SryCAc4="},
	{"abcdefg", "gfedcba", "DELETE", "/api/enstratus/2012-06-15/infrastructure/Server/331810", 1356998400000,
		"abcdefg:DELETE:/api/enstratus/2012-06-15/infrastructure/Server/331810:1356998400000:mixcoatl",
		"g3/IG2IS1fhyeMMS9arUX6IJrAhu0eqRglPL1owUgt8="},
}

func TestSignatureVectors(t *testing.T) {
	for _, v := range vectors {
		assert.Equal(t, v.toSign, enstratus.StringToSign(v.access, v.method, v.path, v.ts, "mixcoatl"))
		assert.Equal(t, v.sig, enstratus.Sign(v.secret, v.access, v.method, v.path, v.ts, "mixcoatl"), v.toSign)
	}
	// Any change of the user agent changes the signature.
	v := vectors[0]
	assert.NotEqual(t, v.sig, enstratus.Sign(v.secret, v.access, v.method, v.path, v.ts, "stratus"))
}

func TestSignerHeaders(t *testing.T) {
	c := enstratus.Credentials{AccessKey: "ABCDEFGHIJ", SecretKey: "abcdefghij0123456789"}
	at := time.UnixMilli(1356998400000)
	s := enstratus.Signer(c, func() time.Time { return at })

	// The query is not signed; the path is the URL's, from /api/...
	r := httptest.NewRequest(http.MethodGet, "https://api.enstratus.com/api/enstratus/2012-06-15/geography/DataCenter?regionId=19344", nil)
	r.Header.Set("User-Agent", "mixcoatl")
	require.NoError(t, s.Sign(r, nil))
	assert.Equal(t, "ABCDEFGHIJ", r.Header.Get(enstratus.HeaderAccess))
	assert.Equal(t, "1356998400000", r.Header.Get(enstratus.HeaderTimestamp))
	assert.Equal(t, vectors[1].sig, r.Header.Get(enstratus.HeaderSignature))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Equal(t, "mixcoatl", r.Header.Get("User-Agent"))
	assert.Empty(t, r.Header.Get(enstratus.HeaderDetails), "details are the caller's choice")

	// Without a User-Agent the default is both sent and signed.
	r = httptest.NewRequest(http.MethodGet, "https://h/api/enstratus/2012-06-15/geography/Cloud/1", nil)
	r.Header.Del("User-Agent")
	require.NoError(t, s.Sign(r, nil))
	assert.Equal(t, enstratus.DefaultUserAgent, r.Header.Get("User-Agent"))
	assert.Equal(t, enstratus.Sign("abcdefghij0123456789", "ABCDEFGHIJ", "GET", "/api/enstratus/2012-06-15/geography/Cloud/1", 1356998400000, enstratus.DefaultUserAgent),
		r.Header.Get(enstratus.HeaderSignature))

	// White space around the agent is dropped on the wire, so it is dropped
	// before signing too; an Accept the caller chose is kept.
	r = httptest.NewRequest(http.MethodGet, "https://h/api/enstratus/2012-06-15/geography/Cloud/1", nil)
	r.Header.Set("User-Agent", "  mixcoatl \t")
	r.Header.Set("Accept", "application/xml")
	require.NoError(t, s.Sign(r, nil))
	assert.Equal(t, "mixcoatl", r.Header.Get("User-Agent"))
	assert.Equal(t, vectors[0].sig, r.Header.Get(enstratus.HeaderSignature))
	assert.Equal(t, "application/xml", r.Header.Get("Accept"))

	// No keys: refused before sending.
	err := enstratus.Signer(enstratus.Credentials{}, nil).Sign(httptest.NewRequest("GET", "https://h/", nil), nil)
	assert.ErrorIs(t, err, transport.ErrUnauthorized)
}

// TestSignerOnTheWire checks, through a real transport.Client, that the
// agent the server receives is the one that was signed, and that the
// escaped path is what is signed.
func TestSignerOnTheWire(t *testing.T) {
	const secret = "s3cr3t/with+chars="
	var got http.Header
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, path = r.Header.Clone(), r.URL.EscapedPath()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"clouds":[]}`))
	}))
	defer srv.Close()
	now := time.Date(2013, 1, 1, 0, 0, 1, 0, time.UTC)
	for _, ua := range []string{"", "my-agent/1.0"} {
		c, err := transport.New(transport.Config{
			Provider: enstratus.Name, BaseURL: enstratus.Endpoint(srv.URL, ""), UserAgent: ua,
			Signer: enstratus.Signer(enstratus.Credentials{AccessKey: "AK", SecretKey: secret}, func() time.Time { return now }),
		})
		require.NoError(t, err)
		_, err = c.Do(t.Context(), &transport.Request{Method: "GET", Path: transport.PathJoin("geography", "Cloud", "a b"), Query: map[string][]string{"publicOnly": {"true"}}})
		require.NoError(t, err)
		sent := got.Get("User-Agent")
		if ua == "" {
			assert.Equal(t, enstratus.DefaultUserAgent, sent)
		} else {
			assert.Equal(t, ua, sent)
		}
		assert.Equal(t, "/api/enstratus/2012-06-15/geography/Cloud/a%20b", path)
		want := enstratus.Sign(secret, "AK", "GET", path, now.UnixMilli(), sent)
		assert.Equal(t, want, got.Get(enstratus.HeaderSignature))
		assert.Equal(t, "1356998401000", got.Get(enstratus.HeaderTimestamp))
	}
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadEnv(t *testing.T) {
	t.Run("ES defaults", func(t *testing.T) {
		c, err := enstratus.LoadEnv(env(map[string]string{"ES_ACCESS_KEY": "AK", "ES_SECRET_KEY": " SK "}))
		require.NoError(t, err)
		assert.Equal(t, "AK", string(c.AccessKey))
		assert.Equal(t, enstratus.Secret("SK"), c.SecretKey)
		assert.Equal(t, "2012-06-15", c.Version)
		assert.Equal(t, "https://api.enstratus.com/api/enstratus/2012-06-15", c.Endpoint)
	})
	t.Run("ES version", func(t *testing.T) {
		c, err := enstratus.LoadEnv(env(map[string]string{"ES_ACCESS_KEY": "AK", "ES_SECRET_KEY": "SK", "ES_API_VERSION": "2013-03-13"}))
		require.NoError(t, err)
		assert.Equal(t, "2013-03-13", c.Version)
		assert.Equal(t, "https://api.enstratus.com/api/enstratus/2013-03-13", c.Endpoint)
	})
	t.Run("DCM wins per variable", func(t *testing.T) {
		c, err := enstratus.LoadEnv(env(map[string]string{
			"DCM_ACCESS_KEY": "dcm-ak", "ES_ACCESS_KEY": "es-ak", "ES_SECRET_KEY": "es-sk",
			"DCM_ENDPOINT": "https://dcm.enstratius.com/api/enstratus/2015-05-25", "ES_ENDPOINT": "https://old/api/enstratus/2012-06-15",
		}))
		require.NoError(t, err)
		assert.Equal(t, "dcm-ak", string(c.AccessKey))
		assert.Equal(t, enstratus.Secret("es-sk"), c.SecretKey)
		assert.Equal(t, "https://dcm.enstratius.com/api/enstratus/2015-05-25", c.Endpoint)
		assert.Equal(t, "2015-05-25", c.Version)
	})
	t.Run("endpoint carries the version", func(t *testing.T) {
		c, err := enstratus.LoadEnv(env(map[string]string{"ES_ACCESS_KEY": "AK", "ES_SECRET_KEY": "SK", "ES_ENDPOINT": "http://127.0.0.1:8080/api/enstratus/2014-07-30/"}))
		require.NoError(t, err)
		assert.Equal(t, "2014-07-30", c.Version)
		assert.Equal(t, "http://127.0.0.1:8080/api/enstratus/2014-07-30", c.Endpoint)
	})
	t.Run("endpoint without version", func(t *testing.T) {
		_, err := enstratus.LoadEnv(env(map[string]string{"ES_ACCESS_KEY": "AK", "ES_SECRET_KEY": "SK", "ES_ENDPOINT": "https://private.example/api/enstratus"}))
		var ce *enstratus.ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "ES_ENDPOINT", ce.Var)
		assert.ErrorIs(t, err, enstratus.ErrBadConfig)
		assert.Contains(t, err.Error(), "YYYY-MM-DD")
	})
	t.Run("both set: not cumulative", func(t *testing.T) {
		c, err := enstratus.LoadEnv(env(map[string]string{"ES_ACCESS_KEY": "AK", "ES_SECRET_KEY": "SK",
			"ES_ENDPOINT": "https://private.example/api/enstratus/2012-06-15", "ES_API_VERSION": "2013-03-13"}))
		require.NoError(t, err)
		assert.Equal(t, "https://private.example/api/enstratus/2012-06-15", c.Endpoint, "the endpoint is used as given")
		assert.Equal(t, "2013-03-13", c.Version, "mixcoatl 2014: the version variable names the version")
		// Even an endpoint with no version in its path is fine then.
		c, err = enstratus.LoadEnv(env(map[string]string{"ES_ACCESS_KEY": "AK", "ES_SECRET_KEY": "SK",
			"ES_ENDPOINT": "https://proxy.example/enstratus", "ES_API_VERSION": "2013-03-13"}))
		require.NoError(t, err)
		assert.Equal(t, "https://proxy.example/enstratus", c.Endpoint)
	})
	t.Run("bad values", func(t *testing.T) {
		for _, m := range []map[string]string{
			{"ES_API_VERSION": "2012-6-15"},
			{"DCM_API_VERSION": "latest"},
			{"ES_ENDPOINT": "api.enstratus.com/api/enstratus/2012-06-15"},
			{"ES_ENDPOINT": "ftp://h/api/enstratus/2012-06-15"},
		} {
			m["ES_ACCESS_KEY"], m["ES_SECRET_KEY"] = "AK", "SK"
			_, err := enstratus.LoadEnv(env(m))
			assert.ErrorIs(t, err, enstratus.ErrBadConfig, "%v", m)
		}
	})
	t.Run("missing keys", func(t *testing.T) {
		_, err := enstratus.LoadEnv(env(map[string]string{"ES_SECRET_KEY": "SK"}))
		var ce *enstratus.ConfigError
		require.ErrorAs(t, err, &ce)
		assert.True(t, ce.Missing)
		assert.Equal(t, "ES_ACCESS_KEY", ce.Var)
		assert.Equal(t, "enstratus: missing ES_ACCESS_KEY (or DCM_ACCESS_KEY)", err.Error())
		assert.ErrorIs(t, err, enstratus.ErrMissingKey)

		_, err = enstratus.LoadEnv(env(map[string]string{"DCM_ACCESS_KEY": "AK", "ES_SECRET_KEY": "  "}))
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "ES_SECRET_KEY", ce.Var)
		assert.ErrorIs(t, err, enstratus.ErrMissingKey)

		_, err = enstratus.LoadEnv(env(nil))
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "ES_ACCESS_KEY", ce.Var, "the access key is checked first")
	})
	t.Run("errors never show the secret", func(t *testing.T) {
		_, err := enstratus.LoadEnv(env(map[string]string{"ES_ACCESS_KEY": "AK", "ES_SECRET_KEY": "hunter2-secret", "ES_API_VERSION": "bad"}))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "hunter2")
	})
}

func TestEndpointAndVersionOf(t *testing.T) {
	assert.Equal(t, "https://api.enstratus.com/api/enstratus/2012-06-15", enstratus.Endpoint("", ""))
	assert.Equal(t, "http://127.0.0.1:1/api/enstratus/2015-05-25", enstratus.Endpoint("http://127.0.0.1:1/", "2015-05-25"))
	for in, want := range map[string]string{
		"https://api.enstratus.com/api/enstratus/2012-06-15":  "2012-06-15",
		"https://api.enstratus.com/api/enstratus/2012-06-15/": "2012-06-15",
		"/api/enstratus/2014-07-30":                           "2014-07-30",
	} {
		v, ok := enstratus.VersionOf(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, v, in)
	}
	for _, in := range []string{"", "https://api.enstratus.com", "https://h/api/enstratus", "https://h/api/enstratus/2012-13-01", "https://h/api/enstratus/2012-06-15x", "https://h/2012-06-15/x", "%zz"} {
		_, ok := enstratus.VersionOf(in)
		assert.False(t, ok, in)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	const raw = "abcdefghij0123456789"
	c := enstratus.Credentials{AccessKey: "ABCDEFGHIJ", SecretKey: raw, Endpoint: enstratus.Endpoint("", ""), Version: enstratus.DefaultVersion}
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("creds", "secret", c.SecretKey, "creds", c)
	js, err := json.Marshal(c)
	require.NoError(t, err)
	outs := []string{
		c.SecretKey.String(), c.SecretKey.GoString(),
		fmt.Sprint(c.SecretKey), fmt.Sprintf("%v %+v %#v %s %q %x", c.SecretKey, c.SecretKey, c.SecretKey, c.SecretKey, c.SecretKey, c.SecretKey),
		fmt.Sprint(c), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%v", &c), fmt.Sprintf("%#v", &c),
		fmt.Sprintf("%v", []enstratus.Credentials{c}), fmt.Sprintf("%#v", map[string]enstratus.Credentials{"a": c}),
		string(js), logs.String(),
	}
	for _, s := range outs {
		assert.NotContains(t, s, raw)
		assert.NotContains(t, s, "0123456789")
	}
	for _, s := range outs {
		assert.NotContains(t, s, "ABCDEFGHIJ", "the access key is a credential too")
	}
	assert.Contains(t, fmt.Sprintf("%+v", c), "[redacted]")
}

func TestDecodeError(t *testing.T) {
	decode := func(status int, body string) *transport.Error {
		e := &transport.Error{Provider: enstratus.Name, Status: status, Kind: transport.KindForStatus(status)}
		enstratus.DecodeError(e, http.Header{}, []byte(body))
		return e
	}
	e := decode(404, `{"error":{"message":"No such job ID: 5"}}`)
	assert.Equal(t, "No such job ID: 5", e.Message)
	assert.ErrorIs(t, e, transport.ErrNotFound)
	assert.Empty(t, e.Code)

	for _, msg := range []string{"Invalid access keys", "Invalid signature", "Request has expired", "INVALID API KEY"} {
		e = decode(403, `{"error":{"message":"`+msg+`"}}`)
		assert.ErrorIs(t, e, transport.ErrUnauthorized, msg)
		assert.NotErrorIs(t, e, transport.ErrForbidden, msg)
	}
	// An expired request says what usually causes it.
	e = decode(403, `{"error":{"message":"Request has expired"}}`)
	assert.True(t, strings.HasPrefix(e.Message, "Request has expired ("), e.Message)
	assert.Contains(t, e.Message, "clock")
	assert.Equal(t, "Invalid signature", decode(403, `{"error":{"message":"Invalid signature"}}`).Message, "no hint elsewhere")

	e = decode(403, `{"error":{"message":"You do not have permission to terminate this server"}}`)
	assert.ErrorIs(t, e, transport.ErrForbidden)
	assert.NotErrorIs(t, e, transport.ErrUnauthorized)

	e = decode(400, `{"error":"regionId is required"}`)
	assert.Equal(t, "regionId is required", e.Message)
	assert.ErrorIs(t, e, transport.ErrInvalid)

	e = decode(409, `{"error":{"message":"Server is paused"}}`)
	assert.ErrorIs(t, e, transport.ErrConflict)

	for _, body := range []string{"", "<html><title>503</title></html>", "null", `[1]`, `{"error":{"message":5}}`, `{"error":`, `{"message":"x"}`, `{"error":{"message":"  "}}`} {
		e = decode(503, body)
		assert.Empty(t, e.Message, body)
		assert.ErrorIs(t, e, transport.ErrUnavailable, body)
	}
	// A 403 that cannot be read stays forbidden.
	assert.ErrorIs(t, decode(403, "<html>denied</html>"), transport.ErrForbidden)
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{`{"error":{"message":"Invalid access keys"}}`, `{"error":"x"}`, `<html><title>x</title>`, `{"error":{"message":`, `{"error":[1,{"message":"m"}]}`, ""} {
		f.Add(403, []byte(s))
	}
	f.Add(403, []byte(`{"error":`+strings.Repeat("{\"a\":", 200)+`1`))
	f.Fuzz(func(t *testing.T, status int, b []byte) {
		e := &transport.Error{Provider: enstratus.Name, Status: status, Kind: transport.KindForStatus(status)}
		enstratus.DecodeError(e, http.Header{}, b)
		_ = e.Error()
		if status == 403 {
			require.True(t, e.Kind == transport.ErrForbidden || e.Kind == transport.ErrUnauthorized)
		}
	})
}

func TestJobs(t *testing.T) {
	assert.Equal(t, []int64{84322}, enstratus.Jobs(gjson.Parse(`{"jobs":[{"jobId":84322,"status":"RUNNING"}]}`)))
	assert.Equal(t, []int64{1, 2, 3}, enstratus.Jobs(gjson.Parse(`{"jobs":[{"jobId":1},{"jobId":"2"},{"status":"x"},{"jobId":3},{"jobId":1.5},7]}`)))
	for _, s := range []string{``, `{}`, `{"jobs":{"jobId":1}}`, `{"jobs":5}`, `[{"jobId":1}]`} {
		assert.Empty(t, enstratus.Jobs(gjson.Parse(s)), s)
	}
}
