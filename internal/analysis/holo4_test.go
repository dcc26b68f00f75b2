package analysis_test

import (
	"bytes"
	"cmp"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/analysis"
	"github.com/cam2drive/cam2drive/internal/detect"
	"github.com/cam2drive/cam2drive/internal/holo4"
	"github.com/cam2drive/cam2drive/internal/store"
	"github.com/cam2drive/cam2drive/internal/storetest"
)

// joinBeta is what a client does in the camera's settings (client guide
// §3.1.4): join the HOLO4 beta on camera 1 and choose algorithms. The
// store holds the choice to the subscription: first without the package
// (refused), then once the distributor added it.
func joinBeta(t *testing.T, wd *world, pkg string, algorithms ...string) cam2drive.Camera {
	t.Helper()
	ctx := context.Background()
	org := wd.f.Org.ID
	cams, _, err := wd.f.DB.Cameras(ctx, org, store.CameraFilter{Number: 1}, cam2drive.Page{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	cam := cams[0]
	cam.HOLO4, cam.Algorithms = true, algorithms
	if err := wd.f.DB.UpdateCamera(ctx, cam); cam2drive.ErrorCode(err) != cam2drive.CodeInvalid {
		t.Fatalf("joining with algorithms of no subscribed package: %v, want invalid", err)
	}
	sub, err := wd.f.DB.ActiveAISubscription(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	sub.Packages = append(sub.Packages, pkg)
	if err := wd.f.DB.UpdateAISubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	if err := wd.f.DB.UpdateCamera(ctx, cam); err != nil {
		t.Fatal(err)
	}
	if cam, err = wd.f.DB.Camera(ctx, org, cam.ID); err != nil || !cam.HOLO4 || !slices.Equal(cam.Algorithms, algorithms) {
		t.Fatalf("camera after joining: %+v %v", cam, err)
	}
	return cam
}

// listed is what the Recordings list gives for a detection filter: the ids
// and the total.
func listed(t *testing.T, wd *world, types ...string) ([]string, int) {
	t.Helper()
	rs, total, err := wd.f.DB.Recordings(context.Background(), wd.f.Org.ID, store.RecordingFilter{Types: types, TopLevel: true}, cam2drive.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	return ids, total
}

// saturatedDetector is the test's own detector for the runs without a
// model: it reports the bounds of a frame's strongly coloured pixels as a
// "car" (the grey background is none), so the rule judges the real colours
// of the frames the worker samples.
type saturatedDetector struct{ class string } // "" is "car"

func (d saturatedDetector) Detect(_ context.Context, f detect.Frame) ([]detect.Object, error) {
	box, ok := saturated(f)
	if !ok {
		return nil, nil
	}
	return []detect.Object{{Class: cmp.Or(d.class, "car"), Score: 0.9, Box: box}}, nil
}
func (saturatedDetector) InputSize() int { return 320 }
func (saturatedDetector) Close() error   { return nil }

// saturated returns the bounds of a frame's strongly coloured pixels.
func saturated(f detect.Frame) ([4]float32, bool) {
	x0, y0, x1, y1, n := f.W, f.H, -1, -1, 0
	for y := range f.H {
		for x := range f.W {
			if _, s, v := holo4.HSV(f.RGB[(y*f.W+x)*3], f.RGB[(y*f.W+x)*3+1], f.RGB[(y*f.W+x)*3+2]); s > 0.5 && v > 0.4 {
				x0, y0, x1, y1, n = min(x0, x), min(y0, y), max(x1, x), max(y1, y), n+1
			}
		}
	}
	return [4]float32{float32(x0) / float32(f.W), float32(y0) / float32(f.H),
		float32(x1-x0+1) / float32(f.W), float32(y1-y0+1) / float32(f.H)}, n >= 20
}

// blockFaces is the test's face reader: the top third of the coloured
// block is a happy face. It counts its calls.
type blockFaces struct{ calls atomic.Int32 }

func (b *blockFaces) Faces(_ context.Context, f detect.Frame) ([]detect.Face, error) {
	b.calls.Add(1)
	box, ok := saturated(f)
	if !ok {
		return nil, nil
	}
	box[3] /= 3
	return []detect.Face{{Box: box, Score: 0.9, Expression: "happy", ExpressionScore: 0.8}}, nil
}
func (b *blockFaces) Close() error { return nil }

// boxPoses is the test's pose estimator: a skeleton in the proportions of
// a standing body, drawn in each person box given. It counts its calls.
type boxPoses struct{ calls atomic.Int32 }

func (b *boxPoses) Poses(_ context.Context, _ detect.Frame, people []detect.Object) ([]detect.Pose, error) {
	b.calls.Add(1)
	var out []detect.Pose
	for _, o := range people {
		p := detect.Pose{Person: o}
		at := func(fx, fy float32) detect.Keypoint {
			return detect.Keypoint{X: o.Box[0] + fx*o.Box[2], Y: o.Box[1] + fy*o.Box[3], Score: 0.9}
		}
		p.Keypoints[detect.LeftWrist], p.Keypoints[detect.RightWrist] = at(0.1, 0.5), at(0.9, 0.5)
		p.Keypoints[detect.LeftShoulder], p.Keypoints[detect.RightShoulder] = at(0.2, 0.25), at(0.8, 0.25)
		out = append(out, p)
	}
	return out, nil
}
func (b *boxPoses) Close() error { return nil }

// block is a 4 s 640×360 clip of a grey scene with a 128×80 block of
// colour c at (200, 140) from 1 s on.
func block(t *testing.T, c string) []byte {
	return ffmpeg(t, "block.mp4", "-f", "lavfi", "-i",
		"color=c=0x808080:s=640x360:r=25[bg];color=c="+c+":s=128x80:r=25[b];[bg][b]overlay=x=200:y=140:enable='gte(t,1)':shortest=1",
		"-t", "4", "-pix_fmt", "yuv420p", "-g", "25", "-c:v", "libx264", "-preset", "ultrafast")
}

// The rules run by the worker, without a model: a camera in the beta with
// yellow_taxi gets a yellow_taxi detection (source holo4) when its "car" is
// yellow, from when it appears; none when it is red; a camera that did not
// join gets none; and the list filter finds the recording by the
// algorithm's id.
func TestWorkerHOLO4Rules(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			wd := newWorld(t, d, saturatedDetector{})
			before := wd.upload(t, clipPath, block(t, "0xF5C814"))
			if err := wd.analyse(before); err != nil {
				t.Fatal(err)
			}
			if h := wd.detections(t, before, analysis.SourceHOLO4); len(h) != 0 {
				t.Errorf("HOLO4 detections before joining: %+v", h)
			}
			joinBeta(t, wd, "urban", "yellow_taxi")
			yellow := wd.upload(t, "SN/2024-03-01/001/dav/11/11.15.30-11.15.34[M][0@0][0].mp4", block(t, "0xF5C814"))
			red := wd.upload(t, "SN/2024-03-01/001/dav/12/12.15.30-12.15.34[M][0@0][0].mp4", block(t, "0xD01010"))
			for _, r := range []cam2drive.Recording{yellow, red} {
				if err := wd.analyse(r); err != nil {
					t.Fatal(err)
				}
			}
			got := wd.detections(t, yellow, analysis.SourceHOLO4)
			if len(got) != 1 {
				t.Fatalf("holo4 detections %+v, want one yellow taxi", got)
			}
			g := got[0]
			if g.Type != "yellow_taxi" || g.Label != "car" || g.Start < 500*time.Millisecond || g.Start > time.Second || g.End != 3500*time.Millisecond || g.Score < 0.8 {
				t.Errorf("yellow taxi %+v, want the car from 1 s to 3.5 s", g)
			}
			if want := [4]float64{200.0 / 640, 140.0 / 360, 128.0 / 640, 80.0 / 360}; !near(g.Box, want, 0.02) {
				t.Errorf("taxi box %v, want %v", g.Box, want)
			}
			if m := wd.detections(t, red, "model"); len(m) != 1 || m[0].Label != "car" {
				t.Errorf("the red car: model detections %+v", m)
			}
			if h := wd.detections(t, red, analysis.SourceHOLO4); len(h) != 0 {
				t.Errorf("a red car is a yellow taxi: %+v", h)
			}
			// The model's and the motion rule's detections are still there:
			// each source replaces only its own.
			if m := wd.detections(t, yellow, "model"); len(m) != 1 || m[0].Type != "vehicle" {
				t.Errorf("model detections beside HOLO4 %+v", m)
			}
			// Filters: by the algorithm, with another type, and a chosen
			// algorithm with nothing found.
			if ids, total := listed(t, wd, "yellow_taxi"); total != 1 || !slices.Equal(ids, []string{yellow.ID}) {
				t.Errorf("detections=yellow_taxi: %v (%d), want the yellow recording", ids, total)
			}
			if _, total := listed(t, wd, "no_helmet", "yellow_taxi"); total != 1 {
				t.Errorf("detections=no_helmet,yellow_taxi: %d recordings, want 1", total)
			}
			if _, total := listed(t, wd, "vehicle"); total != 3 {
				t.Errorf("detections=vehicle: %d recordings, want 3", total)
			}
			// Analysed again: replaced, not added.
			if err := wd.analyse(yellow); err != nil {
				t.Fatal(err)
			}
			if h := wd.detections(t, yellow, analysis.SourceHOLO4); len(h) != 1 {
				t.Errorf("%d holo4 detections after a second run, want 1", len(h))
			}
		})
	}
}

// An algorithm whose model is not installed (no_helmet reads poses) is
// skipped, said once, and what it found before is kept; the others run.
func TestWorkerHOLO4WithoutPoseModel(t *testing.T) {
	wd := newWorld(t, store.SQLite, saturatedDetector{})
	cam := joinBeta(t, wd, "construction_site", "no_helmet")
	r := wd.upload(t, clipPath, block(t, "0xF5C814"))
	earlier := []cam2drive.Detection{{Type: "no_helmet", Label: "person", Score: 0.7, Start: time.Second, End: 2 * time.Second}}
	if err := wd.f.DB.ReplaceDetections(context.Background(), r.OrgID, r.ID, analysis.SourceHOLO4, earlier); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := wd.analyse(r); err != nil {
			t.Fatal(err)
		}
	}
	if h := wd.detections(t, r, analysis.SourceHOLO4); len(h) != 1 || h[0].Type != "no_helmet" {
		t.Errorf("holo4 detections %+v: what was found before must stay", h)
	}
	if n := strings.Count(wd.logs.String(), "HOLO4 algorithm skipped"); n != 1 {
		t.Errorf("the missing model said %d times, want once:\n%s", n, wd.logs)
	}
	// With the urban package too, yellow_taxi runs beside it and replaces
	// the beta's detections with what ran.
	sub, err := wd.f.DB.ActiveAISubscription(context.Background(), r.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	sub.Packages = append(sub.Packages, "urban")
	if err := wd.f.DB.UpdateAISubscription(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	cam.Algorithms = []string{"no_helmet", "yellow_taxi"}
	if err := wd.f.DB.UpdateCamera(context.Background(), cam); err != nil {
		t.Fatal(err)
	}
	if err := wd.analyse(r); err != nil {
		t.Fatal(err)
	}
	if h := wd.detections(t, r, analysis.SourceHOLO4); len(h) != 1 || h[0].Type != "yellow_taxi" {
		t.Errorf("holo4 detections %+v, want the yellow taxi", h)
	}
}

// yellowTaxiClip is Debian's darknet dog.jpg (768×576) with the white
// pick-up behind the bicycle painted yellow (its bright, grey pixels
// recoloured, shading kept), as a 3 s H.264 clip. The detector finds it a
// car with less confidence than the white one (0.37 against 0.53 at 512
// px): a flat, saturated yellow looked like no car to it.
func yellowTaxiClip(t *testing.T) []byte {
	return recoloured(t, "dog.jpg", carBox, func(c color.RGBA) bool {
		_, s, v := holo4.HSV(c.R, c.G, c.B)
		return s < 0.15 && v > 0.78
	}, func(c color.RGBA) color.RGBA {
		// Less blue, a little less green: white turns a warm yellow (hue
		// 44°, saturation 0.55) with its shading.
		return color.RGBA{c.R, uint8(float64(c.G) * 0.85), uint8(float64(c.B) * 0.45), 255}
	})
}

// recoloured is a darknet picture with the pixels of rect (x0, y0, x1, y1)
// that pass keep changed by paint, as a 3 s H.264 clip.
func recoloured(t *testing.T, name string, rect [4]int, keep func(c color.RGBA) bool, paint func(c color.RGBA) color.RGBA) []byte {
	t.Helper()
	src, err := os.ReadFile("/usr/share/darknet/data/" + name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err, "(scripts/install-deps.sh test installs darknet)")
		}
		t.Skip(err, "(apt-get install darknet)")
	}
	img, err := jpeg.Decode(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	out := image.NewRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			c := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
			if keep != nil && x >= rect[0] && x < rect[2] && y >= rect[1] && y < rect[3] && keep(c) {
				c = paint(c)
			}
			out.Set(x, y, c)
		}
	}
	pic := filepath.Join(t.TempDir(), "pic.png")
	f, err := os.Create(pic)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, out); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return ffmpeg(t, "pic.mp4", "-loop", "1", "-framerate", "25", "-t", "3", "-i", pic,
		"-pix_fmt", "yuv420p", "-r", "25", "-g", "25", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "15")
}

