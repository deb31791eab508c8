package simulator

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWire(t *testing.T) {
	wire := Wire{ContentType: "application/json; charset=utf-8"}
	write := func(wf Wire, rep *Reply, n int) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		wf.Write(w, rep, n)
		return w
	}

	rep := NewReply()
	rep.Status, rep.Body = 201, []byte(`{"id":1}`)
	rep.Header.Set("X-Request-Id", "abc")
	w := write(wire, rep, len(rep.Body))
	assert.Equal(t, 201, w.Code)
	assert.Equal(t, `{"id":1}`, w.Body.String())
	assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Equal(t, "8", w.Header().Get("Content-Length"))
	assert.Equal(t, "abc", w.Header().Get("X-Request-Id"))

	w = write(wire, rep, 3)
	assert.Equal(t, `{"i`, w.Body.String(), "the first n bytes")
	assert.Equal(t, "8", w.Header().Get("Content-Length"), "the whole length")

	rep.Header.Set("Content-Type", "text/html")
	w = write(wire, rep, len(rep.Body))
	assert.Equal(t, "text/html", w.Header().Get("Content-Type"), "the reply's own type wins")

	noContent := &Reply{Status: http.StatusNoContent}
	w = write(wire, noContent, 0)
	assert.Equal(t, 204, w.Code)
	assert.Empty(t, w.Header().Values("Content-Length"))
	assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))

	bare := Wire{ContentType: "application/json", BareNoContent: true}
	w = write(bare, noContent, 0)
	assert.Empty(t, w.Header().Values("Content-Length"))
	assert.Empty(t, w.Header().Values("Content-Type"))
	w = write(bare, &Reply{Status: 200, Body: []byte("{}")}, 2)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Equal(t, "2", w.Header().Get("Content-Length"))
}

func TestReadBody(t *testing.T) {
	r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", MaxBody)))
	b, err := ReadBody(r)
	require.NoError(t, err)
	assert.Len(t, b, MaxBody)

	r = httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", MaxBody+1)))
	_, err = ReadBody(r)
	assert.ErrorIs(t, err, ErrBodyTooLarge)

	r = httptest.NewRequest("POST", "/", errReader{})
	_, err = ReadBody(r)
	assert.EqualError(t, err, "broken")
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("broken") }

func TestMarshal(t *testing.T) {
	assert.Equal(t, `{"a":"<b>&"}`, string(Marshal(map[string]string{"a": "<b>&"})), "no HTML escaping, no newline")
	assert.Panics(t, func() { Marshal(func() {}) })
}
