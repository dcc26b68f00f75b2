package blob_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/blob/blobtest"
)

func TestLocal(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store {
		s, err := blob.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func newLocal(t *testing.T, dir string) *blob.Local {
	t.Helper()
	s, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A Put killed with the process leaves its staged file in .tmp: CleanTemp
// removes it once older than age, and keeps newer ones (a Put in progress).
func TestLocalCleanTempByAge(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := newLocal(t, dir)
	old := filepath.Join(dir, ".tmp", "put-killed")
	fresh := filepath.Join(dir, ".tmp", "put-in-progress")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	hourAgo := time.Now().Add(-time.Hour)
	if err := os.Chtimes(old, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}
	if list, err := s.List(ctx, ""); err != nil || len(list) != 0 {
		t.Errorf("List sees temp files: %+v, %v", list, err)
	}
	if _, err := s.Stat(ctx, ".tmp/put-killed"); !errors.Is(err, blob.ErrInvalidKey) {
		t.Errorf("Stat(.tmp/…) error = %v, want ErrInvalidKey (reserved)", err)
	}
	if n, err := s.CleanTemp(ctx, 10*time.Minute); err != nil || n != 1 {
		t.Fatalf("CleanTemp(10m) = %d, %v; want 1", n, err)
	}
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old leftover still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temp file removed: %v", err)
	}
	if n, err := s.CleanTemp(ctx, 0); err != nil || n != 1 {
		t.Errorf("CleanTemp(0) = %d, %v; want 1", n, err)
	}
}

// Objects survive closing and reopening the store (a restart), and a failed
// Put leaves no staged file behind.
func TestLocalReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := blobtest.Random(1, 100_000)
	key := "org/o1/rec/r1/2026/11/23/rec1/original.dav"
	if err := newLocal(t, dir).PutFile(ctx, key, blobtest.WriteTemp(t, data)); err != nil {
		t.Fatal(err)
	}
	if err := newLocal(t, dir).Put(ctx, "failed", strings.NewReader("short"), 10); err == nil {
		t.Fatal("short Put succeeded")
	}
	s := newLocal(t, dir)
	got, err := blobtest.Read(t, s, key, 0, -1)
	if err != nil || string(got) != string(data) {
		t.Fatalf("after reopen: %d bytes, %v", len(got), err)
	}
	if got := s.String(); got != "local:"+dir {
		t.Errorf("String() = %q, want %q", got, "local:"+dir)
	}
	if entries, err := os.ReadDir(filepath.Join(dir, ".tmp")); err != nil || len(entries) != 0 {
		t.Errorf(".tmp holds %d entries (%v), want none", len(entries), err)
	}
	// Delete prunes the directories it emptied, never the root or .tmp.
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 || entries[0].Name() != ".tmp" {
		t.Errorf("root after deleting the only object: %v, %v; want just .tmp", entries, err)
	}
}

func TestLocalRelativeDir(t *testing.T) {
	t.Chdir(t.TempDir())
	s := newLocal(t, "media")
	abs, _ := filepath.Abs("media")
	if got := s.String(); got != "local:"+abs {
		t.Errorf("String() = %q, want %q", got, "local:"+abs)
	}
}
