// Package ovhtest is an in-process simulator of the OVHcloud API (the 1.0
// branch), for testing code that talks to OVH without an account, a
// network or a consumer key to click through.
//
// NewServer starts it on a loopback port. Point any client at URL() and
// sign with AppKey, AppSecret and ConsumerKey; for go-ovh:
//
//	srv := ovhtest.NewServer(ovhtest.Config{DedicatedServers: 100})
//	defer srv.Close()
//	client, _ := ovh.NewClient(srv.URL(), srv.AppKey(), srv.AppSecret(), srv.ConsumerKey())
//
// NewHandler builds the same simulator without a listener, to mount as an
// http.Handler at the root of a host.
//
// # What it serves
//
// The same routes under /1.0 and /v1 (the v2 branch answers 404):
//
//   - auth: GET /auth/time (unauthenticated, a bare integer of Unix
//     seconds), POST /auth/credential (application key only),
//     GET /auth/currentCredential, POST /auth/logout, and outside the API
//     the validation page GET /auth/?credentialToken=...
//   - account: GET and PUT /me, GET /me/bill (filters date.from, date.to,
//     category, orderId), GET /me/bill/{billId}, its lines
//     GET /me/bill/{billId}/details and .../details/{billDetailId}, and the
//     account's consumer keys GET /me/api/credential (filters status and
//     applicationId), GET and DELETE /me/api/credential/{credentialId}
//   - dedicated servers: GET /dedicated/server, GET and PUT
//     /dedicated/server/{name}, GET and PUT .../burst, GET .../ips,
//     POST .../reboot (a task), GET .../task (filters function and status)
//     and GET .../task/{taskId}
//   - Public Cloud: GET /cloud/project, GET /cloud/project/{id}, the
//     instances (list with ?region=, create, get, rename with PUT, delete,
//     start, stop, reboot), and the flavor, image and sshkey catalogues a
//     client needs to create one
//   - domains: GET /domain, GET /domain/{name}, GET /domain/zone,
//     GET /domain/zone/{zone}, the records (list with ?fieldType= and
//     ?subDomain=, create, get, PUT, delete) and POST .../refresh
//
// Every path answers alike with one trailing slash ("/dedicated/server/",
// as python-ovh's own example lists it); the signature covers the path as
// sent.
//
// Lists answer JSON arrays of ids (strings, or numbers for records), except
// the instance list, which answers full objects, as OVH does. Void calls
// answer 200 with the body null. JSON answers are compact, with
// Content-Type "application/json; charset=utf-8". Every answer, errors and
// injected faults included, carries an X-Ovh-Queryid header such as
// "EU.ext-3.6a2b1c.1234.0042" (a seeded host prefix, then a counter).
//
// # Authentication
//
// A signed call carries X-Ovh-Application, X-Ovh-Consumer, X-Ovh-Timestamp
// and X-Ovh-Signature = "$1$" + hex(sha1(AS+"+"+CK+"+"+METHOD+"+"+URL+"+"+
// BODY+"+"+TIMESTAMP)), see Sign. The simulator rebuilds URL from the
// request as received: "http://" (https with TLS) + Host + the request
// target, query included, never re-encoded; BODY is the exact bytes read.
// The comparison is constant-time. The checks run in this order, the first
// failure answering:
//
//  1. none of X-Ovh-Consumer, X-Ovh-Timestamp, X-Ovh-Signature: 401
//     "You must login first" (class Client::Unauthorized, no errorCode),
//     whether or not an application key was sent;
//  2. unknown or missing application key: 403 INVALID_KEY
//     "This application key is invalid";
//  3. unknown consumer key, or one of another application: 403
//     NOT_CREDENTIAL "This credential does not exist";
//  4. wrong signature: 400 INVALID_SIGNATURE "Invalid signature";
//  5. timestamp not a number or more than Config.TimeWindow (default five
//     minutes) from the server clock: 400 QUERY_TIME_OUT "Query out of
//     time". OVH documents neither the tolerance nor this error; the code
//     and message are unverified guesses;
//  6. the key's allowed IPs (if it asked for some) do not contain the
//     caller: 403 INVALID_CREDENTIAL "This credential is not valid from
//     this IP address" (our wording);
//  7. the key's rate budget (see below): 429;
//  8. key pending, refused or expired: 403 INVALID_CREDENTIAL "This
//     credential is not valid";
//  9. no rule covers the method and path: 403 NOT_GRANTED_CALL "This call
//     has not been granted".
//
// Routing comes before authentication: an unknown path is a 404 and a
// known path with another method a 405 (with Allow) whatever the headers.
//
// Rules match the method exactly and the path without the /1.0 or /v1
// prefix and without the query. A rule path is matched whole; * stands for
// any run of characters, slashes included, so "/*" grants everything,
// "/me" does not cover "/me/bill" and "/me/*" does not cover "/me".
//
// Choices where OVH is silent or unclear:
//
//   - GET /auth/currentCredential needs a valid signature only: any state,
//     no rule. A pending key can so poll itself while the user validates
//     it; refused and expired keys see their status.
//   - POST /auth/logout needs a validated key but no rule: a key may
//     always revoke itself. The status enum has no "revoked", so the key
//     becomes "expired" (later calls: INVALID_CREDENTIAL).
//   - POST /auth/credential needs at least one rule, methods among GET,
//     POST, PUT, DELETE and paths starting with "/"; redirection may be
//     null (python-ovh sends null); allowedIPs are addresses or CIDR
//     blocks. Signing headers on it, and on /auth/time, are ignored.
//   - The validation page stands for the user's login and click: it
//     validates a pending key at once with the rules it asked for and no
//     expiry, then redirects (302) to the key's redirection or answers a
//     small HTML page. A validated key's page answers again; a refused or
//     expired key's is a 403 page; an unknown token a 404 page.
//   - Config.ValidateAfter makes pending keys validate themselves after a
//     delay on the server clock, as if the user had clicked.
//
// The test hooks NewConsumerKey, ValidateConsumerKey, RefuseConsumerKey,
// ExpireConsumerKey, SetRules and ConsumerKeyState manage keys directly.
//
// # Errors
//
// Error bodies are the union of OVH's two shapes, so that go-ovh (class,
// message) and python-ovh (errorCode) both classify them:
//
//	{"class":"Client::Forbidden","message":"This call has not been granted","errorCode":"NOT_GRANTED_CALL","httpCode":"403 Forbidden"}
//
// errorCode appears only for the authentication errors above. The class
// follows the status: Client::BadRequest (400), Client::Unauthorized,
// Client::Forbidden, Client::NotFound, Client::MethodNotAllowed,
// Client::Conflict, Client::TooManyRequests, Server::InternalServerError,
// Server::ServiceUnavailable. Messages: "Got an invalid (or empty) URL" for
// an unknown path, "This service does not exist" for a missing server,
// project, domain or zone, "The requested object (id = N) does not exist"
// for a missing bill, instance or record. Bodies are checked: members that
// may not be sent are refused with "Received not described parameters:
// (a, b)", wrong types with "[key] Given data (v) is not valid for type
// T", values outside an enum with "... does not belong to the E
// enumeration", in the style of OVH's messages.
//
// # Data
//
// Everything is seeded from Config.Seed: same seed, same data and keys.
// Seeded dates are anchored before 2026-01-01, not at start time; billing
// and domain dates are written with a fixed +01:00 offset (Paris, without
// summer time), cloud dates in UTC.
//
//   - /me: a French corporation account, nichandle like "ab12345-ovh".
//   - Bills: ids like "FR40123456", in date order, monthly up to 36 bills
//     and closer together beyond; priceInUcents is value × 10^8; tax is
//     20%. date.from and date.to are inclusive and take RFC 3339 or a day.
//   - Dedicated servers: names like "ns3001234.ip-51-68-10.eu" (the main
//     address inside the name; .net in Canada and Asia-Pacific, .us in the
//     US) in ascending order; datacenters cycle through rbx8, gra3, sbg1,
//     bhs6, waw1, gra2, rbx7, sbg5, lim3, vin1, hil1, sgp1, syd1. Every
//     tenth is powered off, every 25th in state "error"; burst is inactive
//     on every seventh from the fourth and locked (inactiveLocked, cannot
//     change) on every seventh from the seventh. PUT of the burst accepts
//     and ignores capacity.
//   - Projects: 32-hex ids; instances in the regions GRA11, SBG5, BHS5,
//     DE1, UK1, WAW1 in turn, every fourth SHUTOFF, every third billed
//     monthly.
//   - Zones: each zone is also a domain; records are the two OVH name
//     servers, the apex A, www CNAME, MX and SPF TXT, then alternating A
//     and AAAA hosts. Record ids are numbers above 5e9, ascending.
//
// Each object's JSON is encoded once and cached until it changes, so
// thousands of servers or bills list in milliseconds.
//
// # Instances and records
//
// A created instance is BUILD, without addresses, for one second of the
// server clock, then ACTIVE with a public IPv4 and IPv6 (on the next read
// after that second). reboot ({"type":"soft"|"hard"}) shows REBOOT or
// HARD_REBOOT for one second; stop and start act at once; any action on a
// building instance is a 409. A delete removes the instance at once. A
// flavor id from another region means that flavor in the asked region; no
// imageId means Debian 12.
//
// Records: fieldType is immutable (a PUT with another one is a 400, the
// same one is accepted); subDomain is stored lower-case; A and AAAA
// targets must be addresses of their family; ?subDomain= with an empty
// value selects the apex. Changes are visible at once; POST .../refresh
// is counted (ZoneRefreshes) and updates the zone's lastUpdate.
//
// # Bulk pages
//
// OVH's own control panel reads the 1.0 API in pages of objects with the
// undocumented header X-Pagination-Mode: CachedObjectList-Pages. The
// simulator honours it on every id-list route (and on the instance list):
// the answer is the objects of page X-Pagination-Number (1-based, default
// 1) of X-Pagination-Size objects (default 1000, no maximum), in id-list
// order, with X-Pagination-Elements (the total after filters) and the
// number and size echoed. A page past the end is []. Invalid numbers are a
// 400. Other modes and the sort and filter headers are ignored.
// Config.NoBulk or SetBulk(false) ignore the headers entirely.
//
// # Time
//
// The server clock is the wall clock plus the offsets given to SkewClock:
// it cannot stand still, because real clients sign with their own clock.
// SkewClock simulates a clock step on OVH's side: clients that cached their
// time delta (go-ovh and python-ovh never refresh it) fall out of the
// window, and everything timed on the server clock (builds, reboots, the
// rate limit, ValidateAfter) jumps with it.
//
// # Rate limit
//
// OVH documents no limit; the only public word is that staying under 60
// requests a minute per consumer key "should be ok", and users do not see
// refusals at that rate. The simulator keeps a token bucket per key:
// Config.RateLimit tokens (default DefaultRateLimit, 6000: generous, so a
// loop over every server of an account is never refused; StrictRateLimit,
// 60, for tests of pacing), refilled continuously at that many per minute
// of the server clock. Only calls that passed steps 1 to 6
// above spend a token (a key's budget cannot be burnt by forged calls),
// unauthenticated routes never do, and neither do injected faults. Over
// budget: 429 Client::TooManyRequests, "Too many requests, please retry
// later", with Retry-After in whole seconds until the next token. A
// negative limit disables it; benchmarks should.
//
// # Faults
//
// InjectNext queues faults for the next requests; SetFaultRate faults
// requests at random (seeded); SetLatency delays every answer. Fault429,
// Fault500, Fault503HTML and FaultMalformed answer instead of the API;
// FaultReset closes the connection before the request is handled,
// FaultResetAfter after (its effects happen), FaultTruncated sends half the
// body. Go's http.Transport silently retries an idempotent request once
// when a reused keep-alive connection is closed before the answer, so
// FaultReset on a GET may be invisible to a client; the counters still show
// both attempts. On a ResponseWriter that cannot be hijacked (NewHandler
// mounted elsewhere) the resets abort the handler with http.ErrAbortHandler.
// The Fault type is shared with digitaloceantest and enstratustest; a kind
// this simulator does not define (digitaloceantest.Fault502HTML) is no
// fault here.
//
// Requests counts every request that reached the handler, faulted ones
// included; RequestsTo matches paths without their /1.0 or /v1 prefix (so
// "/auth/" also counts validation clicks).
//
// # Concurrency
//
// A Server is safe for concurrent use: one mutex guards the simulated
// account, and answers are written after it is released. Latency waits do
// not hold it.
package ovhtest
