// Package blobtest is the conformance suite every blob.Store implementation
// passes. Call Run from the implementation's tests:
//
//	blobtest.Run(t, func(t *testing.T) blob.Store { return newEmptyStore(t) })
//
// newStore must return an empty store; it is called once per subtest.
//
// Range semantics checked here (the blob package comment is the reference):
// an offset equal to the size yields an empty reader, an offset past the size
// is blob.ErrInvalidRange, and a length past the end is cut at the end.
package blobtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/blob"
)

// Run runs the whole conformance suite against stores made by newStore.
func Run(t *testing.T, newStore func(t *testing.T) blob.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, blob.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"Range", testRange},
		{"Replace", testReplace},
		{"Delete", testDelete},
		{"NotFound", testNotFound},
		{"List", testList},
		{"InvalidKeys", testInvalidKeys},
		{"UnusualKeys", testUnusualKeys},
		{"ConcurrentPutFile", testConcurrentPutFile},
		{"ConcurrentPutDeleteSameDir", testConcurrentPutDelete},
		{"ContextCancelled", testCancelled},
		{"PutFileMissing", testPutFileMissing},
		{"SizeMismatch", testSizeMismatch},
		{"AtomicNew", testAtomicNew},
		{"AtomicReplace", testAtomicReplace},
		{"InterruptedPut", testInterruptedPut},
		{"SignedURL", testSignedURL},
		{"String", testString},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// Random returns n deterministic pseudo-random bytes for seed.
func Random(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// WriteTemp writes data to a fresh file (fsynced, as the ingest spool does)
// and returns its path.
func WriteTemp(t *testing.T, data []byte) string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "spool-*")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// Read returns the bytes Open(key, offset, length) yields.
func Read(t *testing.T, s blob.Store, key string, offset, length int64) ([]byte, error) {
	t.Helper()
	rc, err := s.Open(context.Background(), key, offset, length)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// mustPut stores data under key with Put of a known size.
func mustPut(t *testing.T, s blob.Store, key string, data []byte) {
	t.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

// wantContent checks that key holds exactly data, through Stat and Open.
func wantContent(t *testing.T, s blob.Store, key string, data []byte) {
	t.Helper()
	info, err := s.Stat(context.Background(), key)
	if err != nil {
		t.Fatalf("Stat(%q): %v", key, err)
	}
	if info.Key != key || info.Size != int64(len(data)) {
		t.Errorf("Stat(%q) = {Key %q, Size %d}, want {Key %q, Size %d}", key, info.Key, info.Size, key, len(data))
	}
	if d := time.Since(info.ModTime); info.ModTime.IsZero() || d < -time.Hour || d > time.Hour {
		t.Errorf("Stat(%q).ModTime = %v, want about now", key, info.ModTime)
	}
	got, err := Read(t, s, key, 0, -1)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("Open(%q) read %d bytes differing from the %d stored", key, len(got), len(data))
	}
}

// wantAbsent checks that Stat and Open of key say ErrNotFound.
func wantAbsent(t *testing.T, s blob.Store, key string) {
	t.Helper()
	if _, err := s.Stat(context.Background(), key); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat(%q) error = %v, want ErrNotFound", key, err)
	}
	if _, err := Read(t, s, key, 0, -1); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open(%q) error = %v, want ErrNotFound", key, err)
	}
}

const mediaKey = "org/o1/rec/r1/2026/11/23/rec1/original.dav"

func testRoundTrip(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		data []byte
	}{{"empty", []byte{}}, {"tiny", []byte("x")}, {"5MiB", Random(1, 5<<20)}} {
		t.Run(c.name, func(t *testing.T) {
			key := "rt/" + c.name + "/file.dav"
			if err := s.PutFile(ctx, key, WriteTemp(t, c.data)); err != nil {
				t.Fatalf("PutFile: %v", err)
			}
			wantContent(t, s, key, c.data)
			key2 := "rt/" + c.name + "/put-known"
			mustPut(t, s, key2, c.data)
			wantContent(t, s, key2, c.data)
			key3 := "rt/" + c.name + "/put-unknown"
			// A reader without Len/ReadAt, as a network stream is.
			if err := s.Put(ctx, key3, io.MultiReader(bytes.NewReader(c.data)), -1); err != nil {
				t.Fatalf("Put(size -1): %v", err)
			}
			wantContent(t, s, key3, c.data)
		})
	}
}

