package providertest

import (
	"context"
	"testing"

	"github.com/stratus-cloud/stratus"
)

// Harness is what a provider gives the suite: its simulator, reached
// through a client constructor, and what the simulator holds.
type Harness struct {
	// Provider is the provider under test, as registered.
	Provider *stratus.Provider

	// NewClient returns a client of the started simulator, built with
	// the harness's own options first and opts after them (the suite
	// passes its HTTP client, which counts requests, a logger and a fast
	// retry policy; sometimes WithoutCache or other credentials). A
	// one-time exchange the provider needs before its first call (OVH
	// reads the API's clock) is done before it returns: the suite counts
	// requests from then on. Keep the simulator's rate limit off: the
	// suite sends a few hundred requests on its clock.
	NewClient func(t testing.TB, opts ...stratus.Option) *stratus.Client

	// Kinds describes every kind the provider registers, by name. A
	// registered kind without an entry fails the suite, as does an entry
	// for a kind that is not registered.
	Kinds map[string]Kind

	// Write sends one safe write through c: a POST that changes nothing
	// a reader of the other kinds would notice (creating a tag, refreshing
	// a zone). The suite checks that it invalidates what the client read
	// before, and that it is never sent twice when the connection fails
	// after the server got it. It may be sent several times, and runs
	// after the kind checks, so a write that adds an object (a firewall
	// rule) leaves the kinds' totals alone.
	Write func(ctx context.Context, c *stratus.Client) error

	// Inject makes the simulator's next request fail with f, in the
	// simulator's own words (its fault API).
	Inject func(f Fault)

	// Routes are the routes the simulator serves, as its Routes method
	// lists them: "GET /v2/droplets/*", relative to the client's base
	// URL, "*" for one path segment.
	Routes []string

	// Outside lists the paths under which the simulator serves routes
	// that no kind stands for, each with the reason (the API's clock that
	// the signer reads, a report the model reads by raw path). An entry
	// covers the path and every path below it, any method. Each must
	// cover a route that the registry really does not know: a stale entry
	// fails.
	Outside map[string]string

	// ReadMethod is the HTTP method reads use on the wire: "" means GET;
	// an RPC protocol that POSTs every call (XML-RPC) says "POST".
	ReadMethod string

	// MissingStatus is the HTTP status the API answers for an object that
	// does not exist; 0 means 404. RightScale answers 422 with its
	// ResourceNotFound error (the error still matches ErrNotFound).
	MissingStatus int

	// Secrets are the secret values in use: the credentials the clients
	// sign with, and any secret the simulator's data holds.
	Secrets []string
}

// Kind says where to find objects of one kind in the simulator's data.
//
// A check that cannot apply to a kind is stated with a reason (NoItem,
// NoList, NoMissing); the suite checks the claim against the registry and
// still runs what does apply (a handle of a kind that cannot be read by id
// must send nothing and say ErrUnsupported). The provider-wide checks have
// no such switch.
type Kind struct {
	// ID names an object that exists: an id for the kind's item path, or
	// an href (a path starting with "/") for a kind whose items live under
	// another object (a domain's records). "" for a singleton, whose item
	// path has no id (the account).
	ID string
	// Missing names an object that does not exist, like ID.
	Missing string
	// NoMissing says why no object of this kind can be missing (a
	// singleton).
	NoMissing string
	// NoItem says why objects of this kind cannot be read one by one (the
	// API has no item route): the kind has no item path and ID is "".
	NoItem string

	// Parent is the id of the object a nested kind lives under
	// (Kind.Under: a domain's records, a droplet's kernels); ID and
	// Missing are then ids below it.
	Parent string

	// List gives the filters a list requires, after a "?"
	// ("?regionId=1"), or the path to list the kind at, when the
	// registry names none or a nested one is listed without Parent
	// ("/SoftLayer_Dns_Domain/12345/getResourceRecords.json").
	List string
	// NoList says why the kind cannot be listed.
	NoList string
	// Total is how many items the list yields.
	Total int
	// PageSize is the page size the paging check asks for; it expects
	// ceil(Total/PageSize) requests. 0 says the API does not page: the
	// check asks for pages of one and expects a single request.
	PageSize int
}

// Fault is a failure the suite asks the harness to inject into the
// simulator's next request.
type Fault int

// The faults every simulator offers, in its API's words.
const (
	Fault503        Fault = iota + 1 // a 503 answer (JSON or an HTML page, as the API's front sends it)
	Fault429                         // a 429 answer with Retry-After
	FaultReset                       // the connection reset before the request is processed
	FaultResetAfter                  // the request processed, then the connection reset with no answer
	FaultTruncated                   // the right status and length, half the body, then closed
	FaultMalformed                   // a 200 whose body cannot be decoded
)

var faultNames = map[Fault]string{
	Fault503: "503", Fault429: "429", FaultReset: "reset", FaultResetAfter: "reset-after",
	FaultTruncated: "truncated", FaultMalformed: "malformed",
}

func (f Fault) String() string {
	if n, ok := faultNames[f]; ok {
		return n
	}
	return "Fault(?)"
}
