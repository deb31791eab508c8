package main

import (
	"strings"

	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus"
)

// preferred are the fields an ls table shows when the provider's table
// names no columns for a kind: the first four that the kind documents.
var preferred = []string{"name", "slug", "status", "type", "distribution", "region", "size_slug", "ip", "data",
	"fingerprint", "email", "version", "memory", "available", "description"}

// columns returns the columns of a kind's table: the id, then the
// provider's choice or the preferred fields the kind has.
func (s *session) columns(c *stratus.Client, k *stratus.Kind) []column {
	cols := []column{{k.IDField, k.IDField}}
	if own, ok := s.ext(c).columns[k.Name]; ok {
		return append(cols, own...)
	}
	for _, name := range preferred {
		if len(cols) == 5 {
			break
		}
		if name == k.IDField {
			continue
		}
		for _, f := range k.Fields {
			if f.Name == name {
				cols = append(cols, column{name, name})
			}
		}
	}
	return cols
}

// cellWidth bounds a cell.
const cellWidth = 40

// cell renders a value on one line: a reference to another object by
// its name where the list carries it, else its slug or id; arrays joined
// with commas. limit > 0 cuts it to that many characters; 0 is cellWidth,
// a negative limit does not cut.
func cell(v gjson.Result, limit int) string {
	if limit == 0 {
		limit = cellWidth
	}
	var s string
	switch {
	case !v.Exists() || v.Type == gjson.Null:
		s = "-"
	case v.IsObject():
		s = v.Raw
		for _, key := range []string{"name", "slug", "id"} {
			if x := v.Get(key); x.Exists() && !x.IsObject() && !x.IsArray() {
				return cell(x, limit)
			}
		}
		// enStratus names its references {"regionId": 19344}.
		v.ForEach(func(k, x gjson.Result) bool {
			if key := k.String(); (strings.HasSuffix(key, "Id") || strings.HasSuffix(key, "_id")) && !x.IsObject() {
				s = x.String()
				return false
			}
			return true
		})
	case v.IsArray():
		var parts []string
		for _, x := range v.Array() {
			parts = append(parts, cell(x, -1))
		}
		s = strings.Join(parts, ",")
	default:
		s = v.String()
	}
	s = strings.Join(strings.Fields(s), " ")
	if limit > 0 {
		s = fit(s, limit)
	}
	if s == "" {
		s = "-"
	}
	return s
}
