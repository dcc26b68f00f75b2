package sftpd_test

import (
	"crypto/rsa"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/sftpd"
)

func TestHostKeysPersist(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	first, err := sftpd.New(nil, sftpd.Config{HostKeyDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	again, err := sftpd.New(nil, sftpd.Config{HostKeyDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	fps := first.HostKeyFingerprints()
	if !slices.Equal(fps, again.HostKeyFingerprints()) {
		t.Fatalf("host keys changed across restarts: %v then %v", fps, again.HostKeyFingerprints())
	}
	for i, prefix := range []string{"ssh-ed25519 SHA256:", "ecdsa-sha2-nistp256 SHA256:", "ssh-rsa SHA256:"} {
		if i >= len(fps) || !strings.HasPrefix(fps[i], prefix) {
			t.Fatalf("fingerprints = %v, want ed25519, ecdsa-p256 and rsa", fps)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 3 {
		t.Fatalf("key dir holds %v (%v), want the 3 keys only", entries, err)
	}
	for _, e := range entries {
		if st, err := os.Stat(filepath.Join(dir, e.Name())); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v (%v), want 0600", e.Name(), st.Mode(), err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "ssh_host_rsa_key"))
	if k, err := ssh.ParseRawPrivateKey(b); err != nil || k.(*rsa.PrivateKey).N.BitLen() != 3072 {
		t.Errorf("RSA key: %v, want 3072 bits", err)
	}
}

func TestUnreadableHostKeyIsNeverReplaced(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "ssh_host_ed25519_key")
	if err := os.WriteFile(bad, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sftpd.New(nil, sftpd.Config{HostKeyDir: dir}); err == nil {
		t.Fatal("New accepted an unreadable host key")
	}
	if b, _ := os.ReadFile(bad); string(b) != "not a key" {
		t.Fatal("the unreadable key was overwritten: cameras that pinned the old one would refuse the server")
	}
}

// An old embedded client: SHA-1 key exchange, CBC, HMAC-SHA1, ssh-rsa.
func TestLegacyListener(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	s := start(t, f, sftpd.Config{LegacyAddr: "127.0.0.1:0"})
	cases := []struct {
		name   string
		config func(*ssh.ClientConfig)
	}{
		{"diffie-hellman-group14-sha1", func(c *ssh.ClientConfig) { c.KeyExchanges = []string{"diffie-hellman-group14-sha1"} }},
		{"diffie-hellman-group1-sha1", func(c *ssh.ClientConfig) { c.KeyExchanges = []string{"diffie-hellman-group1-sha1"} }},
		{"aes128-cbc", func(c *ssh.ClientConfig) { c.Ciphers = []string{"aes128-cbc"} }},
		{"3des-cbc", func(c *ssh.ClientConfig) { c.Ciphers = []string{"3des-cbc"} }},
		{"hmac-sha1-96", func(c *ssh.ClientConfig) {
			c.Ciphers, c.MACs = []string{"aes128-ctr"}, []string{"hmac-sha1-96"}
		}},
		{"ssh-rsa host key", func(c *ssh.ClientConfig) { c.HostKeyAlgorithms = []string{"ssh-rsa"} }},
		{"all of them", func(c *ssh.ClientConfig) {
			c.KeyExchanges, c.Ciphers, c.MACs = []string{"diffie-hellman-group14-sha1"}, []string{"aes128-cbc"}, []string{"hmac-sha1"}
			c.HostKeyAlgorithms = []string{"ssh-rsa"}
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hostKey ssh.PublicKey
			cfg := clientConfig(f.Username, f.Password)
			cfg.HostKeyCallback = func(_ string, _ net.Addr, k ssh.PublicKey) error { hostKey = k; return nil }
			tc.config(cfg)
			if c, err := dialConfig(s.Addr().String(), cfg); err == nil {
				c.Close()
				t.Fatal("the main listener accepted a legacy-only client")
			}
			c, err := dialConfig(s.LegacyAddr().String(), cfg)
			if err != nil {
				t.Fatalf("legacy listener: %v", err)
			}
			defer c.Close()
			if !slices.Contains(s.HostKeyFingerprints(), hostKey.Type()+" "+ssh.FingerprintSHA256(hostKey)) {
				t.Errorf("host key %s is not one of %v", ssh.FingerprintSHA256(hostKey), s.HostKeyFingerprints())
			}
			path := strings.Replace(snapPath, "27[M]", fmt.Sprintf("%02d[M]", i), 1)
			data := snapshot(t, 20+i, 0)
			if err := c.put(path, data); err != nil {
				t.Fatal(err)
			}
		})
	}
	if n := len(f.Recordings(t)); n != len(cases) {
		t.Errorf("%d recordings, want %d", n, len(cases))
	}
}
