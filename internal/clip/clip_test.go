package clip

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// need skips a test whose tools are missing, except in CI, where a missing
// tool is a failure (scripts/install-deps.sh and `make models` install them).
func need(t testing.TB, err error, how string) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%v (%s)", err, how)
	}
	t.Skipf("%v (%s)", err, how)
}

// ortLibrary is the ONNX Runtime library `make models` installed.
func ortLibrary(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("CAM2DRIVE_MODELS_DIR")
	if dir == "" {
		need(t, errors.New("CAM2DRIVE_MODELS_DIR is not set"), "run `make models` and test through make")
	}
	lib := filepath.Join(dir, "lib", "libonnxruntime.so")
	_, err := os.Stat(lib)
	need(t, err, "run `make models`")
	return lib
}

// python is Debian's python3 with python3-onnx, as internal/pretrained uses.
func python(t testing.TB) string {
	t.Helper()
	py := "python3"
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		py = "/usr/bin/python3"
	}
	out, err := exec.Command(py, "-c", "import onnx, numpy").CombinedOutput()
	if err != nil {
		err = errors.New(strings.TrimSpace(string(out)))
	}
	need(t, err, "apt-get install python3-onnx python3-numpy")
	return py
}

// tiny describes a tiny CLIP-shaped model pair whose weights the test
// chooses (testdata/tiny_clip.py): the image encoder averages each channel
// of the normalised picture and multiplies by wImage; the text encoder
// averages the embedding rows of the tokens (those the attention mask
// keeps, or all 77 without a mask).
type tiny struct {
	size, dim, textDim int
	wImage             [3][]float32
	emb                [][]float32 // vocabulary × textDim
	int32, mask        bool
}

// newTiny gives every token a small pseudo-random row, and "red" and "blue"
// rows along the colours, so that by construction a red picture is closest
// to texts about red.
func newTiny(tok *Tokenizer, dim int) *tiny {
	m := &tiny{size: 16, dim: dim, textDim: dim, mask: true}
	for c := range 3 {
		m.wImage[c] = make([]float32, dim)
		m.wImage[c][c] = 1
	}
	r := rand.New(rand.NewPCG(1, 2))
	m.emb = make([][]float32, tok.VocabSize())
	for i := range m.emb {
		m.emb[i] = make([]float32, dim)
		for j := range m.emb[i] {
			m.emb[i][j] = float32(r.Float64()*0.2 - 0.1)
		}
	}
	copy(m.emb[tok.Encode("red")[0]], []float32{1, -1, -1})
	copy(m.emb[tok.Encode("blue")[0]], []float32{-1, -1, 1})
	return m
}

// build writes the two ONNX files and returns the engine's config.
func (m *tiny) build(t testing.TB, py string) Config {
	t.Helper()
	dir := t.TempDir()
	raw := make([]byte, 0, len(m.emb)*m.textDim*4)
	for _, row := range m.emb {
		for _, v := range row {
			raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
		}
	}
	embPath := filepath.Join(dir, "emb.f32")
	spec, _ := json.Marshal(map[string]any{
		"size": m.size, "dim": m.dim, "text_dim": m.textDim, "vocab": len(m.emb),
		"w_image": m.wImage, "embeddings": embPath, "int32": m.int32, "mask": m.mask,
	})
	specPath := filepath.Join(dir, "spec.json")
	if err := errors.Join(os.WriteFile(embPath, raw, 0o644), os.WriteFile(specPath, spec, 0o644)); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(py, "testdata/tiny_clip.py", specPath, dir).CombinedOutput(); err != nil {
		t.Fatalf("building the tiny model: %v\n%s", err, out)
	}
	return Config{ImageModel: filepath.Join(dir, "image.onnx"), TextModel: filepath.Join(dir, "text.onnx")}
}

