package conformance

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ovh/go-ovh/ovh"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

// startOVH runs a simulator and a go-ovh client pointed at it, built the
// way go-ovh's README builds one with explicit credentials.
func startOVH(t *testing.T, cfg ovhtest.Config) (*ovhtest.Server, *ovh.Client) {
	t.Helper()
	srv := ovhtest.NewServer(cfg)
	t.Cleanup(srv.Close)
	return srv, ovhClient(t, srv, srv.ConsumerKey())
}

func ovhClient(t *testing.T, srv *ovhtest.Server, ck string) *ovh.Client {
	t.Helper()
	client, err := ovh.NewClient(srv.URL(), srv.AppKey(), srv.AppSecret(), ck)
	require.NoError(t, err)
	client.Timeout = 10 * time.Second
	return client
}

// apiError unwraps go-ovh's error type.
func apiError(t *testing.T, err error) *ovh.APIError {
	t.Helper()
	require.Error(t, err)
	var apiErr *ovh.APIError
	require.True(t, errors.As(err, &apiErr), "%T: %v", err, err)
	return apiErr
}

// The go-ovh view of the objects, with the fields it needs.
type (
	ovhMe struct {
		Nichandle string `json:"nichandle"`
		Email     string `json:"email"`
		Currency  struct {
			Code string `json:"code"`
		} `json:"currency"`
		OVHSubsidiary string `json:"ovhSubsidiary"`
	}
	ovhServer struct {
		Name       string `json:"name"`
		ServerID   int64  `json:"serverId"`
		IP         string `json:"ip"`
		Datacenter string `json:"datacenter"`
		State      string `json:"state"`
		PowerState string `json:"powerState"`
		Monitoring bool   `json:"monitoring"`
		BootID     int64  `json:"bootId"`
	}
	ovhPrice struct {
		CurrencyCode string  `json:"currencyCode"`
		Text         string  `json:"text"`
		Value        float64 `json:"value"`
	}
	ovhBill struct {
		BillID          string   `json:"billId"`
		Date            string   `json:"date"`
		OrderID         int64    `json:"orderId"`
		Category        string   `json:"category"`
		PriceWithTax    ovhPrice `json:"priceWithTax"`
		PriceWithoutTax ovhPrice `json:"priceWithoutTax"`
		Tax             ovhPrice `json:"tax"`
		PDFURL          string   `json:"pdfUrl"`
	}
	ovhRecord struct {
		ID        int64  `json:"id"`
		Zone      string `json:"zone"`
		FieldType string `json:"fieldType"`
		SubDomain string `json:"subDomain"`
		Target    string `json:"target"`
		TTL       int64  `json:"ttl"`
	}
)

func TestOVHSignedReads(t *testing.T) {
	srv, client := startOVH(t, ovhtest.Config{DedicatedServers: 5})

	var me ovhMe
	require.NoError(t, client.Get("/me", &me))
	assert.True(t, strings.HasSuffix(me.Nichandle, "-ovh"), me.Nichandle)
	assert.NotEmpty(t, me.Email)
	assert.Equal(t, "EUR", me.Currency.Code)

	var names []string
	require.NoError(t, client.Get("/dedicated/server", &names))
	assert.Equal(t, srv.DedicatedServerNames(), names)
	var server ovhServer
	require.NoError(t, client.Get("/dedicated/server/"+names[1], &server))
	assert.Equal(t, names[1], server.Name)
	assert.NotZero(t, server.ServerID)
	assert.NotEmpty(t, server.IP)
	assert.Equal(t, "gra3", server.Datacenter)
	assert.Equal(t, "ok", server.State)

	var bills []string
	require.NoError(t, client.Get("/me/bill", &bills))
	require.Len(t, bills, 12)
	var bill ovhBill
	require.NoError(t, client.Get("/me/bill/"+bills[0], &bill))
	assert.Equal(t, bills[0], bill.BillID)
	assert.Equal(t, "EUR", bill.PriceWithTax.CurrencyCode)
	assert.InDelta(t, bill.PriceWithTax.Value, bill.PriceWithoutTax.Value+bill.Tax.Value, 0.001)
	assert.NotEmpty(t, bill.PDFURL)

	// A query string is signed with the URL; /v1 paths go to the same API.
	var ids []int64
	require.NoError(t, client.Get("/domain/zone/example.com/record?fieldType=NS", &ids))
	assert.Len(t, ids, 2)
	require.NoError(t, client.Get("/v1/me", &me))
	assert.Equal(t, 1, srv.RequestsTo(http.MethodGet, "/me/bill/"))
	assert.Equal(t, 2, srv.RequestsTo(http.MethodGet, "/me/bill"))
	assert.Equal(t, 1, srv.RequestsTo(http.MethodGet, "/auth/time"), "go-ovh fetches its time delta once")
}

