package rightscale

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// OAuthPath is the refresh-token grant's endpoint.
const OAuthPath = "/api/oauth2"

// MinLead is how long before its expiry a token is refreshed at the
// latest: a token is refreshed at half its lifetime, or MinLead before it
// expires when that comes sooner.
const MinLead = 60 * time.Second

// Auth signs every call with a bearer access token minted from the
// refresh token, refreshes it before it expires and after a 401, and
// keeps the shard the account lives on. One Auth serves one client; it is
// safe for concurrent use. Concurrent calls that find the token stale
// share one refresh.
type Auth struct {
	creds Credentials
	hc    *http.Client
	now   func() time.Time
	ua    string

	shard atomic.Pointer[url.URL] // scheme and host every call goes to

	mu       sync.Mutex
	tok      *token
	inflight *flight

	refreshes atomic.Int64
	// onToken, if set, is told of every access token minted (to join a
	// redactor).
	onToken func(string)
}

type token struct {
	access    string
	refreshAt time.Time
	expiresAt time.Time
	stale     bool // a 401 named it: refresh before the next use
	forced    bool // minted because of a 401: a 401 on it is final
}

type flight struct {
	done chan struct{}
	tok  *token
	err  error
}

// NewAuth builds the signer of a client. hc sends the refresh calls (nil:
// a default client); now is the clock that expiry is read on (nil:
// time.Now). The endpoint must pass CheckEndpoint.
func NewAuth(c Credentials, hc *http.Client, now func() time.Time) (*Auth, error) {
	if c.RefreshToken == "" {
		return nil, &transport.Error{Provider: Name, Message: "no refresh token", Kind: transport.ErrUnauthorized}
	}
	if c.Endpoint == "" {
		c.Endpoint = DefaultEndpoint
	}
	if err := CheckEndpoint(c.Endpoint); err != nil {
		return nil, &transport.Error{Provider: Name, Message: err.Error(), Kind: transport.ErrInvalid}
	}
	u, _ := url.Parse(strings.TrimRight(c.Endpoint, "/"))
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	if now == nil {
		now = time.Now
	}
	a := &Auth{creds: c, hc: hc, now: now, ua: "stratus-rightscale"}
	a.shard.Store(&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path})
	return a, nil
}

// OnToken registers f to be told of every access token minted, before any
// call uses it (the client's redactor registers it).
func (a *Auth) OnToken(f func(token string)) { a.onToken = f }

// Endpoint is the shard calls go to now ("https://us-4.rightscale.com"):
// the configured one until a 301 or 302 named another.
func (a *Auth) Endpoint() string { return a.shard.Load().String() }

// Refreshes counts the refresh calls made (successful or not).
func (a *Auth) Refreshes() int { return int(a.refreshes.Load()) }

// Token returns a valid access token, refreshing it if needed. Concurrent
// callers that find it stale wait for one refresh.
func (a *Auth) Token(ctx context.Context) (string, error) {
	t, err := a.valid(ctx)
	if err != nil {
		return "", err
	}
	return t.access, nil
}

func (a *Auth) valid(ctx context.Context) (*token, error) {
	a.mu.Lock()
	if t := a.tok; t != nil && !t.stale && a.now().Before(t.refreshAt) {
		a.mu.Unlock()
		return t, nil
	}
	f := a.inflight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		a.inflight = f
		forced := a.tok != nil && a.tok.stale
		go a.refresh(f, forced)
	}
	a.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, &transport.Error{Provider: Name, Op: "POST " + OAuthPath, Message: "request abandoned", Err: ctx.Err()}
	}
}

// refresh runs one refresh-token grant, detached from any caller.
func (a *Auth) refresh(f *flight, forced bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	t, err := a.grant(ctx)
	if err == nil {
		t.forced = forced
		if a.onToken != nil {
			a.onToken(t.access)
		}
	}
	a.mu.Lock()
	if err == nil {
		a.tok = t
	}
	a.inflight = nil
	f.tok, f.err = t, err
	a.mu.Unlock()
	close(f.done)
}

// grant posts grant_type=refresh_token as a form, following one shard
// redirect.
func (a *Auth) grant(ctx context.Context) (*token, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {string(a.creds.RefreshToken)}}
	if a.creds.AccountID != "" {
		form.Set("account_id", a.creds.AccountID)
	}
	body := []byte(form.Encode())
	op := "POST " + OAuthPath
	for hop := 0; ; hop++ {
		a.refreshes.Add(1)
		u := *a.shard.Load()
		u.Path = strings.TrimRight(u.Path, "/") + OAuthPath
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
		if err != nil {
			return nil, &transport.Error{Provider: Name, Op: op, Message: "bad endpoint", Kind: transport.ErrInvalid}
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set(HeaderVersion, Version)
		req.Header.Set("User-Agent", a.ua)
		issued := a.now()
		rt := a.hc.Transport
		if rt == nil {
			rt = http.DefaultTransport
		}
		resp, err := rt.RoundTrip(req)
		if err != nil {
			return nil, &transport.Error{Provider: Name, Op: op, Message: "network error", Kind: transport.ErrUnavailable, Err: scrub(err)}
		}
		raw, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if rerr != nil {
			return nil, &transport.Error{Provider: Name, Op: op, Status: resp.StatusCode, Message: "truncated response body", Kind: transport.ErrUnavailable}
		}
		if (resp.StatusCode == http.StatusMovedPermanently || resp.StatusCode == http.StatusFound || resp.StatusCode == http.StatusTemporaryRedirect) && hop == 0 {
			if a.retarget(resp.Header.Get("Location")) {
				continue
			}
		}
		if resp.StatusCode != http.StatusOK {
			e := &transport.Error{Provider: Name, Op: op, Status: resp.StatusCode, Kind: transport.KindForStatus(resp.StatusCode)}
			if er := gjson.GetBytes(raw, "error"); gjson.ValidBytes(raw) && er.Type == gjson.String {
				e.Code = er.Str
				e.Message = "the refresh token was refused"
				if d := gjson.GetBytes(raw, "error_description"); d.Type == gjson.String {
					e.Message = d.Str
				}
				if er.Str == "invalid_grant" || er.Str == "invalid_client" {
					e.Kind = transport.ErrUnauthorized
				}
			} else {
				DecodeError(e, resp.Header, raw)
			}
			e.Message = strings.ReplaceAll(e.Message, string(a.creds.RefreshToken), redacted)
			return nil, e
		}
		return a.parseToken(raw, issued, op)
	}
}

