package analysis

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/detect"
)

func obj(class string, score float32, x, y, w, h float32) detect.Object {
	return detect.Object{Class: class, Score: score, Box: [4]float32{x, y, w, h}}
}

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func TestIoU(t *testing.T) {
	a := [4]float32{0, 0, 0.2, 0.2}
	cases := []struct {
		b    [4]float32
		want float64
	}{
		{a, 1},
		{[4]float32{0.1, 0, 0.2, 0.2}, 1.0 / 3},       // half of each overlaps
		{[4]float32{0.2, 0, 0.2, 0.2}, 0},             // edges touch
		{[4]float32{0.05, 0.05, 0.1, 0.1}, 0.25},      // inside
		{[4]float32{0.5, 0.5, 0.1, 0.1}, 0},           // apart
		{[4]float32{0.1, 0.1, 0.2, 0.2}, 0.01 / 0.07}, // a corner
	}
	for _, c := range cases {
		if got := IoU(a, c.b); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("IoU(%v, %v) = %v, want %v", a, c.b, got, c.want)
		}
	}
}

func TestTrackerMergesAnObjectAcrossSamples(t *testing.T) {
	var tr Tracker
	// A dog walks right, missed once at 1.5 s; a car parks on the right
	// from 1 s; a chair (no type) stays.
	tr.Add(sec(0), []detect.Object{obj("dog", 0.6, 0.10, 0.5, 0.2, 0.2), obj("chair", 0.9, 0.5, 0.5, 0.1, 0.1)})
	tr.Add(sec(0.5), []detect.Object{obj("dog", 0.8, 0.14, 0.5, 0.2, 0.2)})
	tr.Add(sec(1), []detect.Object{obj("dog", 0.7, 0.18, 0.5, 0.2, 0.2), obj("car", 0.5, 0.7, 0.2, 0.25, 0.2)})
	tr.Add(sec(1.5), []detect.Object{obj("car", 0.9, 0.71, 0.2, 0.25, 0.2)})
	tr.Add(sec(2), []detect.Object{obj("dog", 0.5, 0.24, 0.5, 0.2, 0.2), obj("car", 0.6, 0.7, 0.21, 0.25, 0.2)})
	got := tr.Detections()
	want := []cam2drive.Detection{
		{Source: "model", Type: "animal", Label: "dog", Score: 0.8, Box: [4]float64{0.14, 0.5, 0.2, 0.2}, Start: 0, End: sec(2)},
		{Source: "model", Type: "vehicle", Label: "car", Score: 0.9, Box: [4]float64{0.71, 0.2, 0.25, 0.2}, Start: sec(1), End: sec(2)},
	}
	checkDetections(t, got, want)
}

func TestTrackerSplitsWhatItCannotJoin(t *testing.T) {
	var tr Tracker
	// Two people side by side, one dog gone for two samples (a new
	// appearance), a person jumping across the frame (no overlap: another
	// person), and a car where the dog was (another type).
	tr.Add(sec(0), []detect.Object{obj("person", 0.9, 0.1, 0.1, 0.1, 0.3), obj("person", 0.8, 0.4, 0.1, 0.1, 0.3), obj("dog", 0.7, 0.6, 0.6, 0.2, 0.2)})
	tr.Add(sec(1), []detect.Object{obj("person", 0.7, 0.41, 0.1, 0.1, 0.3), obj("person", 0.95, 0.11, 0.1, 0.1, 0.3)})
	tr.Add(sec(2), []detect.Object{obj("person", 0.6, 0.8, 0.6, 0.1, 0.3), obj("car", 0.6, 0.6, 0.6, 0.2, 0.2)})
	tr.Add(sec(3), []detect.Object{obj("dog", 0.5, 0.6, 0.6, 0.2, 0.2)})
	want := []cam2drive.Detection{
		{Source: "model", Type: "animal", Label: "dog", Score: 0.7, Box: [4]float64{0.6, 0.6, 0.2, 0.2}, Start: 0, End: 0},
		{Source: "model", Type: "person", Label: "person", Score: 0.95, Box: [4]float64{0.11, 0.1, 0.1, 0.3}, Start: 0, End: sec(1)},
		{Source: "model", Type: "person", Label: "person", Score: 0.8, Box: [4]float64{0.4, 0.1, 0.1, 0.3}, Start: 0, End: sec(1)},
		{Source: "model", Type: "person", Label: "person", Score: 0.6, Box: [4]float64{0.8, 0.6, 0.1, 0.3}, Start: sec(2), End: sec(2)},
		{Source: "model", Type: "vehicle", Label: "car", Score: 0.6, Box: [4]float64{0.6, 0.6, 0.2, 0.2}, Start: sec(2), End: sec(2)},
		{Source: "model", Type: "animal", Label: "dog", Score: 0.5, Box: [4]float64{0.6, 0.6, 0.2, 0.2}, Start: sec(3), End: sec(3)},
	}
	checkDetections(t, tr.Detections(), want)
}

