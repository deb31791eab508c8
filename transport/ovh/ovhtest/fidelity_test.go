package ovhtest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// python-ovh's README lists dedicated servers with a trailing slash: the
// API answers both forms alike, and the signature covers the path sent.
func TestTrailingSlashListRoutes(t *testing.T) {
	c := newTC(t, Config{Zones: []string{"example.com"}})
	for _, p := range []string{"/dedicated/server", "/me", "/cloud/project", "/domain/zone", "/me/bill", "/domain/zone/example.com/record"} {
		plain := c.get(p)
		require.Equal(t, http.StatusOK, plain.status, "%s: %s", p, plain.body)
		slash := c.get(p + "/")
		require.Equal(t, http.StatusOK, slash.status, "%s/: %s", p, slash.body)
		assert.JSONEq(t, string(plain.body), string(slash.body), p)
	}
	pid := c.get("/cloud/project").json.Array()[0].String()
	assert.Equal(t, c.get("/cloud/project/"+pid+"/instance").json.Raw, c.get("/cloud/project/"+pid+"/instance/").json.Raw)

	// Signed for the path without the slash, sent with it: refused, so the
	// simulator checks the path the client sent.
	r := c.do("GET", "/dedicated/server/", "", func(req *http.Request) {
		req.Header.Set("X-Ovh-Signature", Sign(c.as, c.ck, "GET", c.srv.URL()+"/dedicated/server", "", req.Header.Get("X-Ovh-Timestamp")))
	})
	requireError(t, r, http.StatusBadRequest, "INVALID_SIGNATURE", "Invalid signature")

	// A rule for the path without the slash covers the path with it.
	ck := c.srv.NewConsumerKey("validated", Rule{"GET", "/dedicated/server"})
	assert.Equal(t, http.StatusOK, c.withKey(ck).get("/dedicated/server/").status)

	// Two slashes, or a slash on an unknown path, are still unknown.
	requireError(t, c.get("/dedicated/server//"), http.StatusNotFound, "", "Got an invalid (or empty) URL")
	requireError(t, c.get("/nothing/"), http.StatusNotFound, "", "Got an invalid (or empty) URL")
}

func TestBillDetails(t *testing.T) {
	c := newTC(t, Config{Bills: 5, DedicatedServers: 2})
	servers := c.srv.DedicatedServerNames()
	for _, id := range strs(c.get("/me/bill").json) {
		bill := c.get("/me/bill/" + id).json
		r := c.get("/me/bill/" + id + "/details")
		require.Equal(t, http.StatusOK, r.status, "%s", r.body)
		ids := strs(r.json)
		require.NotEmpty(t, ids)
		assert.LessOrEqual(t, len(ids), 3)
		var total float64
		for _, d := range ids {
			detail := c.get("/me/bill/" + id + "/details/" + d)
			require.Equal(t, http.StatusOK, detail.status)
			requireFields(t, detail.json, "billDetailId", "description", "domain", "periodStart", "periodEnd", "quantity", "totalPrice", "unitPrice")
			assert.Equal(t, d, detail.json.Get("billDetailId").String())
			assert.Contains(t, servers, detail.json.Get("domain").String())
			total += detail.json.Get("totalPrice.value").Float()
			assert.Equal(t, "EUR", detail.json.Get("unitPrice.currencyCode").String())
		}
		assert.InDelta(t, bill.Get("priceWithoutTax.value").Float(), total, 0.001, "the lines add up to the bill")
		assert.Equal(t, r.json.Raw, c.get("/me/bill/"+id+"/details/").json.Raw, "same lines each time")
	}
	requireError(t, c.get("/me/bill/FR0/details"), http.StatusNotFound, "", "The requested object (billId = FR0) does not exist")
	id := strs(c.get("/me/bill").json)[0]
	requireError(t, c.get("/me/bill/"+id+"/details/0"), http.StatusNotFound, "", "The requested object (billDetailId = 0) does not exist")
}

func TestAPICredentials(t *testing.T) {
	c := newTC(t, Config{})
	pending := c.srv.NewConsumerKey("pendingValidation")
	refused := c.srv.NewConsumerKey("validated")
	require.True(t, c.srv.ExpireConsumerKey(refused)) // expired, in fact
	own := c.get("/auth/currentCredential").json

	all := c.get("/me/api/credential")
	require.Equal(t, http.StatusOK, all.status, "%s", all.body)
	ids := strs(all.json)
	require.Len(t, ids, 3)
	assert.True(t, strings.HasPrefix(all.json.Raw, "["))
	assert.False(t, strings.Contains(all.json.Raw, `"`), "credential ids are numbers")
	assert.Contains(t, ids, own.Get("credentialId").String())

	for status, want := range map[string]int{"validated": 1, "pendingValidation": 1, "expired": 1, "refused": 0} {
		r := c.get("/me/api/credential?status=" + status)
		require.Equal(t, http.StatusOK, r.status)
		assert.Len(t, r.json.Array(), want, status)
	}
	requireError(t, c.get("/me/api/credential?status=revoked"), http.StatusBadRequest, "",
		"[status] Given data (revoked) does not belong to the auth.CredentialStateEnum enumeration")
	assert.Len(t, c.get("/me/api/credential?applicationId="+own.Get("applicationId").String()).json.Array(), 3)
	assert.Empty(t, c.get("/me/api/credential?applicationId=1").json.Array())

	one := c.get("/me/api/credential/" + own.Get("credentialId").String())
	require.Equal(t, http.StatusOK, one.status)
	assert.JSONEq(t, own.Raw, one.json.Raw, "the same object as /auth/currentCredential")
	requireError(t, c.get("/me/api/credential/99"), http.StatusNotFound, "", "The requested object (credentialId = 99) does not exist")

	// Deleting the pending key: it is gone from the list, and a call signed
	// with it is refused.
	var pendingID string
	for _, id := range strs(c.get("/me/api/credential?status=pendingValidation").json) {
		pendingID = id
	}
	require.NotEmpty(t, pendingID)
	del := c.do("DELETE", "/me/api/credential/"+pendingID, "")
	require.Equal(t, http.StatusOK, del.status, "%s", del.body)
	assert.Equal(t, "null", string(del.body))
	assert.Len(t, c.get("/me/api/credential").json.Array(), 2)
	assert.Empty(t, c.srv.ConsumerKeyState(pending))
	assert.Equal(t, http.StatusForbidden, c.withKey(pending).get("/me").status)
	requireError(t, c.do("PUT", "/me/api/credential/"+pendingID, "{}"), http.StatusMethodNotAllowed, "", "Method PUT is not allowed on this URL")
}
