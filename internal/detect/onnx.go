package detect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
	stride, err := inputStride(path, m)
	if err != nil {
		return nil, fmt.Errorf("model %s (%s): %w", m.Name, path, err)
	}
	d := &onnxDetector{cfg: cfg, model: m, stride: stride, labels: m.ClassLabels(), pool: newPool[*detSession](cfg.Sessions)}
	for range cfg.Sessions {
		s, err := newDetSession(path, m, cfg.Threads)
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
	opts, err := SessionOptions(threads)
	if err != nil {
		s.destroy()
		return nil, err
	}
	defer opts.Destroy()
	if s.s, err = ort.NewAdvancedSession(path, []string{m.Input.Name}, m.Outputs, []ort.Value{s.in}, outs, opts); err != nil {
		s.destroy()
		return nil, err
	}
	return s, nil
}

// SessionOptions are the options of every model session of this process
// (the caller destroys them): one input per session, threads only inside
// operators, and idle threads that do not spin.
func SessionOptions(threads int) (*ort.SessionOptions, error) {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, err
	}
	// One frame per session: threads only inside operators, none between.
	err = errors.Join(opts.SetIntraOpNumThreads(threads), opts.SetInterOpNumThreads(1))
	if threads > 1 {
		// Idle pool threads would otherwise spin between frames, taking CPU
		// from the other workers of this shared process.
		err = errors.Join(err, opts.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"))
	}
	if err != nil {
		opts.Destroy()
		return nil, err
	}
	return opts, nil
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
	stride int // of the input's height and width; 0: a Size×Size square
	labels []string
	pool   *pool[*detSession]
}

// InputSize is the longer side of the model input: a frame sampled at this
// size is letterboxed without resizing.
func (d *onnxDetector) InputSize() int { return d.model.Input.Size }

// Detect letterboxes f into the model input, runs the model and decodes
// its output into objects on f, best first.
func (d *onnxDetector) Detect(ctx context.Context, f Frame) ([]Object, error) {
	if err := checkFrame(f); err != nil {
		return nil, err
	}
	s, err := d.pool.get(ctx)
	if err != nil {
		return nil, err
	}
	defer d.pool.put(s)
	lb := fitLetterbox(f.W, f.H, d.model.Input.Size, d.stride)
	t, err := s.tensors(lb.InW, lb.InH, d.model.Input)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", d.model.Name, err)
	}
	lb.fill(f, t.in.GetData(), d.model.Input.Layout == "NCHW", d.model.Input.Scale)
	if err := s.run(t); err != nil {
		return nil, fmt.Errorf("model %s at %d×%d: %w", d.model.Name, lb.InW, lb.InH, err)
	}
	cands, err := d.decode(t.outs, lb)
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

func (d *onnxDetector) decode(outs []*ort.Tensor[float32], lb letterbox) ([]candidate, error) {
	// Decoders see more candidates than are returned: NMS removes some.
	topK := 4 * d.cfg.MaxObjects
	switch d.model.Decoder {
	case "centernet":
		heat := outs[0].GetShape()
		if len(heat) != 4 || len(outs) < 2 {
			return nil, fmt.Errorf("centernet: heat-map of shape %v, want 1×H×W×classes and a wh output", heat)
		}
		gh, gw, classes := int(heat[1]), int(heat[2]), int(heat[3])
		if gw <= 0 || gh <= 0 || lb.InW%gw != 0 || lb.InW/gw*gh != lb.InH {
			return nil, fmt.Errorf("centernet: heat-map %d×%d for a %d×%d input, want one cell per stride", gw, gh, lb.InW, lb.InH)
		}
		return decodeCenterNet(outs[0].GetData(), outs[1].GetData(), gh, gw, classes, lb.InW/gw, d.cfg.Threshold, topK, d.model.Logits)
	case "yolov8":
		shape := outs[0].GetShape()
		if len(shape) != 3 {
			return nil, fmt.Errorf("yolov8: output of shape %v, want 1×(4+classes)×N", shape)
		}
		return decodeYOLOv8(outs[0].GetData(), int(shape[2]), int(shape[1])-4, d.cfg.Threshold, topK)
	}
	return nil, fmt.Errorf("model %s: unknown decoder %q", d.model.Name, d.model.Decoder)
}

// Close waits for running frames and frees the sessions.
func (d *onnxDetector) Close() error {
	d.pool.close((*detSession).destroy)
	return nil
}

