package stratus_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A toy provider whose answers are not JSON: one object per line, written
// "kind key=value key=value". Faults come with status 200, as XML-RPC
// faults do: "FAULT <code> <message>". The decoder turns both into JSON
// once, on arrival.

func decodeToy(_ http.Header, body []byte) ([]byte, error) {
	text := strings.TrimSpace(string(body))
	if code, msg, ok := strings.Cut(strings.TrimPrefix(text, "FAULT "), " "); ok && strings.HasPrefix(text, "FAULT ") {
		e := &transport.Error{Code: code, Message: msg}
		if code == "ObjectNotFound" {
			e.Kind = transport.ErrNotFound
		}
		return nil, e
	}
	if text == "PANIC" {
		var m map[string]int
		m["boom"]++ // a decoder bug: a nil map write
	}
	list := false
	if rest, ok := strings.CutPrefix(text, "list\n"); ok {
		list, text = true, rest
	}
	var objs []map[string]string
	for line := range strings.Lines(text) {
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[0] != "toy" {
			return nil, fmt.Errorf("toy: %q is not an object line", line)
		}
		obj := map[string]string{}
		for _, kv := range fields[1:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return nil, fmt.Errorf("toy: %q is not key=value", kv)
			}
			obj[k] = v
		}
		objs = append(objs, obj)
	}
	if list {
		return json.Marshal(map[string]any{"toys": objs})
	}
	if len(objs) != 1 {
		return nil, fmt.Errorf("toy: %d objects in an item answer", len(objs))
	}
	return json.Marshal(map[string]any{"toy": objs[0]})
}

var toyKind = &stratus.Kind{
	Name: "toy", Plural: "toys", ItemPath: "/toys/{id}", ListPath: "/toys",
	ItemKey: "toy", ListKey: "toys",
}

var toyProvider = &stratus.Provider{
	Name:  "toy",
	Kinds: []*stratus.Kind{toyKind},
	Transport: func(s *stratus.Settings) (transport.Config, error) {
		return transport.Config{BaseURL: "http://invalid", DecodeBody: decodeToy}, nil
	},
}

func init() { stratus.Register(toyProvider) }

type toyAPI struct {
	srv      *httptest.Server
	requests atomic.Int64
}

func newToyAPI(t *testing.T) *toyAPI {
	a := &toyAPI{}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.requests.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		switch r.URL.Path {
		case "/toys":
			fmt.Fprint(w, "list\ntoy id=1 name=ball\ntoy id=2 name=kite\ntoy id=3 name=yoyo\n")
		case "/toys/1":
			fmt.Fprint(w, "toy id=1 name=ball colour=red\n")
		case "/toys/bad":
			fmt.Fprint(w, "toy id\n")
		case "/toys/panic":
			fmt.Fprint(w, "PANIC")
		default:
			fmt.Fprint(w, "FAULT ObjectNotFound Unable to find object")
		}
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func TestBodyDecoderFeedsHandlesCollectionsAndCache(t *testing.T) {
	api := newToyAPI(t)
	c, err := stratus.Open("toy", stratus.WithBaseURL(api.srv.URL))
	require.NoError(t, err)

	h := stratus.NewResource(c, toyKind, "1")
	assert.Equal(t, "red", h.GetString("colour"))
	assert.Equal(t, "ball", h.GetString("name"))
	assert.Equal(t, int64(1), api.requests.Load())
	assert.JSONEq(t, `{"id":"1","name":"ball","colour":"red"}`, h.JSON())
	assert.True(t, json.Valid(c.LastResponse().Body), "the last response holds the decoded body")

	again := stratus.NewResource(c, toyKind, "1")
	assert.Equal(t, "red", again.GetString("colour"), "the cache holds the decoded answer")
	assert.Equal(t, int64(1), api.requests.Load())

	items, err := stratus.NewCollection(c, toyKind, func(r *stratus.Resource) *stratus.Resource { return r }).Collect(context.Background())
	require.NoError(t, err)
	require.Len(t, items, 3)
	assert.Equal(t, "kite", items[1].GetString("name"))
	assert.Equal(t, "2", items[1].ID())
	assert.Equal(t, int64(2), api.requests.Load(), "items are hydrated from the decoded list")

	raw, err := c.Do(context.Background(), "GET", "/toys/1", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "ball", raw.Get("toy.name").String())
}

func TestBodyDecoderFaultsKeepTheProviderCode(t *testing.T) {
	api := newToyAPI(t)
	c, err := stratus.Open("toy", stratus.WithBaseURL(api.srv.URL))
	require.NoError(t, err)

	h := stratus.NewResource(c, toyKind, "99")
	assert.Empty(t, h.GetString("name"))
	err = h.LastError()
	require.ErrorIs(t, err, stratus.ErrNotFound)
	var se *stratus.Error
	require.True(t, errors.As(err, &se))
	assert.Equal(t, "ObjectNotFound", se.Code)
	assert.Equal(t, "Unable to find object", se.Message)
	assert.Equal(t, 200, se.Status, "the fault came with 200")
	assert.Equal(t, "toy", se.Provider)
	assert.Equal(t, "GET /toys/99", se.Op)
	assert.Equal(t, 1, se.Attempts)

	exists, err := stratus.NewResource(c, toyKind, "98").Exists(context.Background())
	require.NoError(t, err)
	assert.False(t, exists)

	for _, id := range []string{"bad", "panic"} {
		err := stratus.NewResource(c, toyKind, id).Load(context.Background())
		assert.ErrorIs(t, err, stratus.ErrMalformed, id)
		require.True(t, errors.As(err, &se), id)
		assert.Equal(t, "GET /toys/"+id, se.Op)
	}
}

// The decoder's fault text passes through the redactor like any error.
func TestBodyDecoderFaultIsRedacted(t *testing.T) {
	const secret = "toy-secret-123456"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "FAULT Auth_"+secret+" bad key "+secret)
	}))
	t.Cleanup(srv.Close)
	tc, err := transport.New(transport.Config{Provider: "toy", BaseURL: srv.URL, DecodeBody: decodeToy, Secrets: []string{secret}})
	require.NoError(t, err)
	_, err = tc.Do(context.Background(), &transport.Request{Method: "GET", Path: "/x"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
	var b bytes.Buffer
	fmt.Fprintf(&b, "%+v %#v", err, err)
	assert.NotContains(t, b.String(), secret)
}
