package main

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// didYouMean returns " (did you mean "x"?)" when one or two candidates are
// close to word (a few typos away, or starting with it), else the hint in
// parentheses, else "".
func didYouMean(word string, candidates []string, hint ...string) string {
	w := strings.ToLower(word)
	best, bestD := []string(nil), 3
	if len(w) <= 3 {
		bestD = 2
	}
	for _, c := range candidates {
		d := distance(w, strings.ToLower(c))
		if strings.HasPrefix(strings.ToLower(c), w) && w != "" {
			d = min(d, 1)
		}
		switch {
		case d < bestD:
			best, bestD = []string{c}, d
		case d == bestD && !slices.Contains(best, c):
			best = append(best, c)
		}
	}
	if len(best) > 0 && len(best) <= 3 {
		quoted := make([]string, len(best))
		for i, b := range best {
			quoted[i] = `"` + b + `"`
		}
		return " (did you mean " + strings.Join(quoted, " or ") + "?)"
	}
	if len(hint) > 0 {
		return " (" + strings.Join(hint, "; ") + ")"
	}
	return ""
}

// distance is the edit distance of a and b (insertions, deletions,
// substitutions and swaps of neighbours each count one).
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func commandNames() []string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
		names = append(names, c.aliases...)
	}
	return names
}

// seenIDs remembers the ids the session printed, by provider and kind, for
// completion. It keeps the most recent ones.
type seenIDs struct {
	mu  sync.Mutex
	ids map[string][]string // "provider/kind" -> ids, oldest first
}

const seenPerKind = 500

func newSeenIDs() *seenIDs { return &seenIDs{ids: map[string][]string{}} }

func (s *seenIDs) add(provider, kind string, ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := provider + "/" + kind
	list := s.ids[key]
	for _, id := range ids {
		if id == "" {
			continue
		}
		if i := slices.Index(list, id); i >= 0 {
			list = slices.Delete(list, i, i+1)
		}
		list = append(list, id)
	}
	if len(list) > seenPerKind {
		list = list[len(list)-seenPerKind:]
	}
	s.ids[key] = list
}

func (s *seenIDs) list(provider, kind string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ids[provider+"/"+kind])
}

// defaultHistoryFile is where the history is kept: the user's state
// directory ($XDG_STATE_HOME, else ~/.local/state) or, failing that, the
// config directory, under stratus/.
func defaultHistoryFile(getenv func(string) string) string {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".local", "state")
		}
	}
	if dir == "" {
		var err error
		if dir, err = os.UserConfigDir(); err != nil {
			return ""
		}
	}
	return filepath.Join(dir, "stratus", "repl_history")
}

// historyLimit bounds the lines kept.
const historyLimit = 1000

// fileHistory is the terminal's history, read from a file at start and
// appended to as lines are entered. The file is the owner's alone (0600,
// in a 0700 directory): commands may name hosts and accounts. Failing to
// write it loses history, never the session.
type fileHistory struct {
	path    string
	entries []string // oldest first
}

func openHistory(path string) *fileHistory {
	h := &fileHistory{path: path}
	if f, err := os.Open(path); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if line := sc.Text(); strings.TrimSpace(line) != "" {
				h.entries = append(h.entries, line)
			}
		}
		f.Close()
	}
	if len(h.entries) > historyLimit {
		h.entries = h.entries[len(h.entries)-historyLimit:]
	}
	return h
}

// Add records a line, in memory and in the file.
func (h *fileHistory) Add(entry string) {
	entry = strings.TrimSpace(entry)
	if entry == "" || strings.ContainsAny(entry, "\r\n") {
		return
	}
	if n := len(h.entries); n > 0 && h.entries[n-1] == entry {
		return
	}
	switch strings.ToLower(entry) {
	case "y", "yes", "n", "no":
		return // answers to a question, not commands
	}
	h.entries = append(h.entries, entry)
	if len(h.entries) > historyLimit {
		h.entries = h.entries[1:]
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return
	}
	f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return
	}
	_ = f.Chmod(0o600) // a file made by hand with looser permissions
	_, _ = f.WriteString(entry + "\n")
	_ = f.Close()
}

// Len is the number of entries.
func (h *fileHistory) Len() int { return len(h.entries) }

// At returns the entry idx steps back: 0 is the most recent.
func (h *fileHistory) At(idx int) string { return h.entries[len(h.entries)-1-idx] }