// carBox is the pick-up in dog.jpg, in pixels: x0, y0, x1, y1 (checked by hand).
var carBox = [4]int{470, 80, 680, 158}

// The HOLO4 beta end to end with the real detector: the client joins with
// the urban package's yellow taxi, a clip of a yellow car is uploaded and
// analysed, the yellow_taxi detection is on the car for the whole clip,
// and the Recordings filter finds the recording by it.
func TestHOLO4YellowTaxiRealDetector(t *testing.T) {
	det := realDetector(t)
	clip := yellowTaxiClip(t)
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			wd := newWorld(t, d, det)
			joinBeta(t, wd, "urban", "yellow_taxi", "no_helmet_two_wheeler")
			r := wd.upload(t, clipPath, clip)
			if err := wd.analyse(r); err != nil {
				t.Fatal(err)
			}
			for _, m := range wd.detections(t, r, "model") {
				t.Logf("model: %s %s %.2f %v", m.Type, m.Label, m.Score, m.Box)
			}
			got := wd.detections(t, r, analysis.SourceHOLO4)
			want := [4]float32{468.0 / 768, 78.0 / 576, 214.0 / 768, 90.0 / 576}
			var taxi *cam2drive.Detection
			for i, g := range got {
				t.Logf("holo4: %s %s %.2f %v %v–%v", g.Type, g.Label, g.Score, g.Box, g.Start, g.End)
				box := [4]float32{float32(g.Box[0]), float32(g.Box[1]), float32(g.Box[2]), float32(g.Box[3])}
				if g.Type == "yellow_taxi" && analysis.IoU(box, want) >= 0.5 {
					taxi = &got[i]
				}
			}
			if taxi == nil || taxi.Start != 0 || taxi.End != 2500*time.Millisecond {
				t.Fatalf("no yellow taxi on the car for the whole clip in %+v", got)
			}
			if ids, total := listed(t, wd, "yellow_taxi"); total != 1 || ids[0] != r.ID {
				t.Errorf("detections=yellow_taxi: %v (%d)", ids, total)
			}
			if _, total := listed(t, wd, "no_helmet_two_wheeler"); total != 0 {
				t.Errorf("detections=no_helmet_two_wheeler: %d recordings, want none (no pose model here)", total)
			}
		})
	}
}

