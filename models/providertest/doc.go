// Package providertest is the conformance suite every stratus provider
// passes: one exported Run, to which each provider gives a small Harness
// that knows its simulator. Passing it is what "a provider is done" means.
//
// A provider calls it from one test, named TestConformance, in
// models/<provider>/conformance_test.go (a test of this package fails
// when a package under models/ registers a provider and has none):
//
//	func TestConformance(t *testing.T) {
//		srv := nimbustest.NewServer(nimbustest.Config{RateLimit: -1})
//		t.Cleanup(srv.Close)
//		newClient := func(t testing.TB, opts ...stratus.Option) *stratus.Client {
//			base := []stratus.Option{nimbus.Token(srv.Token()), stratus.WithBaseURL(srv.URL())}
//			c, err := nimbus.New(append(base, opts...)...)
//			require.NoError(t, err)
//			return c
//		}
//		faults := map[providertest.Fault]nimbustest.Fault{
//			providertest.Fault503: nimbustest.Fault503, providertest.Fault429: nimbustest.Fault429,
//			providertest.FaultReset: nimbustest.FaultReset, providertest.FaultResetAfter: nimbustest.FaultResetAfter,
//			providertest.FaultTruncated: nimbustest.FaultTruncated, providertest.FaultMalformed: nimbustest.FaultMalformed,
//		}
//		providertest.Run(t, providertest.Harness{
//			Provider: nimbus.Provider, NewClient: newClient,
//			Routes:   srv.Routes(), Secrets: []string{srv.Token()},
//			Inject:   func(f providertest.Fault) { srv.InjectNext(faults[f]) },
//			Write: func(ctx context.Context, c *stratus.Client) error {
//				_, err := nimbus.CreateTag(ctx, c, "conformance") // a POST that may be repeated
//				return err
//			},
//			Kinds: map[string]providertest.Kind{
//				"server":  {ID: "1001", Missing: "1", Total: 5, PageSize: 2},
//				"record":  {Parent: "example.com", ID: "7", Missing: "1", Total: 3}, // Kind.Under a zone
//				"region":  {NoItem: "the API has no GET /regions/{slug}", Total: 4},
//				"image":   {ID: "42", Missing: "1", List: "?region=r1", Total: 6}, // the list requires a region
//				"account": {NoMissing: "the token's own account", NoList: "one account per token"},
//			},
//			Outside: map[string]string{"/auth": "the signer's token exchange"},
//		})
//	}
//
// # What it checks
//
// For every registered kind (the harness must describe each one), as
// named subtests of TestConformance/<kind>: making a handle or a
// collection sends no request; the first getter sends one and later
// getters none; 100 concurrent first reads of one handle, and first reads
// of 100 handles of one object, send one; for a kind whose objects carry
// their own href (Kind.HrefField), a handle made from it names the same
// object and shares its answer; a missing object gives
// ErrNotFound in LastError, zero values from every getter and a single
// request; a second listing within the TTL sends nothing; list items are
// hydrated from the pages (reading the fields a page carries sends
// nothing; an id list loads each item once); a partial item loads once
// when a field it lacks is read; a list of Total items in pages of
// PageSize sends ceil(Total/PageSize) requests; the kind's GET is retried
// after a 503, a reset before or after the server handled it, and a
// truncated body; an undecodable body gives ErrMalformed.
//
// For the provider as a whole (TestConformance/provider): wrong
// credentials give ErrUnauthorized for a read and for a listing; a 429
// with Retry-After is waited out and retried; the harness's write
// invalidates what the client had cached; a POST is sent once when the
// connection is reset after the server got it, or when it answered 503.
//
// Routes (TestConformance/routes): every item and list path of the
// registry (and every nested path the harness gives) is served by the
// simulator, and every route the simulator serves is a kind's list path,
// its item path or below it, or lies under an Outside entry that says why.
//
// Secrets (TestConformance/secrets, last): no secret of the harness, nor
// the wrong credentials the suite made up, appears in any error the checks
// met (Error, %v, %+v, %#v, %s, JSON), in any line of the clients' debug
// logs (slog's text and JSON handlers), in Pprint of any object read, or
// in any printed form of the objects, the clients and their settings.
//
// # Requests and faults
//
// The suite counts requests with an http.RoundTripper it passes to every
// client (stratus.WithHTTPClient), so counting is the same for every
// provider and includes retries; it opens a connection per request so
// that net/http never replays one below the counter. It counts from the
// moment NewClient returns. Faults go through Harness.Inject into the
// simulator's next request; the subtests run one after another.
//
// # What does not apply
//
// A kind may lack an item route (NoItem), a list (NoList) or, being a
// singleton, a missing object (NoMissing). Each is stated with a reason,
// checked against the registry (a kind declared NoItem has no item path),
// and the subtest still runs, logs the reason and checks what applies. The
// provider, route and secret checks cannot be turned off.
package providertest
