package holo4

import (
	"testing"

	"github.com/cam2drive/cam2drive/internal/detect"
)

// The scenes below are painted: a 200×200 grey frame with one person
// standing at its centre, whose skeleton (in pixels) is the pose a pose
// model would give, with the colours each rule reads painted where the
// skeleton says the head, torso and ears are.

var (
	grey       = [3]uint8{128, 128, 128}
	skin       = [3]uint8{224, 172, 140}
	hair       = [3]uint8{45, 32, 25}
	yellowHat  = [3]uint8{250, 205, 10}
	whiteHat   = [3]uint8{245, 245, 240}
	blueHat    = [3]uint8{20, 70, 200}
	darkShirt  = [3]uint8{40, 50, 80}
	hiVisGreen = [3]uint8{210, 255, 20}
	hiVisOrng  = [3]uint8{255, 110, 0}
	black      = [3]uint8{15, 15, 18}
)

// personBox is the standing person's box, in fractions of the frame.
var personBox = [4]float32{0.3, 0.05, 0.4, 0.9}

// standing is the person's pose: keypoints in pixels of a 200×200 frame,
// each with confidence conf. Head width: ears 32 px apart → 36.8 px; the
// eyes at y=45, so the crown region is y 10..34, x 80..120.
func standing(conf float32) detect.Pose {
	px := [detect.NumKeypoints][2]float32{
		detect.Nose: {100, 52}, detect.LeftEye: {92, 45}, detect.RightEye: {108, 45},
		detect.LeftEar: {84, 48}, detect.RightEar: {116, 48},
		detect.LeftShoulder: {75, 80}, detect.RightShoulder: {125, 80},
		detect.LeftElbow: {70, 112}, detect.RightElbow: {130, 112},
		detect.LeftWrist: {68, 140}, detect.RightWrist: {132, 140},
		detect.LeftHip: {82, 150}, detect.RightHip: {118, 150},
		detect.LeftKnee: {84, 170}, detect.RightKnee: {116, 170},
		detect.LeftAnkle: {85, 190}, detect.RightAnkle: {115, 190},
	}
	p := detect.Pose{Person: detect.Object{Class: "person", Score: 0.9, Box: personBox}}
	for i, v := range px {
		p.Keypoints[i] = detect.Keypoint{X: v[0] / 200, Y: v[1] / 200, Score: conf}
	}
	return p
}

// moved shifts a pose and its box by dx, dy pixels of the 200×200 frame.
func moved(p detect.Pose, dx, dy float32) detect.Pose {
	for i := range p.Keypoints {
		p.Keypoints[i].X += dx / 200
		p.Keypoints[i].Y += dy / 200
	}
	p.Person.Box[0] += dx / 200
	p.Person.Box[1] += dy / 200
	return p
}

// paintPerson paints the person: crown (hair or helmet), face, torso.
func paintPerson(crown, shirt [3]uint8) canvas {
	f := newCanvas(200, 200, grey)
	f.fill(82, 8, 118, 62, skin)    // the head
	f.fill(70, 70, 130, 155, shirt) // torso
	f.fill(78, 6, 122, 34, crown)   // hair or helmet over the crown
	return f
}

func scene(f canvas, p ...detect.Pose) Scene {
	s := Scene{Frame: f.Frame, Poses: p}
	for _, q := range p {
		s.Objects = append(s.Objects, q.Person)
	}
	return s
}

