package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/rawcall"
)

// command is one REPL command. args are the words after the name; rest
// is the same text unsplit (raw keeps its JSON as typed).
type command struct {
	name    string
	aliases []string
	usage   string
	help    string
	quit    bool
	run     func(s *session, ctx context.Context, args []string, rest string) error
}

// commands is the command table; help prints it in this order.
var commands []command

func init() {
	commands = []command{
		{name: "help", aliases: []string{"?"}, usage: "help [COMMAND]", help: "list the commands, or explain one", run: (*session).cmdHelp},
		{name: "providers", usage: "providers", help: "list the providers and where each one points", run: (*session).cmdProviders},
		{name: "use", usage: "use PROVIDER", help: "work with PROVIDER", run: (*session).cmdUse},
		{name: "kinds", usage: "kinds", help: "list the kinds of the provider in use, with their fields", run: (*session).cmdKinds},
		{name: "fields", usage: "fields KIND", help: "list the documented fields of a kind", run: (*session).cmdFields},
		{name: "ls", aliases: []string{"list"}, usage: "ls KIND [FILTER=VALUE ...] [limit=N]",
			help: "list objects as a table (limit=0: all; nested kinds take their parent, e.g. ls domain_records domain=example.com)", run: (*session).cmdLs},
		{name: "show", usage: "show KIND [ID] [PARENT=VALUE]", help: "print an object as JSON, secrets redacted", run: (*session).cmdShow},
		{name: "get", usage: "get KIND [ID] FIELD", help: "print one field of an object (a gjson path: networks.v4.0.ip_address)", run: (*session).cmdGet},
		{name: "do", usage: "do ACTION KIND ID [ARGS]", help: "run an action (do alone lists them) and print the action id", run: (*session).cmdDo},
		{name: "wait", usage: "wait KIND ID[,ID...] [STATE] [timeout=DURATION] | wait KIND tag=TAG [STATE]",
			help: "wait for objects to reach a state, printing progress (wait droplet 123 off; wait action 456,457; wait droplet tag=web active)", run: (*session).cmdWait},
		{name: "raw", usage: "raw METHOD PATH [JSON]", help: "send a raw request and print the JSON answer (JSON: query of a GET, body of a POST)", run: (*session).cmdRaw},
		{name: "lasterror", usage: "lasterror", help: "describe the last error in full", run: (*session).cmdLastError},
		{name: "ratelimit", usage: "ratelimit", help: "show the rate limit, the last response and the last list metadata", run: (*session).cmdRateLimit},
		{name: "cache", usage: "cache [flush]", help: "show the cache's size, hits, misses and evictions, or empty it", run: (*session).cmdCache},
		{name: "quit", aliases: []string{"exit"}, usage: "quit", help: "leave", quit: true, run: func(*session, context.Context, []string, string) error { return nil }},
	}
}

func lookupCommand(name string) *command {
	name = strings.ToLower(name)
	for i := range commands {
		if commands[i].name == name || slices.Contains(commands[i].aliases, name) {
			return &commands[i]
		}
	}
	return nil
}

func usageError(cmd string) error {
	return fmt.Errorf("usage: %s", lookupCommand(cmd).usage)
}

// unexpected is the usage error of a word a command does not take.
func unexpected(cmd, word string) error {
	return fmt.Errorf("%s: unexpected word %q (usage: %s)", cmd, word, lookupCommand(cmd).usage)
}

func (s *session) table() *tabwriter.Writer {
	return tabwriter.NewWriter(s.out, 0, 0, 2, ' ', 0)
}

func (s *session) cmdHelp(_ context.Context, args []string, _ string) error {
	if len(args) > 0 {
		cmd := lookupCommand(args[0])
		if cmd == nil {
			return fmt.Errorf("unknown command %q", args[0])
		}
		fmt.Fprintf(s.out, "%s\n    %s\n", cmd.usage, cmd.help)
		if len(cmd.aliases) > 0 {
			fmt.Fprintf(s.out, "    also: %s\n", strings.Join(cmd.aliases, ", "))
		}
		return nil
	}
	tw := s.table()
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.usage, c.help)
	}
	tw.Flush()
	fmt.Fprintln(s.out, "IDs, filters and fields are the provider's own; kinds, fields and states match in any case.")
	fmt.Fprintln(s.out, "A # at the start of a word begins a comment. Tab completes and lists the candidates.")
	fmt.Fprintln(s.out, "Data goes to stdout, messages and errors to stderr; -o json|csv, -columns and -no-header shape ls.")
	return nil
}

