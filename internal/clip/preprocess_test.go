package clip

import (
	"math"
	"testing"

	"github.com/cam2drive/cam2drive/internal/detect"
)

func solid(w, h int, r, g, b byte) detect.Frame {
	f := detect.Frame{W: w, H: h, RGB: make([]byte, w*h*3)}
	for i := 0; i < len(f.RGB); i += 3 {
		f.RGB[i], f.RGB[i+1], f.RGB[i+2] = r, g, b
	}
	return f
}

// unnorm turns one model input value back into 0..255.
func unnorm(v float32, ch int) float64 {
	return float64((v*CLIPStd[ch] + CLIPMean[ch]) * 255)
}

func TestPreprocessNormalisesLikeCLIP(t *testing.T) {
	const size = 8
	dst := make([]float32, 3*size*size)
	if err := preprocess(solid(37, 23, 200, 10, 90), size, CLIPMean, CLIPStd, dst); err != nil {
		t.Fatal(err)
	}
	for ch, v := range []float32{200, 10, 90} {
		want := (v/255 - CLIPMean[ch]) / CLIPStd[ch]
		for i := range size * size {
			if got := dst[ch*size*size+i]; math.Abs(float64(got-want)) > 1e-5 {
				t.Fatalf("channel %d pixel %d = %v, want %v", ch, i, got, want)
			}
		}
	}
}

// At scale 1 the centre crop copies the middle pixels exactly: NCHW planes,
// rows in order.
func TestPreprocessCropsTheCentre(t *testing.T) {
	f := detect.Frame{W: 4, H: 2, RGB: make([]byte, 4*2*3)}
	for i := range f.RGB {
		f.RGB[i] = byte(10 * i)
	}
	dst := make([]float32, 3*2*2)
	if err := preprocess(f, 2, CLIPMean, CLIPStd, dst); err != nil {
		t.Fatal(err)
	}
	for ch := range 3 {
		for y := range 2 {
			for x := range 2 {
				want := float64(f.RGB[(y*4+x+1)*3+ch])
				if got := unnorm(dst[ch*4+y*2+x], ch); math.Abs(got-want) > 1e-3 {
					t.Errorf("c%d y%d x%d = %.3f, want %v", ch, y, x, got, want)
				}
			}
		}
	}
}

// A wide frame in three vertical bands (red, green, blue) keeps the green
// middle; a tall one in three horizontal bands keeps its middle too.
func TestPreprocessKeepsTheMiddleOfWideAndTallFrames(t *testing.T) {
	bands := func(w, h int, vertical bool) detect.Frame {
		f := detect.Frame{W: w, H: h, RGB: make([]byte, w*h*3)}
		for y := range h {
			for x := range w {
				band := 3 * x / w
				if !vertical {
					band = 3 * y / h
				}
				f.RGB[(y*w+x)*3+band] = 255
			}
		}
		return f
	}
	const size = 16
	for _, f := range []detect.Frame{bands(300, 100, true), bands(90, 270, false)} {
		dst := make([]float32, 3*size*size)
		if err := preprocess(f, size, CLIPMean, CLIPStd, dst); err != nil {
			t.Fatal(err)
		}
		// The crop is the middle band exactly, up to the blending of the
		// border pixels.
		for i := range size * size {
			r, g, b := unnorm(dst[i], 0), unnorm(dst[size*size+i], 1), unnorm(dst[2*size*size+i], 2)
			if g < 200 || r > 60 || b > 60 {
				t.Fatalf("%d×%d: pixel %d = (%.0f, %.0f, %.0f), want green", f.W, f.H, i, r, g, b)
			}
		}
	}
}

// Shrinking averages all the pixels it covers: a one-pixel checkerboard
// becomes grey, not stripes (which point sampling would give).
func TestPreprocessShrinksWithoutAliasing(t *testing.T) {
	const w, size = 256, 16
	f := detect.Frame{W: w, H: w, RGB: make([]byte, w*w*3)}
	for y := range w {
		for x := range w {
			if (x+y)%2 == 0 {
				f.RGB[(y*w+x)*3], f.RGB[(y*w+x)*3+1], f.RGB[(y*w+x)*3+2] = 255, 255, 255
			}
		}
	}
	dst := make([]float32, 3*size*size)
	if err := preprocess(f, size, CLIPMean, CLIPStd, dst); err != nil {
		t.Fatal(err)
	}
	for i := range size * size {
		if v := unnorm(dst[i], 0); math.Abs(v-127.5) > 3 {
			t.Fatalf("pixel %d = %.1f, want grey", i, v)
		}
	}
}

func TestPreprocessRejectsBadFrames(t *testing.T) {
	dst := make([]float32, 3*4*4)
	for _, f := range []detect.Frame{{}, {W: 2, H: 2, RGB: make([]byte, 5)}} {
		if err := preprocess(f, 4, CLIPMean, CLIPStd, dst); err == nil {
			t.Errorf("%d×%d with %d bytes: no error", f.W, f.H, len(f.RGB))
		}
	}
}
