package sftpd_test

import (
	"io"
	"os"
	"testing"

	"github.com/pkg/sftp"

	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/sftpd"
)

// sendHalfThenDrop writes the first half of data to path, then cuts the
// TCP connection with the file still open, once every write was
// acknowledged (so the server holds exactly that half). It returns once
// the server has seen the drop: until then, ingest refuses a second writer
// of the same path (upload_in_progress), and a recorder retries later.
func sendHalfThenDrop(t *testing.T, s *server, f *ingesttest.Fixture, path string, data []byte) int64 {
	t.Helper()
	c := dial(t, s, f)
	fh, err := c.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	half := len(data) / 2
	if _, err := fh.Write(data[:half]); err != nil {
		t.Fatal(err)
	}
	c.tcp.Close()
	s.waitLog(t, "sftp upload interrupted")
	return int64(half)
}

func TestDroppedConnectionLeavesNoRecording(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	s := start(t, f, sftpd.Config{})
	data := snapshot(t, 8, 300_000)
	half := sendHalfThenDrop(t, s, f, snapPath, data)
	s.stop() // Run returns once every connection, the dropped one included, is done
	if n := len(f.Recordings(t)); n != 0 {
		t.Fatalf("%d recordings after a dropped transfer, want 0", n)
	}
	// The bytes wait for a resume, on a new server too.
	c := dial(t, start(t, f, sftpd.Config{}), f)
	if st, err := c.Stat(snapPath); err != nil || st.Size() != half {
		t.Fatalf("stat after the drop = %v, %v; want %d bytes", st, err, half)
	}
}

// A resume is a new connection that stats the file, then continues from
// its size: with a Seek before writing, or an append open (OpenSSH's
// reput, tested with the real client elsewhere), or starts over.
func TestResumeAfterDrop(t *testing.T) {
	for _, mode := range []string{"seek", "append", "restart"} {
		t.Run(mode, func(t *testing.T) {
			f := ingesttest.New(t, ingesttest.Options{})
			s := start(t, f, sftpd.Config{})
			data := snapshot(t, 9, 300_000)
			sendHalfThenDrop(t, s, f, snapPath, data)
			c := dial(t, s, f)
			st, err := c.Stat(snapPath)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(f.Recordings(t)); n != 0 {
				t.Fatalf("%d recordings before the resume", n)
			}
			var fh *sftp.File
			switch mode {
			case "seek":
				fh, err = c.OpenFile(snapPath, os.O_WRONLY|os.O_CREATE)
				if err == nil {
					_, err = fh.Seek(st.Size(), io.SeekStart)
				}
			case "append":
				fh, err = c.OpenFile(snapPath, os.O_WRONLY|os.O_APPEND)
			case "restart":
				fh, err = c.Create(snapPath)
			}
			if err != nil {
				t.Fatal(err)
			}
			rest := data[st.Size():]
			if mode == "restart" {
				rest = data
			}
			if _, err := fh.Write(rest); err != nil {
				t.Fatal(err)
			}
			if err := fh.Close(); err != nil {
				t.Fatalf("close: %v", err)
			}
			onlyRecording(t, f, snapPath, data)
		})
	}
}

func TestRandomWritesRefused(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	c := dial(t, start(t, f, sftpd.Config{}), f)
	data := snapshot(t, 3, 0)

	fh, err := c.Create(snapPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fh.Write(data[:100]); err != nil {
		t.Fatal(err)
	}
	_, err = fh.WriteAt(data[50:60], 50) // back over what was written
	requireStatus(t, err, fxFailure, "random_write")
	requireStatus(t, fh.Close(), fxFailure, "random_write")

	// A hole never filled: the close says the file is incomplete.
	fh, err = c.Create(snapPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fh.WriteAt(data[1000:], 1000); err != nil {
		t.Fatal(err)
	}
	requireStatus(t, fh.Close(), fxFailure, "incomplete_file")
	if n := len(f.Recordings(t)); n != 0 {
		t.Errorf("%d recordings, want 0", n)
	}
}

// A recorder retrying on a new connection while the old one still writes
// the same file is told to wait, rather than both writing one spool file.
func TestSecondWriterOfSamePathRefused(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	s := start(t, f, sftpd.Config{})
	first, second := dial(t, s, f), dial(t, s, f)
	fh, err := first.Create(snapPath)
	if err != nil {
		t.Fatal(err)
	}
	requireStatus(t, second.put(snapPath, snapshot(t, 1, 0)), fxFailure, "upload_in_progress")
	data := snapshot(t, 2, 0)
	if _, err := fh.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	onlyRecording(t, f, snapPath, data)
}
