package sftpd_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"log/slog"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
)

// openStatus opens path for writing with a minimal SFTP v3 client and
// returns the status the server answers: pkg/sftp's client turns
// PERMISSION_DENIED into os.ErrPermission and drops the message, which a
// camera's log may show.
func openStatus(t testing.TB, s *server, f *ingesttest.Fixture, path string) (code uint32, msg string) {
	t.Helper()
	conn, err := ssh.Dial("tcp", s.Addr().String(), clientConfig(f.Username, f.Password))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	w, _ := sess.StdinPipe()
	r, _ := sess.StdoutPipe()
	if err := sess.RequestSubsystem("sftp"); err != nil {
		t.Fatal(err)
	}
	send := func(msg any) {
		b := ssh.Marshal(msg)
		if _, err := w.Write(append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...)); err != nil {
			t.Fatal(err)
		}
	}
	recv := func() []byte {
		var n [4]byte
		if _, err := io.ReadFull(r, n[:]); err != nil {
			t.Fatal(err)
		}
		b := make([]byte, binary.BigEndian.Uint32(n[:]))
		if _, err := io.ReadFull(r, b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	send(struct {
		Type    byte
		Version uint32
	}{1, 3}) // SSH_FXP_INIT
	recv() // SSH_FXP_VERSION
	send(struct {
		Type          byte
		ID            uint32
		Path          string
		Pflags, Attrs uint32
	}{3, 1, path, 0x02 | 0x08 | 0x10, 0}) // SSH_FXP_OPEN, WRITE|CREAT|TRUNC, no attributes
	var st struct {
		Type      byte
		ID, Code  uint32
		Msg, Lang string
	}
	if err := ssh.Unmarshal(recv(), &st); err != nil || st.Type != 101 {
		t.Fatalf("open answered %+v, %v; want a status", st, err)
	}
	return st.Code, st.Msg
}

// logBuffer collects a server's log lines for a test to look at.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
