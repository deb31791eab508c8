// The simulator setup of docs/providers/digitalocean.md as a plain
// program: it creates a droplet and waits for it, with no other option.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
)

func main() {
	srv := digitaloceantest.NewServer(digitaloceantest.Config{ActionDuration: 2 * time.Second})
	defer srv.Close()
	c, err := srv.Client() // the simulator's URL, token and clock
	if err != nil {
		log.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, act, err := digitalocean.CreateDroplet(ctx, c, digitalocean.DropletCreate{
		Name: "web-1", Region: "nyc3", Size: "s-1vcpu-1gb", Image: digitalocean.ImageSlug("ubuntu-24-04-x64"),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := act.Wait(ctx); err != nil {
		log.Fatal(err)
	}
	if err := d.Reload(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Name(), act.Status(), d.Status(), srv.ManualClock())
}
