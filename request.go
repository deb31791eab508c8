package stratus

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unsafe"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// Do sends a raw request and returns the answer as JSON. params go in the
// query string; body, if not nil, is sent as JSON. It is how the query tool
// reaches paths that no kind describes. A non-GET invalidates the cache.
func (c *Client) Do(ctx context.Context, method, path string, params url.Values, body []byte) (gjson.Result, error) {
	resp, err := c.Send(ctx, &transport.Request{Method: method, Path: path, Query: params, Body: body})
	if err != nil {
		return gjson.Result{}, err
	}
	res, err := c.parse(method, path, resp)
	if err == nil && c.provider.MetaPath != "" && res.IsObject() {
		if m := res.Get(c.provider.MetaPath); m.Exists() {
			c.meta.Store(&m)
		}
	}
	return res, err
}

// DoJSON is Do with a body marshalled from v.
func (c *Client) DoJSON(ctx context.Context, method, path string, params url.Values, v any) (gjson.Result, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return gjson.Result{}, invalid(c.provider.Name, method+" "+path, "cannot encode request body: %v", err)
	}
	return c.Do(ctx, method, path, params, body)
}

// Send is the lowest level: one request through the transport, with the
// client's timeout and cache invalidation on writes. Without a deadline of
// the caller's, the transport applies the timeout to the time spent on
// the request, not to the time the rate limiter holds it.
func (c *Client) Send(ctx context.Context, req *transport.Request) (*transport.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		defer c.invalidate(ctx)
	}
	return c.t.Do(ctx, req)
}

// parse checks that a body is JSON (empty is allowed: 204) and wraps it
// without copying.
func (c *Client) parse(method, path string, resp *transport.Response) (gjson.Result, error) {
	body := resp.Body
	if len(body) == 0 {
		return gjson.Result{}, nil
	}
	s := unsafe.String(unsafe.SliceData(body), len(body))
	if !transport.DepthOK(body, transport.MaxDepth) {
		return gjson.Result{}, &Error{Provider: c.provider.Name, Op: transport.Op(method, path), Status: resp.Status,
			Message: fmt.Sprintf("answer nests deeper than %d levels", transport.MaxDepth), Kind: ErrMalformed, RequestID: resp.RequestID, Attempts: resp.Attempts}
	}
	if !gjson.Valid(s) {
		// The snippet is the server's text: it may echo what it was sent.
		return gjson.Result{}, &Error{Provider: c.provider.Name, Op: transport.Op(method, path), Status: resp.Status,
			Message: "answer is not valid JSON: " + snippet(c.Redact(head(s, 4096))), Kind: ErrMalformed, RequestID: resp.RequestID, Attempts: resp.Attempts}
	}
	return gjson.Parse(s), nil
}

// get reads a GET answer through the cache; concurrent identical reads
// share one request. fresh skips the cache lookup (Reload, waiters).
func (c *Client) get(ctx context.Context, path string, q url.Values, ttl time.Duration, fresh bool) (gjson.Result, http.Header, error) {
	return c.getWith(ctx, path, q, nil, q, ttl, fresh, nil)
}

// getWith is get with request headers: q is sent, hdr added to the
// request, and keyq (q plus whatever state the headers carry) names the
// answer in the cache. check, if not nil, validates an answer as it
// arrives in place of parse (a list page is validated by the pass that
// also splits it); an answer it refuses is neither cached nor returned.
func (c *Client) getWith(ctx context.Context, path string, q url.Values, hdr http.Header, keyq url.Values, ttl time.Duration, fresh bool, check func(*transport.Response) error) (gjson.Result, http.Header, error) {
	raw := ""
	if len(keyq) > 0 {
		raw = keyq.Encode()
	}
	key, cached := "", false
	if c.cache != nil {
		key, cached = c.cacheKey(ctx, path, raw)
	}
	if cached && !fresh {
		if e, ok := c.cacheGet(ctx, key); ok {
			return gjson.Parse(unsafe.String(unsafe.SliceData(e.Body), len(e.Body))), e.Header, nil
		}
	}
	if ttl <= 0 {
		ttl = c.settings.CacheTTL
	}
	flightKey := key
	if !cached {
		// No generation to name the answer by: share only identical
		// requests of this client.
		flightKey = "uncached " + CacheKey(c.account, 0, path, raw)
	}
	if fresh {
		flightKey = "fresh " + flightKey
	}
	if err := ctx.Err(); err != nil {
		// Nothing is sent for a caller that has already given up.
		return gjson.Result{}, nil, &Error{Provider: c.provider.Name, Op: "GET " + path, Message: "request abandoned", Err: err}
	}
	// The shared request runs detached from any one caller's cancellation
	// and is cancelled when every caller has stopped waiting. It keeps the
	// deadline of the caller that started it: a caller that allows more
	// time than the client timeout gets it (the transport applies the
	// timeout only to a call without a deadline).
	e, err := c.flight.do(ctx, flightKey, c.provider.Name, "GET "+path, func(shared context.Context) (Entry, error) {
		// A caller that missed the cache just before another request's
		// answer was stored gets here after that request's flight ended:
		// look again rather than send a second request.
		if cached && !fresh {
			if e, ok := c.cacheGet(shared, key); ok {
				return e, nil
			}
		}
		resp, err := c.t.Do(shared, &transport.Request{Method: http.MethodGet, Path: path, Query: q, Header: hdr})
		if err != nil {
			return Entry{}, err
		}
		if check == nil {
			_, err = c.parse(http.MethodGet, path, resp)
		} else {
			err = check(resp)
		}
		if err != nil {
			return Entry{}, err
		}
		e := Entry{Body: resp.Body, Header: resp.Header}
		if cached {
			c.cacheSet(shared, key, e, ttl)
		}
		return e, nil
	})
	if err != nil {
		return gjson.Result{}, nil, err
	}
	return gjson.Parse(unsafe.String(unsafe.SliceData(e.Body), len(e.Body))), e.Header, nil
}

// head returns at most the first n bytes of s.
func head(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func snippet(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return fmt.Sprintf("%q", s)
}
