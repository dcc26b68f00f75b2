package detect

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cam2drive/cam2drive/internal/pretrained"
)

func openPose(t testing.TB, cfg Config) PoseEstimator {
	t.Helper()
	cfg.ModelsDir = modelsDir(t)
	p, err := OpenPose(cfg)
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func openFaces(t testing.TB, cfg Config) FaceReader {
	t.Helper()
	cfg.ModelsDir = modelsDir(t)
	r, err := OpenFaces(cfg)
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// pixelBox is x1, y1, x2, y2 in pixels of f as fractions x, y, w, h.
func pixelBox(f Frame, x1, y1, x2, y2 int) [4]float32 {
	return [4]float32{float32(x1) / float32(f.W), float32(y1) / float32(f.H), float32(x2-x1) / float32(f.W), float32(y2-y1) / float32(f.H)}
}

// The woman in person.jpg stands with her back to the camera, her right
// hand (a black glove) by her hip at about (265, 250); checked by hand.
func TestPoseOfThePersonInDarknetsPicture(t *testing.T) {
	p := openPose(t, Config{})
	f := darknetPicture(t, "person.jpg")
	person := Object{Class: "person", Score: 0.9, Box: pixelBox(f, 192, 100, 272, 375)}
	dog := Object{Class: "dog", Score: 0.9, Box: pixelBox(f, 68, 265, 192, 345)}
	poses, err := p.Poses(context.Background(), f, []Object{dog, person})
	if err != nil {
		t.Fatal(err)
	}
	if len(poses) != 1 || poses[0].Person != person {
		t.Fatalf("poses = %+v, want one, of the person (the dog has none)", poses)
	}
	kp := poses[0].Keypoints
	at := func(ks ...int) (y float32) {
		for _, k := range ks {
			y += kp[k].Y
		}
		return y / float32(len(ks))
	}
	var desc strings.Builder
	for k, p := range kp {
		fmt.Fprintf(&desc, " %d:(%.0f,%.0f %.2f)", k, p.X*float32(f.W), p.Y*float32(f.H), p.Score)
	}
	// Head above shoulders above hips above knees above ankles.
	rows := []float32{at(Nose, LeftEye, RightEye, LeftEar, RightEar), at(LeftShoulder, RightShoulder),
		at(LeftHip, RightHip), at(LeftKnee, RightKnee), at(LeftAnkle, RightAnkle)}
	if !slices.IsSorted(rows) {
		t.Errorf("head, shoulders, hips, knees, ankles at rows %v, want top to bottom;%s", rows, desc.String())
	}
	box := person.Box
	inBox := func(k int, margin float32) bool {
		return kp[k].X >= box[0]-margin && kp[k].X <= box[0]+box[2]+margin && kp[k].Y >= box[1]-margin && kp[k].Y <= box[1]+box[3]+margin
	}
	for k := range NumKeypoints {
		if !inBox(k, 0.02) {
			t.Errorf("keypoint %d outside the person box;%s", k, desc.String())
		}
	}
	for _, k := range []int{LeftWrist, RightWrist} {
		if !inBox(k, 0) {
			t.Errorf("wrist %d outside the person box;%s", k, desc.String())
		}
	}
	if g := kp[RightWrist]; g.X*float32(f.W) < 250 || g.Y*float32(f.H) < 220 || g.Y*float32(f.H) > 265 {
		t.Errorf("right wrist at (%.0f, %.0f), want by the glove at about (265, 250)", g.X*float32(f.W), g.Y*float32(f.H))
	}
	if y := at(LeftAnkle, RightAnkle) * float32(f.H); y < 340 {
		t.Errorf("ankles at row %.0f, want by the boots' soles (about 360)", y)
	}
	for _, k := range []int{LeftShoulder, RightShoulder, LeftHip, RightHip, LeftKnee, RightKnee, LeftAnkle, RightAnkle} {
		if kp[k].Score < 0.3 {
			t.Errorf("keypoint %d scores %.2f, want ≥ 0.3 for a body in plain view;%s", k, kp[k].Score, desc.String())
		}
	}
}

func TestPoseSkipsWhatItCannotRead(t *testing.T) {
	p := openPose(t, Config{MaxObjects: 1})
	f := darknetPicture(t, "person.jpg")
	tiny := Object{Class: "person", Box: pixelBox(f, 10, 10, 20, 30)}
	big := Object{Class: "person", Box: pixelBox(f, 192, 100, 272, 375)}
	small := Object{Class: "person", Box: pixelBox(f, 400, 100, 440, 200)}
	poses, err := p.Poses(context.Background(), f, []Object{tiny, small, big})
	if err != nil {
		t.Fatal(err)
	}
	if len(poses) != 1 || poses[0].Person != big {
		t.Errorf("with room for one pose: %+v, want the largest person's", poses)
	}
	if poses, err := p.Poses(context.Background(), f, []Object{tiny}); err != nil || len(poses) != 0 {
		t.Errorf("a %d×%d px person: %v, %v; want no pose", 10, 20, poses, err)
	}
}

// Grace Hopper's portrait, shipped by Debian's python-matplotlib-data;
// her face (brow under the cap to chin, cheek to cheek) checked by hand.
func portrait(t testing.TB) Frame {
	t.Helper()
	const p = "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"
	fh, err := os.Open(p)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err, "(scripts/install-deps.sh test installs python-matplotlib-data)")
		}
		t.Skip(err, "(apt-get install python-matplotlib-data)")
	}
	defer fh.Close()
	img, _, err := image.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	return frameOf(img)
}

var portraitFace = [4]int{160, 150, 365, 335}

