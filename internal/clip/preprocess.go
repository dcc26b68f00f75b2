package clip

import (
	"fmt"
	"math"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// CLIP's normalisation of RGB in 0..1, per channel (OpenAI's and
// open_clip's preprocessing).
var (
	CLIPMean = [3]float32{0.48145466, 0.4578275, 0.40821073}
	CLIPStd  = [3]float32{0.26862954, 0.26130258, 0.27577711}
)

// crop says which part of a frame becomes the model's square input, as
// CLIP's preprocessing does it: the shorter side resized to Size (the longer
// one in proportion, truncated), then the centre Size×Size kept.
type crop struct {
	Size   int
	RW, RH int // frame size after the resize
	OffX   int // first kept column of the resized frame
	OffY   int
	SrcW   int
	SrcH   int
	ScaleX float64 // resized pixels per frame pixel
	ScaleY float64
}

func newCrop(w, h, size int) crop {
	rw, rh := size, size
	if w < h {
		rh = int(float64(size) * float64(h) / float64(w))
	} else {
		rw = int(float64(size) * float64(w) / float64(h))
	}
	return crop{
		Size: size, RW: rw, RH: rh, SrcW: w, SrcH: h,
		OffX: int(math.Round(float64(rw-size) / 2)), OffY: int(math.Round(float64(rh-size) / 2)),
		ScaleX: float64(rw) / float64(w), ScaleY: float64(rh) / float64(h),
	}
}

// taps are the source pixels and weights of one output pixel along one axis.
type taps struct {
	first int
	w     []float32
}

// bicubic is the cubic convolution kernel with a = -0.5, as Pillow uses for
// BICUBIC, the resampling CLIP was trained with.
func bicubic(x float64) float64 {
	const a = -0.5
	x = math.Abs(x)
	switch {
	case x < 1:
		return ((a+2)*x-(a+3))*x*x + 1
	case x < 2:
		return (((x-5)*x+8)*x - 4) * a
	}
	return 0
}

// axisTaps computes, for output pixels off..off+n-1 of an axis of src pixels
// resized by scale, the source pixels each one blends. When shrinking, the
// kernel is widened by 1/scale so that every source pixel counts (no
// aliasing of fine patterns), as Pillow does.
func axisTaps(src int, scale float64, off, n int) []taps {
	support := 2.0
	stretch := 1.0
	if scale < 1 {
		stretch = 1 / scale
		support *= stretch
	}
	out := make([]taps, n)
	for i := range n {
		centre := (float64(off+i) + 0.5) / scale
		lo := max(0, int(math.Floor(centre-support)))
		hi := min(src, int(math.Ceil(centre+support)))
		ws := make([]float32, 0, hi-lo)
		var sum float64
		for j := lo; j < hi; j++ {
			w := bicubic((float64(j) + 0.5 - centre) / stretch)
			ws = append(ws, float32(w))
			sum += w
		}
		if sum != 0 {
			for k := range ws {
				ws[k] = float32(float64(ws[k]) / sum)
			}
		}
		out[i] = taps{first: lo, w: ws}
	}
	return out
}

// preprocess writes f, resized and centre-cropped to size×size, as CLIP
// input into dst: channel planes (NCHW) of (v/255 - mean) / std.
func preprocess(f detect.Frame, size int, mean, std [3]float32, dst []float32) error {
	if f.W <= 0 || f.H <= 0 || len(f.RGB) != f.W*f.H*3 {
		return fmt.Errorf("frame %d×%d with %d bytes is not packed RGB", f.W, f.H, len(f.RGB))
	}
	if len(dst) != 3*size*size {
		return fmt.Errorf("input of %d values, want 3×%d×%d", len(dst), size, size)
	}
	c := newCrop(f.W, f.H, size)
	xt := axisTaps(f.W, c.ScaleX, c.OffX, size)
	yt := axisTaps(f.H, c.ScaleY, c.OffY, size)
	// Horizontal pass over the source rows the vertical pass reads.
	y0 := yt[0].first
	y1 := yt[size-1].first + len(yt[size-1].w)
	rows := make([]float32, (y1-y0)*size*3)
	for y := y0; y < y1; y++ {
		src := f.RGB[y*f.W*3 : (y+1)*f.W*3]
		row := rows[(y-y0)*size*3:]
		for x, t := range xt {
			var r, g, b float32
			for k, w := range t.w {
				p := src[(t.first+k)*3:]
				r += w * float32(p[0])
				g += w * float32(p[1])
				b += w * float32(p[2])
			}
			row[x*3], row[x*3+1], row[x*3+2] = r, g, b
		}
	}
	plane := size * size
	for y, t := range yt {
		for x := range size {
			var v [3]float32
			for k, w := range t.w {
				p := rows[((t.first+k-y0)*size+x)*3:]
				v[0] += w * p[0]
				v[1] += w * p[1]
				v[2] += w * p[2]
			}
			for ch := range 3 {
				// Bicubic overshoots at edges; Pillow clips to 0..255.
				px := min(max(v[ch], 0), 255)
				dst[ch*plane+y*size+x] = (px/255 - mean[ch]) / std[ch]
			}
		}
	}
	return nil
}
