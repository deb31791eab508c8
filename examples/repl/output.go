package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/stratus-cloud/stratus"
)

// pickColumns returns the columns of a kind's listing: the kind's own, or
// those named by -columns, each by its header or by a field path. An
// unknown name is an error that names it and the columns there are.
func (s *session) pickColumns(c *stratus.Client, k *stratus.Kind) ([]column, error) {
	own := s.columns(c, k)
	if len(s.cfg.columns) == 0 {
		return own, nil
	}
	var known []string
	for _, col := range own {
		known = append(known, col.header)
	}
	for _, f := range k.Fields {
		known = append(known, f.Name)
	}
	var cols []column
	for _, name := range s.cfg.columns {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if col, ok := findColumn(own, k, name); ok {
			cols = append(cols, col)
			continue
		}
		if strings.ContainsAny(name, ".#|") {
			cols = append(cols, column{name, name}) // a gjson path of the caller's
			continue
		}
		return nil, fmt.Errorf("-columns: %s has no column %q%s", k.Plural, name, didYouMean(name, known, "fields "+k.Name+" lists the fields"))
	}
	return cols, nil
}

// findColumn finds a column by header, or a documented field, ignoring case.
func findColumn(own []column, k *stratus.Kind, name string) (column, bool) {
	for _, col := range own {
		if strings.EqualFold(col.header, name) || strings.EqualFold(col.path, name) {
			return col, true
		}
	}
	for _, f := range k.Fields {
		if strings.EqualFold(f.Name, name) {
			return column{f.Name, f.Name}, true
		}
	}
	return column{}, false
}

// emit writes items on stdout in the session's format: a table fitted to
// the terminal, a JSON array, or CSV. Reading the cells sends no request
// when the list carried the fields.
func (s *session) emit(c *stratus.Client, k *stratus.Kind, items []stratus.Object) error {
	cols, err := s.pickColumns(c, k)
	if err != nil {
		return err
	}
	secret := make([]bool, len(cols))
	for i, col := range cols {
		secret[i] = isSecret(k, col.path)
	}
	for _, it := range items {
		s.seen.add(c.Provider().Name, k.Name, it.Handle().Get(k.IDField).String())
	}
	switch s.cfg.format {
	case "json":
		return s.emitJSON(c, k, cols, secret, items)
	case "csv":
		w := csv.NewWriter(s.out)
		if !s.cfg.noHeader {
			headers := make([]string, len(cols))
			for i, col := range cols {
				headers[i] = col.header
			}
			_ = w.Write(headers)
		}
		for _, it := range items {
			r := it.Handle()
			row := make([]string, len(cols))
			for i, col := range cols {
				switch v := r.Get(col.path); {
				case secret[i]:
					row[i] = "[redacted]"
				case v.IsObject() || v.IsArray():
					row[i] = c.Redact(cell(v, -1))
				default:
					row[i] = c.Redact(v.String())
				}
			}
			_ = w.Write(row)
		}
		w.Flush()
		return w.Error()
	}
	rows := make([][]string, 0, len(items)+1)
	if !s.cfg.noHeader {
		headers := make([]string, len(cols))
		for i, col := range cols {
			headers[i] = strings.ToUpper(col.header)
		}
		rows = append(rows, headers)
	}
	for _, it := range items {
		r := it.Handle()
		row := make([]string, len(cols))
		for i, col := range cols {
			if secret[i] {
				row[i] = "[redacted]"
				continue
			}
			row[i] = c.Redact(cell(r.Get(col.path), 0))
		}
		rows = append(rows, row)
	}
	writeTable(s.out, rows, s.cfg.width)
	return nil
}

// emitJSON writes one JSON array: the objects as the API gave them, or,
// with -columns, objects of the chosen columns. Secrets are redacted.
func (s *session) emitJSON(c *stratus.Client, k *stratus.Kind, cols []column, secret []bool, items []stratus.Object) error {
	var b strings.Builder
	b.WriteString("[")
	for n, it := range items {
		if n > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		r := it.Handle()
		if len(s.cfg.columns) == 0 {
			var one strings.Builder
			stratus.WriteJSON(&one, r.Get("@this"), k.Secret)
			b.WriteString(c.Redact(one.String()))
			continue
		}
		b.WriteString("{")
		for i, col := range cols {
			if i > 0 {
				b.WriteString(",")
			}
			key, _ := json.Marshal(col.header)
			b.Write(key)
			b.WriteString(":")
			v := r.Get(col.path)
			switch {
			case secret[i]:
				b.WriteString(`"[redacted]"`)
			case !v.Exists():
				b.WriteString("null")
			default:
				var one strings.Builder
				stratus.WriteJSON(&one, v, k.Secret)
				b.WriteString(c.Redact(one.String()))
			}
		}
		b.WriteString("}")
	}
	if len(items) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := fmt.Fprint(s.out, b.String())
	return err
}

// writeTable writes rows in columns two spaces apart. With a width, the
// widest columns are cut (with "...") until a row fits in it; no column
// gets narrower than minColumn.
func writeTable(w interface{ Write([]byte) (int, error) }, rows [][]string, width int) {
	if len(rows) == 0 {
		return
	}
	n := len(rows[0])
	widths := make([]int, n)
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	const gap, minColumn = 2, 6
	if width > 0 {
		for {
			total := gap * (n - 1)
			widest := 0
			for i, wd := range widths {
				total += wd
				if wd > widths[widest] {
					widest = i
				}
			}
			if total <= width || widths[widest] <= minColumn {
				break
			}
			widths[widest] -= min(total-width, widths[widest]-minColumn)
		}
	}
	var b strings.Builder
	for _, row := range rows {
		b.Reset()
		for i, c := range row {
			c = fit(c, widths[i])
			b.WriteString(c)
			if i < n-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+gap))
			}
		}
		b.WriteString("\n")
		_, _ = w.Write([]byte(b.String()))
	}
}

// fit cuts s to n characters, ending with "..." when it was longer.
func fit(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	if n <= 3 {
		return string(r[:n])
	}
	return string(r[:n-3]) + "..."
}