func TestNoHelmet(t *testing.T) {
	cases := []struct {
		name  string
		scene Scene
		hits  int
	}{
		{"hair", scene(paintPerson(hair, darkShirt), standing(0.8)), 1},
		{"bald", scene(paintPerson(skin, darkShirt), standing(0.8)), 1},
		{"yellow hard hat", scene(paintPerson(yellowHat, darkShirt), standing(0.8)), 0},
		{"white hard hat", scene(paintPerson(whiteHat, darkShirt), standing(0.8)), 0},
		{"blue hard hat", scene(paintPerson(blueHat, darkShirt), standing(0.8)), 0},
		{"head keypoints unsure", scene(paintPerson(hair, darkShirt), standing(0.2)), 0},
		{"no pose", Scene{Frame: paintPerson(hair, darkShirt).Frame, Objects: []detect.Object{{Class: "person", Score: 0.9, Box: personBox}}}, 0},
	}
	// A yellow pattern on the head (a printed cap) is no smooth shell.
	pattern := paintPerson(hair, darkShirt)
	for y := 6; y < 34; y++ {
		for x := 78 + y%2; x < 122; x += 2 {
			pattern.fill(x, y, x+1, y+1, yellowHat)
		}
	}
	cases = append(cases, struct {
		name  string
		scene Scene
		hits  int
	}{"yellow pattern", scene(pattern, standing(0.8)), 1})
	// At the frame's top border the crown is out of the picture: no decision.
	top := newCanvas(200, 200, grey)
	top.fill(82, 0, 118, 20, skin)
	cases = append(cases, struct {
		name  string
		scene Scene
		hits  int
	}{"crown above the frame", scene(top, moved(standing(0.8), 0, -40)), 0})
	for _, c := range cases {
		got := NoHelmet(c.scene)
		if len(got) != c.hits {
			t.Errorf("%s: %d hits %+v, want %d", c.name, len(got), got, c.hits)
			continue
		}
		for _, h := range got {
			if h.Box != personBox || h.Label != "person" || h.Score < 0.2 || h.Score > 0.8 {
				t.Errorf("%s: hit %+v, want the person's box, scored by the head keypoints", c.name, h)
			}
		}
	}
}

func TestNoVest(t *testing.T) {
	oneHip := standing(0.8)
	oneHip.Keypoints[detect.RightHip].Score = 0.1
	noHips := standing(0.8)
	noHips.Keypoints[detect.RightHip].Score, noHips.Keypoints[detect.LeftHip].Score = 0.1, 0.1
	stripes := paintPerson(hair, darkShirt)
	for y := 90; y < 150; y += 20 {
		stripes.fill(70, y, 130, y+8, hiVisGreen) // 40 % of the torso in hi-vis stripes
	}
	thin := paintPerson(hair, darkShirt)
	thin.fill(70, 100, 130, 103, hiVisOrng) // a thin orange line: no vest
	cases := []struct {
		name  string
		scene Scene
		hits  int
	}{
		{"dark shirt", scene(paintPerson(hair, darkShirt), standing(0.8)), 1},
		{"yellow-green vest", scene(paintPerson(hair, hiVisGreen), standing(0.8)), 0},
		{"orange vest", scene(paintPerson(hair, hiVisOrng), standing(0.8)), 0},
		{"vest stripes", scene(stripes, standing(0.8)), 0},
		{"thin orange line", scene(thin, standing(0.8)), 1},
		{"a skin-coloured torso", scene(paintPerson(hair, skin), standing(0.8)), 1},
		{"one hip hidden", scene(paintPerson(hair, darkShirt), oneHip), 1},
		{"both hips hidden", scene(paintPerson(hair, darkShirt), noHips), 0},
		{"shoulders unsure", scene(paintPerson(hair, darkShirt), standing(0.25)), 0},
		{"torso below the frame", scene(paintPerson(hair, darkShirt), moved(standing(0.8), 0, 120)), 0},
	}
	for _, c := range cases {
		got := NoVest(c.scene)
		if len(got) != c.hits {
			t.Errorf("%s: %d hits %+v, want %d", c.name, len(got), got, c.hits)
		}
		for _, h := range got {
			if h.Label != "person" || h.Score < 0.4 {
				t.Errorf("%s: hit %+v", c.name, h)
			}
		}
	}
}

// cupAt is a cup's box 16×20 px centred at x, y of the 200×200 frame.
func cupAt(x, y float32) detect.Object {
	return detect.Object{Class: "cup", Score: 0.7, Box: [4]float32{(x - 8) / 200, (y - 10) / 200, 16.0 / 200, 20.0 / 200}}
}

