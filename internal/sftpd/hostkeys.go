package sftpd

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/ssh"
)

// hostKeyFiles are the server's identities, named as OpenSSH names them so
// an operator recognises them. Cameras (Axis notably) pin the host key: a
// key is generated once and never replaced, not even when unreadable.
var hostKeyFiles = []struct {
	name     string
	generate func() (crypto.Signer, error)
}{
	{"ssh_host_ed25519_key", func() (crypto.Signer, error) {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	}},
	{"ssh_host_ecdsa_key", func() (crypto.Signer, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }},
	{"ssh_host_rsa_key", func() (crypto.Signer, error) { return rsa.GenerateKey(rand.Reader, 3072) }},
}

// loadHostKeys reads the host keys in dir, creating those missing.
func loadHostKeys(dir string) ([]ssh.Signer, error) {
	if dir == "" {
		return nil, errors.New("sftpd: HostKeyDir is required: host keys must persist across restarts")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("host key dir: %w", err)
	}
	var signers []ssh.Signer
	for _, hk := range hostKeyFiles {
		path := filepath.Join(dir, hk.name)
		s, err := readHostKey(path)
		if errors.Is(err, fs.ErrNotExist) {
			s, err = createHostKey(path, hk.generate)
		}
		if err != nil {
			return nil, err
		}
		signers = append(signers, s)
	}
	return signers, nil
}

func readHostKey(path string) (ssh.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("host key %s is readable by others: %w", path, err)
		}
	}
	s, err := ssh.ParsePrivateKey(b)
	if err != nil {
		// Never regenerate over an existing file: cameras pinned that key.
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	return s, nil
}

// createHostKey writes a new key beside its final name then links it in
// place, so that a crash never leaves a half-written key and two processes
// starting together end up with the same one.
func createHostKey(path string, generate func() (crypto.Signer, error)) (ssh.Signer, error) {
	key, err := generate()
	if err != nil {
		return nil, fmt.Errorf("generate host key: %w", err)
	}
	block, err := ssh.MarshalPrivateKey(key, "cam2drive")
	if err != nil {
		return nil, fmt.Errorf("encode host key: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("write host key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(pem.EncodeToMemory(block))
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Link(tmp.Name(), path)
	}
	if errors.Is(err, fs.ErrExist) {
		return readHostKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("write host key: %w", err)
	}
	return ssh.NewSignerFromKey(key)
}

// fingerprint shows a host key the way operators compare it with what a
// camera displays: "ssh-ed25519 SHA256:…".
func fingerprint(k ssh.PublicKey) string {
	return k.Type() + " " + ssh.FingerprintSHA256(k)
}

// strictSigner keeps the SHA-1 "ssh-rsa" signature off the main listener;
// the legacy listener offers it to old clients.
func strictSigner(s ssh.Signer) (ssh.Signer, error) {
	if s.PublicKey().Type() != ssh.KeyAlgoRSA {
		return s, nil
	}
	as, ok := s.(ssh.AlgorithmSigner)
	if !ok {
		return s, nil
	}
	return ssh.NewSignerWithAlgorithms(as, []string{ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSASHA512})
}
