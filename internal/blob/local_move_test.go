package blob_test

import (
	"bytes"
	"context"
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
