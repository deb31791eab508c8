// Package digitaloceantest is an in-process simulator of the DigitalOcean
// API v2, for testing code that talks to DigitalOcean without an account,
// a network or a daemon.
//
// NewServer starts it on a loopback port; point any client at URL() (for
// godo: godo.SetBaseURL(srv.URL()+"/")) and authenticate with Token():
//
//	srv := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: 100})
//	defer srv.Close()
//
// NewHandler builds the same simulator without a listener, to mount as an
// http.Handler.
//
// # What it serves
//
// Droplets (list with tag_name/name/type filters, get, create one or many,
// delete, delete by tag, kernels, snapshots, backups, neighbors and the
// neighbor reports), droplet actions (one droplet or by tag), the account
// action log, images and image actions, regions, sizes, SSH keys (by id or
// MD5 fingerprint), domains and records, floating IPs (also as reserved
// IPs) and their actions, tags and tagged resources, and the account. It
// answers with the real envelopes ("droplet", "droplets" plus "links" and
// "meta"), status codes (202 for droplet and floating IP creates, 201 for
// actions and plain creates, 204 for deletes), error bodies
// ({"id", "message", "request_id"}) and headers (ratelimit-limit,
// ratelimit-remaining, ratelimit-reset, x-request-id). Pagination links are
// absolute URLs built from the request's own host.
//
// # Data
//
// The account is seeded deterministically from Config.Seed: Config.Droplets
// droplets named web-0001, db-0002, web-0003, cache-0004, ... (web ones
// tagged "web", db ones "db"; every fifth is off; every fiftieth is a GPU
// droplet), the public distribution and application images, two SSH keys,
// and the domain example.com. Ten thousand droplets seed in milliseconds;
// each droplet's JSON is encoded once and cached until it changes.
//
// # Time and actions
//
// Config.Clock chooses the clock. By default (ClockAuto) a test binary
// gets a manual clock and any other program the wall clock, so that a
// simulator started by a program completes its actions on its own while
// tests decide when time passes; ClockManual and ClockReal force one. The
// manual clock starts at 2026-01-01T00:00:00Z and moves only through
// Advance. Actions (droplet
// create, power off, resize, floating IP assign, image transfer, ...) stay
// "in-progress" for Config.ActionDuration of that clock, with the droplet
// locked; Advance or CompleteActions finishes them, applies their effects
// and unlocks the droplet. FailNextActions makes actions end "errored" without effect. The
// rate limiter uses the same clock, so with a manual clock the burst window
// frees up only when the test advances it.
//
// # Faults
//
// InjectNext queues faults for the next requests; SetFaultRate faults
// requests at random (seeded); SetLatency delays every answer. The Fault
// type is shared with ovhtest and enstratustest; a kind this simulator does
// not define (ovhtest.Fault503HTML) is no fault here. Note that
// Go's http.Transport silently retries an idempotent request once when a
// reused keep-alive connection is closed before the answer, so FaultReset
// on a GET may be invisible to a client whose connection was reused; the
// request counters still show both attempts. FaultReset and FaultResetAfter
// hijack the connection; on a ResponseWriter that cannot be hijacked (a
// handler from NewHandler mounted elsewhere) they abort the handler with
// http.ErrAbortHandler instead.
//
// # Rate limits
//
// Per token: HourlyLimit requests over a sliding hour (default 5000) and
// BurstLimit over a sliding minute (default 250). A negative limit disables
// it, which suits benchmarks that make thousands of requests on the manual
// clock.
//
// # Concurrency
//
// A Server is safe for concurrent use: one mutex guards the simulated
// account, and responses are written after it is released. Latency waits
// do not hold it.
package digitaloceantest
