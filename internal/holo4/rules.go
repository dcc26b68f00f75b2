package holo4

import (
	"github.com/cam2drive/cam2drive/internal/detect"
)

// The rules: each HOLO4 algorithm is a documented rule (docs/ai/holo4.md)
// over what real models found in one frame: the detector's COCO objects,
// the pose model's skeletons and the face model's expressions, plus the
// colours of the frame around them. A rule is a pure function: the same
// frame and model outputs give the same hits.

// Scene is one frame and what the models found in it. Objects is nil when
// no detector ran; Poses and Faces are nil when their model did not run.
type Scene struct {
	Frame   detect.Frame
	Objects []detect.Object
	Poses   []detect.Pose
	Faces   []detect.Face
}

// Hit is one finding of a rule in a frame.
type Hit struct {
	Box   [4]float32 // x, y, w, h as fractions (0..1) of the frame
	Score float32    // 0..1
	Label string     // what was found: "person", "cup", "happy", "car"…
}

// Models is a set of the models a rule reads.
type Models uint8

const (
	Objects Models = 1 << iota // the object detector
	Poses                      // the pose estimator
	Faces                      // the face and expression reader
)

// Rule is the computation of one algorithm of the catalogue.
type Rule struct {
	ID string
	// Needs are the models without which the rule decides nothing; Uses
	// are models it reads when they ran (it is better with them).
	Needs, Uses Models
	Run         func(Scene) []Hit
}

// RuleOf returns the rule of an algorithm id; false for an id without one.
func RuleOf(id string) (Rule, bool) {
	switch id {
	case "no_helmet":
		return Rule{ID: id, Needs: Objects | Poses, Run: NoHelmet}, true
	case "no_vest":
		return Rule{ID: id, Needs: Objects | Poses, Run: NoVest}, true
	case "coffee":
		return Rule{ID: id, Needs: Objects, Uses: Poses, Run: Coffee}, true
	case "friendly_mood":
		return Rule{ID: id, Needs: Faces, Uses: Objects, Run: FriendlyMood}, true
	case "headphones":
		return Rule{ID: id, Needs: Objects | Poses, Run: Headphones}, true
	case "no_helmet_two_wheeler":
		return Rule{ID: id, Needs: Objects | Poses, Run: NoHelmetTwoWheeler}, true
	case "yellow_taxi":
		return Rule{ID: id, Needs: Objects, Run: YellowTaxi}, true
	}
	return Rule{}, false
}

// KeypointMin is the confidence under which a keypoint is not used: a rule
// that needs it decides nothing for that person.
const KeypointMin = 0.3

// kp returns keypoint i of p in pixels and whether it is confident enough.
func kp(f detect.Frame, p detect.Pose, i int) (point, bool) {
	k := p.Keypoints[i]
	return point{float64(k.X) * float64(f.W), float64(k.Y) * float64(f.H)}, k.Score >= KeypointMin
}

// Persons are the detector's person boxes.
func Persons(objs []detect.Object) []detect.Object {
	var out []detect.Object
	for _, o := range objs {
		if o.Class == "person" {
			out = append(out, o)
		}
	}
	return out
}

// poseOf returns the pose read in the person box b (the pose model is given
// the detector's boxes; a box it overlaps by half is the same person).
func poseOf(poses []detect.Pose, b [4]float32) (detect.Pose, bool) {
	best, at := 0.5, -1
	for i, p := range poses {
		if v := iou(p.Person.Box, b); v >= best {
			best, at = v, i
		}
	}
	if at < 0 {
		return detect.Pose{}, false
	}
	return poses[at], true
}

// iou is the intersection over union of two x, y, w, h boxes.
func iou(a, b [4]float32) float64 {
	inter := intersection(a, b)
	union := float64(a[2])*float64(a[3]) + float64(b[2])*float64(b[3]) - inter
	if union <= 0 {
		return 0
	}
	return inter / union
}

func intersection(a, b [4]float32) float64 {
	iw := min(a[0]+a[2], b[0]+b[2]) - max(a[0], b[0])
	ih := min(a[1]+a[3], b[1]+b[3]) - max(a[1], b[1])
	if iw <= 0 || ih <= 0 {
		return 0
	}
	return float64(iw) * float64(ih)
}

// union is the box around a and b.
func union(a, b [4]float32) [4]float32 {
	x0, y0 := min(a[0], b[0]), min(a[1], b[1])
	x1, y1 := max(a[0]+a[2], b[0]+b[2]), max(a[1]+a[3], b[1]+b[3])
	return [4]float32{x0, y0, x1 - x0, y1 - y0}
}

// centre of a box.
func centre(b [4]float32) (x, y float32) { return b[0] + b[2]/2, b[1] + b[3]/2 }

// contains tells whether the point x, y lies in box b.
func contains(b [4]float32, x, y float32) bool {
	return x >= b[0] && x <= b[0]+b[2] && y >= b[1] && y <= b[1]+b[3]
}

// clamp01 keeps a score within 0..1.
func clamp01(v float64) float32 { return float32(min(1, max(0, v))) }
