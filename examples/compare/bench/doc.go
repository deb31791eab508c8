// Package bench holds benchmarks that measure stratus beside the official
// SDKs doing the same work in the same run. It lives in the comparison
// module so that the library never depends on another SDK.
package bench
