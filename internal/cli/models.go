package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cam2drive/cam2drive/internal/config"
	"github.com/cam2drive/cam2drive/internal/detect"
	"github.com/cam2drive/cam2drive/internal/pretrained"
)

// modelsCmd runs `cam2drive models install`.
func modelsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "install" {
		return fmt.Errorf("usage: cam2drive models install [--models-dir D] [--model NAME]")
	}
	var cfg config.Config
	fs := flag.NewFlagSet("models install", flag.ContinueOnError)
	config.BindAI(fs, &cfg)
	model := fs.String("model", "", "catalogue name of the detector to install (default: the catalogue's default)")
	registry := fs.String("npm-registry", os.Getenv("CAM2DRIVE_NPM_REGISTRY"), "npm registry to fetch packages from (default: https://registry.npmjs.org)")
	if err := parse(fs, args[1:], stderr); err != nil {
		return err
	}
	return installModels(ctx, cfg, *model, *registry, stdout, stderr)
}

func installModels(ctx context.Context, cfg config.Config, model, registry string, stdout, stderr io.Writer) error {
	start := time.Now()
	if err := os.MkdirAll(cfg.ModelsDir, 0o755); err != nil {
		return err
	}
	cat, err := pretrained.Load(cfg.ModelsDir)
	if err != nil {
		return err
	}
	m, ok := cat.Model(model)
	if !ok {
		return fmt.Errorf("model %q is not in the catalogue", model)
	}
	in := pretrained.Installer{Dir: cfg.ModelsDir, Registry: registry, Progress: stderr, Downloads: &pretrained.Downloads{}}
	defer in.Downloads.Remove()
	fmt.Fprintf(stderr, "installing into %s\n", cfg.ModelsDir)
	if cfg.ORTLibrary == "" {
		if err := in.InstallLibrary(ctx, cat.Library); err != nil {
			return err
		}
	} else if _, err := os.Stat(cfg.ORTLibrary); err != nil {
		return fmt.Errorf("--onnxruntime-lib: %w", err)
	}
	// The named model, or the default detector, is required: without it
	// there is no AI. The others (the HOLO4 rules' pose, face and expression
	// models) are installed too, but one that fails only turns its rules off.
	if err := in.InstallModel(ctx, m); err != nil {
		return err
	}
	if err := checkModel(ctx, cfg, m, stderr); err != nil {
		return fmt.Errorf("checking the installed model: %w", err)
	}
	var failed []string
	fail := func(o pretrained.Model, err error) {
		fmt.Fprintf(stderr, "model %s (%s): NOT INSTALLED: %v\n", o.Name, o.Task, err)
		failed = append(failed, o.Name)
	}
	var others []pretrained.Model
	for _, o := range cat.Models {
		if model != "" || o.Name == m.Name {
			continue
		}
		if err := in.InstallModel(ctx, o); err != nil {
			fail(o, err)
			continue
		}
		others = append(others, o)
	}
	// Checked once all are there: the face reader needs the expression model.
	for _, o := range others {
		if err := checkModel(ctx, cfg, o, stderr); err != nil {
			fail(o, err)
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(stderr, "warning: %s not installed; the detector is ready, the HOLO4 rules that need them stay off\n", strings.Join(failed, ", "))
	}
	fmt.Fprintf(stdout, "models ready in %s (%.1fs)\n", cfg.ModelsDir, time.Since(start).Seconds())
	return nil
}

// checkModel loads m and runs it once on a blank frame: an install that
// cannot run is not done.
func checkModel(ctx context.Context, cfg config.Config, m pretrained.Model, stderr io.Writer) error {
	dc := detect.Config{ModelsDir: cfg.ModelsDir, Library: cfg.ORTLibrary, Model: m.Name, Threads: cfg.AIThreads}
	size := m.Input.Size
	frame := detect.Frame{W: size, H: size, RGB: make([]byte, size*size*3)}
	t := time.Now()
	var err error
	switch m.Task {
	case "detect":
		var d detect.Detector
		if d, err = detect.Open(dc); err == nil {
			_, err = d.Detect(ctx, frame)
			d.Close()
		}
	case "pose":
		var p detect.PoseEstimator
		if p, err = detect.OpenPose(dc); err == nil {
			_, err = p.Poses(ctx, frame, []detect.Object{{Class: "person", Box: [4]float32{0.25, 0, 0.5, 1}}})
			p.Close()
		}
	case "face":
		var r detect.FaceReader
		if r, err = detect.OpenFaces(dc); err == nil {
			_, err = r.Faces(ctx, frame)
			r.Close()
		}
	default:
		// Expression models run with the face detector (checked as "face").
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "model %s: loads and runs (%d ms for one %d px frame)\n", m.Name, time.Since(t).Milliseconds(), size)
	return nil
}
