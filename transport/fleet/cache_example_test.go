package fleet_test

import (
	"context"
	"log"
	"os"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/fleet"
)

// Every process of a fleet makes one Fleet and gives it to its clients:
// what one reads serves all, a write by one is seen by all.
func ExampleNew() {
	ctx := context.Background()
	f, err := fleet.New(ctx, fleet.Options{
		URL:   os.Getenv("REDIS_URL"),              // redis://host:6379/0, unix:///path/redis.sock
		Local: stratus.NewMemoryCache(time.Minute), // while Redis cannot be reached
	})
	if err != nil {
		log.Fatal(err) // only a URL that cannot be read
	}
	defer f.Close()
	c, err := digitalocean.New(digitalocean.Token(os.Getenv("DIGITALOCEAN_TOKEN")), stratus.WithFleet(f))
	if err != nil {
		log.Fatal(err)
	}
	d := digitalocean.Droplet(c, 12345)
	if err := d.Load(ctx); err != nil {
		log.Fatal(err)
	}
	s := f.Stats()
	log.Printf("%s: near hits %d, Redis hits %d, misses %d", d.Name(), s.NearHits, s.RedisHits, s.Misses)
}
