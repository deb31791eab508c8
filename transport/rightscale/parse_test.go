package rightscale

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stratus-cloud/stratus/transport"
)

func TestParseRC(t *testing.T) {
	c, err := ParseRC(strings.NewReader("[OAuth]\napi_endpoint = https://us-4.rightscale.com/\nrefresh_token: abcdef0123\n\n[Testing]\nsafe_script_name = x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint != "https://us-4.rightscale.com" || string(c.RefreshToken) != "abcdef0123" {
		t.Fatalf("%+v", c)
	}
	if _, err := ParseRC(strings.NewReader("[Testing]\nrefresh_token = x\n")); !errors.Is(err, ErrNoConfig) {
		t.Fatalf("a token outside [OAuth] is not read: %v", err)
	}
	_, err = ParseRC(strings.NewReader("[OAuth]\napi_endpoint = us-3.rightscale.com\nrefresh_token = secret-token-1\n"))
	if !errors.Is(err, ErrBadConfig) || strings.Contains(err.Error(), "secret-token-1") {
		t.Fatalf("an endpoint without its scheme: %v", err)
	}
	c, err = ParseRC(strings.NewReader("[oauth]\nREFRESH_TOKEN = t0k3n\n"))
	if err != nil || c.Endpoint != DefaultEndpoint {
		t.Fatalf("%+v %v", c, err)
	}
}

func FuzzParseRC(f *testing.F) {
	f.Add("[OAuth]\napi_endpoint = https://us-3.rightscale.com\nrefresh_token = 0123456789abcdef\n")
	f.Add("[OAuth\nrefresh_token")
	f.Add("; c\n# d\n[OAuth]\nrefresh_token=:=\n")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseRC(strings.NewReader(s))
		if err != nil {
			if c.RefreshToken != "" {
				t.Fatal("a credential with an error")
			}
			if !errors.Is(err, ErrNoConfig) && !errors.Is(err, ErrBadConfig) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if c.RefreshToken == "" || CheckEndpoint(c.Endpoint) != nil {
			t.Fatalf("accepted %+v", c)
		}
	})
}

func TestDecodeError(t *testing.T) {
	for _, tc := range []struct {
		status     int
		body, code string
		kind       error
		msg        string
	}{
		{422, "ResourceNotFound: Couldn't find Cloud with ID=0 ", "ResourceNotFound", transport.ErrNotFound, "Couldn't find Cloud with ID=0"},
		{422, `[["name","A deployment with this name already exists. Please enter a different name."]]`, "", transport.ErrInvalid, "name: A deployment with this name already exists. Please enter a different name."},
		{404, "Unknown action or route", "", transport.ErrNotFound, "Unknown action or route"},
		{403, "Session cookie is expired or invalid", "", transport.ErrUnauthorized, "Session cookie is expired or invalid"},
		{500, "", "", transport.ErrUnavailable, ""},
	} {
		e := &transport.Error{Status: tc.status, Kind: transport.KindForStatus(tc.status)}
		DecodeError(e, http.Header{}, []byte(tc.body))
		if e.Code != tc.code || e.Message != tc.msg || !errors.Is(e, tc.kind) {
			t.Errorf("%d %q: got code %q message %q kind %v", tc.status, tc.body, e.Code, e.Message, e.Kind)
		}
	}
}

func FuzzDecodeError(f *testing.F) {
	f.Add(422, "ResourceNotFound: Couldn't find Cloud with ID=0 ")
	f.Add(422, `[["a","b"],["c"]]`)
	f.Add(403, "<html><title>x</title></html>")
	f.Add(400, "[[1,2]]")
	f.Fuzz(func(t *testing.T, status int, body string) {
		e := &transport.Error{Status: status, Kind: transport.KindForStatus(status)}
		DecodeError(e, http.Header{}, []byte(body))
		if len(e.Message) > 1100 {
			t.Fatalf("message of %d bytes", len(e.Message))
		}
		out, err := DecodeBody(http.Header{}, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if len(out) > 0 && out[0] != '"' && out[0] != '{' && out[0] != '[' {
			t.Fatalf("not JSON: %q", out)
		}
	})
}
