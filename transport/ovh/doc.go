// Package ovh is the wire side of the OVH API (1.0, /v1 and /v2): the
// endpoint aliases, the application-key signature ("$1$" SHA-1 over
// secret, consumer key, method, URL, body and timestamp), the server-time
// delta and its re-sync, the ovh.conf loader, both error body shapes with
// typed kinds, and the bulk page mode of id lists.
//
// models/ovh builds the object model on it; the simulator is in ovhtest.
package ovh
