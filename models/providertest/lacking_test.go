package providertest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/tidwall/gjson"
)

func TestLackingFindsAFieldThePartialItemLacks(t *testing.T) {
	full := gjson.Parse(`{"id":1,"name":"a","cloud":{"cloudId":1,"name":"AWS"},"a.b":2}`)
	assert.Equal(t, "cloud.name", lacking(full, gjson.Parse(`{"id":1,"name":"a","cloud":{"cloudId":1},"a.b":2}`), ""), "a nested leaf")
	assert.Equal(t, `a\.b`, lacking(full, gjson.Parse(`{"id":1,"name":"a","cloud":{"cloudId":1,"name":"AWS"}}`), ""), "a key with a dot is escaped")
	assert.Equal(t, "id", lacking(full, gjson.Result{}, ""), "nothing held: the first field")
	assert.Empty(t, lacking(full, full, ""), "nothing lacking")
	assert.True(t, full.Get(lacking(full, gjson.Parse(`{"id":1,"name":"a","cloud":{"cloudId":1,"name":"AWS"}}`), "")).Exists(), "the path reads the field")
}
