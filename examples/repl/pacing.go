package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// pacer is the log handler of every client of the REPL: it reports retries
// and rate-limit pauses on stderr as they happen, so that a slow command
// says why, and counts what it saw per provider for the ratelimit command.
type pacer struct {
	mu    sync.Mutex
	w     io.Writer
	stats map[string]*pace
}

// pace is what was observed of one provider.
type pace struct {
	requests, retries, pauses int
	paused                    time.Duration
}

// shownPause is the shortest pause reported as it happens (all are counted).
const shownPause = 200 * time.Millisecond

func newPacer(w io.Writer) *pacer { return &pacer{w: w, stats: map[string]*pace{}} }

func (p *pacer) Enabled(context.Context, slog.Level) bool { return true }
func (p *pacer) WithAttrs([]slog.Attr) slog.Handler       { return p }
func (p *pacer) WithGroup(string) slog.Handler            { return p }

func (p *pacer) Handle(_ context.Context, r slog.Record) error {
	a := map[string]slog.Value{}
	r.Attrs(func(at slog.Attr) bool {
		a[at.Key] = at.Value.Resolve()
		return true
	})
	str := func(k string) string {
		if v, ok := a[k]; ok {
			return v.String()
		}
		return ""
	}
	dur := func(k string) time.Duration {
		if v, ok := a[k]; ok && v.Kind() == slog.KindDuration {
			return v.Duration()
		}
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.stats[str("provider")]
	if st == nil {
		st = &pace{}
		p.stats[str("provider")] = st
	}
	switch r.Message {
	case "stratus request":
		st.requests++
	case "stratus retry":
		st.retries++
		why := str("status")
		if why == "" {
			why = str("error")
		}
		fmt.Fprintf(p.w, "  %s: attempt %s of %s %s failed (%s); retrying in %s\n",
			str("provider"), str("attempt"), str("method"), str("url"), why, dur("wait").Round(time.Millisecond))
	case "stratus pause":
		st.pauses++
		st.paused += dur("wait")
		if d := dur("wait"); d >= shownPause {
			fmt.Fprintf(p.w, "  %s: held %s by the rate limit before %s %s\n",
				str("provider"), d.Round(time.Millisecond), str("method"), str("url"))
		}
	}
	return nil
}

// observed describes what was seen of a provider: "12 requests, 1 retry,
// 3 pauses (1.2s in all)".
func (p *pacer) observed(provider string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.stats[provider]
	if st == nil {
		st = &pace{}
	}
	return fmt.Sprintf("%d requests, %d retries, %d rate-limit pauses (%s in all)",
		st.requests, st.retries, st.pauses, st.paused.Round(time.Millisecond))
}
