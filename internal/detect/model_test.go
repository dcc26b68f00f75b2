package detect

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// modelsDir is where `make models` installed the runtime and models. Tests
// that need them skip when it is not set up, except in CI, where a missing
// model is a failure.
func modelsDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("CAM2DRIVE_MODELS_DIR")
	if dir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CAM2DRIVE_MODELS_DIR is not set (run `make models`; the Makefile sets it)")
		}
		t.Skip("CAM2DRIVE_MODELS_DIR is not set: run `make models` and test through make")
	}
	return dir
}

func openDetector(t testing.TB, cfg Config) Detector {
	t.Helper()
	cfg.ModelsDir = modelsDir(t)
	d, err := Open(cfg)
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// darknetPicture reads one of the test pictures of Debian's darknet package.
func darknetPicture(t testing.TB, name string) Frame {
	t.Helper()
	p := filepath.Join("/usr/share/darknet/data", name)
	f, err := os.Open(p)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err, "(scripts/install-deps.sh test installs darknet)")
		}
		t.Skip(err, "(apt-get install darknet)")
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return frameOf(img)
}

func frameOf(img image.Image) Frame {
	b := img.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, img, b.Min, draw.Src)
	fr := Frame{W: b.Dx(), H: b.Dy(), RGB: make([]byte, b.Dx()*b.Dy()*3)}
	for i := range fr.W * fr.H {
		copy(fr.RGB[i*3:i*3+3], rgba.Pix[i*4:i*4+3])
	}
	return fr
}

// want is an object checked by hand on the picture: its class and box in
// pixels (x1, y1, x2, y2).
type want struct {
	class string
	box   [4]int
}

