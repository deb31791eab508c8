package rightscale

import "github.com/stratus-cloud/stratus"

// Kinds nested under a cloud: listed below it, and read by href. The
// nesting is set while the package's variables are initialised, before
// any init function, so that Register (which copies the kinds) sees it.
var _ = nestUnderClouds()

func nestUnderClouds() bool {
	for _, n := range []struct {
		k    *stratus.Kind
		path string
	}{
		{kindInstance, "instances"}, {kindDatacenter, "datacenters"}, {kindImage, "images"},
		{kindInstanceType, "instance_types"}, {kindSecurityGroup, "security_groups"}, {kindIPAddress, "ip_addresses"},
	} {
		n.k.Under = &stratus.Nesting{
			Parent: "cloud", ListPath: "/api/clouds/{parent}/" + n.path, ItemPath: "/api/clouds/{parent}/" + n.path + "/{id}",
		}
	}
	// The session answers at /api/sessions and at /api/session, and names
	// itself by the singular href: reading it there lets a handle made
	// from that href share the answer.
	kindSession.ItemPath = "/api/session"
	return true
}