func (s *session) printProviders(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, name := range stratus.Providers() {
		mark := " "
		if name == s.current {
			mark = "*"
		}
		if ep, ok := s.endpoints[name]; ok {
			where := "environment"
			if ep.simulated {
				where = "simulator"
			}
			fmt.Fprintf(tw, "%s %s\t%s\t%s\t%d kinds\n", mark, name, where, ep.client.BaseURL(), len(ep.client.Provider().Kinds))
		} else {
			fmt.Fprintf(tw, "%s %s\tunavailable\t%s\t\n", mark, name, s.unavailable[name])
		}
	}
	tw.Flush()
}

func (s *session) cmdProviders(context.Context, []string, string) error {
	s.printProviders(s.out)
	return nil
}

func (s *session) cmdUse(_ context.Context, args []string, _ string) error {
	if len(args) != 1 {
		if s.current != "" && len(args) == 0 {
			fmt.Fprintf(s.errw, "using %s\n", s.current)
			return nil
		}
		if len(args) > 1 {
			return unexpected("use", args[1])
		}
		return usageError("use")
	}
	name := strings.ToLower(args[0])
	ep, ok := s.endpoints[name]
	if !ok {
		if why, known := s.unavailable[name]; known {
			return fmt.Errorf("%s is unavailable: %s", name, why)
		}
		return fmt.Errorf("unknown provider %q%s", args[0], didYouMean(name, stratus.Providers(), "have "+strings.Join(stratus.Providers(), ", ")))
	}
	s.current = name
	where := "the real API at"
	if ep.simulated {
		where = "the simulator at"
	}
	fmt.Fprintf(s.errw, "using %s (%s %s)\n", name, where, ep.client.BaseURL())
	return nil
}

func (s *session) cmdKinds(context.Context, []string, string) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	ext := s.ext(c)
	tw := s.table()
	fmt.Fprintln(tw, "KIND\tPLURAL\tSCOPE\tCOMMANDS\tNEEDS\tFIELDS")
	for _, k := range c.Provider().Kinds {
		var can []string
		if ext.listPath(k) != "" {
			can = append(can, "ls")
		}
		if ext.itemPath(k) != "" || ext.listPath(k) != "" {
			can = append(can, "show")
		}
		if len(ext.actionNames(k.Name)) > 0 {
			can = append(can, "do")
		}
		if _, ok := ext.waiters[k.Name]; ok {
			can = append(can, "wait")
		}
		names := make([]string, len(k.Fields))
		for i, f := range k.Fields {
			names[i] = f.Name
		}
		needs := strings.Join(s.parentParams(c, k), " ")
		if needs == "" {
			needs = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.Name, k.Plural, k.Scope, strings.Join(can, ","), needs, strings.Join(names, " "))
	}
	return tw.Flush()
}

func (s *session) cmdFields(_ context.Context, args []string, _ string) error {
	if len(args) != 1 {
		if len(args) > 1 {
			return unexpected("fields", args[1])
		}
		return usageError("fields")
	}
	c, k, err := s.clientKind(args[0])
	if err != nil {
		return err
	}
	tw := s.table()
	fmt.Fprintln(tw, "FIELD\tTYPE\tDESCRIPTION")
	for _, f := range k.Fields {
		doc := f.Doc
		if slices.Contains(k.Secret, f.Name) {
			doc = strings.TrimSpace(doc + " (secret: redacted)")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Type, doc)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if keys, ok := filterKeys(k); ok {
		fmt.Fprintf(s.out, "filters of ls %s: %s\n", k.Plural, describeFilters(keys))
	}
	if needs := s.parentParams(c, k); len(needs) > 0 {
		fmt.Fprintf(s.out, "%s live under another object: give %s\n", k.Plural, strings.Join(needs, " "))
	}
	return nil
}

// splitArgs separates KEY=VALUE arguments from the others.
func splitArgs(args []string) (plain []string, params map[string]string) {
	params = map[string]string{}
	for _, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok && k != "" {
			params[k] = v
			continue
		}
		plain = append(plain, a)
	}
	return plain, params
}

