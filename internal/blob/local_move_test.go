package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/cam2drive/cam2drive/internal/blob"
)

func TestLocalMoveFile(t *testing.T) {
	dir := t.TempDir()
	s, err := blob.NewLocal(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "spool")
	data := bytes.Repeat([]byte("frame "), 1000)
	if err := os.WriteFile(src, data, 0o600); err != nil {
		t.Fatal(err)
	}
	key := "org/a/rec/b/2024/03/01/x/original.jpg"
	if err := s.MoveFile(context.Background(), key, src); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(src); !os.IsNotExist(err) {
		t.Errorf("the spool file should be gone after a move: %v", err)
	}
	r, err := s.Open(context.Background(), key, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, _ := io.ReadAll(r)
	if !bytes.Equal(got, data) {
		t.Fatal("moved object differs")
	}
	if err := s.MoveFile(context.Background(), "../escape", src); err == nil {
		t.Error("an invalid key must be refused")
	}
}

// A job reads an object under a second name; replacing or deleting the
// object afterwards leaves what the job reads as it was.
func TestLocalLinkFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := blob.NewLocal(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	key := "org/a/rec/b/original.dav"
	first := bytes.Repeat([]byte("first "), 1000)
	if err := s.Put(ctx, key, bytes.NewReader(first), int64(len(first))); err != nil {
		t.Fatal(err)
	}
	scratch := filepath.Join(dir, "job", "original")
	os.MkdirAll(filepath.Dir(scratch), 0o700)
	if err := s.LinkFile(ctx, key, scratch); err != nil {
		t.Fatal(err)
	}
	second := []byte("second")
	if err := s.Put(ctx, key, bytes.NewReader(second), int64(len(second))); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(scratch); err != nil || !bytes.Equal(got, first) {
		t.Fatalf("the job's file changed under it: %d bytes, %v", len(got), err)
	}
	if err := s.LinkFile(ctx, key, filepath.Join(dir, "job", "gone")); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("deleted object: %v, want ErrNotFound", err)
	}
	if err := s.LinkFile(ctx, "../escape", filepath.Join(dir, "job", "x")); err == nil {
		t.Error("a key outside the store was linked")
	}
}

// On another file system the object is copied.
func TestLocalLinkFileCopiesAcrossFileSystems(t *testing.T) {
	shm, err := os.MkdirTemp("/dev/shm", "c2d-link-")
	if err != nil {
		t.Skip("no /dev/shm:", err)
	}
	t.Cleanup(func() { os.RemoveAll(shm) })
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "media")
	s, err := blob.NewLocal(root)
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("frame "), 100)
	if err := s.Put(ctx, "k/original.mp4", bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(shm, "original")
	if err := s.LinkFile(ctx, "k/original.mp4", dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, data) {
		t.Fatal("copied object differs")
	}
	src, err1 := os.Stat(filepath.Join(root, "k", "original.mp4"))
	cp, err2 := os.Stat(dst)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if os.SameFile(src, cp) {
		t.Skip("/dev/shm is on the store's file system here: linked, not copied")
	}
}
