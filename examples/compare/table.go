package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stratus-cloud/stratus"
)

var nan = math.NaN()

func perItem(n uint64, items int) float64 {
	if items <= 0 {
		return nan
	}
	return float64(n) / float64(items)
}

func medianWall(ms []measurement) time.Duration {
	if len(ms) == 0 {
		return 0
	}
	d := make([]time.Duration, len(ms))
	for i, m := range ms {
		d[i] = m.wall
	}
	slices.Sort(d)
	if len(d)%2 == 1 {
		return d[len(d)/2]
	}
	return (d[len(d)/2-1] + d[len(d)/2]) / 2
}

func medianMallocs(ms []measurement) uint64 {
	if len(ms) == 0 {
		return 0
	}
	n := make([]uint64, len(ms))
	for i, m := range ms {
		n[i] = m.mallocs
	}
	slices.Sort(n)
	if len(n)%2 == 1 {
		return n[len(n)/2]
	}
	return (n[len(n)/2-1] + n[len(n)/2]) / 2
}

// requestRange is the fewest and the most requests of the runs.
func requestRange(ms []measurement) (lo, hi int, ok bool) {
	if len(ms) == 0 {
		return 0, 0, false
	}
	lo, hi = ms[0].requests, ms[0].requests
	for _, m := range ms[1:] {
		lo, hi = min(lo, m.requests), max(hi, m.requests)
	}
	return lo, hi, true
}

func fmtRequests(ms []measurement) string {
	lo, hi, ok := requestRange(ms)
	switch {
	case !ok:
		return "-"
	case lo == hi:
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

func fmtLatency(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	return d.String()
}

// fmtDur writes a duration with three significant digits.
func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

func fmtFloat(f float64) string {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return "-"
	case f >= 100 || f <= -100:
		return fmt.Sprintf("%.0f", f)
	case f >= 10 || f <= -10:
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprintf("%.2f", f)
}

// ratio is theirs / ours, NaN when either is missing.
func ratio(theirs, ours float64) float64 {
	if ours <= 0 || theirs <= 0 || math.IsNaN(ours) || math.IsNaN(theirs) {
		return nan
	}
	return theirs / ours
}

func (r *row) speedup() float64 {
	return ratio(float64(medianWall(r.Theirs)), float64(medianWall(r.Ours)))
}

// print writes the tables, the notes and the targets.
func (rep *report) print(w io.Writer) {
	if rep == nil {
		return
	}
	width := len("scenario")
	for _, r := range rep.Rows {
		width = max(width, len(r.Name))
	}
	name := func(s string) string { return fmt.Sprintf("%-*s", width, s) }
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, name("scenario")+"\tlatency\titems\treq ours\treq theirs\tsdk\ttime ours\ttime theirs\tx faster\talloc/item ours\talloc/item theirs\t")
	for _, r := range rep.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t",
			name(r.Name), fmtLatency(r.Latency), r.Items, fmtRequests(r.Ours), fmtRequests(r.Theirs), r.SDK,
			fmtDur(medianWall(r.Ours)), fmtDur(medianWall(r.Theirs)), fmtFloat(r.speedup()),
			fmtFloat(perItem(medianMallocs(r.Ours), r.Items)), fmtFloat(perItem(medianMallocs(r.Theirs), r.Items)))
		if r.Err != nil {
			fmt.Fprint(tw, " ERROR")
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "times are medians of the rounds; \"x faster\" is time theirs / time ours; requests are counted at the simulator.")
	fmt.Fprintln(w, "alloc/item counts every heap allocation of the process during the run (runtime.MemStats.Mallocs), so it")
	fmt.Fprintln(w, "includes the in-process simulator's work for that side's requests; the next table nets it out.")
	for _, n := range rep.Notes {
		fmt.Fprintln(w, "note: "+n)
	}

	if len(rep.Allocs) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "allocations per item, net of a bare net/http replay of the same side's requests against the same simulator")
		fmt.Fprintln(w, "(raw: the table above at the first latency; replay: the simulator's work plus a minimal client; net = raw - replay)")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, name("scenario")+"\tlatency\traw ours\traw theirs\treplay ours\treplay theirs\tnet ours\tnet theirs\tnet ours/theirs\t")
		for _, a := range rep.Allocs {
			no, nt := a.net()
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", name(a.Name), fmtLatency(a.Latency),
				fmtFloat(a.OursRaw), fmtFloat(a.TheirsRaw), fmtFloat(a.OursReplay), fmtFloat(a.TheirsReplay),
				fmtFloat(no), fmtFloat(nt), fmtFloat(ratio(no, nt)))
		}
		tw.Flush()
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "targets (stratus concurrency %d)\n", rep.cfg.Concurrency)
	if rep.cfg.Sizes != fullSizes {
		fmt.Fprintln(w, "(sizes scaled down: the speed targets are meant for the full sizes, with more round trips to hide)")
	}
	for _, t := range rep.targets() {
		fmt.Fprintf(w, "%-4s  %s\n", t.status(), t.text)
		for _, d := range t.detail {
			fmt.Fprintf(w, "      %s\n", d)
		}
	}
}