// Each object continues the track it overlaps most, even when the detector
// lists them in the other order.
func TestTrackerMatchesGreedilyByOverlap(t *testing.T) {
	var tr Tracker
	tr.Add(0, []detect.Object{obj("car", 0.9, 0.0, 0.0, 0.3, 0.3), obj("car", 0.8, 0.2, 0.0, 0.3, 0.3)})
	// The second car moved a little left: it overlaps the first track
	// (IoU 0.33) but the second more (0.71). Taken in the detector's
	// order, it would steal the first track and the first car, overlapping
	// the second track by 0.2 only, would start a third.
	tr.Add(sec(1), []detect.Object{obj("car", 0.85, 0.15, 0.0, 0.3, 0.3), obj("car", 0.95, 0.0, 0.0, 0.3, 0.3)})
	got := tr.Detections()
	if len(got) != 2 {
		t.Fatalf("%d detections, want 2: %+v", len(got), got)
	}
	for _, d := range got {
		if d.End != sec(1) {
			t.Errorf("each car is seen in both samples: %+v", d)
		}
	}
	if got[0].Box[0] != 0 || got[0].Score != 0.95 || got[1].Box[0] != 0.15 || got[1].Score != 0.85 {
		t.Errorf("tracks swapped: %+v", got)
	}
}

func checkDetections(t *testing.T, got, want []cam2drive.Detection) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d detections, want %d:\n got %+v\nwant %+v", len(got), len(want), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("detection %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// The model scores each class apart: a horse may also come out as a cow
// and a sheep at the same place, and as a cow first in the next sample.
// One animal, named by its best score; two horses side by side, and a
// person on a horse, stay apart.
func TestTrackerKeepsOneNamePerObject(t *testing.T) {
	var tr Tracker
	tr.Add(0, []detect.Object{obj("cow", 0.38, 0.634, 0.34, 0.306, 0.418), obj("horse", 0.60, 0.634, 0.34, 0.307, 0.419),
		obj("sheep", 0.40, 0.634, 0.34, 0.307, 0.42), obj("horse", 0.5, 0.3, 0.34, 0.3, 0.42), obj("person", 0.7, 0.64, 0.3, 0.2, 0.3)})
	tr.Add(sec(1), []detect.Object{obj("cow", 0.7, 0.63, 0.34, 0.306, 0.418), obj("horse", 0.5, 0.63, 0.34, 0.307, 0.419)})
	want := []string{"animal cow 0.7 1s", "animal horse 0.5 0s", "person person 0.7 0s"}
	var got []string
	for _, d := range tr.Detections() {
		got = append(got, fmt.Sprintf("%s %s %v %v", d.Type, d.Label, d.Score, d.End))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("detections %q, want %q", got, want)
	}
}

