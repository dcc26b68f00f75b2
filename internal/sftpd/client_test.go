package sftpd_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/sftpd"
)

const (
	snapPath = "cam2drive/4K0A5B3PAG12345/2019-05-09/002/jpg/06/07/27[M][0@0][0].jpg"
	clipPath = "cam2drive/4K0A5B3PAG12345/2018-07-09/001/dav/17/17.06.46-17.14.00[M][0@0][0].dav"
)

func TestGoClientUploadsByteExact(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	c := dial(t, start(t, f, sftpd.Config{}), f)
	// 4 MiB in 32 KiB writes with 64 in flight: the server sees them out of order.
	data := clip(1, 4<<20+12345)
	if err := c.put("/"+clipPath, data); err != nil {
		t.Fatal(err)
	}
	r := onlyRecording(t, f, clipPath, data)
	paris, _ := time.LoadLocation("Europe/Paris")
	if want := time.Date(2018, 7, 9, 17, 6, 46, 0, paris); !r.Start.Equal(want) || r.Kind != "clip" || r.EventType != "motion" {
		t.Errorf("start/kind/event = %v/%s/%s, want %v/clip/motion", r.Start, r.Kind, r.EventType, want)
	}
}

func TestUTF8SpacesAndBrackets(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	c := dial(t, start(t, f, sftpd.Config{}), f)
	path := "Entrée principale/录像机 [北]/2019-05-09/001/jpg/06/07/27[M][0@0][0].jpg"
	data := snapshot(t, 4, 0)
	if err := c.MkdirAll("Entrée principale/录像机 [北]/2019-05-09/001/jpg/06/07"); err != nil {
		t.Fatal(err)
	}
	if err := c.put(path, data); err != nil {
		t.Fatal(err)
	}
	onlyRecording(t, f, path, data)
}

func TestWrongPasswordRefused(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	s := start(t, f, sftpd.Config{})
	_, err := dialConfig(s.Addr().String(), clientConfig(f.Username, "wrong-password"))
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("err = %v, want an authentication failure", err)
	}
	if _, err := dialConfig(s.Addr().String(), clientConfig("nobody", f.Password)); err == nil {
		t.Fatal("unknown user logged in")
	}
}

func TestRefusalsCarryTheReason(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{CloudOff: []int{3}})
	s := start(t, f, sftpd.Config{})
	c := dial(t, s, f)
	good := snapshot(t, 5, 0)
	cases := []struct {
		name, path string
		data       []byte
		code       uint32
		key        string
	}{
		{"unknown channel", "SN/2019-05-09/009/jpg/06/07/27[M][0@0][0].jpg", good, fxFailure, "unknown_channel"},
		{"not a recording", "notes/readme.txt", good, fxFailure, "unknown_path"},
		{"escaping the root, then not a recording", "../../../etc/passwd.txt", good, fxFailure, "unknown_path"},
		{"empty file", "SN/2019-05-09/001/jpg/06/07/28[M][0@0][0].jpg", nil, fxFailure, "empty_file"},
		{"truncated JPEG", "SN/2019-05-09/001/jpg/06/07/29[M][0@0][0].jpg", good[:len(good)/2], fxFailure, "incomplete_file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireStatus(t, c.put(tc.path, tc.data), tc.code, tc.key)
		})
	}
	t.Run("disabled channel", func(t *testing.T) {
		p := "SN/2019-05-09/003/jpg/06/07/27[M][0@0][0].jpg"
		if err := c.put(p, good); !errors.Is(err, os.ErrPermission) {
			t.Fatalf("err = %v, want permission denied", err)
		}
		code, msg := openStatus(t, s, f, p)
		if code != fxPermissionDenied || !strings.Contains(msg, "cloud recording is off") || !strings.Contains(msg, "(channel_disabled)") {
			t.Fatalf("status = %d %q, want permission denied saying why", code, msg)
		}
	})
	if n := len(f.Recordings(t)); n != 0 {
		t.Errorf("%d recordings after refused uploads", n)
	}
}

