package holo4

import (
	"image"
	"math"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// The head of a person, located by the pose model's face keypoints (nose,
// eyes, ears) and sized by the ears, the shoulders or the eyes; the rules
// about helmets and headphones read the colours around it.

// Head geometry, as ratios of the head's width (see docs/ai/holo4.md).
const (
	HeadPerEars     = 1.15 // head width / distance between the ear keypoints
	HeadPerShoulder = 0.45 // head width / shoulder width
	HeadPerEyes     = 2.5  // head width / distance between the eye keypoints
	HeadMinPixels   = 8    // a smaller head is too few pixels to judge
	// The crown region, where a helmet sits: from CrownBottom to CrownTop
	// head widths above the eyes, CrownWidth head widths wide.
	CrownBottom = 0.3
	CrownTop    = 0.95
	CrownWidth  = 1.1
	// MinVisible is the share of a region that must lie inside the frame
	// for a decision (a head cut by the frame's top is not judged).
	MinVisible = 0.6
)

// head is where a person's head is in a frame, in pixels.
type head struct {
	cx, eyeY, width float64
	conf            float64 // mean confidence of the keypoints used
	ears            [2]point
	bothEars        bool
}

// headOf locates the head of p: it needs two confident face keypoints, one
// of them the nose or an eye (the eye line must be known), and a size.
func headOf(f detect.Frame, p detect.Pose) (head, bool) {
	var h head
	var xs, eyes []float64
	var sum float64
	for _, i := range []int{detect.Nose, detect.LeftEye, detect.RightEye, detect.LeftEar, detect.RightEar} {
		pt, ok := kp(f, p, i)
		if !ok {
			continue
		}
		xs = append(xs, pt.x)
		sum += float64(p.Keypoints[i].Score)
		if i == detect.LeftEye || i == detect.RightEye {
			eyes = append(eyes, pt.y)
		}
	}
	nose, noseOK := kp(f, p, detect.Nose)
	if len(xs) < 2 || (len(eyes) == 0 && !noseOK) {
		return h, false
	}
	le, leOK := kp(f, p, detect.LeftEar)
	re, reOK := kp(f, p, detect.RightEar)
	ls, lsOK := kp(f, p, detect.LeftShoulder)
	rs, rsOK := kp(f, p, detect.RightShoulder)
	ly, lyOK := kp(f, p, detect.LeftEye)
	ry, ryOK := kp(f, p, detect.RightEye)
	switch {
	case leOK && reOK:
		h.width = le.dist(re) * HeadPerEars
	case lsOK && rsOK:
		h.width = ls.dist(rs) * HeadPerShoulder
	case lyOK && ryOK:
		h.width = ly.dist(ry) * HeadPerEyes
	}
	if h.width < HeadMinPixels {
		return h, false
	}
	h.cx = mean(xs)
	if len(eyes) > 0 {
		h.eyeY = mean(eyes)
	} else {
		h.eyeY = nose.y - 0.3*h.width // the nose tip is below the eyes
	}
	h.conf = sum / float64(len(xs))
	h.ears, h.bothEars = [2]point{le, re}, leOK && reOK
	return h, true
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// rect is a pixel rectangle from its corners in float pixels.
func rect(x0, y0, x1, y1 float64) image.Rectangle {
	return image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1)))
}

// crown is the region above the eyes where a helmet sits.
func (h head) crown() image.Rectangle {
	half := h.width * CrownWidth / 2
	return rect(h.cx-half, h.eyeY-CrownTop*h.width, h.cx+half, h.eyeY-CrownBottom*h.width)
}

// visible tells whether enough of r lies inside the frame to judge it.
func visible(f detect.Frame, r image.Rectangle) bool {
	in := r.Intersect(image.Rect(0, 0, f.W, f.H))
	return r.Dx() > 0 && r.Dy() > 0 && float64(in.Dx()*in.Dy()) >= MinVisible*float64(r.Dx()*r.Dy())
}

// Helmet colours: a hard hat is a smooth shell of one of a few strong
// colours (EN 397 helmets: white, yellow, orange, red, blue, green), unlike
// skin (orange hues of low saturation) and hair (dark or unsaturated).
const (
	HelmetMinShare   = 0.4 // of the crown region in one helmet colour
	HelmetMaxTexture = 18  // mean luma step of those pixels (0..255): a shell is smooth
)

