// Package softlayer is softlayer-python's model of the SoftLayer API in
// Go, over REST and XML-RPC alike.
//
//	c, err := softlayer.New(softlayer.Credentials(user, key))       // REST by default
//	c, err := softlayer.New(softlayer.Credentials(user, key),
//		softlayer.Endpoint("https://api.softlayer.com/xmlrpc/v3.1"))  // XML-RPC
//
//	r, err := softlayer.Call(ctx, c, "Virtual_Guest", "getObject",
//		softlayer.ID(100), softlayer.WithMask("mask[id,hostname]"))    // any method, raw JSON
//	g := softlayer.Guest(c, 100); g.Hostname()                       // lazy handle
//	for g, err := range softlayer.Guests(c).Mask("id;hostname").
//		Where("datacenter.name", "dal10").All(ctx) { ... }            // masked, filtered, paged
//
// Masks are partial state: a handle loaded with a mask knows which fields
// it holds; reading another loads the object once, with the kind's mask
// and its own. Lists page with resultLimit and read SoftLayer-Total-Items
// to fetch the following pages ahead. The managers' conveniences are
// ListInstances, CreateInstance (validated before any request) and
// GuestHandle.WaitReady, ListHardware, CreateZone, CreateRecord,
// ZoneWithRecords, Records and DumpZone.
//
// Clients and handles are safe for concurrent use.
package softlayer
