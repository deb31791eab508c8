package ovh

import (
	"context"
	"net/http"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
)

// Rule grants one method on a path; the path may end with "*".
type Rule struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

// Method sets for the rule helpers.
var (
	ReadOnly      = []string{http.MethodGet}
	ReadWrite     = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete}
	ReadWriteSafe = []string{http.MethodGet, http.MethodPost, http.MethodPut}
)

// Rules builds rules for each method on path.
func Rules(methods []string, path string) []Rule {
	out := make([]Rule, 0, len(methods))
	for _, m := range methods {
		out = append(out, Rule{Method: strings.ToUpper(m), Path: path})
	}
	return out
}

// RecursiveRules grants methods on path and everything under it: "/sms"
// gives "/sms" and "/sms/*"; "/" gives "/*" only. Trailing "*", "/" and
// spaces are stripped first, as python-ovh does.
func RecursiveRules(methods []string, path string) []Rule {
	path = strings.TrimRight(path, "*/ ")
	if path == "" {
		return Rules(methods, "/*")
	}
	return append(Rules(methods, path), Rules(methods, path+"/*")...)
}

// The states of a consumer key.
const (
	StatePending   = "pendingValidation"
	StateValidated = "validated"
	StateRefused   = "refused"
	StateExpired   = "expired"
)

// CredentialRequest is the answer to a consumer-key request: the key, its
// state and the URL where the account owner validates it. The key is
// secret: String never shows it.
type CredentialRequest struct {
	ConsumerKey   string
	State         string
	ValidationURL string
}

func (r CredentialRequest) String() string {
	return "consumer key request (" + r.State + "): validate at " + r.ValidationURL
}

// GoString hides the key from %#v as well.
func (r CredentialRequest) GoString() string { return r.String() }

// RequestConsumerKey asks for a new consumer key with the given rules
// (POST /auth/credential, sent with the application key only). redirection
// is where the validation page sends the user afterwards ("" for none).
// Use the key with a new client (ovh.Credentials) once validated, or wait
// for that with WaitForValidation.
func RequestConsumerKey(ctx context.Context, c *stratus.Client, rules []Rule, redirection string, allowedIPs ...string) (CredentialRequest, error) {
	const op = "POST /auth/credential"
	if len(rules) == 0 {
		return CredentialRequest{}, stratus.Invalid(c, op, "at least one access rule is required")
	}
	for _, r := range rules {
		switch r.Method {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete:
		default:
			return CredentialRequest{}, stratus.Invalid(c, op, "rule method %q is not GET, POST, PUT or DELETE", r.Method)
		}
		if !strings.HasPrefix(r.Path, "/") {
			return CredentialRequest{}, stratus.Invalid(c, op, "rule path %q must start with /", r.Path)
		}
	}
	body := map[string]any{"accessRules": rules}
	if redirection != "" {
		body["redirection"] = redirection
	}
	if len(allowedIPs) > 0 {
		body["allowedIPs"] = allowedIPs
	}
	res, err := c.DoJSON(ctx, http.MethodPost, "/auth/credential", nil, body)
	if err != nil {
		return CredentialRequest{}, err
	}
	out := CredentialRequest{
		ConsumerKey:   res.Get("consumerKey").String(),
		State:         res.Get("state").String(),
		ValidationURL: res.Get("validationUrl").String(),
	}
	if out.ConsumerKey == "" {
		return out, &stratus.Error{Provider: Provider.Name, Op: op, Message: "answer lacks consumerKey", Kind: stratus.ErrMalformed}
	}
	return out, nil
}

// Credential is the consumer key a client signs with, as the API knows it
// (GET /auth/currentCredential).
type Credential struct{ gjson.Result }

// Status returns pendingValidation, validated, refused or expired.
func (c Credential) Status() string { return c.Get("status").String() }

// Rules returns the rules granted.
func (c Credential) Rules() []Rule {
	var out []Rule
	c.Get("rules").ForEach(func(_, v gjson.Result) bool {
		out = append(out, Rule{Method: v.Get("method").String(), Path: v.Get("path").String()})
		return true
	})
	return out
}

// CurrentCredential reads the state of the client's consumer key.
func CurrentCredential(ctx context.Context, c *stratus.Client) (Credential, error) {
	res, err := c.Do(ctx, http.MethodGet, "/auth/currentCredential", nil, nil)
	return Credential{res}, err
}

// WaitForValidation polls /auth/currentCredential with the client's consumer
// key until the owner has validated it (neither official client has this).
// It fails at once when the key is refused or expired, and honours ctx, the
// client's wait settings and o (zero fields take the client's). Progress
// reports each state read.
func WaitForValidation(ctx context.Context, c *stratus.Client, o stratus.WaitOptions) (Credential, error) {
	var cred Credential
	err := stratus.Poll(ctx, c, o, func(ctx context.Context) (bool, stratus.WaitProgress, error) {
		cur, err := CurrentCredential(ctx, c)
		if err != nil {
			return false, stratus.WaitProgress{}, err
		}
		cred = cur
		p := stratus.WaitProgress{Done: 0, Total: 1, State: cur.Status()}
		switch cur.Status() {
		case StateValidated:
			p.Done = 1
			return true, p, nil
		case StateRefused, StateExpired:
			return false, p, &stratus.Error{Provider: Provider.Name, Op: "wait for consumer key", Message: "the consumer key was " + cur.Status(), Kind: stratus.ErrFailed}
		}
		return false, p, nil
	})
	return cred, err
}
