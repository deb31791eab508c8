package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/stratus-cloud/stratus"
)

// extension is what the REPL knows about one provider beyond the
// registry: its actions (do), its waiters (wait), the columns of its
// lists (ls). Each provider has one small table; a provider without one
// still gets every generic command. The paths of kinds nested under
// another object come from the registry (Kind.Under).
type extension struct {
	actions []actionSpec
	waiters map[string]waiter   // by kind name
	columns map[string][]column // by kind name
	// routes are the paths of nested kinds whose registry entry has no
	// Kind.Under (placeholders named by the KEY=VALUE that fills them);
	// Kind.Under, where declared, wins.
	routes map[string]route
}

// route is a nested kind's list and item paths.
type route struct {
	list, item string
}

// extensions holds the table of each provider, by registry name. Each
// provider's file of this package adds its own from init (addExtension);
// providers come from the registry, through the sandbox package that
// imports them all.
var extensions = map[string]*extension{}

// addExtension adds the table of a provider; a second one panics.
func addExtension(provider string, e *extension) {
	if _, dup := extensions[provider]; dup {
		panic("repl: two extensions for " + provider)
	}
	extensions[provider] = e
}

// actionSpec is one action of the do command.
type actionSpec struct {
	name    string // "power_off"
	kind    string // the kind acted on: "droplet"
	args    string // usage of the arguments after the id: "NAME"
	help    string
	minArgs int
	maxArgs int
	run     func(ctx context.Context, c *stratus.Client, id string, args []string) ([]started, error)
}

// started describes an action the API accepted.
type started struct {
	id, typ, status string
	kind, target    string // what it acts on
}

// waiter waits for an object of one kind to reach a state.
type waiter struct {
	states []string // the states one may wait for; the first is the default
	wait   func(ctx context.Context, c *stratus.Client, id, state string, o stratus.WaitOptions) (string, error)
	// many waits for several objects at once (wait KIND ID,ID,...), tag
	// for those carrying a tag (wait KIND tag=TAG), returning how many;
	// nil where the kind has no such waiter.
	many func(ctx context.Context, c *stratus.Client, ids []string, state string, o stratus.WaitOptions) error
	tag  func(ctx context.Context, c *stratus.Client, tag, state string, o stratus.WaitOptions) (int, error)
}

// column is one column of an ls table: a header and a gjson path.
type column struct {
	header, path string
}

// action finds an action by name for a kind; "-" may stand for "_".
func (e *extension) action(name, kind string) *actionSpec {
	name = strings.ReplaceAll(strings.ToLower(name), "-", "_")
	for i := range e.actions {
		if e.actions[i].name == name && e.actions[i].kind == kind {
			return &e.actions[i]
		}
	}
	return nil
}

// actionNames lists the action names, for a kind or ("") for all, sorted
// and without duplicates.
func (e *extension) actionNames(kind string) []string {
	var names []string
	for _, a := range e.actions {
		if kind == "" || a.kind == kind {
			names = append(names, a.name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// listPath and itemPath return a kind's paths, from the registry: a
// nested kind's (Kind.Under) with its parent's argument named.
func (e *extension) listPath(k *stratus.Kind) string {
	if k.Under != nil {
		return nestedPath(k.Under, k.Under.ListPath)
	}
	if r, ok := e.routes[k.Name]; ok {
		return r.list
	}
	return k.ListPath
}

func (e *extension) itemPath(k *stratus.Kind) string {
	if k.Under != nil {
		return nestedPath(k.Under, k.Under.ItemPath)
	}
	if r, ok := e.routes[k.Name]; ok {
		return r.item
	}
	return k.ItemPath
}

// nestedPath turns a nested kind's path from the registry into one whose
// placeholder names the argument that fills it: "{parent}" becomes
// "{zone}" for zone=example.com.
func nestedPath(n *stratus.Nesting, path string) string {
	param := n.Param
	if param == "" {
		param = n.Parent
	}
	return strings.ReplaceAll(path, "{parent}", "{"+param+"}")
}

// needsID reports whether an object of the kind is named by an id (the
// account is not).
func (e *extension) needsID(k *stratus.Kind) bool {
	item := e.itemPath(k)
	return strings.Contains(item, "{id}") || (item == "" && e.listPath(k) != "")
}

// fillPath replaces the {name} placeholders of path, other than {id}, by
// the values of params, which it removes from params; every value is
// escaped. A missing one is an error that says which argument to give.
func fillPath(path string, params map[string]string) (string, error) {
	var b strings.Builder
	rest := path
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		name := rest[i+1 : i+j]
		b.WriteString(rest[:i])
		if name == "id" {
			b.WriteString("{id}")
		} else {
			v, ok := params[name]
			if !ok || v == "" {
				return "", fmt.Errorf("give %s=VALUE (the path is %s)", name, path)
			}
			delete(params, name)
			b.WriteString(url.PathEscape(v))
		}
		rest = rest[i+j+1:]
	}
}

// pollState is the generic waiter: it reloads the object until its
// "status" field reads state.
func pollState(ctx context.Context, r *stratus.Resource, state string, o stratus.WaitOptions) (string, error) {
	var last string
	err := stratus.Poll(ctx, r.Client(), o, func(ctx context.Context) (bool, stratus.WaitProgress, error) {
		if err := r.Reload(ctx); err != nil {
			return false, stratus.WaitProgress{}, err
		}
		last = r.GetString("status")
		done := last == state
		p := stratus.WaitProgress{Total: 1, State: last}
		if done {
			p.Done = 1
		}
		return done, p, nil
	})
	return last, err
}