func TestCoffee(t *testing.T) {
	person := standing(0.8).Person
	f := paintPerson(hair, darkShirt).Frame
	wristsHidden := standing(0.8)
	wristsHidden.Keypoints[detect.LeftWrist].Score, wristsHidden.Keypoints[detect.RightWrist].Score = 0, 0
	cases := []struct {
		name  string
		scene Scene
		hits  int
	}{
		{"cup in the right hand", Scene{Frame: f, Objects: []detect.Object{person, cupAt(134, 136)}, Poses: []detect.Pose{standing(0.8)}}, 1},
		{"cup at the mouth", Scene{Frame: f, Objects: []detect.Object{person, cupAt(100, 70)}, Poses: []detect.Pose{moved(standing(0.8), 0, 0)}}, 0},
		{"cup on the floor, hands away", Scene{Frame: f, Objects: []detect.Object{person, cupAt(150, 190)}, Poses: []detect.Pose{standing(0.8)}}, 0},
		{"no pose, cup at chest height", Scene{Frame: f, Objects: []detect.Object{person, cupAt(110, 70)}}, 1},
		{"no pose, cup at the feet", Scene{Frame: f, Objects: []detect.Object{person, cupAt(110, 180)}}, 0},
		{"wrists hidden, cup at chest height", Scene{Frame: f, Objects: []detect.Object{person, cupAt(110, 70)}, Poses: []detect.Pose{wristsHidden}}, 1},
		{"a cup and nobody", Scene{Frame: f, Objects: []detect.Object{cupAt(110, 70)}}, 0},
		{"a person and no cup", Scene{Frame: f, Objects: []detect.Object{person}, Poses: []detect.Pose{standing(0.8)}}, 0},
	}
	for _, c := range cases {
		got := Coffee(c.scene)
		if len(got) != c.hits {
			t.Errorf("%s: %d hits %+v, want %d", c.name, len(got), got, c.hits)
		}
		for _, h := range got {
			if h.Label != "cup" || h.Score != 0.7 || h.Box[0] != person.Box[0] {
				t.Errorf("%s: hit %+v, want the person and the cup, scored by the lower", c.name, h)
			}
		}
	}
}

func TestFriendlyMood(t *testing.T) {
	f := newCanvas(200, 200, grey).Frame
	face := func(x, y float32, expr string, score float32) detect.Face {
		return detect.Face{Box: [4]float32{x, y, 0.1, 0.12}, Score: 0.9, Expression: expr, ExpressionScore: score}
	}
	person := detect.Object{Class: "person", Score: 0.9, Box: personBox}
	cases := []struct {
		name  string
		scene Scene
		hits  int
	}{
		{"happy in a person", Scene{Frame: f, Objects: []detect.Object{person}, Faces: []detect.Face{face(0.45, 0.1, "happy", 0.85)}}, 1},
		{"happy, no detector", Scene{Frame: f, Faces: []detect.Face{face(0.45, 0.1, "happy", 0.85)}}, 1},
		{"barely happy", Scene{Frame: f, Faces: []detect.Face{face(0.45, 0.1, "happy", 0.45)}}, 0},
		{"neutral", Scene{Frame: f, Faces: []detect.Face{face(0.45, 0.1, "neutral", 0.95)}}, 0},
		{"no expression read", Scene{Frame: f, Faces: []detect.Face{face(0.45, 0.1, "", 0)}}, 0},
		{"happy poster beside a person", Scene{Frame: f, Objects: []detect.Object{person}, Faces: []detect.Face{face(0.8, 0.1, "happy", 0.9)}}, 0},
	}
	for _, c := range cases {
		got := FriendlyMood(c.scene)
		if len(got) != c.hits {
			t.Errorf("%s: %d hits %+v, want %d", c.name, len(got), got, c.hits)
		}
		for _, h := range got {
			if h.Label != "happy" || h.Score != 0.85 || h.Box[0] != 0.45 {
				t.Errorf("%s: hit %+v, want the face's box and expression score", c.name, h)
			}
		}
	}
}

