package ovh_test

import (
	"bytes"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMeLoadsLazily(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 1})
	srv.ResetRequests()

	me := ovh.Me(c)
	assert.Equal(t, 0, srv.Requests(), "a handle sends nothing")
	assert.Equal(t, "/me", me.Path())

	first := me.FirstName()
	assert.NotEmpty(t, first)
	assert.Equal(t, 1, srv.RequestsTo("GET", "/me"), "the first read loads the account once")
	assert.Equal(t, 1, srv.RequestsTo("GET", "/auth/time"), "the first signed call reads the server time")
	assert.Equal(t, 2, srv.Requests())

	assert.Regexp(t, `^[a-z]{2}\d{5}-ovh$`, me.Nichandle())
	assert.Contains(t, me.Email(), "@example.com")
	assert.NotEmpty(t, me.LastName())
	assert.NotEqual(t, me.FirstName(), me.LastName())
	assert.NotEmpty(t, me.Organisation())
	assert.Equal(t, "FR", me.Country())
	assert.Equal(t, "fr_FR", me.Language())
	assert.Equal(t, "EUR", me.Currency())
	assert.NotEmpty(t, me.CurrencySymbol())
	assert.Equal(t, "complete", me.State())
	assert.Equal(t, "corporation", me.LegalForm())
	assert.Equal(t, "ovh", me.OVHCompany())
	assert.Equal(t, "FR", me.OVHSubsidiary())
	assert.NotEmpty(t, me.City())
	assert.NotEmpty(t, me.Zip())
	assert.NotEmpty(t, me.CustomerCode())
	assert.True(t, me.KYCValidated())
	assert.NoError(t, me.LastError())
	assert.Equal(t, me.Nichandle(), me.Handle().ID(), "once loaded, the id is the nichandle")
	assert.Equal(t, 2, srv.Requests(), "further reads send nothing")

	var buf bytes.Buffer
	require.NoError(t, me.Pprint(&buf))
	out := buf.String()
	assert.Contains(t, out, `"nichandle": "`+me.Nichandle()+`"`)
	assert.Contains(t, out, `"firstname": "`+first+`"`)
	for _, s := range secrets(srv) {
		assert.NotContains(t, out, s)
	}
	assert.NotContains(t, out, "$1$", "no signature")
	assert.Equal(t, 2, srv.Requests(), "Pprint of a loaded handle sends nothing")
}

func TestMeUpdate(t *testing.T) {
	c, srv := newTestClient(t, ovhtest.Config{Seed: 2})
	ctx := t.Context()
	me := ovh.Me(c)
	require.NoError(t, me.Load(ctx))
	require.NotEqual(t, "Ada", me.FirstName())

	require.NoError(t, me.Update(ctx, map[string]any{"firstname": "Ada", "city": "Gravelines"}))
	assert.Equal(t, "Ada", me.FirstName(), "the handle is reloaded after the write")
	assert.Equal(t, "Gravelines", me.City())
	assert.Equal(t, "Ada", ovh.Me(c).FirstName(), "a new handle reads the new value")

	// A field the API does not let change is its 400, as an ErrInvalid.
	err := me.Update(ctx, map[string]any{"email": "x@example.org"})
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.ErrorIs(t, me.LastError(), stratus.ErrInvalid)

	// Nothing to update is refused before sending.
	srv.ResetRequests()
	assert.ErrorIs(t, me.Update(ctx, nil), stratus.ErrInvalid)
	assert.Equal(t, 0, srv.Requests())
}

func TestMeFailedLoadGivesZeroValues(t *testing.T) {
	srv := newServer(t, ovhtest.Config{Seed: 3})
	c := newClientWith(t, srv, srv.AppKey(), srv.AppSecret(), "0123456789abcdef0123456789abcdef")
	me := ovh.Me(c)
	assert.Equal(t, "", me.FirstName())
	assert.Equal(t, "", me.Currency())
	assert.False(t, me.KYCValidated())
	assert.ErrorIs(t, me.LastError(), stratus.ErrUnauthorized)
	n := srv.RequestsTo("GET", "/me")
	_ = me.Email()
	assert.Equal(t, n, srv.RequestsTo("GET", "/me"), "a failed lazy load is not repeated by later getters")
}

func TestKindsWrapTheirHandles(t *testing.T) {
	c, _ := newTestClient(t, ovhtest.Config{})
	for name, want := range map[string]stratus.Object{
		"me": &ovh.MeHandle{}, "bill": &ovh.BillHandle{}, "dedicated_server": &ovh.DedicatedServerHandle{},
		"cloud_project": &ovh.ProjectHandle{}, "cloud_instance": &ovh.InstanceHandle{}, "domain": &ovh.DomainHandle{},
		"dns_zone": &ovh.ZoneHandle{}, "dns_record": &ovh.RecordHandle{},
	} {
		k, ok := ovh.Provider.Kind(name)
		require.True(t, ok, name)
		require.NotNil(t, k.New, name)
		obj := k.New(stratus.NewResource(c, k, "x"))
		assert.IsType(t, want, obj, name)
		assert.True(t, k.Is(obj.Handle().Kind()), name)
		assert.NotEmpty(t, k.Fields, name)
	}
}