// wrap turns a resource into the kind's typed handle when it has one.
func wrap(k *stratus.Kind) func(*stratus.Resource) stratus.Object {
	return func(r *stratus.Resource) stratus.Object {
		if k.New != nil {
			return k.New(r)
		}
		return r
	}
}

// listOf returns the collection of a kind, nested paths filled from
// params; the remaining params are filters. Reads bypass the cache: the
// REPL shows what the API says now.
func (s *session) listOf(c *stratus.Client, k *stratus.Kind, params map[string]string) (stratus.Collection[stratus.Object], error) {
	ext := s.ext(c)
	path := ext.listPath(k)
	if path == "" {
		hint := ""
		if ext.itemPath(k) != "" {
			hint = fmt.Sprintf(" (try: show %s)", k.Name)
		}
		return stratus.Collection[stratus.Object]{}, fmt.Errorf("%s cannot be listed%s", k.Plural, hint)
	}
	parents := maps.Clone(params)
	path, err := fillPath(path, params)
	if err != nil {
		return stratus.Collection[stratus.Object]{}, fmt.Errorf("ls %s: %w", k.Plural, err)
	}
	if err := checkFilters(k, params); err != nil {
		return stratus.Collection[stratus.Object]{}, err
	}
	col := stratus.NewCollection(c, k, wrap(k)).At(path).Fresh()
	// Items of a nested list (records under their zone) are read from
	// the nested item path: an id list loads them from there.
	if item := ext.itemPath(k); item != "" && item != k.ItemPath {
		if item, err := fillPath(item, parents); err == nil {
			col = col.ItemsAt(item)
		}
	}
	keys := make([]string, 0, len(params))
	for key := range params {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		col = col.Filter(key, params[key])
	}
	return col, nil
}

// defaultLimit is how many items ls shows when no limit= is given.
const defaultLimit = 50

func (s *session) cmdLs(ctx context.Context, args []string, _ string) error {
	plain, params := splitArgs(args)
	if len(plain) == 0 {
		return usageError("ls")
	}
	c, k, err := s.clientKind(plain[0])
	if err != nil {
		return err
	}
	if len(plain) > 1 {
		return fmt.Errorf("ls %s: unexpected word %q (filters are FILTER=VALUE; usage: %s)", k.Plural, plain[1], lookupCommand("ls").usage)
	}
	limit := defaultLimit
	if v, ok := params["limit"]; ok {
		delete(params, "limit")
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 {
			return fmt.Errorf("limit must be a number >= 0, got %q", v)
		}
	}
	col, err := s.listOf(c, k, params)
	if err != nil {
		return err
	}
	if limit > 0 {
		col = col.Limit(limit + 1) // one more, to know whether there is more
	}
	var items []stratus.Object
	total := -1
	for page, err := range col.Pages(ctx) {
		if err != nil {
			return err
		}
		if page.Number == 1 {
			total = page.Total
		}
		items = append(items, page.Items...)
	}
	more := limit > 0 && len(items) > limit
	if more {
		items = items[:limit]
	}
	if err := s.emit(c, k, items); err != nil {
		return err
	}
	switch {
	case more && total >= 0:
		fmt.Fprintf(s.errw, "%d of %d %s (more with limit=N, all with limit=0)\n", len(items), total, k.Plural)
	case more:
		fmt.Fprintf(s.errw, "%d %s, and more (more with limit=N, all with limit=0)\n", len(items), k.Plural)
	default:
		fmt.Fprintf(s.errw, "%d %s\n", len(items), k.Plural)
	}
	return nil
}

