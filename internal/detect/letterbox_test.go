package detect

import (
	"fmt"
	"math"
	"testing"
)

func near(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-3 }

func TestLetterboxGeometry(t *testing.T) {
	cases := []struct {
		w, h, size         int
		nw, nh, padX, padY int
	}{
		{1280, 720, 512, 512, 288, 0, 112}, // landscape: bands above and below
		{720, 1280, 512, 288, 512, 112, 0}, // portrait: bands left and right
		{512, 512, 512, 512, 512, 0, 0},    // already square
		{100, 50, 512, 512, 256, 0, 128},   // small frames are enlarged
	}
	for _, c := range cases {
		l := newLetterbox(c.w, c.h, c.size)
		if l.NW != c.nw || l.NH != c.nh || l.PadX != c.padX || l.PadY != c.padY {
			t.Errorf("%d×%d in %d: %d×%d at (%d,%d), want %d×%d at (%d,%d)",
				c.w, c.h, c.size, l.NW, l.NH, l.PadX, l.PadY, c.nw, c.nh, c.padX, c.padY)
		}
	}
}

// A model that reads any multiple of its stride gets the frame at full
// size on its longer side and as little grey as the stride allows.
func TestFitLetterboxGeometry(t *testing.T) {
	cases := []struct {
		w, h, size, stride       int
		inW, inH, nw, nh, px, py int
	}{
		{1920, 1080, 512, 32, 512, 288, 512, 288, 0, 0},  // 16:9: no grey at all
		{1280, 720, 512, 32, 512, 288, 512, 288, 0, 0},   // 720p
		{1440, 1080, 512, 32, 512, 384, 512, 384, 0, 0},  // 4:3
		{1080, 1920, 512, 32, 288, 512, 288, 512, 0, 0},  // portrait
		{704, 576, 512, 32, 512, 448, 512, 419, 0, 14},   // PAL D1: 419 rows padded to 448
		{2560, 1080, 512, 32, 512, 224, 512, 216, 0, 4},  // 21:9
		{100, 50, 512, 32, 512, 256, 512, 256, 0, 0},     // small frames are enlarged
		{4000, 3, 512, 32, 512, 32, 512, 1, 0, 15},       // a line
		{1920, 1080, 512, 0, 512, 512, 512, 288, 0, 112}, // stride 0: the square
	}
	for _, c := range cases {
		l := fitLetterbox(c.w, c.h, c.size, c.stride)
		if l.InW != c.inW || l.InH != c.inH || l.NW != c.nw || l.NH != c.nh || l.PadX != c.px || l.PadY != c.py {
			t.Errorf("%d×%d at %d/%d: input %d×%d, frame %d×%d at (%d,%d); want %d×%d, %d×%d at (%d,%d)",
				c.w, c.h, c.size, c.stride, l.InW, l.InH, l.NW, l.NH, l.PadX, l.PadY, c.inW, c.inH, c.nw, c.nh, c.px, c.py)
		}
	}
}

// A rectangular input maps boxes back like the square one: input pixels
// through the padding and scale to fractions of the frame.
func TestFitLetterboxMapsBoxesBackToTheFrame(t *testing.T) {
	l := fitLetterbox(704, 576, 512, 32) // scale 512/704, frame at y 14..433 of 448
	got := l.toFrame(128, 14+419.0/4, 256, 14+419.0/2)
	want := [4]float32{0.25, 0.25, 0.25, 0.25}
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > 2e-3 {
			t.Fatalf("toFrame = %v, want %v", got, want)
		}
	}
	// fill writes the picture inside the padding of a W×H (not square) input.
	f := Frame{W: 2, H: 1, RGB: []byte{200, 0, 0, 0, 0, 100}}
	l = fitLetterbox(2, 1, 8, 4) // 8×4 frame in an 8×4 input: no grey
	dst := make([]float32, 8*4*3)
	l.fill(f, dst, true, 1)
	if l.InW != 8 || l.InH != 4 || dst[0] != 200 || dst[2*32+7] != 100 || dst[2*32+3*8+7] != 100 {
		t.Errorf("input %d×%d: red %v, blue %v %v", l.InW, l.InH, dst[0], dst[2*32+7], dst[2*32+3*8+7])
	}
}

