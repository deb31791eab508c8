package digitalocean_test

import (
	"context"
	"crypto/ed25519"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stratus-cloud/stratus"
	do "github.com/stratus-cloud/stratus/models/digitalocean"
	"github.com/stratus-cloud/stratus/transport/digitalocean/digitaloceantest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPublicKey builds an OpenSSH ed25519 public key line from a fixed
// seed and its MD5 fingerprint, computed here independently of the
// simulator.
func testPublicKey(t *testing.T, seed byte, comment string) (line, fingerprint string) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed([]byte(strings.Repeat(string(rune('A'+seed)), ed25519.SeedSize)))
	pub := priv.Public().(ed25519.PublicKey)
	const typ = "ssh-ed25519"
	blob := binary.BigEndian.AppendUint32(nil, uint32(len(typ)))
	blob = append(blob, typ...)
	blob = binary.BigEndian.AppendUint32(blob, uint32(len(pub)))
	blob = append(blob, pub...)
	sum := md5.Sum(blob)
	hexes := make([]string, len(sum))
	for i, b := range sum {
		hexes[i] = fmt.Sprintf("%02x", b)
	}
	return typ + " " + base64.StdEncoding.EncodeToString(blob) + " " + comment, strings.Join(hexes, ":")
}

func TestSSHKeyLifecycle(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	pub, fp := testPublicKey(t, 1, "alice@example")

	srv.ResetRequests()
	k, err := do.CreateSSHKey(ctx, c, "alice", pub)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestsTo("POST", "/v2/account/keys"))
	assert.Positive(t, k.ID())
	assert.Equal(t, fp, k.Fingerprint())
	assert.Equal(t, "alice", k.Name())
	assert.Equal(t, pub, k.PublicKey())
	assert.Equal(t, 1, srv.Requests(), "the create answer fills the handle")

	// Get by id: one request for every field.
	srv.ResetRequests()
	byID := do.SSHKey(c, k.ID())
	assert.Equal(t, 0, srv.Requests(), "a handle sends nothing")
	assert.Equal(t, "alice", byID.Name())
	assert.Equal(t, fp, byID.Fingerprint())
	assert.Equal(t, pub, byID.PublicKey())
	assert.Equal(t, 1, srv.RequestsTo("GET", fmt.Sprintf("/v2/account/keys/%d", k.ID())))
	assert.Equal(t, do.KeyRef{ID: k.ID()}, byID.Ref())

	// Get by fingerprint: the path carries the fingerprint.
	byFP := do.SSHKeyByFingerprint(c, fp)
	assert.Equal(t, k.ID(), byFP.ID())
	assert.Equal(t, "alice", byFP.Name())
	assert.Equal(t, 1, srv.RequestsTo("GET", "/v2/account/keys/"+fp))
	assert.Equal(t, do.KeyRef{Fingerprint: fp}, byFP.Ref())

	// List: the two seeded keys and ours, hydrated from the page.
	srv.ResetRequests()
	keys, err := do.SSHKeys(c).Collect(ctx)
	require.NoError(t, err)
	require.Len(t, keys, 3)
	names := map[string]string{}
	for _, key := range keys {
		names[key.Name()] = key.Fingerprint()
	}
	assert.Equal(t, fp, names["alice"])
	assert.Contains(t, names, "sammy@laptop")
	assert.Contains(t, names, "ci-deploy")
	assert.Equal(t, 1, srv.Requests(), "list items are hydrated: no request per key")

	// Rename through the fingerprint handle: the handle shows the answer,
	// and a new handle reads the new name from the API.
	require.NoError(t, byFP.Rename(ctx, "alice-laptop"))
	assert.Equal(t, "alice-laptop", byFP.Name())
	assert.Equal(t, 1, srv.RequestsTo("PUT", "/v2/account/keys/"+fp))
	assert.Equal(t, "alice-laptop", do.SSHKey(c, k.ID()).Name())
	require.NoError(t, byID.Reload(ctx))
	assert.Equal(t, "alice-laptop", byID.Name())

	// Delete, then the key is gone.
	require.NoError(t, k.Delete(ctx))
	assert.NoError(t, k.LastError())
	gone := do.SSHKey(c, k.ID())
	ok, err := gone.Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
	n, err := do.SSHKeys(c).Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}

func TestSSHKeyMissingIsTypedNotFound(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, digitaloceantest.Config{Droplets: 1})

	k := do.SSHKey(c, 12345)
	assert.Equal(t, "", k.Name())
	assert.Equal(t, "", k.Fingerprint())
	assert.Equal(t, "", k.PublicKey())
	err := k.LastError()
	require.Error(t, err)
	assert.True(t, errors.Is(err, stratus.ErrNotFound), "got %v", err)
	var se *stratus.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 404, se.Status)
	assert.Equal(t, "not_found", se.Code)
	assert.NotEmpty(t, se.RequestID)

	byFP := do.SSHKeyByFingerprint(c, "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff")
	assert.Equal(t, 0, byFP.ID())
	assert.ErrorIs(t, byFP.LastError(), stratus.ErrNotFound)

	err = k.Rename(ctx, "x")
	assert.ErrorIs(t, err, stratus.ErrNotFound)
	assert.ErrorIs(t, k.LastError(), stratus.ErrNotFound)
	assert.ErrorIs(t, k.Delete(ctx), stratus.ErrNotFound)
}

func TestSSHKeyValidationSendsNothing(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, digitaloceantest.Config{Droplets: 1})
	pub, _ := testPublicKey(t, 2, "")
	srv.ResetRequests()

	for _, tc := range []struct{ name, key string }{{"", pub}, {"  ", pub}, {"bob", ""}, {"bob", " \n"}} {
		k, err := do.CreateSSHKey(ctx, c, tc.name, tc.key)
		assert.Nil(t, k)
		assert.ErrorIs(t, err, stratus.ErrInvalid)
		var se *stratus.Error
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "digitalocean", se.Provider)
	}
	err := do.SSHKey(c, 1).Rename(ctx, "")
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	assert.Equal(t, 0, srv.Requests(), "refused requests are never sent")

	// What only the API can check comes back typed too: a key already
	// on the account, a malformed key.
	_, err = do.CreateSSHKey(ctx, c, "bob", pub)
	require.NoError(t, err)
	_, err = do.CreateSSHKey(ctx, c, "bob again", pub)
	assert.ErrorIs(t, err, stratus.ErrInvalid)
	var se *stratus.Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 422, se.Status)
	assert.Equal(t, "unprocessable_entity", se.Code)
	_, err = do.CreateSSHKey(ctx, c, "junk", "ssh-rsa not-base64!")
	assert.ErrorIs(t, err, stratus.ErrInvalid)
}