// resolve loads one object: by its item path, or by scanning the list
// for kinds that can only be listed (regions, sizes).
func (s *session) resolve(ctx context.Context, c *stratus.Client, k *stratus.Kind, id string, params map[string]string) (*stratus.Resource, error) {
	ext := s.ext(c)
	item := ext.itemPath(k)
	if item == "" {
		col, err := s.listOf(c, k, params)
		if err != nil {
			return nil, fmt.Errorf("%s cannot be read: %w", k.Name, err)
		}
		for it, err := range col.All(ctx) {
			if err != nil {
				return nil, err
			}
			if r := it.Handle(); r.Get(k.IDField).String() == id {
				return r, nil
			}
		}
		return nil, &stratus.Error{Provider: c.Provider().Name, Op: "find " + k.Name, Message: fmt.Sprintf("no %s has %s %q", k.Name, k.IDField, id), Kind: stratus.ErrNotFound}
	}
	path, err := fillPath(item, params)
	if err != nil {
		return nil, err
	}
	path = strings.Replace(path, "{id}", escapeID(id), 1)
	r := stratus.NewResourceAt(c, k, id, path)
	if err := r.Reload(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

func escapeID(id string) string {
	return strings.ReplaceAll(strings.ReplaceAll(id, "/", "%2F"), "?", "%3F")
}

// target parses "KIND [ID] ..." for show and get: the kind, the id when
// the kind needs one, the remaining plain words and the KEY=VALUE params.
func (s *session) target(c *stratus.Client, cmd string, args []string) (*stratus.Kind, string, []string, map[string]string, error) {
	plain, params := splitArgs(args)
	if len(plain) < 1 {
		return nil, "", nil, nil, usageError(cmd)
	}
	k, err := s.kind(c, plain[0])
	if err != nil {
		return nil, "", nil, nil, err
	}
	plain = plain[1:]
	id := ""
	if s.ext(c).needsID(k) {
		if len(plain) == 0 {
			return nil, "", nil, nil, fmt.Errorf("usage: %s %s ID ... (%s needs an id: ls %s lists them)", cmd, k.Name, k.Name, k.Plural)
		}
		id, plain = plain[0], plain[1:]
	}
	return k, id, plain, params, nil
}

func (s *session) cmdShow(ctx context.Context, args []string, _ string) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	k, id, extra, params, err := s.target(c, "show", args)
	if err != nil {
		return err
	}
	if len(extra) > 0 {
		return unexpected("show", extra[0])
	}
	r, err := s.resolve(ctx, c, k, id, params)
	if err != nil {
		return err
	}
	s.seen.add(c.Provider().Name, k.Name, id)
	// The API's own spelling for every provider, as fields and get use
	// it: no wrapper's shape or artefacts.
	return r.Pprint(s.out)
}

func (s *session) cmdGet(ctx context.Context, args []string, _ string) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	k, id, extra, params, err := s.target(c, "get", args)
	if err != nil {
		return err
	}
	switch {
	case len(extra) == 0:
		return usageError("get")
	case len(extra) > 1:
		return unexpected("get", extra[1])
	}
	field := extra[0]
	r, err := s.resolve(ctx, c, k, id, params)
	if err != nil {
		return err
	}
	s.seen.add(c.Provider().Name, k.Name, id)
	v := r.Get(field)
	if !v.Exists() {
		// Any case: the path's segments as the object spells them.
		if p := foldPath(r.Get("@this"), field); p != "" {
			field, v = p, r.Get(p)
		}
	}
	if !v.Exists() && k.New != nil {
		// The provider's other spelling is an alias (mixcoatl's
		// snake_case); show and fields use the API's.
		if f, ok := k.New(r).(interface{ Field(string) gjson.Result }); ok {
			v = f.Field(field)
		}
	}
	if !v.Exists() {
		var names []string
		for _, f := range k.Fields {
			names = append(names, f.Name)
		}
		r.Get("@this").ForEach(func(key, _ gjson.Result) bool {
			names = append(names, key.String())
			return true
		})
		return fmt.Errorf("%s %s has no field %q%s", k.Name, id, field, didYouMean(field, names, "fields "+k.Name+" lists them"))
	}
	switch {
	case isSecret(k, field):
		fmt.Fprintln(s.out, "[redacted]")
	case v.Type == gjson.String:
		fmt.Fprintln(s.out, c.Redact(v.Str))
	default:
		var b strings.Builder
		stratus.WriteJSON(&b, v, k.Secret)
		fmt.Fprintln(s.out, c.Redact(b.String()))
	}
	return nil
}

