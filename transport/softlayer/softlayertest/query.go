package softlayertest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	wire "github.com/stratus-cloud/stratus/transport/softlayer"
	"github.com/tidwall/gjson"
)

func relational(v any) bool {
	switch v.(type) {
	case obj, []any:
		return true
	}
	return false
}

// masked applies a mask to an object: with no mask, the local properties;
// when the mask names a local property, only the named local ones;
// relational properties only when named, each under its own sub-mask.
func masked(o obj, m wire.Mask) obj {
	names := m.Names()
	namesLocal := false
	for _, n := range names {
		if v, ok := o[n]; ok && !relational(v) {
			namesLocal = true
			break
		}
	}
	out := make(obj, len(o))
	if !namesLocal {
		for k, v := range o {
			if !relational(v) {
				out[k] = v
			}
		}
	}
	for _, n := range names {
		v, ok := o[n]
		if !ok {
			continue
		}
		sub, _ := m.Sub(n)
		switch x := v.(type) {
		case obj:
			out[n] = masked(x, sub)
		case []any:
			arr := make([]any, len(x))
			for i, e := range x {
				if eo, ok := e.(obj); ok {
					arr[i] = masked(eo, sub)
				} else {
					arr[i] = e
				}
			}
			out[n] = arr
		default:
			out[n] = v
		}
	}
	return out
}

// lookup follows a property of o; arrays give their elements.
func lookup(o any, key string) any {
	if m, ok := o.(obj); ok {
		return m[key]
	}
	return nil
}

// matches says whether o passes the filter node f (an object of property
// names to sub-filters or operation leaves). Keys in skip are not read.
func matches(o any, f gjson.Result, skip string) bool {
	if !f.IsObject() {
		return true
	}
	ok := true
	f.ForEach(func(k, sub gjson.Result) bool {
		key := k.String()
		if key == skip {
			return true
		}
		v := lookup(o, key)
		if sub.Get("operation").Exists() {
			ok = evalLeaf(v, sub)
		} else if arr, isArr := v.([]any); isArr {
			any := false
			for _, e := range arr {
				if matches(e, sub, "") {
					any = true
					break
				}
			}
			ok = any
		} else {
			ok = matches(v, sub, "")
		}
		return ok
	})
	return ok
}

// Operators, longest first.
var operators = []string{"!*=", "!^=", "!$=", "!=", ">=", "<=", "*=", "^=", "$=", "_=", "!~", "~", ">", "<"}

// evalLeaf evaluates {"operation": ..., "options": [...]} on a value.
func evalLeaf(v any, leaf gjson.Result) bool {
	if arr, ok := v.([]any); ok {
		for _, e := range arr {
			if evalLeaf(e, leaf) {
				return true
			}
		}
		return false
	}
	op := leaf.Get("operation")
	if op.Type == gjson.Number || op.Type == gjson.True || op.Type == gjson.False {
		if v == nil {
			return false
		}
		f, ok := toFloat(v)
		return ok && f == op.Float()
	}
	s := strings.TrimSpace(op.String())
	switch s {
	case "orderBy":
		return true
	case "is null":
		return v == nil
	case "not null":
		return v != nil
	case "in":
		if v == nil {
			return false
		}
		found := false
		leaf.Get("options").ForEach(func(_, o gjson.Result) bool {
			if o.Get("name").String() != "data" {
				return true
			}
			o.Get("value").ForEach(func(_, x gjson.Result) bool {
				if equal(v, x.String()) {
					found = true
					return false
				}
				return true
			})
			return !found
		})
		return found
	}
	if strings.HasPrefix(s, "betweenDate") || strings.HasSuffix(s, "Date") || strings.HasPrefix(s, "isDate") {
		return true // date operations are accepted and not evaluated
	}
	if v == nil {
		return false
	}
	for _, o := range operators {
		if rest, ok := strings.CutPrefix(s, o); ok {
			return apply(o, v, strings.TrimSpace(rest))
		}
	}
	return equal(v, s)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	case nil:
		return 0, false
	}
	f, err := strconv.ParseFloat(str(v), 64)
	return f, err == nil
}

func equal(v any, want string) bool {
	if a, ok := toFloat(v); ok {
		if b, err := strconv.ParseFloat(want, 64); err == nil {
			return a == b
		}
	}
	return strings.EqualFold(str(v), want)
}

