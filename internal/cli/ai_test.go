package cli

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/analysis"
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

// The worker gets the HOLO4 pose and face models when they are installed;
// without them it gets none and the log says how to install them.
func TestWorkerGetsTheHOLO4Models(t *testing.T) {
	var logs bytes.Buffer
	a := &app{cfg: config.Config{ModelsDir: t.TempDir()}, log: slog.New(slog.NewTextHandler(&logs, nil))}
	w := &analysis.Worker{}
	a.openHOLO4Models(w)
	if w.Poses != nil || w.Faces != nil {
		t.Fatalf("empty models dir: worker has pose %v, faces %v", w.Poses, w.Faces)
	}
	for _, s := range []string{"HOLO4 pose model unavailable", "HOLO4 face models unavailable", "cam2drive models install"} {
		if !strings.Contains(logs.String(), s) {
			t.Errorf("log %q does not say %q", logs.String(), s)
		}
	}
	dir := os.Getenv("CAM2DRIVE_MODELS_DIR")
	if dir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CAM2DRIVE_MODELS_DIR is not set (run `make models`)")
		}
		t.Skip("CAM2DRIVE_MODELS_DIR is not set: run `make models` and test through make")
	}
	a.cfg.ModelsDir = dir
	w = &analysis.Worker{}
	a.openHOLO4Models(w)
	defer a.closeHOLO4Models()
	if w.Poses == nil || w.Faces == nil {
		t.Fatalf("installed models: worker has pose %v, faces %v; log: %s", w.Poses, w.Faces, logs.String())
	}
}
