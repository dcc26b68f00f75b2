package holo4

import (
	"image"
	"math"
	"testing"

	"github.com/cam2drive/cam2drive/internal/detect"
)

func TestHSV(t *testing.T) {
	cases := []struct {
		r, g, b uint8
		h, s, v float64
	}{
		{255, 0, 0, 0, 1, 1},
		{0, 255, 0, 120, 1, 1},
		{0, 0, 255, 240, 1, 1},
		{255, 255, 0, 60, 1, 1},
		{255, 0, 255, 300, 1, 1},
		{255, 128, 0, 30.1, 1, 1},
		{128, 128, 128, 0, 0, 128.0 / 255},
		{0, 0, 0, 0, 0, 0},
		{255, 0, 64, 344.9, 1, 1}, // red past magenta: the hue wraps round
	}
	for _, c := range cases {
		h, s, v := HSV(c.r, c.g, c.b)
		if math.Abs(h-c.h) > 0.1 || math.Abs(s-c.s) > 0.01 || math.Abs(v-c.v) > 0.01 {
			t.Errorf("HSV(%d,%d,%d) = %.1f %.2f %.2f, want %.1f %.2f %.2f", c.r, c.g, c.b, h, s, v, c.h, c.s, c.v)
		}
	}
	if !hueIn(350, 340, 15) || !hueIn(5, 340, 15) || hueIn(20, 340, 15) || !hueIn(50, 40, 70) || hueIn(70, 40, 70) {
		t.Error("hueIn does not wrap round 360 or does not exclude its end")
	}
}

// canvas is a test frame painted with rectangles of colour, in pixels.
type canvas struct{ detect.Frame }

func newCanvas(w, h int, c [3]uint8) canvas {
	f := canvas{detect.Frame{W: w, H: h, RGB: make([]byte, w*h*3)}}
	f.fill(0, 0, w, h, c)
	return f
}

func (f canvas) fill(x0, y0, x1, y1 int, c [3]uint8) {
	for y := max(0, y0); y < min(f.H, y1); y++ {
		for x := max(0, x0); x < min(f.W, x1); x++ {
			copy(f.RGB[(y*f.W+x)*3:], c[:])
		}
	}
}

func TestPixelRectClips(t *testing.T) {
	f := newCanvas(200, 100, [3]uint8{})
	cases := []struct {
		box  [4]float32
		want image.Rectangle
	}{
		{[4]float32{0.1, 0.2, 0.5, 0.5}, image.Rect(20, 20, 120, 70)},
		{[4]float32{-0.1, -0.5, 0.3, 1}, image.Rect(0, 0, 40, 50)},      // past the top left
		{[4]float32{0.9, 0.9, 0.5, 0.5}, image.Rect(180, 90, 200, 100)}, // past the bottom right
		{[4]float32{1.2, 0.1, 0.1, 0.1}, image.Rectangle{}},             // outside
	}
	for _, c := range cases {
		if got := pixelRect(f.Frame, c.box); got != c.want && !(got.Empty() && c.want.Empty()) {
			t.Errorf("pixelRect(%v) = %v, want %v", c.box, got, c.want)
		}
	}
}

// A region's colour shares and texture: a flat half red, half blue patch;
// then a checkerboard, whose pixels all have a large luma step.
func TestClassify(t *testing.T) {
	f := newCanvas(100, 100, [3]uint8{0, 0, 255})
	f.fill(0, 0, 50, 100, [3]uint8{255, 0, 0})
	byHue := func(p pixel) string {
		if p.H < 10 {
			return "red"
		}
		return "blue"
	}
	s := classify(f.Frame, image.Rect(0, 0, 100, 100), nil, byHue)
	if s.n != 100*100 || math.Abs(s.frac("red")-0.5) > 0.01 {
		t.Errorf("half red: n=%d red=%.2f", s.n, s.frac("red"))
	}
	// Off the frame: only the part inside is read.
	s = classify(f.Frame, image.Rect(-50, 0, 50, 10), nil, byHue)
	if s.n != 500 || s.frac("red") != 1 {
		t.Errorf("clipped: n=%d red=%.2f", s.n, s.frac("red"))
	}
	if c, share, tex := classify(f.Frame, image.Rect(60, 0, 90, 30), nil, byHue).dominant(); c != "blue" || share != 1 || tex != 0 {
		t.Errorf("flat blue: %s %.2f texture %.1f", c, share, tex)
	}
	for y := range 100 {
		for x := range 100 {
			if (x+y)%2 == 0 {
				f.fill(x, y, x+1, y+1, [3]uint8{0, 0, 0})
			}
		}
	}
	if _, _, tex := classify(f.Frame, image.Rect(60, 0, 90, 30), nil, byHue).dominant(); tex < 15 {
		t.Errorf("checkerboard texture %.1f, want a large luma step", tex)
	}
	// A large region is sampled: no more than maxSamples points.
	big := newCanvas(1000, 1000, [3]uint8{})
	if s := classify(big.Frame, image.Rect(0, 0, 1000, 1000), nil, byHue); s.n > maxSamples*2 || s.n < maxSamples/2 {
		t.Errorf("a million pixels read as %d samples", s.n)
	}
}

func TestInConvex(t *testing.T) {
	in := inConvex([]point{{10, 10}, {50, 10}, {60, 50}, {0, 50}})
	for _, c := range []struct {
		x, y int
		want bool
	}{{30, 30, true}, {11, 11, true}, {5, 15, false}, {55, 20, false}, {30, 55, false}, {58, 48, true}} {
		if in(c.x, c.y) != c.want {
			t.Errorf("(%d,%d) inside = %v, want %v", c.x, c.y, !c.want, c.want)
		}
	}
	// Either way round.
	if !inConvex([]point{{0, 50}, {60, 50}, {50, 10}, {10, 10}})(30, 30) {
		t.Error("a counter-clockwise quadrilateral loses its inside")
	}
}
