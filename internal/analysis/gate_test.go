package analysis

import (
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/detect"
)

func TestGateRunsTheDetectorOnChangedFramesOnly(t *testing.T) {
	s := newScene(5, 10)
	var g gate
	runs := 0
	var ran []time.Duration
	frame := func(at time.Duration, f detect.Frame) {
		objs, did, err := g.objects(at, newGrid(f), func() ([]detect.Object, error) {
			runs++
			return []detect.Object{obj("car", float32(runs)/10, 0, 0, 0.1, 0.1)}, nil
		})
		if err != nil || len(objs) != 1 || objs[0].Score != float32(runs)/10 {
			t.Fatalf("at %v: objects %v, %v: want the last run's", at, objs, err)
		}
		if did {
			ran = append(ran, at)
		}
	}
	// Still with sensor noise for 5 s: the first frame, then again once
	// the answer is GateMaxAge old. The lights come on (a uniform change
	// is no change); a block moves for 1 s: every frame; the infrared
	// switch (the whole scene changes): run.
	for i := range 11 {
		frame(sec(float64(i)*0.5), s.frame(0))
	}
	frame(sec(5.5), s.frame(40))
	for i := range 3 {
		frame(sec(6+float64(i)*0.5), s.frame(40, [2]int{80 + 40*i, 80}))
	}
	frame(sec(7.5), newScene(6, 10).frame(0, [2]int{160, 80}))
	want := []time.Duration{0, sec(4), sec(6), sec(6.5), sec(7), sec(7.5)}
	if len(ran) != len(want) {
		t.Fatalf("detector ran at %v, want %v", ran, want)
	}
	for i := range want {
		if ran[i] != want[i] {
			t.Fatalf("detector ran at %v, want %v", ran, want)
		}
	}
	// Another frame size (the stream changed resolution): run.
	small := detect.Frame{W: 160, H: 90, RGB: make([]byte, 160*90*3)}
	if _, did, _ := g.objects(sec(8), newGrid(small), func() ([]detect.Object, error) { return nil, nil }); !did {
		t.Error("a frame of another size reused the last answer")
	}
}
