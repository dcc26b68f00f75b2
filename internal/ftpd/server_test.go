package ftpd_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/ftpd"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
)

// TestWrongPasswordThenBan: a wrong password gets 530 with a clear text;
// after ten failures the address is refused: 421 at connection, 530 to a
// login on a connection opened before, even with the right password.
func TestWrongPasswordThenBan(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{})
	s := server(t, f, ftpd.Config{})
	early := dial(t, s.Addr())
	for i := range 10 {
		c := dial(t, s.Addr())
		c.want(331, "USER "+f.Username)
		code, msg := c.cmd("PASS wrong")
		if code != 530 || (i < 9 && !strings.Contains(msg, "wrong user name or password")) {
			t.Fatalf("attempt %d: %d %s, want 530 wrong user name or password", i+1, code, msg)
		}
	}
	c := dialRaw(t, s.Addr())
	if code, msg := c.reply(); code != 421 || !strings.Contains(msg, "too many failed logins, try later") {
		t.Fatalf("banned address: %d %s, want 421 too many failed logins", code, msg)
	}
	early.want(331, "USER "+f.Username)
	if code, msg := early.cmd("PASS " + f.Password); code != 530 || !strings.Contains(msg, "too many failed logins") {
		t.Fatalf("login while banned: %d %s, want 530 too many failed logins", code, msg)
	}
}

// TestTooManyConnections: past the per-address limit (200 in the fixture)
// a connection gets 421; a closed one gives its slot back.
func TestTooManyConnections(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{})
	s := server(t, f, ftpd.Config{})
	var conns []*ftpClient
	for range 200 {
		conns = append(conns, dial(t, s.Addr()))
	}
	c := dialRaw(t, s.Addr())
	if code, msg := c.reply(); code != 421 || !strings.Contains(msg, "too many connections") {
		t.Fatalf("connection 201: %d %s, want 421 too many connections", code, msg)
	}
	conns[0].close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c := dialRaw(t, s.Addr())
		code, _ := c.reply()
		if code == 220 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the slot of a closed connection was not given back (got %d)", code)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRunStopsCleanly: when its context ends, Run closes the connections,
// an upload cut by the stop indexes nothing, and Run returns.
func TestRunStopsCleanly(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{})
	s, err := ftpd.New(f.Service, ftpd.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	c := dial(t, s.Addr())
	c.login(f.Username, f.Password)
	d := c.pasv()
	c.want(150, "STOR "+dahuaSnap)
	d.Write(jpegOf(t, 1, 100_000)[:50_000]) //nolint:errcheck // cut by the stop
	idle := dial(t, s.Addr())

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
	for _, cl := range []*ftpClient{c, idle} {
		cl.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := cl.conn.Read(make([]byte, 512)); err == nil {
			// A final reply may come before the close; the next read must fail.
			if _, err := cl.conn.Read(make([]byte, 512)); err == nil {
				t.Error("a connection is still open after Run returned")
			}
		}
	}
	noRecording(t, f)
}

// TestNoTLS: without a certificate, AUTH TLS is refused in words, and
// plain FTP goes on.
func TestNoTLS(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{})
	c := dial(t, server(t, f, ftpd.Config{}).Addr())
	if code, msg := c.cmd("AUTH TLS"); code < 500 || !strings.Contains(msg, "FTPS is not enabled") {
		t.Fatalf("AUTH TLS: %d %s", code, msg)
	}
	c.login(f.Username, f.Password)
}

func TestConfigRefused(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{})
	for _, cfg := range []ftpd.Config{
		{PassivePorts: [2]int{3000, 2000}},
		{PublicHost: "::1"},
		{LegacyAddr: ":0"}, // no TLS
	} {
		if _, err := ftpd.New(f.Service, cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

// TestPassiveSettings: PASV announces the public host and a port of the
// range.
func TestPassiveSettings(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{})
	c := dial(t, server(t, f, ftpd.Config{PublicHost: "127.0.0.1", PassivePorts: [2]int{42100, 42120}}).Addr())
	c.login(f.Username, f.Password)
	msg := c.want(227, "PASV")
	f6 := strings.Split(msg[strings.Index(msg, "(")+1:strings.Index(msg, ")")], ",")
	p := atoi(f6[4])*256 + atoi(f6[5])
	if strings.Join(f6[:4], ".") != "127.0.0.1" || p < 42100 || p > 42120 {
		t.Fatalf("PASV = %s, want 127.0.0.1 and a port in 42100-42120", msg)
	}
}

// TestIdleTimeout: a connection that says nothing is closed with 421.
func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	f := ingesttest.New(t, ingesttest.Options{})
	c := dial(t, server(t, f, ftpd.Config{IdleTimeout: time.Second}).Addr())
	c.login(f.Username, f.Password)
	if code, msg := c.reply(); code != 421 || !strings.Contains(msg, "timeout") {
		t.Fatalf("after the idle timeout: %d %s, want 421", code, msg)
	}
}