// isSecret asks the library's own redaction whether the last element of
// a field path is secret: it writes {"name":1} and sees what comes out.
func isSecret(k *stratus.Kind, path string) bool {
	name := path
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		name = path[i+1:]
	}
	key, _ := json.Marshal(name)
	var b strings.Builder
	stratus.WriteJSON(&b, gjson.Parse("{"+string(key)+":1}"), k.Secret)
	return strings.Contains(b.String(), "[redacted]")
}

func (s *session) cmdDo(ctx context.Context, args []string, _ string) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	ext := s.ext(c)
	if len(args) == 0 {
		if len(ext.actions) == 0 {
			return fmt.Errorf("the REPL knows no action of %s (raw sends any request)", c.Provider().Name)
		}
		tw := s.table()
		fmt.Fprintln(tw, "ACTION\tON\tARGS\tWHAT")
		for _, a := range ext.actions {
			id := "ID"
			if k, ok := c.Provider().Kind(a.kind); ok && k.IDField != "id" {
				id = strings.ToUpper(k.IDField)
			}
			fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\n", a.name, a.kind, id, a.args, a.help)
		}
		return tw.Flush()
	}
	if len(args) < 3 {
		return fmt.Errorf("usage: do ACTION KIND ID [ARGS] (do alone lists the actions)")
	}
	k, err := s.kind(c, args[1])
	if err != nil {
		return err
	}
	spec := ext.action(args[0], k.Name)
	if spec == nil {
		names := ext.actionNames(k.Name)
		if len(names) == 0 {
			return fmt.Errorf("no action for %s (do lists them)", k.Plural)
		}
		return fmt.Errorf("no action %q for %s (have %s)", args[0], k.Plural, strings.Join(names, ", "))
	}
	id, extra := args[2], args[3:]
	if len(extra) > spec.maxArgs {
		return fmt.Errorf("do %s %s: unexpected word %q (usage: do %s %s ID %s)", spec.name, spec.kind, extra[spec.maxArgs], spec.name, spec.kind, spec.args)
	}
	if len(extra) < spec.minArgs {
		return fmt.Errorf("usage: do %s %s ID %s", spec.name, spec.kind, spec.args)
	}
	if err := s.confirm(c, fmt.Sprintf("%s %s %s", spec.name, spec.kind, id)); err != nil {
		return err
	}
	acts, err := spec.run(ctx, c, id, extra)
	if err != nil {
		return err
	}
	for _, a := range acts {
		fmt.Fprintf(s.out, "action %s: %s on %s %s, %s\n", a.id, a.typ, a.kind, a.target, a.status)
		for _, wk := range []string{"action", "job"} {
			if _, ok := ext.waiters[wk]; ok {
				s.seen.add(c.Provider().Name, wk, a.id)
			}
		}
	}
	switch len(acts) {
	case 0:
		fmt.Fprintln(s.errw, "no action started")
	case 1:
		// The hint names the provider's kind of asynchronous work, if any.
		for _, wk := range []string{"action", "job"} {
			if _, ok := ext.waiters[wk]; ok && acts[0].id != "" {
				fmt.Fprintf(s.errw, "wait for it with: wait %s %s\n", wk, acts[0].id)
				break
			}
		}
	default:
		// Several (by tag): one wait for all, one listing a round.
		ids := make([]string, 0, len(acts))
		for _, a := range acts {
			if a.id != "" {
				ids = append(ids, a.id)
			}
		}
		for _, wk := range []string{"action", "job"} {
			if w, ok := ext.waiters[wk]; ok && w.many != nil && len(ids) == len(acts) {
				fmt.Fprintf(s.errw, "wait for them with: wait %s %s\n", wk, strings.Join(ids, ","))
				break
			}
		}
	}
	return nil
}

