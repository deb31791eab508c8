// Command show-account shows the accounts of the session
// (python-rightscale's get_accounts) and prints one account in full,
// with its owner: api.accounts.show(res_id=...) in python-rightscale.
//
//	go run ./examples/rightscale/show-account -id 60073
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
	rs "github.com/stratus-cloud/stratus/models/rightscale"
)

type config struct {
	sandbox.Setup
	id string
}

func main() {
	cfg := &config{Setup: sandbox.Setup{Getenv: os.Getenv}}
	os.Exit(cfg.Main("show-account", about, os.Args[1:], cfg.flags, func(ctx context.Context) error { return run(ctx, os.Stdout, *cfg) }))
}

const about = "Lists the session's accounts and shows one (the first, or -id) with its owner."

func (cfg *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.id, "id", "", "the account id or href (default: the session's first account)")
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	conn, err := cfg.Connect(rs.Provider.Name, "")
	if err != nil {
		return err
	}
	defer conn.Close()
	c := conn.Client
	accounts, err := rs.SessionAccounts(c).Collect(ctx)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		fmt.Fprintf(out, "account %s %s\n", a.Href(), a.Name())
	}
	ref := cfg.id
	if ref == "" && len(accounts) > 0 {
		ref = accounts[0].Href()
	}
	acct := rs.Account(c, ref)
	if err := acct.Load(ctx); err != nil {
		return err
	}
	fmt.Fprintln(out)
	if err := acct.Pprint(out); err != nil {
		return err
	}
	owner := acct.Owner()
	fmt.Fprintf(out, "\nowner %s: %s %s <%s>\n", owner.Href(), owner.FirstName(), owner.LastName(), owner.Email())
	return owner.LastError()
}
