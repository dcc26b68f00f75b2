package holo4

import (
	"slices"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// A yellow taxi is a car whose body is yellow. The body is the centre of
// the car's box (TaxiBody*: fractions of the box), which leaves out most of
// the road, wheels and roof edges; dark and grey pixels (windows, tyres,
// shadows, chrome, tarmac) are not colours and are left out of the body's
// colour histogram.
const (
	TaxiBodyLeft, TaxiBodyRight = 0.15, 0.85
	TaxiBodyTop, TaxiBodyBottom = 0.35, 0.85
)

const (
	TaxiColouredMin = 0.2   // of the body region must be coloured (not dark or grey)
	TaxiYellowMin   = 0.5   // of the coloured pixels must be yellow (the dominant colour)
	TaxiClass       = "car" // the detector's class a taxi is
)

// bodyHue sorts a pixel into a hue family, "" for dark and grey pixels.
func bodyHue(p pixel) string {
	if p.V < 0.25 || p.S < 0.2 {
		return ""
	}
	switch {
	case hueIn(p.H, 38, 68):
		if p.S >= 0.45 && p.V >= 0.45 {
			return "yellow"
		}
		return "olive" // dull yellows: beige, khaki, dirt
	case hueIn(p.H, 15, 38):
		return "orange"
	case hueIn(p.H, 68, 170):
		return "green"
	case hueIn(p.H, 170, 260):
		return "blue"
	case hueIn(p.H, 260, 330):
		return "purple"
	}
	return "red"
}

// YellowTaxi (urban) finds cars whose body's dominant colour is yellow.
// The score is the detector's, times the yellow share of the coloured
// pixels.
func YellowTaxi(s Scene) []Hit {
	if !slices.ContainsFunc(s.Objects, func(o detect.Object) bool { return o.Class == TaxiClass }) || monochrome(s.Frame) {
		return nil
	}
	var out []Hit
	for _, o := range s.Objects {
		if o.Class != TaxiClass {
			continue
		}
		b := o.Box
		body := [4]float32{b[0] + b[2]*TaxiBodyLeft, b[1] + b[3]*TaxiBodyTop, b[2] * (TaxiBodyRight - TaxiBodyLeft), b[3] * (TaxiBodyBottom - TaxiBodyTop)}
		sh := classify(s.Frame, pixelRect(s.Frame, body), nil, bodyHue)
		coloured := 0
		for _, n := range sh.count {
			coloured += n
		}
		if sh.n == 0 || float64(coloured) < TaxiColouredMin*float64(sh.n) {
			continue
		}
		yellow := float64(sh.count["yellow"]) / float64(coloured)
		if yellow < TaxiYellowMin {
			continue
		}
		out = append(out, Hit{Box: b, Label: o.Class, Score: clamp01(float64(o.Score) * yellow)})
	}
	return out
}
