package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// notExist reports errors that mean "no such object", including a path
// through a regular file (ENOTDIR).
func notExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// Open returns the file (whole reads) or a section of it (ranged reads).
func (l *Local) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	if err := checkRangeArgs(offset, length); err != nil {
		return nil, fmt.Errorf("blob: open %q: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("blob: open %q: %w", key, err)
	}
	f, err := os.Open(p)
	if notExist(err) {
		return nil, fmt.Errorf("blob: open %q: %w", key, ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("blob: open %q: %w", key, err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = ErrNotFound // a directory: a prefix of other keys, not an object
	}
	var n int64
	if err == nil {
		n, err = clampRange(offset, length, fi.Size())
	}
	if err == nil && offset > 0 {
		_, err = f.Seek(offset, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: open %q: %w", key, err)
	}
	if offset == 0 && n == fi.Size() {
		return f, nil // a bare *os.File lets net/http use sendfile
	}
	return readCloser{io.LimitReader(f, n), f}, nil
}

// Stat describes the file under key.
func (l *Local) Stat(ctx context.Context, key string) (Info, error) {
	p, err := l.path(key)
	if err != nil {
		return Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return Info{}, fmt.Errorf("blob: stat %q: %w", key, err)
	}
	fi, err := os.Stat(p)
	if notExist(err) || (err == nil && !fi.Mode().IsRegular()) {
		return Info{}, fmt.Errorf("blob: stat %q: %w", key, ErrNotFound)
	} else if err != nil {
		return Info{}, fmt.Errorf("blob: stat %q: %w", key, err)
	}
	return Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// Delete removes the file and prunes directories left empty up to the root.
func (l *Local) Delete(ctx context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob: delete %q: %w", key, err)
	}
	fi, err := os.Lstat(p)
	if notExist(err) || (err == nil && fi.IsDir()) {
		return nil
	} else if err != nil {
		return fmt.Errorf("blob: delete %q: %w", key, err)
	}
	if err := os.Remove(p); err != nil && !notExist(err) {
		return fmt.Errorf("blob: delete %q: %w", key, err)
	}
	dir := filepath.Dir(p)
	if err := syncDir(dir); err != nil && !notExist(err) {
		return fmt.Errorf("blob: delete %q: %w", key, err)
	}
	// Best effort: Remove fails on a non-empty directory, which ends the walk.
	l.dirs.Lock()
	defer l.dirs.Unlock()
	for ; dir != l.root && strings.HasPrefix(dir, l.root); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break
		}
	}
	return nil
}

// List walks only the directories that can hold keys starting with prefix.
func (l *Local) List(ctx context.Context, prefix string) ([]Info, error) {
	if err := checkPrefix(prefix); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("blob: list %q: %w", prefix, err)
	}
	start := filepath.Join(l.root, filepath.FromSlash(prefixDir(prefix)))
	var out []Info
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if notExist(err) {
				return nil // removed while walking, or no such prefix
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(l.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if d.IsDir() {
			if p == l.root {
				return nil
			}
			if key == tmpDirName || !(strings.HasPrefix(prefix, key+"/") || strings.HasPrefix(key+"/", prefix)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasPrefix(key, prefix) {
			return nil
		}
		fi, err := d.Info()
		if notExist(err) {
			return nil
		} else if err != nil {
			return err
		}
		out = append(out, Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("blob: list %q: %w", prefix, err)
	}
	// WalkDir's order is by file name per directory, which differs from key
	// order ("a-b" < "a/b" but directory "a" is walked before file "a-b").
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// CleanTemp removes staged writes in .tmp last modified more than age ago:
// what a crash or kill in the middle of a Put leaves behind.
func (l *Local) CleanTemp(ctx context.Context, age time.Duration) (int, error) {
	dir := filepath.Join(l.root, tmpDirName)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("blob: clean temp: %w", err)
	}
	cutoff := time.Now().Add(-age)
	removed := 0
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return removed, fmt.Errorf("blob: clean temp: %w", err)
		}
		fi, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return removed, fmt.Errorf("blob: clean temp: %w", err)
		}
		if fi.ModTime().After(cutoff) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return removed, fmt.Errorf("blob: clean temp: %w", err)
		}
		removed++
	}
	return removed, nil
}

// SignedURL is not offered by the local store: the HTTP layer signs its own
// URLs and serves the files itself.
func (l *Local) SignedURL(ctx context.Context, key string, expiry time.Duration, filename string) (string, bool, error) {
	if _, err := l.path(key); err != nil {
		return "", false, err
	}
	return "", false, nil
}
