package cli

import (
	"context"
	"os"
	"path/filepath"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/pretrained"
)

// aiStatus tells the API whether AI can run: the worker role knows from
// its loaded detector; a web-only node checks that the runtime library and
// the default detector are installed where the worker would load them.
func (a *app) aiStatus(context.Context) error {
	if a.detector != nil {
		return nil
	}
	cat, err := pretrained.Load(a.cfg.ModelsDir)
	if err != nil {
		return err
	}
	lib := a.cfg.ORTLibrary
	if lib == "" {
		lib = filepath.Join(a.cfg.ModelsDir, filepath.FromSlash(cat.Library.File))
	}
	if _, err := os.Stat(lib); err != nil {
		return cam2drive.Errorf(cam2drive.CodeUnavailable, "ai_runtime_missing")
	}
	m, ok := cat.Model("")
	if !ok {
		return cam2drive.Errorf(cam2drive.CodeUnavailable, "ai_models_missing")
	}
	if _, err := os.Stat(filepath.Join(a.cfg.ModelsDir, filepath.FromSlash(m.File))); err != nil {
		return cam2drive.Errorf(cam2drive.CodeUnavailable, "ai_models_missing")
	}
	return nil
}
