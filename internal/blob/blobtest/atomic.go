package blobtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cam2drive/cam2drive/internal/blob"
)

func testConcurrentPutFile(t *testing.T, s blob.Store) {
	ctx := context.Background()
	const n = 16
	datas := make([][]byte, n)
	paths := make([]string, n)
	for i := range datas {
		datas[i] = Random(uint64(200+i), 64<<10+i)
		paths[i] = WriteTemp(t, datas[i])
	}
	key := func(i int) string { return fmt.Sprintf("org/o1/rec/r%d/2026/11/23/rec%d/original.dav", i%3, i) }
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = s.PutFile(ctx, key(i), paths[i]) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("PutFile(%q): %v", key(i), errs[i])
			continue
		}
		wantContent(t, s, key(i), datas[i])
	}
	if list, err := s.List(ctx, "org/o1/"); err != nil || len(list) != n {
		t.Errorf("List = %d objects, %v; want %d", len(list), err, n)
	}
}

// testConcurrentPutDelete writes into a directory while another writer keeps
// emptying and deleting it: a store that prunes empty directories must not
// make the writes fail.
func testConcurrentPutDelete(t *testing.T, s blob.Store) {
	ctx := context.Background()
	const rounds = 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*rounds)
	for w := range 2 {
		wg.Go(func() {
			for i := range rounds {
				key := fmt.Sprintf("org/o1/rec/r1/2026/11/23/rec1/w%d-%d", w, i)
				if err := s.Put(ctx, key, strings.NewReader(key), int64(len(key))); err != nil {
					errs <- err
					continue
				}
				if err := s.Delete(ctx, key); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func testCancelled(t *testing.T, s blob.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	mustPut(t, s, "present", []byte("data"))
	path := WriteTemp(t, []byte("data"))
	ops := map[string]error{}
	ops["PutFile"] = s.PutFile(ctx, "k1", path)
	ops["Put"] = s.Put(ctx, "k2", strings.NewReader("data"), 4)
	ops["Put unknown size"] = s.Put(ctx, "k3", strings.NewReader("data"), -1)
	_, ops["Open"] = s.Open(ctx, "present", 0, -1)
	_, ops["Stat"] = s.Stat(ctx, "present")
	_, ops["List"] = s.List(ctx, "")
	for op, err := range ops {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: error = %v, want context.Canceled", op, err)
		}
	}
	for _, k := range []string{"k1", "k2", "k3"} {
		wantAbsent(t, s, k)
	}

	// Cancelled in the middle of a transfer (a client that goes away).
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	r := &hookReader{r: bytes.NewReader(Random(5, 4<<20)), after: 1 << 20, hook: cancel}
	if err := s.Put(ctx, "k4", r, -1); err == nil {
		t.Error("Put cancelled midway succeeded")
	}
	wantAbsent(t, s, "k4")
}

func testPutFileMissing(t *testing.T, s blob.Store) {
	ctx := context.Background()
	if err := s.PutFile(ctx, mediaKey, filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("PutFile(missing file) succeeded")
	}
	if err := s.PutFile(ctx, mediaKey, t.TempDir()); err == nil {
		t.Error("PutFile(a directory) succeeded")
	}
	wantAbsent(t, s, mediaKey)
	if list, err := s.List(ctx, ""); err != nil || len(list) != 0 {
		t.Errorf("List = %+v, %v; want empty", list, err)
	}
}

func testSizeMismatch(t *testing.T, s blob.Store) {
	// Not seekable, as a network stream: minio-go would retry a seekable one.
	r := io.MultiReader(strings.NewReader("0123456789"))
	if err := s.Put(context.Background(), mediaKey, r, 20); err == nil {
		t.Error("Put of 10 bytes announced as 20 succeeded")
	}
	wantAbsent(t, s, mediaKey)
}

// hookReader calls hook once after more than `after` bytes were read.
type hookReader struct {
	r     io.Reader
	after int
	hook  func()
	n     int
}

func (h *hookReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.n += n
	if h.hook != nil && h.n > h.after {
		h.hook()
		h.hook = nil
	}
	return n, err
}

// pipedPut starts Put(key) reading from a pipe; the caller writes and closes.
func pipedPut(s blob.Store, key string) (*io.PipeWriter, <-chan error) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := s.Put(context.Background(), key, pr, -1)
		pr.CloseWithError(errors.New("put returned"))
		done <- err
	}()
	return pw, done
}

// testAtomicNew checks that a new object is invisible while written.
func testAtomicNew(t *testing.T, s blob.Store) {
	data := Random(6, 1<<20)
	pw, done := pipedPut(s, mediaKey)
	if _, err := pw.Write(data[:len(data)/2]); err != nil { // returns once the store has read it
		t.Fatal(err)
	}
	wantAbsent(t, s, mediaKey)
	if list, err := s.List(context.Background(), ""); err != nil || len(list) != 0 {
		t.Errorf("List during the write = %+v, %v; want empty", list, err)
	}
	pw.Write(data[len(data)/2:])
	pw.Close()
	if err := <-done; err != nil {
		t.Fatalf("Put: %v", err)
	}
	wantContent(t, s, mediaKey, data)
}

// testAtomicReplace checks that readers keep seeing the whole old object
// while a new one is written.
func testAtomicReplace(t *testing.T, s blob.Store) {
	old, data := Random(7, 300_000), Random(8, 1<<20)
	mustPut(t, s, mediaKey, old)
	pw, done := pipedPut(s, mediaKey)
	if _, err := pw.Write(data[:len(data)/2]); err != nil {
		t.Fatal(err)
	}
	wantContent(t, s, mediaKey, old)
	pw.Write(data[len(data)/2:])
	pw.Close()
	if err := <-done; err != nil {
		t.Fatalf("Put: %v", err)
	}
	wantContent(t, s, mediaKey, data)
}

// testInterruptedPut: a source failing midway (a recorder dropping the
// connection) leaves no object, or the old one intact, and nothing that
// CleanTemp(ctx, 0) cannot clear.
func testInterruptedPut(t *testing.T, s blob.Store) {
	ctx := context.Background()
	errBoom := errors.New("connection reset by recorder")
	old := []byte("old content")
	mustPut(t, s, "replaced", old)
	for _, tc := range []struct {
		key  string
		size int // past 16 MiB a streaming S3 upload is multipart
	}{{mediaKey, 1 << 20}, {"replaced", 1 << 20}, {"big", 17 << 20}} {
		pw, done := pipedPut(s, tc.key)
		pw.Write(Random(9, tc.size))
		pw.CloseWithError(errBoom)
		if err := <-done; err == nil {
			t.Errorf("Put(%q) from a failing reader succeeded", tc.key)
		}
	}
	wantAbsent(t, s, mediaKey)
	wantAbsent(t, s, "big")
	wantContent(t, s, "replaced", old)
	if _, err := s.CleanTemp(ctx, 0); err != nil {
		t.Fatalf("CleanTemp: %v", err)
	}
	if n, err := s.CleanTemp(ctx, 0); err != nil || n != 0 {
		t.Errorf("second CleanTemp = %d, %v; want 0, nil", n, err)
	}
	list, err := s.List(ctx, "")
	if err != nil || len(list) != 1 || list[0].Key != "replaced" {
		t.Errorf("List = %+v, %v; want just %q", list, err, "replaced")
	}
	wantContent(t, s, "replaced", old)
}

func testString(t *testing.T, s blob.Store) {
	if str := s.String(); !strings.HasPrefix(str, "local:") && !strings.HasPrefix(str, "s3://") {
		t.Errorf("String() = %q, want local:… or s3://…", str)
	}
}
