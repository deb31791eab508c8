package fleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/rueidis"
	"github.com/stratus-cloud/stratus/transport"
)

// The shared rate budget.
//
// Every window the client knows (DigitalOcean: 250 a minute and 5,000 an
// hour) is one GCRA limiter whose theoretical arrival time (TAT) lives in
// Redis under <prefix>{<account>}:rate:<period in ms>. One Lua script, run on
// Redis's own clock (TIME), admits a request only when every window
// admits it, and then moves every window's TAT on; when one refuses none
// is spent. The script gives the request its slot: it answers at once
// with the wait until that slot, and the caller sleeps that long and
// sends, without asking again (a slot is given at most reserveAhead
// ahead; a longer wait is slept and asked again).
//
// A GCRA with a burst of a whole window's limit admits up to twice the
// limit in a sliding window (the burst, then the refill), and the
// providers count sliding windows. Each window is therefore spent with a
// burst of Limit/20 (at least 1) and an interval of P'/(Limit-burst+1),
// where P' is the period plus a margin (P/50 + 100 ms, or Options.Slack)
// for the varying
// delay between a request's slot and its arrival at the provider. Any
// sliding period then holds at most Limit requests, and a busy fleet uses
// about (Limit-burst+1)/Limit of the window (95% for DigitalOcean's
// windows, less the margin).
//
// A 429 that names a Retry-After sets <prefix>{<account>}:pause (SET ... PX,
// only ever extended), which every worker's script honours. The quota the
// provider reports (DigitalOcean: ratelimit-remaining and -reset, of its
// longest window) corrects the longest window: when the provider says
// fewer requests remain before the reset than the budget would still
// admit by then, that window's TAT is moved forward until the two agree.
//
// While Redis cannot be reached (the fleet's call deadline and breaker),
// each process spends a local share of every window: (Limit-burst)/N per
// period, N being the most processes counted spending the account's
// budget (a ZSET of process ids in Redis, each counted for workersTTL
// after its last heartbeat; the count is remembered), at least
// Options.Workers, or DefaultWorkers when none was ever counted. The local share starts one interval
// after the fall-back, so the fleet's spending before and the local
// shares after never add up beyond a window. When Redis answers again,
// each process charges the budget with what it admitted locally within
// each window, and sharing resumes.

const (
	// DefaultWorkers is the number of processes assumed to share an
	// account's budget while Redis is down, when none was ever counted
	// and Options.Workers is 0.
	DefaultWorkers = 10
	// burstShare is the part of a window's limit that may go at once.
	burstShare = 20
	// reserveAhead is the least of the longest wait for which the script
	// gives a slot: half the shortest window, at least 1 s (and at most
	// 30 s). A longer wait is slept and asked again.
	reserveAhead = time.Second
	// workersTTL is how long a process counts as spending after its last
	// heartbeat; beatEvery is how often it sends one.
	workersTTL = 30 * time.Second
	beatEvery  = time.Second
	// correctEvery bounds how often one process sends a correction.
	correctEvery = 250 * time.Millisecond
)

// BudgetStats count what the fleet's rate budgets did in this process.
type BudgetStats struct {
	Admitted    int64         // requests admitted by the shared budget (Redis)
	Waited      int64         // of those, admitted after a wait for their slot
	Wait        time.Duration // total time waited by admitted requests
	Refused     int64         // refused: the wait was beyond the pause bound or the deadline
	Fallbacks   int64         // requests admitted by the local share while Redis could not be reached
	Pauses      int64         // fleet-wide pauses set after a 429 with Retry-After
	Corrections int64         // times the provider's quota moved the budget on
	Charged     int64         // local admissions charged to the shared budget when Redis answered again
	Commands    int64         // Redis commands the budgets sent
	Workers     int           // processes last counted spending one account's budget (the largest)
}

