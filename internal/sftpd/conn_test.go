package sftpd_test

import (
	"context"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/sftpd"
)

func TestIdleConnectionClosed(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	c := dial(t, start(t, f, sftpd.Config{IdleTimeout: 500 * time.Millisecond}), f)
	for range 4 { // activity keeps it open past the timeout
		if _, err := c.Stat("/"); err != nil {
			t.Fatalf("stat while active: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second)
	if _, err := c.Stat("/"); err == nil {
		t.Fatal("an idle connection stayed open")
	}
}

func TestStopClosesConnectionsMidUpload(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	before := runtime.NumGoroutine()
	s := start(t, f, sftpd.Config{})
	c := dial(t, s, f)
	fh, err := c.Create(snapPath)
	if err != nil {
		t.Fatal(err)
	}
	data := snapshot(t, 30, 0)
	if _, err := fh.Write(data[:1000]); err != nil {
		t.Fatal(err)
	}
	s.stop() // fails the test if Run doesn't return
	if _, err := fh.Write(data[1000:]); err == nil {
		if err := fh.Close(); err == nil {
			t.Fatal("the upload went on after the server stopped")
		}
	}
	if n := len(f.Recordings(t)); n != 0 {
		t.Errorf("%d recordings, want 0", n)
	}
	if _, err := net.DialTimeout("tcp", s.Addr().String(), time.Second); err == nil {
		t.Error("the listener still accepts connections")
	}
	c.Close()
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines left, %d before the server started:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
	}
}

func TestLoginLimits(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	s := start(t, f, sftpd.Config{})
	var mu sync.Mutex
	var banners []string
	wrong := clientConfig(f.Username, "wrong")
	wrong.Auth = []ssh.AuthMethod{ssh.RetryableAuthMethod(ssh.Password("wrong"), 10)}
	wrong.BannerCallback = func(msg string) error {
		mu.Lock()
		defer mu.Unlock()
		banners = append(banners, msg)
		return nil
	}
	// MaxAuthTries (3) per connection: the 10 tries end after 3.
	if _, err := dialConfig(s.Addr().String(), wrong); err == nil {
		t.Fatal("logged in with a wrong password")
	}
	if h, err := f.DB.Health(context.Background(), f.Org.ID, f.Recorder.ID); err != nil || h.FailedLogins != 3 {
		t.Fatalf("failed logins = %d (%v), want 3", h.FailedLogins, err)
	}
	// Ingest bans the address at its 10th failure: the client is told why.
	for range 3 {
		_, _ = dialConfig(s.Addr().String(), wrong)
	}
	mu.Lock()
	told := strings.Contains(strings.Join(banners, ""), "too many failed logins")
	mu.Unlock()
	if !told {
		t.Errorf("banners = %q, want the ban explained", banners)
	}
	// Banned, even the right password is refused, with a line saying why.
	conn, err := net.DialTimeout("tcp", s.Addr().String(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	line, _ := io.ReadAll(conn)
	if !strings.Contains(string(line), "too many failed logins") {
		t.Errorf("a banned address was answered %q", line)
	}
	if _, err := dialConfig(s.Addr().String(), clientConfig(f.Username, f.Password)); err == nil {
		t.Error("a banned address logged in")
	}
}