// The worker runs only the models the chosen algorithms read, on the
// frames the detector ran on: friendly_mood reads faces, not poses; coffee
// reads poses (when there are people), not faces. A worker without a
// detector still runs friendly_mood on the face model alone.
func TestWorkerHOLO4RunsOnlyTheModelsNeeded(t *testing.T) {
	wd := newWorld(t, store.SQLite, saturatedDetector{class: "person"})
	faces, poses := &blockFaces{}, &boxPoses{}
	wd.w.Faces, wd.w.Poses = faces, poses
	cam := joinBeta(t, wd, "fun_at_work", "friendly_mood")
	r := wd.upload(t, clipPath, block(t, "0x2040E0"))
	res, err := wd.w.Analyze(context.Background(), r, 2, cam.Algorithms...)
	if err != nil {
		t.Fatal(err)
	}
	if n := faces.calls.Load(); n == 0 || int(n) != res.Detected || poses.calls.Load() != 0 {
		t.Errorf("friendly_mood: faces read %d times, poses %d, detector %d: want faces on the detector's frames only",
			n, poses.calls.Load(), res.Detected)
	}
	if len(res.HOLO4) != 1 || res.HOLO4[0].Type != "friendly_mood" || res.HOLO4[0].Label != "happy" || !slices.Equal(res.Beta, []string{"friendly_mood"}) {
		t.Errorf("friendly_mood found %+v (ran %v), want one happy face", res.HOLO4, res.Beta)
	}
	faces.calls.Store(0)
	if res, err = wd.w.Analyze(context.Background(), r, 2, "coffee"); err != nil {
		t.Fatal(err)
	}
	if n := poses.calls.Load(); n == 0 || int(n) > res.Detected || faces.calls.Load() != 0 {
		t.Errorf("coffee: poses read %d times, faces %d, detector %d", n, faces.calls.Load(), res.Detected)
	}
	if len(res.HOLO4) != 0 {
		t.Errorf("coffee without a cup: %+v", res.HOLO4)
	}
	wd.w.Detector = nil
	if res, err = wd.w.Analyze(context.Background(), r, 2, "friendly_mood", "coffee"); err != nil {
		t.Fatal(err)
	}
	if len(res.HOLO4) != 1 || res.HOLO4[0].Type != "friendly_mood" || !slices.Equal(res.Beta, []string{"friendly_mood"}) || res.Model != nil {
		t.Errorf("without a detector: %+v (ran %v), want the happy face alone", res.HOLO4, res.Beta)
	}
}

