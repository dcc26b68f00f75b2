package clip

import (
	"context"
	"fmt"
	"slices"
	"strings"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// DefaultImageSize is the input side of CLIP ViT-B models, used when the
// image encoder's input does not fix it.
const DefaultImageSize = 224

// encoder is a pool of sessions of one ONNX file.
type encoder struct {
	pool chan *session
	all  []*session
}

// session runs one input at a time: its input tensors are filled, then Run
// allocates the output.
type session struct {
	s      *ort.DynamicAdvancedSession
	inputs []ort.Value
}

// load reads the encoders' signatures, then opens the sessions.
func (m *Model) load() error {
	imgIn, imgOut, err := signature(m.cfg.ImageModel, "image")
	if err != nil {
		return err
	}
	txtIn, txtOut, err := signature(m.cfg.TextModel, "text")
	if err != nil {
		return err
	}
	img, err := imageInput(imgIn)
	if err != nil {
		return fmt.Errorf("CLIP image encoder %s: %w", m.cfg.ImageModel, err)
	}
	ids, mask, err := textInputs(txtIn)
	if err != nil {
		return fmt.Errorf("CLIP text encoder %s: %w", m.cfg.TextModel, err)
	}
	m.size = DefaultImageSize
	if d := img.Dimensions; d[2] > 0 {
		m.size = int(d[2])
	}
	m.ctxLen = ContextLength
	if d := ids.Dimensions; len(d) == 2 && d[1] > 0 {
		m.ctxLen = int(d[1])
	}
	if m.ctxLen < 2 {
		return fmt.Errorf("CLIP text encoder %s: context of %d tokens, want at least start and end", m.cfg.TextModel, m.ctxLen)
	}
	m.mask = mask != nil
	size := int64(m.size)
	m.image, err = m.newEncoder(m.cfg.ImageModel, []ort.InputOutputInfo{img}, imgOut, func() ([]ort.Value, error) {
		t, err := ort.NewEmptyTensor[float32](ort.NewShape(1, 3, size, size))
		return []ort.Value{t}, err
	})
	if err != nil {
		return fmt.Errorf("CLIP image encoder %s: %w", m.cfg.ImageModel, err)
	}
	textIns := []ort.InputOutputInfo{ids}
	if mask != nil {
		textIns = append(textIns, *mask)
	}
	shape := ort.NewShape(1, int64(m.ctxLen))
	m.text, err = m.newEncoder(m.cfg.TextModel, textIns, txtOut, func() ([]ort.Value, error) {
		var vs []ort.Value
		for _, in := range textIns {
			v, err := intTensor(in.DataType, shape)
			if err != nil {
				destroyAll(vs)
				return nil, err
			}
			vs = append(vs, v)
		}
		return vs, nil
	})
	if err != nil {
		return fmt.Errorf("CLIP text encoder %s: %w", m.cfg.TextModel, err)
	}
	return nil
}

// signature reads a model's inputs and picks the output that holds the
// embedding: one named like an embedding, else the first.
func signature(path, kind string) ([]ort.InputOutputInfo, ort.InputOutputInfo, error) {
	ins, outs, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return nil, ort.InputOutputInfo{}, fmt.Errorf("CLIP %s encoder %s: %w", kind, path, err)
	}
	if len(outs) == 0 {
		return nil, ort.InputOutputInfo{}, fmt.Errorf("CLIP %s encoder %s has no output", kind, path)
	}
	out := outs[0]
	for _, name := range []string{kind + "_embeds", kind + "_features", kind + "_embeddings", "embeddings", "embedding"} {
		if i := slices.IndexFunc(outs, func(o ort.InputOutputInfo) bool { return o.Name == name }); i >= 0 {
			out = outs[i]
			break
		}
	}
	if out.DataType != ort.TensorElementDataTypeFloat {
		return nil, out, fmt.Errorf("CLIP %s encoder %s: output %q is %v, want float32 (export in float32, not float16)", kind, path, out.Name, out.DataType)
	}
	return ins, out, nil
}

// imageInput is the one float32 input of shape batch×3×S×S.
func imageInput(ins []ort.InputOutputInfo) (ort.InputOutputInfo, error) {
	if len(ins) != 1 {
		return ort.InputOutputInfo{}, fmt.Errorf("it takes %d inputs (%s), want one picture", len(ins), names(ins))
	}
	in := ins[0]
	d := in.Dimensions
	if in.DataType != ort.TensorElementDataTypeFloat || len(d) != 4 || (d[0] > 1) || (d[1] > 0 && d[1] != 3) || d[2] != d[3] {
		return in, fmt.Errorf("input %q is %v of shape %v, want float32 N×3×S×S (NCHW, square)", in.Name, in.DataType, d)
	}
	return in, nil
}

