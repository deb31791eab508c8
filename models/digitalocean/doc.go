// Package digitalocean is the native object model of the DigitalOcean API
// v2: droplets and their actions, images, regions, sizes, SSH keys,
// domains and records, floating IPs, tags and the account.
//
// Build a client with [New] and a token, then make handles:
//
//	c, err := digitalocean.New(digitalocean.Token(tok))
//	d := digitalocean.Droplet(c, 12345) // no request yet
//	fmt.Println(d.Name())               // one GET, then cached in the handle
//
// Handles are safe for concurrent use. Lists are [stratus.Collection]
// values whose items are hydrated from the pages. Actions return an
// [*ActionHandle] whose Wait polls until it completes and refreshes the
// droplet it acted on.
package digitalocean
