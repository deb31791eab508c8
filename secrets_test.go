package stratus_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	"github.com/stratus-cloud/stratus/models/ovh"
	"github.com/stratus-cloud/stratus/transport"
	dowire "github.com/stratus-cloud/stratus/transport/digitalocean"
	eswire "github.com/stratus-cloud/stratus/transport/enstratus"
	ovhwire "github.com/stratus-cloud/stratus/transport/ovh"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Secrets never appear, however a program prints or logs: each provider's
// client is built with known secrets and driven into every kind of failure
// by a server that echoes everything it receives.

// echoServer answers per mode, always echoing the request's headers and
// URL: in a request id header, an error code and the message.
type echoServer struct {
	srv  *httptest.Server
	mode atomic.Value // string
}

func newEchoServer(t *testing.T) *echoServer {
	es := &echoServer{}
	es.mode.Store("401")
	es.srv = httptest.NewServer(http.HandlerFunc(es.serve))
	t.Cleanup(es.srv.Close)
	return es
}

func (es *echoServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/auth/time" { // OVH's clock
		fmt.Fprint(w, time.Now().Unix())
		return
	}
	var keys []string
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var echo strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&echo, "%s=%s ", k, strings.Join(r.Header[k], ","))
	}
	echo.WriteString(r.URL.String())
	text := echo.String()
	w.Header().Set("X-Request-Id", text)
	w.Header().Set("X-Ovh-Queryid", text)
	quoted, _ := json.Marshal(text)
	errBody := fmt.Sprintf(`{"id":%s,"errorCode":%s,"class":%s,"message":%s,"error":{"message":%s},"request_id":%s}`, quoted, quoted, quoted, quoted, quoted, quoted)
	switch es.mode.Load().(string) {
	case "401":
		w.WriteHeader(401)
		fmt.Fprint(w, errBody)
	case "403":
		w.WriteHeader(403)
		fmt.Fprint(w, errBody)
	case "500":
		w.WriteHeader(503)
		fmt.Fprint(w, errBody)
	case "html":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		fmt.Fprintf(w, "<html><title>%s</title></html>", text)
	case "malformed":
		fmt.Fprintf(w, "not json: %s", text)
	case "timeout":
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
}

type leakCase struct {
	name    string
	secrets []string
	open    func(base string, opts ...stratus.Option) (*stratus.Client, error)
	handle  func(c *stratus.Client) stratus.Object
	list    func(ctx context.Context, c *stratus.Client) error
	creds   any // the provider's own credentials value
}

func leakCases() []leakCase {
	return []leakCase{
		{
			name:    "digitalocean",
			secrets: []string{"dop_v1_do-token-0123456789abcdef"},
			open: func(base string, opts ...stratus.Option) (*stratus.Client, error) {
				return do.New(append([]stratus.Option{do.Token("dop_v1_do-token-0123456789abcdef"), stratus.WithBaseURL(base)}, opts...)...)
			},
			handle: func(c *stratus.Client) stratus.Object { return do.Droplet(c, 42) },
			list: func(ctx context.Context, c *stratus.Client) error {
				_, err := do.Droplets(c).Collect(ctx)
				return err
			},
			creds: dowire.Credentials{Token: dowire.Token("dop_v1_do-token-0123456789abcdef")},
		},
		{
			name:    "ovh",
			secrets: []string{"ovh-app-key-7c3e", "ovh-app-secret-91fa2b", "ovh-consumer-key-5d0e"},
			open: func(base string, opts ...stratus.Option) (*stratus.Client, error) {
				return ovh.New(append([]stratus.Option{ovh.Credentials("ovh-app-key-7c3e", "ovh-app-secret-91fa2b", "ovh-consumer-key-5d0e"), ovh.Endpoint(base)}, opts...)...)
			},
			handle: func(c *stratus.Client) stratus.Object { return ovh.DedicatedServer(c, "ns1.example") },
			list: func(ctx context.Context, c *stratus.Client) error {
				_, err := ovh.DedicatedServers(c).Collect(ctx)
				return err
			},
			creds: ovhwire.Credentials{ApplicationKey: "ovh-app-key-7c3e", ApplicationSecret: "ovh-app-secret-91fa2b", ConsumerKey: "ovh-consumer-key-5d0e"},
		},
		{
			name:    "enstratus",
			secrets: []string{"ES-ACCESS-KEY-3344", "es-secret-key-b7d9c1"},
			open: func(base string, opts ...stratus.Option) (*stratus.Client, error) {
				return es.New(append([]stratus.Option{es.Keys("ES-ACCESS-KEY-3344", "es-secret-key-b7d9c1"), es.Endpoint(base + "/api/enstratus/2012-06-15")}, opts...)...)
			},
			handle: func(c *stratus.Client) stratus.Object { return es.Server(c, 7) },
			list: func(ctx context.Context, c *stratus.Client) error {
				_, err := es.Servers(c).Collect(ctx)
				return err
			},
			creds: eswire.Credentials{AccessKey: "ES-ACCESS-KEY-3344", SecretKey: "es-secret-key-b7d9c1"},
		},
	}
}