// textInputs finds the token ids and the optional attention mask.
func textInputs(ins []ort.InputOutputInfo) (ids ort.InputOutputInfo, mask *ort.InputOutputInfo, err error) {
	found := false
	for i, in := range ins {
		isInt := in.DataType == ort.TensorElementDataTypeInt64 || in.DataType == ort.TensorElementDataTypeInt32
		if !isInt || len(in.Dimensions) != 2 || in.Dimensions[0] > 1 {
			return ids, nil, fmt.Errorf("input %q is %v of shape %v, want int64 or int32 N×77", in.Name, in.DataType, in.Dimensions)
		}
		switch {
		case strings.Contains(in.Name, "mask"):
			mask = &ins[i]
		case !found:
			ids, found = in, true
		default:
			return ids, nil, fmt.Errorf("it takes inputs %s; want token ids and optionally attention_mask", names(ins))
		}
	}
	if !found {
		return ids, nil, fmt.Errorf("it takes inputs %s; want token ids", names(ins))
	}
	return ids, mask, nil
}

func names(ins []ort.InputOutputInfo) string {
	var n []string
	for _, in := range ins {
		n = append(n, in.Name)
	}
	return strings.Join(n, ", ")
}

func intTensor(t ort.TensorElementDataType, shape ort.Shape) (ort.Value, error) {
	if t == ort.TensorElementDataTypeInt32 {
		return ort.NewEmptyTensor[int32](shape)
	}
	return ort.NewEmptyTensor[int64](shape)
}

func destroyAll(vs []ort.Value) {
	for _, v := range vs {
		if v != nil {
			v.Destroy()
		}
	}
}

func (m *Model) newEncoder(path string, ins []ort.InputOutputInfo, out ort.InputOutputInfo, newInputs func() ([]ort.Value, error)) (*encoder, error) {
	e := &encoder{pool: make(chan *session, m.cfg.Sessions)}
	inNames := make([]string, len(ins))
	for i, in := range ins {
		inNames[i] = in.Name
	}
	for range m.cfg.Sessions {
		s := &session{}
		var err error
		if s.inputs, err = newInputs(); err != nil {
			e.close()
			return nil, err
		}
		if s.s, err = newSession(path, inNames, out.Name, m.cfg.Threads); err != nil {
			destroyAll(s.inputs)
			e.close()
			return nil, err
		}
		e.all = append(e.all, s)
		e.pool <- s
	}
	return e, nil
}

func newSession(path string, ins []string, out string, threads int) (*ort.DynamicAdvancedSession, error) {
	opts, err := detect.SessionOptions(threads)
	if err != nil {
		return nil, err
	}
	defer opts.Destroy()
	return ort.NewDynamicAdvancedSession(path, ins, []string{out}, opts)
}

func (e *encoder) get(ctx context.Context, closed <-chan struct{}) (*session, error) {
	select {
	case <-closed:
		return nil, ErrClosed
	default:
	}
	select {
	case s := <-e.pool:
		return s, nil
	case <-closed:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (e *encoder) put(s *session) { e.pool <- s }

// close waits for the sessions in use, then frees them all.
func (e *encoder) close() {
	for range e.all {
		s := <-e.pool
		s.s.Destroy()
		destroyAll(s.inputs)
	}
}

// run runs the model on the filled inputs and returns its output,
// normalised.
func (s *session) run(what string) ([]float32, error) {
	outs := []ort.Value{nil}
	if err := s.s.Run(s.inputs, outs); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer destroyAll(outs)
	t, ok := outs[0].(*ort.Tensor[float32])
	if !ok {
		return nil, fmt.Errorf("%s: output is %T, want a float32 tensor", what, outs[0])
	}
	shape := t.GetShape()
	if len(shape) == 0 || shape.FlattenedSize() != shape[len(shape)-1] {
		return nil, fmt.Errorf("%s: output of shape %v, want one embedding (1×D); export the projected embedding, not the hidden states", what, shape)
	}
	v := slices.Clone(t.GetData())
	if len(v) == 0 {
		return nil, fmt.Errorf("%s: empty output", what)
	}
	if err := normalize(v); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}
