package digitalocean_test

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAccount(t *testing.T) {
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 20})
	srv.ResetRequests()

	a := do.Account(c)
	assert.Equal(t, 0, srv.Requests(), "a handle sends nothing")
	assert.Equal(t, "/v2/account", a.Path())
	assert.Equal(t, 40, a.DropletLimit(), "the simulator allows twice the seeded droplets")
	assert.Equal(t, 10, a.FloatingIPLimit())
	assert.Equal(t, 10, a.ReservedIPLimit())
	assert.Equal(t, 100, a.VolumeLimit())
	assert.Equal(t, "sammy@example.com", a.Email())
	assert.Equal(t, "Sammy the Shark", a.Name())
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{40}$`), a.UUID())
	assert.True(t, a.EmailVerified())
	assert.Equal(t, do.AccountActive, a.Status())
	assert.Equal(t, "", a.StatusMessage())
	assert.Equal(t, "My Team", a.TeamName())
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{40}$`), a.TeamUUID())
	assert.NotEqual(t, a.UUID(), a.TeamUUID())
	assert.NoError(t, a.LastError())
	assert.Equal(t, 1, srv.Requests(), "every field comes from one request")
	assert.Equal(t, 1, srv.RequestsTo("GET", "/v2/account"))
	assert.Equal(t, a.UUID(), a.Handle().ID(), "once loaded, the id is the uuid")

	// Pprint shows the fields and never the token.
	var buf bytes.Buffer
	require.NoError(t, a.Pprint(&buf))
	assert.Contains(t, buf.String(), `"email": "sammy@example.com"`)
	assert.NotContains(t, buf.String(), srv.Token())
}

func TestAccountBadTokenIsTyped(t *testing.T) {
	srv := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: 1})
	t.Cleanup(srv.Close)
	c, err := do.New(do.Token("dop_v1_wrong"), stratus.WithBaseURL(srv.URL()),
		stratus.WithRetry(transport.RetryPolicy{MinDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}))
	require.NoError(t, err)

	a := do.Account(c)
	assert.Equal(t, "", a.Email())
	assert.Equal(t, 0, a.DropletLimit())
	assert.False(t, a.EmailVerified())
	assert.Equal(t, do.AccountStatus(""), a.Status())
	assert.ErrorIs(t, a.LastError(), stratus.ErrUnauthorized)
	assert.Equal(t, 1, srv.Requests(), "a failed lazy load is not repeated by later getters")
	assert.ErrorIs(t, a.Load(context.Background()), stratus.ErrUnauthorized)
}

func TestKindsWrapTheirHandles(t *testing.T) {
	c, _ := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	for name, want := range map[string]stratus.Object{
		"ssh_key": &do.SSHKeyHandle{}, "domain": &do.DomainHandle{}, "domain_record": &do.DomainRecordHandle{},
		"floating_ip": &do.FloatingIPHandle{}, "tag": &do.TagHandle{}, "account": &do.AccountHandle{},
	} {
		k, ok := do.Provider.Kind(name)
		require.True(t, ok, name)
		require.NotNil(t, k.New, name)
		obj := k.New(stratus.NewResource(c, k, "x"))
		assert.IsType(t, want, obj, name)
		assert.True(t, k.Is(obj.Handle().Kind()), name)
	}
}
