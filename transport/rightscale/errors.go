package rightscale

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/tidwall/gjson"
)

// Provider kinds of error. Each also matches a portable sentinel.
var (
	// ErrResourceNotFound is the API's "ResourceNotFound: Couldn't find
	// <Type> with ID=<id>" (a 422); it matches transport.ErrNotFound.
	ErrResourceNotFound = transport.SubKind("rightscale: resource not found", transport.ErrNotFound)
	// ErrUnknownRoute is a 404: no route or action of that name.
	ErrUnknownRoute = transport.SubKind("rightscale: unknown action or route", transport.ErrNotFound)
	// ErrSessionExpired is the 403 "Session cookie is expired or invalid";
	// it matches transport.ErrUnauthorized.
	ErrSessionExpired = transport.SubKind("rightscale: session expired", transport.ErrUnauthorized)
)

// DecodeError reads the API's error bodies, which are plain text (served
// as text/html): "ResourceNotFound: Couldn't find Cloud with ID=0 " gives
// Code "ResourceNotFound" and ErrNotFound; a validation failure is either
// "<Code>: <message>" or a JSON list of [field, message] pairs, and stays
// ErrInvalid; a 404 is ErrUnknownRoute; a 403 about an expired session is
// ErrSessionExpired. An HTML page or an empty body leaves the generic
// description in place. It never panics.
func DecodeError(e *transport.Error, _ http.Header, body []byte) {
	text := strings.TrimSpace(string(body))
	if len(text) > 1000 {
		text = text[:1000] + "..."
	}
	switch e.Status {
	case http.StatusNotFound:
		e.Kind = ErrUnknownRoute
	case http.StatusForbidden:
		if strings.Contains(strings.ToLower(text), "cookie is expired or invalid") {
			e.Kind = ErrSessionExpired
		}
	}
	if text == "" || strings.HasPrefix(strings.ToLower(text), "<") {
		return
	}
	if text[0] == '[' {
		var pairs [][]string
		if json.Unmarshal([]byte(text), &pairs) == nil && len(pairs) > 0 {
			var msgs []string
			for _, p := range pairs {
				msgs = append(msgs, strings.Join(p, ": "))
			}
			e.Message = strings.Join(msgs, "; ")
			return
		}
	}
	if code, msg, ok := strings.Cut(text, ": "); ok && isCode(code) {
		e.Code, e.Message = code, strings.TrimSpace(msg)
		if code == "ResourceNotFound" {
			e.Kind = ErrResourceNotFound
		}
		return
	}
	e.Message = text
}

// isCode says whether s looks like the API's error codes: one CamelCase
// word.
func isCode(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Time layout of the API's timestamps: "2015/04/08 18:46:02 +0000".
const TimeLayout = "2006/01/02 15:04:05 -0700"

// DecodeBody turns the API's successful answers that are not JSON into
// JSON, once, on arrival: the one-space body of a 201 or 202 (and any
// blank body) becomes empty; a text body (a RightScript's source, the
// health check) becomes a JSON string. JSON passes through unchanged
// (malformed JSON is reported by the reader as ErrMalformed).
func DecodeBody(h http.Header, body []byte) ([]byte, error) {
	t := bytes.TrimSpace(body)
	if len(t) == 0 {
		return nil, nil
	}
	if strings.Contains(h.Get("Content-Type"), "json") || ((t[0] == '{' || t[0] == '[') && gjson.ValidBytes(t)) {
		return body, nil
	}
	return json.Marshal(string(body))
}
