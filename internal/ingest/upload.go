package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest/layout"
)

// Upload is a file being received. Bytes go to a spool file; Commit makes
// them a recording, Abort keeps them for a resume.
type Upload struct {
	se        *Session
	rel       string
	temporary bool
	info      layout.Info
	target    targetInfo
	f         *os.File
	spool     string
	hash      hash.Hash // SHA-256 of the spool, fed as bytes arrive; nil when unknown
}

func (u *Upload) openSpool(path string, offset int64, appendMode bool) error {
	fresh := offset == 0 && !appendMode
	flags := os.O_CREATE | os.O_RDWR
	if fresh {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o640)
	if errors.Is(err, fs.ErrNotExist) {
		// The recorder's first upload on this node: make its spool folder.
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return fmt.Errorf("spool: %w", err)
		}
		f, err = os.OpenFile(path, flags, 0o640)
	}
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	u.f, u.spool, u.hash = f, path, sha256.New()
	if fresh {
		return nil
	}
	// The digest is computed as bytes arrive, so committing doesn't read the
	// file again; a resumed upload first hashes what it kept.
	at, err := positionSpool(f, offset, appendMode)
	if err == nil {
		_, err = io.Copy(u.hash, io.NewSectionReader(f, 0, at))
	}
	if err != nil {
		f.Close()
		u.f = nil
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

// positionSpool moves to where a resumed upload continues and returns that
// offset; a resume past what was received is refused.
func positionSpool(f *os.File, offset int64, appendMode bool) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if appendMode {
		offset = st.Size()
	}
	if offset > st.Size() {
		return 0, cam2drive.Errorf(cam2drive.CodeInvalid, "bad_resume_offset")
	}
	if err := f.Truncate(offset); err != nil {
		return 0, err
	}
	_, err = f.Seek(offset, io.SeekStart)
	return offset, err
}

// Write appends received bytes.
func (u *Upload) Write(p []byte) (int, error) {
	release := u.se.svc.work()
	n, err := u.f.Write(p)
	u.hash.Write(p[:n])
	release()
	if err != nil {
		return n, classifyWrite(err)
	}
	return n, nil
}

// readBuf is what ReadFrom fills before each write: a 4 MiB clip takes 16
// writes to the spool instead of the 128 of io.Copy's 32 KiB buffer.
const readBuf = 256 << 10

var readBufs = sync.Pool{New: func() any { return new([readBuf]byte) }}

// ReadFrom receives a stream (an FTP data connection) until EOF, writing the
// spool in large chunks. What was read before an error is written too, so a
// resume continues from all the bytes the client sent.
func (u *Upload) ReadFrom(r io.Reader) (int64, error) {
	buf := readBufs.Get().(*[readBuf]byte)
	defer readBufs.Put(buf)
	var total int64
	for {
		n, rerr := io.ReadFull(r, buf[:])
		if n > 0 {
			w, err := u.Write(buf[:n])
			total += int64(w)
			if err != nil {
				return total, err
			}
		}
		switch {
		case rerr == io.EOF || rerr == io.ErrUnexpectedEOF:
			return total, nil
		case rerr != nil:
			return total, rerr
		}
	}
}

// classifyWrite turns a full local disk into a clear quota error.
func classifyWrite(err error) error {
	if strings.Contains(err.Error(), "no space left") {
		return &cam2drive.Error{Code: cam2drive.CodeUnavailable, Key: "server_disk_full", Err: err}
	}
	return err
}

// Abort ends a transfer the client broke off: nothing becomes visible, and
// the bytes wait for a resume (REST/APPE) until the resume window ends.
func (u *Upload) Abort() {
	if u.f != nil {
		u.f.Close()
		u.f = nil
		u.se.svc.release(u.spool)
	}
}

// Commit finishes the upload: the reply to the client waits for it. A
// temporary name waits for its rename; a media file is checked, stored and
// indexed.
func (u *Upload) Commit(ctx context.Context) error {
	if u.f == nil {
		return errors.New("upload already closed")
	}
	f := u.f
	u.f = nil
	defer u.se.svc.release(u.spool)
	if err := f.Sync(); err != nil {
		f.Close()
		return classifyWrite(err)
	}
	if u.temporary {
		if err := f.Close(); err != nil {
			return classifyWrite(err)
		}
		u.se.mu.Lock()
		u.se.pending[u.rel] = u.spool
		u.se.mu.Unlock()
		return nil
	}
	return u.ingest(ctx, u.spool, f)
}

