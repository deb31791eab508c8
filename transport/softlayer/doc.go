// Package softlayer is the wire layer of the SoftLayer (IBM Cloud classic
// infrastructure) API, v3 and v3.1: its endpoints, the ~/.softlayer and
// SL_* configuration, HTTP Basic authentication for REST, the XML-RPC
// codec (the call with its headers struct, the response and its fault),
// the REST URL grammar, object masks, error bodies and faults, and the
// resultLimit pager that reads SoftLayer-Total-Items.
//
// One model speaks to both transports. Requests are always built in the
// REST grammar ({base}/{Service}[/{id}][/{method}].json with objectMask,
// objectFilter and resultLimit in the query and {"parameters":[...]} as
// the body). Against a REST endpoint they are sent as they are; against
// an XML-RPC endpoint, XMLRPC (an http.RoundTripper at the bottom of the
// chain) rewrites each one into a methodCall and turns the answer into
// JSON once, on arrival: a <fault> becomes the REST error body with the
// status the REST endpoint would have given, so that errors, retries and
// the cache work the same way for both.
//
// Everything here is safe for concurrent use. The codec functions are
// pure and bounded: no input makes them panic (they are fuzzed).
package softlayer
