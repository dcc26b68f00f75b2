package pretrained

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"testing"
)

// upNet is a TF.js graph shaped like CenterNet's head: a convolution, a
// stride-2 convolution, TF's bilinear resize back to a fixed size (4×4 for
// the 4×4 input) and a concatenation of the two levels.
func upNet(t *testing.T, stride int) string {
	t.Helper()
	w1, w2 := make([]float32, 3*3*2*3), make([]float32, 3*3*3*3)
	for i := range w1 {
		w1[i] = float32(i%5-2) / 4
	}
	for i := range w2 {
		w2[i] = float32(i%7-3) / 8
	}
	nodes := []tfjsNode{
		{Name: "x", Op: "Placeholder", Attr: map[string]any{"shape": map[string]any{"shape": shape(1, 4, 4, 2)}}},
		{Name: "w1", Op: "Const"}, {Name: "w2", Op: "Const"}, {Name: "size", Op: "Const"}, {Name: "axis", Op: "Const"},
		{Name: "c1", Op: "Conv2D", Input: []string{"x", "w1"}, Attr: convAttrs(1)},
		{Name: "c2", Op: "Conv2D", Input: []string{"c1", "w2"}, Attr: convAttrs(2)},
		{Name: "up", Op: "ResizeBilinear", Input: []string{"c2", "size"}, Attr: map[string]any{
			"align_corners": map[string]any{"b": false}, "half_pixel_centers": map[string]any{"b": false}}},
		{Name: "out", Op: "ConcatV2", Input: []string{"c1", "up", "axis"}},
	}
	var bin []byte
	for _, v := range append(append([]float32{}, w1...), w2...) {
		bin = binary.LittleEndian.AppendUint32(bin, math.Float32bits(v))
	}
	for _, v := range []int32{4, 4, 3} {
		bin = binary.LittleEndian.AppendUint32(bin, uint32(v))
	}
	js, _ := json.Marshal(map[string]any{
		"format": "graph-model", "modelTopology": map[string]any{"node": nodes},
		"weightsManifest": []any{map[string]any{"paths": []string{"t.bin"}, "weights": []any{
			map[string]any{"name": "w1", "shape": []int{3, 3, 2, 3}, "dtype": "float32"},
			map[string]any{"name": "w2", "shape": []int{3, 3, 3, 3}, "dtype": "float32"},
			map[string]any{"name": "size", "shape": []int{2}, "dtype": "int32"},
			map[string]any{"name": "axis", "shape": []int{}, "dtype": "int32"},
		}}},
	})
	return installTFJS(t, js, bin, Input{Name: "x_nhwc", Size: 4, Layout: "NHWC", Stride: stride}, []string{"out"})
}

// upNetByHand computes upNet on an h×w input: TF's legacy bilinear resize
// maps output pixel y to input y·in/out (asymmetric), clamped at the edge.
func upNetByHand(x []float32, h, w int) []float32 {
	w1, w2 := make([]float32, 3*3*2*3), make([]float32, 3*3*3*3)
	for i := range w1 {
		w1[i] = float32(i%5-2) / 4
	}
	for i := range w2 {
		w2[i] = float32(i%7-3) / 8
	}
	c1, _, _ := conv2d(x, h, w, 2, w1, 3, 3, 3, 1, false)
	c2, lh, lw := conv2d(c1, h, w, 3, w2, 3, 3, 3, 2, false)
	out := make([]float32, 0, h*w*6)
	for y := range h {
		sy := float32(y) * float32(lh) / float32(h)
		y0 := int(sy)
		y1, fy := min(y0+1, lh-1), sy-float32(y0)
		for x := range w {
			sx := float32(x) * float32(lw) / float32(w)
			x0 := int(sx)
			x1, fx := min(x0+1, lw-1), sx-float32(x0)
			out = append(out, c1[(y*w+x)*3:(y*w+x)*3+3]...)
			for c := range 3 {
				at := func(yy, xx int) float32 { return c2[(yy*lw+xx)*3+c] }
				top := at(y0, x0)*(1-fx) + at(y0, x1)*fx
				bot := at(y1, x0)*(1-fx) + at(y1, x1)*fx
				out = append(out, top*(1-fy)+bot*fy)
			}
		}
	}
	return out
}

// With a stride in the catalogue, the converted model reads any height and
// width: at the TF.js model's own size it computes what the fixed-size
// conversion computes, and at another size what the graph means there (the
// resize upsamples by 2, as it did, instead of to the fixed 4×4).
func TestConvertTFJSDynamicHeightAndWidth(t *testing.T) {
	lib := ortLibrary(t)
	fixed, dynamic := upNet(t, 0), upNet(t, 4)
	for _, c := range []struct{ h, w int }{{4, 4}, {8, 12}, {12, 4}} {
		x := make([]float32, c.h*c.w*2)
		for i := range x {
			x[i] = float32((i*7)%11)/4 - 1
		}
		want := upNetByHand(x, c.h, c.w)
		xs, outs := []int64{1, int64(c.h), int64(c.w), 2}, [][]int64{{1, int64(c.h), int64(c.w), 6}}
		files := map[string]string{"dynamic": dynamic}
		if c.h == 4 && c.w == 4 {
			files["fixed"] = fixed
		}
		for name, f := range files {
			got := runONNX(t, lib, f, "x_nhwc", x, xs, []string{"out"}, outs)[0]
			for i := range want {
				if math.Abs(float64(got[i]-want[i])) > 1e-4 {
					t.Errorf("%s at %d×%d: out[%d] = %v, want %v", name, c.h, c.w, i, got[i], want[i])
					break
				}
			}
		}
	}
}
