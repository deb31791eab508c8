package stratus_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/transport"
)

// bodyTransport answers every request with one status and body, without
// a network: the fuzzer drives the whole decoding path at memory speed.
type bodyTransport struct {
	status int
	body   []byte
	ctype  string
}

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: b.status, Header: http.Header{"Content-Type": {b.ctype}},
		Body: io.NopCloser(bytes.NewReader(b.body)), ContentLength: int64(len(b.body)), Request: r}, nil
}

func FuzzResponseDecoding(f *testing.F) {
	seeds := []string{
		`{"things":[{"id":1,"name":"a"}],"links":{"pages":{"next":"http://x/things?page=2"}},"meta":{"total":2}}`,
		`{"thing":{"id":1,"name":"a","password":"p","nested":{"token":"t"}}}`,
		`{"things":[1,2,"x",null]}`, `{"things":{}}`, `{"thing":[]}`, `<html><title>oops</title></html>`,
		`{"thing":{"id":1,"pdfUrl":"https://h/p?ref=1&passwd=x#f","u":"a://?&=&passwd&%zz=1"}}`,
		`{"things":[{"id":1`, `null`, ``, `{"id":"not_found","message":"gone"}`, "\x00\xff", `{"a":"\ud800"}`,
	}
	for _, s := range seeds {
		for _, st := range []int{200, 404, 502} {
			f.Add(st, []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 200
		}
		c, err := stratus.Open("fake", stratus.WithBaseURL("http://fuzz.invalid"), stratus.WithCredential("token", testSecret),
			stratus.WithRetry(transport.NoRetry), stratus.WithoutCache(),
			stratus.WithHTTPClient(&http.Client{Transport: bodyTransport{status: status, body: body, ctype: "application/json"}}))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		checkErr := func(err error) {
			var se *stratus.Error
			if err != nil && !errors.As(err, &se) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if err != nil && strings.Contains(err.Error(), testSecret) {
				t.Fatal("secret in error")
			}
		}
		n := 0
		for _, err := range things(c).Limit(50).All(ctx) {
			checkErr(err)
			if n++; n > 60 {
				t.Fatal("limit not honoured")
			}
		}
		th := newThing(c, 1)
		checkErr(th.Load(ctx))
		_ = th.Name()
		_ = th.Size()
		_ = th.GetTime("created_at")
		_ = th.GetStrings("tags")
		var out bytes.Buffer
		_ = th.Pprint(&out)
		_, err = c.Do(ctx, "GET", "/things", nil, nil)
		checkErr(err)
	})
}

// hostileTransport answers with the fuzzer's status, headers and body,
// wrapping the body in nesting and gzip as asked.
type hostileTransport struct {
	status int
	header http.Header
	body   []byte
	gz     bool
}

func (h hostileTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	hdr := h.header.Clone()
	body := h.body
	if h.gz {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(body)
		zw.Close()
		body = buf.Bytes()
		hdr.Set("Content-Encoding", "gzip")
	}
	cl := int64(len(body))
	if v := hdr.Get("Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			cl = n
		}
	}
	return &http.Response{StatusCode: h.status, Header: hdr, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: cl, Request: r}, nil
}

// FuzzHostileAnswers drives lists, loads and printouts with answers that
// nest deeply, announce huge or odd totals, carry odd headers (lengths,
// encodings, request ids) and link their pages in cycles.
func FuzzHostileAnswers(f *testing.F) {
	f.Add(200, "Content-Type: application/json", []byte(`{"id":1}`), uint32(0), "9223372036854775807", false)
	f.Add(200, "Content-Length: 268435456", []byte(`{"id":1}`), uint32(3), "2000000", false)
	f.Add(200, "", []byte(`[`), uint32(200000), "-1", true)
	f.Add(502, "Content-Type: text/html", []byte("<html><title>\xc9chec İ</title>"), uint32(0), "1e400", false)
	f.Add(200, "X-Request-Id: "+testSecret, []byte(`{"id":"`+testSecret+`"}`), uint32(130), "18446744073709551616", true)
	f.Add(200, "Content-Encoding: gzip", []byte("not gzip"), uint32(1), "0", false)
	f.Add(429, "Retry-After: 0\nX-Pagination-Elements: 9223372036854775807", []byte(`{}`), uint32(0), "3", false)
	f.Fuzz(func(t *testing.T, status int, headers string, item []byte, nest uint32, total string, gz bool) {
		if status < 100 || status > 599 {
			status = 200
		}
		nest %= 1 << 20
		hdr := http.Header{"Content-Type": {"application/json"}}
		for _, line := range strings.Split(headers, "\n") {
			k, v, ok := strings.Cut(line, ":")
			k = strings.TrimSpace(k)
			if !ok || k == "" || strings.EqualFold(k, "Retry-After") {
				continue // pauses are bounded by the rate-limit rules, not fuzzed here
			}
			hdr.Add(k, strings.TrimSpace(v))
		}
		var body bytes.Buffer
		body.WriteString(`{"things":[`)
		body.Write(item)
		body.WriteString(`,`)
		body.WriteString(strings.Repeat("[", int(nest)))
		body.WriteString(strings.Repeat("]", int(nest)))
		body.WriteString(`],"thing":`)
		body.Write(item)
		body.WriteString(`,"links":{"pages":{"next":"http://x/things?page=2"}},"meta":{"total":`)
		body.WriteString(total)
		body.WriteString(`}}`)
		c, err := stratus.Open("fake", stratus.WithBaseURL("http://fuzz.invalid"), stratus.WithCredential("token", testSecret),
			// One attempt, and no pause longer than a few milliseconds: a
			// 429 fails at once rather than hold the fuzzer.
			stratus.WithRetry(transport.RetryPolicy{MaxAttempts: 1, MaxElapsed: 5 * time.Millisecond}),
			stratus.WithoutCache(), stratus.WithMaxBody(4<<20), stratus.WithConcurrency(4),
			stratus.WithHTTPClient(&http.Client{Transport: hostileTransport{status: status, header: hdr, body: body.Bytes(), gz: gz}}))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		checkErr := func(err error) {
			var se *stratus.Error
			if err != nil && !errors.As(err, &se) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if err != nil && strings.Contains(err.Error(), testSecret) {
				t.Fatal("secret in error")
			}
		}
		pages := 0
		for _, err := range things(c).PageSize(2).Pages(ctx) {
			checkErr(err)
			if pages++; pages > 3 {
				t.Fatal("a listing whose pages all link to page 2 went on")
			}
		}
		n, err := things(c).Count(ctx)
		checkErr(err)
		if n < 0 {
			t.Fatalf("negative count %d", n)
		}
		th := newThing(c, 1)
		checkErr(th.Load(ctx))
		_ = th.Name()
		_ = th.IntID()
		var out bytes.Buffer
		err = th.Pprint(&out)
		checkErr(err)
		if limit := 8*len(th.JSON()) + 64<<10 + 100 + transport.MaxDepth*66; out.Len() > limit {
			t.Fatalf("printout of %d bytes for an object of %d", out.Len(), len(th.JSON()))
		}
		if lr := c.LastResponse(); lr != nil && strings.Contains(lr.RequestID, testSecret) {
			t.Fatal("secret in request id")
		}
	})
}
