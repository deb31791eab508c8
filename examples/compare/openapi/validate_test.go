package openapi

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// schema is the subset of an OpenAPI 3.0 schema the trimmed document
// keeps.
type schema struct {
	Type                 string             `json:"type"`
	Properties           map[string]*schema `json:"properties"`
	Required             []string           `json:"required"`
	Items                *schema            `json:"items"`
	Enum                 []any              `json:"enum"`
	Nullable             bool               `json:"nullable"`
	AllOf                []*schema          `json:"allOf"`
	AnyOf                []*schema          `json:"anyOf"`
	OneOf                []*schema          `json:"oneOf"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
	MaxItems             *int               `json:"maxItems"`
	MinItems             *int               `json:"minItems"`
	MaxLength            *int               `json:"maxLength"`
	MinLength            *int               `json:"minLength"`
}

// accepted is a value the document's enumerations lack that the real API
// sends: a difference the simulator keeps on purpose. Suffix is the end of
// the JSON path, array indexes left out (".regions").
type accepted struct{ Suffix, Value string }

// validator checks decoded JSON against a schema, collecting every
// problem with its JSON path.
type validator struct {
	accept   []accepted
	problems []string
	used     map[accepted]bool
}

func (v *validator) fail(path, format string, args ...any) {
	v.problems = append(v.problems, path+": "+fmt.Sprintf(format, args...))
}

func (v *validator) check(s *schema, val any, path string) {
	if s == nil {
		return
	}
	if val == nil {
		if !s.Nullable && s.Type != "" {
			v.fail(path, "null where %s is not nullable", s.Type)
		}
		return
	}
	for _, sub := range s.AllOf {
		v.check(sub, val, path)
	}
	if len(s.AnyOf) > 0 {
		v.anyMatches("anyOf", s.AnyOf, val, path)
	}
	if len(s.OneOf) > 0 {
		v.anyMatches("oneOf", s.OneOf, val, path)
	}
	if !v.typeMatches(s.Type, val) {
		v.fail(path, "%T where the document says %s", val, s.Type)
		return
	}
	if len(s.Enum) > 0 && !v.inEnum(s.Enum, val, path) {
		v.fail(path, "%v is not one of %v", val, s.Enum)
	}
	switch x := val.(type) {
	case map[string]any:
		for _, k := range s.Required {
			if _, ok := x[k]; !ok {
				v.fail(path, "required %q missing", k)
			}
		}
		for k, pv := range x {
			if ps := s.Properties[k]; ps != nil {
				v.check(ps, pv, path+"."+k)
			} else if len(s.AdditionalProperties) > 0 && s.AdditionalProperties[0] == '{' {
				var as schema
				if json.Unmarshal(s.AdditionalProperties, &as) == nil {
					v.check(&as, pv, path+"."+k)
				}
			}
		}
	case []any:
		if s.MaxItems != nil && len(x) > *s.MaxItems {
			v.fail(path, "%d items, at most %d", len(x), *s.MaxItems)
		}
		if s.MinItems != nil && len(x) < *s.MinItems {
			v.fail(path, "%d items, at least %d", len(x), *s.MinItems)
		}
		for i, it := range x {
			v.check(s.Items, it, fmt.Sprintf("%s[%d]", path, i))
		}
	case string:
		if s.MaxLength != nil && len([]rune(x)) > *s.MaxLength {
			v.fail(path, "%d characters, at most %d", len([]rune(x)), *s.MaxLength)
		}
		if s.MinLength != nil && len([]rune(x)) < *s.MinLength {
			v.fail(path, "%d characters, at least %d", len([]rune(x)), *s.MinLength)
		}
	}
}

// anyMatches checks that val satisfies one of the schemas; if none, it
// records the problems of the closest one.
func (v *validator) anyMatches(what string, ss []*schema, val any, path string) {
	var best []string
	for i, s := range ss {
		probe := &validator{accept: v.accept, used: map[accepted]bool{}}
		probe.check(s, val, path)
		if len(probe.problems) == 0 {
			for k := range probe.used {
				v.used[k] = true
			}
			return
		}
		if i == 0 || len(probe.problems) < len(best) {
			best = probe.problems
		}
	}
	v.fail(path, "matches none of %s; the closest says:", what)
	v.problems = append(v.problems, best...)
}

func (v *validator) typeMatches(typ string, val any) bool {
	switch typ {
	case "":
		return true
	case "object":
		_, ok := val.(map[string]any)
		return ok
	case "array":
		_, ok := val.([]any)
		return ok
	case "string":
		_, ok := val.(string)
		return ok
	case "boolean":
		_, ok := val.(bool)
		return ok
	case "number":
		_, ok := val.(float64)
		return ok
	case "integer":
		f, ok := val.(float64)
		return ok && f == math.Trunc(f)
	}
	return false
}

func (v *validator) inEnum(enum []any, val any, path string) bool {
	for _, e := range enum {
		if e == val {
			return true
		}
	}
	if s, ok := val.(string); ok {
		generic := indexless(path)
		for _, a := range v.accept {
			if a.Value == s && strings.HasSuffix(generic, a.Suffix) {
				v.used[a] = true
				return true
			}
		}
	}
	return false
}

// indexless drops the array indexes of a JSON path: images[3].regions[0]
// is images.regions.
func indexless(path string) string {
	var b strings.Builder
	skip := false
	for _, r := range path {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// statusSchema is the schema of a documented answer: the status's own, or
// the operation's default for an error the document does not list.
func statusSchema(resps map[string]*schema, status int) (*schema, bool) {
	code := fmt.Sprint(status)
	if s, ok := resps[code]; ok {
		return s, true
	}
	if status >= 400 {
		s, ok := resps["default"]
		return s, ok
	}
	return nil, false
}
