package main

import (
	"slices"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/examples/internal/rawcall"
)

// complete is the terminal's tab completion: command names first, then
// providers, kinds or actions depending on the command. It completes the
// word before the cursor, at the end of the line only.
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
	var candidates []string
	switch {
	case n == 0:
		for _, c := range commands {
			candidates = append(candidates, c.name)
		}
	case n == 1 && words[0] == "use":
		candidates = stratus.Providers()
	case n == 1 && words[0] == "help":
		for _, c := range commands {
			candidates = append(candidates, c.name)
		}
	case n == 1 && words[0] == "raw":
		candidates = rawcall.Methods
	case n == 1 && words[0] == "do":
		if c, err := s.client(); err == nil {
			candidates = s.ext(c).actionNames("")
		}
	case n == 2 && words[0] == "do":
		if c, err := s.client(); err == nil {
			for _, a := range s.ext(c).actions {
				if a.name == words[1] {
					candidates = append(candidates, a.kind)
				}
			}
		}
	case n == 1 && slices.Contains([]string{"ls", "list", "show", "get", "fields", "wait"}, words[0]):
		if c, err := s.client(); err == nil {
			for _, k := range c.Provider().Kinds {
				if words[0] == "ls" || words[0] == "list" {
					candidates = append(candidates, k.Plural)
				} else {
					candidates = append(candidates, k.Name)
				}
			}
		}
	}
	var matches []string
	for _, c := range candidates {
		if strings.HasPrefix(c, word) {
			matches = append(matches, c)
		}
	}
	slices.Sort(matches)
	matches = slices.Compact(matches)
	if len(matches) == 0 {
		return "", 0, false
	}
	done := commonPrefix(matches)
	if len(matches) == 1 {
		done += " "
	}
	if done == word {
		return "", 0, false
	}
	head := line[:len(line)-len(word)]
	out := head + done
	return out, len(out), true
}

func commonPrefix(words []string) string {
	p := words[0]
	for _, w := range words[1:] {
		for !strings.HasPrefix(w, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
