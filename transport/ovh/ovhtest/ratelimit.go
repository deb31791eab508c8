package ovhtest

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// bucket is a consumer key's token bucket: it holds up to RateLimit
// tokens and refills at RateLimit per minute of the server clock.
type bucket struct {
	primed bool
	tokens float64
	last   time.Time
}

// admit spends one token of the key's bucket, or answers 429 with the
// seconds until the next token in Retry-After.
func (s *Server) admit(c *call, cr *credential) bool {
	if s.rateLimit < 0 {
		return true
	}
	b := &cr.bucket
	capacity := float64(s.rateLimit)
	perSecond := capacity / 60
	if !b.primed {
		b.primed, b.tokens, b.last = true, capacity, c.now
	}
	if elapsed := c.now.Sub(b.last); elapsed > 0 {
		b.tokens = min(capacity, b.tokens+elapsed.Seconds()*perSecond)
	}
	// A clock that went back restarts the refill from its new time.
	b.last = c.now
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	wait := int(math.Ceil((1 - b.tokens) / perSecond))
	c.rep.Header.Set("Retry-After", strconv.Itoa(max(wait, 1)))
	c.fail(http.StatusTooManyRequests, "", "Too many requests, please retry later")
	return false
}
