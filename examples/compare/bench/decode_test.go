package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/digitalocean/godo"
	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/require"
)

// page fetches one real 200-droplet page from the simulator.
func page(tb testing.TB) []byte {
	tb.Helper()
	srv := digitaloceantest.NewServer(digitaloceantest.Config{Droplets: 200})
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL()+"/v2/droplets?per_page=200", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(tb, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(tb, err)
	require.Equal(tb, 200, resp.StatusCode)
	return b
}

// memTransport answers every request with the same page, from memory.
type memTransport struct{ body []byte }

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(m.body)), ContentLength: int64(len(m.body)), Request: r}, nil
}

type fields struct {
	names, statuses, memory int
}

// stratusRead lists the page through the whole stratus path (request
// chain, envelope, hydration) and reads three fields of each droplet.
func stratusRead(c *stratus.Client) (fields, error) {
	var f fields
	for d, err := range do.Droplets(c).PageSize(200).All(context.Background()) {
		if err != nil {
			return f, err
		}
		f.names += len(d.Name())
		f.statuses += len(d.Status())
		f.memory += d.Memory()
	}
	return f, nil
}

// godoRead decodes the page the way godo does (encoding/json into its
// Droplet struct) and reads the same three fields.
func godoRead(b []byte) (fields, error) {
	var root struct {
		Droplets []godo.Droplet `json:"droplets"`
		Links    *godo.Links    `json:"links"`
		Meta     *godo.Meta     `json:"meta"`
	}
	var f fields
	if err := json.Unmarshal(b, &root); err != nil {
		return f, err
	}
	for i := range root.Droplets {
		d := &root.Droplets[i]
		f.names += len(d.Name)
		f.statuses += len(d.Status)
		f.memory += d.Memory
	}
	return f, nil
}

func newMemClient(tb testing.TB, b []byte) *stratus.Client {
	c, err := do.New(do.Token("bench"), stratus.WithBaseURL("http://bench.invalid"), stratus.WithoutCache(),
		stratus.WithRetry(transport.NoRetry), stratus.WithHTTPClient(&http.Client{Transport: memTransport{b}}))
	require.NoError(tb, err)
	return c
}

// Both paths read the same values: the benchmark compares equal work.
func TestDecodeSameAnswers(t *testing.T) {
	b := page(t)
	ours, err := stratusRead(newMemClient(t, b))
	require.NoError(t, err)
	theirs, err := godoRead(b)
	require.NoError(t, err)
	require.Equal(t, theirs, ours)
	require.NotZero(t, ours.memory)
}

// BenchmarkDecodePage decodes a 200-droplet page and reads name, status
// and memory of each: stratus (gjson views, hydrated handles) beside
// encoding/json into godo's Droplet, in the same run.
func BenchmarkDecodePage(b *testing.B) {
	body := page(b)
	b.Run("stratus", func(b *testing.B) {
		c := newMemClient(b, body)
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := stratusRead(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("godo", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := godoRead(body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