// net is the allocations per item beyond the bare replay, NaN when the
// replay was not measured.
func (a *allocRow) net() (ours, theirs float64) {
	return a.OursRaw - a.OursReplay, a.TheirsRaw - a.TheirsReplay
}

// target is one line of the targets section.
type target struct {
	ok     bool
	na     bool // could not be checked in this run
	text   string
	detail []string
}

func (t target) status() string {
	switch {
	case t.na:
		return "n/a"
	case t.ok:
		return "PASS"
	}
	return "MISS"
}

// find returns the row of a scenario at a latency, nil if it was not run
// or failed.
func (rep *report) find(name string, lat time.Duration) *row {
	for _, r := range rep.Rows {
		if r.Name == name && r.Latency == lat && r.Err == nil && len(r.Ours) > 0 && len(r.Theirs) > 0 {
			return r
		}
	}
	return nil
}

// rowsNamed returns every measured row of a scenario.
func (rep *report) rowsNamed(name string) []*row {
	var out []*row
	for _, r := range rep.Rows {
		if r.Name == name && len(r.Ours) > 0 {
			out = append(out, r)
		}
	}
	return out
}

const targetLatency = 20 * time.Millisecond

// targets checks the performance targets against what was measured.
func (rep *report) targets() []target {
	var out []target
	n := rep.cfg.Concurrency
	na := func(name, text string) target {
		if len(rep.rowsNamed(name)) == 0 {
			return target{na: true, text: name + ": " + text + " (not run)"}
		}
		return target{na: true, text: name + ": " + text + " (not measured at " + fmtLatency(targetLatency) + ")"}
	}
	speed := func(r *row, want float64, ceiling float64) target {
		x := r.speedup()
		return target{ok: x >= want, text: fmt.Sprintf("%s at %s: %sx faster than %s (target >= %gx; round-trip ceiling with %d in flight: %sx)",
			r.Name, fmtLatency(r.Latency), fmtFloat(x), r.SDK, want, n, fmtFloat(ceiling))}
	}

	// 1. Listing: same requests as godo, >= 8x faster, near the floor.
	if r := rep.find(nameList, targetLatency); r != nil {
		lo, hi, _ := requestRange(r.Ours)
		tlo, thi, _ := requestRange(r.Theirs)
		out = append(out, target{ok: lo == hi && tlo == thi && lo == tlo,
			text: fmt.Sprintf("%s at %s: same requests as godo (ours %s, godo %s)", r.Name, fmtLatency(r.Latency), fmtRequests(r.Ours), fmtRequests(r.Theirs))})
		pages := ceilDiv(r.Items, droplistPer)
		t := speed(r, 8, ratio(float64(pages), float64(1+ceilDiv(pages-1, n))))
		ours := medianWall(r.Ours)
		floor := 2 * r.Latency
		t.detail = append(t.detail, fmt.Sprintf("floor ~2 round trips + transfer: ours %s = %s x (2 x latency)", fmtDur(ours), fmtFloat(ratio(float64(ours), float64(floor)))))
		if r0 := rep.find(nameList, 0); r0 != nil {
			transfer := medianWall(r0.Ours)
			t.detail = append(t.detail, fmt.Sprintf("with the transfer measured at latency 0 (%s): floor %s, ours = %s x floor",
				fmtDur(transfer), fmtDur(floor+transfer), fmtFloat(ratio(float64(ours), float64(floor+transfer)))))
		}
		t.detail = append(t.detail, fmt.Sprintf("%d pages: %d round trips with %d in flight, %d for godo", pages, 1+ceilDiv(pages-1, n), n, pages))
		out = append(out, t)
	} else {
		out = append(out, na(nameList, "same requests as godo and >= 8x faster"))
	}

	// 2. Gets by id: >= 10x.
	if r := rep.find(nameGet, targetLatency); r != nil {
		out = append(out, speed(r, 10, ratio(float64(r.Items), float64(ceilDiv(r.Items, n)))))
	} else {
		out = append(out, na(nameGet, ">= 10x faster"))
	}

	// 3. Servers: ids mode >= 15x faster; bulk >= 50x fewer requests.
	if r := rep.find(nameIDs, targetLatency); r != nil {
		// Both sides read the server clock and the list, then one request
		// per server: go-ovh one at a time, stratus n at a time.
		out = append(out, speed(r, 15, ratio(float64(r.Items+2), float64(2+ceilDiv(r.Items, n)))))
	} else {
		out = append(out, na(nameIDs, ">= 15x faster"))
	}
	if r := rep.find(nameBulk, targetLatency); r != nil {
		_, ours, _ := requestRange(r.Ours)
		theirs, _, _ := requestRange(r.Theirs)
		x := ratio(float64(theirs), float64(ours))
		out = append(out, target{ok: x >= 50, text: fmt.Sprintf("%s at %s: %sx fewer requests than go-ovh (ours %s, go-ovh %s; target >= 50x)",
			r.Name, fmtLatency(r.Latency), fmtFloat(x), fmtRequests(r.Ours), fmtRequests(r.Theirs))})
	} else {
		out = append(out, na(nameBulk, ">= 50x fewer requests"))
	}

	// 5. Cache: the second listing sends nothing, at every latency.
	if rs := rep.rowsNamed(nameCache); len(rs) > 0 {
		out = append(out, countTarget(rs, 0, "second listing requests"))
	} else {
		out = append(out, na(nameCache, "second listing 0 requests"))
	}
	// 6. One request for any number of readers.
	if rs := rep.rowsNamed(nameReaders); len(rs) > 0 {
		out = append(out, countTarget(rs, 1, "requests"))
	} else {
		out = append(out, na(nameReaders, "exactly 1 request"))
	}

	// 7. The big listing under the limits: completes (a failed run leaves
	// no row), no slower than godo's loop.
	if r := rep.find(nameLimitList, targetLatency); r != nil {
		x := r.speedup()
		out = append(out, target{ok: x >= 1, text: fmt.Sprintf("%s at %s: completes, %s vs godo %s (%sx; target: no slower than godo, 0 failures)",
			r.Name, fmtLatency(r.Latency), fmtDur(medianWall(r.Ours)), fmtDur(medianWall(r.Theirs)), fmtFloat(x))})
	} else {
		out = append(out, na(nameLimitList, "completes, no slower than godo"))
	}
	// 8. The defaults: the provider's page size (requests), >= 8x godo's
	// README loop, within 1.5x of the floor.
	if r := rep.find(nameDefaultList, targetLatency); r != nil {
		pages := ceilDiv(r.Items, 200)
		lo, hi, _ := requestRange(r.Ours)
		out = append(out, target{ok: lo == pages && hi == pages, text: fmt.Sprintf("%s at %s: %d requests (ours %s; target %d)", r.Name, fmtLatency(r.Latency), pages, fmtRequests(r.Ours), pages)})
		dc := stratus.DefaultConcurrency
		t := speed(r, 8, ratio(float64(ceilDiv(r.Items, 20)), float64(1+ceilDiv(pages-1, dc))))
		out = append(out, t)
		if r0 := rep.find(nameDefaultList, 0); r0 != nil {
			ours := medianWall(r.Ours)
			rounds := 1 + ceilDiv(pages-1, dc)
			floor := time.Duration(min(rounds, 2))*r.Latency + medianWall(r0.Ours)
			x := ratio(float64(ours), float64(floor))
			out = append(out, target{ok: x <= 1.5, text: fmt.Sprintf("%s at %s: %s = %sx the floor %s (2 round trips + the transfer at latency 0, %d in flight; target <= 1.5x)",
				r.Name, fmtLatency(r.Latency), fmtDur(ours), fmtFloat(x), fmtDur(floor), dc)})
		} else {
			out = append(out, na(nameDefaultList, "within 1.5x of the floor"))
		}
	} else {
		out = append(out, na(nameDefaultList, "50 requests, >= 8x godo, within 1.5x of the floor"))
	}
	// 9. Waiting: completes, <= 10 requests a round, faster than godo.
	if r := rep.find(nameWait, targetLatency); r != nil {
		most := waitRounds.Load()
		x := r.speedup()
		out = append(out, target{ok: most <= 10 && x > 1, text: fmt.Sprintf("%s at %s: at most %d requests a polling round (target <= 10), %s requests in all vs godo %s, %sx faster (target > 1x)",
			r.Name, fmtLatency(r.Latency), most, fmtRequests(r.Ours), fmtRequests(r.Theirs), fmtFloat(x))})
	} else {
		out = append(out, na(nameWait, "<= 10 requests a round, faster than godo"))
	}

	out = append(out, streamTargets(rep)...)
	out = append(out, decodeTarget(rep)...)
	for _, f := range extraTargets {
		out = append(out, f(rep)...)
	}

	// Allocations: ours <= theirs / 4, net of the simulator when measured.
	for _, a := range rep.Allocs {
		if a.SDK == sdkInTurn {
			continue // stratus on both sides: no SDK to compare with
		}
		no, nt := a.net()
		which := "net"
		if math.IsNaN(no) || math.IsNaN(nt) {
			no, nt, which = a.OursRaw, a.TheirsRaw, "raw"
		}
		x := ratio(no, nt)
		t := target{ok: !math.IsNaN(x) && x <= 0.25,
			text: fmt.Sprintf("%s: allocations per item <= 1/4 of %s's: %s %s vs %s = %s",
				a.Name, a.SDK, which, fmtFloat(no), fmtFloat(nt), fmtFloat(x))}
		if which == "net" {
			t.text += fmt.Sprintf(" (raw %s vs %s)", fmtFloat(a.OursRaw), fmtFloat(a.TheirsRaw))
		}
		if math.IsNaN(x) && no <= 0 && nt > 0 {
			t.ok = true // nothing allocated beyond the bare replay
		}
		out = append(out, t)
	}
	return out
}

// countTarget checks that every stratus run of the rows sent exactly want
// requests.
func countTarget(rs []*row, want int, what string) target {
	ok := true
	var parts []string
	for _, r := range rs {
		lo, hi, _ := requestRange(r.Ours)
		ok = ok && lo == want && hi == want && r.Err == nil
		parts = append(parts, fmt.Sprintf("%s: ours %s, %s %s", fmtLatency(r.Latency), fmtRequests(r.Ours), r.SDK, fmtRequests(r.Theirs)))
	}
	return target{ok: ok, text: fmt.Sprintf("%s: %s exactly %d in every run (%s)", rs[0].Name, what, want, strings.Join(parts, "; "))}
}

func ceilDiv(a, b int) int {
	if b <= 0 {
		return a
	}
	return (a + b - 1) / b
}
