// Package transport moves bytes between stratus and a provider's API.
//
// A [Client] runs every request through one chain of layers, outside in:
//
//	log (slog, secrets redacted) -> retry -> sign -> rate limit -> net/http
//
// Signing sits inside retry so that every attempt is signed anew (OVH and
// enStratus signatures carry a timestamp). The retry layer buffers each
// response body, so a truncated body is seen as a failed attempt and not as
// a short answer.
//
// Provider packages (transport/digitalocean, ...) supply the pieces that
// differ: how to sign, how to read an error body, how to read rate-limit
// headers and how lists page. They never import the model packages.
//
// All errors returned by [Client.Do] are *[Error]; errors.Is matches them
// against the portable sentinels ([ErrNotFound], [ErrRateLimited], ...).
//
// A Client is safe for concurrent use.
package transport
