package ovhtest

import (
	"cmp"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"html"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The states of a consumer key, as GET /auth/currentCredential spells them.
const (
	statePending   = "pendingValidation"
	stateValidated = "validated"
	stateRefused   = "refused"
	stateExpired   = "expired"
)

// The error codes of the authentication layer.
const (
	codeInvalidKey        = "INVALID_KEY"
	codeNotCredential     = "NOT_CREDENTIAL"
	codeInvalidSignature  = "INVALID_SIGNATURE"
	codeQueryTimeOut      = "QUERY_TIME_OUT"
	codeInvalidCredential = "INVALID_CREDENTIAL"
	codeNotGranted        = "NOT_GRANTED_CALL"
)

// Sign computes X-Ovh-Signature for a call: "$1$" and the lowercase hex
// SHA-1 of AS+"+"+CK+"+"+METHOD+"+"+URL+"+"+BODY+"+"+TIMESTAMP, where URL
// is the full URL requested (query included) and BODY the exact bytes
// sent. It is exported for tests that talk to the simulator with plain
// net/http; real clients sign on their own.
func Sign(as, ck, method, url, body, ts string) string {
	h := sha1.New()
	for i, part := range []string{as, ck, method, url, body, ts} {
		if i > 0 {
			h.Write([]byte{'+'})
		}
		h.Write([]byte(part))
	}
	return "$1$" + hex.EncodeToString(h.Sum(nil))
}

// app is an application: the AK and AS pair from /createApp/.
type app struct {
	key, secret string
	id          int64
}

// credential is a consumer key and everything the API knows about it.
type credential struct {
	ck          string
	app         *app
	id          int64
	state       string
	rules       []Rule
	allowedIPs  []string
	nets        []*net.IPNet
	redirection string
	token       string // the credentialToken of its validation URL
	creation    time.Time
	lastUse     time.Time // zero until first used
	expiration  time.Time // zero: no expiry
	validateAt  time.Time // Config.ValidateAfter; zero: never by itself
	bucket      bucket
}

// auth is the authentication state. Server.mu guards it.
type auth struct {
	apps     map[string]*app
	first    *app
	creds    map[string]*credential
	byToken  map[string]*credential
	seededCK string
	keyRand  *rand.Rand
	nextCred int64
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func (a *auth) randomString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[a.keyRand.IntN(len(alnum))]
	}
	return string(b)
}

// seedAuth makes the application and its all-powerful consumer key.
func (s *Server) seedAuth(cfg Config) {
	a := &s.auth
	a.keyRand = rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6b657973))
	a.apps = map[string]*app{}
	a.creds = map[string]*credential{}
	a.byToken = map[string]*credential{}
	a.nextCred = 180000000 + a.keyRand.Int64N(10000000)
	a.first = s.addApp()
	all := []Rule{{"GET", "/*"}, {"POST", "/*"}, {"PUT", "/*"}, {"DELETE", "/*"}}
	a.seededCK = s.addCredential(a.first, stateValidated, all, s.clock()).ck
}

func (s *Server) addApp() *app {
	ap := &app{key: s.randomString(16), secret: s.randomString(32), id: 100000 + s.keyRand.Int64N(900000)}
	s.apps[ap.key] = ap
	return ap
}

func (s *Server) addCredential(ap *app, state string, rules []Rule, now time.Time) *credential {
	s.nextCred++
	cr := &credential{ck: s.randomString(32), app: ap, id: s.nextCred, state: state,
		rules: slices.Clone(rules), token: s.randomString(64), creation: now}
	if state == stateExpired {
		cr.expiration = now
	}
	s.creds[cr.ck] = cr
	s.byToken[cr.token] = cr
	return cr
}

// settleCred applies Config.ValidateAfter.
func (cr *credential) settle(now time.Time) {
	if cr.state == statePending && !cr.validateAt.IsZero() && !now.Before(cr.validateAt) {
		cr.state = stateValidated
	}
}

// allows reports whether a rule covers the method and path.
func (cr *credential) allows(method, path string) bool {
	for _, r := range cr.rules {
		if r.Method == method && glob(r.Path, path) {
			return true
		}
	}
	return false
}

// glob matches s against a pattern in which * stands for any run of
// characters, "/" included; everything else matches itself.
func glob(pattern, s string) bool {
	px, sx := 0, 0
	nextPx, nextSx := 0, 0
	for px < len(pattern) || sx < len(s) {
		if px < len(pattern) {
			if c := pattern[px]; c == '*' {
				nextPx, nextSx = px, sx+1
				px++
				continue
			} else if sx < len(s) && s[sx] == c {
				px++
				sx++
				continue
			}
		}
		if 0 < nextSx && nextSx <= len(s) {
			px, sx = nextPx, nextSx
			continue
		}
		return false
	}
	return true
}