// ingest turns a complete spool file into a recording; f is the spool
// still open after its upload, or nil.
func (u *Upload) ingest(ctx context.Context, spool string, f *os.File) error {
	svc := u.se.svc
	if u.info.Kind == layout.Index {
		// Playback indexes of .dav files: acknowledged, never a recording.
		if f != nil {
			f.Close()
		}
		return os.Remove(spool)
	}
	size, sum, err := checkComplete(ctx, f, spool, u.rel, u.info.Kind, u.hash, svc)
	if err != nil {
		// Kept for a resume; the client sees why its upload failed.
		return u.se.refuse(ctx, u.rel, err)
	}
	r := u.recording(size, sum)
	if err := svc.store(ctx, r.ObjectKey, spool); err != nil {
		return fmt.Errorf("store %s: %w", r.ObjectKey, err)
	}
	dup, evicted, err := svc.index(ctx, &r)
	if err != nil || dup {
		// A duplicate (a re-send after a lost reply) is acknowledged without
		// a second copy.
		svc.deleteObject(ctx, r.ObjectKey)
	}
	if cam2drive.ErrorCode(err) == cam2drive.CodeQuota {
		return u.se.refuse(ctx, u.rel, err)
	}
	if err != nil {
		return err
	}
	for _, old := range evicted {
		svc.deleteObjects(ctx, old)
	}
	return nil
}

func (u *Upload) recording(size int64, sum string) cam2drive.Recording {
	id := cam2drive.NewID()
	cam := u.target.camera
	ext := strings.ToLower(filepath.Ext(u.rel))
	// One directory per recorder and day, not per recording: creating and
	// fsyncing a directory for every snapshot doubled the cost of a file.
	key := fmt.Sprintf("org/%s/rec/%s/%s/%s%s", cam.OrgID, cam.RecorderID, u.info.Start.UTC().Format("2006/01/02"), id, ext)
	return cam2drive.Recording{ID: id, OrgID: cam.OrgID, SiteID: cam.SiteID, RecorderID: cam.RecorderID, CameraID: cam.ID,
		DiskID: u.target.diskID, Start: u.info.Start, End: u.info.End, Timed: u.info.Timed, Kind: string(u.info.Kind),
		EventType: string(u.info.Event), EventCode: u.info.EventCode, Status: "processing", ObjectKey: key,
		Size: size, SHA256: sum, SourcePath: u.rel}
}

// deleteObjects deletes a recording's original and derived objects.
func (s *Service) deleteObjects(ctx context.Context, r cam2drive.Recording) {
	for _, key := range r.Objects() {
		s.deleteObject(ctx, key)
	}
}

func (s *Service) deleteObject(ctx context.Context, key string) {
	if err := s.blobs.Delete(context.WithoutCancel(ctx), key); err != nil {
		s.log.Warn("delete object", "key", key, "err", err)
	}
}

// checkComplete verifies a spooled file is whole and returns its size and
// SHA-256 (from h when it was computed on the way in): a data connection
// closed early looks like a finished upload in FTP. It reads f (opening
// path when f is nil) and closes it.
func checkComplete(ctx context.Context, f *os.File, path, name string, kind layout.Kind, h hash.Hash, svc *Service) (int64, string, error) {
	if f == nil {
		var err error
		if f, err = os.Open(path); err != nil {
			return 0, "", err
		}
	}
	size, sum, err := checkFile(f, name, kind, h)
	if closeErr := f.Close(); err == nil && closeErr != nil {
		return 0, "", classifyWrite(closeErr)
	}
	if err == nil && kind != layout.Snapshot && svc.cfg.ProbeVideo && svc.prober != nil {
		if err := svc.prober.Check(ctx, path); err != nil {
			return 0, "", &cam2drive.Error{Code: cam2drive.CodeInvalid, Key: "incomplete_file", Err: err}
		}
	}
	return size, sum, err
}

// checkFile reads the size and digest of an open spool file and checks a
// snapshot's image ends.
func checkFile(f *os.File, name string, kind layout.Kind, h hash.Hash) (int64, string, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, "", err
	}
	size := st.Size()
	if h == nil {
		h = sha256.New()
		if _, err := io.Copy(h, io.NewSectionReader(f, 0, size)); err != nil {
			return 0, "", err
		}
	}
	if size == 0 {
		return 0, "", cam2drive.Errorf(cam2drive.CodeInvalid, "empty_file")
	}
	if kind == layout.Snapshot {
		if err := checkImage(f, size, name); err != nil {
			return 0, "", err
		}
	}
	return size, hex.EncodeToString(h.Sum(nil)), nil
}

// mover is a store that can take a local file by renaming it (the local
// store on the spool's filesystem): no second copy of the bytes.
type mover interface {
	MoveFile(ctx context.Context, key, path string) error
}

// store makes the spool file the object under key, moving it when the
// store allows, copying otherwise; the spool file is gone after a success.
func (s *Service) store(ctx context.Context, key, spool string) error {
	var err error
	if m, ok := s.blobs.(mover); ok {
		err = m.MoveFile(ctx, key, spool) // copies across file systems
	} else {
		err = s.blobs.PutFile(ctx, key, spool)
	}
	if err == nil {
		os.Remove(spool)
	}
	return err
}
