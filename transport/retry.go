package transport

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds how a request is tried again.
//
// What is retried: any request that never reached the server (the
// connection failed before the request was written); a 429, whatever the
// method, since the server refused it without acting; and, for GET, HEAD,
// PUT, DELETE and OPTIONS only, 5xx answers other than 501, connections
// reset after the request was sent, and truncated bodies. A POST that may
// have reached the server is never sent twice.
type RetryPolicy struct {
	MaxAttempts int           // total attempts, first one included; default 5; 1 disables retries
	MinDelay    time.Duration // first back-off; default 250ms
	MaxDelay    time.Duration // longest back-off; default 30s
	MaxElapsed  time.Duration // no new attempt after this much time; default 2m
}

// NoRetry is a policy that sends each request once.
var NoRetry = RetryPolicy{MaxAttempts: 1}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 5
	}
	if p.MinDelay <= 0 {
		p.MinDelay = 250 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.MaxDelay < p.MinDelay {
		p.MaxDelay = p.MinDelay
	}
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = 2 * time.Minute
	}
	return p
}

// Backoff returns the delay before attempt n (n >= 1 is the first retry):
// exponential from min to max with equal jitter (half fixed, half random).
func Backoff(n int, min, max time.Duration) time.Duration {
	if min <= 0 {
		min = 1
	}
	d := min
	for i := 1; i < n && d < max; i++ {
		if d > max/2 { // doubling would pass max (or overflow)
			d = max
			break
		}
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

type retryLayer struct {
	next http.RoundTripper
	c    *Client
}

func (l *retryLayer) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	info, _ := ctx.Value(callKey{}).(*callInfo)
	if info == nil {
		info = &callInfo{}
	}
	pol := l.c.cfg.Retry
	lim := l.c.limiter
	safe := idempotent(req.Method)
	deadline, hasDeadline := ctx.Deadline()
	// Without a deadline of the caller's, the client's timeout bounds the
	// time spent talking to the server: time held by the rate limiter (a
	// pause after a 429, a full window) does not count against it, nor
	// against MaxElapsed; each such hold is bounded by itself.
	budget := l.c.cfg.Timeout
	if hasDeadline {
		budget = 0
	}
	start := time.Now()
	var held time.Duration
	active := func() time.Duration { return time.Since(start) - held }
	bodyWait := BodyWait(ctx)
	for attempt := 1; ; attempt++ {
		release, waited, err := lim.wait(ctx, req.Method, info.path)
		held += waited
		l.c.logPause(ctx, req, attempt, waited)
		if err != nil {
			return nil, err // refused by the limiter (ErrRateLimited), or abandoned
		}
		actx, cancel := ctx, context.CancelFunc(func() {})
		var clock *attemptClock
		if budget > 0 {
			left := budget - active()
			if left <= 0 {
				release()
				return nil, &Error{Message: "request abandoned", Err: context.DeadlineExceeded}
			}
			if bodyWait != nil {
				actx, cancel, clock = pausableTimeout(ctx, left)
			} else {
				actx, cancel = context.WithTimeout(ctx, left)
			}
		}
		info.attempts = attempt
		wrote := false
		var r *http.Request
		switch {
		case safe && attempt == 1:
			// A safe method needs no trace (it is retried whether or not it
			// was written) and its first attempt no copy: Do built req for
			// this call alone, and signers set their headers anew.
			r = req
			if actx != ctx {
				r = req.WithContext(actx)
			}
		case safe:
			r = req.Clone(actx)
		default:
			trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote = true }}
			r = req.Clone(httptrace.WithClientTrace(actx, trace))
		}
		if r != req && req.GetBody != nil {
			b, err := req.GetBody()
			if err != nil {
				cancel()
				release()
				return nil, err
			}
			r.Body = b
		}
		resp, err := l.next.RoundTrip(r)
		if err == nil && bodyWait != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			// The server has answered: the windows have counted this
			// request, and its place in flight is free while the body
			// waits for its reader (WithBodyWait). An error's body is
			// read at once: the retry decision and the pause a 429 asks
			// for cannot wait on the reader's pace.
			release()
			clock.pause()
			t0 := time.Now()
			werr := bodyWait(ctx)
			held += time.Since(t0)
			clock.resume()
			if werr != nil {
				resp.Body.Close()
				cancel()
				return nil, werr
			}
		}
		var body []byte
		if err == nil {
			body, err = readBody(resp, l.c.cfg.MaxBody)
			if l.c.cfg.Observe != nil {
				l.c.cfg.Observe(resp)
			}
		}
		timedOut := actx.Err() != nil && ctx.Err() == nil
		release()
		retry, after := false, time.Duration(0)
		switch {
		case err != nil:
			cancel()
			var te *Error
			if errors.As(err, &te) || ctx.Err() != nil {
				return nil, err // refused by a layer (signing) or abandoned
			}
			if timedOut {
				return nil, &Error{Message: "request abandoned", Err: context.DeadlineExceeded}
			}
			retry = !wrote || safe
		default:
			// A provider's hint may itself call the API within this
			// attempt's context (OVH's clock re-sync).
			retry, after = l.decide(resp, body, safe)
		}
		cancel()
		if !retry || attempt >= pol.MaxAttempts {
			if err != nil {
				return nil, err
			}
			return resp, nil
		}
		wait := Backoff(attempt, pol.MinDelay, pol.MaxDelay)
		if after > 0 {
			wait = min(after, lim.maxPause)
		}
		throttled := err == nil && resp.StatusCode == http.StatusTooManyRequests && after > 0
		giveUp := active()+wait > pol.MaxElapsed || (budget > 0 && !throttled && active()+wait >= budget) ||
			(hasDeadline && time.Now().Add(wait).After(deadline))
		if giveUp {
			if err != nil {
				return nil, err
			}
			return resp, nil
		}
		l.c.logRetry(ctx, r, attempt, resp, err, wait)
		if throttled {
			// The limiter holds the next attempt (and every other request
			// of the client) until the pause the server asked for is over.
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			if err != nil {
				return nil, err
			}
			return resp, nil
		case <-t.C:
		}
	}
}

