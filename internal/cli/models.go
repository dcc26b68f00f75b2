package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
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
	in := pretrained.Installer{Dir: cfg.ModelsDir, Registry: registry, Progress: stderr}
	fmt.Fprintf(stderr, "installing into %s\n", cfg.ModelsDir)
	if cfg.ORTLibrary == "" {
		if err := in.InstallLibrary(ctx, cat.Library); err != nil {
			return err
		}
	} else if _, err := os.Stat(cfg.ORTLibrary); err != nil {
		return fmt.Errorf("--onnxruntime-lib: %w", err)
	}
	if err := in.InstallModel(ctx, m); err != nil {
		return err
	}
	// Load and run the model once: an install that cannot detect is not done.
	d, err := detect.Open(detect.Config{ModelsDir: cfg.ModelsDir, Library: cfg.ORTLibrary, Model: m.Name, Threads: cfg.AIThreads})
	if err != nil {
		return fmt.Errorf("checking the installed model: %w", err)
	}
	defer d.Close()
	size := d.InputSize()
	t := time.Now()
	frame := detect.Frame{W: size, H: size, RGB: make([]byte, size*size*3)}
	if _, err := d.Detect(ctx, frame); err != nil {
		return fmt.Errorf("checking the installed model: %w", err)
	}
	fmt.Fprintf(stderr, "model %s: loads and runs (%d ms for one %d px frame)\n", m.Name, time.Since(t).Milliseconds(), size)
	fmt.Fprintf(stdout, "models ready in %s (%.1fs)\n", cfg.ModelsDir, time.Since(start).Seconds())
	return nil
}
