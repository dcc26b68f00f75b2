package detect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/cam2drive/cam2drive/internal/pretrained"
)

// Config says which model to run and how much of the machine it may use.
type Config struct {
	ModelsDir  string  // where `cam2drive models install` put the library and models
	Library    string  // libonnxruntime.so; "" = the one in ModelsDir
	Model      string  // catalogue name; "" = the catalogue's default detector (OpenPose, OpenFaces: its model of that task)
	Threads    int     // intra-op threads per session; 0 = 1
	Sessions   int     // frames run at once (one session each); 0 = 1
	Threshold  float32 // minimum score; 0 = 0.3 (faces: 0.7)
	NMS        float32 // IoU above which a box of the same class is a duplicate; 0 = 0.5 (faces: 0.3)
	MaxObjects int     // per frame (objects, poses, faces); 0 = 100
}

// InstallHint is the command that fills a models dir.
func InstallHint(modelsDir string) string {
	return fmt.Sprintf("run `make models` or `cam2drive models install --models-dir %s`", modelsDir)
}

// ortEnv guards ONNX Runtime's environment, which the C library keeps once
// per process: the first Open loads the library, later ones must name the
// same file.
var ortEnv struct {
	sync.Mutex
	lib string
}

// InitRuntime loads ONNX Runtime from lib once per process, for the other
// packages that run models (internal/clip) to share one environment.
func InitRuntime(lib string) error { return initRuntime(lib) }

func initRuntime(lib string) error {
	if abs, err := filepath.Abs(lib); err == nil {
		lib = abs
	}
	if real, err := filepath.EvalSymlinks(lib); err == nil {
		lib = real
	}
	ortEnv.Lock()
	defer ortEnv.Unlock()
	if ort.IsInitialized() {
		if ortEnv.lib != lib {
			return fmt.Errorf("ONNX Runtime is already loaded from %s, cannot load %s too", ortEnv.lib, lib)
		}
		return nil
	}
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return err
	}
	ortEnv.lib = lib
	return nil
}

// Open loads the runtime and the model. When either is missing the error
// wraps ErrUnavailable and says what is missing and how to install it.
func Open(cfg Config) (Detector, error) {
	cfg = cfg.withDefaults()
	m, path, err := loadModel(cfg, "detect", cfg.Model)
	if err != nil {
		return nil, err
	}
	d := &onnxDetector{cfg: cfg, model: m, labels: m.ClassLabels(), pool: newPool[*session](cfg.Sessions)}
	for range cfg.Sessions {
		s, err := newSession(path, m, cfg.Threads)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("model %s (%s): %w", m.Name, path, err)
		}
		d.pool.add(s)
	}
	return d, nil
}

// loadModel finds the catalogue's model for task (name "" = the default
// detector, or the catalogue's model for another task), checks that it and
// the runtime library are installed, and loads the runtime.
func loadModel(cfg Config, task, name string) (pretrained.Model, string, error) {
	cat, err := pretrained.Load(cfg.ModelsDir)
	if err != nil {
		return pretrained.Model{}, "", err
	}
	var m pretrained.Model
	var ok bool
	if name == "" && task != "detect" {
		m, ok = cat.ForTask(task)
	} else {
		m, ok = cat.Model(name)
	}
	switch {
	case !ok && name == "" && task != "detect":
		return m, "", fmt.Errorf("%w: the model catalogue has no %s model", ErrUnavailable, task)
	case !ok:
		return m, "", fmt.Errorf("model %q is not in the model catalogue", name)
	case m.Task != task:
		return m, "", fmt.Errorf("model %s is a %s model, not a %s one", m.Name, m.Task, task)
	}
	lib := cfg.Library
	if lib == "" {
		lib = filepath.Join(cfg.ModelsDir, filepath.FromSlash(cat.Library.File))
	}
	path := filepath.Join(cfg.ModelsDir, filepath.FromSlash(m.File))
	for what, p := range map[string]string{"the ONNX Runtime library": lib, "model " + m.Name: path} {
		if _, err := os.Stat(p); err != nil {
			return m, "", fmt.Errorf("%w: %s is missing (%s); %s", ErrUnavailable, what, p, InstallHint(cfg.ModelsDir))
		}
	}
	if err := initRuntime(lib); err != nil {
		return m, "", fmt.Errorf("%w: loading %s: %v; %s", ErrUnavailable, lib, err, InstallHint(cfg.ModelsDir))
	}
	return m, path, nil
}

func (c Config) withDefaults() Config {
	if c.Threads <= 0 {
		c.Threads = 1
	}
	if c.Sessions <= 0 {
		c.Sessions = 1
	}
	if c.Threshold <= 0 {
		c.Threshold = 0.3
	}
	if c.NMS <= 0 {
		c.NMS = 0.5
	}
	if c.MaxObjects <= 0 {
		c.MaxObjects = 100
	}
	return c
}

// session is one ONNX Runtime session with its input and output tensors;
// one frame at a time.
type session struct {
	s    *ort.AdvancedSession
	in   *ort.Tensor[float32]
	outs []*ort.Tensor[float32]
}

