package media

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFrameSize(t *testing.T) {
	cases := []struct{ w, h, size, ww, wh int }{
		{1920, 1080, 512, 512, 288},
		{1080, 1920, 512, 288, 512},
		{640, 480, 416, 416, 312},
		{2592, 1944, 320, 320, 240},
		{704, 576, 512, 512, 420}, // D1 PAL: 418.9 rounds to an even 420
		{100, 100, 511, 510, 510}, // an odd size becomes even
		{4000, 10, 512, 512, 2},   // never below 2
		{0, 0, 512, 512, 512},
	}
	for _, c := range cases {
		if w, h := FrameSize(c.w, c.h, c.size); w != c.ww || h != c.wh {
			t.Errorf("FrameSize(%d, %d, %d) = %dx%d, want %dx%d", c.w, c.h, c.size, w, h, c.ww, c.wh)
		}
	}
}

func TestFramesArgs(t *testing.T) {
	keys := FramesArgs("/x/in", Sampling{Size: 512}, 512, 288)
	fps := FramesArgs("/x/in", Sampling{Size: 512, FPS: 0.5, Threads: 1}, 512, 288)
	still := FramesArgs("/x/in", Sampling{Size: 512, Still: true}, 512, 288)
	in := func(args []string) int { return slices.Index(args, "-i") }
	vf := func(args []string) string { return args[slices.Index(args, "-vf")+1] }
	if i := slices.Index(keys, "-skip_frame"); i < 0 || i > in(keys) || keys[i+1] != "nokey" {
		t.Errorf("key frames only: the decoder must skip the others: %q", keys)
	}
	if strings.Contains(vf(keys), "fps=") || slices.Contains(fps, "-skip_frame") || slices.Contains(still, "-skip_frame") {
		t.Errorf("fps filter and key frames mixed: %q / %q", keys, fps)
	}
	if vf(fps) != "fps=0.5,scale=512:288:flags=bilinear,showinfo" {
		t.Errorf("fps filter: %q", vf(fps))
	}
	for _, a := range [][]string{keys, fps} {
		if i := slices.Index(a, "-skip_loop_filter"); i < 0 || i > in(a) || a[i+1] != "all" {
			t.Errorf("clips are decoded without deblocking: %q", a)
		}
	}
	if i := slices.Index(fps, "-threads"); i < 0 || i > in(fps) || fps[i+1] != "1" {
		t.Errorf("threads is a decoder option: %q", fps)
	}
	if !slices.Contains(still, "-frames:v") || slices.Contains(keys, "-frames:v") {
		t.Errorf("a picture gives one frame: %q", still)
	}
	for _, a := range [][]string{keys, fps, still} {
		if !slices.Equal(a[len(a)-5:], []string{"-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"}) || a[in(a)+1] != "file:/x/in" {
			t.Errorf("raw RGB to the pipe from the file: %q", a)
		}
		if i := slices.Index(a, "-fps_mode"); i < 0 || a[i+1] != "passthrough" {
			t.Errorf("raw video must not be padded with copies: %q", a)
		}
	}
}

// clip makes a real H.264 MP4 with ffmpeg from a lavfi source: 25 fps, a
// key frame a second.
func clip(t *testing.T, name, src string, seconds int) string {
	t.Helper()
	needFFmpeg(t)
	path := filepath.Join(t.TempDir(), name)
	args := []string{"-v", "error", "-f", "lavfi", "-i", src, "-t", strconv.Itoa(seconds), "-pix_fmt", "yuv420p", "-g", "25",
		"-c:v", "libx264", "-preset", "ultrafast", path}
	if b, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, b)
	}
	return path
}

func collect(t *testing.T, path string, s Sampling) ([]Frame, error) {
	t.Helper()
	var out []Frame
	_, err := Tools{}.Frames(context.Background(), path, s, func(f Frame) error {
		if len(f.RGB) != f.W*f.H*3 {
			t.Fatalf("frame of %d bytes for %dx%d", len(f.RGB), f.W, f.H)
		}
		f.RGB = slices.Clone(f.RGB)
		out = append(out, f)
		return nil
	})
	return out, err
}

func times(fs []Frame) []time.Duration {
	var out []time.Duration
	for _, f := range fs {
		out = append(out, f.At)
	}
	return out
}

