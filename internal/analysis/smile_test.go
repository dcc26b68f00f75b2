package analysis_test

import (
	"context"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/analysis"
	"github.com/cam2drive/cam2drive/internal/detect"
	"github.com/cam2drive/cam2drive/internal/holo4"
	"github.com/cam2drive/cam2drive/internal/store"
)

// Eileen Collins's NASA portrait (public domain), from Debian's
// python3-skimage: she smiles broadly, teeth showing. `scripts/install-deps.sh
// test` takes it out of the package into the fixtures cache.
var astronautPNG = func() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "astronaut.png"
	}
	return filepath.Join(dir, "cam2drive", "fixtures", "astronaut.png")
}()

// Grace Hopper's portrait, shipped by Debian's python-matplotlib-data.
const hopperJPG = "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"

// realFaces opens the face and expression models `cam2drive models
// install` set up; it skips when they are missing, except in CI.
func realFaces(t *testing.T) detect.FaceReader { return realModel(t, detect.OpenFaces) }

// pictureFrame reads a test picture that `scripts/install-deps.sh test`
// provides (from, says where it comes from).
func pictureFrame(t *testing.T, path, from string) detect.Frame {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err, "(scripts/install-deps.sh test provides it: "+from+")")
		}
		t.Skip(err, "(run scripts/install-deps.sh test: "+from+")")
	}
	defer fh.Close()
	img, _, err := image.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	f := detect.Frame{W: b.Dx(), H: b.Dy(), RGB: make([]byte, 0, b.Dx()*b.Dy()*3)}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			f.RGB = append(f.RGB, byte(r>>8), byte(g>>8), byte(bl>>8))
		}
	}
	return f
}

// pixels is x0, y0, x1, y1 in pixels of f as a box of fractions.
func pixels(f detect.Frame, x0, y0, x1, y1 int) [4]float32 {
	return [4]float32{float32(x0) / float32(f.W), float32(y0) / float32(f.H), float32(x1-x0) / float32(f.W), float32(y1-y0) / float32(f.H)}
}

// The friendly_mood rule on real faces read by the real face, expression
// and object models: Eileen Collins's broad smile (NASA's portrait in
// python3-skimage) is a friendly mood, on her face; Grace Hopper's
// portrait (mouth closed, lips barely curved: a reserved, neutral face
// when looked at) is none.
func TestFriendlyMoodOnRealFaces(t *testing.T) {
	faces, det := realFaces(t), realDetector(t)
	for _, c := range []struct {
		name, path, from string
		face             [4]int // brow to chin, cheek to cheek, checked by hand
		friendly         bool
	}{
		{"smiling astronaut", astronautPNG, "python3-skimage's .deb", [4]int{175, 75, 275, 185}, true},
		{"reserved Grace Hopper", hopperJPG, "python-matplotlib-data", [4]int{160, 150, 365, 335}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := pictureFrame(t, c.path, c.from)
			objs, err := det.Detect(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := faces.Faces(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			want := pixels(f, c.face[0], c.face[1], c.face[2], c.face[3])
			if len(fs) != 1 || analysis.IoU(fs[0].Box, want) < 0.5 {
				t.Fatalf("faces %+v, want one on %v", fs, want)
			}
			t.Logf("her face: %s %.2f", fs[0].Expression, fs[0].ExpressionScore)
			hits := holo4.FriendlyMood(holo4.Scene{Frame: f, Objects: objs, Faces: fs})
			if !c.friendly {
				if len(hits) != 0 {
					t.Errorf("friendly_mood on a reserved face: %+v (expression %s %.2f)", hits, fs[0].Expression, fs[0].ExpressionScore)
				}
				return
			}
			if !slices.ContainsFunc(objs, func(o detect.Object) bool { return o.Class == "person" }) {
				t.Errorf("the detector sees no person around the face: %+v", objs)
			}
			if len(hits) != 1 || hits[0].Label != "happy" || hits[0].Score < holo4.HappyMin || analysis.IoU(hits[0].Box, want) < 0.5 {
				t.Errorf("friendly_mood %+v (expression %s %.2f), want one happy face on %v", hits, fs[0].Expression, fs[0].ExpressionScore, want)
			}
		})
	}
}

// The same smile uploaded as a clip from a camera in the beta with
// friendly_mood chosen: the worker runs the face models and stores a
// friendly_mood detection on her face for the whole clip, which the
// Recordings filter finds.
func TestWorkerFriendlyMoodRealModels(t *testing.T) {
	faces, det := realFaces(t), realDetector(t)
	if _, err := os.Stat(astronautPNG); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err, "(scripts/install-deps.sh test fetches it)")
		}
		t.Skip(err, "(scripts/install-deps.sh test fetches it)")
	}
	clip := ffmpeg(t, "smile.mp4", "-loop", "1", "-framerate", "25", "-t", "3", "-i", astronautPNG,
		"-pix_fmt", "yuv420p", "-r", "25", "-g", "25", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "15")
	wd := newWorld(t, store.SQLite, det)
	wd.w.Faces = faces
	joinBeta(t, wd, "fun_at_work", "friendly_mood")
	r := wd.upload(t, clipPath, clip)
	if err := wd.analyse(r); err != nil {
		t.Fatal(err)
	}
	got := wd.detections(t, r, analysis.SourceHOLO4)
	face := [4]float32{175.0 / 512, 75.0 / 512, 100.0 / 512, 110.0 / 512}
	if len(got) != 1 || got[0].Type != "friendly_mood" || got[0].Label != "happy" || analysis.IoU(f32(got[0].Box), face) < 0.5 ||
		got[0].Start != 0 || got[0].End < 2*time.Second {
		t.Fatalf("holo4 detections %+v, want friendly_mood on her face for the whole clip", got)
	}
	if ids, total := listed(t, wd, "friendly_mood"); total != 1 || ids[0] != r.ID {
		t.Errorf("detections=friendly_mood: %v (%d)", ids, total)
	}
}
