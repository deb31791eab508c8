package digitalocean_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDomainLifecycle(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	srv.ResetRequests()

	d, err := do.CreateDomain(ctx, c, "stratus.test", "203.0.113.10")
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestsTo("POST", "/v2/domains"))
	assert.Equal(t, "stratus.test", d.Name())
	assert.Equal(t, 1800, d.TTL())

	// Get: a new handle loads once, and the zone file lists the A record
	// that ip_address asked for.
	srv.ResetRequests()
	got := do.Domain(c, "stratus.test")
	assert.Equal(t, 1800, got.TTL())
	zone := got.ZoneFile()
	assert.Contains(t, zone, "$ORIGIN stratus.test.")
	assert.Contains(t, zone, "203.0.113.10")
	assert.Equal(t, 1, srv.Requests())

	// List: the seeded example.com and ours.
	domains, err := do.Domains(c).Collect(ctx)
	require.NoError(t, err)
	var names []string
	for _, x := range domains {
		names = append(names, x.Name())
	}
	sort.Strings(names)
	assert.Equal(t, []string{"example.com", "stratus.test"}, names)

	// The zone starts with SOA, three NS and the apex A record.
	recs, err := d.Records().Collect(ctx)
	require.NoError(t, err)
	types := map[string]int{}
	for _, r := range recs {
		types[r.Type()]++
		assert.Equal(t, "stratus.test", r.DomainName())
	}
	assert.Equal(t, map[string]int{"SOA": 1, "NS": 3, "A": 1}, types)

	// Delete: the zone and its records are gone.
	require.NoError(t, d.Delete(ctx))
	assert.Equal(t, 1, srv.RequestsTo("DELETE", "/v2/domains/stratus.test"))
	gone := do.Domain(c, "stratus.test")
	assert.Equal(t, 0, gone.TTL())
	assert.Equal(t, "", gone.ZoneFile())
	assert.ErrorIs(t, gone.LastError(), stratus.ErrNotFound)
	_, err = gone.Records().Collect(ctx)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	n, err := do.Domains(c).Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func TestDomainRecords(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	d := do.Domain(c, "example.com") // seeded: SOA, 3 NS, A @, CNAME www, MX @, TXT @

	// Filters are sent to the API; items come hydrated with their path.
	srv.ResetRequests()
	mx, err := d.Records().Type("MX").Collect(ctx)
	require.NoError(t, err)
	require.Len(t, mx, 1)
	assert.Equal(t, "mail.example.com", mx[0].Data())
	require.NotNil(t, mx[0].Priority())
	assert.Equal(t, 10, *mx[0].Priority())
	assert.Nil(t, mx[0].Port(), "MX has no port")
	assert.Equal(t, 1, srv.Requests())
	require.NoError(t, mx[0].Reload(ctx), "a listed record can be read again by its own path")
	assert.Equal(t, fmt.Sprintf("/v2/domains/example.com/records/%d", mx[0].ID()), mx[0].Path())

	www, err := d.Records().Named("www.example.com").Collect(ctx)
	require.NoError(t, err)
	require.Len(t, www, 1)
	assert.Equal(t, "CNAME", www[0].Type())
	assert.Equal(t, "www", www[0].Name())
	assert.Equal(t, 3600, www[0].TTL())

	apexA, err := d.Records().Named("example.com").Type("A").First(ctx)
	require.NoError(t, err)
	assert.Equal(t, "192.0.2.10", apexA.Data())
	assert.Nil(t, apexA.Priority())
	assert.Nil(t, apexA.Weight())
	assert.Nil(t, apexA.Flags())
	assert.Equal(t, "", apexA.Tag())

	// Create an SRV record where 0 matters: weight 0 is sent and kept.
	srv.ResetRequests()
	sipRec, err := d.CreateRecord(ctx, do.RecordCreate{
		Type: "SRV", Name: "_sip._tcp", Data: "sip.example.com.",
		Priority: do.Int(10), Port: do.Int(5060), Weight: do.Int(0), TTL: do.Int(600),
	})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestsTo("POST", "/v2/domains/example.com/records"))
	assert.Positive(t, sipRec.ID())
	assert.Equal(t, "example.com", sipRec.DomainName())
	assert.Equal(t, "example.com", sipRec.Domain().Name())

	// Get by id through the domain.
	got := d.Record(sipRec.ID())
	assert.Equal(t, "SRV", got.Type())
	assert.Equal(t, "_sip._tcp", got.Name())
	assert.Equal(t, "sip.example.com.", got.Data())
	assert.Equal(t, 600, got.TTL())
	require.NotNil(t, got.Port())
	assert.Equal(t, 5060, *got.Port())
	require.NotNil(t, got.Weight())
	assert.Equal(t, 0, *got.Weight())
	require.NotNil(t, got.Priority())
	assert.Equal(t, 10, *got.Priority())
	assert.Nil(t, got.Flags())
	assert.Equal(t, 1, srv.RequestsTo("GET", fmt.Sprintf("/v2/domains/example.com/records/%d", sipRec.ID())))

	// A CAA record with flags 0 and a tag.
	caa, err := d.CreateRecord(ctx, do.RecordCreate{Type: "CAA", Name: "@", Data: "letsencrypt.org", Flags: do.Int(0), Tag: "issue"})
	require.NoError(t, err)
	require.NotNil(t, caa.Flags())
	assert.Equal(t, 0, *caa.Flags())
	assert.Equal(t, "issue", caa.Tag())
	assert.Equal(t, 1800, caa.TTL(), "the API's default TTL")

	// Update (PUT): the handle shows the answer, a new read agrees.
	require.NoError(t, got.Update(ctx, do.RecordUpdate{Port: do.Int(5061), TTL: do.Int(300)}))
	assert.Equal(t, 1, srv.RequestsTo("PUT", fmt.Sprintf("/v2/domains/example.com/records/%d", sipRec.ID())))
	assert.Equal(t, 5061, *got.Port())
	assert.Equal(t, 300, got.TTL())
	assert.Equal(t, "sip.example.com.", got.Data(), "fields not sent are kept")
	fresh := d.Record(sipRec.ID())
	assert.Equal(t, 5061, *fresh.Port())
	assert.Equal(t, 300, fresh.TTL())

	// The zone lists 10 records now.
	n, err := d.Records().Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 10, n)

	// Delete, through a handle made from a list item.
	listed, err := d.Records().Type("CAA").First(ctx)
	require.NoError(t, err)
	require.NoError(t, listed.Delete(ctx))
	missing := d.Record(caa.ID())
	assert.Equal(t, "", missing.Type())
	assert.Nil(t, missing.Priority())
	assert.ErrorIs(t, missing.LastError(), stratus.ErrNotFound)
	assert.ErrorIs(t, missing.Update(ctx, do.RecordUpdate{Data: "x"}), stratus.ErrNotFound)
	assert.ErrorIs(t, missing.Delete(ctx), stratus.ErrNotFound)
	_, err = d.Records().Type("CAA").First(ctx)
	assert.ErrorIs(t, err, stratus.ErrNotFound, "First on an empty list")

	// What only the API can check comes back typed.
	_, err = d.CreateRecord(ctx, do.RecordCreate{Type: "A", Name: "bad", Data: "not-an-ip"})
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	var se *stratus.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 422, se.Status)
}