// AppKey is the application key (X-Ovh-Application) the server knows.
func (s *Server) AppKey() string { return s.first.key }

// AppSecret is the application secret that signs calls.
func (s *Server) AppSecret() string { return s.first.secret }

// ConsumerKey is a seeded consumer key of the application: validated, with
// GET, POST, PUT and DELETE on "/*", and no expiry.
func (s *Server) ConsumerKey() string { return s.seededCK }

// NewConsumerKey adds a consumer key of the application in the given state
// ("pendingValidation", "validated", "refused" or "expired"; it panics on
// anything else) and returns it. Without rules the key gets the same full
// access as ConsumerKey.
func (s *Server) NewConsumerKey(state string, rules ...Rule) string {
	switch state {
	case statePending, stateValidated, stateRefused, stateExpired:
	default:
		panic("ovhtest: NewConsumerKey: unknown state " + strconv.Quote(state))
	}
	if len(rules) == 0 {
		rules = []Rule{{"GET", "/*"}, {"POST", "/*"}, {"PUT", "/*"}, {"DELETE", "/*"}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addCredential(s.first, state, rules, s.clock()).ck
}

// change applies a state transition to a key under the lock.
func (s *Server) change(ck string, fn func(cr *credential, now time.Time) bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	cr := s.creds[ck]
	if cr == nil {
		return false
	}
	now := s.clock()
	cr.settle(now)
	return fn(cr, now)
}

// ValidateConsumerKey validates a pending key with the rules it asked for,
// as the user's click on its validation URL does. It reports false for an
// unknown key or one that is not pending.
func (s *Server) ValidateConsumerKey(ck string) bool {
	return s.change(ck, func(cr *credential, _ time.Time) bool {
		if cr.state != statePending {
			return false
		}
		cr.state = stateValidated
		return true
	})
}

// RefuseConsumerKey marks a pending key refused, as a user declining on the
// validation page. It reports false for an unknown key or one that is not
// pending.
func (s *Server) RefuseConsumerKey(ck string) bool {
	return s.change(ck, func(cr *credential, _ time.Time) bool {
		if cr.state != statePending {
			return false
		}
		cr.state = stateRefused
		return true
	})
}

// ExpireConsumerKey makes a pending or validated key expire now. It
// reports false for an unknown key or one already refused or expired.
func (s *Server) ExpireConsumerKey(ck string) bool {
	return s.change(ck, func(cr *credential, now time.Time) bool {
		if cr.state != statePending && cr.state != stateValidated {
			return false
		}
		cr.state, cr.expiration = stateExpired, now
		return true
	})
}

// SetRules replaces the access rules of a key. It reports false for an
// unknown key.
func (s *Server) SetRules(ck string, rules ...Rule) bool {
	return s.change(ck, func(cr *credential, _ time.Time) bool {
		cr.rules = slices.Clone(rules)
		return true
	})
}

// ConsumerKeyState is the state of a key ("pendingValidation",
// "validated", "refused", "expired"), or "" for an unknown key.
func (s *Server) ConsumerKeyState(ck string) string {
	var state string
	s.change(ck, func(cr *credential, _ time.Time) bool {
		state = cr.state
		return true
	})
	return state
}

// signedURL is the URL the client signed: scheme and host, then the
// request target exactly as it came on the request line.
func (c *call) signedURL() string {
	uri := c.r.RequestURI
	if uri == "" {
		uri = c.r.URL.RequestURI()
	}
	if strings.HasPrefix(uri, "http://") || strings.HasPrefix(uri, "https://") {
		return uri
	}
	return c.base() + uri
}

// authorize checks what the route's access level needs. On failure the
// error reply is set and it returns false.
func (s *Server) authorize(c *call, level access) bool {
	switch level {
	case open:
		return true
	case appOnly:
		ap := s.apps[c.r.Header.Get("X-Ovh-Application")]
		if ap == nil {
			c.fail(http.StatusForbidden, codeInvalidKey, "This application key is invalid")
			return false
		}
		c.app = ap
		return true
	}
	cr := s.authenticate(c)
	if cr == nil {
		return false
	}
	c.cred = cr
	if level == anyState {
		return true
	}
	if cr.state != stateValidated {
		c.fail(http.StatusForbidden, codeInvalidCredential, "This credential is not valid")
		return false
	}
	if level == ownKey || cr.allows(c.r.Method, c.path) || cr.allows(c.r.Method, strings.TrimSuffix(c.path, "/")) {
		return true
	}
	c.fail(http.StatusForbidden, codeNotGranted, "This call has not been granted")
	return false
}

// authenticate checks a signed call in OVH's order: any signing header at
// all, the application, the consumer key and its owner, the signature, the
// timestamp, the key's allowed IPs, then the key's rate budget.
func (s *Server) authenticate(c *call) *credential {
	h := c.r.Header
	ck, ts, sig := h.Get("X-Ovh-Consumer"), h.Get("X-Ovh-Timestamp"), h.Get("X-Ovh-Signature")
	if ck == "" && ts == "" && sig == "" {
		c.fail(http.StatusUnauthorized, "", "You must login first")
		return nil
	}
	ap := s.apps[h.Get("X-Ovh-Application")]
	if ap == nil {
		c.fail(http.StatusForbidden, codeInvalidKey, "This application key is invalid")
		return nil
	}
	cr := s.creds[ck]
	if cr == nil || cr.app != ap {
		c.fail(http.StatusForbidden, codeNotCredential, "This credential does not exist")
		return nil
	}
	want := Sign(ap.secret, ck, c.r.Method, c.signedURL(), string(c.body), ts)
	if subtle.ConstantTimeCompare([]byte(want), []byte(sig)) != 1 {
		c.fail(http.StatusBadRequest, codeInvalidSignature, "Invalid signature")
		return nil
	}
	if s.window >= 0 {
		t, err := strconv.ParseInt(ts, 10, 64)
		d := t - c.now.Unix()
		if err != nil || d > int64(s.window/time.Second) || -d > int64(s.window/time.Second) {
			c.fail(http.StatusBadRequest, codeQueryTimeOut, "Query out of time")
			return nil
		}
	}
	if len(cr.nets) > 0 && !ipAllowed(cr.nets, c.r.RemoteAddr) {
		c.fail(http.StatusForbidden, codeInvalidCredential, "This credential is not valid from this IP address")
		return nil
	}
	cr.settle(c.now)
	cr.lastUse = c.now
	if !s.admit(c, cr) {
		return nil
	}
	return cr
}

func ipAllowed(nets []*net.IPNet, remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// authTime is GET /auth/time: the server's Unix time as a bare integer.
func (s *Server) authTime(c *call) { c.send(strconv.AppendInt(nil, c.now.Unix(), 10)) }

var ruleMethods = []string{"GET", "POST", "PUT", "DELETE"}

// requestCredential is POST /auth/credential: a new pending key with the
// requested rules.
func (s *Server) requestCredential(c *call) {
	f, ok := c.object()
	if !ok {
		return
	}
	var rules []Rule
	f.require("accessRules", f.into("accessRules", &rules, "auth.AccessRule[]"))
	redirection, _ := f.nullStr("redirection")
	var ips []string
	f.get("allowedIPs", &ips, "ipBlock[]", true)
	if !f.ok() {
		return
	}
	if len(rules) == 0 {
		c.badRequest("[accessRules] At least one access rule is required")
		return
	}
	for i, r := range rules {
		if !slices.Contains(ruleMethods, r.Method) {
			c.badRequest("[accessRules.%d.method] Given data (%s) does not belong to the auth.MethodEnum enumeration", i, r.Method)
			return
		}
		if !strings.HasPrefix(r.Path, "/") {
			c.badRequest("[accessRules.%d.path] Given data (%s) is not a valid path", i, r.Path)
			return
		}
	}
	var nets []*net.IPNet
	for _, ip := range ips {
		n, err := parseIPBlock(ip)
		if err != nil {
			c.badRequest("[allowedIPs] Given data (%s) is not valid for type ipBlock", ip)
			return
		}
		nets = append(nets, n)
	}
	cr := s.addCredential(c.app, statePending, rules, c.now)
	cr.allowedIPs, cr.nets = ips, nets
	if redirection != nil {
		cr.redirection = *redirection
	}
	if s.cfg.ValidateAfter > 0 {
		cr.validateAt = c.now.Add(s.cfg.ValidateAfter)
	}
	c.send(marshal(struct {
		ValidationURL string `json:"validationUrl"`
		ConsumerKey   string `json:"consumerKey"`
		State         string `json:"state"`
	}{c.base() + "/auth/?credentialToken=" + cr.token, cr.ck, cr.state}))
}

// parseIPBlock reads a CIDR block or a single address (a /32 or /128).
func parseIPBlock(s string) (*net.IPNet, error) {
	if _, n, err := net.ParseCIDR(s); err == nil {
		return n, nil
	}
	ip := net.ParseIP(s)
	if ip == nil {
		return nil, fmt.Errorf("not an IP block: %q", s)
	}
	bits := 128
	if ip4 := ip.To4(); ip4 != nil {
		ip, bits = ip4, 32
	}
	return &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}, nil
}

// currentCredential is GET /auth/currentCredential: the calling key,
// whatever its state, so that a client can poll a pending key.
func (s *Server) currentCredential(c *call) { c.send(c.cred.json()) }

// json is the credential as auth.Credential and api.Credential show it.
func (cr *credential) json() []byte {
	opt := func(t time.Time) *string {
		if t.IsZero() {
			return nil
		}
		v := localStamp(t)
		return &v
	}
	return marshal(struct {
		CredentialID  int64    `json:"credentialId"`
		ApplicationID int64    `json:"applicationId"`
		Creation      string   `json:"creation"`
		Expiration    *string  `json:"expiration"`
		LastUse       *string  `json:"lastUse"`
		Status        string   `json:"status"`
		Rules         []Rule   `json:"rules"`
		AllowedIPs    []string `json:"allowedIPs"`
		OVHSupport    bool     `json:"ovhSupport"`
	}{cr.id, cr.app.id, localStamp(cr.creation), opt(cr.expiration), opt(cr.lastUse), cr.state,
		nonNil(cr.rules), cr.allowedIPs, false})
}

// credentialStates is auth.CredentialStateEnum.
var credentialStates = []string{statePending, stateValidated, stateRefused, stateExpired}

// listAPICredentials is GET /me/api/credential: the ids of the account's
// consumer keys, ascending, filtered by applicationId and status.
func (s *Server) listAPICredentials(c *call) {
	status := c.query("status")
	if status != "" && !slices.Contains(credentialStates, status) {
		c.badRequest("[status] Given data (%s) does not belong to the auth.CredentialStateEnum enumeration", status)
		return
	}
	var appID int64
	if v := c.query("applicationId"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			c.badRequest("[applicationId] Given data (%s) is not valid for type long", v)
			return
		}
		appID = n
	}
	out := make([]*credential, 0, len(s.creds))
	for _, cr := range s.creds {
		cr.settle(c.now)
		if (status == "" || cr.state == status) && (appID == 0 || cr.app.id == appID) {
			out = append(out, cr)
		}
	}
	slices.SortFunc(out, func(a, b *credential) int { return cmp.Compare(a.id, b.id) })
	c.ids(len(out), func(i int) []byte { return strconv.AppendInt(nil, out[i].id, 10) }, func(i int) []byte { return out[i].json() })
}

// apiCredential finds the credential of the path's id, or answers 404.
func (s *Server) apiCredential(c *call) *credential {
	id, err := strconv.ParseInt(c.params[0], 10, 64)
	if err == nil {
		for _, cr := range s.creds {
			if cr.id == id {
				cr.settle(c.now)
				return cr
			}
		}
	}
	c.noObject("credentialId", c.params[0])
	return nil
}

// getAPICredential is GET /me/api/credential/{credentialId}.
func (s *Server) getAPICredential(c *call) {
	if cr := s.apiCredential(c); cr != nil {
		c.send(cr.json())
	}
}

// deleteAPICredential is DELETE /me/api/credential/{credentialId}: the key
// is gone, and a call signed with it is refused as an unknown key.
func (s *Server) deleteAPICredential(c *call) {
	cr := s.apiCredential(c)
	if cr == nil {
		return
	}
	delete(s.creds, cr.ck)
	c.void()
}

// logout is POST /auth/logout: the calling key is revoked. The status enum
// has no "revoked", so it becomes expired.
func (s *Server) logout(c *call) {
	c.cred.state, c.cred.expiration = stateExpired, c.now
	c.void()
}

// validationPage serves GET /auth/?credentialToken=..., the page a user
// opens to validate a key: the click validates it (no login, no validity
// choice) and answers a small page, or redirects to the key's redirection.
func (s *Server) validationPage(c *call) {
	page := func(status int, title, text string) {
		c.rep.Status = status
		c.rep.Header.Set("Content-Type", "text/html; charset=utf-8")
		c.rep.Body = fmt.Appendf(nil, "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>%s</title></head>\n<body>\n<h1>%s</h1>\n<p>%s</p>\n</body>\n</html>\n",
			html.EscapeString(title), html.EscapeString(title), html.EscapeString(text))
	}
	if c.r.Method != http.MethodGet {
		c.rep.Header.Set("Allow", "GET")
		page(http.StatusMethodNotAllowed, "Method not allowed", "Open this page with GET.")
		return
	}
	cr := s.byToken[c.query("credentialToken")]
	if cr == nil {
		page(http.StatusNotFound, "Unknown credential token", "This validation link is not valid.")
		return
	}
	cr.settle(c.now)
	switch cr.state {
	case statePending:
		cr.state = stateValidated
	case stateValidated:
	default:
		page(http.StatusForbidden, "Credential not valid", "This credential is "+cr.state+" and can no longer be validated.")
		return
	}
	if cr.redirection != "" {
		c.rep.Status = http.StatusFound
		c.rep.Header.Set("Location", cr.redirection)
		c.rep.Header.Set("Content-Type", "text/html; charset=utf-8")
		c.rep.Body = []byte{}
		return
	}
	page(http.StatusOK, "Credential validated", "Your credential "+cr.ck+" has been validated. You can close this page.")
}
