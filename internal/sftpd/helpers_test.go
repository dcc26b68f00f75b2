package sftpd_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/sftpd"
)

// keyDir holds host keys made once for the whole package: an RSA-3072 key
// takes a while to generate, and servers only read the directory.
var keyDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sftpd-keys-")
	if err == nil {
		_, err = sftpd.New(nil, sftpd.Config{HostKeyDir: dir})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "host keys:", err)
		os.Exit(1)
	}
	keyDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running server and a way to stop it.
type server struct {
	*sftpd.Server
	stop func()     // cancels Run and waits for it: every connection is done after
	logs *logBuffer // what it logged, debug level included
}

// start serves f's ingest on 127.0.0.1:0 until the test ends.
func start(t testing.TB, f *ingesttest.Fixture, cfg sftpd.Config) *server {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	logs := &logBuffer{}
	cfg.Logger = logs.logger()
	if cfg.HostKeyDir == "" {
		cfg.HostKeyDir = keyDir
	}
	s, err := sftpd.New(f.Service, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Run did not return 10 s after its context ended")
		}
	}
	t.Cleanup(stop)
	return &server{Server: s, stop: stop, logs: logs}
}

// waitLog waits until the server logs a line containing text.
func (s *server) waitLog(t testing.TB, text string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.logs.String(), text); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server never logged %q; its log:\n%s", text, s.logs.String())
		}
	}
}

// client is a Go SFTP client over its own TCP connection.
type client struct {
	*sftp.Client
	tcp net.Conn // closing it drops the connection the way a power cut does
}

// Close ends the SFTP session and the connection under it.
func (c *client) Close() error {
	c.Client.Close()
	return c.tcp.Close()
}

func clientConfig(user, pass string) *ssh.ClientConfig {
	return &ssh.ClientConfig{User: user, Auth: []ssh.AuthMethod{ssh.Password(pass)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second}
}

func dialConfig(addr string, cfg *ssh.ClientConfig) (*client, error) {
	tcp, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	c, chans, reqs, err := ssh.NewClientConn(tcp, addr, cfg)
	if err != nil {
		tcp.Close()
		return nil, err
	}
	sc, err := sftp.NewClient(ssh.NewClient(c, chans, reqs), sftp.UseConcurrentWrites(true))
	if err != nil {
		tcp.Close()
		return nil, err
	}
	return &client{Client: sc, tcp: tcp}, nil
}

// dial logs in as f's recorder.
func dial(t testing.TB, s *server, f *ingesttest.Fixture) *client {
	t.Helper()
	c, err := dialConfig(s.Addr().String(), clientConfig(f.Username, f.Password))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// put uploads data to path as a camera does: open (truncating), write,
// close; the first error is returned.
func (c *client) put(path string, data []byte) error {
	f, err := c.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.ReadFrom(bytes.NewReader(data)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// requireStatus checks an SFTP status: its code and the message key.
func requireStatus(t testing.TB, err error, code uint32, key string) {
	t.Helper()
	var se *sftp.StatusError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want an SFTP status %d with %q", err, err, code, key)
	}
	if se.Code != code || key != "" && !strings.Contains(err.Error(), "("+key+")") {
		t.Fatalf("status = %d %q, want %d with %q", se.Code, err.Error(), code, key)
	}
}

// SFTP v3 status codes.
const (
	fxNoSuchFile       = 2
	fxPermissionDenied = 3
	fxFailure          = 4
	fxOpUnsupported    = 8
)

// snapshot returns a real JPEG of at least size bytes.
func snapshot(t testing.TB, seed, size int) []byte {
	t.Helper()
	side := 64
	for {
		img := image.NewRGBA(image.Rect(0, 0, side, side*3/4))
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		for i := range img.Pix {
			img.Pix[i] = byte(r.IntN(256))
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
			t.Fatal(err)
		}
		if b.Len() >= size {
			return b.Bytes()
		}
		side *= 2
	}
}

// clip returns n random bytes: without a prober, a clip's content is not checked.
func clip(seed, n int) []byte {
	var s [32]byte
	s[0] = byte(seed)
	b := make([]byte, n)
	_, _ = rand.NewChaCha8(s).Read(b)
	return b
}

// onlyRecording checks exactly one recording was made, of source path
// path and the bytes data, and returns it.
func onlyRecording(t testing.TB, f *ingesttest.Fixture, path string, data []byte) cam2drive.Recording {
	t.Helper()
	recs := f.Recordings(t)
	if len(recs) != 1 {
		t.Fatalf("got %d recordings, want 1", len(recs))
	}
	r := recs[0]
	if r.SourcePath != path {
		t.Errorf("source path = %q, want %q", r.SourcePath, path)
	}
	if got := f.Object(t, r.ObjectKey); !bytes.Equal(got, data) {
		t.Errorf("stored %d bytes, not the %d uploaded", len(got), len(data))
	}
	return r
}