// wantImage is what the tiny image encoder gives for f, computed here.
func (m *tiny) wantImage(t testing.TB, f detect.Frame) []float32 {
	in := make([]float32, 3*m.size*m.size)
	if err := preprocess(f, m.size, CLIPMean, CLIPStd, in); err != nil {
		t.Fatal(err)
	}
	out := make([]float32, m.dim)
	n := m.size * m.size
	for c := range 3 {
		var mean float64
		for _, v := range in[c*n : (c+1)*n] {
			mean += float64(v)
		}
		for j := range out {
			out[j] += float32(mean/float64(n)) * m.wImage[c][j]
		}
	}
	normalize(out)
	return out
}

// wantText is what the tiny text encoder gives for text, computed here.
func (m *tiny) wantText(tok *Tokenizer, text string) []float32 {
	ids := tok.Tokens(text, ContextLength)
	kept := len(ids)
	if m.mask {
		kept = len(tok.Encode(text)) + 2
	}
	out := make([]float32, m.textDim)
	for _, id := range ids[:kept] {
		for j, v := range m.emb[id] {
			out[j] += v / float32(kept)
		}
	}
	normalize(out)
	return out
}

func assertClose(t testing.TB, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > 1e-4 {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
}

func openTiny(t testing.TB, cfg Config) *Model {
	t.Helper()
	m, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func TestEmbeddingsOfARealModelPair(t *testing.T) {
	lib, py := ortLibrary(t), python(t)
	tok := builtinTokenizer(t)
	spec := newTiny(tok, 4)
	cfg := spec.build(t, py)
	cfg.Library, cfg.Sessions = lib, 2
	m := openTiny(t, cfg)
	if m.Dim() != 4 || m.ImageSize() != 16 {
		t.Fatalf("dim %d size %d, want 4 and 16 (from the model)", m.Dim(), m.ImageSize())
	}
	ctx := context.Background()
	red, blue := solid(64, 48, 230, 20, 20), solid(40, 90, 20, 30, 220)
	texts := []string{"a red car", "a blue car", "red", "blue", "A RED  CAR!", "a photo of a cat"}
	embs := map[string][]float32{}
	for _, s := range texts {
		got, err := m.EmbedText(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, "EmbedText("+s+")", got, spec.wantText(tok, s))
		embs[s] = got
	}
	for name, f := range map[string]detect.Frame{"red": red, "blue": blue} {
		got, err := m.EmbedImage(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, "EmbedImage("+name+")", got, spec.wantImage(t, f))
		embs[name+" picture"] = got
	}
	// What a user of search sees: the red picture ranks texts about red
	// first, the blue one texts about blue.
	for _, c := range [][3]string{
		{"red picture", "a red car", "a blue car"},
		{"red picture", "red", "blue"},
		{"blue picture", "a blue car", "a red car"},
		{"blue picture", "blue", "a photo of a cat"},
	} {
		near, far := Similarity(embs[c[0]], embs[c[1]]), Similarity(embs[c[0]], embs[c[2]])
		if !(near > far) {
			t.Errorf("%s: %q scores %.3f, %q %.3f; want the first higher", c[0], c[1], near, c[2], far)
		}
	}
	if s := Similarity(embs["red picture"], embs["red picture"]); math.Abs(float64(s)-1) > 1e-5 {
		t.Errorf("an embedding with itself = %v, want 1 (normalised)", s)
	}
}

// Int32 ids, no attention mask and an operator's vocabulary file: the same
// engine adapts to the model's signature.
func TestEmbeddingsWithAnotherSignatureAndVocabulary(t *testing.T) {
	lib, py := ortLibrary(t), python(t)
	vocab := filepath.Join(t.TempDir(), "merges.txt")
	if err := os.WriteFile(vocab, []byte("#version: 0.2\nr e\nre d</w>\nb l\nbl u\nblu e</w>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tok, err := LoadTokenizer(vocab)
	if err != nil {
		t.Fatal(err)
	}
	spec := newTiny(tok, 3)
	spec.int32, spec.mask = true, false
	cfg := spec.build(t, py)
	cfg.Library, cfg.Vocab = lib, vocab
	m := openTiny(t, cfg)
	for _, s := range []string{"red", "blue", "bleu"} {
		got, err := m.EmbedText(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, "EmbedText("+s+")", got, spec.wantText(tok, s))
	}
}

func TestEmbeddingsConcurrentlyAndAfterClose(t *testing.T) {
	lib, py := ortLibrary(t), python(t)
	tok := builtinTokenizer(t)
	cfg := newTiny(tok, 4).build(t, py)
	cfg.Library, cfg.Sessions = lib, 2
	m, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	wantImg, _ := m.EmbedImage(ctx, solid(30, 30, 200, 100, 0))
	wantTxt, _ := m.EmbedText(ctx, "a red car")
	errs := make(chan error, 16)
	for i := range 16 {
		go func() {
			got, err := m.EmbedText(ctx, "a red car")
			want := wantTxt
			if i%2 == 0 {
				got, err = m.EmbedImage(ctx, solid(30, 30, 200, 100, 0))
				want = wantImg
			}
			if err == nil && Similarity(got, want) < 0.9999 {
				err = errors.New("different embeddings for the same input")
			}
			errs <- err
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// Every session busy: a cancelled caller stops waiting.
	held := []*session{<-m.image.pool, <-m.image.pool}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := m.EmbedImage(cctx, solid(8, 8, 0, 0, 0)); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while busy: %v", err)
	}
	for _, s := range held {
		m.image.put(s)
	}
	m.Close()
	if _, err := m.EmbedText(ctx, "red"); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

func TestOpenSaysWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.onnx")
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Library: "/x/libonnxruntime.so", ImageModel: missing, TextModel: missing}, "ONNX Runtime library is missing"},
		{Config{Library: os.Args[0], TextModel: missing}, "--clip-image-model"},
		{Config{Library: os.Args[0], ImageModel: os.Args[0], TextModel: missing}, "text encoder is missing (" + missing},
		{Config{Library: os.Args[0], ImageModel: os.Args[0], TextModel: os.Args[0], Vocab: missing}, "vocabulary is missing"},
	} {
		_, err := Open(c.cfg)
		if !errors.Is(err, detect.ErrUnavailable) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "docs/ai/open-vocabulary.md") {
			t.Errorf("%+v: %v; want ErrUnavailable saying %q and how to install", c.cfg, err, c.want)
		}
	}
}

func TestOpenRejectsModelsThatDoNotFit(t *testing.T) {
	lib, py := ortLibrary(t), python(t)
	tok := builtinTokenizer(t)
	spec := newTiny(tok, 4)
	good := spec.build(t, py)
	spec.textDim = 3
	for i := range spec.emb {
		spec.emb[i] = spec.emb[i][:3]
	}
	odd := spec.build(t, py)
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{ImageModel: good.TextModel, TextModel: good.TextModel}, "it takes 2 inputs (input_ids, attention_mask), want one picture"},
		{Config{ImageModel: good.ImageModel, TextModel: good.ImageModel}, "want int64 or int32 N×77"},
		{Config{ImageModel: good.ImageModel, TextModel: odd.TextModel}, "image encoder gives 4 values, the text encoder 3"},
	} {
		c.cfg.Library = lib
		m, err := Open(c.cfg)
		if err == nil {
			m.Close()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v; want %q", err, c.want)
		}
	}
}

// The mask ends at the end token even when the text holds id 0 ("!" inside
// a word), which is also the padding id.
func TestMaskEndsAtTheEndToken(t *testing.T) {
	lib := ortLibrary(t)
	if err := detect.InitRuntime(lib); err != nil {
		t.Fatal(err)
	}
	v, err := ort.NewEmptyTensor[int64](ort.NewShape(1, 8))
	if err != nil {
		t.Fatal(err)
	}
	defer v.Destroy()
	setMask(v, []int64{49406, 0, 320, 49407, 0, 0, 0, 0}, 49407)
	if got := v.GetData(); !slices.Equal(got, []int64{1, 1, 1, 1, 0, 0, 0, 0}) {
		t.Fatalf("mask %v", got)
	}
}
