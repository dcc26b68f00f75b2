package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// MoveFile publishes the local file at path under key by renaming it, when
// it lives on the store's file system: the bytes are not copied a second
// time. The caller must have fsynced the file; it is gone from path after a
// success. On another file system it falls back to PutFile (and the file
// stays at path).
func (l *Local) MoveFile(ctx context.Context, key, path string) error {
	dst, err := l.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob: move %q: %w", key, err)
	}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("blob: move %q: %s is not a regular file (%v)", key, path, err)
	}
	dir := filepath.Dir(dst)
	l.dirs.RLock()
	defer l.dirs.RUnlock()
	for attempt := 0; ; attempt++ {
		err = l.mkdirAll(dir)
		if err == nil {
			err = os.Rename(path, dst)
		}
		if err == nil {
			return syncDir(dir)
		}
		if errors.Is(err, syscall.EXDEV) {
			l.dirs.RUnlock()
			defer l.dirs.RLock()
			return l.PutFile(ctx, key, path)
		}
		if !errors.Is(err, fs.ErrNotExist) || attempt == 4 {
			return fmt.Errorf("blob: move %q: %w", key, err)
		}
	}
}

// LinkFile gives the object at key a second name, path, when both are on
// the store's file system: a job reads the object without copying it. The
// store never writes an object in place (it publishes a new file), so what
// path names does not change under the reader. On another file system, or
// one without hard links, it copies. ErrNotFound when key is absent.
func (l *Local) LinkFile(ctx context.Context, key, path string) error {
	src, err := l.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob: link %q: %w", key, err)
	}
	if fi, err := os.Stat(src); notExist(err) || (err == nil && !fi.Mode().IsRegular()) {
		return fmt.Errorf("blob: link %q: %w", key, ErrNotFound)
	}
	switch err = os.Link(src, path); {
	case err == nil:
		return nil
	case notExist(err):
		return fmt.Errorf("blob: link %q: %w", key, ErrNotFound) // deleted meanwhile
	case errors.Is(err, syscall.EXDEV) || errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EMLINK):
		return copyTo(ctx, l, key, path)
	default:
		return fmt.Errorf("blob: link %q: %w", key, err)
	}
}

// ToFile puts the object at key in a new local file at path, for tools
// that read files (ffmpeg): the local store links it, others copy it.
// ErrNotFound when key is absent.
func ToFile(ctx context.Context, s Store, key, path string) error {
	if l, ok := s.(*Local); ok {
		return l.LinkFile(ctx, key, path)
	}
	return copyTo(ctx, s, key, path)
}

func copyTo(ctx context.Context, s Store, key, path string) error {
	rc, err := s.Open(ctx, key, 0, -1)
	if err != nil {
		return err
	}
	defer rc.Close()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, rc)
	return errors.Join(err, f.Close())
}