// BudgetStats reports the use of the fleet's rate budgets by this process.
func (f *Fleet) BudgetStats() BudgetStats {
	b := f.budgets()
	st := BudgetStats{
		Admitted: b.admitted.Load(), Waited: b.waited.Load(), Wait: time.Duration(b.wait.Load()),
		Refused: b.refused.Load(), Fallbacks: b.fallbacks.Load(), Pauses: b.pauses.Load(),
		Corrections: b.corrections.Load(), Charged: b.charged.Load(), Commands: b.commands.Load(),
	}
	b.mu.Lock()
	for _, s := range b.spenders {
		s.mu.Lock()
		st.Workers = max(st.Workers, s.workers)
		s.mu.Unlock()
	}
	b.mu.Unlock()
	return st
}

// Capacity is the most requests the windows allow in d: for each window
// its limit once for every period begun in d, and the least of those. It
// is what a fleet's use of the budget is measured against.
func Capacity(windows []transport.Window, d time.Duration) int {
	best := -1
	for _, w := range windows {
		if w.Limit <= 0 || w.Period <= 0 {
			continue
		}
		n := int((d + w.Period - 1) / w.Period)
		if c := max(n, 1) * w.Limit; best < 0 || c < best {
			best = c
		}
	}
	return max(best, 0)
}

// budgetState is the fleet's part for the rate budgets (a field of Fleet).
type budgetState struct {
	once sync.Once
	b    *budgetSet
}

type budgetSet struct {
	id string // this process's id in the heartbeat sets: random, no host name

	mu       sync.Mutex
	spenders map[string]*spender

	admitted, waited, wait, refused, fallbacks atomic.Int64
	pauses, corrections, charged, commands     atomic.Int64
}

func (f *Fleet) budgets() *budgetSet {
	f.budget.once.Do(func() {
		var raw [8]byte
		rand.Read(raw[:])
		f.budget.b = &budgetSet{id: hex.EncodeToString(raw[:]), spenders: map[string]*spender{}}
	})
	return f.budget.b
}

