// Package rightscaletest is a simulator of the RightScale Cloud Management
// API 1.5 on loopback, for tests and for the sandbox.
//
// Every route and action of the API's metadata is served (the table is
// transport/rightscale.API, generated from the metadata); unknown routes
// get 404. Calls must carry X-Api-Version: 1.5 (X-API-Version and
// X_API_VERSION are accepted; a missing version is refused with 400) and
// a bearer access token minted by POST /api/oauth2 (refresh-token grant,
// form or JSON body; a bad refresh token gets 400 {"error":"invalid_grant"};
// a bad or expired access token 401). X-Account, when sent, must name the
// account. Parameters are merged from the query string, form bodies and
// JSON bodies, with Rails bracket names (a[b], a[], a[][c]).
//
// Answers are shaped like a recording of the real API: media types
// application/vnd.rightscale.<type>+json, with ;type=collection on lists
// (JSON arrays, [] when nothing matches); relative hrefs in links and in
// Location headers; timestamps "2015/04/08 18:46:02 +0000". Creates answer
// 201 with a Location and a one-space body; run_executable 202 with the
// task's Location under the instance; updates, destroys, terminate and
// multi_add 204 with no body. view=instance_detail on servers embeds
// current_instance; view=tiny on instances carries only name, state and
// resource_uid beside links and actions. Filters: == (a case-insensitive
// substring match on the fields the metadata marks partial, exact on the
// others, hrefs included) and <>. Errors are plain text: a missing id
// under a known route is 422 "ResourceNotFound: Couldn't find <Type> with
// ID=<id> ", a validation failure 422, an unknown route 404.
//
// Tasks move from "queued" to "RightScript: '<name>'" at a third of
// TaskDuration and to "completed: <name>" (or "failed: <name>" after
// FailNextTasks) at TaskDuration; launched instances go pending, booting,
// operational over BootDuration; all on the simulator's clock, which is
// manual unless RealTime (Advance moves it).
//
// Choices where the API's documentation is silent (the real API may
// differ): the wording of 400, 401, 403 and validation messages; the
// fields of the tiny view; tasks of multi_* actions live under the first
// instance selected; next instances are not listed in their cloud.
package rightscaletest
