package digitalocean

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// Name is the provider's registry name.
const Name = "digitalocean"

// DefaultBaseURL is the production API endpoint.
const DefaultBaseURL = "https://api.digitalocean.com"

// Environment variables read by LoadEnv, in order of precedence.
const (
	EnvToken       = "DIGITALOCEAN_TOKEN"
	EnvAccessToken = "DIGITALOCEAN_ACCESS_TOKEN"
	EnvAPIURL      = "DIGITALOCEAN_API_URL"
)

// Token is an API token: the one secret type of every provider, which no
// printout, log record or encoding shows.
type Token = transport.Secret

// Credentials are what a DigitalOcean client needs.
type Credentials struct {
	Token   Token
	BaseURL string // empty: DefaultBaseURL
}

// ErrNoToken says that no token was found.
var ErrNoToken = errors.New("digitalocean: no API token (set DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN)")

// LoadEnv reads DIGITALOCEAN_TOKEN, then DIGITALOCEAN_ACCESS_TOKEN, and
// DIGITALOCEAN_API_URL for the endpoint. getenv is os.Getenv in programs
// and a map lookup in tests.
func LoadEnv(getenv func(string) string) (Credentials, error) {
	var c Credentials
	for _, k := range []string{EnvToken, EnvAccessToken} {
		if v := CleanToken(getenv(k)); v != "" {
			c.Token = Token(v)
			break
		}
	}
	c.BaseURL = strings.TrimSpace(getenv(EnvAPIURL))
	if c.Token == "" {
		return c, ErrNoToken
	}
	return c, nil
}

// CleanToken trims white space and surrounding quotes, as pasted tokens
// often carry them.
func CleanToken(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, `'"`)
	return strings.TrimSpace(s)
}

// Signer sends the token as a bearer credential.
func Signer(t Token) transport.Signer {
	h := "Bearer " + string(t)
	return transport.SignerFunc(func(r *http.Request, _ []byte) error {
		if t == "" {
			return &transport.Error{Provider: Name, Message: "no API token", Kind: transport.ErrUnauthorized}
		}
		r.Header.Set("Authorization", h)
		return nil
	})
}

// DecodeError reads {"id", "message", "request_id"}; an HTML or other
// non-JSON body leaves the generic description in place.
func DecodeError(e *transport.Error, h http.Header, body []byte) {
	if !transport.ValidJSON(body) {
		return
	}
	r := gjson.ParseBytes(body)
	if !r.IsObject() {
		return
	}
	if id := r.Get("id"); id.Type == gjson.String {
		e.Code = id.Str
	}
	if m := r.Get("message"); m.Type == gjson.String {
		e.Message = m.Str
	} else if m := r.Get("error"); m.Type == gjson.String { // newer products
		e.Message = m.Str
	}
	if rid := r.Get("request_id"); rid.Type == gjson.String && rid.Str != "" {
		e.RequestID = rid.Str
	}
	switch e.Code {
	case "not_found":
		e.Kind = transport.ErrNotFound
	case "unauthorized":
		e.Kind = transport.ErrUnauthorized
	case "forbidden":
		e.Kind = transport.ErrForbidden
	case "too_many_requests":
		e.Kind = transport.ErrRateLimited
	case "conflict":
		e.Kind = transport.ErrConflict
	case "unprocessable_entity", "bad_request":
		e.Kind = transport.ErrInvalid
	}
}

// Rate is the rate-limit state the API reported on a response.
type Rate struct {
	Limit     int       // requests allowed per hour
	Remaining int       // requests left in the window
	Reset     time.Time // when the oldest counted request expires
}

