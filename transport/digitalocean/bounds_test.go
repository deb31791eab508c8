package digitalocean_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/stratus-cloud/stratus/transport"
	"github.com/stratus-cloud/stratus/transport/digitalocean"
	"github.com/stretchr/testify/assert"
)

// An error body nested sixteen million levels deep (a 15 KB gzip answer
// inflates to it) is refused by one linear pass; validating it
// recursively would overflow the stack, which no recover catches.
func TestDecodeErrorOfDeepNesting(t *testing.T) {
	deep := append([]byte(`{"message":`), bytes.Repeat([]byte("["), 16<<20)...)
	for _, status := range []int{400, 403, 500} {
		e := &transport.Error{Status: status, Kind: transport.KindForStatus(status)}
		digitalocean.DecodeError(e, http.Header{}, deep)
		assert.Empty(t, e.Message, "nothing read from a body nested too deep")
		assert.Equal(t, transport.KindForStatus(status), e.Kind)
	}
	// Nesting within the bound is read as before.
	ok := []byte(`{"message":"gone","id":"not_found","errorCode":"x","error":{"message":"gone"},"deep":` + string(bytes.Repeat([]byte("["), 100)) + string(bytes.Repeat([]byte("]"), 100)) + `}`)
	e := &transport.Error{Status: 404, Kind: transport.ErrNotFound}
	digitalocean.DecodeError(e, http.Header{}, ok)
	assert.Equal(t, "gone", e.Message)
}