func TestOVHRecordLifecycle(t *testing.T) {
	srv, client := startOVH(t, ovhtest.Config{})
	zone := "/domain/zone/example.com"

	var created ovhRecord
	require.NoError(t, client.Post(zone+"/record", map[string]any{
		"fieldType": "A", "subDomain": "api", "target": "192.0.2.80", "ttl": 300,
	}, &created))
	assert.NotZero(t, created.ID)
	assert.Equal(t, "example.com", created.Zone)
	assert.Equal(t, "api", created.SubDomain)
	path := zone + "/record/" + strconv.FormatInt(created.ID, 10)

	require.NoError(t, client.Put(path, map[string]any{"target": "192.0.2.81", "ttl": 60}, nil))
	var got ovhRecord
	require.NoError(t, client.Get(path, &got))
	assert.Equal(t, "192.0.2.81", got.Target)
	assert.Equal(t, int64(60), got.TTL)
	assert.Equal(t, "A", got.FieldType)

	var ids []int64
	require.NoError(t, client.Get(zone+"/record?fieldType=A&subDomain=api", &ids))
	assert.Equal(t, []int64{created.ID}, ids)

	require.NoError(t, client.Post(zone+"/refresh", nil, nil))
	assert.Equal(t, 1, srv.ZoneRefreshes("example.com"))

	require.NoError(t, client.Delete(path, nil))
	e := apiError(t, client.Get(path, &got))
	assert.Equal(t, http.StatusNotFound, e.Code)
	assert.Equal(t, "Client::NotFound", e.Class)
	assert.NotEmpty(t, e.QueryID)

	// An immutable field is refused with the API's message.
	require.NoError(t, client.Get(zone+"/record?fieldType=A", &ids))
	require.NotEmpty(t, ids)
	e = apiError(t, client.Put(zone+"/record/"+strconv.FormatInt(ids[0], 10), map[string]string{"fieldType": "CNAME"}, nil))
	assert.Equal(t, http.StatusBadRequest, e.Code)
	assert.Equal(t, "[fieldType] The field type of a record cannot be changed", e.Message)
}

func TestOVHNotGranted(t *testing.T) {
	srv, _ := startOVH(t, ovhtest.Config{})
	client := ovhClient(t, srv, srv.NewConsumerKey("validated", ovhtest.Rule{Method: "GET", Path: "/me"}))

	var me ovhMe
	require.NoError(t, client.Get("/me", &me))
	var names []string
	e := apiError(t, client.Get("/dedicated/server", &names))
	assert.Equal(t, http.StatusForbidden, e.Code)
	assert.Equal(t, "Client::Forbidden", e.Class)
	assert.Equal(t, "This call has not been granted", e.Message)
	assert.Regexp(t, `^EU\.ext-[0-9]\.[0-9a-f]{6}\.[0-9]{4}\.[0-9]+$`, e.QueryID)
	assert.Contains(t, e.Error(), "(X-OVH-Query-Id: "+e.QueryID+")")

	// An expired key, an unknown key.
	require.True(t, srv.ExpireConsumerKey(client.ConsumerKey))
	e = apiError(t, client.Get("/me", &me))
	assert.Equal(t, http.StatusForbidden, e.Code)
	assert.Equal(t, "This credential is not valid", e.Message)
	client.ConsumerKey = "unknown"
	e = apiError(t, client.Get("/me", &me))
	assert.Equal(t, "This credential does not exist", e.Message)

	// An unsigned call on a signed route.
	e = apiError(t, client.GetUnAuth("/me", &me))
	assert.Equal(t, http.StatusUnauthorized, e.Code)
	assert.Equal(t, "Client::Unauthorized", e.Class)
	assert.Equal(t, "You must login first", e.Message)
}

// tamper changes one byte of every request body after go-ovh signed it.
type tamper struct{ next http.RoundTripper }

func (tp tamper) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.ContentLength <= 0 {
		return tp.next.RoundTrip(req)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	_ = req.Body.Close()
	body = bytes.Replace(body, []byte("80"), []byte("81"), 1)
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.ContentLength = int64(len(body))
	return tp.next.RoundTrip(clone)
}

func TestOVHTamperedBody(t *testing.T) {
	srv, client := startOVH(t, ovhtest.Config{})
	client.Client.Transport = tamper{http.DefaultTransport}

	var created ovhRecord
	e := apiError(t, client.Post("/domain/zone/example.com/record", map[string]any{
		"fieldType": "A", "subDomain": "api", "target": "192.0.2.80",
	}, &created))
	assert.Equal(t, http.StatusBadRequest, e.Code)
	assert.Equal(t, "Client::BadRequest", e.Class)
	assert.Equal(t, "Invalid signature", e.Message)
	assert.NotEmpty(t, e.QueryID)

	var ids []int64
	require.NoError(t, client.Get("/domain/zone/example.com/record?subDomain=api", &ids), "bodiless calls pass")
	assert.Empty(t, ids, "nothing was created")
	assert.Equal(t, 1, srv.RequestsTo(http.MethodPost, "/domain/zone"))
}

