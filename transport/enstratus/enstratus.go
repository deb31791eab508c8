package enstratus

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// Request headers of the signing scheme.
const (
	HeaderAccess    = "x-esauth-access"
	HeaderTimestamp = "x-esauth-timestamp" // milliseconds since the Unix epoch
	HeaderSignature = "x-esauth-signature"
)

// HeaderDetails chooses how much of the nested objects an answer carries.
const HeaderDetails = "x-es-details"

// Values of HeaderDetails.
const (
	DetailsBasic    = "basic"    // nested references as id objects: {"cloudId":1}
	DetailsExtended = "extended" // nested references as whole objects
	DetailsNone     = "none"     // the smallest answer
)

// StringToSign is the text the signature covers: five fields joined by
// colons, with no trailing newline:
//
//	access:METHOD:/api/enstratus/<version>/<path>:timestamp:user-agent
//
// path is the full request path from /api/..., escaped as sent and without
// the query string; method is used as given (HTTP methods are upper case).
func StringToSign(access, method, path string, tsMillis int64, userAgent string) string {
	var b strings.Builder
	b.Grow(len(access) + len(method) + len(path) + len(userAgent) + 24)
	b.WriteString(access)
	b.WriteByte(':')
	b.WriteString(method)
	b.WriteByte(':')
	b.WriteString(path)
	b.WriteByte(':')
	b.WriteString(strconv.FormatInt(tsMillis, 10))
	b.WriteByte(':')
	b.WriteString(userAgent)
	return b.String()
}

// Sign returns base64(HMAC-SHA256(secret, StringToSign(...))) in standard
// base64 with padding. The key is the secret's bytes as they are.
func Sign(secret, access, method, path string, tsMillis int64, userAgent string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(StringToSign(access, method, path, tsMillis, userAgent)))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Signer signs every attempt of a request with c's keys and the time now()
// gives (time.Now when nil; a simulator's clock in tests). It sets
// x-esauth-access, x-esauth-timestamp and x-esauth-signature, and Accept:
// application/json unless the request asks for another type.
//
// The signature covers the request URL's escaped path without the query
// and the User-Agent header the request carries, which is the one net/http
// sends. A request without a User-Agent gets DefaultUserAgent; surrounding
// white space is removed first, as net/http would remove it on the wire.
func Signer(c Credentials, now func() time.Time) transport.Signer {
	if now == nil {
		now = time.Now
	}
	return transport.SignerFunc(func(r *http.Request, _ []byte) error {
		if c.AccessKey == "" || c.SecretKey == "" {
			return &transport.Error{Provider: Name, Message: "no API keys", Kind: transport.ErrUnauthorized}
		}
		ua := textproto.TrimString(r.Header.Get("User-Agent"))
		if ua == "" {
			ua = DefaultUserAgent
		}
		r.Header.Set("User-Agent", ua)
		if r.Header.Get("Accept") == "" {
			r.Header.Set("Accept", "application/json")
		}
		ts := now().UnixMilli()
		r.Header.Set(HeaderAccess, string(c.AccessKey))
		r.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
		r.Header.Set(HeaderSignature, Sign(string(c.SecretKey), string(c.AccessKey), r.Method, r.URL.EscapedPath(), ts, ua))
		return nil
	})
}

// authFailures are the phrases of a 403 that mean the credentials
// themselves were refused (wrong keys, bad signature, stale timestamp)
// rather than a lack of permission.
var authFailures = []string{"invalid access key", "invalid api key", "invalid key", "invalid signature", "signature", "has expired", "timestamp"}

// DecodeError reads the error body {"error":{"message":"..."}} (a plain
// string under "error" is read too). Any other body leaves the generic
// description in place. A 403 is ErrForbidden unless its message says the
// keys, the signature or the timestamp were refused: then it is
// ErrUnauthorized. The API has no error codes, so Code stays empty.
func DecodeError(e *transport.Error, _ http.Header, body []byte) {
	if !transport.ValidJSON(body) {
		return
	}
	r := gjson.ParseBytes(body)
	if !r.IsObject() {
		return
	}
	var msg string
	switch er := r.Get("error"); {
	case er.IsObject():
		if m := er.Get("message"); m.Type == gjson.String {
			msg = m.Str
		}
	case er.Type == gjson.String:
		msg = er.Str
	}
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return
	}
	e.Message = msg
	if e.Status == http.StatusForbidden {
		e.Kind = transport.ErrForbidden
		lower := strings.ToLower(msg)
		if strings.Contains(lower, "expired") {
			// The signature's timestamp is outside the server's window: the
			// local clock and the server's disagree.
			e.Message = msg + " (the request's timestamp is too far from the server's clock: check the local clock; a simulator with a manual clock needs its Now, as its Client sets with stratus.WithClock)"
		}
		for _, p := range authFailures {
			if strings.Contains(lower, p) {
				e.Kind = transport.ErrUnauthorized
				break
			}
		}
	}
}

// Jobs returns the job ids of an asynchronous answer (202):
// {"jobs":[{"jobId":84322,"status":"RUNNING"}]}. Entries without a numeric
// jobId are skipped; anything else gives nil.
func Jobs(body gjson.Result) []int64 {
	jobs := body.Get("jobs")
	if !jobs.IsArray() {
		return nil
	}
	var ids []int64
	jobs.ForEach(func(_, j gjson.Result) bool {
		id := j.Get("jobId")
		switch id.Type {
		case gjson.Number:
			if n, err := strconv.ParseInt(id.Raw, 10, 64); err == nil {
				ids = append(ids, n)
			}
		case gjson.String:
			if n, err := strconv.ParseInt(id.Str, 10, 64); err == nil {
				ids = append(ids, n)
			}
		}
		return true
	})
	return ids
}
