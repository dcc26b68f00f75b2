package media

import (
	"context"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// render inspects a real file, plans it as the pipeline does and runs ffmpeg.
func render(t *testing.T, in string, transcodeHEVC, safe bool) (Media, Plan, error) {
	t.Helper()
	tools := Tools{}
	m, err := tools.Inspect(context.Background(), in)
	if err != nil {
		return m, Plan{}, err
	}
	dir := t.TempDir()
	p := Plan{In: in, Duration: m.Duration, Width: m.Width, Height: m.Height, Playback: PlaybackFor(m, transcodeHEVC), Safe: safe,
		Thumb: filepath.Join(dir, "t.jpg"), Poster: filepath.Join(dir, "p.jpg"), Strip: filepath.Join(dir, "s.jpg")}
	if !p.Playback.Keep {
		p.Media = filepath.Join(dir, "m.mp4")
	}
	return m, p, tools.Render(context.Background(), p)
}

func jpegSize(t *testing.T, path string) (int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := jpeg.DecodeConfig(f)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return cfg.Width, cfg.Height
}

// Each kind of file recorders send ends as a browser-playable MP4 (as
// ffprobe sees it) with its pictures, or as an error that blames the file.
func TestRenderRealFiles(t *testing.T) {
	x264 := []string{"-c:v", "libx264", "-preset", "ultrafast"}
	x265 := []string{"-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"}
	cases := []struct {
		name  string
		out   []string
		hevc  bool // transcode H.265
		codec string
		audio string
		keep  bool
	}{
		{"h264.mp4", append(x264, "-an"), true, "h264", "", false},
		{"fast.mp4", append(x264, "-c:a", "aac", "-movflags", "+faststart"), true, "h264", "aac", true},
		{"hevc.mp4", append(x265, "-an"), true, "h264", "", false},
		{"hevc-kept.mp4", append(x265, "-an"), false, "hevc", "", false},
		{"ps.mpg", append(x264, "-c:a", "mp2", "-f", "mpeg"), true, "h264", "aac", false},
		{"frag.mp4", append(x264, "-an", "-movflags", "frag_keyframe+empty_moov"), true, "h264", "", false},
		{"clip.mkv", append(x264, "-c:a", "libopus"), true, "h264", "aac", false},
		{"clip.ts", append(x264, "-c:a", "aac"), true, "h264", "aac", false},
		{"mjpeg.avi", []string{"-c:v", "mjpeg", "-c:a", "pcm_mulaw"}, true, "h264", "aac", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, p, err := render(t, encode(t, c.name, c.out...), c.hevc, false)
			if err != nil {
				t.Fatal(err)
			}
			if p.Playback.Keep != c.keep {
				t.Fatalf("keep = %v, want %v (%s)", p.Playback.Keep, c.keep, p.Playback.Reasons)
			}
			if !c.keep {
				checkPlayable(t, p.Media, c.codec, c.audio)
			}
			if w, h := jpegSize(t, p.Thumb); w != 320 || h != 240 {
				t.Errorf("thumb %dx%d", w, h)
			}
			if w, h := jpegSize(t, p.Poster); w != 320 || h != 240 {
				t.Errorf("poster %dx%d, want the full size", w, h)
			}
			if w, h := jpegSize(t, p.Strip); w != StripFrames*StripWidth || h != 120 {
				t.Errorf("strip %dx%d", w, h)
			}
		})
	}
}

// checkPlayable asks ffprobe about an output and reads its boxes.
func checkPlayable(t *testing.T, path, codec, audio string) {
	t.Helper()
	info, err := Tools{}.Probe(context.Background(), path)
	if err != nil {
		t.Fatalf("output does not probe: %v", err)
	}
	if info.Codec != codec || info.Audio != audio || info.Duration < 1500*time.Millisecond || info.Width != 320 {
		t.Errorf("output %+v, want %s with audio %q, about 2 s", info, codec, audio)
	}
	if codec == "h264" && info.PixFmt != "yuv420p" {
		t.Errorf("pixel format %s: browsers want yuv420p", info.PixFmt)
	}
	f, _ := os.Open(path)
	defer f.Close()
	st, _ := f.Stat()
	h, err := ReadMP4(f, st.Size())
	if err != nil || !h.FastStart || h.Fragmented {
		t.Errorf("output is not a faststart MP4: %+v %v", h, err)
	}
}