// A box drawn in model input pixels comes back as fractions of the frame:
// the grey bands are taken off and the aspect is restored.
func TestLetterboxMapsBoxesBackToTheFrame(t *testing.T) {
	l := newLetterbox(1280, 720, 512) // scale 0.4, frame at y 112..400
	cases := []struct {
		in   [4]float32 // x1, y1, x2, y2 in input pixels
		want [4]float32 // x, y, w, h in frame fractions
	}{
		{[4]float32{0, 112, 512, 400}, [4]float32{0, 0, 1, 1}},                     // the whole frame
		{[4]float32{128, 184, 256, 256}, [4]float32{0.25, 0.25, 0.25, 0.25}},       // frame pixels 320..640 × 180..360
		{[4]float32{-20, 50, 100, 200}, [4]float32{0, 0, 100.0 / 512, 88.0 / 288}}, // clipped to the frame
	}
	for _, c := range cases {
		got := l.toFrame(c.in[0], c.in[1], c.in[2], c.in[3])
		for i := range got {
			if !near(got[i], c.want[i]) {
				t.Errorf("toFrame%v = %v, want %v", c.in, got, c.want)
				break
			}
		}
	}
}

// fill puts the frame's pixels where the geometry says, grey elsewhere, in
// either layout and at either scale.
func TestLetterboxFill(t *testing.T) {
	// 4×2 frame: left half red, right half blue.
	f := Frame{W: 4, H: 2, RGB: make([]byte, 4*2*3)}
	for y := range 2 {
		for x := range 4 {
			p := (y*4 + x) * 3
			if x < 2 {
				f.RGB[p] = 200
			} else {
				f.RGB[p+2] = 100
			}
		}
	}
	l := newLetterbox(4, 2, 8) // 8×4 at y 2..5
	for _, nchw := range []bool{false, true} {
		dst := make([]float32, 8*8*3)
		l.fill(f, dst, nchw, 1.0/255)
		at := func(x, y, c int) float32 {
			if nchw {
				return dst[c*64+y*8+x]
			}
			return dst[(y*8+x)*3+c]
		}
		if !near(at(0, 0, 1), 114.0/255) || !near(at(7, 7, 0), 114.0/255) {
			t.Errorf("nchw=%v: bands are %v, %v, want grey 114", nchw, at(0, 0, 1)*255, at(7, 7, 0)*255)
		}
		if !near(at(0, 3, 0), 200.0/255) || !near(at(0, 3, 2), 0) {
			t.Errorf("nchw=%v: left pixel = %v,%v, want red 200", nchw, at(0, 3, 0)*255, at(0, 3, 2)*255)
		}
		if !near(at(7, 4, 2), 100.0/255) || !near(at(7, 4, 0), 0) {
			t.Errorf("nchw=%v: right pixel = %v,%v, want blue 100", nchw, at(7, 4, 0)*255, at(7, 4, 2)*255)
		}
	}
}

func TestIoU(t *testing.T) {
	a := [4]float32{0, 0, 0.5, 0.5}
	cases := []struct {
		b    [4]float32
		want float32
	}{
		{a, 1},
		{[4]float32{0.5, 0.5, 0.5, 0.5}, 0},           // touching corners
		{[4]float32{0.25, 0, 0.5, 0.5}, 1.0 / 3},      // half overlap
		{[4]float32{0.1, 0.1, 0.2, 0.2}, 0.04 / 0.25}, // inside
	}
	for _, c := range cases {
		if got := iou(a, c.b); !near(got, c.want) {
			t.Errorf("iou(%v, %v) = %v, want %v", a, c.b, got, c.want)
		}
	}
}

func TestNMSKeepsTheBestOfEachOverlapPerClass(t *testing.T) {
	objs := []Object{
		{Class: "car", Score: 0.6, Box: [4]float32{0.1, 0.1, 0.3, 0.3}},
		{Class: "car", Score: 0.9, Box: [4]float32{0.12, 0.1, 0.3, 0.3}},  // same car, better
		{Class: "truck", Score: 0.5, Box: [4]float32{0.1, 0.1, 0.3, 0.3}}, // other class, same place: kept
		{Class: "car", Score: 0.7, Box: [4]float32{0.6, 0.6, 0.3, 0.3}},   // another car
		{Class: "car", Score: 0.4, Box: [4]float32{0.3, 0.1, 0.3, 0.3}},   // overlaps the best a little
	}
	got := nms(objs, 0.5)
	want := []float32{0.9, 0.7, 0.5, 0.4}
	if len(got) != len(want) {
		t.Fatalf("nms kept %v, want scores %v", got, want)
	}
	for i := range want {
		if got[i].Score != want[i] {
			t.Errorf("nms()[%d] = %v, want score %v (best first)", i, got[i], want[i])
		}
	}
}

