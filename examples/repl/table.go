package main

import (
	"fmt"
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

// printTable prints items, one row each; reading the cells sends no
// request when the list carried the fields.
func (s *session) printTable(c *stratus.Client, k *stratus.Kind, items []stratus.Object) {
	cols := s.columns(c, k)
	tw := s.table()
	headers := make([]string, len(cols))
	for i, col := range cols {
		headers[i] = strings.ToUpper(col.header)
	}
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	secret := make([]bool, len(cols))
	for i, col := range cols {
		secret[i] = isSecret(k, col.path)
	}
	row := make([]string, len(cols))
	for _, it := range items {
		r := it.Handle()
		for i, col := range cols {
			if secret[i] {
				row[i] = "[redacted]"
				continue
			}
			row[i] = cell(r.Get(col.path))
		}
		fmt.Fprintln(tw, c.Redact(strings.Join(row, "\t")))
	}
	tw.Flush()
}

// cellWidth bounds a cell.
const cellWidth = 40

// cell renders a value on one short line: objects by their slug, name or
// id, arrays joined with commas.
func cell(v gjson.Result) string {
	var s string
	switch {
	case !v.Exists() || v.Type == gjson.Null:
		s = "-"
	case v.IsObject():
		for _, key := range []string{"slug", "name", "id"} {
			if x := v.Get(key); x.Exists() {
				return cell(x)
			}
		}
		s = v.Raw
	case v.IsArray():
		var parts []string
		for _, x := range v.Array() {
			parts = append(parts, cell(x))
		}
		s = strings.Join(parts, ",")
	default:
		s = v.String()
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > cellWidth {
		s = s[:cellWidth-3] + "..."
	}
	if s == "" {
		s = "-"
	}
	return s
}
