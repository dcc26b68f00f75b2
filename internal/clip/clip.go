// Package clip embeds pictures and texts in one vector space with a
// CLIP-style model (two ONNX files an operator exports and installs: an
// image encoder and a text encoder), so that a text can find the frames
// that look like it. It is an optional, open-vocabulary engine: off unless
// configured.
package clip

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// Config names the model files and how much of the machine they may use.
type Config struct {
	ImageModel string // ONNX image encoder: float pixels 1×3×S×S in, embedding out
	TextModel  string // ONNX text encoder: token ids 1×77 (+ attention mask) in, embedding out
	Vocab      string // BPE merges file; "" = CLIP's own, built in
	Library    string // libonnxruntime.so
	Threads    int    // intra-op threads per session; 0 = 1
	Sessions   int    // images (and texts) embedded at once; 0 = 1
	// Mean and Std normalise RGB in 0..1; zero = CLIP's (SigLIP models
	// want 0.5 and 0.5).
	Mean, Std [3]float32
}

// Enabled tells whether CLIP is configured at all.
func (c Config) Enabled() bool { return c.ImageModel != "" || c.TextModel != "" }

// Hint is what an operator does to get CLIP running.
const Hint = "export a CLIP model's image and text encoders to ONNX and set --clip-image-model and --clip-text-model (docs/ai/open-vocabulary.md)"

// ErrClosed is returned after Close.
var ErrClosed = errors.New("CLIP model closed")

// Model embeds images and texts. It is safe for concurrent use.
type Model struct {
	cfg    Config
	tok    *Tokenizer
	image  *encoder
	text   *encoder
	size   int // side of the image input
	ctxLen int // tokens of the text input
	dim    int
	mask   bool // the text encoder takes an attention mask
	closed chan struct{}
	once   sync.Once
}

// Open checks and loads both encoders and the tokenizer, then embeds one
// grey picture and one empty text to check that the two encoders agree on
// the embedding size. Missing files or library give an error wrapping
// detect.ErrUnavailable that says what is missing.
func Open(cfg Config) (*Model, error) {
	if cfg.Threads <= 0 {
		cfg.Threads = 1
	}
	if cfg.Sessions <= 0 {
		cfg.Sessions = 1
	}
	if cfg.Std == ([3]float32{}) {
		cfg.Mean, cfg.Std = CLIPMean, CLIPStd
	}
	if err := checkFiles(cfg); err != nil {
		return nil, err
	}
	tok, err := LoadTokenizer(cfg.Vocab)
	if err != nil {
		return nil, fmt.Errorf("CLIP vocabulary: %w", err)
	}
	if err := detect.InitRuntime(cfg.Library); err != nil {
		return nil, fmt.Errorf("%w: loading %s: %v", detect.ErrUnavailable, cfg.Library, err)
	}
	m := &Model{cfg: cfg, tok: tok, closed: make(chan struct{})}
	if err := m.load(); err != nil {
		m.Close()
		return nil, err
	}
	img, err := m.EmbedImage(context.Background(), grey(m.size))
	if err != nil {
		m.Close()
		return nil, err
	}
	txt, err := m.EmbedText(context.Background(), "")
	if err != nil {
		m.Close()
		return nil, err
	}
	if len(img) != len(txt) {
		m.Close()
		return nil, fmt.Errorf("the image encoder gives %d values, the text encoder %d: the two ONNX files are not from the same CLIP model", len(img), len(txt))
	}
	m.dim = len(img)
	return m, nil
}

func checkFiles(cfg Config) error {
	files := []struct{ what, path, flag string }{
		{"the ONNX Runtime library", cfg.Library, "--onnxruntime-lib"},
		{"the CLIP image encoder", cfg.ImageModel, "--clip-image-model"},
		{"the CLIP text encoder", cfg.TextModel, "--clip-text-model"},
	}
	if cfg.Vocab != "" {
		files = append(files, struct{ what, path, flag string }{"the CLIP vocabulary", cfg.Vocab, "--clip-vocab"})
	}
	for _, f := range files {
		if f.path == "" {
			return fmt.Errorf("%w: %s is not configured (%s); %s", detect.ErrUnavailable, f.what, f.flag, Hint)
		}
		if _, err := os.Stat(f.path); err != nil {
			return fmt.Errorf("%w: %s is missing (%s); %s", detect.ErrUnavailable, f.what, f.path, Hint)
		}
	}
	return nil
}

