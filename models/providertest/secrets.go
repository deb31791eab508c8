package providertest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// printVerbs are the ways a value is printed.
var printVerbs = []string{"%v", "%+v", "%#v", "%s"}

// leak returns which secret (by its place in the list, never its text)
// text holds, or -1.
func (s *suite) leak(text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, sec := range s.secrets {
		if strings.Contains(text, sec) {
			return i
		}
	}
	return -1
}

func (s *suite) noLeak(t *testing.T, what, text string) {
	t.Helper()
	if i := s.leak(text); i >= 0 {
		// The text itself is not shown: it holds the secret.
		assert.Fail(t, "a secret leaked", "%s holds secret #%d (%d characters)", what, i, len(s.secrets[i]))
	}
}

// printed renders v in every printing verb and as JSON.
func printed(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range printVerbs {
		out[verb] = fmt.Sprintf(verb, v)
	}
	if b, err := json.Marshal(v); err == nil {
		out["json"] = string(b)
	}
	return out
}

// secretChecks run last, over every error, log line, object and client
// the other checks produced.
func (s *suite) secretChecks(t *testing.T) {
	s.mu.Lock()
	errs, objs, clients := s.errs, s.objs, s.clients
	s.mu.Unlock()

	t.Run("errors", func(t *testing.T) {
		require.NotEmpty(t, errs, "the checks produced errors to look at")
		for i, err := range errs {
			for form, text := range printed(err) {
				s.noLeak(t, fmt.Sprintf("error #%d (%s)", i, form), text)
			}
		}
	})
	t.Run("log_lines_text", func(t *testing.T) {
		text := s.text.String()
		require.Contains(t, text, "level=DEBUG", "the clients logged at debug level")
		s.noLeak(t, "the text log", text)
	})
	t.Run("log_lines_json", func(t *testing.T) {
		text := s.json.String()
		require.Contains(t, text, `"level":"DEBUG"`, "the clients logged at debug level")
		s.noLeak(t, "the JSON log", text)
	})
	t.Run("pprint", func(t *testing.T) {
		n := 0
		for _, o := range objs {
			r := o.Handle()
			if !r.Loaded() || r.LastError() != nil {
				continue
			}
			var b strings.Builder
			if assert.NoError(t, r.Pprint(&b), "Pprint of a %s", r.Kind().Name) {
				n++
				s.noLeak(t, "Pprint of a "+r.Kind().Name, b.String())
			}
		}
		require.Positive(t, n, "objects were printed")
	})
	t.Run("printed_values", func(t *testing.T) {
		require.NotEmpty(t, clients)
		for i, o := range objs {
			for form, text := range printed(o) {
				s.noLeak(t, fmt.Sprintf("object #%d, a %s (%s)", i, o.Handle().Kind().Name, form), text)
			}
		}
		for i, c := range clients {
			for form, text := range printed(c) {
				s.noLeak(t, fmt.Sprintf("client #%d (%s)", i, form), text)
			}
			for _, verb := range printVerbs {
				s.noLeak(t, fmt.Sprintf("client #%d settings (%s)", i, verb), fmt.Sprintf(verb, c.Settings()))
			}
		}
	})
}