// decide says whether a complete response should be retried, and after
// how long if the server said so.
func (l *retryLayer) decide(resp *http.Response, body []byte, safe bool) (bool, time.Duration) {
	if h := l.c.cfg.RetryHint; h != nil {
		if retry, after, ok := h(resp, body); ok {
			// The provider knows this answer: a refusal it marks retryable
			// (a stale signature) was not acted on, whatever the method.
			return retry, after
		}
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, RetryAfter(resp.Header, time.Now())
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return safe, RetryAfter(resp.Header, time.Now())
	}
	return false, 0
}

// maxDuration is the longest time.Duration.
const maxDuration = time.Duration(1<<63 - 1)

// RetryAfter reads a Retry-After header (seconds or an HTTP date); zero
// when absent, unreadable or in the past. A value beyond what a Duration
// holds (about 292 years) saturates at the largest Duration: callers
// bound it.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	at, ok := RetryAt(h, now)
	if !ok {
		return 0
	}
	return at.Sub(now) // Sub saturates
}

// RetryAt is the time a Retry-After header names, and whether it names
// one in the future. A number of seconds too large for a Duration is read
// as the largest one (about 292 years): no overflow.
func RetryAt(h http.Header, now time.Time) (time.Time, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return time.Time{}, false
	}
	if s, err := strconv.ParseUint(v, 10, 64); err == nil || isRange(err) {
		if err != nil || s > farSeconds {
			s = farSeconds
		}
		if s == 0 {
			return time.Time{}, false
		}
		return now.Add(time.Duration(s) * time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t, true
	}
	return time.Time{}, false
}

