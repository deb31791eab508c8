// Package rightscale is the wire side of the RightScale Cloud Management
// API 1.5: the OAuth 2.0 refresh-token grant and the bearer signer (Auth),
// shard redirects, the ~/.rightscalerc loader (LoadRC, ParseRC), the
// plain-text error bodies (DecodeError), media types (Collection,
// MediaType) and the API's route table (API), generated from the API's
// metadata by models/rightscale/internal/gen.
//
// Every call carries X-Api-Version: 1.5, Authorization: Bearer <token>
// and, when an account is configured, X-Account. The access token is
// refreshed at half its lifetime, or 60 s before it expires when that is
// sooner; a 401 makes one refresh and one retry; concurrent calls share
// one refresh. A 301, 302 or 307 to another host re-targets every later
// call to that shard (Auth.Endpoint tells where calls go).
//
// The simulator is rightscaletest.
package rightscale