func realPoses(t *testing.T) detect.PoseEstimator { return realModel(t, detect.OpenPose) }

// hiVis turns a pixel fluorescent yellow-green (hue 70°, saturation 0.9),
// its brightness following the original's shading.
func hiVis(c color.RGBA) color.RGBA {
	_, _, v := holo4.HSV(c.R, c.G, c.B)
	v = 0.65 + 0.35*v
	chroma := v * 0.9
	m := v - chroma
	return color.RGBA{uint8((chroma*5/6 + m) * 255), uint8(v * 255), uint8(m * 255), 255}
}

// The construction site package with the real detector and pose model, on
// darknet's person.jpg: the woman in a blue jacket wears no hi-vis vest
// (no_vest on her), the same picture with her jacket made fluorescent
// yellow-green has none; the filter finds the first recording only.
func TestHOLO4NoVestRealModels(t *testing.T) {
	det, poses := realDetector(t), realPoses(t)
	plain := recoloured(t, "person.jpg", [4]int{}, nil, nil)
	jacket := [4]int{185, 110, 280, 250}
	vest := recoloured(t, "person.jpg", jacket, func(c color.RGBA) bool {
		h, s, _ := holo4.HSV(c.R, c.G, c.B)
		return h >= 190 && h < 250 && s > 0.35
	}, hiVis)
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			wd := newWorld(t, d, det)
			wd.w.Poses = poses
			joinBeta(t, wd, "construction_site", "no_helmet", "no_vest")
			a := wd.upload(t, clipPath, plain)
			b := wd.upload(t, "SN/2024-03-01/001/dav/11/11.15.30-11.15.33[M][0@0][0].mp4", vest)
			for _, r := range []cam2drive.Recording{a, b} {
				if err := wd.analyse(r); err != nil {
					t.Fatal(err)
				}
			}
			woman := [4]float32{192.0 / 640, 100.0 / 424, 80.0 / 640, 275.0 / 424}
			got := wd.detections(t, a, analysis.SourceHOLO4)
			for _, g := range got {
				t.Logf("plain: %s %s %.2f %v %v–%v", g.Type, g.Label, g.Score, g.Box, g.Start, g.End)
			}
			// She wears a knit beanie, no helmet: no_helmet may be said
			// (the pose model guesses her face's keypoints from behind at
			// about the confidence threshold), always on her.
			vest := slices.IndexFunc(got, func(d cam2drive.Detection) bool { return d.Type == "no_vest" })
			if vest < 0 || got[vest].Label != "person" || got[vest].Start != 0 || got[vest].End != 2500*time.Millisecond {
				t.Errorf("plain picture: %+v, want no_vest on the woman for the whole clip", got)
			}
			for _, g := range got {
				if (g.Type != "no_vest" && g.Type != "no_helmet") || analysis.IoU(f32(g.Box), woman) < 0.5 {
					t.Errorf("plain picture: %+v, not on the woman", g)
				}
			}
			if m := wd.detections(t, b, "model"); !slices.ContainsFunc(m, func(d cam2drive.Detection) bool { return d.Type == "person" }) {
				t.Fatalf("the woman in hi-vis is not seen as a person: %+v", m)
			}
			for _, h := range wd.detections(t, b, analysis.SourceHOLO4) {
				if h.Type == "no_vest" {
					t.Errorf("in a hi-vis jacket: %+v", h)
				}
			}
			if ids, total := listed(t, wd, "no_vest"); total != 1 || ids[0] != a.ID {
				t.Errorf("detections=no_vest: %v (%d), want the plain picture's recording", ids, total)
			}
		})
	}
}

func f32(b [4]float64) [4]float32 {
	return [4]float32{float32(b[0]), float32(b[1]), float32(b[2]), float32(b[3])}
}