func TestDomainValidationSendsNothing(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	d := do.Domain(c, "example.com")
	srv.ResetRequests()

	_, err := do.CreateDomain(ctx, c, "", "")
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	_, err = do.CreateDomain(ctx, c, "ok.test", "300.1.2.3")
	assert.ErrorIs(t, err, stratus.ErrInvalid)

	for _, rc := range []do.RecordCreate{
		{Name: "www", Data: "192.0.2.1"},
		{Type: "A", Data: "192.0.2.1"},
		{Type: "A", Name: "www"},
		{},
	} {
		r, err := d.CreateRecord(ctx, rc)
		assert.Nil(t, r)
		assert.ErrorIs(t, err, stratus.ErrInvalid, "%+v", rc)
	}
	assert.ErrorIs(t, d.Record(1).Update(ctx, do.RecordUpdate{}), stratus.ErrInvalid)
	assert.Equal(t, 0, srv.Requests(), "refused requests are never sent")

	// The server's own checks: a duplicate zone.
	_, err = do.CreateDomain(ctx, c, "example.com", "")
	assert.ErrorIs(t, err, stratus.ErrInvalid)
}

func TestDomainPathSegmentsAreEscaped(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, digitaloceantest.Config{Droplets: 1})

	// A name with a slash stays one segment: it cannot reach the records
	// of example.com.
	d := do.Domain(c, "example.com/records")
	_, err := d.Records().Collect(ctx)
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	assert.Contains(t, c.LastResponse().URL, "/v2/domains/example.com%2Frecords/records")

	r := d.Record(7)
	assert.Equal(t, "example.com/records", r.DomainName())
	assert.Equal(t, "/v2/domains/example.com%2Frecords/records/7", r.Path())
	assert.Equal(t, "", r.Type())
	assert.ErrorIs(t, r.LastError(), stratus.ErrNotFound)
}
