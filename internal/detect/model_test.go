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

	ort "github.com/yalue/onnxruntime_go"
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
	// The file is NCHW (1×3×H×W): an NHWC entry does not fit it.
	override := `{"default": "mine", "models": [{"name": "mine", "task": "detect", "file": "centernet.onnx",
		"input": {"name": "images", "size": 640, "layout": "NHWC", "scale": 1},
		"outputs": ["tower_0/CenternetHead/centernet_cls_output/BiasAdd", "tower_0/wh"], "decoder": "centernet"}]}`
	os.WriteFile(filepath.Join(dir, "catalogue.json"), []byte(override), 0o644)
	d, err := Open(Config{ModelsDir: dir, Library: filepath.Join(src, "lib", "libonnxruntime.so")})
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err == nil {
		d.Close()
		t.Fatal("Open accepted an NHWC entry for an NCHW model")
	}
	info, _, ierr := ort.GetInputOutputInfo(filepath.Join(src, "centernet.onnx"))
	if ierr != nil {
		t.Fatal(ierr)
	}
	if !strings.Contains(err.Error(), fmt.Sprint(info[0].Dimensions)) || !strings.Contains(err.Error(), "[1 640 640 3]") {
		t.Errorf("error %q does not say what the model expects (%v)", err, info[0].Dimensions)
	}
	// Outputs the file lacks are refused by name.
	override = strings.Replace(strings.Replace(override, "NHWC", "NCHW", 1), "/BiasAdd", "/Nothing", 1)
	os.WriteFile(filepath.Join(dir, "catalogue.json"), []byte(override), 0o644)
	if d, err = Open(Config{ModelsDir: dir, Library: filepath.Join(src, "lib", "libonnxruntime.so")}); err == nil {
		d.Close()
		t.Fatal("Open accepted an output the model does not have")
	}
	if !strings.Contains(err.Error(), "centernet_cls_output/Nothing") {
		t.Errorf("error %q does not name the missing output", err)
	}
}

// cropFrame is the region x0, y0, w×h of f.
func cropFrame(f Frame, x0, y0, w, h int) Frame {
	c := Frame{W: w, H: h, RGB: make([]byte, 0, w*h*3)}
	for y := y0; y < y0+h; y++ {
		c.RGB = append(c.RGB, f.RGB[(y*f.W+x0)*3:(y*f.W+x0+w)*3]...)
	}
	return c
}

// A 16:9 frame is read as 512×288, without grey bands, and gives the
// objects the 512×512 letterbox gives: same classes, boxes overlapping by
// half or more, and the hand-checked ones.
func TestWideFrameFindsWhatTheSquareFinds(t *testing.T) {
	d := openDetector(t, Config{})
	od := d.(*onnxDetector)
	if od.stride != 32 {
		t.Fatalf("the detector reads %d-px strides, want any multiple of 32 (reinstall the models: `make models`)", od.stride)
	}
	sq := openDetector(t, Config{})
	sq.(*onnxDetector).stride = 0 // the square letterbox
	// dog.jpg is 768×576: its rows 100..532 are a 16:9 frame with the dog,
	// the bicycle and most of the truck.
	f := cropFrame(darknetPicture(t, "dog.jpg"), 0, 100, 768, 432)
	if lb := fitLetterbox(f.W, f.H, od.InputSize(), od.stride); lb.InW != 512 || lb.InH != 288 || lb.PadY != 0 {
		t.Fatalf("a 16:9 frame is letterboxed into %+v, want 512×288 without padding", lb)
	}
	wide, err := d.Detect(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	square, err := sq.Detect(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []want{
		{"dog", [4]int{128, 218 - 100, 305, 432}},
		{"bicycle", [4]int{125, 135 - 100, 565, 420 - 100}},
		{"car", [4]int{468, 0, 682, 168 - 100}}, // the truck's lower part
	} {
		hand := [4]float32{float32(w.box[0]) / 768, float32(w.box[1]) / 432, float32(w.box[2]-w.box[0]) / 768, float32(w.box[3]-w.box[1]) / 432}
		if best := bestIoU(wide, w.class, hand); best < 0.5 {
			t.Errorf("16:9: %s at %v: best IoU %.2f among %s", w.class, w.box, best, describe(wide, f))
		}
	}
	// Every fairly confident object of one path is in the other.
	for _, p := range []struct {
		name     string
		from, in []Object
	}{{"square", square, wide}, {"16:9", wide, square}} {
		for _, o := range p.from {
			if o.Score < 0.4 {
				continue
			}
			if best := bestIoU(p.in, o.Class, o.Box); best < 0.5 {
				t.Errorf("%s path's %s %.2f at %v: best IoU %.2f in the other path:%s", p.name, o.Class, o.Score, o.Box, best, describe(p.in, f))
			}
		}
	}
	t.Logf("16:9:%s\nsquare:%s", describe(wide, f), describe(square, f))
}

func bestIoU(objs []Object, class string, box [4]float32) float32 {
	best := float32(0)
	for _, o := range objs {
		if o.Class == class {
			best = max(best, iou(o.Box, box))
		}
	}
	return best
}

// The network halves its input five times and its head upsamples back by 2
// and concatenates: every multiple of 32 runs, with one heat-map cell per 4
// input pixels, and a side of 16 × odd does not (which is why the
// catalogue's stride is 32, not 16).
func TestDetectorInputSizes(t *testing.T) {
	d := openDetector(t, Config{})
	od := d.(*onnxDetector)
	if od.stride == 0 {
		t.Skip("the installed detector reads a square (reinstall the models: `make models`)")
	}
	s, err := od.pool.get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ w, h int }{{512, 288}, {512, 384}, {288, 512}, {512, 512}, {512, 32}, {448, 160}, {512, 272}} {
		tn, err := s.tensors(c.w, c.h, od.model.Input)
		if err != nil {
			od.pool.put(s)
			t.Fatal(err)
		}
		err = s.run(tn)
		if c.h%32 != 0 {
			if err == nil {
				t.Errorf("%d×%d ran: the stride could be smaller than 32", c.w, c.h)
			}
			continue
		}
		if err != nil {
			t.Errorf("%d×%d: %v", c.w, c.h, err)
			continue
		}
		for i, o := range tn.outs {
			if sh := o.GetShape(); sh[1] != int64(c.h/4) || sh[2] != int64(c.w/4) {
				t.Errorf("%d×%d: output %d has shape %v, want 1×%d×%d×…", c.w, c.h, i, sh, c.h/4, c.w/4)
			}
		}
	}
	if len(s.sizes) > maxSizes {
		t.Errorf("the session keeps tensors for %d sizes, at most %d", len(s.sizes), maxSizes)
	}
	od.pool.put(s)
	// 512×288 was dropped for newer sizes: a 16:9 frame makes it again.
	f := cropFrame(darknetPicture(t, "dog.jpg"), 0, 100, 768, 432)
	objs, err := d.Detect(context.Background(), f)
	if err != nil || !hasClass(objs, "bicycle") || !hasClass(objs, "dog") {
		t.Errorf("16:9 frame after the session's sizes turned over: %v%s", err, describe(objs, f))
	}
}
