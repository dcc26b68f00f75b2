package ftpd

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path"
	"time"

	ftpserver "github.com/fclairamb/ftpserverlib"
	"github.com/spf13/afero"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/ingest/layout"
)

// fsDriver shows a logged-in recorder its tree: every folder exists (MKD
// always succeeds), files can be written, renamed and removed while they
// are pending, and nothing can be read back.
type fsDriver struct {
	s          *Server
	cl         *client
	se         *ingest.Session
	recorderID string
}

var (
	_ ftpserver.ClientDriver                      = (*fsDriver)(nil)
	_ ftpserver.ClientDriverExtentionFileTransfer = (*fsDriver)(nil)
	_ ftpserver.ClientDriverExtensionAllocate     = (*fsDriver)(nil)
	_ ftpserver.ClientDriverExtensionFileList     = (*fsDriver)(nil)
	_ ftpserver.ClientDriverExtensionRemoveDir    = (*fsDriver)(nil)
	_ ftpserver.FileTransferError                 = (*transfer)(nil)
)

var errUnsupported = &cam2drive.Error{Code: cam2drive.CodeForbidden, Key: "forbidden"}

// fail logs err with the recorder and returns what the client sees.
func (d *fsDriver) fail(op, path string, err error) error {
	re := newReplyError(&pathError{path: path, err: err})
	level := slog.LevelInfo
	switch {
	case re.code == 451:
		level = slog.LevelError
	case re.notFound:
		level = slog.LevelDebug
	}
	d.s.log.Log(context.Background(), level, "ftp "+op+" refused", "recorder_id", d.recorderID, "ip", d.cl.ip,
		"path", path, "reply", re.code, "err", err)
	return re
}

func (d *fsDriver) Name() string { return "cam2drive" }

// AllocateSpace answers ALLO with 200: some Dahua firmware reconnects in a
// loop on 202.
func (d *fsDriver) AllocateSpace(int) error { return nil }

// Mkdir succeeds for every valid path: recorders create every level of
// their tree before each upload, and folders only exist in paths.
func (d *fsDriver) Mkdir(name string, _ os.FileMode) error {
	if _, err := ingest.CleanPath(name); err != nil {
		return d.fail("mkdir", name, err)
	}
	return nil
}

func (d *fsDriver) MkdirAll(name string, perm os.FileMode) error { return d.Mkdir(name, perm) }

func (d *fsDriver) RemoveDir(string) error { return nil }
func (d *fsDriver) RemoveAll(string) error { return nil }

func (d *fsDriver) Remove(name string) error {
	if err := d.se.Remove(name); err != nil {
		return d.fail("delete", name, err)
	}
	return nil
}

// Rename completes an upload made under a temporary name.
func (d *fsDriver) Rename(from, to string) error {
	ctx, cancel := context.WithTimeout(d.s.base(), commitTimeout)
	defer cancel()
	if err := d.se.Rename(ctx, from, to); err != nil {
		return d.fail("rename", to, err)
	}
	d.s.log.Info("ftp upload", "recorder_id", d.recorderID, "path", to, "renamed_from", from)
	return nil
}

// Stat shows a received (or partial) file as a file, a missing media file
// as missing, and anything else as a folder: ingest takes any name with a
// dot for a file, but recorders name folders "192.168.1.64" (Hikvision) or
// "NVR.01", and CWD into them must work.
func (d *fsDriver) Stat(name string) (os.FileInfo, error) {
	fi, err := d.se.Stat(name)
	if cam2drive.IsNotFound(err) {
		rel, _ := ingest.CleanPath(name)
		if _, perr := layout.Parse(rel, time.UTC, time.Time{}); perr != nil {
			return ingest.FileInfo{Name: path.Base("/" + rel), Dir: true, MTime: time.Now()}.OS(), nil
		}
	}
	if err != nil {
		return nil, d.fail("stat", name, err)
	}
	return fi.OS(), nil
}

// ReadDir lists nothing: what was received is in the web app, not here.
func (d *fsDriver) ReadDir(string) ([]os.FileInfo, error) { return []os.FileInfo{}, nil }

func (d *fsDriver) Chmod(string, os.FileMode) error            { return nil }
func (d *fsDriver) Chown(string, int, int) error               { return nil }
func (d *fsDriver) Chtimes(string, time.Time, time.Time) error { return nil }

// The library transfers through GetHandle; these are never reached.
func (d *fsDriver) Create(string) (afero.File, error) { return nil, newReplyError(errUnsupported) }
func (d *fsDriver) Open(string) (afero.File, error)   { return nil, newReplyError(errUnsupported) }
func (d *fsDriver) OpenFile(string, int, os.FileMode) (afero.File, error) {
	return nil, newReplyError(errUnsupported)
}

// GetHandle opens an upload (STOR, APPE, REST then STOR); downloads are
// refused. Policy is checked here, before the data connection opens.
func (d *fsDriver) GetHandle(name string, flags int, offset int64) (ftpserver.FileTransfer, error) {
	if flags&(os.O_WRONLY|os.O_RDWR) == 0 {
		return nil, d.fail("download", name, errNoDownload)
	}
	if !d.cl.acquire() {
		return nil, newReplyError(errClosing)
	}
	appendMode := flags&os.O_APPEND != 0
	up, err := d.se.Create(d.s.base(), name, offset, appendMode)
	if err != nil {
		d.cl.release()
		return nil, d.fail("upload", name, err)
	}
	return &transfer{d: d, up: up, path: name, offset: offset, start: time.Now()}, nil
}

// transfer is one upload's data stream.
type transfer struct {
	d      *fsDriver
	up     *ingest.Upload
	path   string
	offset int64
	start  time.Time
	n      int64
	broken error
	closed bool
}

func (t *transfer) Read([]byte) (int, error) { return 0, newReplyError(errNoDownload) }

func (t *transfer) Write(p []byte) (int, error) {
	n, err := t.up.Write(p)
	t.n += int64(n)
	if err != nil {
		return n, t.d.fail("upload", t.path, err)
	}
	return n, nil
}

// ReadFrom receives the data connection in large chunks (io.Copy calls it
// instead of Write).
func (t *transfer) ReadFrom(r io.Reader) (int64, error) {
	n, err := t.up.ReadFrom(r)
	t.n += n
	if err != nil {
		return n, t.d.fail("upload", t.path, err)
	}
	return n, nil
}

// Seek accepts the library's seek to the REST offset, where the upload
// already stands.
func (t *transfer) Seek(offset int64, whence int) (int64, error) {
	if whence == io.SeekStart && offset == t.offset {
		return offset, nil
	}
	return 0, newReplyError(errUnsupported)
}

// TransferError tells that the data connection broke (or ABOR): the bytes
// wait for a resume and nothing is indexed.
func (t *transfer) TransferError(err error) { t.broken = err }

// Close ends the upload; the 226 reply waits for the ingest, and its
// refusal becomes the failure reply.
func (t *transfer) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	defer t.d.cl.release()
	log := t.d.s.log.With("recorder_id", t.d.recorderID, "path", t.path, "bytes", t.n)
	if t.broken != nil {
		t.up.Abort()
		log.Info("ftp upload interrupted", "err", t.broken)
		return nil
	}
	ctx, cancel := context.WithTimeout(t.d.s.base(), commitTimeout)
	defer cancel()
	if err := t.up.Commit(ctx); err != nil {
		return t.d.fail("upload", t.path, err)
	}
	log.Info("ftp upload", "duration", time.Since(t.start))
	return nil
}
