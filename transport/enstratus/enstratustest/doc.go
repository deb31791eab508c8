// Package enstratustest is an in-process simulator of the enStratus (Dell
// Cloud Manager) API 2012-06-15 as the mixcoatl client used it, for testing
// code that talks to enStratus without an account, a network or a daemon.
//
// NewServer starts it on a loopback port. URL() is the endpoint with its
// version, ready for enstratus.Credentials.Endpoint; sign with AccessKey()
// and SecretKey(), and with the simulator's clock:
//
//	srv := enstratustest.NewServer(enstratustest.Config{Servers: 50})
//	defer srv.Close()
//	creds := enstratus.Credentials{AccessKey: enstratus.Secret(srv.AccessKey()),
//		SecretKey: enstratus.Secret(srv.SecretKey()), Endpoint: srv.URL()}
//	signer := enstratus.Signer(creds, srv.Now)
//
// NewHandler builds the same simulator without a listener, to mount as an
// http.Handler at the root of a server.
//
// # Authentication
//
// GET /api/enstratus (the version listing) is unsigned. Every other request
// must carry x-esauth-access, x-esauth-timestamp and x-esauth-signature; the
// simulator recomputes base64(HMAC-SHA256(secret, "access:METHOD:path:ts:UA"))
// from the request's method, escaped path without the query, the timestamp
// header and its own User-Agent header, with the secret stored for the
// access key, and compares in constant time. The accepted keys are those of
// admin/ApiKey whose state is ACTIVE: the three keys of the fixture and the
// simulator's own pair (generated from Config.Seed, or Config.AccessKey and
// Config.SecretKey), which is listed there too. A timestamp further than
// Config.TimeWindow (default 15 minutes) from the simulator's clock is
// refused. The clock is manual by default, starting at 2013-01-01T00:00:00Z:
// a client signing with the wall clock is refused as expired, so sign with
// Server.Now.
//
// # What it serves
//
// Under /api/enstratus/<any YYYY-MM-DD>/, every resource of mixcoatl's
// table, with the collection key and id field given there:
//
//	geography/Cloud          clouds          cloudId         publicOnly, status
//	geography/Region         regions         regionId        jurisdiction (accountId, scope ignored)
//	geography/DataCenter     dataCenters     dataCenterId    regionId (required)
//	geography/Subscription   subscriptions   regionId
//	infrastructure/Server    servers         serverId        regionId; POST launch, PUT operations, DELETE
//	infrastructure/MachineImage  images      machineImageId  regionId (required)
//	infrastructure/ServerProduct serverProducts productId    regionId (required)
//	infrastructure/Volume    volumes         volumeId
//	infrastructure/Snapshot  snapshots       snapshotId
//	network/Firewall         firewalls       firewallId      regionId (required)
//	network/FirewallRule     rules           firewallRuleId  firewallId; POST, DELETE
//	network/LoadBalancer     loadBalancers   loadBalancerId
//	admin/Account            accounts        accountId       cloudId
//	admin/User               users           userId
//	admin/Job                jobs            jobId
//	admin/ApiKey             apiKeys         accessKey
//	admin/BillingCode        billingCodes    billingCodeId
//	admin/Group              groups          groupId
//	admin/Role               roles           roleId
//
// Every GET answers {"<collectionKey>":[...]}, one object included
// (GET geography/Cloud/1 is {"clouds":[{...}]}); HEAD is a GET without the
// body. A list is the whole collection in one answer, ordered by id: the
// API has no pagination parameters or links in any source, so there is none
// here either (Config{Servers: 200} lists 200 servers in one request).
// Unknown query parameters are ignored.
//
// # Detail levels
//
// x-es-details: basic writes every reference to another object as its id
// object ({"cloudId":1}, or an array of them); extended (the default when
// the header is absent) replaces each reference by the object it names, in
// basic detail, which reproduces the extended fixtures (server.json,
// snapshot.json) field for field; none leaves references out and keeps the
// object's own fields. The reference fields are cloud, region, dataCenter,
// customer, machineImage, owningUser, user, owner, owningAccount, account,
// owningGroups, groups, firewalls, firewall, product, billingCodes, server,
// volume and vlan. Any other value of the header is a 400.
//
// # Data
//
// The data are the JSON answers shipped with mixcoatl's tests, copied
// unchanged into fixtures/: subscription.json, server.json, snapshot.json,
// volume.json, load_balancer.json, apikey.json, billing_code.json,
// group.json, job.json, role.json and user.json. The objects nested in
// extended fixtures become objects of their own kind (the clouds, regions,
// data centers, machine images, server products, firewalls, accounts, users,
// groups and customers they show); where one object appears several times
// with different fields, the appearance with the most fields wins, the
// first on a tie. Objects keep exactly the fields of their fixture.
//
// mixcoatl's test data (its tests/data/*.py, as JSON, copied unchanged
// into fixtures/mixcoatl-*.json) give the geography and catalogue: its 29
// clouds (21 is "Eucalyptus Partner Cloud", public and ACTIVE; 2, 3, 30 and
// 31 are INACTIVE; none is private), its eight AWS regions (19340 Ireland,
// 19341 Japan, 19342 N. California, 19343 N. Virginia, 19344 Oregon, 19345
// Sao Paulo, 19346 Singapore, 19556 Sydney), the Oregon data centers
// 64351-64353, its firewalls and rules, its three images, its 26 Oregon
// server products and its three jobs. They are loaded after the answers
// above, so that where an object appears in both with as many fields (a
// region nested in server.json, customer 12345, and the same region in
// mixcoatl's region list, customer 11111) the answer's appearance wins and
// an extended answer reproduces its fixture.
//
// fixtures/stratus-seed.json is ours, for what both lack: data centers
// 64346 us-west-1a (volumes refer to it) and 64340 eu-west-1a, and six
// firewall rules (500001-500006). Their values are plausible, not real.
//
// Config.Servers servers exist: the fixture's twelve in order, then
// servers modelled on them (same fields; new id from 340012, name
// sim-server-NNNN, provider id, start date and addresses from Config.Seed).
// There are 10 by default. Generated addresses are in 203.0.113.0/24 and
// 10.0.0.0/8.
//
// # Writes and jobs
//
// POST infrastructure/Server with {"launch":[{...}]} needs name,
// description, machineImage:{machineImageId}, dataCenter:{dataCenterId}
// and a product, given as the v0.2.6 "productId" (a provider product such
// as "m1.large", or a product id) or the 2015 "product":{"productId":...};
// firewalls, label and budget are optional. A missing field is a 400 naming
// them all; an unknown image, data center, product or firewall, an image or
// product of another region, also 400. Each entry creates a PENDING server
// and a job, and the answer is 202 {"jobs":[{"jobId":N,"status":"RUNNING"}]}.
//
// Jobs (admin/Job, with the fields of job.json; endDate is null while
// RUNNING) stay RUNNING for Config.JobDuration (default 10 s) of the clock;
// Advance or CompleteJobs ends them. A launch job ends COMPLETE with the new
// server id as its message, the server then RUNNING with addresses.
// FailNextJobs makes jobs end ERROR with a message and without effect; a
// failed launch leaves its server TERMINATED.
//
// PUT infrastructure/Server/<id> takes one operation: {"pause":[{...}]} and
// {"stop":[{}]} from RUNNING, {"start":[{}]} from PAUSED or STOPPED, each
// 202 and a job after which the status is PAUSED, STOPPED or RUNNING (a
// server that is not running has no addresses, like the paused fixture
// servers); {"describeServer":[{"name","description","label"}]} is applied
// at once, 204. Any other operation is a 400.
//
// DELETE infrastructure/Server/<id>?reason=... is 202 and a job after which
// the server is TERMINATED; it stays listed and readable. Without a reason,
// 400.
//
// POST network/FirewallRule takes {"addRule":[{...}]} or one bare rule:
// firewallId (or firewall:{firewallId}), direction INGRESS or EGRESS,
// networkAddress (a CIDR), protocol TCP, UDP or ICMP, and startPort and
// endPort for TCP and UDP (ICMP rules store -1). The answer is 201 with the
// new rules in {"rules":[...]}. DELETE network/FirewallRule/<id>?reason=...
// is 204; without a reason, 400.
//
// # Errors
//
// Error bodies are {"error":{"message":"..."}}, Content-Type
// application/json. The sources document that shape, the 404 message
// "No such job ID: 5" and the message "Invalid access keys", and name the
// failure codes 400, 403, 404, 409, 500, 501 and 503; which code goes with
// which failure is otherwise inferred:
//
//   - 403 "Invalid access keys": an authentication header is missing or the
//     access key is unknown;
//   - 403 "Invalid signature": the signature does not match (a different
//     User-Agent, path or method is enough) or the timestamp is not a number;
//   - 403 "Request has expired": the timestamp is outside the window (checked
//     after the signature);
//   - 404 "No such <kind> ID: <id>" for a missing object ("No such data
//     center ID: 5"); 404 for an unknown path or a version that is not a date;
//   - 400 for a missing or malformed required parameter ("Missing required
//     parameter: regionId"), a bad body, a missing reason;
//   - 405 with Allow for a method a path does not take;
//   - 409 for an operation on a TERMINATED server, on a server with a job in
//     progress, or from the wrong status.
//
// The version listing is {"current":{"versionId":"2012-06-15"},
// "supported":[...]} with only versionId in each entry (the real listing
// carries more, unknown, fields). Requests asking for XML still get JSON.
//
// # Faults, latency and counters
//
// InjectNext queues faults for the next requests; SetFaultRate faults
// requests at random (seeded by Config.Seed); SetLatency delays every answer
// (wall time; a client that gives up gets nothing). Fault429 carries
// Retry-After: 1; Fault503HTML is an HTML page as a proxy would send.
// Faults that answer in place of the API come before the signature check.
// The Fault type is shared with digitaloceantest and ovhtest; a kind this
// simulator does not define (digitaloceantest.Fault502HTML) is no fault
// here.
// Go's http.Transport silently retries an idempotent request once when a
// reused keep-alive connection is closed before the answer, so FaultReset on
// a GET may be invisible to a client; the counters show both attempts.
// Requests and RequestsTo count every request that reached the handler;
// RequestsTo takes a path relative to the version ("infrastructure/Server").
//
// # Concurrency
//
// A Server is safe for concurrent use: one mutex guards the simulated cloud,
// and replies are written after it is released. Latency waits do not hold
// it.
package enstratustest