func grey(size int) detect.Frame {
	f := detect.Frame{W: size, H: size, RGB: make([]byte, size*size*3)}
	for i := range f.RGB {
		f.RGB[i] = 128
	}
	return f
}

// Dim is the number of values of an embedding.
func (m *Model) Dim() int { return m.dim }

// ImageSize is the side, in pixels, of the square the image encoder sees.
func (m *Model) ImageSize() int { return m.size }

// Tokenizer is the model's tokenizer.
func (m *Model) Tokenizer() *Tokenizer { return m.tok }

// EmbedImage returns the L2-normalised embedding of f, resized and
// centre-cropped as CLIP was trained.
func (m *Model) EmbedImage(ctx context.Context, f detect.Frame) ([]float32, error) {
	s, err := m.image.get(ctx, m.closed)
	if err != nil {
		return nil, err
	}
	defer m.image.put(s)
	if err := preprocess(f, m.size, m.cfg.Mean, m.cfg.Std, s.inputs[0].(*ort.Tensor[float32]).GetData()); err != nil {
		return nil, err
	}
	return s.run("CLIP image encoder")
}

// EmbedText returns the L2-normalised embedding of text (cut to the
// model's context length).
func (m *Model) EmbedText(ctx context.Context, text string) ([]float32, error) {
	ids := m.tok.Tokens(text, m.ctxLen)
	s, err := m.text.get(ctx, m.closed)
	if err != nil {
		return nil, err
	}
	defer m.text.put(s)
	switch in := s.inputs[0].(type) {
	case *ort.Tensor[int64]:
		copy(in.GetData(), ids)
	case *ort.Tensor[int32]:
		d := in.GetData()
		for i, id := range ids {
			d[i] = int32(id)
		}
	}
	if m.mask {
		setMask(s.inputs[1], ids, int64(m.tok.EndToken()))
	}
	return s.run("CLIP text encoder")
}

// setMask marks the start token, the text and the end token as real, the
// padding after the end token as not. (Padding is id 0, but so is "!"
// inside a word: the end token says where the text ends.)
func setMask(v ort.Value, ids []int64, eot int64) {
	n := len(ids)
	for i, id := range ids {
		if id == eot {
			n = i + 1
			break
		}
	}
	switch t := v.(type) {
	case *ort.Tensor[int64]:
		d := t.GetData()
		for i := range d {
			d[i] = int64(b2i(i < n))
		}
	case *ort.Tensor[int32]:
		d := t.GetData()
		for i := range d {
			d[i] = int32(b2i(i < n))
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Similarity is the cosine similarity of two embeddings of one model
// (their dot product, as they are normalised): higher is closer. Vectors
// of different lengths are not comparable: 0.
func Similarity(a, b []float32) float32 {
	if len(a) != len(b) {
		return 0
	}
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// normalize scales v to length 1 in place.
func normalize(v []float32) error {
	var ss float64
	for _, x := range v {
		ss += float64(x) * float64(x)
	}
	if ss == 0 || math.IsNaN(ss) || math.IsInf(ss, 0) {
		return fmt.Errorf("the embedding has length %v and cannot be normalised", math.Sqrt(ss))
	}
	inv := float32(1 / math.Sqrt(ss))
	for i := range v {
		v[i] *= inv
	}
	return nil
}

// Close waits for running embeddings and frees the sessions.
func (m *Model) Close() error {
	m.once.Do(func() {
		close(m.closed)
		for _, e := range []*encoder{m.image, m.text} {
			if e != nil {
				e.close()
			}
		}
	})
	return nil
}