func TestDetectsDarknetPictures(t *testing.T) {
	d := openDetector(t, Config{})
	if d.InputSize() != 512 {
		t.Errorf("InputSize = %d, want 512", d.InputSize())
	}
	cases := []struct {
		picture string
		want    []want
	}{
		{"dog.jpg", []want{
			{"dog", [4]int{128, 218, 305, 535}},
			{"bicycle", [4]int{125, 135, 565, 420}},
			{"car", [4]int{468, 78, 682, 168}}, // the white pick-up truck
		}},
		{"person.jpg", []want{
			{"person", [4]int{192, 100, 272, 375}},
			{"dog", [4]int{68, 265, 192, 345}},
			{"horse", [4]int{405, 140, 600, 340}},
		}},
		{"horses.jpg", []want{
			{"horse", [4]int{0, 200, 315, 405}},   // white, front left
			{"horse", [4]int{240, 200, 420, 360}}, // dark, middle
			{"horse", [4]int{435, 212, 598, 345}}, // grey, right
		}},
	}
	for _, tc := range cases {
		t.Run(tc.picture, func(t *testing.T) {
			f := darknetPicture(t, tc.picture)
			objs, err := d.Detect(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i < len(objs); i++ {
				if objs[i].Score > objs[i-1].Score {
					t.Errorf("objects not best first: %v", objs)
				}
			}
			for _, w := range tc.want {
				hand := [4]float32{float32(w.box[0]) / float32(f.W), float32(w.box[1]) / float32(f.H),
					float32(w.box[2]-w.box[0]) / float32(f.W), float32(w.box[3]-w.box[1]) / float32(f.H)}
				best := float32(0)
				for _, o := range objs {
					if o.Class == w.class {
						best = max(best, iou(o.Box, hand))
					}
				}
				if best < 0.5 {
					t.Errorf("%s at %v: best IoU %.2f among %s", w.class, w.box, best, describe(objs, f))
				}
			}
		})
	}
}

func describe(objs []Object, f Frame) string {
	var b strings.Builder
	for _, o := range objs {
		x, y := o.Box[0]*float32(f.W), o.Box[1]*float32(f.H)
		fmt.Fprintf(&b, " %s %.2f [%.0f %.0f %.0f %.0f]", o.Class, o.Score, x, y, x+o.Box[2]*float32(f.W), y+o.Box[3]*float32(f.H))
	}
	return b.String()
}

// A grey picture has nothing in it: the detector must not invent objects.
func TestNothingInAnEmptyFrame(t *testing.T) {
	d := openDetector(t, Config{})
	f := Frame{W: 640, H: 360, RGB: make([]byte, 640*360*3)}
	for i := range f.RGB {
		f.RGB[i] = 128
	}
	objs, err := d.Detect(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 0 {
		t.Errorf("found %v in a grey frame", objs)
	}
}

func TestRejectsMalformedFrames(t *testing.T) {
	d := openDetector(t, Config{})
	for _, f := range []Frame{{}, {W: 2, H: 2, RGB: make([]byte, 11)}} {
		if _, err := d.Detect(context.Background(), f); err == nil {
			t.Errorf("Detect(%d×%d, %d bytes) = nil error", f.W, f.H, len(f.RGB))
		}
	}
}

// Sessions bound how many frames run at once: more callers wait, and a
// caller whose context ends while waiting gets its error.
func TestSessionPoolWaitsAndHonoursContext(t *testing.T) {
	d := openDetector(t, Config{Sessions: 1})
	od := d.(*onnxDetector)
	s := <-od.pool.ch // hold the only session
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Detect(ctx, Frame{W: 1, H: 1, RGB: []byte{1, 2, 3}}); !errors.Is(err, context.Canceled) {
		t.Errorf("Detect with every session busy and a cancelled context = %v, want context.Canceled", err)
	}
	od.pool.ch <- s
	if _, err := d.Detect(context.Background(), Frame{W: 1, H: 1, RGB: []byte{1, 2, 3}}); err != nil {
		t.Errorf("Detect once the session is back: %v", err)
	}
}

// Frames from many goroutines share the sessions and each gets its own
// answer (run with -race).
func TestConcurrentFramesGetTheirOwnObjects(t *testing.T) {
	d := openDetector(t, Config{Sessions: 2})
	pics := map[string]string{"dog.jpg": "bicycle", "horses.jpg": "horse", "person.jpg": "person"}
	frames := map[string]Frame{}
	for p := range pics {
		frames[p] = darknetPicture(t, p)
	}
	errs := make(chan error, 12)
	for i := range 12 {
		go func() {
			p := []string{"dog.jpg", "horses.jpg", "person.jpg"}[i%3]
			objs, err := d.Detect(context.Background(), frames[p])
			switch {
			case err != nil:
				errs <- err
			case len(objs) == 0 || (p != "dog.jpg" && objs[0].Class != pics[p]):
				errs <- fmt.Errorf("%s: best object %v, want a %s", p, objs, pics[p])
			case p == "dog.jpg" && !hasClass(objs, "bicycle"):
				errs <- fmt.Errorf("%s: no bicycle in %v", p, objs)
			default:
				errs <- nil
			}
		}()
	}
	for range 12 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func hasClass(objs []Object, class string) bool {
	for _, o := range objs {
		if o.Class == class {
			return true
		}
	}
	return false
}

func TestUnavailableWithAnEmptyModelsDir(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(Config{ModelsDir: dir})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Open(empty dir) = %v, want ErrUnavailable", err)
	}
	for _, s := range []string{dir, "cam2drive models install", "make models"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
}

func TestDetectAfterClose(t *testing.T) {
	d := openDetector(t, Config{Sessions: 2})
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Detect(context.Background(), Frame{W: 1, H: 1, RGB: []byte{1, 2, 3}}); !errors.Is(err, ErrClosed) {
		t.Errorf("Detect after Close = %v, want ErrClosed", err)
	}
}

// An operator's catalogue entry that does not fit the model file is
// refused with what the file expects, not run on garbage.
func TestOpenRefusesACatalogueEntryThatDoesNotFitTheModel(t *testing.T) {
	src := modelsDir(t)
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(src, "centernet.onnx"), filepath.Join(dir, "centernet.onnx")); err != nil {
		t.Fatal(err)
	}
	override := `{"default": "mine", "models": [{"name": "mine", "task": "detect", "file": "centernet.onnx",
		"input": {"name": "images", "size": 640, "layout": "NCHW", "scale": 1},
		"outputs": ["tower_0/keypoints", "tower_0/wh"], "decoder": "centernet"}]}`
	os.WriteFile(filepath.Join(dir, "catalogue.json"), []byte(override), 0o644)
	d, err := Open(Config{ModelsDir: dir, Library: filepath.Join(src, "lib", "libonnxruntime.so")})
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err == nil {
		d.Close()
		t.Fatal("Open accepted a 640 px entry for a 512 px model")
	}
	if !strings.Contains(err.Error(), "512") || !strings.Contains(err.Error(), "640") {
		t.Errorf("error %q does not say what the model expects", err)
	}
}
