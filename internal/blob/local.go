package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// tmpDirName is the directory under the root where writes are staged. It is
// on the same file system as the objects, so the final rename is atomic.
const tmpDirName = ".tmp"

// copyChunk bounds each copy_file_range step of PutFile so cancellation is
// noticed between chunks.
const copyChunk = 8 << 20

// Local stores objects as files under a directory, one file per key.
type Local struct {
	root string
	// dirs orders directory creation (shared: Put's mkdir+rename) against
	// pruning (exclusive: Delete removing emptied directories), so a Put never
	// loses its parent directory between mkdir and rename.
	dirs sync.RWMutex
}

var _ Store = (*Local)(nil)

// NewLocal stores objects under dir (created if missing). Writes go to
// dir/.tmp/<random> (fsynced), then os.Rename into place, then the parent
// directory is fsynced. Open, Stat and List never see .tmp.
func NewLocal(dir string) (*Local, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: local store %q: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Join(root, tmpDirName), 0o750); err != nil {
		return nil, fmt.Errorf("blob: local store: %w", err)
	}
	return &Local{root: root}, nil
}

// String returns "local:" and the absolute root directory.
func (l *Local) String() string { return "local:" + l.root }

// path maps a key to its file. The first segment ".tmp" is reserved.
func (l *Local) path(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	if key == tmpDirName || strings.HasPrefix(key, tmpDirName+"/") {
		return "", fmt.Errorf("%w %q: %s is reserved by the local store", ErrInvalidKey, key, tmpDirName)
	}
	return filepath.Join(l.root, filepath.FromSlash(key)), nil
}

// PutFile copies the file at path into the store (copy_file_range where the
// file system allows it) and publishes it atomically under key.
func (l *Local) PutFile(ctx context.Context, key, path string) error {
	dst, err := l.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	src, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("blob: put %q: %s is not a regular file", key, path)
	}
	return l.write(ctx, key, dst, func(f *os.File) error {
		var n int64
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			c, err := io.CopyN(f, src, copyChunk)
			n += c
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
		}
		if n != fi.Size() {
			return fmt.Errorf("source changed size while copying: %d bytes, expected %d", n, fi.Size())
		}
		return nil
	})
}

// Put writes r to a temp file and publishes it atomically under key.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	dst, err := l.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	return l.write(ctx, key, dst, func(f *os.File) error {
		src := io.Reader(ctxReader{ctx, r})
		if size >= 0 {
			src = io.LimitReader(src, size+1) // one more byte tells a too-long reader
		}
		n, err := io.Copy(f, src)
		if err != nil {
			return err
		}
		if size >= 0 && n != size {
			return fmt.Errorf("read %d bytes, expected %d", n, size)
		}
		return nil
	})
}

// write stages the content produced by fill in .tmp, fsyncs it, renames it to
// dst and fsyncs dst's directory. On any error the temp file is removed.
func (l *Local) write(ctx context.Context, key, dst string, fill func(*os.File) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Join(l.root, tmpDirName), "put-*")
	if err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				tmp.Close()
			}
			os.Remove(tmp.Name())
			err = fmt.Errorf("blob: put %q: %w", key, err)
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	closed = true
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dir := filepath.Dir(dst)
	l.dirs.RLock()
	defer l.dirs.RUnlock()
	// Another process sharing the directory may still prune the parent
	// between mkdir and rename: then make it again.
	for attempt := 0; ; attempt++ {
		err := l.mkdirAll(dir)
		if err == nil {
			err = os.Rename(tmp.Name(), dst)
		}
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) || attempt == 4 {
			return err
		}
	}
	return syncDir(dir)
}

// mkdirAll creates dir and its missing parents up to the root, fsyncing each
// parent that gained an entry so the path survives a crash.
func (l *Local) mkdirAll(dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	parent := filepath.Dir(dir)
	if dir != l.root && parent != dir {
		if err := l.mkdirAll(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o750); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