func TestNoDiskRefused(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{NoDisk: true})
	s := start(t, f, sftpd.Config{})
	if err := dial(t, s, f).put(snapPath, snapshot(t, 1, 0)); !errors.Is(err, os.ErrPermission) {
		t.Fatalf("err = %v, want permission denied", err)
	}
	if code, msg := openStatus(t, s, f, snapPath); code != fxPermissionDenied || !strings.Contains(msg, "(no_disk)") {
		t.Fatalf("status = %d %q, want permission denied for no_disk", code, msg)
	}
}

// SFTP paths are cleaned by pkg/sftp before the handlers see them: ".."
// can't climb above the recorder's root, it stops there.
func TestParentElementsStayInsideTheRoot(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	c := dial(t, start(t, f, sftpd.Config{}), f)
	data := snapshot(t, 6, 0)
	if err := c.put("../../../"+snapPath, data); err != nil {
		t.Fatal(err)
	}
	onlyRecording(t, f, snapPath, data)
}

func TestFileCommands(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	c := dial(t, start(t, f, sftpd.Config{}), f)
	dir := "cam2drive/4K0A5B3PAG12345/2019-05-09/002/jpg/06/07"
	for range 2 { // recorders make every level before every upload
		if err := c.MkdirAll(dir); err != nil {
			t.Fatalf("mkdir: %v", err)
		}
	}
	if st, err := c.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("stat dir = %v, %v", st, err)
	}
	if list, err := c.ReadDir(dir); err != nil || len(list) != 0 {
		t.Fatalf("list = %v, %v; want empty", list, err)
	}
	if _, err := c.Stat(snapPath); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("stat of a file never sent: %v", err)
	}
	data := snapshot(t, 2, 0)
	if err := c.put(snapPath+".part", data); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Stat(snapPath + ".part"); err != nil || st.Size() != int64(len(data)) {
		t.Fatalf("stat of the temporary file = %v, %v", st, err)
	}
	if err := c.Chmod(snapPath+".part", 0o644); err != nil {
		t.Errorf("setstat: %v", err)
	}
	if _, err := c.Open(snapPath + ".part"); !errors.Is(err, os.ErrPermission) {
		t.Errorf("download: %v, want permission denied", err)
	}
	requireStatus(t, c.Symlink(snapPath+".part", "link.jpg"), fxOpUnsupported, "")
	if err := c.PosixRename(snapPath+".part", snapPath); err != nil {
		t.Fatal(err)
	}
	onlyRecording(t, f, snapPath, data)
	// A temporary upload removed, not renamed, never becomes a recording.
	if err := c.put("x/2019-05-09/001/jpg/06/07/28[M][0@0][0].jpg.tmp", data); err != nil {
		t.Fatal(err)
	}
	if err := c.Remove("x/2019-05-09/001/jpg/06/07/28[M][0@0][0].jpg.tmp"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rename("x/2019-05-09/001/jpg/06/07/28[M][0@0][0].jpg.tmp", "x/2019-05-09/001/jpg/06/07/28[M][0@0][0].jpg"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("rename of a removed file: %v", err)
	}
	if err := c.RemoveDirectory(dir); err != nil {
		t.Errorf("rmdir: %v", err)
	}
	if n := len(f.Recordings(t)); n != 1 {
		t.Errorf("%d recordings, want 1", n)
	}
}

func TestShellAndExecRefused(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	s := start(t, f, sftpd.Config{})
	conn, err := ssh.Dial("tcp", s.Addr().String(), clientConfig(f.Username, f.Password))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("cat /etc/passwd")
	var exit *ssh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 || !strings.Contains(string(out), "only accepts SFTP") {
		t.Fatalf("exec: %v, output %q; want exit status 1 and an explanation", err, out)
	}
	// A connection holds a bounded number of sessions.
	for i := range 9 {
		_, err := conn.NewSession()
		if i < 8 && err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
		if i == 8 && err == nil {
			t.Fatal("a 9th session was opened")
		}
	}
}
