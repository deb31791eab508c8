package stratus_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

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
