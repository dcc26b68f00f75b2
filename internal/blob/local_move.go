package blob

import (
	"context"
	"errors"
	"fmt"
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