// paintHeadphones paints black ear cups over both ears of the standing
// person and a black band over the crown (on skin: a bald head), the neck
// under the ears left skin-coloured.
func paintHeadphones(cups [3]uint8) canvas {
	f := paintPerson(skin, darkShirt)
	f.fill(78, 40, 91, 56, cups)   // left cup around (84, 48)
	f.fill(109, 40, 122, 56, cups) // right cup around (116, 48)
	f.fill(82, 8, 118, 16, cups)   // the band over the crown
	f.fill(79, 17, 84, 40, cups)   // and down the sides
	f.fill(116, 17, 121, 40, cups)
	return f
}

func TestHeadphones(t *testing.T) {
	longHair := paintPerson(hair, darkShirt)
	longHair.fill(76, 6, 124, 90, hair) // hair over the ears, down to the shoulders
	longHair.fill(86, 36, 114, 62, skin)
	oneEar := standing(0.8)
	oneEar.Keypoints[detect.RightEar].Score = 0.1
	cases := []struct {
		name  string
		scene Scene
		hits  int
	}{
		{"black headphones", scene(paintHeadphones(black), standing(0.8)), 1},
		{"white headphones", scene(paintHeadphones(whiteHat), standing(0.8)), 1},
		{"bare ears", scene(paintPerson(hair, darkShirt), standing(0.8)), 0},
		{"long dark hair over the ears", scene(longHair, standing(0.8)), 0},
		{"one ear not seen", scene(paintHeadphones(black), oneEar), 0},
		{"cups without a band", scene(func() canvas {
			f := paintHeadphones(black)
			f.fill(78, 6, 122, 17, skin)
			return f
		}(), standing(0.8)), 0},
	}
	for _, c := range cases {
		got := Headphones(c.scene)
		if len(got) != c.hits {
			t.Errorf("%s: %d hits %+v, want %d", c.name, len(got), got, c.hits)
		}
		for _, h := range got {
			if h.Label != "headphones" || h.Score > HeadphonesScore || h.Score < 0.2 {
				t.Errorf("%s: hit %+v, want a low score", c.name, h)
			}
		}
	}
}

func TestNoHelmetTwoWheeler(t *testing.T) {
	bike := detect.Object{Class: "motorcycle", Score: 0.8, Box: [4]float32{0.2, 0.55, 0.6, 0.4}}
	aside := detect.Object{Class: "bicycle", Score: 0.8, Box: [4]float32{0.75, 0.55, 0.25, 0.4}}
	glossy := paintPerson(black, darkShirt)
	glossy.fill(95, 12, 103, 16, [3]uint8{250, 250, 250}) // the varnish's highlight
	ride := func(f canvas, vehicle detect.Object) Scene {
		s := scene(f, standing(0.8))
		s.Objects = append(s.Objects, vehicle)
		return s
	}
	cases := []struct {
		name  string
		scene Scene
		hits  int
	}{
		{"rider with hair", ride(paintPerson(hair, darkShirt), bike), 1},
		{"rider with a yellow helmet", ride(paintPerson(yellowHat, darkShirt), bike), 0},
		{"rider with a black varnished helmet", ride(glossy, bike), 0},
		{"pedestrian beside a bicycle", ride(paintPerson(hair, darkShirt), aside), 0},
		{"no two-wheeler", scene(paintPerson(hair, darkShirt), standing(0.8)), 0},
		{"rider's head unsure", func() Scene {
			s := ride(paintPerson(hair, darkShirt), bike)
			s.Poses = []detect.Pose{standing(0.1)}
			return s
		}(), 0},
	}
	for _, c := range cases {
		got := NoHelmetTwoWheeler(c.scene)
		if len(got) != c.hits {
			t.Errorf("%s: %d hits %+v, want %d", c.name, len(got), got, c.hits)
		}
		for _, h := range got {
			if h.Label != "motorcycle" || h.Box != union(personBox, bike.Box) {
				t.Errorf("%s: hit %+v, want the rider and the motorcycle", c.name, h)
			}
		}
	}
}

