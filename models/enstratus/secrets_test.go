package enstratus_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestSecretsNeverShow(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, srv, rec := newTestClient(t, enstratustest.Config{}, stratus.WithLogger(logger))
	ctx := context.Background()

	var text strings.Builder
	note := func(err error) {
		if err != nil {
			text.WriteString(err.Error() + "\n")
		}
	}
	var out bytes.Buffer
	note(es.Cloud(c, 1).Pprint(&out))
	note(es.Cloud(c, 424242).Pprint(&out))
	note(es.APIKey(c, srv.AccessKey()).Pprint(&out))
	note(es.APIKey(c, "ABCDEFGHIJKL").Pprint(&out))
	_, err := es.Servers(c).Extended().Collect(ctx)
	note(err)
	_, err = es.Server(c, 326787).Stop(ctx)
	note(err)
	_, err = es.Server(c, 326787).Start(ctx)
	note(err) // refused: it is running
	_, err = es.APIKeys(c).Keys(ctx)
	note(err)
	note(es.Server(c, 1).Load(ctx))

	// A client whose secret is wrong: 403.
	bad, err := es.New(es.Keys(srv.AccessKey(), "not-the-secret-at-all"), stratus.WithBaseURL(srv.URL()),
		stratus.WithClock(srv.Now), stratus.WithLogger(logger), stratus.WithHTTPClient(c.Settings().HTTPClient))
	require.NoError(t, err)
	berr := es.Cloud(bad, 1).Load(ctx)
	require.Error(t, berr)
	assert.ErrorIs(t, berr, stratus.ErrUnauthorized, "Invalid signature is a refusal of the keys")
	note(berr)
	// A stale clock: 403 Request has expired.
	stale, err := es.New(es.Keys(srv.AccessKey(), srv.SecretKey()), stratus.WithBaseURL(srv.URL()),
		stratus.WithClock(func() time.Time { return srv.Now().Add(-time.Hour) }), stratus.WithLogger(logger))
	require.NoError(t, err)
	serr := es.Cloud(stale, 1).Load(ctx)
	assert.ErrorIs(t, serr, stratus.ErrUnauthorized)
	note(serr)

	all := logs.String() + text.String() + out.String()
	assert.NotEmpty(t, logs.String())
	assert.NotContains(t, all, srv.SecretKey())
	assert.NotContains(t, all, srv.AccessKey(), "the access key is a credential too")
	assert.NotContains(t, all, "not-the-secret-at-all")
	sigs := 0
	for _, r := range rec.all() {
		if r.signature != "" {
			sigs++
			assert.NotContains(t, all, r.signature)
		}
	}
	assert.Greater(t, sigs, 5)
	assert.NotContains(t, all, "abcdefg+hijklmnop+qrstuv", "the fixture's secret key is redacted")
	assert.Contains(t, out.String(), `"secret_key": "[redacted]"`)

	var one bytes.Buffer
	require.NoError(t, es.APIKey(c, "ABCDEFGHIJKL").Pprint(&one))
	p := gjson.Parse(one.String())
	assert.Equal(t, "[redacted]", p.Get("secret_key").String())
	assert.Equal(t, "ABCDEFGHIJKL", p.Get("access_key").String())
	assert.Equal(t, "admin/ApiKey/ABCDEFGHIJKL", p.Get("path").String())
	assert.Equal(t, "dpando", p.Get("name").String())
	assert.Equal(t, "[redacted]", c.Settings().Credentials[es.CredSecretKey])
}
