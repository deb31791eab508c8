package digitalocean

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/stratus-cloud/stratus"
)

// SSHKeyHandle is a lazy SSH public key of the account. The API addresses
// a key by its id or by its MD5 fingerprint.
type SSHKeyHandle struct{ *stratus.Resource }

var _ stratus.Object = (*SSHKeyHandle)(nil)

// SSHKey returns a handle for key id. No request is sent.
func SSHKey(c *stratus.Client, id int) *SSHKeyHandle {
	return &SSHKeyHandle{stratus.NewResource(c, sshKeyKind, strconv.Itoa(id))}
}

// SSHKeyByFingerprint returns a handle for the key whose MD5 fingerprint
// is fp ("3b:16:e4:bf:..."). No request is sent.
func SSHKeyByFingerprint(c *stratus.Client, fp string) *SSHKeyHandle {
	return &SSHKeyHandle{stratus.NewResource(c, sshKeyKind, fp)}
}

func wrapSSHKey(r *stratus.Resource) *SSHKeyHandle { return &SSHKeyHandle{r} }

// SSHKeys lists the account's SSH keys.
func SSHKeys(c *stratus.Client) stratus.Collection[*SSHKeyHandle] {
	return stratus.NewCollection(c, sshKeyKind, wrapSSHKey)
}

// ID returns the key id; a handle made by fingerprint loads the key to
// learn it.
func (k *SSHKeyHandle) ID() int {
	if n, err := strconv.Atoi(k.Resource.ID()); err == nil {
		return n
	}
	return k.GetInt("id")
}

// Fingerprint returns the key's MD5 fingerprint, colon-separated hex.
func (k *SSHKeyHandle) Fingerprint() string { return k.GetString("fingerprint") }

// PublicKey returns the OpenSSH public key line.
func (k *SSHKeyHandle) PublicKey() string { return k.GetString("public_key") }

// Name returns the key's name.
func (k *SSHKeyHandle) Name() string { return k.GetString("name") }

// Ref names the key for a droplet create (by id when known, else by
// fingerprint), without loading it.
func (k *SSHKeyHandle) Ref() KeyRef {
	if n, err := strconv.Atoi(k.Resource.ID()); err == nil {
		return KeyRef{ID: n}
	}
	return KeyRef{Fingerprint: k.Resource.ID()}
}

// CreateSSHKey adds an OpenSSH public key ("ssh-ed25519 AAAA... comment")
// to the account under name.
func CreateSSHKey(ctx context.Context, c *stratus.Client, name, publicKey string) (*SSHKeyHandle, error) {
	const op = "POST /v2/account/keys"
	switch {
	case strings.TrimSpace(name) == "":
		return nil, withProvider(stratus.Invalid(c, op, "name is required"))
	case strings.TrimSpace(publicKey) == "":
		return nil, withProvider(stratus.Invalid(c, op, "public key is required"))
	}
	body, err := c.DoJSON(ctx, http.MethodPost, sshKeyKind.ListPath, nil, map[string]string{"name": name, "public_key": publicKey})
	if err != nil {
		return nil, err
	}
	obj := body.Get(sshKeyKind.ItemKey)
	if !obj.IsObject() {
		return nil, malformed(op, sshKeyKind.ItemKey)
	}
	return &SSHKeyHandle{stratus.Hydrate(c, sshKeyKind, obj, false)}, nil
}

// Rename changes the key's name and refreshes the handle with the answer.
func (k *SSHKeyHandle) Rename(ctx context.Context, name string) error {
	if strings.TrimSpace(name) == "" {
		return withProvider(stratus.Invalid(k.Client(), "PUT "+k.Path(), "name is required"))
	}
	res, err := k.Client().DoJSON(ctx, http.MethodPut, k.Path(), nil, map[string]string{"name": name})
	if err == nil {
		if obj := res.Get(sshKeyKind.ItemKey); obj.IsObject() {
			k.Fill(obj, false)
		}
	}
	k.SetError(err)
	return err
}

// Delete removes the key from the account. Droplets that were created
// with it keep it.
func (k *SSHKeyHandle) Delete(ctx context.Context) error {
	_, err := k.Client().Do(ctx, http.MethodDelete, k.Path(), nil, nil)
	k.SetError(err)
	return err
}