func TestDecodeCenterNet(t *testing.T) {
	const gh, gw, classes, stride = 4, 4, 2, 4
	heat := make([]float32, gh*gw*classes)
	wh := make([]float32, gh*gw*4)
	set := func(y, x, c int, s float32, l, tp, r, b float32) {
		heat[(y*gw+x)*classes+c] = s
		copy(wh[(y*gw+x)*4:], []float32{l, tp, r, b})
	}
	set(1, 1, 0, 0.9, 2, 3, 4, 5) // a peak of class 0
	set(1, 2, 0, 0.8, 1, 1, 1, 1) // its neighbour: not a peak
	set(1, 2, 1, 0.5, 1, 1, 1, 1) // class 1 at the same cell: its own peak
	set(3, 3, 0, 0.2, 1, 1, 1, 1) // below threshold
	got, err := decodeCenterNet(heat, wh, gh, gw, classes, stride, 0.3, 10, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []candidate{
		{class: 0, score: 0.9, x1: 4 - 2, y1: 4 - 3, x2: 4 + 4, y2: 4 + 5},
		{class: 1, score: 0.5, x1: 8 - 1, y1: 4 - 1, x2: 8 + 1, y2: 4 + 1},
	}
	if len(got) != len(want) {
		t.Fatalf("decode = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("decode[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got, _ := decodeCenterNet(heat, wh, gh, gw, classes, stride, 0.3, 1, false); len(got) != 1 || got[0].score != 0.9 {
		t.Errorf("top 1 = %+v, want the 0.9 peak only", got)
	}
	if _, err := decodeCenterNet(heat[:5], wh, gh, gw, classes, stride, 0.3, 10, false); err == nil {
		t.Error("a heat-map of the wrong size decoded without error")
	}
	// The same heat-map as logits gives the same objects and scores.
	logit := func(p float32) float32 { return float32(math.Log(float64(p) / (1 - float64(p)))) }
	for i, v := range heat {
		heat[i] = logit(max(v, 1e-6))
	}
	got, _ = decodeCenterNet(heat, wh, gh, gw, classes, stride, 0.3, 10, true)
	if len(got) != len(want) {
		t.Fatalf("decode logits = %+v, want %+v", got, want)
	}
	for i := range want {
		g := got[i]
		if g.class != want[i].class || !near(g.score, want[i].score) || g.x1 != want[i].x1 || g.y2 != want[i].y2 {
			t.Errorf("decode logits[%d] = %+v, want %+v", i, g, want[i])
		}
	}
}

func TestDecodeYOLOv8(t *testing.T) {
	const n, classes = 3, 2
	out := make([]float32, (4+classes)*n)
	col := func(i int, cx, cy, w, h, s0, s1 float32) {
		for r, v := range []float32{cx, cy, w, h, s0, s1} {
			out[r*n+i] = v
		}
	}
	col(0, 100, 100, 20, 40, 0.1, 0.8)
	col(1, 50, 60, 10, 10, 0.2, 0.1) // below threshold
	col(2, 10, 20, 4, 6, 0.6, 0.3)
	got, err := decodeYOLOv8(out, n, classes, 0.3, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []candidate{
		{class: 1, score: 0.8, x1: 90, y1: 80, x2: 110, y2: 120},
		{class: 0, score: 0.6, x1: 8, y1: 17, x2: 12, y2: 23},
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("decode = %+v, want %+v", got, want)
	}
}

// Any frame size fits the letterbox: the picture stays inside the input,
// and boxes map back inside the frame.
func FuzzLetterbox(f *testing.F) {
	f.Add(1280, 720, 512, float32(10), float32(20), float32(300), float32(400))
	f.Add(1, 1, 512, float32(-5), float32(-5), float32(600), float32(600))
	f.Add(4000, 3, 416, float32(0), float32(0), float32(0), float32(0))
	f.Fuzz(func(t *testing.T, w, h, size int, x1, y1, x2, y2 float32) {
		if w < 1 || h < 1 || w > 4096 || h > 4096 || size < 1 || size > 1024 {
			t.Skip()
		}
		for _, stride := range []int{0, 32} {
			if stride > 0 {
				size = max(1, size/stride) * stride // the catalogue's rule
			}
			l := fitLetterbox(w, h, size, stride)
			if l.NW < 1 || l.NH < 1 || l.PadX < 0 || l.PadY < 0 || l.PadX+l.NW > l.InW || l.PadY+l.NH > l.InH ||
				l.InW > size || l.InH > size || (stride > 0 && (l.InW%stride != 0 || l.InH%stride != 0)) {
				t.Fatalf("%d×%d in %d/%d: %+v", w, h, size, stride, l)
			}
			if max(l.NW, l.NH) != size {
				t.Errorf("%d×%d in %d: longer side %d, want the input's", w, h, size, max(l.NW, l.NH))
			}
			if w*h <= 1<<16 {
				fr := Frame{W: w, H: h, RGB: make([]byte, w*h*3)}
				l.fill(fr, make([]float32, l.InW*l.InH*3), w%2 == 0, 1)
			}
			checkToFrame(t, l, x1, y1, x2, y2)
		}
	})
}

func checkToFrame(t *testing.T, l letterbox, x1, y1, x2, y2 float32) {
	b := l.toFrame(x1, y1, x2, y2)
	for _, v := range b {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("toFrame(%v, %v, %v, %v) = %v: outside the frame", x1, y1, x2, y2, b)
		}
	}
	if b[0]+b[2] > 1.0001 || b[1]+b[3] > 1.0001 {
		t.Fatalf("toFrame(%v, %v, %v, %v) = %v: ends outside the frame", x1, y1, x2, y2, b)
	}
}

// A region letterboxed at its own size (the frames the analysis samples at
// the model's size) is copied, not resampled: the copy gives what the
// bilinear resampling gives, in every pixel format, cropped or not.
func TestLetterboxCopyIsTheResampling(t *testing.T) {
	f := Frame{W: 40, H: 30, RGB: make([]byte, 40*30*3)}
	for i := range f.RGB {
		f.RGB[i] = byte(i*7 + i/5)
	}
	for _, c := range []struct {
		name string
		l    letterbox
	}{
		{"whole frame, padded", fitLetterbox(40, 30, 40, 16)},  // 40×30 in 48×32
		{"crop", fitCrop(40, 30, [4]int{5, 4, 25, 14}, 20, 0)}, // 20×10 in 20×20
		{"exact", fitLetterbox(40, 30, 40, 2)},                 // no padding at all
		{"square", newLetterbox(40, 30, 40)},                   // 40×30 in 40×40
	} {
		if c.l.NW != c.l.W || c.l.NH != c.l.H {
			t.Fatalf("%s: %+v resizes", c.name, c.l)
		}
		for _, px := range []pixels{{Scale: 1}, {NCHW: true, Scale: 1.0 / 255}, {Gray: true, Scale: 2.0 / 255, Offset: -1}} {
			n := c.l.InW * c.l.InH * 3
			got, want := make([]float32, n), make([]float32, n)
			for i := range got {
				got[i], want[i] = -7, -7
			}
			c.l.fillPixels(f, got, px)
			ref := c.l
			ref.W++ // not the same size: fillPixels resamples (at whole pixels: scale 1)
			ref.fillPixels(Frame{W: f.W, H: f.H, RGB: f.RGB}, want, px)
			for i := range got {
				if !near(got[i], want[i]) {
					t.Errorf("%s %+v: value %d = %v, resampling gives %v", c.name, px, i, got[i], want[i])
					break
				}
			}
		}
	}
}

// BenchmarkLetterboxFill is the letterbox of a frame the analysis samples
// (512×288, the detector's size: copied, not resized) into the model input,
// and of a 768×432 one (resized).
func BenchmarkLetterboxFill(b *testing.B) {
	for _, w := range []int{512, 768} {
		h := w * 9 / 16
		f := Frame{W: w, H: h, RGB: make([]byte, w*h*3)}
		for i := range f.RGB {
			f.RGB[i] = byte(i * 7)
		}
		l := fitLetterbox(f.W, f.H, 512, 32)
		dst := make([]float32, l.InW*l.InH*3)
		b.Run(fmt.Sprintf("%dx%d", w, h), func(b *testing.B) {
			for range b.N {
				l.fill(f, dst, true, 1)
			}
		})
	}
}