// inputStride is what the detector's input height and width must be
// multiples of: the catalogue's Stride when the file's height and width are
// symbolic, else 0 (the model reads a Size×Size square; a file converted
// before the catalogue named a stride is read as one until reinstalled).
func inputStride(path string, m pretrained.Model) (int, error) {
	if m.Input.Stride <= 0 {
		return 0, nil
	}
	inInfo, _, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return 0, err
	}
	for _, in := range inInfo {
		if in.Name != m.Input.Name || len(in.Dimensions) != 4 {
			continue
		}
		h, w := in.Dimensions[1], in.Dimensions[2]
		if m.Input.Layout == "NCHW" {
			h, w = in.Dimensions[2], in.Dimensions[3]
		}
		if h > 0 && w > 0 {
			return 0, nil
		}
		return m.Input.Stride, nil
	}
	return 0, fmt.Errorf("the model has no 4-D input %q", m.Input.Name)
}

// maxSizes bounds the input sizes a detector session keeps tensors for:
// a worker's cameras give a few (16:9, 4:3, portrait).
const maxSizes = 4

// detSession is one ONNX Runtime session of a detector, which may read
// inputs of several sizes, with the tensors of the last sizes it read.
type detSession struct {
	s     *ort.DynamicAdvancedSession
	nOut  int
	sizes []*sized // most recently used first
}

// sized is a session's input and output tensors for one input size.
type sized struct {
	w, h int
	in   *ort.Tensor[float32]
	outs []*ort.Tensor[float32] // nil until the first run, which learns their shapes
	args [2][]ort.Value         // Run's inputs and outputs
}

func newDetSession(path string, m pretrained.Model, threads int) (*detSession, error) {
	inInfo, outInfo, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return nil, err
	}
	sz, ch := int64(m.Input.Size), int64(m.Input.Channels())
	want := ort.NewShape(1, sz, sz, ch)
	if m.Input.Layout == "NCHW" {
		want = ort.NewShape(1, ch, sz, sz)
	}
	if err := checkInput(inInfo, m.Input.Name, want); err != nil {
		return nil, err
	}
	for _, name := range m.Outputs {
		if !slices.ContainsFunc(outInfo, func(o ort.InputOutputInfo) bool { return o.Name == name }) {
			return nil, fmt.Errorf("output %q is not in the model", name)
		}
	}
	opts, err := SessionOptions(threads)
	if err != nil {
		return nil, err
	}
	defer opts.Destroy()
	s, err := ort.NewDynamicAdvancedSession(path, []string{m.Input.Name}, m.Outputs, opts)
	if err != nil {
		return nil, err
	}
	return &detSession{s: s, nOut: len(m.Outputs)}, nil
}

// tensors are the session's tensors for a w×h input, made when new (the
// least recently used size goes when there are too many).
func (s *detSession) tensors(w, h int, in pretrained.Input) (*sized, error) {
	for i, t := range s.sizes {
		if t.w == w && t.h == h {
			copy(s.sizes[1:i+1], s.sizes[:i])
			s.sizes[0] = t
			return t, nil
		}
	}
	shape := ort.NewShape(1, int64(h), int64(w), int64(in.Channels()))
	if in.Layout == "NCHW" {
		shape = ort.NewShape(1, int64(in.Channels()), int64(h), int64(w))
	}
	it, err := ort.NewEmptyTensor[float32](shape)
	if err != nil {
		return nil, err
	}
	t := &sized{w: w, h: h, in: it}
	if len(s.sizes) == maxSizes {
		s.sizes[maxSizes-1].destroy()
		s.sizes = s.sizes[:maxSizes-1]
	}
	s.sizes = append([]*sized{t}, s.sizes...)
	return t, nil
}

// run runs the model on t.in into t.outs. The first run at a size lets ONNX
// Runtime allocate the outputs, whose shapes follow the input's; later runs
// write into them.
func (s *detSession) run(t *sized) error {
	if t.outs != nil {
		return s.s.Run(t.args[0], t.args[1])
	}
	ins, outs := []ort.Value{t.in}, make([]ort.Value, s.nOut)
	if err := s.s.Run(ins, outs); err != nil {
		for _, o := range outs {
			if o != nil {
				o.Destroy()
			}
		}
		return err
	}
	var ts []*ort.Tensor[float32]
	for _, o := range outs {
		if ft, ok := o.(*ort.Tensor[float32]); ok {
			ts = append(ts, ft)
		}
	}
	if len(ts) != len(outs) {
		for _, o := range outs {
			o.Destroy()
		}
		return errors.New("the model's outputs are not all float32 tensors")
	}
	t.outs, t.args = ts, [2][]ort.Value{ins, outs}
	return nil
}

func (t *sized) destroy() {
	t.in.Destroy()
	for _, o := range t.outs {
		o.Destroy()
	}
}

func (s *detSession) destroy() {
	for _, t := range s.sizes {
		t.destroy()
	}
	s.s.Destroy()
}
