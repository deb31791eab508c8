// Package conformance runs the official DigitalOcean Go client, godo,
// unchanged against the stratus simulator (digitaloceantest). If godo can
// page, create, wait, tag, retry and read errors and rate limits through
// the simulator exactly as it does against api.digitalocean.com, the
// simulator speaks the real protocol.
//
// It lives in the examples/compare module so that the library's own go.mod
// never depends on godo. The package has tests only; run them with
// `go test ./...` from the repository root (go.work includes this module).
package conformance
