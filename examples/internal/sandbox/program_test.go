package sandbox

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRun(t *testing.T) {
	var stderr bytes.Buffer
	assert.Equal(t, 0, Run("prog", &stderr, func(ctx context.Context) error {
		assert.NoError(t, ctx.Err())
		return nil
	}))
	assert.Empty(t, stderr.String())
	assert.Equal(t, 1, Run("prog", &stderr, func(context.Context) error { return errors.New("boom") }))
	assert.Equal(t, "prog: boom\n", stderr.String())
}