func newSession(path string, m pretrained.Model, threads int) (*session, error) {
	inInfo, outInfo, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return nil, err
	}
	sz, ch := int64(m.Input.Size), int64(m.Input.Channels())
	inShape := ort.NewShape(1, sz, sz, ch)
	if m.Input.Layout == "NCHW" {
		inShape = ort.NewShape(1, ch, sz, sz)
	}
	if err := checkInput(inInfo, m.Input.Name, inShape); err != nil {
		return nil, err
	}
	shapes := map[string]ort.Shape{}
	for _, o := range outInfo {
		shapes[o.Name] = o.Dimensions
	}
	s := &session{}
	if s.in, err = ort.NewEmptyTensor[float32](inShape); err != nil {
		return nil, err
	}
	outs := make([]ort.Value, len(m.Outputs))
	for i, name := range m.Outputs {
		shape, ok := shapes[name]
		if ok && len(shape) > 0 && shape[0] < 0 {
			shape = append(ort.Shape{1}, shape[1:]...) // one frame a run
		}
		if !ok || shape.Validate() != nil {
			s.destroy()
			return nil, fmt.Errorf("output %q is not in the model or has no fixed shape (%v)", name, shape)
		}
		t, err := ort.NewEmptyTensor[float32](shape)
		if err != nil {
			s.destroy()
			return nil, err
		}
		s.outs = append(s.outs, t)
		outs[i] = t
	}
	opts, err := ort.NewSessionOptions()
	if err != nil {
		s.destroy()
		return nil, err
	}
	defer opts.Destroy()
	// One frame per session: threads only inside operators, none between.
	err = errors.Join(opts.SetIntraOpNumThreads(threads), opts.SetInterOpNumThreads(1))
	if threads > 1 {
		// Idle pool threads would otherwise spin between frames, taking CPU
		// from the other workers of this shared process.
		err = errors.Join(err, opts.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"))
	}
	if err != nil {
		s.destroy()
		return nil, err
	}
	if s.s, err = ort.NewAdvancedSession(path, []string{m.Input.Name}, m.Outputs, []ort.Value{s.in}, outs, opts); err != nil {
		s.destroy()
		return nil, err
	}
	return s, nil
}

// checkInput tells an operator whose catalogue entry does not fit the
// model file what the file expects.
func checkInput(info []ort.InputOutputInfo, name string, want ort.Shape) error {
	var names []string
	for _, in := range info {
		if in.Name != name {
			names = append(names, in.Name)
			continue
		}
		got := in.Dimensions
		if len(got) != len(want) {
			return fmt.Errorf("input %q has shape %v, the catalogue says %v", name, got, want)
		}
		for i := range got {
			if got[i] > 0 && got[i] != want[i] {
				return fmt.Errorf("input %q has shape %v, the catalogue says %v", name, got, want)
			}
		}
		return nil
	}
	return fmt.Errorf("the model has no input %q (it has %v)", name, names)
}

func (s *session) destroy() {
	if s.s != nil {
		s.s.Destroy()
	}
	if s.in != nil {
		s.in.Destroy()
	}
	for _, t := range s.outs {
		t.Destroy()
	}
}

type onnxDetector struct {
	cfg    Config
	model  pretrained.Model
	labels []string
	pool   *pool[*session]
}

func (d *onnxDetector) InputSize() int { return d.model.Input.Size }

// Detect letterboxes f into the model input, runs the model and decodes
// its output into objects on f, best first.
func (d *onnxDetector) Detect(ctx context.Context, f Frame) ([]Object, error) {
	if f.W <= 0 || f.H <= 0 || len(f.RGB) != f.W*f.H*3 {
		return nil, fmt.Errorf("frame %d×%d with %d bytes is not packed RGB", f.W, f.H, len(f.RGB))
	}
	s, err := d.pool.get(ctx)
	if err != nil {
		return nil, err
	}
	defer d.pool.put(s)
	lb := newLetterbox(f.W, f.H, d.model.Input.Size)
	lb.fill(f, s.in.GetData(), d.model.Input.Layout == "NCHW", d.model.Input.Scale)
	if err := s.s.Run(); err != nil {
		return nil, fmt.Errorf("model %s: %w", d.model.Name, err)
	}
	cands, err := d.decode(s)
	if err != nil {
		return nil, err
	}
	objs := make([]Object, 0, len(cands))
	for _, c := range cands {
		box := lb.toFrame(c.x1, c.y1, c.x2, c.y2)
		if box[2] <= 0 || box[3] <= 0 || c.class >= len(d.labels) {
			continue
		}
		objs = append(objs, Object{Class: d.labels[c.class], Score: c.score, Box: box})
	}
	objs = nms(objs, d.cfg.NMS)
	if len(objs) > d.cfg.MaxObjects {
		objs = objs[:d.cfg.MaxObjects]
	}
	return objs, nil
}

func (d *onnxDetector) decode(s *session) ([]candidate, error) {
	// Decoders see more candidates than are returned: NMS removes some.
	topK := 4 * d.cfg.MaxObjects
	switch d.model.Decoder {
	case "centernet":
		heat := s.outs[0].GetShape()
		if len(heat) != 4 || len(s.outs) < 2 {
			return nil, fmt.Errorf("centernet: heat-map of shape %v, want 1×H×W×classes and a wh output", heat)
		}
		gh, gw, classes := int(heat[1]), int(heat[2]), int(heat[3])
		return decodeCenterNet(s.outs[0].GetData(), s.outs[1].GetData(), gh, gw, classes, d.model.Input.Size/gw, d.cfg.Threshold, topK, d.model.Logits)
	case "yolov8":
		shape := s.outs[0].GetShape()
		if len(shape) != 3 {
			return nil, fmt.Errorf("yolov8: output of shape %v, want 1×(4+classes)×N", shape)
		}
		return decodeYOLOv8(s.outs[0].GetData(), int(shape[2]), int(shape[1])-4, d.cfg.Threshold, topK)
	}
	return nil, fmt.Errorf("model %s: unknown decoder %q", d.model.Name, d.model.Decoder)
}

// Close waits for running frames and frees the sessions.
func (d *onnxDetector) Close() error {
	d.pool.close((*session).destroy)
	return nil
}