// Spender returns the fleet's rate budget of one account, spending the
// given windows; nil when there is no window to spend. The clients of
// one account in a process share one spender (and one local share).
func (f *Fleet) Spender(account string, windows []transport.Window) transport.Spender {
	ws := gcraWindows(windows, f.opt.Slack)
	if len(ws) == 0 || account == "" {
		return nil
	}
	b := f.budgets()
	var key strings.Builder
	key.WriteString(account)
	for _, w := range ws {
		key.WriteString("|" + strconv.Itoa(w.limit) + "/" + strconv.FormatInt(w.period.Milliseconds(), 10))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if s := b.spenders[key.String()]; s != nil {
		return s
	}
	shortest := ws[0].period
	for _, w := range ws {
		shortest = min(shortest, w.period)
	}
	s := &spender{f: f, set: b, windows: ws, now: time.Now, ahead: min(max(shortest/2, reserveAhead), 30*reserveAhead)}
	// The braces keep an account's keys in one Cluster slot, so that one
	// script may touch them all (as the cache's keys).
	base := f.opt.Prefix + "{" + account + "}:"
	for _, w := range ws {
		s.keys = append(s.keys, base+"rate:"+strconv.FormatInt(w.period.Milliseconds(), 10))
	}
	s.pauseKey = base + "pause"
	s.workersKey = base + "workers"
	s.local = make([]localWindow, len(ws))
	b.spenders[key.String()] = s
	return s
}

// gcraWindow is one window as the budget spends it.
type gcraWindow struct {
	limit  int
	period time.Duration // the provider's
	span   time.Duration // period plus the margin: P'
	burst  int
	t      time.Duration // emission interval
	tau    time.Duration // burst tolerance: (burst-1)·t
}

// budgetMargin is added to a window's period for the varying delay
// between a slot and the request's arrival at the provider.
func budgetMargin(p, slack time.Duration) time.Duration {
	if slack > 0 {
		return slack
	}
	return p/50 + 100*time.Millisecond
}

func gcraWindows(windows []transport.Window, slack time.Duration) []gcraWindow {
	byPeriod := map[time.Duration]int{}
	var order []time.Duration
	for _, w := range windows {
		if w.Limit <= 0 || w.Period <= 0 {
			continue
		}
		if l, ok := byPeriod[w.Period]; !ok || w.Limit < l {
			if !ok {
				order = append(order, w.Period)
			}
			byPeriod[w.Period] = w.Limit
		}
	}
	var ws []gcraWindow
	for _, p := range order {
		l := byPeriod[p]
		burst := max(l/burstShare, 1)
		span := p + budgetMargin(p, slack)
		t := span / time.Duration(l-burst+1)
		ws = append(ws, gcraWindow{limit: l, period: p, span: span, burst: burst, t: t, tau: time.Duration(burst-1) * t})
	}
	return ws
}

// longest is the index of the window the provider's quota speaks of.
func longest(ws []gcraWindow) int {
	i := 0
	for j, w := range ws {
		if w.period > ws[i].period {
			i = j
		}
	}
	return i
}

// takeScript admits one request under every window, all or nothing.
//
// KEYS: the windows' TAT keys, then the pause key, then the workers set.
// ARGV: the longest wait for which a slot is given (µs), the index of the
// longest window, this process's id ("" for no heartbeat), the workers'
// lifetime (ms), then per window its interval and tolerance (µs) and the
// debt (requests admitted locally while Redis was away).
// Reply: {1 admitted or 0 refused, the wait until the slot (µs), the
// number of processes spending, the longest window's TAT minus now (µs)}.
var takeScript = rueidis.NewLuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local n = #KEYS - 2
local maxwait = tonumber(ARGV[1])
local long = tonumber(ARGV[2])
local workers = -1
if ARGV[3] ~= '' then
  local ms = math.floor(now / 1000)
  local ttl = tonumber(ARGV[4])
  redis.call('ZADD', KEYS[n + 2], ms, ARGV[3])
  redis.call('ZREMRANGEBYSCORE', KEYS[n + 2], '-inf', ms - ttl)
  redis.call('PEXPIRE', KEYS[n + 2], ttl)
  workers = redis.call('ZCARD', KEYS[n + 2])
end
local at = now
local p = tonumber(redis.call('GET', KEYS[n + 1]) or '0') or 0
if p > at then at = p end
local tats, ivs, owed = {}, {}, false
for i = 1, n do
  local iv = tonumber(ARGV[3 + 3 * i - 1])
  local tau = tonumber(ARGV[3 + 3 * i])
  local debt = tonumber(ARGV[3 + 3 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if tat < now then tat = now end
  if debt > 0 then
    tat = tat + debt * iv
    owed = true
  end
  tats[i], ivs[i] = tat, iv
  if tat - tau > at then at = tat - tau end
end
local function put(i, tat)
  redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', math.floor((tat - now) / 1000) + 1)
end
local wait = at - now
if wait > maxwait then
  if owed then
    for i = 1, n do put(i, tats[i]) end
  end
  return {0, math.floor(wait), workers, math.floor(tats[long] - now)}
end
for i = 1, n do
  local tat = tats[i]
  if tat < at then tat = at end
  tats[i] = tat + ivs[i]
  put(i, tats[i])
end
return {1, math.floor(wait), workers, math.floor(tats[long] - now)}
`)

// pauseScript extends the fleet-wide pause. KEYS: the pause key. ARGV:
// the pause (µs). Reply: 1 when extended.
var pauseScript = rueidis.NewLuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local d = tonumber(ARGV[1])
local untilv = now + d
local cur = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if untilv <= cur then return 0 end
redis.call('SET', KEYS[1], string.format('%.0f', untilv), 'PX', math.floor(d / 1000) + 1)
return 1
`)

// correctScript moves the longest window's TAT forward so that it admits
// no more than the provider's remaining before the provider's reset.
// KEYS: that window's TAT key. ARGV: its interval, its tolerance (µs),
// the remaining, the reset minus now (µs). Reply: 1 when moved.
var correctScript = rueidis.NewLuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local iv, tau = tonumber(ARGV[1]), tonumber(ARGV[2])
local rem, reset = tonumber(ARGV[3]), now + tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local want = reset + tau - (rem - 1) * iv
if want <= tat then return 0 end
redis.call('SET', KEYS[1], string.format('%.0f', want), 'PX', math.floor((want - now) / 1000) + 1)
return 1
`)

// guarded sends a script's commands through the fleet's deadline and
// breaker (rueidis's Lua.Exec sends EVALSHA, then EVAL on NOSCRIPT).
type guarded struct {
	rueidis.Client
	f *Fleet
	n *atomic.Int64
}

func (g guarded) Do(ctx context.Context, cmd rueidis.Completed) rueidis.RedisResult {
	g.n.Add(1)
	res, err := g.f.do(ctx, func(rueidis.Builder) rueidis.Completed { return cmd })
	if err != nil && res.Error() == nil {
		return rueidis.NewErrorResult(err)
	}
	return res
}

// eval runs a script under the fleet's deadline and breaker.
func (f *Fleet) eval(ctx context.Context, s *rueidis.Lua, keys, args []string) ([]int64, error) {
	rc := f.client()
	if rc == nil {
		return nil, ErrUnavailable
	}
	// The breaker is asked by do, once a command (asking here too would
	// spend its probe).
	res := s.Exec(ctx, guarded{Client: rc, f: f, n: &f.budgets().commands}, keys, args)
	if err := res.Error(); err != nil {
		return nil, err
	}
	if v, err := res.AsIntSlice(); err == nil {
		return v, nil
	}
	n, err := res.AsInt64()
	return []int64{n}, err
}

// spender is one account's budget in one process.
type spender struct {
	f          *Fleet
	set        *budgetSet
	windows    []gcraWindow
	keys       []string
	pauseKey   string
	workersKey string
	now        func() time.Time
	ahead      time.Duration // the longest wait for which a slot is given

	mu       sync.Mutex
	workers  int       // processes counted at the last heartbeat; 0 never
	peak     int       // the most counted within workersTTL (of peakAt)
	peakAt   time.Time // when peak was counted
	lastBeat time.Time // when this process last sent a heartbeat
	tatLong  time.Time // the longest window's TAT as last seen, on our clock
	lastFix  time.Time // when a correction was last sent
	pauseTo  time.Time // a pause seen by this process (fleet-wide or local)
	down     bool      // spending the local share
	local    []localWindow
	localLog []time.Time // when local requests were admitted, not yet charged
}

// localWindow is the local share of one window: a GCRA on our clock.
type localWindow struct {
	t   time.Duration
	tat time.Time
}

var _ transport.Spender = (*spender)(nil)

// Take admits one request under the shared budget, or under the local
// share while Redis cannot be reached.
func (s *spender) Take(ctx context.Context, maxPause time.Duration) error {
	if maxPause <= 0 {
		maxPause = transport.DefaultMaxPause
	}
	start := s.now()
	deadline, hasDeadline := ctx.Deadline()
	retried := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := s.now()
		limit := start.Add(maxPause)
		if hasDeadline && deadline.Before(limit) {
			limit = deadline
		}
		// A pause this process knows of is waited here, without asking.
		s.mu.Lock()
		pause := s.pauseTo
		s.mu.Unlock()
		if pause.After(now) {
			if pause.After(limit) {
				return s.refuse(pause, "the pause after a 429")
			}
			if err := sleep(ctx, pause.Sub(now)); err != nil {
				return err
			}
			continue
		}
		ahead := min(limit.Sub(now), s.ahead)
		ok, wait, err := s.ask(ctx, max(ahead, 0))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// A call that timed out while the breaker is still closed (a
			// busy machine) is asked again, once, when the caller has time
			// for it: a process that leaves the shared budget for its
			// local share while the others stay spends on top of them.
			// Anything else (no connection, the breaker open, an error
			// Redis answered) goes to the local share at once.
			if !retried && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded)) && s.f.Available() && s.now().Add(s.f.opt.CallTimeout).Before(limit) {
				retried = true
				continue
			}
			return s.takeLocal(ctx, limit)
		}
		if ok {
			if wait > 0 {
				if err := sleep(ctx, wait); err != nil {
					return err
				}
				s.set.waited.Add(1)
				s.set.wait.Add(int64(s.now().Sub(start)))
			}
			s.set.admitted.Add(1)
			return nil
		}
		at := now.Add(wait)
		if at.After(limit) {
			return s.refuse(at, "the fleet's request window is spent")
		}
		// A slot further than s.ahead: sleep until it is near.
		if err := sleep(ctx, wait-s.ahead/2); err != nil {
			return err
		}
	}
}

func (s *spender) refuse(at time.Time, why string) error {
	s.set.refused.Add(1)
	return &transport.Error{
		Message: "fleet rate budget: " + why + "; calls accepted again at " + at.UTC().Format(time.RFC3339),
		Kind:    transport.ErrRateLimited, RetryAt: at,
	}
}

// ask runs the take script: whether a slot was given and the wait until
// it (or, refused, until one could be).
func (s *spender) ask(ctx context.Context, ahead time.Duration) (bool, time.Duration, error) {
	now := s.now()
	s.mu.Lock()
	id := ""
	if now.Sub(s.lastBeat) >= beatEvery {
		id = s.set.id
		s.lastBeat = now
	}
	owed := s.localLog
	s.localLog = nil
	debts := s.debts(owed, now)
	s.mu.Unlock()
	long := longest(s.windows)
	args := []string{
		strconv.FormatInt(ahead.Microseconds(), 10), strconv.Itoa(long + 1), id,
		strconv.FormatInt(workersTTL.Milliseconds(), 10),
	}
	for i, w := range s.windows {
		args = append(args, strconv.FormatInt(w.t.Microseconds(), 10), strconv.FormatInt(w.tau.Microseconds(), 10), strconv.Itoa(debts[i]))
	}
	keys := append(append([]string{}, s.keys...), s.pauseKey, s.workersKey)
	v, err := s.f.eval(ctx, takeScript, keys, args)
	if err == nil && len(v) != 4 {
		err = errors.New("fleet: the budget script answered an unexpected reply")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if id != "" {
			s.lastBeat = time.Time{}
		}
		// Not charged: owed again on the next call.
		s.localLog = append(owed, s.localLog...)
		return false, 0, err
	}
	s.down = false
	s.set.charged.Add(int64(debts[long]))
	if v[2] > 0 {
		s.workers = int(v[2])
		if s.workers >= s.peak || now.Sub(s.peakAt) > workersTTL {
			s.peak, s.peakAt = s.workers, now
		}
	}
	back := s.now()
	s.tatLong = back.Add(time.Duration(v[3]) * time.Microsecond)
	return v[0] == 1, time.Duration(v[1]) * time.Microsecond, nil
}

// debts counts, per window, the requests of log (admitted locally)
// within it, to be charged to the shared budget.
func (s *spender) debts(log []time.Time, now time.Time) []int {
	d := make([]int, len(s.windows))
	for i, w := range s.windows {
		cut := now.Add(-w.span)
		for _, at := range log {
			if at.After(cut) {
				d[i]++
			}
		}
	}
	return d
}

// share is the number of processes the local share divides the budget
// by. Called with s.mu.
func (s *spender) share() int {
	n := s.peak
	if w := s.f.opt.Workers; w > 0 {
		n = max(n, w)
	}
	if n <= 0 {
		n = DefaultWorkers
	}
	return n
}

// fallBack switches to the local share; its first request goes one
// interval later. Called with s.mu.
func (s *spender) fallBack(now time.Time) {
	if s.down {
		return
	}
	s.down = true
	n := s.share()
	for i, w := range s.windows {
		per := max((w.limit-w.burst)/n, 1)
		t := w.span / time.Duration(per)
		s.local[i] = localWindow{t: t, tat: now.Add(t)}
	}
}

// takeLocal admits one request under the local share.
func (s *spender) takeLocal(ctx context.Context, limit time.Time) error {
	s.mu.Lock()
	now := s.now()
	s.fallBack(now)
	at := now
	if s.pauseTo.After(at) {
		at = s.pauseTo
	}
	for _, lw := range s.local {
		if lw.tat.After(at) {
			at = lw.tat
		}
	}
	if at.After(limit) {
		s.mu.Unlock()
		return s.refuse(at, "the local share of the request window is spent (the fleet's Redis is unreachable)")
	}
	for i := range s.local {
		s.local[i].tat = at.Add(s.local[i].t)
	}
	if len(s.localLog) < 1<<16 {
		s.localLog = append(s.localLog, at)
	}
	s.mu.Unlock()
	if err := sleep(ctx, at.Sub(now)); err != nil {
		return err
	}
	s.set.fallbacks.Add(1)
	return nil
}

// Observe passes the provider's rate signals to the shared budget: a 429
// with Retry-After pauses the fleet, and a reported quota below what the
// budget would admit moves it on.
func (s *spender) Observe(status int, retryAfter time.Duration, remaining int, reset time.Time, quotaOK bool) {
	now := s.now()
	if status == http.StatusTooManyRequests && retryAfter > 0 {
		d := min(retryAfter, transport.DefaultMaxPause)
		s.mu.Lock()
		if until := now.Add(d); until.After(s.pauseTo) {
			s.pauseTo = until
		}
		s.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), s.f.opt.CallTimeout)
		v, err := s.f.eval(ctx, pauseScript, []string{s.pauseKey}, []string{strconv.FormatInt(d.Microseconds(), 10)})
		cancel()
		if err == nil && len(v) == 1 && v[0] == 1 {
			s.set.pauses.Add(1)
		}
		// A 429 that names a pause was refused by a short window: its
		// "0 remaining" is about that window, not the quota.
		if remaining == 0 {
			return
		}
	}
	if !quotaOK || remaining < 0 {
		return
	}
	i := longest(s.windows)
	w := s.windows[i]
	if !reset.After(now) {
		return
	}
	if lim := now.Add(w.span); reset.After(lim) {
		reset = lim
	}
	remaining = min(remaining, w.limit)
	s.mu.Lock()
	if s.down || s.tatLong.IsZero() || now.Sub(s.lastFix) < correctEvery {
		s.mu.Unlock()
		return
	}
	tat := s.tatLong
	if tat.Before(now) {
		tat = now
	}
	// What the budget would still admit before the reset, as last seen
	// (an older TAT: never less than Redis holds now), less the requests
	// the provider has not counted yet (about one a process in flight).
	believed := int(math.Floor(float64(reset.Add(w.tau).Sub(tat))/float64(w.t))) + 1
	if remaining+max(s.workers, 1) >= min(believed, w.limit) {
		s.mu.Unlock()
		return
	}
	s.lastFix = now
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), s.f.opt.CallTimeout)
	v, err := s.f.eval(ctx, correctScript, []string{s.keys[i]}, []string{
		strconv.FormatInt(w.t.Microseconds(), 10), strconv.FormatInt(w.tau.Microseconds(), 10),
		strconv.Itoa(remaining), strconv.FormatInt(reset.Sub(now).Microseconds(), 10),
	})
	cancel()
	if err == nil && len(v) == 1 && v[0] == 1 {
		s.set.corrections.Add(1)
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
