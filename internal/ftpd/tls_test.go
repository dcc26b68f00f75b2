package ftpd_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive/internal/ftpd"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
)

// TestLegacyTLS: old firmware speaking TLS 1.0 uploads on the legacy
// listener (control and data protected), and is refused on the main one.
func TestLegacyTLS(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{})
	s := server(t, f, ftpd.Config{TLS: tlsConfig(t), LegacyAddr: "127.0.0.1:0"})
	old := &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10} //nolint:gosec // the test plays old firmware

	main := dial(t, s.Addr())
	if err := main.startTLS(old); err == nil || !strings.Contains(err.Error(), "protocol version") {
		t.Fatalf("the main listener and TLS 1.0: %v, want a protocol version alert", err)
	}

	c := dial(t, s.LegacyAddr())
	if err := c.startTLS(old); err != nil {
		t.Fatalf("TLS 1.0 on the legacy listener: %v", err)
	}
	if v := c.conn.(*tls.Conn).ConnectionState().Version; v != tls.VersionTLS10 {
		t.Fatalf("negotiated %x, want TLS 1.0", v)
	}
	c.login(f.Username, f.Password)
	c.want(200, "PBSZ 0")
	c.want(200, "PROT P")
	c.dataTLS = old
	data := jpegOf(t, 6, 80_000)
	if code, msg := c.stor("STOR", dahuaSnap, data); code != 226 {
		t.Fatalf("STOR over TLS 1.0: %d %s", code, msg)
	}
	oneRecording(t, f, 2, dahuaTime, "motion", data)
}

// TestLoadOrCreateCert: the generated certificate is made once, kept
// (recorders pin it), valid for the hosts, with a private key file; given
// files win.
func TestLoadOrCreateCert(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	first, err := ftpd.LoadOrCreateCert(dir, "", "", []string{"ftp.example.com", "192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(first.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"ftp.example.com", "192.0.2.7"} {
		if err := leaf.VerifyHostname(h); err != nil {
			t.Errorf("certificate not valid for %s: %v", h, err)
		}
	}
	keyPath := filepath.Join(dir, "ftps-key.pem")
	if st, err := os.Stat(keyPath); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, mode %v; want 0600", err, st.Mode())
	}
	again, err := ftpd.LoadOrCreateCert(dir, "", "", []string{"other.example.com"})
	if err != nil || !bytes.Equal(again.Certificate[0], first.Certificate[0]) {
		t.Fatalf("second call gave another certificate (%v): pinned clients would break", err)
	}
	given, err := ftpd.LoadOrCreateCert(t.TempDir(), filepath.Join(dir, "ftps-cert.pem"), keyPath, nil)
	if err != nil || !bytes.Equal(given.Certificate[0], first.Certificate[0]) {
		t.Fatalf("explicit files not used: %v", err)
	}
	if _, err := ftpd.LoadOrCreateCert(dir, "cert.pem", "", nil); err == nil {
		t.Error("a certificate without its key was accepted")
	}
}
