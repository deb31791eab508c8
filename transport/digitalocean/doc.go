// Package digitalocean holds the wire facts of the DigitalOcean API v2:
// bearer-token authentication, the default endpoint, the error body
// ({"id", "message", "request_id"}), the ratelimit-* headers and the
// links.pages / meta.total pager. It knows nothing of the object model;
// see models/digitalocean for that.
//
// Credentials are read from the environment only through [LoadEnv].
package digitalocean