// printAll renders v with every verb, json.Marshal and both slog handlers.
func printAll(out *bytes.Buffer, v any) {
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		fmt.Fprintf(out, verb+"\n", v)
	}
	if b, err := json.Marshal(v); err == nil {
		out.Write(b)
	}
	slog.New(slog.NewTextHandler(out, nil)).Info("value", "v", v)
	slog.New(slog.NewJSONHandler(out, nil)).Info("value", "v", v)
}

func TestNoSecretAppearsPerProvider(t *testing.T) {
	for _, tc := range leakCases() {
		t.Run(tc.name, func(t *testing.T) {
			srv := newEchoServer(t)
			u, _ := url.Parse(srv.srv.URL)
			const password = "url-password-66aa"
			u.User = url.UserPassword("user", password)
			secrets := append([]string{password}, tc.secrets...)
			querySecret := "query-secret-value-17"
			minted := "minted-access-token-8f8f"

			var logs bytes.Buffer
			var mu sync.Mutex
			logger := slog.New(multiHandler{
				slog.NewTextHandler(&lockedWriter{&logs, &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}),
				slog.NewJSONHandler(&lockedWriter{&logs, &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}),
			})
			opts := []stratus.Option{stratus.WithLogger(logger), stratus.WithTimeout(200 * time.Millisecond),
				stratus.WithRetry(transport.RetryPolicy{MaxAttempts: 2, MinDelay: time.Millisecond, MaxDelay: time.Millisecond})}
			c, err := tc.open(u.String(), opts...)
			require.NoError(t, err)
			// A token minted at run time is registered as it is made.
			c.Transport().AddSecret(minted)
			secrets = append(secrets, minted)

			var out bytes.Buffer
			// Printing races with requests in flight under -race.
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				var sink bytes.Buffer
				for {
					select {
					case <-stop:
						return
					default:
					}
					fmt.Fprintf(&sink, "%v %+v %#v %v %+v %#v", c, c, c, c.Transport(), c.Transport(), c.Transport())
					sink.Reset()
				}
			}()

			ctx := context.Background()
			var errs []error
			for _, mode := range []string{"401", "403", "500", "html", "malformed", "timeout"} {
				srv.mode.Store(mode)
				h := tc.handle(c)
				lerr := h.Handle().Load(ctx)
				require.Error(t, lerr, mode)
				errs = append(errs, lerr)
				errs = append(errs, tc.list(ctx, c))
				q := url.Values{}
				for _, k := range transport.SecretQuery {
					q.Set(k, querySecret)
				}
				q.Set("Password", querySecret)
				_, err := c.Do(ctx, "GET", h.Handle().Path(), q, nil)
				errs = append(errs, err)
				_, err = c.Do(ctx, "GET", h.Handle().Path()+"?token="+querySecret+"&x=1", nil, nil)
				errs = append(errs, err)
				// The minted token travels in a header the server echoes.
				_, err = c.Send(ctx, &transport.Request{Method: "GET", Path: h.Handle().Path(), Header: http.Header{"X-Extra": {minted}}})
				errs = append(errs, err)
				printAll(&out, h)
				printAll(&out, h.Handle())
				if lr := c.LastResponse(); lr != nil {
					out.WriteString(lr.URL + " " + lr.RequestID + "\n")
				}
			}
			close(stop)
			wg.Wait()
			for _, err := range errs {
				if err == nil {
					continue // Send hands a non-JSON 200 over as it is
				}
				printAll(&out, err)
				out.WriteString(err.Error() + "\n")
			}
			printAll(&out, c)
			printAll(&out, c.Transport())
			printAll(&out, c.Settings())
			printAll(&out, c.Settings().Credentials)
			out.WriteString(c.Settings().BaseURL + " " + c.BaseURL() + "\n")
			printAll(&out, opts)
			printAll(&out, tc.creds)
			printAll(&out, &tc.creds)
			for _, s := range tc.secrets {
				printAll(&out, transport.Secret(s))
			}
			mu.Lock()
			all := out.String() + logs.String()
			mu.Unlock()
			require.Contains(t, logs.String(), "stratus request", "requests were logged")
			require.Contains(t, all, transport.Redacted, "redaction happened")
			for _, s := range append(secrets, querySecret) {
				assertAbsent(t, all, s)
				assertAbsent(t, all, url.QueryEscape(s))
			}
		})
	}
}

