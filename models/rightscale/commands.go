package rightscale

import (
	"context"
	"fmt"
	"sort"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/rightscale"
)

// ListInstances returns the operational instances of the cloud named
// cloudName (exactly), only those of the deployment named deploymentName
// when it is not "", in the given view ("" for the default; python-
// rightscale's default is "tiny", whose items are partial). It is
// python-rightscale's list_instances: one request for the cloud, one for
// the deployment if named, one for the instances.
func ListInstances(ctx context.Context, c *stratus.Client, cloudName, deploymentName, view string) ([]*InstanceHandle, error) {
	cloud, err := Clouds(c).FindByName(ctx, cloudName)
	if err != nil {
		return nil, err
	}
	list := cloud.Instances().Eq("state", "operational")
	if deploymentName != "" {
		dep, err := Deployments(c).FindByName(ctx, deploymentName)
		if err != nil {
			return nil, err
		}
		list = list.Eq("deployment_href", dep.Href())
	}
	if view != "" {
		list = list.View(view)
	}
	return list.Collect(ctx)
}

// RunScriptOnServer runs the RightScript named scriptName on the current
// instance of the server named serverName, with inputs (name to value;
// a value without a type prefix is sent as text:<value>), and returns the
// task to follow: its Wait follows the summary to "completed: <name>". It
// is python-rightscale's run_script_on_server, waiting left to the
// caller. A server that is not running is an error matching ErrConflict.
func RunScriptOnServer(ctx context.Context, c *stratus.Client, scriptName, serverName string, inputs map[string]string) (*TaskHandle, error) {
	script, err := RightScripts(c).FindByName(ctx, scriptName)
	if err != nil {
		return nil, err
	}
	server, err := Servers(c).FindByName(ctx, serverName)
	if err != nil {
		return nil, err
	}
	href := server.Link("current_instance")
	if href == "" {
		if err := server.LastError(); err != nil {
			return nil, err
		}
		return nil, &stratus.Error{Provider: wire.Name, Op: "run_executable", Message: fmt.Sprintf("server %q is not running (no current instance)", serverName), Kind: stratus.ErrConflict}
	}
	res, err := Instance(c, href).RunExecutable(ctx, ScriptParams(script.Href(), inputs))
	if err != nil {
		return nil, err
	}
	if res.Task() == nil {
		return nil, &stratus.Error{Provider: wire.Name, Op: "POST " + href + "/run_executable", Status: res.Status, Message: "the answer names no task", Kind: stratus.ErrMalformed}
	}
	return res.Task(), nil
}

// ScriptParams are run_executable's parameters for a RightScript with
// 2.0-style inputs: right_script_href and inputs[NAME]=text:value (values
// that already carry a type, "cred:NAME", "env:...", "ignore:$ignore",
// are sent as they are).
func ScriptParams(scriptHref string, inputs map[string]string) Params {
	p := Params{"right_script_href": {scriptHref}}
	names := make([]string, 0, len(inputs))
	for n := range inputs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p.Set("inputs["+n+"]", InputValue(inputs[n]))
	}
	return p
}

// InputValue types an input value: text:<v> unless v already starts with
// text:, cred:, env:, ignore: or array:.
func InputValue(v string) string {
	for _, p := range []string{"text:", "cred:", "env:", "ignore:", "array:"} {
		if len(v) >= len(p) && v[:len(p)] == p {
			return v
		}
	}
	return "text:" + v
}

// Root is the session resource (GET /api/sessions): its links name the
// top-level collections, as python-rightscale discovers them.
func Root(c *stratus.Client) *SessionHandle { return Session(c, "/api/sessions") }

// SessionAccounts lists the accounts the session may act on (GET
// /api/sessions/accounts), python-rightscale's get_accounts.
func SessionAccounts(c *stratus.Client) *List[*AccountHandle] {
	return AccountsAt(c, "/api/sessions/accounts")
}

// ResourcesByTag returns the hrefs of the resources of resourceType
// ("servers", "instances", ...) that carry the tags (any of them, or all
// with matchAll), through tags/by_tag.
func ResourcesByTag(ctx context.Context, c *stratus.Client, resourceType string, matchAll bool, tags ...string) ([]string, error) {
	p := Params{"resource_type": {resourceType}, "tags[]": tags}
	if matchAll {
		p.Set("match_all", "true")
	}
	res, err := TagsByTag(ctx, c, p)
	if err != nil {
		return nil, err
	}
	var hrefs []string
	for _, e := range res.Body.Array() {
		for _, l := range e.Get("links").Array() {
			if l.Get("rel").String() == "resource" {
				hrefs = append(hrefs, l.Get("href").String())
			}
		}
	}
	return hrefs, nil
}

// ServersByTag returns the servers that carry the tags.
func ServersByTag(ctx context.Context, c *stratus.Client, matchAll bool, tags ...string) ([]*ServerHandle, error) {
	hrefs, err := ResourcesByTag(ctx, c, "servers", matchAll, tags...)
	if err != nil {
		return nil, err
	}
	out := make([]*ServerHandle, 0, len(hrefs))
	for _, h := range hrefs {
		out = append(out, Server(c, h))
	}
	return out, nil
}

// Tags returns the tags of the resources at hrefs (tags/by_resource),
// href to tag names.
func Tags(ctx context.Context, c *stratus.Client, hrefs ...string) (map[string][]string, error) {
	res, err := TagsByResource(ctx, c, Params{"resource_hrefs[]": hrefs})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, e := range res.Body.Array() {
		href := e.Get(`links.#(rel=="resource").href`).String()
		var names []string
		for _, t := range e.Get("tags").Array() {
			names = append(names, t.Get("name").String())
		}
		out[href] = names
	}
	return out, nil
}

// AddTags tags resources (tags/multi_add, 204).
func AddTags(ctx context.Context, c *stratus.Client, hrefs []string, tags ...string) error {
	_, err := TagsMultiAdd(ctx, c, Params{"resource_hrefs[]": hrefs, "tags[]": tags})
	return err
}

// RemoveTags untags resources (tags/multi_delete, 204).
func RemoveTags(ctx context.Context, c *stratus.Client, hrefs []string, tags ...string) error {
	_, err := TagsMultiDelete(ctx, c, Params{"resource_hrefs[]": hrefs, "tags[]": tags})
	return err
}