// ParseRate reads the ratelimit-* headers; ok is false when absent.
func ParseRate(h http.Header) (r Rate, ok bool) {
	l, err1 := strconv.Atoi(h.Get("Ratelimit-Limit"))
	rem, err2 := strconv.Atoi(h.Get("Ratelimit-Remaining"))
	if err1 != nil || err2 != nil {
		return Rate{}, false
	}
	r = Rate{Limit: l, Remaining: rem}
	if s, err := strconv.ParseInt(h.Get("Ratelimit-Reset"), 10, 64); err == nil && s > 0 {
		// Any epoch second is a valid time; the limiter bounds how long a
		// far reset may hold the client.
		r.Reset = time.Unix(min(s, maxResetUnix), 0)
	}
	return r, true
}

// maxResetUnix is the year 9999: a reset beyond it is read as it.
const maxResetUnix = 253402300799

// MaxPageSize is the largest per_page the API honours. It is also what
// the Pager asks for when no page size is set: the fewest requests.
const MaxPageSize = 200

// Windows are the API's documented limits per token: 250 requests in any
// minute (the burst) and 5,000 in any hour, and two of single endpoints
// besides: 10 listings of the account's SSH keys in any minute, and 5
// calls to the CDN endpoints (all their paths together) in any 10
// seconds. Clients keep to every one; the simulator enforces them.
var Windows = []transport.Window{
	{Limit: 250, Period: time.Minute},
	{Limit: 5000, Period: time.Hour},
	EndpointWindows[0], EndpointWindows[1],
}

// EndpointWindows are the windows of single endpoints, within Windows.
var EndpointWindows = []transport.Window{
	{Limit: 10, Period: time.Minute, Method: "GET", Path: "/v2/account/keys"},
	{Limit: 5, Period: 10 * time.Second, Path: "/v2/cdn/endpoints*"},
}

// DefaultPageSize is what the API uses when per_page is absent.
const DefaultPageSize = 20

// Pager follows links.pages.next and reads meta.total. It also addresses
// any page directly (page=N), which lets collections fetch ahead.
type Pager struct{}

var _ transport.PageAddresser = Pager{}

// First asks for page 1 of the given size (0: MaxPageSize).
func (p Pager) First(q url.Values, size int) url.Values { return p.Page(q, 1, size) }

// seenThrough is the number of items listed up to and including the page
// q asked for, which held count items.
func seenThrough(q url.Values, count int) int {
	page, size := 1, DefaultPageSize
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		page = n
	}
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 {
		size = min(n, MaxPageSize)
	}
	return (page-1)*size + count
}

// Page asks for page n of the given size (0: MaxPageSize).
func (Pager) Page(q url.Values, n, size int) url.Values {
	out := transport.CloneQuery(q)
	out.Set("page", strconv.Itoa(n))
	if size > MaxPageSize || size <= 0 {
		size = MaxPageSize
	}
	if size > 0 {
		out.Set("per_page", strconv.Itoa(size))
	}
	return out
}

// Next takes page and per_page from links.pages.next, keeping the caller's
// other parameters; the link's host is ignored. It stops, whatever the
// link says, once the pages up to this one hold meta.total items: a page
// that claims more than the listing holds must not lead to pages that
// repeat items. (Pages before this one are taken to be full, at the
// per_page asked, capped at MaxPageSize, as the API serves them; cursor
// pages, page_token, are not counted.)
func (Pager) Next(q url.Values, _ transport.Header, body gjson.Result, count int) (url.Values, int) {
	total := -1
	if t := body.Get("meta.total"); t.Type == gjson.Number {
		total = int(t.Int())
	}
	next := body.Get("links.pages.next")
	if next.Type != gjson.String || next.Str == "" || count == 0 {
		return nil, total
	}
	if total >= 0 && q.Get("page_token") == "" && seenThrough(q, count) >= total {
		return nil, total
	}
	u, err := url.Parse(next.Str)
	if err != nil {
		return nil, total
	}
	nq := u.Query()
	out := transport.CloneQuery(q)
	for _, k := range []string{"page", "per_page", "page_token"} {
		if v := nq.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	if out.Get("page") == q.Get("page") && out.Get("page_token") == q.Get("page_token") {
		return nil, total // a link that does not move would loop forever
	}
	return out, total
}
