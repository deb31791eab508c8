package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/stratus-cloud/stratus/examples/internal/sandbox"
)

func TestAccountWithAMask(t *testing.T) {
	sandbox.Isolate(t)
	for _, mask := range []string{"mask[id,companyName,email,masterUser[username]]", "id;companyName;email;masterUser.username"} {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), &out, config{getenv: func(string) string { return "" }, mask: mask}))
		got := out.String()
		lines := bytes.SplitN(out.Bytes(), []byte("\n"), 4)
		require.Len(t, lines, 4)
		raw := gjson.ParseBytes(lines[2])
		assert.Equal(t, int64(1234), raw.Get("id").Int(), mask)
		assert.True(t, raw.Get("masterUser.username").Exists(), "the relational property named")
		assert.False(t, raw.Get("city").Exists(), "only the named local properties")
		assert.Contains(t, got, "account 1234: Stratus Test Company <jane.doe@example.com>\n")
		assert.Contains(t, got, "fields in the mask: 0 requests\n")
		assert.Contains(t, got, "city (outside the mask): Dallas, US\n")
		assert.Regexp(t, `created \d{4}-\d\d-\d\d, status 1001: 1 request for the rest\n`, got)
	}
}