func TestOVHConsumerKeyFlow(t *testing.T) {
	srv, _ := startOVH(t, ovhtest.Config{})
	client := ovhClient(t, srv, "")

	req := client.NewCkRequest()
	req.AddRecursiveRules(ovh.ReadOnly, "/me")
	state, err := req.Do()
	require.NoError(t, err)
	assert.Equal(t, "pendingValidation", state.State)
	assert.True(t, strings.HasPrefix(state.ValidationURL, srv.Root()+"/auth/?credentialToken="), state.ValidationURL)
	assert.Len(t, state.ConsumerKey, 32)
	assert.Equal(t, state.ConsumerKey, client.ConsumerKey, "Do stores the key on the client")

	var me ovhMe
	e := apiError(t, client.Get("/me", &me))
	assert.Equal(t, http.StatusForbidden, e.Code)
	assert.Equal(t, "This credential is not valid", e.Message)
	var cred struct {
		Status string `json:"status"`
		Rules  []ovh.AccessRule
	}
	require.NoError(t, client.Get("/auth/currentCredential", &cred), "a pending key may poll itself")
	assert.Equal(t, "pendingValidation", cred.Status)

	require.True(t, srv.ValidateConsumerKey(state.ConsumerKey))
	require.NoError(t, client.Get("/me", &me))
	var bills []string
	require.NoError(t, client.Get("/me/bill", &bills), "AddRecursiveRules covers /me/*")
	var names []string
	e = apiError(t, client.Get("/dedicated/server", &names))
	assert.Equal(t, http.StatusForbidden, e.Code)
	assert.Equal(t, "This call has not been granted", e.Message)
	e = apiError(t, client.Put("/me", map[string]string{"firstname": "Ana"}, nil))
	assert.Equal(t, "This call has not been granted", e.Message, "ReadOnly")

	require.NoError(t, client.Get("/auth/currentCredential", &cred))
	assert.Equal(t, "validated", cred.Status)
	assert.Equal(t, []ovh.AccessRule{{Method: "GET", Path: "/me"}, {Method: "GET", Path: "/me/*"}}, cred.Rules)

	// The user's click through the validation page, with a redirection.
	other := ovhClient(t, srv, "")
	req = other.NewCkRequestWithRedirection("https://app.example/done")
	req.AddRecursiveRules(ovh.ReadWrite, "/")
	state, err = req.Do()
	require.NoError(t, err)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(state.ValidationURL)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusFound, res.StatusCode)
	assert.Equal(t, "https://app.example/done", res.Header.Get("Location"))
	require.NoError(t, other.Get("/dedicated/server", &names))
	assert.Len(t, names, 3)

	// Logout revokes the key.
	require.NoError(t, other.Post("/auth/logout", nil, nil))
	e = apiError(t, other.Get("/dedicated/server", &names))
	assert.Equal(t, "This credential is not valid", e.Message)

	// A wrong application key cannot ask for a key.
	bad, err := ovh.NewClient(srv.URL(), "nope", "secret", "")
	require.NoError(t, err)
	_, err = bad.NewCkRequest().Do()
	e = apiError(t, err)
	assert.Equal(t, http.StatusForbidden, e.Code)
	assert.Equal(t, "This application key is invalid", e.Message)
}

func TestOVHTimeDelta(t *testing.T) {
	srv, early := startOVH(t, ovhtest.Config{})
	var me ovhMe
	require.NoError(t, early.Get("/me", &me), "caches a delta of about zero")

	srv.SkewClock(10 * time.Minute)
	late := ovhClient(t, srv, srv.ConsumerKey())
	delta, err := late.TimeDelta()
	require.NoError(t, err)
	assert.InDelta(t, float64(-10*time.Minute), float64(delta), float64(2*time.Second), "delta = local - server")
	now, err := late.Time()
	require.NoError(t, err)
	assert.WithinDuration(t, srv.Now(), *now, 2*time.Second)
	require.NoError(t, late.Get("/me", &me), "the corrected timestamp is in the window")

	// go-ovh never refreshes its delta: the early client is now out of time.
	e := apiError(t, early.Get("/me", &me))
	assert.Equal(t, http.StatusBadRequest, e.Code)
	assert.Equal(t, "Client::BadRequest", e.Class)
	assert.Equal(t, "Query out of time", e.Message)
	assert.NoError(t, early.Ping(), "/auth/time itself is unauthenticated")
}

func TestOVHFaults(t *testing.T) {
	srv, client := startOVH(t, ovhtest.Config{})
	require.NoError(t, client.Ping())

	srv.InjectNext(ovhtest.Fault503HTML)
	var me ovhMe
	e := apiError(t, client.Get("/me", &me))
	assert.Equal(t, http.StatusServiceUnavailable, e.Code)
	assert.Contains(t, e.Message, "<title>503 Service Unavailable</title>", "go-ovh keeps a non-JSON body as the message")

	srv.InjectNext(ovhtest.Fault429)
	e = apiError(t, client.Get("/me", &me))
	assert.Equal(t, http.StatusTooManyRequests, e.Code)
	assert.Equal(t, "Client::TooManyRequests", e.Class)

	srv.InjectNext(ovhtest.FaultMalformed)
	require.Error(t, client.Get("/me", &me))
	require.NoError(t, client.Get("/me", &me))
}
