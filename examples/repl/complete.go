package main

import (
	"slices"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/rawcall"
)

// complete is the terminal's tab completion. It completes the word before
// the cursor, at the end of the line: command names, then, depending on
// the command, providers, kinds, the ids the session has seen, fields,
// filter keys, actions and states. When several candidates share no
// longer prefix, it lists them above the line.
func (s *session) complete(line string, pos int, key rune) (string, int, bool) {
	if key != '\t' || pos != len(line) {
		return "", 0, false
	}
	words := strings.Fields(line)
	if len(words) == 0 || strings.HasSuffix(line, " ") {
		words = append(words, "")
	}
	n := len(words) - 1
	word := words[n]
	var matches []string
	for _, c := range s.candidates(words) {
		if strings.HasPrefix(strings.ToLower(c), strings.ToLower(word)) {
			matches = append(matches, c)
		}
	}
	slices.Sort(matches)
	matches = slices.Compact(matches)
	if len(matches) == 0 {
		return "", 0, false
	}
	done := commonPrefix(matches)
	if len(matches) == 1 && !strings.HasSuffix(done, "=") {
		done += " "
	}
	if strings.EqualFold(done, word) {
		if len(matches) > 1 && s.term != nil {
			s.term.show(listing(matches, s.cfg.width))
		}
		if done == word {
			return "", 0, false
		}
	}
	head := line[:len(line)-len(word)]
	out := head + done
	return out, len(out), true
}

// candidates are the words that may come at the end of words.
func (s *session) candidates(words []string) []string {
	n := len(words) - 1
	cmd := ""
	if n > 0 {
		if c := lookupCommand(words[0]); c != nil {
			cmd = c.name
		}
	}
	if n == 0 {
		return commandNames()
	}
	c, err := s.client()
	switch {
	case cmd == "use" && n == 1:
		return stratus.Providers()
	case cmd == "help" && n == 1:
		return commandNames()
	case cmd == "raw" && n == 1:
		return rawcall.Methods
	case err != nil:
		return nil
	}
	p := c.Provider()
	kindAt := func(i int) *stratus.Kind {
		if k, err := s.kind(c, words[i]); err == nil {
			return k
		}
		return nil
	}
	var out []string
	switch cmd {
	case "ls":
		if n == 1 {
			for _, k := range p.Kinds {
				out = append(out, k.Plural)
			}
			return out
		}
		if k := kindAt(1); k != nil {
			out = append(out, "limit=")
			for _, param := range s.parentParams(c, k) {
				out = append(out, strings.TrimSuffix(param, "ID"))
			}
			if keys, ok := filterKeys(k); ok {
				for _, f := range keys {
					out = append(out, f.name+"=")
					for _, a := range f.aliases {
						out = append(out, a+"=")
					}
				}
			}
		}
	case "show", "get", "fields", "wait":
		switch {
		case n == 1:
			for _, k := range p.Kinds {
				out = append(out, k.Name)
			}
		case n == 2 && cmd != "fields":
			if k := kindAt(1); k != nil {
				out = s.seen.list(p.Name, k.Name)
			}
		case n == 3 && cmd == "get":
			if k := kindAt(1); k != nil {
				for _, f := range k.Fields {
					out = append(out, f.Name)
				}
			}
		case n == 3 && cmd == "wait":
			if k := kindAt(1); k != nil {
				out = append(out, s.ext(c).waiters[k.Name].states...)
			}
		}
	case "do":
		switch n {
		case 1:
			out = s.ext(c).actionNames("")
		case 2:
			for _, a := range s.ext(c).actions {
				if a.name == words[1] {
					out = append(out, a.kind)
				}
			}
		case 3:
			if k := kindAt(2); k != nil {
				out = s.seen.list(p.Name, k.Name)
			}
		}
	}
	return out
}

// listing lays candidates out in rows no wider than width (80 if unknown).
func listing(words []string, width int) string {
	if width <= 0 {
		width = 80
	}
	var b strings.Builder
	col := 0
	for _, w := range words {
		if col > 0 && col+2+len(w) > width {
			b.WriteString("\n")
			col = 0
		}
		if col > 0 {
			b.WriteString("  ")
			col += 2
		}
		b.WriteString(w)
		col += len(w)
	}
	b.WriteString("\n")
	return b.String()
}

func commonPrefix(words []string) string {
	p := words[0]
	for _, w := range words[1:] {
		for !strings.HasPrefix(strings.ToLower(w), strings.ToLower(p)) {
			p = p[:len(p)-1]
		}
	}
	return p
}
