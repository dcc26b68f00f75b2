// Package blob stores media objects: on a local directory or on S3-compatible
// object storage. Both implementations satisfy Store and pass the conformance
// suite in blob/blobtest.
//
// Writes are atomic: a reader sees either no object (or the previous one) or
// the whole new object, never a prefix of it.
//
// Ranged reads (Open with offset and length) follow one rule on every store:
//   - offset < 0 or length < -1: ErrInvalidRange;
//   - offset > size: ErrInvalidRange (HTTP maps it to 416);
//   - offset == size: an empty reader (so Open(key, 0, -1) of an empty object works);
//   - a length reaching past the end is cut at the end, as HTTP ranges are.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	// ErrNotFound is returned (wrapped) when an object does not exist.
	ErrNotFound = errors.New("blob: not found")
	// ErrInvalidKey is returned (wrapped) for keys that could escape or alias
	// another key: empty, leading "/", empty, "." or ".." segments, NUL, invalid UTF-8.
	ErrInvalidKey = errors.New("blob: invalid key")
	// ErrInvalidRange is returned (wrapped) by Open for a negative offset or
	// length, or an offset past the end of the object.
	ErrInvalidRange = errors.New("blob: invalid range")
)

// Info describes a stored object.
type Info struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// Store is where media objects live.
type Store interface {
	// PutFile stores the content of the local file at path under key, durably and atomically:
	// readers see either nothing or the whole object. An existing object is replaced.
	PutFile(ctx context.Context, key, path string) error
	// Put stores r (size bytes; -1 if unknown) under key, durably and atomically.
	// When size >= 0, a reader that ends early is an error and nothing is stored.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Open returns a reader positioned at offset, reading length bytes (-1: to the end).
	// ErrNotFound if absent; see the package comment for out-of-range offsets.
	Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	// Stat describes the object under key; ErrNotFound if absent.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List returns the objects whose keys start with prefix, in key order.
	List(ctx context.Context, prefix string) ([]Info, error)
	// CleanTemp removes leftovers of interrupted writes older than age (called on start).
	CleanTemp(ctx context.Context, age time.Duration) (removed int, err error)
	// SignedURL returns a URL valid until expiry for GET of key (S3: presigned; local: "" and
	// ok=false — the HTTP layer signs its own URLs for the local store).
	SignedURL(ctx context.Context, key string, expiry time.Duration, filename string) (url string, ok bool, err error)
	// String names the store without secrets: "local:/path" or "s3://bucket/prefix".
	String() string
}

// maxKeyLen is the S3 limit on object names; the local store keeps it too so
// that a key accepted by one store is accepted by the other.
const maxKeyLen = 1024

// checkKey reports whether key is a well-formed object key.
func checkKey(key string) error {
	if err := checkPath(key); err != nil {
		return fmt.Errorf("%w %q: %v", ErrInvalidKey, key, err)
	}
	return nil
}

func checkPath(p string) error {
	switch {
	case p == "":
		return errors.New("empty")
	case len(p) > maxKeyLen:
		return fmt.Errorf("longer than %d bytes", maxKeyLen)
	case !utf8.ValidString(p):
		return errors.New("not UTF-8")
	case strings.IndexByte(p, 0) >= 0:
		return errors.New("contains NUL")
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "":
			return errors.New("empty segment")
		case ".", "..":
			return fmt.Errorf("%q segment", seg)
		}
	}
	return nil
}

// checkPrefix validates a List prefix: any string whose complete segments
// (everything up to the last "/") would be valid in a key.
func checkPrefix(prefix string) error {
	if !utf8.ValidString(prefix) || strings.IndexByte(prefix, 0) >= 0 || strings.HasPrefix(prefix, "/") {
		return fmt.Errorf("%w: prefix %q", ErrInvalidKey, prefix)
	}
	if dir := prefixDir(prefix); dir != "" {
		if err := checkPath(dir); err != nil {
			return fmt.Errorf("%w: prefix %q: %v", ErrInvalidKey, prefix, err)
		}
	}
	return nil
}

// prefixDir is the part of prefix before its last "/" ("" when there is none).
func prefixDir(prefix string) string {
	i := strings.LastIndexByte(prefix, '/')
	if i < 0 {
		return ""
	}
	return prefix[:i]
}

// checkRangeArgs rejects ranges that are invalid whatever the object size.
func checkRangeArgs(offset, length int64) error {
	if offset < 0 || length < -1 {
		return fmt.Errorf("%w: offset %d length %d", ErrInvalidRange, offset, length)
	}
	return nil
}

// clampRange returns how many bytes a read of (offset, length) yields on an
// object of size bytes, following the package rule.
func clampRange(offset, length, size int64) (int64, error) {
	if err := checkRangeArgs(offset, length); err != nil {
		return 0, err
	}
	if offset > size {
		return 0, fmt.Errorf("%w: offset %d past size %d", ErrInvalidRange, offset, size)
	}
	n := size - offset
	if length >= 0 && length < n {
		n = length
	}
	return n, nil
}

// ctxReader fails reads once ctx is done, so long copies stop on cancel.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// readCloser joins a reader with the closer of what it reads from.
type readCloser struct {
	io.Reader
	io.Closer
}
