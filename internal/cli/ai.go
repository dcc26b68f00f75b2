package cli

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/analysis"
	"github.com/cam2drive/cam2drive/internal/clip"
	"github.com/cam2drive/cam2drive/internal/detect"
	"github.com/cam2drive/cam2drive/internal/pretrained"
	"github.com/cam2drive/cam2drive/internal/vlm"
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

// openHOLO4Models gives the analysis worker the HOLO4 rules' pose and face
// models. Each is optional: without it the worker runs the algorithms that
// do not need it, and the reason is logged here, once.
func (a *app) openHOLO4Models(w *analysis.Worker) {
	cfg := a.detectConfig()
	if p, err := detect.OpenPose(cfg); err != nil {
		a.log.Warn("HOLO4 pose model unavailable: the algorithms that need body keypoints stay off", "err", err)
	} else {
		a.poses, w.Poses = p, p
	}
	if f, err := detect.OpenFaces(cfg); err != nil {
		a.log.Warn("HOLO4 face models unavailable: the algorithms that need faces and expressions stay off", "err", err)
	} else {
		a.faces, w.Faces = f, f
	}
}

func (a *app) closeHOLO4Models() {
	if a.poses != nil {
		a.poses.Close()
	}
	if a.faces != nil {
		a.faces.Close()
	}
}

// openEngines opens the optional open-vocabulary engines an operator set
// up (docs/ai/open-vocabulary.md): CLIP embeddings from their ONNX files
// and a vision-language model behind an OpenAI-compatible API. A CLIP
// model that does not load is logged and left off; a VLM that does not
// answer its model list is logged (the service may come up later), but a
// VLM setting that cannot work is an error at start.
func (a *app) openEngines(ctx context.Context) error {
	for _, w := range a.cfg.Warnings() {
		a.log.Warn(w)
	}
	if a.cfg.CLIPEnabled() {
		m, err := clip.Open(clip.Config{ImageModel: a.cfg.CLIPImageModel, TextModel: a.cfg.CLIPTextModel, Vocab: a.cfg.CLIPVocab,
			Library: a.cfg.ORTLibraryPath(), Threads: a.cfg.AIThreads})
		if err != nil {
			a.log.Warn("CLIP unavailable: open-vocabulary search stays off", "err", err)
		} else {
			a.clip = m
			a.log.Info("CLIP ready", "dim", m.Dim(), "image_size", m.ImageSize())
		}
	}
	if !a.cfg.VLMEnabled() {
		return nil
	}
	c, err := vlm.New(vlm.Config{BaseURL: a.cfg.VLMURL, Model: a.cfg.VLMModel, APIKey: a.cfg.VLMKey, Timeout: a.cfg.VLMTimeout, Logger: a.log})
	if err != nil {
		return err
	}
	a.vlm = c
	go func() { // the service may be slow to answer: the start does not wait
		check, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := c.Check(check); err != nil {
			a.log.Warn("vision-language model not ready", "url", a.cfg.VLMURL, "model", a.cfg.VLMModel, "err", err)
		} else {
			a.log.Info("vision-language model ready", "url", a.cfg.VLMURL, "model", a.cfg.VLMModel)
		}
	}()
	return nil
}
