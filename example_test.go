package stratus_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
)

// The README's example, run against the built-in simulator.
func Example() {
	ctx := context.Background()
	srv := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: 6, RealTime: true, ActionDuration: 20 * time.Millisecond})
	defer srv.Close()

	c, err := digitalocean.New(digitalocean.Token(srv.Token()), stratus.WithBaseURL(srv.URL()),
		stratus.WithWaitInterval(10*time.Millisecond, 50*time.Millisecond))
	if err != nil {
		panic(err)
	}

	d := digitalocean.Droplet(c, 400000000)              // a handle: no request yet
	fmt.Println(d.Name(), d.Status(), d.Region().Slug()) // one GET loads the whole droplet

	for d, err := range digitalocean.Droplets(c).Tag("web").All(ctx) { // pages fetched lazily
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(d.ID(), d.Name(), d.Tags())
	}

	act, err := d.PowerOff(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := act.Wait(ctx); err != nil { // polls the action, then refreshes d
		fmt.Println(err)
	}
	fmt.Println(d.Name(), d.Status())

	missing := digitalocean.Droplet(c, 1)
	fmt.Printf("%q %v\n", missing.Name(), errors.Is(missing.LastError(), stratus.ErrNotFound))
	// Output:
	// web-0001 active nyc1
	// 400000000 web-0001 [web env:prod]
	// 400000002 web-0003 [web env:prod]
	// 400000004 web-0005 [web env:prod]
	// web-0001 off
	// "" true
}
