package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/config"
)

// A web node without the runtime, or without the model, says which is
// missing; with both files in place AI is available.
func TestAIStatusSaysWhatIsMissing(t *testing.T) {
	dir := t.TempDir()
	a := &app{cfg: config.Config{ModelsDir: dir}}
	key := func() string {
		var e *cam2drive.Error
		if err := a.aiStatus(context.Background()); errors.As(err, &e) {
			return e.Key
		} else if err != nil {
			t.Fatal(err)
		}
		return ""
	}
	if k := key(); k != "ai_runtime_missing" {
		t.Fatalf("empty models dir: %q", k)
	}
	lib := filepath.Join(dir, "lib.so")
	os.WriteFile(lib, []byte("x"), 0o600)
	a.cfg.ORTLibrary = lib
	if k := key(); k != "ai_models_missing" {
		t.Fatalf("library only: %q", k)
	}
}
