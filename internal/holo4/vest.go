package holo4

import (
	"github.com/cam2drive/cam2drive/internal/detect"
)

// High-visibility clothing (EN ISO 20471) is fluorescent yellow-green or
// orange: highly saturated and bright. The torso region is the
// quadrilateral shoulders → hips, shrunk toward its centre by TorsoShrink so
// that arms and background at its edges count less.
const (
	VestMinShare = 0.2  // of the torso in hi-vis colours, under which no vest is reported
	TorsoShrink  = 0.15 // of the distance to the quadrilateral's centre
	TorsoMinPix  = 24   // fewer torso pixels than this are too few to judge
)

// hiVis names the hi-vis colour of a pixel, "" for none.
func hiVis(p pixel) string {
	if p.S < 0.55 || p.V < 0.6 {
		return ""
	}
	switch {
	case hueIn(p.H, 50, 95):
		return "yellow_green"
	case hueIn(p.H, 8, 40) && p.S >= 0.7 && p.V >= 0.7:
		return "orange"
	}
	return ""
}

// torso returns the torso quadrilateral of p in pixels and the mean
// confidence of its keypoints: both shoulders and at least one hip must be
// confident (a missing hip is the other one moved by the shoulders' offset).
func torso(f detect.Frame, p detect.Pose) ([]point, float64, bool) {
	ls, lsOK := kp(f, p, detect.LeftShoulder)
	rs, rsOK := kp(f, p, detect.RightShoulder)
	lh, lhOK := kp(f, p, detect.LeftHip)
	rh, rhOK := kp(f, p, detect.RightHip)
	if !lsOK || !rsOK || (!lhOK && !rhOK) {
		return nil, 0, false
	}
	conf := float64(p.Keypoints[detect.LeftShoulder].Score + p.Keypoints[detect.RightShoulder].Score)
	n := 2.0
	switch {
	case !lhOK:
		lh, conf, n = point{rh.x + ls.x - rs.x, rh.y + ls.y - rs.y}, conf+float64(p.Keypoints[detect.RightHip].Score), 3
	case !rhOK:
		rh, conf, n = point{lh.x + rs.x - ls.x, lh.y + rs.y - ls.y}, conf+float64(p.Keypoints[detect.LeftHip].Score), 3
	default:
		conf, n = conf+float64(p.Keypoints[detect.LeftHip].Score+p.Keypoints[detect.RightHip].Score), 4
	}
	q := []point{ls, rs, rh, lh}
	var c point
	for _, v := range q {
		c.x, c.y = c.x+v.x/4, c.y+v.y/4
	}
	for i, v := range q {
		q[i] = point{v.x + (c.x-v.x)*TorsoShrink, v.y + (c.y-v.y)*TorsoShrink}
	}
	return q, conf / n, true
}

// NoVest (construction site) finds people whose torso shows less than
// VestMinShare of hi-vis colours. The score is the torso keypoints'
// confidence, less as hi-vis colour approaches the threshold.
func NoVest(s Scene) []Hit {
	if len(s.Poses) == 0 || monochrome(s.Frame) {
		return nil
	}
	var out []Hit
	for _, p := range s.Poses {
		q, conf, ok := torso(s.Frame, p)
		if !ok {
			continue
		}
		r := bounds(q)
		if !visible(s.Frame, r) {
			continue
		}
		sh := classify(s.Frame, r, inConvex(q), hiVis)
		if sh.n < TorsoMinPix {
			continue
		}
		vis := sh.frac("yellow_green") + sh.frac("orange")
		if vis >= VestMinShare {
			continue
		}
		out = append(out, Hit{Box: p.Person.Box, Label: "person", Score: clamp01(conf * (1 - vis/VestMinShare/2))})
	}
	return out
}