// A HOLO4 algorithm's tracker keeps every hit under the algorithm's id,
// whatever the rule labelled it, with its own source: a rider seen on a
// bicycle then a motorcycle (the detector hesitating) is one detection,
// labelled by its best hit; a rider elsewhere is another.
func TestTrackerForAnAlgorithm(t *testing.T) {
	tr := Tracker{Type: func(string) string { return "no_helmet_two_wheeler" }, Source: "holo4"}
	tr.Add(sec(0), []detect.Object{obj("bicycle", 0.5, 0.1, 0.1, 0.3, 0.5)})
	tr.Add(sec(0.5), []detect.Object{obj("motorcycle", 0.7, 0.12, 0.1, 0.3, 0.5), obj("bicycle", 0.4, 0.7, 0.1, 0.2, 0.4)})
	tr.Add(sec(1), []detect.Object{obj("bicycle", 0.6, 0.14, 0.1, 0.3, 0.5)})
	got := tr.Detections()
	if len(got) != 2 {
		t.Fatalf("detections %+v, want two riders", got)
	}
	first := got[0]
	if first.Source != "holo4" || first.Type != "no_helmet_two_wheeler" || first.Label != "motorcycle" || first.Score != 0.7 ||
		first.Start != 0 || first.End != sec(1) {
		t.Errorf("first rider %+v", first)
	}
	if got[1].Type != "no_helmet_two_wheeler" || got[1].Start != sec(0.5) || got[1].End != sec(0.5) {
		t.Errorf("second rider %+v", got[1])
	}
	var model Tracker
	model.Add(0, []detect.Object{obj("cup", 0.9, 0.1, 0.1, 0.1, 0.1), obj("dog", 0.8, 0.5, 0.5, 0.1, 0.1)})
	if d := model.Detections(); len(d) != 1 || d[0].Source != "model" || d[0].Type != "animal" {
		t.Errorf("the zero tracker: %+v, want the dog as an animal from the model", d)
	}
}

// Sampled at 2 frames/s, a passing car overlaps its last box not at all
// and a walking person little: each is still one detection, while two
// people walking side by side stay two, and a car that appears far away
// as another drives off is another car.
func TestTrackerFollowsWhatMovesFastBetweenSamples(t *testing.T) {
	var tr Tracker
	for i, x := range []float32{0.0, 0.22, 0.46, 0.72, 0.96} { // a car speeding up, 1.1 to 1.2 lengths a sample
		objs := []detect.Object{obj("car", 0.8, x, 0.6, 0.2, 0.12),
			obj("person", 0.9, 0.10+0.06*float32(i), 0.2, 0.08, 0.25), obj("person", 0.7, 0.30+0.06*float32(i), 0.2, 0.08, 0.25)}
		if i == 2 {
			objs = objs[1:] // the car missed once
		}
		tr.Add(sec(0.5*float64(i)), objs)
	}
	tr.Add(sec(2.5), []detect.Object{obj("car", 0.6, 0.05, 0.6, 0.2, 0.12)}) // another car, back on the left
	var got []string
	for _, d := range tr.Detections() {
		got = append(got, fmt.Sprintf("%s %.2f-%v..%v", d.Type, d.Box[0], d.Start, d.End))
	}
	want := []string{"person 0.10-0s..2s", "person 0.30-0s..2s", "vehicle 0.00-0s..2s", "vehicle 0.05-2.5s..2.5s"}
	if !slices.Equal(got, want) {
		t.Fatalf("detections %q, want %q", got, want)
	}
}

// A box far bigger or smaller is not the same object, however near.
func TestTrackerDoesNotJoinBoxesOfVeryDifferentSizes(t *testing.T) {
	var tr Tracker
	tr.Add(0, []detect.Object{obj("person", 0.9, 0.40, 0.3, 0.05, 0.12)})    // far away
	tr.Add(sec(1), []detect.Object{obj("person", 0.9, 0.50, 0.2, 0.2, 0.6)}) // close to the camera
	if n := len(tr.Detections()); n != 2 {
		t.Fatalf("%d detections, want 2: %+v", n, tr.Detections())
	}
	// A big box (close to the camera) is not followed across half the
	// picture from one sample to the next, though that is within 1.5 sizes.
	tr = Tracker{}
	tr.Add(0, []detect.Object{obj("dog", 0.9, 0.05, 0.3, 0.3, 0.55)})
	tr.Add(sec(0.5), []detect.Object{obj("horse", 0.9, 0.55, 0.3, 0.3, 0.45)})
	if n := len(tr.Detections()); n != 2 {
		t.Fatalf("a jump across the picture: %d detections, want 2: %+v", n, tr.Detections())
	}
}