func (a *Auth) parseToken(raw []byte, issued time.Time, op string) (*token, error) {
	if !gjson.ValidBytes(raw) {
		return nil, &transport.Error{Provider: Name, Op: op, Status: 200, Message: "token answer is not JSON", Kind: transport.ErrMalformed}
	}
	var v struct {
		AccessToken string          `json:"access_token"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
		TokenType   string          `json:"token_type"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || v.AccessToken == "" {
		return nil, &transport.Error{Provider: Name, Op: op, Status: 200, Message: "token answer lacks access_token", Kind: transport.ErrMalformed}
	}
	if v.TokenType != "" && !strings.EqualFold(v.TokenType, "bearer") {
		return nil, &transport.Error{Provider: Name, Op: op, Status: 200, Message: "token type is not bearer", Kind: transport.ErrMalformed}
	}
	secs, err := strconv.ParseFloat(strings.Trim(string(v.ExpiresIn), `"`), 64)
	if err != nil || secs <= 0 || secs > 1e7 {
		return nil, &transport.Error{Provider: Name, Op: op, Status: 200, Message: "token answer has no usable expires_in", Kind: transport.ErrMalformed}
	}
	life := time.Duration(secs * float64(time.Second))
	lead := life / 2
	if life-MinLead > 0 && life-MinLead < lead {
		lead = life - MinLead
	}
	return &token{access: v.AccessToken, refreshAt: issued.Add(lead), expiresAt: issued.Add(life)}, nil
}

// retarget points every later call at the shard a redirect names. It
// reports false for a Location that names no other absolute http(s) host.
func (a *Auth) retarget(loc string) bool {
	u, err := url.Parse(loc)
	if err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	cur := a.shard.Load()
	if strings.EqualFold(u.Host, cur.Host) && u.Scheme == cur.Scheme {
		return false
	}
	a.shard.Store(&url.URL{Scheme: u.Scheme, Host: u.Host, Path: cur.Path})
	return true
}

// Sign sets the bearer token, the version header and X-Account on one
// attempt, and sends it to the current shard.
func (a *Auth) Sign(r *http.Request, _ []byte) error {
	t, err := a.valid(r.Context())
	if err != nil {
		return err
	}
	sh := a.shard.Load()
	if r.URL.Host != sh.Host || r.URL.Scheme != sh.Scheme {
		r.URL.Scheme, r.URL.Host, r.Host = sh.Scheme, sh.Host, sh.Host
	}
	r.Header.Set("Authorization", "Bearer "+t.access)
	r.Header.Set(HeaderVersion, Version)
	if a.creds.AccountID != "" {
		r.Header.Set(HeaderAccount, a.creds.AccountID)
	}
	if r.Header.Get("Content-Type") == "" {
		// What the API's own clients send, even on a GET without a body.
		r.Header.Set("Content-Type", "application/json")
	}
	return nil
}

// RetryHint is the transport's hook for the answers Auth understands:
//
//   - a 401 marks the token the call used as stale and retries once with
//     a new one (concurrent 401s on one token share one refresh); a 401 on
//     a token minted after a 401 is final;
//   - a 301, 302 or 307 whose Location names another shard re-targets
//     every later call there and retries the call.
//
// Both answers mean the API did not act, so the call is retried whatever
// its method.
func (a *Auth) RetryHint(resp *http.Response, _ []byte) (bool, time.Duration, bool) {
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		used := strings.TrimPrefix(resp.Request.Header.Get("Authorization"), "Bearer ")
		a.mu.Lock()
		defer a.mu.Unlock()
		t := a.tok
		if t == nil || t.access != used {
			return true, time.Nanosecond, true // refreshed meanwhile: retry with the new one
		}
		if t.forced {
			return false, 0, true
		}
		t.stale = true
		return true, time.Nanosecond, true
	case http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect:
		if a.retarget(resp.Header.Get("Location")) {
			return true, time.Nanosecond, true
		}
		return false, 0, true
	}
	return false, 0, false
}

// Observe is the transport's hook for every response: a success signed
// with a token minted after a 401 shows the token works, so a later 401
// on it may again refresh once.
func (a *Auth) Observe(resp *http.Response) {
	if resp.StatusCode >= 400 || resp.Request == nil {
		return
	}
	used := strings.TrimPrefix(resp.Request.Header.Get("Authorization"), "Bearer ")
	a.mu.Lock()
	if t := a.tok; t != nil && t.forced && t.access == used {
		t.forced = false
	}
	a.mu.Unlock()
}

// scrub removes the URL from a network error (it holds nothing secret,
// but the error text stays short).
func scrub(err error) error {
	var ue *url.Error
	if e, ok := err.(*url.Error); ok {
		ue = e
		return ue.Err
	}
	return err
}