func apply(op string, v any, val string) bool {
	sv, lv, lval := str(v), strings.ToLower(str(v)), strings.ToLower(val)
	switch op {
	case "!=":
		return !equal(v, val)
	case "_=":
		return strings.EqualFold(sv, val)
	case "*=":
		return strings.Contains(lv, lval)
	case "!*=":
		return !strings.Contains(lv, lval)
	case "^=":
		return strings.HasPrefix(lv, lval)
	case "!^=":
		return !strings.HasPrefix(lv, lval)
	case "$=":
		return strings.HasSuffix(lv, lval)
	case "!$=":
		return !strings.HasSuffix(lv, lval)
	case "~":
		return strings.Contains(sv, strings.Trim(val, "%"))
	case "!~":
		return !strings.Contains(sv, strings.Trim(val, "%"))
	}
	a, aok := toFloat(v)
	b, err := strconv.ParseFloat(val, 64)
	var c int
	if aok && err == nil {
		c = cmp.Compare(a, b)
	} else {
		c = strings.Compare(sv, val)
	}
	switch op {
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	}
	return false
}

type sortKey struct {
	path []string
	desc bool
}

// orderBys collects the orderBy leaves of a filter node, in order.
func orderBys(f gjson.Result, prefix []string, skip string, out *[]sortKey) {
	if !f.IsObject() || len(prefix) > 16 {
		return
	}
	f.ForEach(func(k, sub gjson.Result) bool {
		if k.String() == skip {
			return true
		}
		p := append(append([]string(nil), prefix...), k.String())
		if op := sub.Get("operation"); op.Exists() {
			if strings.TrimSpace(op.String()) == "orderBy" {
				desc := false
				sub.Get("options").ForEach(func(_, o gjson.Result) bool {
					if o.Get("name").String() == "sort" && strings.EqualFold(o.Get("value.0").String(), "DESC") {
						desc = true
					}
					return true
				})
				*out = append(*out, sortKey{p, desc})
			}
			return true
		}
		orderBys(sub, p, "", out)
		return true
	})
}

func valueAt(o obj, path []string) any {
	var v any = o
	for _, p := range path {
		if arr, ok := v.([]any); ok {
			if len(arr) == 0 {
				return nil
			}
			v = arr[0]
		}
		v = lookup(v, p)
	}
	return v
}

func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	fa, oka := toFloat(a)
	fb, okb := toFloat(b)
	if oka && okb {
		return cmp.Compare(fa, fb)
	}
	return strings.Compare(strings.ToLower(str(a)), strings.ToLower(str(b)))
}

// query filters a list, sorts it (by the filter's orderBy, then by id)
// and returns it with its total. The filter is rooted at root (the
// method's property) when it has that key; its other top-level keys
// apply to the items too.
func query(items []obj, filter string, root string) []obj {
	if filter == "" {
		return items
	}
	f := gjson.Parse(filter)
	node := f
	skip := ""
	if root != "" && f.Get(root).IsObject() {
		node, skip = f.Get(root), root
	}
	if onlyOrder(node) && (skip == "" || onlyOrder(f)) {
		keys := orderKeys(node, f, skip)
		if len(keys) == 1 && !keys[0].desc && len(keys[0].path) == 1 && keys[0].path[0] == "id" {
			return items // nothing filtered, and already by id
		}
	}
	out := make([]obj, 0, len(items))
	for _, it := range items {
		if matches(it, node, "") && (skip == "" || matches(it, f, skip)) {
			out = append(out, it)
		}
	}
	var keys []sortKey
	orderBys(node, nil, "", &keys)
	if skip != "" {
		orderBys(f, nil, skip, &keys)
	}
	if len(keys) == 1 && !keys[0].desc && len(keys[0].path) == 1 && keys[0].path[0] == "id" {
		return out // the tables list their objects by id already
	}
	if len(keys) > 0 {
		slices.SortStableFunc(out, func(a, b obj) int {
			for _, k := range keys {
				c := compareValues(valueAt(a, k.path), valueAt(b, k.path))
				if k.desc {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
			return cmp.Compare(num(a["id"]), num(b["id"]))
		})
	}
	return out
}

// onlyOrder says whether a filter node holds orderBy leaves only.
func onlyOrder(f gjson.Result) bool {
	ok := true
	f.ForEach(func(_, sub gjson.Result) bool {
		if op := sub.Get("operation"); op.Exists() {
			ok = strings.TrimSpace(op.String()) == "orderBy"
		} else {
			ok = onlyOrder(sub)
		}
		return ok
	})
	return ok
}

func orderKeys(node, f gjson.Result, skip string) []sortKey {
	var keys []sortKey
	orderBys(node, nil, "", &keys)
	if skip != "" {
		orderBys(f, nil, skip, &keys)
	}
	return keys
}
