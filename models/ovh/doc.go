// Package ovh is the native object model of the OVH API: the account
// (Me), bills, dedicated servers and their burst, Public Cloud projects and
// instances, domains, DNS zones and records; raw signed calls in
// python-ovh's shape; and the consumer-key flow with a wait for the
// owner's validation.
//
// OVH lists answer ids. A collection yields unloaded handles; once a loop
// reads a field, the following items load ahead with the client's
// concurrency, in order and through the cache. Where the API answers the
// bulk page mode, whole pages of objects come instead, with no call per
// item.
package ovh
