// Package rawcall sends one raw API request described as text, the way
// mixcoatl's query script does: a method, a path and a JSON object of
// parameters. The query tool and the REPL's raw command share it.
package rawcall

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/tidwall/gjson"
)

// Methods are the HTTP methods a raw request may use.
var Methods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// Method checks and upper-cases a method name.
func Method(m string) (string, error) {
	u := strings.ToUpper(strings.TrimSpace(m))
	for _, ok := range Methods {
		if u == ok {
			return u, nil
		}
	}
	return "", fmt.Errorf("unknown HTTP method %q (want one of %s)", m, strings.Join(Methods, ", "))
}

// inQuery reports whether a method's parameters go in the query string.
func inQuery(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodDelete
}

// Build turns a method, a path and a JSON parameters text ("" for none)
// into what stratus.Client.Do takes. For GET, HEAD and DELETE the
// parameters must be a JSON object and become the query string: strings,
// numbers and booleans as they read, arrays as repeated keys, objects as
// JSON text, null as an empty value. For the other methods the JSON is the
// request body, sent as is. A query string already in path is kept (path
// "/v2/droplets?page=2").
func Build(method, path, params string) (cleanPath string, q url.Values, body []byte, err error) {
	if path == "" {
		return "", nil, nil, fmt.Errorf("no path given")
	}
	if !strings.HasPrefix(path, "/") && !strings.Contains(path, "://") {
		path = "/" + path
	}
	q = url.Values{}
	if p, raw, ok := strings.Cut(path, "?"); ok {
		path = p
		if q, err = url.ParseQuery(raw); err != nil {
			return "", nil, nil, fmt.Errorf("query string in path: %w", err)
		}
	}
	params = strings.TrimSpace(params)
	if params == "" {
		return path, q, nil, nil
	}
	if !gjson.Valid(params) {
		return "", nil, nil, fmt.Errorf("parameters are not valid JSON: %s", shorten(params))
	}
	v := gjson.Parse(params)
	if !inQuery(method) {
		return path, q, []byte(params), nil
	}
	if !v.IsObject() {
		return "", nil, nil, fmt.Errorf("parameters of a %s must be a JSON object, got %s", method, shorten(params))
	}
	v.ForEach(func(k, x gjson.Result) bool {
		if x.IsArray() {
			for _, e := range x.Array() {
				q.Add(k.String(), scalar(e))
			}
			return true
		}
		q.Add(k.String(), scalar(x))
		return true
	})
	return path, q, nil, nil
}

func scalar(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return v.Str
	case gjson.Null:
		return ""
	}
	return v.Raw
}

func shorten(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// Do sends one request built by Build and returns the JSON answer (an
// empty result for an empty answer, such as a 204).
func Do(ctx context.Context, c *stratus.Client, method, path, params string) (gjson.Result, error) {
	m, err := Method(method)
	if err != nil {
		return gjson.Result{}, err
	}
	p, q, body, err := Build(m, path, params)
	if err != nil {
		return gjson.Result{}, err
	}
	if len(q) == 0 {
		q = nil
	}
	return c.Do(ctx, m, p, q, body)
}

// Write prints an answer as indented JSON with a final newline, secret
// fields and the client's credentials redacted. It writes nothing for an
// empty answer.
func Write(w io.Writer, c *stratus.Client, res gjson.Result) error {
	if res.Raw == "" {
		return nil
	}
	var b strings.Builder
	stratus.WriteJSON(&b, res, nil)
	b.WriteByte('\n')
	_, err := io.WriteString(w, c.Redact(b.String()))
	return err
}
