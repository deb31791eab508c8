package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	"github.com/stratus-cloud/stratus/models/ovh"
)

var opts = sandbox.Options{Droplets: 1, ActionDuration: 200 * time.Millisecond}

// seeded returns the simulator's bills, read by a client of a sandbox of
// the test's own (the data is seeded: every sandbox has the same).
func seeded(t *testing.T) []*ovh.BillHandle {
	t.Helper()
	sb, err := sandbox.Start(opts)
	require.NoError(t, err)
	defer sb.Close()
	c, err := sb.Open(ovh.Provider.Name)
	require.NoError(t, err)
	bills, err := ovh.Bills(c).Collect(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, bills)
	for _, b := range bills {
		b.PDFURL() // read now: the sandbox closes
	}
	return bills
}

// rows returns the table's rows (the lines that start with a bill id).
func rows(out string) []string {
	return regexp.MustCompile(`(?m)^FR\d+ .*$`).FindAllString(out, -1)
}

func TestListsEveryBillOfTheSandbox(t *testing.T) {
	sandbox.Isolate(t)
	bills := seeded(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: sandbox.NoEnv, Options: opts}}), out.String())
	got := out.String()

	assert.Contains(t, got, "no credentials found: using the built-in simulator")
	assert.Regexp(t, `(?m)^BILL\s+DATE\s+CATEGORY\s+PRICE WITH TAX$`, got)
	require.Len(t, rows(got), len(bills), got)
	var sum float64
	for i, b := range bills {
		p := b.PriceWithTax()
		sum += p.Value
		assert.Regexp(t, `^`+b.ID()+`\s+`+b.Date().Format(time.DateOnly)+`\s+`+regexp.QuoteMeta(b.Category())+`\s+`+regexp.QuoteMeta(p.Text)+`$`,
			rows(got)[i], "oldest first, as the API lists them")
	}
	assert.Contains(t, got, fmt.Sprintf("\n%d bill(s), %.2f EUR with tax\n", len(bills), sum), "the count and the total")
	assert.NotContains(t, got, "passwd=", "no URL carries its password out by default")
	assert.NotContains(t, got, "https://")
	assert.Contains(t, got, "PDF URLs are not shown: each carries its bill's password (-urls prints them)\n")
}

func TestURLsOnlyWhenAsked(t *testing.T) {
	sandbox.Isolate(t)
	bills := seeded(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, config{Setup: sandbox.Setup{Stderr: &out, Getenv: sandbox.NoEnv, Options: opts}, urls: true}), out.String())
	got := out.String()
	assert.Regexp(t, `(?m)^BILL\s+DATE\s+CATEGORY\s+PRICE WITH TAX\s+PDF URL$`, got)
	for i, row := range rows(got) {
		assert.True(t, strings.HasSuffix(row, "  "+bills[i].PDFURL()), row)
		assert.Contains(t, row, "passwd=")
	}
	assert.NotContains(t, got, "are not shown")
}

func TestFiltersWithCredentialsFromTheEnvironment(t *testing.T) {
	sandbox.Isolate(t)
	sb, err := sandbox.Start(opts)
	require.NoError(t, err)
	defer sb.Close()
	ep := sb.Endpoints[ovh.Provider.Name]
	env := map[string]string{
		"OVH_ENDPOINT": ep.URL(), "OVH_APPLICATION_KEY": ep[ovh.CredApplicationKey],
		"OVH_APPLICATION_SECRET": ep[ovh.CredApplicationSecret], "OVH_CONSUMER_KEY": ep[ovh.CredConsumerKey],
	}
	c, err := sb.Open(ovh.Provider.Name, stratus.WithoutCache())
	require.NoError(t, err)
	all, err := ovh.Bills(c).Collect(context.Background())
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(all), 6)

	// The days of the third and the fifth bills, in local time as the
	// flags read them: three bills.
	day := func(b *ovh.BillHandle) string { return b.Date().In(time.Local).Format(time.DateOnly) }
	cfg := config{Setup: sandbox.Setup{Getenv: func(k string) string { return env[k] }}, from: day(all[2]), to: day(all[4])}
	var out bytes.Buffer
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	got := out.String()
	assert.Contains(t, got, "using credentials from the environment: "+ep.URL())
	require.Len(t, rows(got), 3, got)
	for i, row := range rows(got) {
		assert.True(t, strings.HasPrefix(row, all[2+i].ID()+" "), row)
	}
	for _, s := range ep.Credentials() {
		assert.NotContains(t, got, s)
	}

	cat := all[0].Category()
	want := 0
	for _, b := range all {
		if b.Category() == cat {
			want++
		}
	}
	out.Reset()
	cfg = config{Setup: sandbox.Setup{Getenv: func(k string) string { return env[k] }}, category: cat}
	cfg.Stderr = &out
	require.NoError(t, run(context.Background(), &out, cfg), out.String())
	assert.Len(t, rows(out.String()), want)
	for _, row := range rows(out.String()) {
		assert.Contains(t, row, " "+cat+" ")
	}

	// The API refuses an unknown category.
	cfg.category = "groceries"
	cfg.Stderr = &out
	err = run(context.Background(), &out, cfg)
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.ErrorContains(t, err, "billing.CategoryEnum")
}

func TestBadDatesAreRefusedBeforeAnyRequest(t *testing.T) {
	for _, cfg := range []config{
		{from: "yesterday"},
		{to: "2025-13-01"},
		{from: "2025-06-01", to: "2025-05-31"},
	} {
		cfg.Getenv = func(string) string { panic("no request, not even for credentials") }
		err := run(context.Background(), &bytes.Buffer{}, cfg)
		assert.Error(t, err, cfg)
	}
	lo, err := parseBound("to", "2025-05-31", true)
	require.NoError(t, err)
	assert.Equal(t, "2025-05-31T23:59:59", lo.Format("2006-01-02T15:04:05"), "a day as the upper bound ends at its last second")
	hi, err := parseBound("from", "2025-05-31T10:00:00Z", false)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2025, 5, 31, 10, 0, 0, 0, time.UTC), hi.UTC())
}

// The common flags: no request to a real account without -yes, the
// simulator with -sandbox whatever the environment holds.
func TestSafety(t *testing.T) {
	sandbox.TestSafety(t, ovh.Provider.Name, false, func(s sandbox.Setup, args []string) int {
		s.Options = sandbox.Options{Droplets: 1, ActionDuration: 200 * time.Millisecond}
		s.ClientOpts = []stratus.Option{stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond)}
		cfg := &config{Setup: s}
		return cfg.Main("bills", about, args, cfg.flags, func(ctx context.Context) error {
			return run(ctx, io.Discard, *cfg)
		})
	})
}