// farSeconds is the largest Retry-After honoured as given (about 292
// years: what a Duration holds); larger numbers are read as this.
const farSeconds = uint64(maxDuration / time.Second)

func isRange(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange)
}

// DefaultMaxBody bounds an answer's size, after decompression, when the
// configuration sets none: far above any page an API sends, far below what
// would hurt the program that embeds the client.
const DefaultMaxBody = 32 << 20

// preallocMax is the most memory reserved ahead from a Content-Length: a
// server may announce any length and send one byte. It covers a full
// list page (a 200-droplet page is about 340 kB): a body read into a
// growing buffer instead costs about three times its size, and a
// listing with 16 pages in flight would hold that much more.
const preallocMax = 512 << 10

// readBody buffers the whole body so that a truncated answer is an error
// of this attempt, and replaces resp.Body by the buffer. At most max bytes
// are read, after any decompression; the memory grows with what arrives,
// never with what the headers announce.
func readBody(resp *http.Response, max int64) ([]byte, error) {
	defer resp.Body.Close()
	tooLarge := func() error {
		return &Error{Status: resp.StatusCode, Message: fmt.Sprintf("response body larger than the limit of %d bytes", max), Kind: ErrBodyTooLarge}
	}
	if resp.ContentLength > max {
		return nil, tooLarge()
	}
	var src io.Reader = resp.Body
	announced := resp.ContentLength
	if !resp.Uncompressed && strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		// A gzip answer the HTTP layer did not decode (the caller asked
		// for it): decode it here, under the same bound.
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, &Error{Status: resp.StatusCode, Message: "bad gzip body", Kind: ErrMalformed, Err: err}
		}
		defer zr.Close()
		src, announced = zr, -1
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
	}
	if n := announced; n >= 0 && n <= preallocMax {
		// A short announced length: one exact buffer, and a body that
		// ends early is truncated.
		b := make([]byte, n)
		if _, err := io.ReadFull(src, b); err != nil {
			if errors.Is(err, io.EOF) || isReset(err) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		resp.Body = &bufferedBody{Reader: bytes.NewReader(b), b: b}
		return b, nil
	}
	var buf bytes.Buffer
	if announced > 0 {
		buf.Grow(preallocMax)
	}
	n, err := io.Copy(&buf, io.LimitReader(src, max+1))
	if err == nil && n > max {
		return nil, tooLarge()
	}
	if err == nil && announced > 0 && n < announced {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		var te *Error
		if errors.As(err, &te) {
			return nil, err
		}
		if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
			return nil, &Error{Status: resp.StatusCode, Message: "bad gzip body", Kind: ErrMalformed, Err: err}
		}
		if errors.Is(err, io.EOF) || isReset(err) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	b := buf.Bytes()
	resp.Body = &bufferedBody{Reader: bytes.NewReader(b), b: b}
	return b, nil
}

// bufferedBody is a body already read whole; Client.Do takes its bytes
// without copying them again.
type bufferedBody struct {
	*bytes.Reader
	b []byte
}

func (*bufferedBody) Close() error { return nil }

// bodyBytes returns the whole body, without a copy when it was buffered.
func bodyBytes(rc io.ReadCloser) ([]byte, error) {
	defer rc.Close()
	if bb, ok := rc.(*bufferedBody); ok {
		return bb.b, nil
	}
	return io.ReadAll(rc)
}

func isReset(err error) bool {
	var te *Error
	return !errors.As(err, &te) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

type signLayer struct {
	next   http.RoundTripper
	signer Signer
}

func (l *signLayer) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		body, err = io.ReadAll(b)
		if err != nil {
			return nil, err
		}
	}
	// req is the retry layer's clone for this attempt: sign it in place.
	r := req
	if err := l.signer.Sign(r, body); err != nil {
		var te *Error
		if !errors.As(err, &te) {
			err = &Error{Message: "cannot sign request", Kind: ErrUnauthorized, Err: err}
		}
		return nil, err
	}
	return l.next.RoundTrip(r)
}