func (s *session) cmdWait(ctx context.Context, args []string, _ string) error {
	plain, params := splitArgs(args)
	tag, byTag := params["tag"]
	delete(params, "tag")
	if byTag {
		// wait KIND tag=TAG [STATE]: the id's place is the tag's.
		plain = append(plain[:min(len(plain), 1)], append([]string{"tag=" + tag}, plain[min(len(plain), 1):]...)...)
	}
	if len(plain) > 3 {
		return unexpected("wait", plain[3])
	}
	if len(plain) < 2 {
		return usageError("wait")
	}
	c, k, err := s.clientKind(plain[0])
	if err != nil {
		return err
	}
	id, state := plain[1], ""
	if len(plain) == 3 {
		state = plain[2]
	}
	ids := strings.Split(id, ",")
	if !byTag && slices.Contains(ids, "") {
		return fmt.Errorf("wait: empty id in %q", id)
	}
	timeout := c.WaitOptions().Timeout // the client's: stratus.DefaultWaitTime unless set
	if v, ok := params["timeout"]; ok {
		delete(params, "timeout")
		if timeout, err = time.ParseDuration(v); err != nil || timeout <= 0 {
			return fmt.Errorf("timeout must be a positive duration such as 30s, got %q", v)
		}
	}
	for key := range params {
		return fmt.Errorf("wait: unexpected %q (wait takes timeout=DURATION only)", key+"="+params[key])
	}

	w, known := s.ext(c).waiters[k.Name]
	if known && state != "" {
		// States match in any case: the API's own spelling is used.
		if i := slices.IndexFunc(w.states, func(st string) bool { return strings.EqualFold(st, state) }); i >= 0 {
			state = w.states[i]
		}
	}
	switch {
	case known && state == "":
		state = w.states[0]
	case known && !slices.Contains(w.states, state):
		return fmt.Errorf("a %s can be waited on to be %s, not %q%s", k.Name, strings.Join(w.states, ", "), state, didYouMean(state, w.states))
	case !known && state == "":
		return fmt.Errorf("usage: wait %s ID STATE (the value of its status field to wait for)", k.Name)
	case !known:
		w = waiter{wait: func(ctx context.Context, c *stratus.Client, id, state string, o stratus.WaitOptions) (string, error) {
			r := stratus.NewResource(c, k, id)
			if s.ext(c).itemPath(k) == "" {
				return "", fmt.Errorf("%s cannot be read one by one: it cannot be waited on", k.Plural)
			}
			return pollState(ctx, r, state, o)
		}}
	}

	switch {
	case byTag && w.tag == nil:
		return fmt.Errorf("%s cannot be waited on by tag", k.Plural)
	case len(ids) > 1 && w.many == nil:
		return fmt.Errorf("%s are waited on one at a time", k.Plural)
	}

	o := stratus.WaitOptions{Timeout: timeout, Progress: func(p stratus.WaitProgress) {
		if p.Attempt == 1 {
			fmt.Fprintf(s.errw, "waiting for %s %s to be %s (timeout %s; Ctrl-C stops waiting)\n", k.Name, id, state, timeout)
		}
		now := p.State
		if p.Done == p.Total && p.Total > 0 {
			now = state
		}
		if byTag || len(ids) > 1 {
			// Many at once: how many are there, and what the round cost.
			fmt.Fprintf(s.errw, "  poll %d, %.1fs: %d of %d %s, %d request(s)\n", p.Attempt, p.Elapsed.Seconds(), p.Done, p.Total, state, p.Requests)
			return
		}
		if now == "" {
			return // a poll that failed: the error follows
		}
		fmt.Fprintf(s.errw, "  poll %d, %.1fs: %s\n", p.Attempt, p.Elapsed.Seconds(), now)
	}}
	start := time.Now()
	switch {
	case byTag:
		n, err := w.tag(ctx, c, tag, state, o)
		if err != nil {
			return err
		}
		fmt.Fprintf(s.out, "%d %s tagged %s are %s after %.1fs\n", n, k.Plural, tag, state, time.Since(start).Seconds())
		return nil
	case len(ids) > 1:
		if err := w.many(ctx, c, ids, state, o); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "%d %s are %s after %.1fs\n", len(ids), k.Plural, state, time.Since(start).Seconds())
		return nil
	}
	final, err := w.wait(ctx, c, id, state, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "%s %s is %s after %.1fs\n", k.Name, id, final, time.Since(start).Seconds())
	return nil
}

