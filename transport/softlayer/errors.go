package softlayer

import (
	"net/http"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// Exception codes the client reads.
const (
	CodeObjectNotFound = "SoftLayer_Exception_ObjectNotFound"
	CodeRateLimit      = "SoftLayer_Exception_WebService_RateLimitExceeded"
	CodePublic         = "SoftLayer_Exception_Public"
	CodeInvalidValue   = "SoftLayer_Exception_InvalidValue"
	CodeNotFound       = "SoftLayer_Exception_NotFound"
	CodeAccessToken    = "SoftLayer_Exception_Account_Authentication_AccessTokenValidation"
	CodeParser         = "SoftLayer_Exception_Common_Parser"
	CodeMissingProp    = "SoftLayer_Exception_MissingCreationProperty"
)

// Messages of the authentication failures.
const (
	MsgInvalidToken = "Invalid API token."
	MsgAccessDenied = "Access Denied. "
	MsgNoAuth       = "No valid authentication found."
)

// authFailures are the phrases of SoftLayer_Exception_Public that mean the
// credentials were refused.
var authFailures = []string{"invalid api token", "access denied", "no valid authentication"}

// KindOf maps an exception code and message to the portable sentinel, or
// nil when the code alone says nothing portable.
func KindOf(code, msg string) error {
	switch {
	case code == CodeObjectNotFound || code == CodeNotFound:
		return transport.ErrNotFound
	case code == CodeRateLimit:
		return transport.ErrRateLimited
	case code == CodeAccessToken:
		return transport.ErrUnauthorized
	case code == CodeInvalidValue || code == CodeParser || code == CodeMissingProp:
		return transport.ErrInvalid
	case code == CodePublic:
		lower := strings.ToLower(msg)
		for _, p := range authFailures {
			if strings.Contains(lower, p) {
				return transport.ErrUnauthorized
			}
		}
	}
	return nil
}

// StatusOf is the HTTP status the REST endpoint gives an exception: 404
// for a missing object, 401 for refused credentials, 500 for the rest
// (the rate-limit exception included). XML-RPC faults, which arrive with
// 200, are given it so that both protocols fail alike.
func StatusOf(code, msg string) int {
	switch KindOf(code, msg) {
	case transport.ErrNotFound:
		return http.StatusNotFound
	case transport.ErrUnauthorized:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// ErrorBody is the REST error body {"error": msg, "code": code}.
func ErrorBody(code, msg string) []byte {
	b := make([]byte, 0, len(code)+len(msg)+24)
	b = append(b, `{"error":`...)
	b = appendString(b, msg)
	b = append(b, `,"code":`...)
	b = appendString(b, code)
	return append(b, '}')
}

// DecodeError reads a REST error body, {"error": "...", "code":
// "SoftLayer_Exception_..."}, into e: the code is kept in e.Code, the
// message in e.Message, and the kind refined from the code. Any other
// body leaves the generic description.
func DecodeError(e *transport.Error, _ http.Header, body []byte) {
	if !gjson.ValidBytes(body) {
		return
	}
	r := gjson.ParseBytes(body)
	if !r.IsObject() {
		return
	}
	msg := r.Get("error").String()
	code := r.Get("code").String()
	if msg == "" && code == "" {
		return
	}
	e.Code = code
	e.Message = strings.TrimSpace(msg)
	if e.Message == "" {
		e.Message = code
	}
	if k := KindOf(code, msg); k != nil {
		e.Kind = k
	}
}

// RetryHint decides the retries of SoftLayer's answers: the rate-limit
// exception (a 500) is a throttle, the server did not act on the call,
// so it is retried whatever the method, after Retry-After when given;
// other exceptions in a 500 (bad values, parse errors) are answers, not
// outages, and are not retried; SoftLayer_Exception_Public ("Internal
// Error") and other statuses follow the generic rules. Anything else is left
// to the generic rules.
func RetryHint(resp *http.Response, body []byte) (bool, time.Duration, bool) {
	if resp.StatusCode < 400 || !gjson.ValidBytes(body) {
		return false, 0, false
	}
	code := gjson.GetBytes(body, "code").String()
	switch {
	case code == CodeRateLimit:
		return true, transport.RetryAfter(resp.Header, time.Now()), true
	case code == "", code == CodePublic, resp.StatusCode != http.StatusInternalServerError:
		return false, 0, false
	case strings.HasPrefix(code, "SoftLayer_Exception"):
		return false, 0, true
	}
	return false, 0, false
}

// BasicAuth signs REST requests with HTTP Basic username:apikey.
func BasicAuth(user string, key Secret) transport.Signer {
	return transport.SignerFunc(func(r *http.Request, _ []byte) error {
		if user == "" || key == "" {
			return &transport.Error{Provider: Name, Message: "no username or API key", Kind: transport.ErrUnauthorized}
		}
		r.SetBasicAuth(user, string(key))
		return nil
	})
}