func TestFramesAtAFrameRateAndKeyFrames(t *testing.T) {
	in := clip(t, "c.mp4", "testsrc2=size=640x360:rate=25", 4)
	fs, err := collect(t, in, Sampling{Size: 512, FPS: 2})
	if err != nil {
		t.Fatal(err)
	}
	var want []time.Duration
	for i := range 8 {
		want = append(want, time.Duration(i)*500*time.Millisecond)
	}
	if !slices.Equal(times(fs), want) {
		t.Fatalf("2 frames/s over 4 s: times %v, want %v", times(fs), want)
	}
	if fs[0].W != 512 || fs[0].H != 288 {
		t.Errorf("frame %dx%d, want the longer side 512", fs[0].W, fs[0].H)
	}
	if slices.Equal(fs[0].RGB, fs[1].RGB) {
		t.Error("the test pattern moves: two samples cannot be the same picture")
	}
	keys, err := collect(t, in, Sampling{Size: 320})
	if err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second}; !slices.Equal(times(keys), want) {
		t.Fatalf("key frames (one a second): times %v, want %v", times(keys), want)
	}
	if keys[0].W != 320 || keys[0].H != 180 {
		t.Errorf("frame %dx%d", keys[0].W, keys[0].H)
	}
}

// The bytes are RGB in that order: a red clip reads red.
func TestFramesAreRGB(t *testing.T) {
	in := clip(t, "red.mp4", "color=c=red:size=320x240:rate=25", 1)
	fs, err := collect(t, in, Sampling{Size: 64, FPS: 1})
	if err != nil || len(fs) != 1 {
		t.Fatalf("%d frames, %v", len(fs), err)
	}
	px := fs[0].RGB[(fs[0].W*fs[0].H/2)*3:][:3]
	if px[0] < 230 || px[1] > 25 || px[2] > 25 {
		t.Fatalf("a red pixel reads %v", px)
	}
}

func TestFramesOfASnapshot(t *testing.T) {
	needFFmpeg(t)
	// A portrait JPEG, stored without extension as the pipeline's scratch copy is.
	in := filepath.Join(t.TempDir(), "original")
	if b, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=480x640", "-frames:v", "1",
		"-f", "image2", "-c:v", "mjpeg", in).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, b)
	}
	fs, err := collect(t, in, Sampling{Size: 512, FPS: 2}) // Frames inspects: a picture is one frame
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].At != 0 || fs[0].W != 384 || fs[0].H != 512 {
		t.Fatalf("snapshot: %d frames, first %v %dx%d", len(fs), fs[0].At, fs[0].W, fs[0].H)
	}
}

func TestFramesOfBrokenFilesBlameTheFile(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mp4")
	os.WriteFile(junk, []byte(strings.Repeat("not video ", 1000)), 0o600)
	b, _ := os.ReadFile(clip(t, "whole.mp4", "testsrc2=size=320x240:rate=25", 2))
	cut := filepath.Join(dir, "cut.mp4") // the index (moov) is at the end: cut, nothing plays
	os.WriteFile(cut, b[:len(b)/2], 0o600)
	for _, in := range []string{junk, cut} {
		// Width and height given, as the analysis passes them: ffmpeg itself must say the file is bad.
		n, err := collect(t, in, Sampling{Size: 320, FPS: 2, Width: 320, Height: 240, Duration: 2 * time.Second})
		e, ok := FileFault(err)
		if !ok || e.Key != ReasonUnreadable {
			t.Errorf("%s: %d frames, err = %v, want the file at fault", filepath.Base(in), len(n), err)
			continue
		}
		t.Logf("%s: %v", filepath.Base(in), err)
		if strings.Contains(err.Error(), dir) {
			t.Errorf("%s: the message shows a server path: %v", filepath.Base(in), err)
		}
	}
}

func TestFramesStopWhenTheCallerSaysSo(t *testing.T) {
	in := clip(t, "c.mp4", "testsrc2=size=320x240:rate=25", 4)
	stop := errors.New("enough")
	n := 0
	got, err := Tools{}.Frames(context.Background(), in, Sampling{Size: 160, FPS: 5}, func(Frame) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || got != 3 {
		t.Fatalf("Frames = %d, %v; want 3 frames and the caller's error as it is", got, err)
	}
}

func TestFramesTimeOutAndSaySo(t *testing.T) {
	in := clip(t, "c.mp4", "testsrc2=size=320x240:rate=25", 4)
	tools := Tools{Timeout: 300 * time.Millisecond}
	// The clip claims 1 ms: the bound is the tools' timeout, and the
	// consumer is slow.
	_, err := tools.Frames(context.Background(), in, Sampling{Size: 160, FPS: 5, Width: 320, Height: 240, Duration: time.Millisecond},
		func(Frame) error { time.Sleep(200 * time.Millisecond); return nil })
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if _, ok := FileFault(err); ok {
		t.Fatal("a timeout is not the file's fault: the job must be retried")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Tools{}).Frames(ctx, in, Sampling{Size: 160, FPS: 5, Width: 320, Height: 240}, func(Frame) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: err = %v", err)
	}
}
