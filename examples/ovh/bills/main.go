// Command bills lists the OVH account's bills as a table: id, date,
// category and price with tax, oldest first, then their count and total.
// -from and -to (a day, 2025-01-31, or an RFC 3339 time; both inclusive)
// and -category (autorenew, purchase-cloud, ...) are the API's own
// filters.
//
// The PDF's URL is printed only with -urls. It carries the bill's access
// password in its query (passwd=...): anyone who has the URL can download
// the bill, so the default output, which ends up in terminals, logs and
// tickets, leaves it out. The library treats it the same way: Pprint
// redacts pdfUrl, url and password.
//
// With ovh.conf or the OVH_* variables (OVH_ENDPOINT,
// OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY) it lists
// the real account's bills; without, the built-in simulator's. The
// consumer key needs GET on /me/bill and /me/bill/*, which the rules of
// examples/ovh/login (GET /me and /me/*) cover.
//
// -sandbox uses the simulator whatever the environment holds; stderr
// says which endpoint is used. The program only reads.
//
//	go run ./examples/ovh/bills [-sandbox] [-yes] [-from 2025-01-01] [-to 2025-12-31] [-category autorenew] [-urls]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	"github.com/stratus-cloud/stratus/models/ovh"
)

type config struct {
	sandbox.Setup

	from, to string // a day or an RFC 3339 time; "" for no bound
	category string
	urls     bool // print the PDF URLs (they carry the bill's password)
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("bills", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

// about is what -h says before the flags.
const about = "Lists the bills of the OVH account."

// flags registers the program's own flags.
func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.from, "from", "", "first day (2025-01-31) or time (RFC 3339) of the bills listed")
	fs.StringVar(&cfg.to, "to", "", "last day or time of the bills listed (inclusive)")
	fs.StringVar(&cfg.category, "category", "", "only bills of this category: autorenew, earlyrenewal, purchase, purchase-cloud, purchase-servers, purchase-telecom, purchase-web")
	fs.BoolVar(&cfg.urls, "urls", false, "print each bill's PDF URL, which carries its access password")
}

// parseBound reads -from or -to: an RFC 3339 time as it is, or a day in
// local time, whose end is its last second when it is the upper bound.
func parseBound(name, v string, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, v, time.Local)
	if err != nil {
		return time.Time{}, fmt.Errorf("-%s %q is neither a day (2025-01-31) nor an RFC 3339 time", name, v)
	}
	if end {
		d = d.AddDate(0, 0, 1).Add(-time.Second)
	}
	return d, nil
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	list, err := filters(cfg)
	if err != nil {
		return err
	}
	conn, err := cfg.Connect(ovh.Provider.Name, "")
	if err != nil {
		return err
	}
	defer conn.Close()

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	header := "BILL\tDATE\tCATEGORY\tPRICE WITH TAX"
	if cfg.urls {
		header += "\tPDF URL"
	}
	fmt.Fprintln(tw, header)
	n := 0
	totals := map[string]float64{} // by currency
	// In the bulk page mode the whole list is one request; otherwise the
	// bills load ahead of the loop, a few at a time.
	for b, err := range list(conn.Client).All(ctx) {
		if err != nil {
			return err
		}
		price := b.PriceWithTax()
		if err := b.LastError(); err != nil {
			return fmt.Errorf("bill %s: %w", b.ID(), err)
		}
		n++
		totals[price.Currency] += price.Value
		row := fmt.Sprintf("%s\t%s\t%s\t%s", b.ID(), b.Date().Format(time.DateOnly), b.Category(), price)
		if cfg.urls {
			row += "\t" + b.PDFURL()
		}
		fmt.Fprintln(tw, row)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d bill(s)%s\n", n, total(totals))
	if n > 0 && !cfg.urls {
		fmt.Fprintln(out, "PDF URLs are not shown: each carries its bill's password (-urls prints them)")
	}
	return nil
}

// filters checks the flags and returns the list they describe.
func filters(cfg config) (func(c *stratus.Client) ovh.BillList, error) {
	var from, to time.Time
	var err error
	if cfg.from != "" {
		if from, err = parseBound("from", cfg.from, false); err != nil {
			return nil, err
		}
	}
	if cfg.to != "" {
		if to, err = parseBound("to", cfg.to, true); err != nil {
			return nil, err
		}
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return nil, fmt.Errorf("-to %s is before -from %s", cfg.to, cfg.from)
	}
	return func(c *stratus.Client) ovh.BillList {
		l := ovh.Bills(c)
		if !from.IsZero() {
			l = l.From(from)
		}
		if !to.IsZero() {
			l = l.To(to)
		}
		if cfg.category != "" {
			l = l.Category(cfg.category)
		}
		return l
	}, nil
}

// total renders the sums, one per currency: ", 1234.56 EUR with tax".
func total(sums map[string]float64) string {
	if len(sums) == 0 {
		return ""
	}
	codes := make([]string, 0, len(sums))
	for code := range sums {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	parts := make([]string, len(codes))
	for i, code := range codes {
		parts[i] = strings.TrimSpace(strconv.FormatFloat(sums[code], 'f', 2, 64) + " " + code)
	}
	return ", " + strings.Join(parts, " + ") + " with tax"
}
