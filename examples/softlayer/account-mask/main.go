// Command account-mask reads the account's details with an object mask,
// in the two forms the API takes (mask[...] and the legacy a;b.c): first
// through the raw call, as client['Account'].getObject(mask=...) does,
// then as a handle loaded with the mask, which knows the fields it holds
// and loads the rest once when a field outside the mask is read.
//
//	go run ./examples/softlayer/account-mask
//	go run ./examples/softlayer/account-mask -mask 'id;companyName;email'
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync/atomic"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	sl "github.com/stratus-cloud/stratus/models/softlayer"
)

type config struct {
	getenv     func(string) string
	sandbox    sandbox.Options
	clientOpts []stratus.Option
	mask       string
}

func main() {
	cfg := config{getenv: os.Getenv}
	flag.StringVar(&cfg.mask, "mask", "mask[id,companyName,email,masterUser[username]]", "object mask, either form")
	flag.Parse()
	sandbox.Main("account-mask", func(ctx context.Context) error { return run(ctx, os.Stdout, cfg) })
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	cnt := &counting{next: http.DefaultTransport}
	opts := append([]stratus.Option{stratus.WithHTTPClient(&http.Client{Transport: cnt})}, cfg.clientOpts...)
	conn, err := sandbox.Connect(sl.Name, cfg.getenv, cfg.sandbox, opts...)
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client
	fmt.Fprintln(out, conn.Describe())

	r, err := sl.Call(ctx, c, "Account", "getObject", sl.WithMask(cfg.mask))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "getObject(mask=%q):\n%s\n", cfg.mask, r.Raw)

	a, err := sl.AccountWithMask(ctx, c, cfg.mask)
	if err != nil {
		return err
	}
	before := cnt.n.Load()
	fmt.Fprintf(out, "account %d: %s <%s>\n", a.ID(), a.CompanyName(), a.Email())
	fmt.Fprintf(out, "fields in the mask: %d requests\n", cnt.n.Load()-before)
	fmt.Fprintf(out, "city (outside the mask): %s, %s\n", a.City(), a.Country())
	fmt.Fprintf(out, "created %s, status %d: %d request for the rest\n", a.CreateDate().Format("2006-01-02"), a.AccountStatusID(), cnt.n.Load()-before)
	return a.LastError()
}

// counting counts the requests the client sends.
type counting struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}