func (s *session) cmdRaw(ctx context.Context, args []string, rest string) error {
	if len(args) < 2 {
		return usageError("raw")
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	// The JSON is everything after the path, spaces included.
	method, rest := cutWord(rest)
	path, params := cutWord(rest)
	if !strings.EqualFold(method, "GET") && !strings.EqualFold(method, "HEAD") {
		if err := s.confirm(c, strings.ToUpper(method)+" "+path); err != nil {
			return err
		}
	}
	res, err := rawcall.Do(ctx, c, method, path, params)
	if err != nil {
		return err
	}
	if res.Raw == "" {
		status := 0
		if last := c.LastResponse(); last != nil {
			status = last.Status
		}
		fmt.Fprintf(s.errw, "(empty answer, HTTP %d)\n", status)
		return nil
	}
	return rawcall.Write(s.out, c, res)
}

func (s *session) cmdLastError(context.Context, []string, string) error {
	err := s.lastErr
	if err == nil {
		fmt.Fprintln(s.out, "no error")
		return nil
	}
	fmt.Fprintln(s.out, s.redact(oneLine(err.Error())))
	var se *stratus.Error
	if errors.As(err, &se) {
		tw := s.table()
		row := func(name, value string) {
			if value != "" && value != "0" {
				fmt.Fprintf(tw, "  %s\t%s\n", name, s.redact(value))
			}
		}
		row("provider", se.Provider)
		row("operation", se.Op)
		row("status", strconv.Itoa(se.Status))
		row("code", se.Code)
		row("message", se.Message)
		row("request id", se.RequestID)
		row("attempts", strconv.Itoa(se.Attempts))
		if se.Kind != nil {
			row("kind", se.Kind.Error())
		}
		if se.Err != nil {
			row("cause", se.Err.Error())
		}
		tw.Flush()
	}
	var wt *stratus.WaitTimeoutError
	if errors.As(err, &wt) {
		for _, o := range wt.Pending {
			fmt.Fprintf(s.out, "  still pending: %s\n", o.Handle())
		}
	}
	return nil
}

func (s *session) cmdRateLimit(context.Context, []string, string) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	// Every provider: what its answers report, else what was observed.
	for _, name := range stratus.Providers() {
		ep, ok := s.endpoints[name]
		if !ok {
			continue
		}
		mark := " "
		if name == s.current {
			mark = "*"
		}
		if rl := ep.client.LastRateLimit(); rl != nil {
			reset := "unknown"
			if !rl.Reset.IsZero() {
				reset = fmt.Sprintf("%s (in %s)", rl.Reset.Local().Format(time.TimeOnly), time.Until(rl.Reset).Round(time.Second))
			}
			fmt.Fprintf(s.out, "%s %s rate limit: %d of %d requests left, resets at %s; observed %s\n", mark, name, rl.Remaining, rl.Limit, reset, s.pacer.observed(name))
		} else {
			fmt.Fprintf(s.out, "%s %s rate limit: not reported by its answers so far; observed %s\n", mark, name, s.pacer.observed(name))
		}
	}
	if last := c.LastResponse(); last != nil {
		fmt.Fprintf(s.out, "last response: HTTP %d from %s, request %s, %d attempt(s), %s\n",
			last.Status, s.redact(last.URL), last.RequestID, last.Attempts, last.Duration.Round(10*time.Microsecond))
	}
	if m := c.LastMeta(); m.Exists() {
		var b strings.Builder
		stratus.WriteJSON(&b, m, nil)
		fmt.Fprintf(s.out, "last list meta: %s\n", oneLine(b.String()))
	}
	return nil
}