func testRange(t *testing.T, s blob.Store) {
	data := Random(2, 100_000)
	size := int64(len(data))
	mustPut(t, s, mediaKey, data)
	mustPut(t, s, "empty", nil)
	tests := []struct {
		name           string
		key            string
		offset, length int64
		want           []byte // nil with wantErr
		wantErr        error
	}{
		{"first byte", mediaKey, 0, 1, data[:1], nil},
		{"middle", mediaKey, 40_000, 1234, data[40_000:41_234], nil},
		{"last byte", mediaKey, size - 1, 1, data[size-1:], nil},
		{"last byte to end", mediaKey, size - 1, -1, data[size-1:], nil},
		{"from offset to end", mediaKey, 12_345, -1, data[12_345:], nil},
		{"whole", mediaKey, 0, -1, data, nil},
		{"whole by length", mediaKey, 0, size, data, nil},
		{"length past end is cut", mediaKey, size - 10, 1000, data[size-10:], nil},
		{"zero length", mediaKey, 10, 0, []byte{}, nil},
		{"offset at end", mediaKey, size, -1, []byte{}, nil},
		{"offset at end with length", mediaKey, size, 5, []byte{}, nil},
		{"offset past end", mediaKey, size + 1, -1, nil, blob.ErrInvalidRange},
		{"offset past end with length", mediaKey, size + 100, 1, nil, blob.ErrInvalidRange},
		{"negative offset", mediaKey, -1, 1, nil, blob.ErrInvalidRange},
		{"negative length", mediaKey, 0, -2, nil, blob.ErrInvalidRange},
		{"empty object whole", "empty", 0, -1, []byte{}, nil},
		{"empty object past end", "empty", 1, -1, nil, blob.ErrInvalidRange},
		{"missing object", "missing", 5, 10, nil, blob.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(t, s, tc.key, tc.offset, tc.length)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Open(%d, %d) error = %v, want %v", tc.offset, tc.length, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open(%d, %d): %v", tc.offset, tc.length, err)
			}
			if !bytes.Equal(got, tc.want) {
				t.Errorf("Open(%d, %d) read %d bytes, want %d (or content differs)", tc.offset, tc.length, len(got), len(tc.want))
			}
		})
	}
}

func testReplace(t *testing.T, s blob.Store) {
	ctx := context.Background()
	for i, data := range [][]byte{Random(3, 3000), Random(4, 70_000), []byte("short"), {}} {
		if i%2 == 0 {
			mustPut(t, s, mediaKey, data)
		} else if err := s.PutFile(ctx, mediaKey, WriteTemp(t, data)); err != nil {
			t.Fatalf("PutFile: %v", err)
		}
		wantContent(t, s, mediaKey, data)
	}
	list, err := s.List(ctx, "")
	if err != nil || len(list) != 1 || list[0].Key != mediaKey || list[0].Size != 0 {
		t.Errorf("List after replacements = %+v, %v; want just %q of size 0", list, err, mediaKey)
	}
}

func testDelete(t *testing.T, s blob.Store) {
	ctx := context.Background()
	mustPut(t, s, mediaKey, []byte("data"))
	sibling := strings.TrimSuffix(mediaKey, "original.dav") + "thumb.jpg"
	mustPut(t, s, sibling, []byte("jpeg"))
	for i := 0; i < 2; i++ { // the second time the key is missing: not an error
		if err := s.Delete(ctx, mediaKey); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
		wantAbsent(t, s, mediaKey)
	}
	if err := s.Delete(ctx, "never/stored"); err != nil {
		t.Errorf("Delete(never stored) = %v, want nil", err)
	}
	// A key that is only a prefix of other keys is no object: deleting it
	// must not touch them.
	if err := s.Delete(ctx, "org/o1/rec"); err != nil {
		t.Errorf("Delete(prefix) = %v, want nil", err)
	}
	wantContent(t, s, sibling, []byte("jpeg"))
	if err := s.Delete(ctx, sibling); err != nil {
		t.Fatal(err)
	}
	if list, err := s.List(ctx, ""); err != nil || len(list) != 0 {
		t.Errorf("List after deleting all = %+v, %v; want empty", list, err)
	}
	mustPut(t, s, sibling, []byte("again")) // the emptied path is usable again
	wantContent(t, s, sibling, []byte("again"))
}

func testNotFound(t *testing.T, s blob.Store) {
	wantAbsent(t, s, "never/stored")
	mustPut(t, s, mediaKey, []byte("data"))
	wantAbsent(t, s, "org/o1/rec")  // a prefix of a key ("directory")
	wantAbsent(t, s, mediaKey+"x")  // a longer key
	wantAbsent(t, s, mediaKey+"/x") // below an object
}
