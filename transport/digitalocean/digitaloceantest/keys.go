package digitaloceantest

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

type sshKey struct {
	id          int
	name        string
	publicKey   string
	fingerprint string
}

func (k *sshKey) json() []byte {
	return marshal(struct {
		ID          int    `json:"id"`
		Fingerprint string `json:"fingerprint"`
		PublicKey   string `json:"public_key"`
		Name        string `json:"name"`
	}{k.id, k.fingerprint, k.publicKey, k.name})
}

var keyTypes = map[string]bool{
	"ssh-rsa": true, "ssh-dss": true, "ssh-ed25519": true,
	"ecdsa-sha2-nistp256": true, "ecdsa-sha2-nistp384": true, "ecdsa-sha2-nistp521": true,
	"sk-ssh-ed25519@openssh.com": true, "sk-ecdsa-sha2-nistp256@openssh.com": true,
}

// Fingerprint is the MD5 fingerprint of an OpenSSH public key line
// ("type base64 [comment]"), as `ssh-keygen -l -E md5` prints it and as the
// API reports it: the MD5 of the decoded key blob in colon-separated hex.
func Fingerprint(publicKey string) (string, error) {
	fields := strings.Fields(publicKey)
	if len(fields) < 2 || !keyTypes[fields[0]] {
		return "", errors.New("not an OpenSSH public key")
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return "", errors.New("the key data is not base64")
	}
	// The blob starts with the key type as a length-prefixed string.
	if len(blob) < 4 {
		return "", errors.New("the key data is too short")
	}
	n := binary.BigEndian.Uint32(blob)
	if uint64(n) > uint64(len(blob)-4) || string(blob[4:4+n]) != fields[0] {
		return "", errors.New("the key data does not match its type")
	}
	sum := md5.Sum(blob)
	var b strings.Builder
	for i, x := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		const hexd = "0123456789abcdef"
		b.WriteByte(hexd[x>>4])
		b.WriteByte(hexd[x&0xf])
	}
	return b.String(), nil
}

func (s *Server) addKey(name, publicKey, fingerprint string) *sshKey {
	s.nextKey++
	k := &sshKey{s.nextKey, name, strings.TrimSpace(publicKey), fingerprint}
	s.keys[k.id] = k
	s.keyOrder = append(s.keyOrder, k)
	return k
}

// keyByRef finds a key by id or fingerprint.
func (s *Server) keyByRef(ref string) *sshKey {
	if id, err := strconv.Atoi(ref); err == nil {
		return s.keys[id]
	}
	for _, k := range s.keyOrder {
		if k.fingerprint == ref {
			return k
		}
	}
	return nil
}

// keyRef resolves an ssh_keys entry of a droplet create: an id or a
// fingerprint.
func (s *Server) keyRef(raw json.RawMessage) *sshKey {
	var ref string
	if json.Unmarshal(raw, &ref) == nil {
		return s.keyByRef(ref)
	}
	var id int
	if json.Unmarshal(raw, &id) == nil {
		return s.keys[id]
	}
	return nil
}

func (s *Server) keyParam(c *call) *sshKey {
	k := s.keyByRef(c.params[0])
	if k == nil {
		c.notFound()
	}
	return k
}

func (s *Server) listKeys(c *call) { listOf(c, "ssh_keys", s.keyOrder, (*sshKey).json) }

func (s *Server) createKey(c *call) {
	var req struct {
		Name      string `json:"name"`
		PublicKey string `json:"public_key"`
	}
	if !c.decode(&req) {
		return
	}
	if strings.TrimSpace(req.Name) == "" {
		c.unprocessable("Name is required.")
		return
	}
	fp, err := Fingerprint(req.PublicKey)
	if err != nil {
		c.unprocessable("Key invalid, type not supported or malformed: " + err.Error() + ".")
		return
	}
	for _, k := range s.keyOrder {
		if k.fingerprint == fp {
			c.unprocessable("SSH Key is already in use on your account.")
			return
		}
	}
	c.ok(http.StatusCreated, m("ssh_key", s.addKey(req.Name, req.PublicKey, fp).json()))
}

func (s *Server) getKey(c *call) {
	if k := s.keyParam(c); k != nil {
		c.ok(http.StatusOK, m("ssh_key", k.json()))
	}
}

func (s *Server) updateKey(c *call) {
	k := s.keyParam(c)
	if k == nil {
		return
	}
	var req struct {
		Name *string `json:"name"`
	}
	if !c.decode(&req) {
		return
	}
	if req.Name != nil {
		if strings.TrimSpace(*req.Name) == "" {
			c.unprocessable("Name cannot be blank.")
			return
		}
		k.name = *req.Name
	}
	c.ok(http.StatusOK, m("ssh_key", k.json()))
}

func (s *Server) deleteKey(c *call) {
	k := s.keyParam(c)
	if k == nil {
		return
	}
	delete(s.keys, k.id)
	s.keyOrder = removeSorted(s.keyOrder, k.id, func(k *sshKey) int { return k.id })
	c.noContent()
}
