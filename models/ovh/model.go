package ovh

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	wire "github.com/stratus-cloud/stratus/transport/ovh"
	"github.com/tidwall/gjson"
)

// Helpers shared by the handles of this package.

// write sends a write call (PUT, POST, DELETE) on behalf of a handle and
// records its outcome on the handle. A nil body sends none.
func write(ctx context.Context, r *stratus.Resource, method, path string, body any) (gjson.Result, error) {
	var (
		res gjson.Result
		err error
	)
	if body == nil {
		res, err = r.Client().Do(ctx, method, path, nil, nil)
	} else {
		res, err = r.Client().DoJSON(ctx, method, path, nil, body)
	}
	r.SetError(err)
	return res, err
}

// update sends a PUT whose answer is void, then reloads the handle so that
// it shows what the API now holds. The write has happened even when the
// reload fails; the reload's error is returned then.
func update(ctx context.Context, r *stratus.Resource, path string, body any) error {
	if _, err := write(ctx, r, http.MethodPut, path, body); err != nil {
		return err
	}
	return r.Reload(ctx)
}

// remove sends a DELETE and makes the handle forget its data: the next
// read (Exists, Load, a getter) asks the API again.
func remove(ctx context.Context, r *stratus.Resource) error {
	if _, err := write(ctx, r, http.MethodDelete, r.Path(), nil); err != nil {
		return err
	}
	forget(r)
	return nil
}

// forget drops the data held, so that Load reads again.
func forget(r *stratus.Resource) { r.Forget() }

// noBulk turns the bulk page mode off for a list.
func noBulk[T stratus.Object](col stratus.Collection[T]) stratus.Collection[T] {
	return col.Param(wire.NoBulk, "1")
}

// joinPath joins escaped segments under a prefix.
func joinPath(prefix string, segments ...string) string {
	return transport.PathJoin(prefix, segments...)
}

// invalid builds the error of a call refused before sending.
func invalid(c *stratus.Client, op, format string, args ...any) error {
	err := stratus.Invalid(c, op, format, args...)
	if err.Provider == "" {
		err.Provider = Provider.Name
	}
	return err
}

func malformed(op, what string) error {
	return &stratus.Error{Provider: Provider.Name, Op: op, Message: "answer lacks " + what, Kind: stratus.ErrMalformed}
}

// strs reads an array of strings from a JSON value.
func strs(v gjson.Result) []string {
	if !v.IsArray() {
		return nil
	}
	out := make([]string, 0, len(v.Array()))
	v.ForEach(func(_, x gjson.Result) bool {
		out = append(out, x.String())
		return true
	})
	return out
}

// getStrings sends a GET whose answer is an array of strings (an address
// list, a sub-list of ids).
func getStrings(ctx context.Context, c *stratus.Client, p string) ([]string, error) {
	res, err := c.Do(ctx, http.MethodGet, p, nil, nil)
	if err != nil {
		return nil, err
	}
	if !res.IsArray() {
		return nil, malformed("GET "+p, "an array")
	}
	return strs(res), nil
}

// segment returns the n-th path segment after prefix, unescaped ("" when
// the path does not start with prefix).
func segment(p, prefix string, n int) string {
	rest, ok := strings.CutPrefix(p, prefix)
	if !ok {
		return ""
	}
	parts := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	if n >= len(parts) {
		return ""
	}
	return unescape(parts[n])
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// notFound reports whether err is the API's 404.
func notFound(err error) bool { return errors.Is(err, stratus.ErrNotFound) }
