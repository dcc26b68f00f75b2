package holo4

import (
	"image"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// Coffee: a cup is in someone's hand when its centre is within CupReach
// shoulder widths of a confident wrist keypoint (or the wrist is in the
// cup's box). Without a wrist (no pose, or hands hidden), a cup whose centre
// lies in the upper half of a person's box counts: held at chest height.
const CupReach = 0.6

// Coffee (fun at work) finds people holding a cup. The box is the person's
// and the cup's; the score the lower of the two detector scores.
func Coffee(s Scene) []Hit {
	var out []Hit
	for _, person := range Persons(s.Objects) {
		best := Hit{Score: -1}
		for _, cup := range s.Objects {
			if cup.Class != "cup" || !holds(s, person, cup.Box) {
				continue
			}
			if sc := min(person.Score, cup.Score); sc > best.Score {
				best = Hit{Box: union(person.Box, cup.Box), Label: "cup", Score: sc}
			}
		}
		if best.Score >= 0 {
			out = append(out, best)
		}
	}
	return out
}

// holds tells whether the person holds the cup at box: by a wrist when the
// pose shows one, else by the upper half of the person's box.
func holds(s Scene, person detect.Object, cup [4]float32) bool {
	cx, cy := centre(cup)
	if p, ok := poseOf(s.Poses, person.Box); ok {
		reach := float64(person.Box[2]) * float64(s.Frame.W) * 0.5 // shoulder width when the shoulders are not seen
		ls, lsOK := kp(s.Frame, p, detect.LeftShoulder)
		rs, rsOK := kp(s.Frame, p, detect.RightShoulder)
		if lsOK && rsOK {
			reach = ls.dist(rs)
		}
		reach *= CupReach
		c := point{float64(cx) * float64(s.Frame.W), float64(cy) * float64(s.Frame.H)}
		seen := false
		for _, i := range []int{detect.LeftWrist, detect.RightWrist} {
			w, ok := kp(s.Frame, p, i)
			if !ok {
				continue
			}
			seen = true
			wx, wy := p.Keypoints[i].X, p.Keypoints[i].Y
			if w.dist(c) <= reach || contains(grow(cup, 0.25), wx, wy) {
				return true
			}
		}
		if seen {
			return false // the hands are seen, away from the cup
		}
	}
	b := person.Box
	return cx >= b[0] && cx <= b[0]+b[2] && cy >= b[1] && cy <= b[1]+b[3]/2
}

// grow enlarges a box by frac of its size on each side.
func grow(b [4]float32, frac float32) [4]float32 {
	return [4]float32{b[0] - b[2]*frac, b[1] - b[3]*frac, b[2] * (1 + 2*frac), b[3] * (1 + 2*frac)}
}

// HappyMin is the expression model's score for "happy" from which a face
// counts as a friendly mood.
const HappyMin = 0.6

// FriendlyMood (fun at work) finds happy faces: the expression model reads
// "happy" at HappyMin or more. When the detector found people in the frame,
// the face must be in one of them (a smiling poster is not an employee).
func FriendlyMood(s Scene) []Hit {
	people := Persons(s.Objects)
	var out []Hit
	for _, f := range s.Faces {
		if f.Expression != "happy" || f.ExpressionScore < HappyMin {
			continue
		}
		cx, cy := centre(f.Box)
		if len(people) > 0 && !inAny(people, cx, cy) {
			continue
		}
		out = append(out, Hit{Box: f.Box, Label: "happy", Score: f.ExpressionScore})
	}
	return out
}

func inAny(objs []detect.Object, x, y float32) bool {
	for _, o := range objs {
		if contains(o.Box, x, y) {
			return true
		}
	}
	return false
}

// Headphones, best effort: no registry ships a model that knows them, so
// the rule looks for their shape around a frontal head (both ears seen):
// an ear cup on each ear (EarCup head widths square) of one solid,
// smooth, non-skin colour, the same on both sides; the same colour on the
// band region over the crown; and not the same colour under the ears
// (long hair falls there, a headphone's cup does not).
const (
	EarCup          = 0.4  // side of the ear-cup square, in head widths
	EarCupMinShare  = 0.5  // of each ear square in the cups' colour
	BandMinShare    = 0.25 // of the band region in that colour
	UnderEarMax     = 0.5  // of the region under each ear in that colour, at most
	EarCupMaxTex    = 15   // mean luma step of the cup pixels: smooth plastic
	HeadphonesScore = 0.5  // the rule's scores are at most this: it is a guess
)

// solid names a pixel's colour family for the headphones' rule; skin
// tones and mid greys are "".
func solid(p pixel) string {
	switch {
	case p.V < 0.3:
		return "dark"
	case p.S <= 0.15 && p.V >= 0.75:
		return "white"
	case hueIn(p.H, 0, 50) && p.S >= 0.15 && p.S < 0.65:
		return "" // skin
	case p.S >= 0.5:
		return "hue" + string(rune('a'+int(p.H)/30))
	}
	return ""
}

// Headphones (fun at work) finds heads with the shape of headphones. The
// score is at most HeadphonesScore.
func Headphones(s Scene) []Hit {
	var out []Hit
	for _, p := range s.Poses {
		h, ok := headOf(s.Frame, p)
		if !ok || !h.bothEars {
			continue
		}
		colour, share, ok := earCups(s.Frame, h)
		if !ok {
			continue
		}
		band := rect(h.cx-0.45*h.width, h.eyeY-CrownTop*h.width, h.cx+0.45*h.width, h.eyeY-0.6*h.width)
		if !visible(s.Frame, band) || classify(s.Frame, band, nil, solid).frac(colour) < BandMinShare {
			continue
		}
		out = append(out, Hit{Box: p.Person.Box, Label: "headphones", Score: clamp01(HeadphonesScore * h.conf * share)})
	}
	return out
}

// earCups checks both ear squares of h: one solid colour, smooth, the same
// on both sides, and not continued under the ears. It returns the colour
// and its mean share of the squares.
func earCups(f detect.Frame, h head) (string, float64, bool) {
	side := EarCup * h.width
	colour, total := "", 0.0
	for _, e := range h.ears {
		sq := rect(e.x-side/2, e.y-side/2, e.x+side/2, e.y+side/2)
		if !visible(f, sq) {
			return "", 0, false
		}
		c, share, tex := classify(f, sq, nil, solid).dominant()
		if c == "" || share < EarCupMinShare || tex > EarCupMaxTex || (colour != "" && c != colour) {
			return "", 0, false
		}
		under := sq.Add(image.Pt(0, int(1.1*side)))
		if visible(f, under) && classify(f, under, nil, solid).frac(c) > UnderEarMax {
			return "", 0, false
		}
		colour, total = c, total+share/2
	}
	return colour, total, true
}
