package softlayer

import (
	"context"
	"encoding/json"
	"strconv"
	"unsafe"

	"github.com/stratus-cloud/stratus"
	wire "github.com/stratus-cloud/stratus/transport/softlayer"
	"github.com/tidwall/gjson"
)

// Option sets one part of a raw call.
type Option func(*wire.Call) error

// ID sets the init parameter: the object the method runs on.
func ID(id int) Option {
	return func(c *wire.Call) error { c.ID = strconv.Itoa(id); return nil }
}

// WithMask sets the object mask, in either form (mask[a,b[c]] or a;b.c).
func WithMask(m string) Option {
	return func(c *wire.Call) error {
		if _, err := wire.ParseMask(m); err != nil {
			return err
		}
		c.Mask = m
		return nil
	}
}

// WithFilter sets the object filter.
func WithFilter(f Filter) Option {
	return func(c *wire.Call) error { c.Filter = f.JSON(); return nil }
}

// WithRawFilter sets the object filter from JSON text.
func WithRawFilter(js string) Option {
	return func(c *wire.Call) error {
		if !gjson.Valid(js) {
			return &stratus.Error{Provider: Name, Op: "filter", Message: "the filter is not JSON", Kind: stratus.ErrInvalid}
		}
		c.Filter = js
		return nil
	}
}

// Limit sets the result limit.
func Limit(n int) Option {
	return func(c *wire.Call) error { c.Limit, c.HasLimit = n, true; return nil }
}

// Offset sets the result offset (with Limit; alone it means no limit).
func Offset(n int) Option {
	return func(c *wire.Call) error { c.Offset = n; return nil }
}

// Params sets the method's positional arguments, encoded as JSON.
func Params(args ...any) Option {
	return func(c *wire.Call) error {
		b, err := json.Marshal(args)
		if err != nil {
			return &stratus.Error{Provider: Name, Op: "params", Message: "cannot encode the parameters: " + err.Error(), Kind: stratus.ErrInvalid}
		}
		c.Params = b
		return nil
	}
}

// Result is the answer of a raw call.
type Result struct {
	gjson.Result
	// Total is SoftLayer-Total-Items for a list (after filtering, before
	// the limit); -1 when the answer had none.
	Total int
}

// Call runs any method of any service (the "SoftLayer_" prefix
// optional), the Go form of softlayer-python's
// client['Virtual_Guest'].getObject(id=..., mask=..., filter=...,
// limit=..., offset=...). The answer is the raw JSON: an object, a list,
// or a bare scalar (true, a number, a string).
func Call(ctx context.Context, c *stratus.Client, service, method string, opts ...Option) (Result, error) {
	call := wire.Call{Service: wire.ServiceName(service), Method: method}
	for _, o := range opts {
		if err := o(&call); err != nil {
			return Result{Total: -1}, err
		}
	}
	if call.Offset > 0 && !call.HasLimit {
		call.HasLimit = true
	}
	return do(ctx, c, call)
}

func do(ctx context.Context, c *stratus.Client, call wire.Call) (Result, error) {
	req := call.Request()
	resp, err := c.Send(ctx, req)
	if err != nil {
		return Result{Total: -1}, err
	}
	op := req.Method + " " + req.Path
	if len(resp.Body) == 0 {
		return Result{Total: -1}, &stratus.Error{Provider: Name, Op: op, Status: resp.Status, Message: "empty answer", Kind: stratus.ErrMalformed, Attempts: resp.Attempts}
	}
	s := unsafe.String(unsafe.SliceData(resp.Body), len(resp.Body))
	if !gjson.Valid(s) {
		return Result{Total: -1}, &stratus.Error{Provider: Name, Op: op, Status: resp.Status, Message: "answer is not valid JSON", Kind: stratus.ErrMalformed, Attempts: resp.Attempts}
	}
	r := Result{Result: gjson.Parse(s), Total: -1}
	if v := resp.Header.Get(wire.HeaderTotal); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			r.Total = n
		}
	}
	return r, nil
}
