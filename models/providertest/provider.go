package providertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stratus-cloud/stratus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// providerChecks are the checks of the provider as a whole: no harness
// field turns them off.
func (s *suite) providerChecks(t *testing.T) {
	t.Run("unauthorized", s.unauthorized)
	t.Run("get_retried_on_429_retry_after", s.retryAfter)
	t.Run("write_invalidates_cache", s.writeInvalidates)
	t.Run("post_reached_server_not_resent", s.postNotResent)
}

// firstItem and firstList are the kinds the provider checks read.
func (s *suite) firstItem(t *testing.T) *kindInfo {
	for _, ki := range s.kinds {
		if ki.hasItem() && !ki.singleton() {
			return ki
		}
	}
	require.FailNow(t, "the provider has no kind that can be read by id")
	return nil
}

func (s *suite) firstList(t *testing.T) *kindInfo {
	for _, ki := range s.kinds {
		if ki.lists() {
			return ki
		}
	}
	require.FailNow(t, "the provider has no kind that lists")
	return nil
}

// wrong returns a credential value the simulator cannot accept, shaped
// like a key (letters and digits), and counts it as a secret.
func (s *suite) wrong(name string) string {
	v := "Conformance0Wrong0" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '0'
	}, name) + "0123456789abcdef"
	s.mu.Lock()
	s.secrets = append(s.secrets, v)
	s.mu.Unlock()
	return v
}

func (s *suite) unauthorized(t *testing.T) {
	var opts []stratus.Option
	for _, name := range s.h.Provider.Secret {
		opts = append(opts, stratus.WithCredential(name, s.wrong(name)))
	}
	c, _ := s.client(t, opts...)
	ki := s.firstItem(t)
	h := ki.handle(c, ki.spec.ID)
	assert.False(t, h.Handle().Get(ki.fields[0]).Exists(), "no value without valid credentials")
	assert.ErrorIs(t, h.Handle().LastError(), stratus.ErrUnauthorized, "%s with wrong credentials", ki.name)
	s.sawObj(h)

	kl := s.firstList(t)
	_, err := kl.collection(c).Collect(ctx(t))
	assert.ErrorIs(t, err, stratus.ErrUnauthorized, "listing %s with wrong credentials", kl.name)
	s.sawErr(err)
}

func (s *suite) retryAfter(t *testing.T) {
	c, cnt := s.client(t)
	s.h.Inject(Fault429)
	ki := s.firstItem(t)
	assert.NoError(t, s.probe(t, ki, c), "a 429 is waited out and tried again")
	assert.Equal(t, 2, cnt.n(), "%v", cnt.sent(0))
}

func (s *suite) writeInvalidates(t *testing.T) {
	c, cnt := s.client(t)
	ki, kl := s.firstItem(t), s.firstList(t)
	read := func() {
		h := ki.handle(c, ki.spec.ID)
		h.Handle().Get(ki.fields[0])
		require.NoError(t, h.Handle().LastError())
		_, err := kl.collection(c).Collect(ctx(t))
		require.NoError(t, err)
	}
	read()
	n := cnt.n()
	read()
	require.Equal(t, n, cnt.n(), "the second reads come from the cache: %v", cnt.sent(n))

	require.NoError(t, s.h.Write(ctx(t), c), "Harness.Write")
	w := cnt.sent(n)
	require.Len(t, w, 1, "Harness.Write sends one request: %v", w)
	require.True(t, strings.HasPrefix(w[0], "POST "), "Harness.Write sends a POST: %v", w)

	read()
	assert.Equal(t, 2*n+1, cnt.n(), "after a write the same reads go to the API again: %v", cnt.sent(n+1))
}

func (s *suite) postNotResent(t *testing.T) {
	for _, f := range []Fault{FaultResetAfter, Fault503} {
		t.Run(f.String(), func(t *testing.T) {
			c, cnt := s.client(t)
			s.h.Inject(f)
			err := s.h.Write(ctx(t), c)
			s.sawErr(err)
			assert.Error(t, err, "the write failed")
			assert.Equal(t, 1, cnt.n(), "a POST that may have reached the server is sent once: %v", cnt.sent(0))
			if f == FaultResetAfter {
				assert.ErrorIs(t, err, stratus.ErrUnavailable)
			}
			var se *stratus.Error
			assert.ErrorAs(t, err, &se)
			if se != nil {
				assert.Equal(t, 1, se.Attempts, fmt.Sprintf("%+v", se))
			}
		})
	}
}
