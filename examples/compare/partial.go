package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-cloud/stratus"
	es "github.com/stratus-cloud/stratus/models/enstratus"
	wire "github.com/stratus-cloud/stratus/transport/enstratus"
	"github.com/stratus-cloud/stratus/transport/enstratus/enstratustest"
)

// namePartial is the row of a field that basic list items lack.
const namePartial = "es field absent from basic items"

// mixcoatlAgent is the User-Agent the mixcoatl-style loop sends and signs.
const mixcoatlAgent = "mixcoatl-style"

// partialField is read from every server: the cloud's name, which a basic
// list gives as {"cloudId":1} only. partialMissing is in no answer at all.
const (
	partialField   = "cloud.name"
	partialMissing = "cloud.noSuchField"
)

// Scenario: list n enStratus servers in basic detail (the lists' default,
// as mixcoatl meant them) and read a field the basic items lack. stratus
// re-lists the page once in extended detail (2 requests); mixcoatl loads
// each item (n+1 requests), here as a plain net/http loop signing the
// way mixcoatl signs.
func partialScenario(n, conc int) *scenario {
	srv := enstratustest.NewServer(enstratustest.Config{Servers: n, RealTime: true})
	return &scenario{
		sdk: "mixcoatl-style", items: n, srv: srv, fix: func(*http.Request) {},
		note: fmt.Sprintf("%s: %d enStratus servers listed in basic detail, %q read from each (and %q, in no answer); the SDK side loads each item, as mixcoatl does", namePartial, n, partialField, partialMissing),
		ours: []side{{name: namePartial, prepare: func(rec *recorder) (runFunc, error) {
			opts := []stratus.Option{es.Keys(srv.AccessKey(), srv.SecretKey()), stratus.WithBaseURL(srv.URL()), stratus.WithConcurrency(conc)}
			if rec != nil {
				opts = append(opts, stratus.WithHTTPClient(&http.Client{Transport: rec.wrap(pooledTransport())}))
			}
			c, err := es.New(opts...)
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) (tally, error) {
				var t tally
				for s, err := range es.Servers(c).All(ctx) {
					if err != nil {
						return t, err
					}
					v := s.Field(partialField).String() + s.Field(partialMissing).String()
					if v == "" {
						return t, fmt.Errorf("server %d: no %s", s.ID(), partialField)
					}
					t.add(int64(s.ID()) + int64(len(v)))
				}
				return t, nil
			}, nil
		}}},
		theirs: side{name: "mixcoatl-style", prepare: func(rec *recorder) (runFunc, error) {
			var rt http.RoundTripper = pooledTransport()
			if rec != nil {
				rt = rec.wrap(rt)
			}
			m := &mixcoatlLoop{hc: &http.Client{Transport: rt}, base: srv.URL(), access: srv.AccessKey(), secret: srv.SecretKey()}
			return m.run, nil
		}},
	}
}

// mixcoatlLoop is mixcoatl's Server.all() followed by a read of a field
// each item lacks: the list in basic detail, then every server loaded by
// itself (extended detail, mixcoatl's default for an object), one after
// the other, each answer decoded whole as mixcoatl decodes it.
type mixcoatlLoop struct {
	hc             *http.Client
	base           string
	access, secret string
}

func (m *mixcoatlLoop) get(ctx context.Context, path, details string) (map[string]any, error) {
	u, err := url.Parse(m.base + "/" + path)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	ts := time.Now().UnixMilli()
	req.Header.Set("User-Agent", mixcoatlAgent)
	req.Header.Set("Accept", "application/json")
	req.Header.Set(wire.HeaderAccess, m.access)
	req.Header.Set(wire.HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(wire.HeaderSignature, wire.Sign(m.secret, m.access, http.MethodGet, u.EscapedPath(), ts, mixcoatlAgent))
	req.Header.Set(wire.HeaderDetails, details)
	resp, err := m.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	// As mixcoatl does (response.json()): the whole answer into maps.
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	return v, nil
}

// field reads a dotted path of a decoded object, "" when it is absent or
// not a string.
func field(obj map[string]any, path string) string {
	var cur any = obj
	for part := range strings.SplitSeq(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[part]
	}
	s, _ := cur.(string)
	return s
}

// items is the list under key of a decoded answer.
func items(answer map[string]any, key string) []map[string]any {
	list, _ := answer[key].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func (m *mixcoatlLoop) run(ctx context.Context) (tally, error) {
	var t tally
	list, err := m.get(ctx, "infrastructure/Server", wire.DetailsBasic)
	if err != nil {
		return t, err
	}
	for _, s := range items(list, "servers") {
		idf, _ := s["serverId"].(float64)
		id := int64(idf)
		v := field(s, partialField) + field(s, partialMissing)
		if v == "" { // the item lacks it: load the server
			one, err := m.get(ctx, "infrastructure/Server/"+strconv.FormatInt(id, 10), wire.DetailsExtended)
			if err != nil {
				return t, err
			}
			if objs := items(one, "servers"); len(objs) == 1 {
				v = field(objs[0], partialField) + field(objs[0], partialMissing)
			}
		}
		if v == "" {
			return t, fmt.Errorf("server %d: no %s", id, partialField)
		}
		t.add(id + int64(len(v)))
	}
	return t, nil
}

func init() {
	extraTargets = append(extraTargets, partialTarget)
}

// partialTarget: at most 2 requests for the whole listing, at every
// latency measured.
func partialTarget(rep *report) []target {
	rs := rep.rowsNamed(namePartial)
	if len(rs) == 0 {
		return []target{{na: true, text: namePartial + ": <= 2 requests (not run)"}}
	}
	ok := true
	var parts []string
	for _, r := range rs {
		_, hi, _ := requestRange(r.Ours)
		ok = ok && r.Err == nil && hi <= 2
		parts = append(parts, fmt.Sprintf("%s: ours %s, %s %s, %sx faster", fmtLatency(r.Latency), fmtRequests(r.Ours), r.SDK, fmtRequests(r.Theirs), fmtFloat(r.speedup())))
	}
	return []target{{ok: ok, text: fmt.Sprintf("%s: %d servers in <= 2 requests (%s)", namePartial, rs[0].Items, joinParts(parts))}}
}
