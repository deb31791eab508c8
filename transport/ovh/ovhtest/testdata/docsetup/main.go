// The simulator setup of docs/providers/ovh.md as a plain program: it
// creates a Public Cloud instance and waits for it, with no other option.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport/ovh/ovhtest"
)

func main() {
	srv := ovhtest.NewServer(ovhtest.Config{})
	defer srv.Close()
	c, err := srv.Client() // the simulator's URL, keys and clock
	if err != nil {
		log.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pid := srv.ProjectIDs()[0]
	flavors, err := ovh.Get(ctx, c, "/cloud/project/"+pid+"/flavor", ovh.Params("region", "GRA11"))
	if err != nil {
		log.Fatal(err)
	}
	images, err := ovh.Get(ctx, c, "/cloud/project/"+pid+"/image", ovh.Params("region", "GRA11"))
	if err != nil {
		log.Fatal(err)
	}
	in, err := ovh.Project(c, pid).CreateInstance(ctx, ovh.InstanceSpec{
		Name: "web-1", Region: "GRA11", FlavorID: flavors.Get("0.id").String(), ImageID: images.Get("0.id").String(),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := ovh.WaitInstances(ctx, ovh.InstanceActive, in); err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.Name(), in.Status(), srv.ManualClock())
}
