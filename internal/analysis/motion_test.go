package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// scene draws 320×180 frames: a fixed textured background (a street does
// not look flat), fresh sensor noise in every frame, and white blocks.
type scene struct {
	bg    []uint8
	rng   *rand.Rand
	noise float64 // standard deviation, in levels
}

const sceneW, sceneH = 320, 180

func newScene(seed uint64, noise float64) *scene {
	s := &scene{rng: rand.New(rand.NewPCG(seed, 1)), noise: noise, bg: make([]uint8, sceneW*sceneH)}
	for i := range s.bg {
		s.bg[i] = uint8(60 + s.rng.IntN(120))
	}
	return s
}

// frame draws the scene, brighter by shift, with a 32×32 block at each of
// the given top-left corners.
func (s *scene) frame(shift int, blocks ...[2]int) detect.Frame {
	f := detect.Frame{W: sceneW, H: sceneH, RGB: make([]byte, sceneW*sceneH*3)}
	for y := range sceneH {
		for x := range sceneW {
			v := float64(s.bg[y*sceneW+x]) + float64(shift) + s.rng.NormFloat64()*s.noise
			for _, b := range blocks {
				if x >= b[0] && x < b[0]+32 && y >= b[1] && y < b[1]+32 {
					v = 250
				}
			}
			v = math.Max(0, math.Min(255, math.Round(v)))
			i := (y*sceneW + x) * 3
			f.RGB[i], f.RGB[i+1], f.RGB[i+2] = uint8(v), uint8(v), uint8(v)
		}
	}
	return f
}

func TestMotionIgnoresNoiseAndLight(t *testing.T) {
	for _, noise := range []float64{3, 10, 20} {
		s := newScene(1, noise)
		var m Motion
		for i := range 8 {
			shift := 0
			if i >= 4 {
				shift = 40 // the lights come on, or the exposure changes
			}
			m.Add(sec(float64(i)*0.5), s.frame(shift))
		}
		if d := m.Detections(); len(d) != 0 {
			t.Errorf("noise σ=%v and a brightness change: motion %+v", noise, d)
		}
	}
	// The whole picture changes (the infrared switch, the camera turned):
	// not something moving.
	var m Motion
	m.Add(0, newScene(1, 3).frame(0))
	m.Add(sec(0.5), newScene(2, 3).frame(0))
	if d := m.Detections(); len(d) != 0 {
		t.Errorf("scene change: motion %+v", d)
	}
}

func TestMotionFindsAMovingBlock(t *testing.T) {
	s := newScene(3, 10)
	var m Motion
	// Still for a second, then a block crosses from x=40 to x=200 in 2 s
	// (y=80), then still again.
	m.Add(0, s.frame(0, [2]int{40, 80}))
	m.Add(sec(0.5), s.frame(0, [2]int{40, 80}))
	for i := range 5 {
		m.Add(sec(1+float64(i)*0.5), s.frame(0, [2]int{40 + 40*i, 80}))
	}
	m.Add(sec(3.5), s.frame(0, [2]int{200, 80}))
	m.Add(sec(4), s.frame(0, [2]int{200, 80}))
	d := m.Detections()
	if len(d) != 1 {
		t.Fatalf("%d detections, want 1: %+v", len(d), d)
	}
	got := d[0]
	if got.Source != "rule" || got.Type != "motion" || got.Label != MotionLabel {
		t.Errorf("detection %+v", got)
	}
	if got.Start != sec(1) || got.End != sec(3) {
		t.Errorf("motion from %v to %v, want 1s to 3s", got.Start, got.End)
	}
	// The changed area: x 40..232, y 80..112, within a cell (3.3 px).
	want := [4]float64{40.0 / sceneW, 80.0 / sceneH, 192.0 / sceneW, 32.0 / sceneH}
	for i, tol := range []float64{4.0 / sceneW, 4.0 / sceneH, 8.0 / sceneW, 8.0 / sceneH} {
		if math.Abs(got.Box[i]-want[i]) > tol {
			t.Errorf("box %v, want %v", got.Box, want)
			break
		}
	}
}

func TestMotionJoinsOverOneQuietPair(t *testing.T) {
	run := func(quiet int) []time.Duration {
		s := newScene(4, 5)
		var m Motion
		at := 0.0
		add := func(x int) { m.Add(sec(at), s.frame(0, [2]int{x, 60})); at += 0.5 }
		add(0)
		add(40)
		add(80)
		for range quiet {
			add(80)
		}
		add(120)
		var out []time.Duration
		for _, d := range m.Detections() {
			out = append(out, d.Start, d.End)
		}
		return out
	}
	if got := run(1); len(got) != 2 || got[0] != 0 || got[1] != sec(2) {
		t.Errorf("one quiet pair: %v, want one motion 0–2s", got)
	}
	if got := run(2); len(got) != 4 || got[1] != sec(1) || got[2] != sec(2) || got[3] != sec(2.5) {
		t.Errorf("two quiet pairs: %v, want two motions 0–1s and 2–2.5s", got)
	}
}

func TestGridSize(t *testing.T) {
	cases := []struct{ w, h, gw, gh int }{{512, 288, 96, 54}, {288, 512, 54, 96}, {64, 48, 64, 48}, {320, 240, 96, 72}}
	for _, c := range cases {
		if gw, gh := gridSize(c.w, c.h); gw != c.gw || gh != c.gh {
			t.Errorf("gridSize(%d, %d) = %d×%d, want %d×%d", c.w, c.h, gw, gh, c.gw, c.gh)
		}
	}
}
