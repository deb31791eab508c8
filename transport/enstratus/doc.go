// Package enstratus holds the wire facts of the enStratus (later Dell Cloud
// Manager) API, version 2012-06-15, as the mixcoatl client used it: the
// endpoint grammar, the environment variables, request signing, the error
// body and the job ids of asynchronous answers. It knows nothing of the
// object model.
//
// # Endpoint
//
// A version is mounted at https://<host>/api/enstratus/<YYYY-MM-DD>, and a
// resource is <scope>/<Resource>[/<id>] below it: geography/Cloud/1,
// infrastructure/Server, admin/Job/76115. Credentials.Endpoint is that base
// URL, version included, so a transport.Client built on it takes request
// paths relative to the version ("geography/Cloud/1"). GET /api/enstratus,
// unsigned, lists the versions a server supports.
//
// # Signing
//
// Every call carries x-esauth-access (the access key), x-esauth-timestamp
// (milliseconds since the epoch) and x-esauth-signature, the standard
// base64 of HMAC-SHA256 keyed with the secret over
//
//	access:METHOD:/api/enstratus/<version>/<path>:timestamp:user-agent
//
// The path is the escaped request path without the query (query and body
// are not signed); the user agent is the User-Agent header of the request,
// so the agent sent and the agent signed must be the same string. [Signer]
// signs the request exactly as it will be sent: it reads the path from the
// URL and the User-Agent from the header (setting DefaultUserAgent when
// there is none), and it signs each attempt afresh, so retried requests
// carry a fresh timestamp. Against a simulator with a manual clock, pass the
// simulator's Now as the Signer's clock.
//
// # Details
//
// The x-es-details header ([HeaderDetails]) selects basic, extended or none;
// it is a per-request choice and the Signer does not set it.
//
// # Answers
//
// Every GET answers {"<collectionKey>":[...]}, even for one object. There is
// no pagination in this API: a list is one answer and there is no page, limit
// or offset parameter or link in any source, so the pager for every list is
// transport.SinglePage. Writes answer 201 with the object, 204 with no
// body, or 202 with {"jobs":[{"jobId":N,"status":"RUNNING"}]} ([Jobs] reads
// the ids); a job is then polled at admin/Job/<id> until COMPLETE or ERROR,
// and a launch's job carries the new server id in its message.
//
// # Errors
//
// Error bodies are {"error":{"message":"..."}} with 400, 403, 404, 409, 500,
// 501 or 503. [DecodeError] reads the message; the API has no error codes.
// The sources do not document the status of an authentication failure;
// mixcoatl only shows 403 among its failure codes, so a 403 whose message
// speaks of keys, signature or an expired timestamp is reported as
// transport.ErrUnauthorized, and any other 403 as transport.ErrForbidden.
//
// # Configuration
//
// [LoadEnv] reads DCM_* then ES_* variables (access key, secret key, API
// version, endpoint). Choices where mixcoatl gave no guidance or where
// stratus differs:
//
//   - An empty variable counts as unset (mixcoatl tested presence only).
//   - ES_API_VERSION must look like YYYY-MM-DD (mixcoatl accepted anything).
//   - ES_ENDPOINT must be an absolute http or https URL; trailing slashes are
//     removed (mixcoatl would then have read an empty version).
//   - A missing key is reported with its ES_* name and the DCM_* twin.
//   - Credentials never read the environment on their own; LoadEnv is the
//     only place.
//
// The secret key is a [Secret]: it never prints, logs or marshals.
package enstratus