func TestRenderSafeRunDecodesEverything(t *testing.T) {
	_, p, err := render(t, encode(t, "c.mp4", "-an", "-c:v", "libx264", "-preset", "ultrafast"), true, true)
	if err != nil {
		t.Fatal(err)
	}
	checkPlayable(t, p.Media, "h264", "")
	if w, _ := jpegSize(t, p.Strip); w != 800 {
		t.Errorf("strip width %d", w)
	}
}

func TestRenderTruncatedFailsAndBlamesTheFile(t *testing.T) {
	for _, name := range []string{"cut.mp4", "cut-fast.mp4"} {
		out := []string{"-an", "-c:v", "libx264", "-preset", "ultrafast"}
		if name == "cut-fast.mp4" {
			out = append(out, "-movflags", "+faststart")
		}
		b, _ := os.ReadFile(encode(t, name, out...))
		cut := filepath.Join(t.TempDir(), name)
		os.WriteFile(cut, b[:len(b)/2], 0o600)
		_, _, err := render(t, cut, true, false)
		if e, ok := FileFault(err); !ok {
			t.Errorf("%s: err = %v, want the file at fault", name, err)
		} else if e.Key != ReasonTruncated && e.Key != ReasonUnreadable {
			t.Errorf("%s: reason %q", name, e.Key)
		}
	}
}

func TestImageThumb(t *testing.T) {
	dir := t.TempDir()
	in := encode(t, "still.jpg", "-frames:v", "1", "-vf", "scale=1280:720")
	out := filepath.Join(dir, "t.jpg")
	if err := (Tools{}).ImageThumb(context.Background(), in, out); err != nil {
		t.Fatal(err)
	}
	if w, h := jpegSize(t, out); w != 320 || h != 180 {
		t.Errorf("thumb %dx%d, want 320x180", w, h)
	}
	// A picture smaller than a thumbnail keeps its size.
	small := filepath.Join(dir, "small.jpg")
	f, _ := os.Create(small)
	jpeg.Encode(f, image.NewGray(image.Rect(0, 0, 100, 50)), nil)
	f.Close()
	if err := (Tools{}).ImageThumb(context.Background(), small, out); err != nil {
		t.Fatal(err)
	}
	if w, h := jpegSize(t, out); w != 100 || h != 50 {
		t.Errorf("thumb %dx%d, want 100x50", w, h)
	}
	bad := filepath.Join(dir, "bad.jpg")
	os.WriteFile(bad, []byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9}, 0o600)
	if err := (Tools{}).ImageThumb(context.Background(), bad, out); err == nil {
		t.Error("a corrupt picture must fail")
	} else if _, ok := FileFault(err); !ok {
		t.Errorf("err = %v, want the file at fault", err)
	}
}

func TestDownscaleAverages(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 4, 2), image.YCbCrSubsampleRatio444)
	copy(src.Y, []byte{0, 100, 200, 200, 100, 200, 200, 200})
	for i := range src.Cb {
		src.Cb[i], src.Cr[i] = 128, 128
	}
	got := Downscale(src, 2, 1).(*image.YCbCr)
	if got.Y[0] != 100 || got.Y[1] != 200 {
		t.Errorf("Y = %v, want the means 100 and 200", got.Y[:2])
	}
	gray := image.NewGray(image.Rect(0, 0, 2, 2))
	copy(gray.Pix, []byte{0, 255, 255, 0})
	r, _, _, _ := Downscale(gray, 1, 1).At(0, 0).RGBA()
	if r>>8 < 126 || r>>8 > 128 {
		t.Errorf("gray mean %d, want 127", r>>8)
	}
}

// A long clip takes each strip frame from its own seek; seeks past the end
// land on the last key frame, so a short file stands in for a long one.
func TestRenderSeekStrip(t *testing.T) {
	in := encode(t, "c.mp4", "-an", "-c:v", "libx264", "-preset", "ultrafast")
	dir := t.TempDir()
	p := Plan{In: in, Duration: 3 * time.Minute, Width: 320, Height: 240, Playback: Playback{Keep: true},
		Thumb: filepath.Join(dir, "t.jpg"), Poster: filepath.Join(dir, "p.jpg"), Strip: filepath.Join(dir, "s.jpg")}
	if err := (Tools{}).Render(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if w, h := jpegSize(t, p.Strip); w != 800 || h != 120 {
		t.Errorf("strip %dx%d", w, h)
	}
}
