package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest/layout"
)

// Session is one logged-in recorder connection. Each recorder sees only its
// own tree: every path is relative to its root.
type Session struct {
	svc *Service
	rec cam2drive.Recorder
	loc *time.Location
	ip  string

	mu      sync.Mutex
	pending map[string]string // temporary names uploaded, waiting for a rename → spool file
}

// Recorder is the recorder logged in.
func (se *Session) Recorder() cam2drive.Recorder { return se.rec }

// CleanPath turns a client path into the recorder-relative form used
// everywhere ("a/b/c.jpg"): backslashes are separators, "." and empty
// elements vanish, and ".." is refused rather than resolved.
func CleanPath(p string) (string, error) {
	if strings.ContainsRune(p, 0) {
		return "", cam2drive.Errorf(cam2drive.CodeInvalid, "invalid_path")
	}
	var parts []string
	for _, el := range strings.Split(strings.ReplaceAll(p, `\`, "/"), "/") {
		switch el {
		case "", ".":
			continue
		case "..":
			return "", cam2drive.Errorf(cam2drive.CodeInvalid, "invalid_path")
		}
		parts = append(parts, el)
	}
	return strings.Join(parts, "/"), nil
}

// isTemporary tells whether a name is a temporary one that a client will
// rename once the upload is complete (Axis and FTP clients do this).
func isTemporary(rel string) bool {
	base := strings.ToLower(rel[strings.LastIndex(rel, "/")+1:])
	for _, suffix := range []string{".tmp", ".part", ".partial", ".temp", ".filepart", ".upload", "~"} {
		if strings.HasSuffix(base, suffix) {
			return true
		}
	}
	return strings.HasPrefix(base, ".") || strings.HasPrefix(base, "~")
}

func (se *Session) spoolPath(rel string) string {
	sum := sha256.Sum256([]byte(rel))
	return filepath.Join(se.svc.cfg.SpoolDir, se.rec.ID, hex.EncodeToString(sum[:16]))
}

// refuse records a refused upload in the recorder's health and returns err.
func (se *Session) refuse(ctx context.Context, rel string, err error) error {
	reason := string(cam2drive.ErrorCode(err))
	var e *cam2drive.Error
	if errors.As(err, &e) && e.Key != "" {
		reason = e.Key
	}
	se.svc.problem(ctx, se.rec.ID, "refused", reason, rel, se.ip)
	return err
}

// Create opens an upload of path. offset > 0 resumes a partial upload
// (REST then STOR); appendMode continues at the end of what was received
// (APPE). Policy is checked before any byte is accepted.
func (se *Session) Create(ctx context.Context, path string, offset int64, appendMode bool) (*Upload, error) {
	rel, err := CleanPath(path)
	if err != nil || rel == "" {
		return nil, se.refuse(ctx, path, cam2drive.Errorf(cam2drive.CodeInvalid, "invalid_path"))
	}
	u := &Upload{se: se, rel: rel, temporary: isTemporary(rel)}
	if !u.temporary {
		if u.info, u.target, err = se.plan(ctx, rel); err != nil {
			return nil, se.refuse(ctx, rel, err)
		}
	}
	spool := se.spoolPath(rel)
	if !se.svc.claim(spool) {
		return nil, cam2drive.Errorf(cam2drive.CodeUnavailable, "upload_in_progress")
	}
	if err := u.openSpool(spool, offset, appendMode); err != nil {
		se.svc.release(spool)
		return nil, err
	}
	return u, nil
}

// Rename completes a temporary-name upload under its final name.
func (se *Session) Rename(ctx context.Context, from, to string) error {
	relFrom, err := CleanPath(from)
	if err != nil {
		return err
	}
	relTo, err := CleanPath(to)
	if err != nil || relTo == "" {
		return se.refuse(ctx, to, cam2drive.Errorf(cam2drive.CodeInvalid, "invalid_path"))
	}
	se.mu.Lock()
	spool, ok := se.pending[relFrom]
	delete(se.pending, relFrom)
	se.mu.Unlock()
	if !ok {
		return cam2drive.ErrNotFound
	}
	u := &Upload{se: se, rel: relTo}
	if u.info, u.target, err = se.plan(ctx, relTo); err != nil {
		os.Remove(spool)
		return se.refuse(ctx, relTo, err)
	}
	return u.ingest(ctx, spool, nil)
}

// FileInfo describes what a client may see of its tree.
type FileInfo struct {
	Name  string
	Size  int64
	Dir   bool
	MTime time.Time
}

// OS shows the FileInfo as an fs.FileInfo, for the protocol libraries.
func (fi FileInfo) OS() fs.FileInfo { return osFileInfo{fi} }

type osFileInfo struct{ fi FileInfo }

func (f osFileInfo) Name() string       { return f.fi.Name }
func (f osFileInfo) Size() int64        { return f.fi.Size }
func (f osFileInfo) ModTime() time.Time { return f.fi.MTime }
func (f osFileInfo) IsDir() bool        { return f.fi.Dir }
func (f osFileInfo) Sys() any           { return nil }
func (f osFileInfo) Mode() fs.FileMode {
	if f.fi.Dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}

// Stat answers for a path: a received or partial file, or a directory.
// A name is a file when bytes were received under it or when it reads as a
// recording; anything else is a directory, so recorders' MKD and CWD of their
// folders always succeed — including Hikvision's "192.168.1.64" folders.
func (se *Session) Stat(path string) (FileInfo, error) {
	rel, err := CleanPath(path)
	if err != nil {
		return FileInfo{}, err
	}
	name := rel[strings.LastIndex(rel, "/")+1:]
	if st, err := os.Stat(se.spoolPath(rel)); err == nil && rel != "" {
		return FileInfo{Name: name, Size: st.Size(), MTime: st.ModTime()}, nil
	}
	if _, err := layout.Parse(rel, se.loc, se.svc.now()); err == nil || isTemporary(rel) && rel != "" {
		return FileInfo{}, cam2drive.ErrNotFound
	}
	return FileInfo{Name: name, Dir: true, MTime: se.svc.now()}, nil
}

// Remove deletes a pending or partial upload. Stored recordings can't be
// deleted by a recorder: the cloud copy is managed by retention and quota.
func (se *Session) Remove(path string) error {
	rel, err := CleanPath(path)
	if err != nil {
		return err
	}
	se.mu.Lock()
	delete(se.pending, rel)
	se.mu.Unlock()
	err = os.Remove(se.spoolPath(rel))
	if errors.Is(err, fs.ErrNotExist) {
		return cam2drive.ErrNotFound
	}
	return err
}

// Close ends the session; temporary uploads never renamed are dropped.
func (se *Session) Close() {
	se.mu.Lock()
	defer se.mu.Unlock()
	for rel, spool := range se.pending {
		os.Remove(spool)
		se.svc.problem(context.Background(), se.rec.ID, "refused", "never_renamed", rel, se.ip)
	}
	se.pending = map[string]string{}
}

// plan parses the path and finds where its bytes go, refusing early what
// policy refuses: an unknown path, an unknown or disabled channel, no disk.
func (se *Session) plan(ctx context.Context, rel string) (layout.Info, targetInfo, error) {
	info, err := layout.Parse(rel, se.loc, se.svc.now())
	if err != nil {
		return info, targetInfo{}, cam2drive.Errorf(cam2drive.CodeInvalid, "unknown_path")
	}
	if info.Kind == layout.Index {
		return info, targetInfo{}, nil
	}
	t, err := se.svc.db.UploadTarget(ctx, se.rec.ID, info.Channel)
	if cam2drive.IsNotFound(err) {
		return info, targetInfo{}, cam2drive.Errorf(cam2drive.CodeInvalid, "unknown_channel")
	}
	if err != nil {
		return info, targetInfo{}, fmt.Errorf("upload target: %w", err)
	}
	switch {
	case t.SecretMAC != se.rec.SecretMAC:
		// Credentials regenerated: connections opened with the old ones end here.
		return info, targetInfo{}, cam2drive.Errorf(cam2drive.CodeInvalidCredentials, "credentials_changed")
	case t.DiskID == "":
		return info, targetInfo{}, cam2drive.Errorf(cam2drive.CodeForbidden, "no_disk")
	case !t.Camera.CloudRecording:
		return info, targetInfo{}, cam2drive.Errorf(cam2drive.CodeForbidden, "channel_disabled")
	}
	return info, targetInfo{camera: t.Camera, diskID: t.DiskID}, nil
}

type targetInfo struct {
	camera cam2drive.Camera
	diskID string
}