// paintCar paints a car seen from the side in box (pixels): body colour,
// dark windows on top, dark wheels at the bottom, on a grey road.
func paintCar(f canvas, x0, y0, x1, y1 int, body [3]uint8) detect.Object {
	w, h := x1-x0, y1-y0
	f.fill(x0, y0+h/4, x1, y1-h/6, body)
	f.fill(x0+w/4, y0, x1-w/4, y0+h/4, body)
	f.fill(x0+w/4+3, y0+3, x1-w/4-3, y0+h/3, [3]uint8{30, 35, 40}) // windows
	f.fill(x0+w/8, y1-h/4, x0+w/3, y1, black)                      // wheels
	f.fill(x1-w/3, y1-h/4, x1-w/8, y1, black)
	return detect.Object{Class: "car", Score: 0.8, Box: [4]float32{float32(x0) / float32(f.W), float32(y0) / float32(f.H),
		float32(w) / float32(f.W), float32(h) / float32(f.H)}}
}

func TestYellowTaxi(t *testing.T) {
	car := func(body [3]uint8, x0 int) Scene {
		f := newCanvas(400, 200, [3]uint8{90, 90, 95})
		return Scene{Frame: f.Frame, Objects: []detect.Object{paintCar(f, x0, 60, x0+160, 140, body)}}
	}
	truck := car([3]uint8{245, 200, 20}, 100)
	truck.Objects[0].Class = "truck"
	cases := []struct {
		name  string
		scene Scene
		hits  int
	}{
		{"yellow car", car([3]uint8{245, 200, 20}, 100), 1},
		{"yellow car at the frame's edge", car([3]uint8{245, 200, 20}, 300), 1},
		{"white car", car([3]uint8{240, 240, 240}, 100), 0},
		{"orange car", car([3]uint8{240, 110, 20}, 100), 0},
		{"beige car", car([3]uint8{200, 185, 140}, 100), 0},
		{"black car", car([3]uint8{20, 20, 25}, 100), 0},
		{"yellow truck", truck, 0},
	}
	for _, c := range cases {
		got := YellowTaxi(c.scene)
		if len(got) != c.hits {
			t.Errorf("%s: %d hits %+v, want %d", c.name, len(got), got, c.hits)
		}
		for _, h := range got {
			if h.Label != "car" || h.Box != c.scene.Objects[0].Box || h.Score < 0.6 || h.Score > 0.8 {
				t.Errorf("%s: hit %+v, want the car's box, scored by the detector and the yellow share", c.name, h)
			}
		}
	}
}

// Every algorithm of the catalogue has a rule, which needs a model.
func TestEveryAlgorithmHasARule(t *testing.T) {
	for _, p := range Current().Packages {
		for _, a := range p.Algorithms {
			r, ok := RuleOf(a.ID)
			if !ok || r.ID != a.ID || r.Run == nil || r.Needs == 0 {
				t.Errorf("%s: rule %+v, %v", a.ID, r, ok)
			}
		}
	}
	if _, ok := RuleOf("person"); ok {
		t.Error("a rule for a basic type")
	}
}

// greyed is f in black and white, as a camera in infrared night mode sees it.
func greyed(f canvas) canvas {
	g := newCanvas(f.W, f.H, [3]uint8{})
	for i := 0; i < len(f.RGB); i += 3 {
		l := uint8((299*int(f.RGB[i]) + 587*int(f.RGB[i+1]) + 114*int(f.RGB[i+2])) / 1000)
		g.RGB[i], g.RGB[i+1], g.RGB[i+2] = l, l, l
	}
	return g
}

// At night in infrared the colour rules decide nothing: every person would
// lack a vest and a helmet.
func TestColourRulesSkipBlackAndWhite(t *testing.T) {
	night := scene(greyed(paintPerson(hair, darkShirt)), standing(0.8))
	for name, rule := range map[string]func(Scene) []Hit{"no_helmet": NoHelmet, "no_vest": NoVest} {
		if got := rule(night); len(got) != 0 {
			t.Errorf("%s at night: %+v", name, got)
		}
	}
	day := scene(paintPerson(hair, darkShirt), standing(0.8))
	if len(NoHelmet(day)) != 1 || len(NoVest(day)) != 1 {
		t.Error("the same scene in colour is not judged")
	}
	if !monochrome(greyed(paintPerson(hair, darkShirt)).Frame) || monochrome(paintPerson(hair, darkShirt).Frame) {
		t.Error("monochrome mistakes colour for black and white")
	}
}
