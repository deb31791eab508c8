// Package stratus is one lazy, ORM-style object model over cloud provider
// APIs (DigitalOcean, OVH, enStratus, ...). Each provider's native model
// lives in its own package (models/digitalocean, ...); the neutral view
// over all of them lives in scope. This package holds what they share:
// the client, the lazy handle, collections, the cache, waiters and the
// one error type.
//
// # Clients
//
// Build one client per account and share it; it is safe for concurrent
// use. A provider package offers a constructor, and every provider takes
// the same options:
//
//	c, err := digitalocean.New(digitalocean.Token(tok), stratus.WithTimeout(30*time.Second))
//	c, err := stratus.Open("digitalocean", stratus.WithCredential("token", tok))
//
// Constructors never read the environment; loaders do
// (digitalocean.FromEnv, Provider.FromEnv). Options: WithBaseURL (a
// simulator, a proxy), WithHTTPClient, WithLogger (slog; secrets
// redacted), WithRetry, WithTimeout, WithUserAgent, WithPageSize,
// WithConcurrency, WithWaitInterval, WithWaitTime, WithCache,
// WithCacheBudget, WithoutCache, WithCacheTTL, WithRateLimit, WithMaxBody,
// WithClock, WithCredential(s).
//
// # Handles
//
// A handle names one object and does no I/O when made:
//
//	d := digitalocean.Droplet(c, 12345)
//	fmt.Println(d.Name(), d.Status()) // the first getter loads the object, once
//	if err := d.LastError(); err != nil { ... }
//
// A getter that cannot load returns the zero value and records the error
// in LastError; it never returns error text as a value. Load, Reload and
// Exists take a context for full control. Loaded, LoadedAt and Partial
// tell what is held. Concurrent first reads send one request. Pprint
// writes the object with secret fields redacted.
//
// Objects are named by an id in the kind's path template or by an href
// (the object's own path, as RightScale names them): handles made either
// way have the same ID and Path and share one cache entry; Same compares
// two handles.
//
// # Collections
//
// A Collection is an immutable query: every refinement returns a new
// value, and All can be run again. All yields items lazily, page by page,
// and stops fetching when the loop breaks; items are hydrated from the
// list pages, so reading their fields sends nothing more unless the list
// carries partial objects.
//
//	for d, err := range digitalocean.Droplets(c).Tag("web").Limit(10).All(ctx) { ... }
//
// A provider's refinements (Tag, InRegion, Extended, ...) and the generic
// ones (Filter, Limit, PageSize, Fresh) chain in any order. Filter takes
// the kind's filter keys by the API's name or an alias (Kind.Filters);
// an unknown key, or a missing required one (enStratus's regionId), is
// refused with ErrInvalid before any request, naming the accepted keys.
// Param sets a query parameter unchecked. Collect, First, Count and Pages
// build on All.
//
// # Errors
//
// Every failure of a request is one *Error (an alias of transport.Error):
//
//	Provider  string // "digitalocean", "ovh", ...
//	Op        string // "GET /v2/droplets/12345": method and path, never the query
//	Status    int    // HTTP status; 0 when no answer arrived
//	Code      string // the provider's own code: "not_found", "INVALID_SIGNATURE", an XML-RPC fault
//	Message   string // the provider's message, or stratus's
//	RequestID string // the request or query id, for support tickets
//	Attempts  int    // how many times the request was sent
//	Kind      error  // the portable sentinel it matches, or nil
//	Err       error  // the cause (network, context, decoding), or nil
//
// errors.Is matches the portable sentinels whatever the provider:
// ErrNotFound, ErrUnauthorized, ErrForbidden, ErrRateLimited, ErrConflict,
// ErrUnsupported, ErrInvalid (refused by the API, or by stratus before
// sending), ErrUnavailable (5xx, resets, truncated bodies that outlived
// the retries) and ErrMalformed (an answer that cannot be read). A wait
// that runs out of time is a *WaitTimeoutError (ErrWaitTimeout); async
// work that ends badly matches ErrFailed. No error, log line or printed
// value holds a credential.
//
// # Cache
//
// Every GET goes through the client's cache: by default DefaultCache,
// one MemoryCache of the whole process under a 64 MiB budget
// (WithCacheBudget gives a client its own). Keys begin with the account's
// identity, a hash of provider, endpoint and credentials, so one cache is
// shared by clients of many accounts without ever mixing them; any
// write invalidates everything the account read before it, in every
// client sharing the cache. A Cache that fails counts as a miss; the
// failure is logged, never returned.
//
// # Actions, waiters and raw calls
//
// Actions are methods on handles and return handles of the async work
// (actions, jobs) with Wait. Poll is the waiter under them: delays grow
// between a minimum and a maximum, the wait is bounded by WithWaitTime or
// the context, and the objects waited on are refreshed when it ends. For
// any path no kind describes, Client.Do sends a raw request and returns
// the JSON answer.
//
// # Testing
//
// Every provider has an exported simulator (transport/<p>/<p>test) that
// speaks the real protocol on loopback: point a client at it with
// WithBaseURL.
//
// # For provider authors
//
// A provider package (models/<p>) uses a second, smaller API that users
// do not need. It is kept in this package, apart in the documentation
// only, because the handle's and the collection's internals are what it
// reaches:
//
//   - Provider, Kind, Field, FilterKey, Nesting and Register: the route
//     table, declared once per kind (models/<p>/routes.go). Register
//     copies the kinds: declare them whole, New included, before it runs,
//     and nothing changes a route afterwards (Resource.Kind,
//     Collection.Kind and Provider.Kind return copies; Kind.Is compares).
//   - NewResource, NewResourceAt, NewResourceHref, NewResourceUnder,
//     Hydrate, HydrateAt, HydrateHref, Resource.Fill, Resource.SetError,
//     Resource.Forget: make and fill handles.
//   - NewCollection, NewCollectionUnder, Refinements and Refine: a
//     provider's list type embeds Refinements so that its refinements
//     return it; Collection.At, ListKey, ItemsAt and PartialItems shape
//     sub-lists.
//   - Invalid, Client.CheckID, Client.Transport, Client.Send: refuse bad
//     input before sending, and reach the wire.
//   - transport.Config (signer, error decoder, body decoder for answers
//     that are not JSON, pager, rate reader) is built by Provider.Transport.
//
// Every provider passes the conformance suite in models/providertest.
package stratus
