package holo4

import (
	"image"
	"math"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// Colour analysis of frame regions: the rules look at the colours of a
// head, a torso or a car body. Hue is in degrees (0..360), saturation and
// value in 0..1.

// HSV converts 8-bit RGB to hue (degrees, 0 for greys), saturation and value.
func HSV(r, g, b uint8) (h, s, v float64) {
	rf, gf, bf := float64(r)/255, float64(g)/255, float64(b)/255
	mx := max(rf, gf, bf)
	mn := min(rf, gf, bf)
	v = mx
	d := mx - mn
	if mx == 0 || d == 0 {
		return 0, 0, v
	}
	s = d / mx
	switch mx {
	case rf:
		h = 60 * math.Mod((gf-bf)/d, 6)
	case gf:
		h = 60 * ((bf-rf)/d + 2)
	default:
		h = 60 * ((rf-gf)/d + 4)
	}
	if h < 0 {
		h += 360
	}
	return h, s, v
}

// hueIn tells whether h lies in [from, to), going round past 360 when from > to.
func hueIn(h, from, to float64) bool {
	if from <= to {
		return h >= from && h < to
	}
	return h >= from || h < to
}

// pixelRect is box (x, y, w, h in fractions of the frame) in the frame's
// pixels, clipped to the frame; empty when it lies outside.
func pixelRect(f detect.Frame, box [4]float32) image.Rectangle {
	// float32 fractions are a little off (0.1 is 0.1000000015): an edge
	// within a thousandth of a pixel of a whole one is that one.
	lo := func(v float32, n int) int { return int(math.Floor(float64(v)*float64(n) + 1e-3)) }
	hi := func(v float32, n int) int { return int(math.Ceil(float64(v)*float64(n) - 1e-3)) }
	r := image.Rect(lo(box[0], f.W), lo(box[1], f.H), hi(box[0]+box[2], f.W), hi(box[1]+box[3], f.H))
	return r.Intersect(image.Rect(0, 0, f.W, f.H))
}

// pixel is one pixel of a frame with its colour in HSV and its luma
// texture: the mean absolute luma difference to its right and lower
// neighbours (0 in a flat patch).
type pixel struct {
	R, G, B uint8
	H, S, V float64
	Texture float64
}

// maxSamples bounds the pixels a region is read with: a region is sampled
// on a regular grid beyond that, so a big box costs no more than a small one.
const maxSamples = 4096

// eachPixel calls fn on the pixels of r (clipped to the frame) for which
// inside is true (nil: all), on a grid of at most maxSamples points.
func eachPixel(f detect.Frame, r image.Rectangle, inside func(x, y int) bool, fn func(p pixel)) {
	r = r.Intersect(image.Rect(0, 0, f.W, f.H))
	if r.Empty() || len(f.RGB) < f.W*f.H*3 {
		return
	}
	step := max(1, int(math.Sqrt(float64(r.Dx()*r.Dy())/maxSamples)))
	for y := r.Min.Y; y < r.Max.Y; y += step {
		for x := r.Min.X; x < r.Max.X; x += step {
			if inside != nil && !inside(x, y) {
				continue
			}
			i := (y*f.W + x) * 3
			p := pixel{R: f.RGB[i], G: f.RGB[i+1], B: f.RGB[i+2]}
			p.H, p.S, p.V = HSV(p.R, p.G, p.B)
			l := luma(f, x, y)
			p.Texture = (math.Abs(l-luma(f, min(x+1, f.W-1), y)) + math.Abs(l-luma(f, x, min(y+1, f.H-1)))) / 2
			fn(p)
		}
	}
}

// luma is a pixel's brightness, 0..255.
func luma(f detect.Frame, x, y int) float64 {
	i := (y*f.W + x) * 3
	return 0.299*float64(f.RGB[i]) + 0.587*float64(f.RGB[i+1]) + 0.114*float64(f.RGB[i+2])
}

// share is what a region holds: how many pixels were read and, by colour
// class, how many fell in it and their summed texture.
type share struct {
	n       int
	count   map[string]int
	texture map[string]float64
}

// classify reads region r (inside: nil or a mask) of f and sorts its pixels
// with class, which names a pixel's colour class or "" for none.
func classify(f detect.Frame, r image.Rectangle, inside func(x, y int) bool, class func(p pixel) string) share {
	s := share{count: map[string]int{}, texture: map[string]float64{}}
	eachPixel(f, r, inside, func(p pixel) {
		s.n++
		if c := class(p); c != "" {
			s.count[c]++
			s.texture[c] += p.Texture
		}
	})
	return s
}

// frac is the share of the region's pixels in class c (0 for an empty region).
func (s share) frac(c string) float64 {
	if s.n == 0 {
		return 0
	}
	return float64(s.count[c]) / float64(s.n)
}

// dominant returns the class with the most pixels, its share of the region
// and the mean texture of its pixels.
func (s share) dominant() (class string, frac, texture float64) {
	best := 0
	for c, n := range s.count {
		if n > best || (n == best && c < class) {
			class, best = c, n
		}
	}
	if best == 0 {
		return "", 0, 0
	}
	return class, s.frac(class), s.texture[class] / float64(best)
}

// inConvex returns a mask for a convex polygon given in pixels (corners in
// order, either way round).
func inConvex(pts []point) func(x, y int) bool {
	return func(x, y int) bool {
		px, py := float64(x)+0.5, float64(y)+0.5
		sign := 0
		for i, a := range pts {
			b := pts[(i+1)%len(pts)]
			c := (b.x-a.x)*(py-a.y) - (b.y-a.y)*(px-a.x)
			switch {
			case c > 0 && sign < 0, c < 0 && sign > 0:
				return false
			case c > 0:
				sign = 1
			case c < 0:
				sign = -1
			}
		}
		return true
	}
}

// point is a position in pixels.
type point struct{ x, y float64 }

func (p point) dist(q point) float64 { return math.Hypot(p.x-q.x, p.y-q.y) }

// bounds is the pixel rectangle around pts.
func bounds(pts []point) image.Rectangle {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		x0, y0, x1, y1 = min(x0, p.x), min(y0, p.y), max(x1, p.x), max(y1, p.y)
	}
	return image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1)))
}

// A frame with less than MonoMaxShare of its pixels coloured (saturation ≥
// 0.15) is black and white: a camera's infrared night mode. The rules that
// judge colours (helmet, vest, taxi) decide nothing on it rather than flag
// every person or miss every taxi.
const MonoMaxShare = 0.01

// monochrome tells whether f is black and white.
func monochrome(f detect.Frame) bool {
	s := classify(f, image.Rect(0, 0, f.W, f.H), nil, func(p pixel) string {
		if p.S >= 0.15 {
			return "colour"
		}
		return ""
	})
	return s.n > 0 && s.frac("colour") < MonoMaxShare
}
