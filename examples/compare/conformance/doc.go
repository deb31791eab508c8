// Package conformance runs official Go clients unchanged against the
// stratus simulators: godo against digitaloceantest, go-ovh against
// ovhtest, softlayer-go (over REST and XML-RPC) against softlayertest.
// If an official client can page, sign, create, wait, retry and read
// errors through a simulator exactly as it does against the real API,
// the simulator speaks the real protocol.
//
// It lives in the examples/compare module so that the library's own go.mod
// never depends on another SDK. The package has tests only; run them with
// `go test ./examples/compare/...` from the repository root (go.work joins
// this module).
package conformance
