package digitaloceantest

import (
	"math"

	"net/http"
	"sort"
	"strconv"
	"time"

	wire "github.com/stratus-cloud/stratus/transport/digitalocean"
)

// window holds the times of one token's counted requests over the last
// hour (the hourly window), oldest first.
type window struct {
	times []time.Time
	hour  time.Duration
	burst time.Duration
}

func (w *window) prune(now time.Time) {
	cut := now.Add(-w.hour)
	i := sort.Search(len(w.times), func(i int) bool { return w.times[i].After(cut) })
	if i > 0 {
		w.times = w.times[i:]
	}
}

// inBurst is the index of the first request inside the last minute.
func (w *window) inBurst(now time.Time) int {
	cut := now.Add(-w.burst)
	return sort.Search(len(w.times), func(i int) bool { return w.times[i].After(cut) })
}

// admit applies the sliding hourly and burst limits of the token, sets the
// ratelimit headers and, when a limit is hit, the 429 reply.
func (s *Server) admit(c *call, token string) bool {
	w := s.windows[token]
	if w == nil {
		w = &window{}
		s.windows[token] = w
	}
	w.hour, w.burst = s.hourPeriod, s.burstPeriod
	w.prune(c.now)
	limit := s.hourly
	if limit < 0 {
		limit = math.MaxInt32
	}
	h := c.rep.Header
	setReset := func() {
		reset := c.now.Add(s.hourPeriod)
		if len(w.times) > 0 {
			reset = w.times[0].Add(s.hourPeriod)
		}
		h.Set("ratelimit-reset", strconv.FormatInt(reset.Unix(), 10))
	}
	h.Set("ratelimit-limit", strconv.Itoa(limit))

	if s.hourly > 0 && len(w.times) >= s.hourly {
		h.Set("ratelimit-remaining", "0")
		setReset()
		s.refused++
		c.fail(http.StatusTooManyRequests, "too_many_requests", "API rate limit exceeded.")
		return false
	}
	if s.burst > 0 {
		if i := w.inBurst(c.now); len(w.times)-i >= s.burst {
			// The burst frees up when the oldest request of the last minute
			// leaves the window.
			oldest := w.times[len(w.times)-s.burst]
			wait := oldest.Add(s.burstPeriod).Sub(c.now)
			secs := int(math.Ceil(wait.Seconds()))
			h.Set("ratelimit-remaining", "0")
			h.Set("retry-after", strconv.Itoa(max(secs, 1)))
			setReset()
			s.refused++
			c.fail(http.StatusTooManyRequests, "too_many_requests", "API rate limit exceeded.")
			return false
		}
	}
	if s.hourly > 0 {
		w.times = append(w.times, c.now)
	}
	if s.hourly < 0 && s.burst > 0 {
		// Only the last minute matters; keep the slice short.
		w.times = append(w.times[w.inBurst(c.now):], c.now)
	}
	h.Set("ratelimit-remaining", strconv.Itoa(max(limit-len(w.times), 0)))
	setReset()
	return true
}

// admitEndpoint applies the windows of single endpoints
// (wire.EndpointWindows: 10 SSH-key listings a minute, 5 CDN calls in 10
// seconds) to a token's request, while the burst limit is on. A refusal is
// a 429 with retry-after, like the burst's, and does not count against
// the token's own windows.
func (s *Server) admitEndpoint(c *call, token string) bool {
	if s.burst <= 0 {
		return true
	}
	for i, ew := range wire.EndpointWindows {
		if !ew.Matches(c.r.Method, c.r.URL.Path) {
			continue
		}
		key := token + "\x00" + strconv.Itoa(i)
		log := s.endpointLog[key]
		cut := c.now.Add(-ew.Period)
		log = log[sort.Search(len(log), func(j int) bool { return log[j].After(cut) }):]
		if len(log) >= ew.Limit {
			wait := log[len(log)-ew.Limit].Add(ew.Period).Sub(c.now)
			s.rateHeaders(c, token)
			c.rep.Header.Set("retry-after", strconv.Itoa(max(int(math.Ceil(wait.Seconds())), 1)))
			s.endpointLog[key] = log
			s.refused++
			c.fail(http.StatusTooManyRequests, "too_many_requests", "API rate limit exceeded.")
			return false
		}
		s.endpointLog[key] = append(log, c.now)
	}
	return true
}

// rateHeaders sets the ratelimit headers without counting the request (for
// unauthenticated requests and injected faults).
func (s *Server) rateHeaders(c *call, token string) {
	limit := s.hourly
	if limit < 0 {
		limit = math.MaxInt32
	}
	used := 0
	reset := c.now.Add(s.hourPeriod)
	if w := s.windows[token]; w != nil {
		w.hour, w.burst = s.hourPeriod, s.burstPeriod
		w.prune(c.now)
		used = len(w.times)
		if used > 0 {
			reset = w.times[0].Add(s.hourPeriod)
		}
	}
	h := c.rep.Header
	h.Set("ratelimit-limit", strconv.Itoa(limit))
	h.Set("ratelimit-remaining", strconv.Itoa(max(limit-used, 0)))
	h.Set("ratelimit-reset", strconv.FormatInt(reset.Unix(), 10))
}

// Refused is the number of requests the rate limit answered with 429
// (injected 429 faults are not counted).
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}