func TestSecretTypeRedactsEverywhere(t *testing.T) {
	s := transport.Secret("plain-secret-value")
	var out bytes.Buffer
	printAll(&out, s)
	printAll(&out, struct {
		S transport.Secret
		P *transport.Secret
		M map[string]transport.Secret
	}{s, &s, map[string]transport.Secret{"k": s}})
	txt, err := s.MarshalText()
	require.NoError(t, err)
	out.Write(txt)
	assert.NotContains(t, out.String(), "plain-secret-value")
	assert.Contains(t, out.String(), transport.Redacted)
	assert.Equal(t, "plain-secret-value", string(s), "the value is there for signers")
	// One type for every provider.
	var _ transport.Secret = dowire.Token("")
	var _ transport.Secret = ovhwire.Secret("")
	var _ transport.Secret = eswire.Secret("")
}

func TestURLsAreRedactedForTheFakeProvider(t *testing.T) {
	f := newFakeAPI(t, 3)
	u, _ := url.Parse(f.srv.URL)
	u.User = url.UserPassword("me", "base-password-1234")
	var logs bytes.Buffer
	c := newFakeClient(t, f, stratus.WithBaseURL(u.String()), stratus.WithLogger(slogTo(&logs)))
	_, err := c.Do(context.Background(), "GET", "/things", url.Values{"api_key": {"qv-1234567"}, "page": {"1"}}, nil)
	require.NoError(t, err)
	for _, s := range []string{c.LastResponse().URL, c.Settings().BaseURL, c.BaseURL(), logs.String()} {
		assert.NotContains(t, s, "base-password-1234")
		assert.NotContains(t, s, "qv-1234567")
	}
	assert.Contains(t, c.LastResponse().URL, "page=1", "other parameters stay")
	assert.Equal(t, strconv.Quote(c.String()), fmt.Sprintf("%q", c))
}

// multiHandler sends each record to every handler.
type multiHandler []slog.Handler

func (m multiHandler) Enabled(ctx context.Context, l slog.Level) bool { return m[0].Enabled(ctx, l) }
func (m multiHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range m {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}
func (m multiHandler) WithAttrs(a []slog.Attr) slog.Handler {
	out := make(multiHandler, len(m))
	for i, h := range m {
		out[i] = h.WithAttrs(a)
	}
	return out
}
func (m multiHandler) WithGroup(g string) slog.Handler {
	out := make(multiHandler, len(m))
	for i, h := range m {
		out[i] = h.WithGroup(g)
	}
	return out
}

type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// assertAbsent fails with the text around a secret found in out.
func assertAbsent(t *testing.T, out, secret string) {
	t.Helper()
	if i := strings.Index(out, secret); i >= 0 {
		t.Errorf("secret %q appears: ...%s...", secret, out[max(0, i-300):min(len(out), i+len(secret)+40)])
	}
}
