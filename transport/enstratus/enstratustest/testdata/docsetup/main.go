// The simulator setup of docs/providers/enstratus.md as a plain program:
// it launches a server and waits for its job, with no other option.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
)

func main() {
	srv := enstratustest.NewServer(enstratustest.Config{JobDuration: 2 * time.Second})
	defer srv.Close()
	c, err := srv.Client() // the simulator's URL, keys and clock
	if err != nil {
		log.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Oregon (region 19344): data center us-west-2a, an image and a product
	// of mixcoatl's test data.
	job, err := enstratus.LaunchServer(ctx, c, enstratus.LaunchSpec{
		Name: "web-1", Description: "launched by the doc's setup", ProductID: "m1.small",
		MachineImageID: 281535, DataCenterID: 64351,
	})
	if err != nil {
		log.Fatal(err)
	}
	s, err := job.WaitServer(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Name(), job.Status(), s.Status(), srv.ManualClock())
}