// hardHat names the helmet colour of a pixel, "" for none.
func hardHat(p pixel) string {
	switch {
	case p.S <= 0.18 && p.V >= 0.78:
		return "white"
	case p.S < 0.5 || p.V < 0.35:
		return ""
	case hueIn(p.H, 40, 70) && p.S >= 0.6:
		return "yellow"
	case hueIn(p.H, 15, 40) && p.S >= 0.7:
		return "orange"
	case hueIn(p.H, 340, 15) && p.S >= 0.65:
		return "red"
	case hueIn(p.H, 190, 250):
		return "blue"
	case hueIn(p.H, 90, 160):
		return "green"
	}
	return ""
}

// Riders' helmets are often black: a dark, smooth crown with a specular
// highlight (a varnished shell) counts as a helmet on a two-wheeler.
const (
	RiderDarkShare      = 0.35 // of the crown region dark (value < 0.3)
	RiderHighlightShare = 0.02 // and this much near-white highlight
)

// riderHelmet names a pixel's colour for riders: the hard-hat colours and dark.
func riderHelmet(p pixel) string {
	if p.V < 0.3 {
		return "dark"
	}
	return hardHat(p)
}

// helmetCheck is what the crown region of a head says.
type helmetCheck struct {
	decided bool    // the crown was in the frame and large enough
	helmet  bool    // a helmet colour holds it
	share   float64 // the share of the best helmet colour
}

// checkHelmet reads the crown of h; rider adds the dark varnished shells.
func checkHelmet(f detect.Frame, h head, rider bool) helmetCheck {
	r := h.crown()
	if !visible(f, r) {
		return helmetCheck{}
	}
	class := hardHat
	if rider {
		class = riderHelmet
	}
	s := classify(f, r, nil, class)
	if s.n == 0 {
		return helmetCheck{}
	}
	c := helmetCheck{decided: true}
	if rider {
		dark, tex := s.frac("dark"), 0.0
		if s.count["dark"] > 0 {
			tex = s.texture["dark"] / float64(s.count["dark"])
		}
		if dark >= RiderDarkShare && s.frac("white") >= RiderHighlightShare && tex <= HelmetMaxTexture {
			c.helmet, c.share = true, dark+s.frac("white")
		}
		delete(s.count, "dark")
	}
	if _, share, tex := s.dominant(); share >= HelmetMinShare && tex <= HelmetMaxTexture {
		c.helmet, c.share = true, max(c.share, share)
	} else if !c.helmet {
		c.share = share
	}
	return c
}

// NoHelmet (construction site) finds people whose head is visible and
// carries no helmet: a pose with a located head whose crown region has no
// helmet colour mass. The score is the head keypoints' confidence, less as
// helmet colour approaches the threshold.
func NoHelmet(s Scene) []Hit {
	if len(s.Poses) == 0 || monochrome(s.Frame) {
		return nil
	}
	var out []Hit
	for _, p := range s.Poses {
		h, ok := headOf(s.Frame, p)
		if !ok {
			continue
		}
		c := checkHelmet(s.Frame, h, false)
		if !c.decided || c.helmet {
			continue
		}
		out = append(out, Hit{Box: p.Person.Box, Label: "person", Score: clamp01(h.conf * (1 - c.share/HelmetMinShare/2))})
	}
	return out
}

// Riding: a person is on a two-wheeler when RideOverlap of their box lies
// in its box and their centre is above it (within its width).
const RideOverlap = 0.2

// NoHelmetTwoWheeler (urban) finds riders of a motorcycle or a bicycle
// without a helmet: the head analysis of NoHelmet, for people on one.
func NoHelmetTwoWheeler(s Scene) []Hit {
	if len(s.Poses) == 0 || monochrome(s.Frame) {
		return nil
	}
	var out []Hit
	for _, p := range s.Poses {
		bike, ok := ridden(s.Objects, p.Person.Box)
		if !ok {
			continue
		}
		h, ok := headOf(s.Frame, p)
		if !ok {
			continue
		}
		c := checkHelmet(s.Frame, h, true)
		if !c.decided || c.helmet {
			continue
		}
		out = append(out, Hit{Box: union(p.Person.Box, bike.Box), Label: bike.Class,
			Score: clamp01(h.conf * (1 - c.share/HelmetMinShare/2))})
	}
	return out
}

// ridden returns the two-wheeler a person box is on.
func ridden(objs []detect.Object, person [4]float32) (detect.Object, bool) {
	area := float64(person[2]) * float64(person[3])
	cx, _ := centre(person)
	for _, o := range objs {
		if o.Class != "motorcycle" && o.Class != "bicycle" {
			continue
		}
		if area > 0 && intersection(person, o.Box)/area >= RideOverlap && cx >= o.Box[0] && cx <= o.Box[0]+o.Box[2] {
			return o, true
		}
	}
	return detect.Object{}, false
}
