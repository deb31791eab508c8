// Package enstratus is the native object model of the enStratus (Dell
// Cloud Manager) API 2012-06-15, as the Python library mixcoatl used it:
// geography (clouds, regions, data centers, subscriptions),
// infrastructure (servers, machine images, server products, volumes,
// snapshots), network (firewalls, their rules, load balancers) and admin
// (accounts, users, jobs, API keys, billing codes, groups, roles).
//
// Build a client with [New] and [Keys] (or [FromEnv]), then make handles:
//
//	c, err := enstratus.New(enstratus.Keys(access, secret))
//	cloud := enstratus.Cloud(c, 1) // no request yet
//	fmt.Println(cloud.Name())      // one GET geography/Cloud/1
//	cloud.Pprint(os.Stdout)        // mixcoatl's shape, snake_case names
//
// Every handle embeds a *stratus.Resource (through an unexported base
// that adds Pprint, Field, CurrentJob and LastRequest), so LastError,
// Load, Reload, Exists, Get, Peek, JSON, Loaded and Partial work on all of
// them. Handles are lazy and safe for concurrent use. A getter that cannot load
// returns the zero value and records the API's message in LastError.
// Nested references read as ids (Server.RegionID) or as handles that are
// not loaded until used (Server.Region).
//
// Lists are one request each, whatever their size: the API has no
// pagination. They ask for basic detail (Firewall and FirewallRule lists:
// none) through the x-es-details header, so their items are partial: a
// field the list lacks loads that item, once. Extended() asks for whole
// objects. Keys and IDs give the ids only (mixcoatl's keys_only).
// Required filters (InRegion for data centers, machine images, server
// products and firewalls) are checked before any request.
//
// Server operations (LaunchServer, Pause, Start, Stop, Rename, Terminate)
// return a *JobHandle: Wait polls admin/Job/<id> until it is COMPLETE or
// ERROR and reloads the server; WaitServer returns the server a launch
// created.
package enstratus