// paste puts f at (x, y) of a w×h grey frame, as a camera would see a
// face that fills less of the picture.
func paste(f Frame, w, h, x, y int) Frame {
	out := Frame{W: w, H: h, RGB: make([]byte, w*h*3)}
	for i := range out.RGB {
		out.RGB[i] = 90
	}
	for row := range f.H {
		copy(out.RGB[((y+row)*w+x)*3:], f.RGB[row*f.W*3:(row+1)*f.W*3])
	}
	return out
}

func TestFindsTheFaceInAPortrait(t *testing.T) {
	r := openFaces(t, Config{})
	f := portrait(t)
	em, _ := pretrained.Builtin().ForTask("expression")
	labels := em.Labels
	cases := []struct {
		name  string
		frame Frame
		face  [4]int
	}{
		{"portrait", f, portraitFace},
		{"in a wider frame", paste(f, 900, 640, 300, 20), [4]int{portraitFace[0] + 300, portraitFace[1] + 20, portraitFace[2] + 300, portraitFace[3] + 20}},
		// A 205 px face in a 1080p frame: 27 px of the model's 256.
		{"in a 1080p frame", paste(f, 1920, 1080, 1200, 300), [4]int{portraitFace[0] + 1200, portraitFace[1] + 300, portraitFace[2] + 1200, portraitFace[3] + 300}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			faces, err := r.Faces(context.Background(), c.frame)
			if err != nil {
				t.Fatal(err)
			}
			if len(faces) != 1 {
				t.Fatalf("%d faces %+v, want 1", len(faces), faces)
			}
			fc := faces[0]
			want := pixelBox(c.frame, c.face[0], c.face[1], c.face[2], c.face[3])
			if got := iou(fc.Box, want); got < 0.5 || fc.Score < 0.7 {
				t.Errorf("face %v score %.2f: IoU %.2f with the hand-checked box %v, want ≥ 0.5", fc.Box, fc.Score, got, want)
			}
			// Her mouth is closed, barely smiling: no expression is asserted,
			// only that the model read one.
			if !slices.Contains(labels, fc.Expression) || fc.ExpressionScore <= 0 || fc.ExpressionScore > 1 {
				t.Errorf("expression %q score %v, want one of %v", fc.Expression, fc.ExpressionScore, labels)
			}
		})
	}
}

// Neither a grey frame nor the dog's face nor the back of a head is a
// face: each would count as a person's mood.
func TestNoFaceWhereThereIsNone(t *testing.T) {
	r := openFaces(t, Config{})
	grey := Frame{W: 640, H: 360, RGB: make([]byte, 640*360*3)}
	for i := range grey.RGB {
		grey.RGB[i] = 128
	}
	frames := map[string]Frame{"grey": grey, "dog.jpg": darknetPicture(t, "dog.jpg"), "person.jpg": darknetPicture(t, "person.jpg")}
	for name, f := range frames {
		faces, err := r.Faces(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		if len(faces) != 0 {
			t.Errorf("%s: found faces %+v", name, faces)
		}
	}
}

// Frames from many goroutines share the sessions and each gets its own
// answer (run with -race); after Close every call says so.
func TestPeopleModelsConcurrentlyThenClosed(t *testing.T) {
	r := openFaces(t, Config{Sessions: 2})
	p := openPose(t, Config{Sessions: 2})
	face, person := portrait(t), darknetPicture(t, "person.jpg")
	box := Object{Class: "person", Box: pixelBox(person, 192, 100, 272, 375)}
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			if i%2 == 0 {
				faces, err := r.Faces(context.Background(), face)
				if err == nil && len(faces) != 1 {
					err = fmt.Errorf("portrait: %d faces", len(faces))
				}
				errs <- err
				return
			}
			poses, err := p.Poses(context.Background(), person, []Object{box})
			if err == nil && (len(poses) != 1 || poses[0].Keypoints[LeftAnkle].Y < poses[0].Keypoints[LeftShoulder].Y) {
				err = fmt.Errorf("person.jpg: poses %+v", poses)
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	r.Close()
	p.Close()
	if _, err := r.Faces(context.Background(), face); !errors.Is(err, ErrClosed) {
		t.Errorf("Faces after Close = %v, want ErrClosed", err)
	}
	if _, err := p.Poses(context.Background(), person, []Object{box}); !errors.Is(err, ErrClosed) {
		t.Errorf("Poses after Close = %v, want ErrClosed", err)
	}
}

func TestPeopleModelsUnavailableWithAnEmptyModelsDir(t *testing.T) {
	dir := t.TempDir()
	_, perr := OpenPose(Config{ModelsDir: dir})
	_, ferr := OpenFaces(Config{ModelsDir: dir})
	for what, err := range map[string]error{"OpenPose": perr, "OpenFaces": ferr} {
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "cam2drive models install") {
			t.Errorf("%s(empty dir) = %v, want ErrUnavailable saying how to install", what, err)
		}
	}
}

// The anchors are human's: 16×16 cells of 16 px with 2 each, then 8×8 of
// 32 px with 6 each, centred in their cells.
func TestBlazeFaceAnchors(t *testing.T) {
	a := blazeFaceAnchors(256)
	if len(a) != 896 {
		t.Fatalf("%d anchors, want 896", len(a))
	}
	for i, want := range map[int][2]float32{0: {8, 8}, 1: {8, 8}, 2: {24, 8}, 511: {248, 248}, 512: {16, 16}, 517: {16, 16}, 518: {48, 16}, 895: {240, 240}} {
		if a[i] != want {
			t.Errorf("anchor %d = %v, want %v", i, a[i], want)
		}
	}
}
