package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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

// The open-vocabulary engines are off by default; configured, a CLIP
// model that cannot load is logged and left off, and the VLM is checked
// against its server's model list without delaying the start. The server
// here stands in for a third-party OpenAI-compatible service (a test
// double: no such service exists on this machine).
func TestEnginesOpenWhenConfigured(t *testing.T) {
	var logs syncBuffer
	a := &app{cfg: config.Config{ModelsDir: t.TempDir()}, log: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := a.openEngines(context.Background()); err != nil || a.clip != nil || a.vlm != nil {
		t.Fatalf("off by default: err %v, clip %v, vlm %v", err, a.clip, a.vlm)
	}
	asked := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- r.URL.Path + " " + r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"object":"list","data":[{"id":"llava","object":"model"}]}`) //nolint:errcheck // test server
	}))
	defer srv.Close()
	a.cfg.CLIPImageModel = filepath.Join(t.TempDir(), "image.onnx")
	a.cfg.CLIPTextModel = filepath.Join(t.TempDir(), "text.onnx")
	a.cfg.VLMURL, a.cfg.VLMModel, a.cfg.VLMKey = srv.URL+"/v1", "llava", "sk-test"
	if err := a.openEngines(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a.clip != nil || !strings.Contains(logs.String(), "CLIP unavailable") {
		t.Errorf("missing CLIP files: clip %v, log %s", a.clip, logs.String())
	}
	if a.vlm == nil {
		t.Fatal("configured VLM not opened")
	}
	select {
	case got := <-asked:
		if got != "/v1/models Bearer sk-test" {
			t.Errorf("VLM check asked %q", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the VLM was never checked")
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "vision-language model ready") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s := logs.String(); !strings.Contains(s, "vision-language model ready") || strings.Contains(s, "sk-test") {
		t.Errorf("log: %s", s)
	}
	a.cfg.VLMModel = ""
	if err := a.openEngines(context.Background()); err == nil {
		t.Error("a VLM URL without a model started")
	}
}

// syncBuffer is a log buffer written by the start's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
