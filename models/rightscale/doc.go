// Package rightscale is the native model of the RightScale Cloud
// Management API 1.5, python-rightscale's object interface in Go.
//
// Hrefs are identity: Server(c, "/api/servers/20") (or Server(c, "20") for
// a kind shown at the top level) is a lazy handle that sends nothing;
// links are lazy handles and collections (server.CurrentInstance(),
// cloud.Instances()); Actions says what the API allows now. Lists are
// Lists: filters (Eq, Ne, Where), views (View; tiny items are partial and
// load in full when a missing field is read) and FindByName. Every
// resource's own actions are methods (server.Launch, instance.RunExecutable,
// TagsByTag, ...). ListInstances and RunScriptOnServer are
// python-rightscale's convenience commands.
//
// The kinds, getters, link handles and actions are generated from the
// API's metadata (zz_generated.go, by internal/gen; run go generate here);
// a test fails when the generated code is stale.
package rightscale

//go:generate go run ./internal/gen
