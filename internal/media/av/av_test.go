package av_test

import (
	"context"
	"encoding/json"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/media/av"
)

// TestMain lets the pool start this test binary as its worker.
func TestMain(m *testing.M) {
	if os.Getenv(media.AVWorkerEnv) == "1" {
		os.Exit(av.Main())
	}
	os.Exit(m.Run())
}

// clip makes a 6 s test clip with ffmpeg's command line.
func clip(t *testing.T, name string, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	base := []string{"-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000",
		"-t", "6", "-pix_fmt", "yuv420p", "-g", "25"}
	if o, err := exec.Command("ffmpeg", append(append(base, args...), out)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, o)
	}
	return out
}

type probed struct {
	Format struct {
		FormatName string `json:"format_name"`
		Duration   string `json:"duration"`
	} `json:"format"`
	Streams []struct {
		CodecType string `json:"codec_type"`
		CodecName string `json:"codec_name"`
		CodecTag  string `json:"codec_tag_string"`
		Width     int
		Height    int
	} `json:"streams"`
}

func ffprobe(t *testing.T, path string) probed {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p probed
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func jpegSize(t *testing.T, path string) (int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := jpeg.DecodeConfig(f)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return c.Width, c.Height
}

func plan(dir, in string, remux bool) *media.AVPlan {
	p := &media.AVPlan{In: "file:" + in, Thumb: filepath.Join(dir, "t.jpg"), Poster: filepath.Join(dir, "p.jpg"), Strip: filepath.Join(dir, "s.jpg"),
		DurationMS: 6000, PosterMS: 2400, ThumbWidth: 320, PosterMaxWidth: 1920, StripFrames: 5, StripWidth: 160, StripHeight: 90}
	if remux {
		p.Media = "file:" + filepath.Join(dir, "play.mp4")
	}
	return p
}

func TestRenderRemuxesEveryContainerToAFaststartMP4(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		audio bool
	}{
		{"mp4", []string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-f", "mp4"}, true},
		{"fragmented.mp4", []string{"-c:v", "libx264", "-preset", "ultrafast", "-an", "-movflags", "frag_keyframe+empty_moov", "-f", "mp4"}, false},
		{"ps", []string{"-c:v", "libx264", "-preset", "ultrafast", "-an", "-f", "mpeg"}, false},
		{"mkv", []string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-f", "matroska"}, true},
		{"ts", []string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-f", "mpegts"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := clip(t, c.name, c.args...)
			dir := t.TempDir()
			p := plan(dir, in, true)
			p.AudioCopy = c.audio
			if r := av.Render(p); r.Fault != "" {
				t.Fatalf("render: %s %s", r.Fault, r.Err)
			}
			out := filepath.Join(dir, "play.mp4")
			got := ffprobe(t, out)
			if !strings.Contains(got.Format.FormatName, "mp4") || len(got.Streams) == 0 || got.Streams[0].CodecName != "h264" {
				t.Fatalf("play.mp4 is %+v", got)
			}
			if has := len(got.Streams) == 2 && got.Streams[1].CodecName == "aac"; has != c.audio {
				t.Errorf("audio copied %v, want %v (%+v)", has, c.audio, got.Streams)
			}
			if d := got.Format.Duration; !strings.HasPrefix(d, "5.") && !strings.HasPrefix(d, "6.") {
				t.Errorf("duration %s, want about 6 s", d)
			}
			f, _ := os.Open(out)
			st, _ := f.Stat()
			h, err := media.ReadMP4(f, st.Size())
			f.Close()
			if err != nil || !h.FastStart || h.Fragmented {
				t.Errorf("play.mp4 faststart %v fragmented %v err %v", h.FastStart, h.Fragmented, err)
			}
			checkPictures(t, dir)
		})
	}
}

func checkPictures(t *testing.T, dir string) {
	t.Helper()
	for name, want := range map[string][2]int{"p.jpg": {640, 360}, "t.jpg": {320, 180}, "s.jpg": {5 * 160, 90}} {
		if w, h := jpegSize(t, filepath.Join(dir, name)); w != want[0] || h != want[1] {
			t.Errorf("%s is %dx%d, want %dx%d", name, w, h, want[0], want[1])
		}
	}
}

func TestRenderPicturesOnlyAndHEVCTag(t *testing.T) {
	in := clip(t, "hevc.mp4", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-an", "-f", "mp4")
	dir := t.TempDir()
	if r := av.Render(plan(dir, in, false)); r.Fault != "" {
		t.Fatalf("pictures: %s %s", r.Fault, r.Err)
	}
	checkPictures(t, dir)
	if _, err := os.Stat(filepath.Join(dir, "play.mp4")); err == nil {
		t.Error("a playable copy was written though none was asked")
	}
	dir = t.TempDir()
	p := plan(dir, in, true)
	p.HVC1 = true
	if r := av.Render(p); r.Fault != "" {
		t.Fatalf("remux: %s %s", r.Fault, r.Err)
	}
	if s := ffprobe(t, filepath.Join(dir, "play.mp4")).Streams[0]; s.CodecName != "hevc" || s.CodecTag != "hvc1" {
		t.Errorf("stream %s tagged %s, want hevc hvc1", s.CodecName, s.CodecTag)
	}
}

func TestRenderAndInspectSayWhatIsWrongWithAFile(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mp4")
	os.WriteFile(junk, []byte(strings.Repeat("not a video ", 1000)), 0o600)
	if r := av.Render(plan(dir, junk, true)); r.Fault != "unreadable" {
		t.Errorf("junk: fault %q (%s), want unreadable", r.Fault, r.Err)
	}
	audio := filepath.Join(dir, "a.m4a")
	if o, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine", "-t", "1", "-c:a", "aac", audio).CombinedOutput(); err != nil {
		t.Fatal(err, string(o))
	}
	if r := av.Render(plan(dir, audio, true)); r.Fault != "no_video" {
		t.Errorf("audio only: fault %q (%s), want no_video", r.Fault, r.Err)
	}
	if r := av.Inspect("file:" + audio); r.Info == nil || r.Info.Codec != "" || r.Info.Audio != "aac" {
		t.Errorf("inspect audio only: %+v", r)
	}
	// A cut MPEG-PS plays up to the cut, as with the command line.
	ps := clip(t, "cut.ps", "-c:v", "libx264", "-preset", "ultrafast", "-an", "-f", "mpeg")
	data, _ := os.ReadFile(ps)
	os.WriteFile(ps, data[:len(data)/2], 0o600)
	if r := av.Render(plan(dir, ps, true)); r.Fault != "" {
		t.Errorf("cut PS: %s %s", r.Fault, r.Err)
	}
}

func TestInspectDescribesLikeFFprobe(t *testing.T) {
	in := clip(t, "x.mkv", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-f", "matroska")
	r := av.Inspect("file:" + in)
	if r.Info == nil {
		t.Fatalf("inspect: %+v", r)
	}
	i := *r.Info
	if i.Format != "matroska,webm" || i.Codec != "h264" || i.PixFmt != "yuv420p" || i.Width != 640 || i.Height != 360 || i.Audio != "aac" ||
		i.Duration < 5800*time.Millisecond || i.Duration > 6300*time.Millisecond {
		t.Errorf("inspect: %+v", i)
	}
}

// The pool runs the same code in worker processes and gets through a
// worker that dies.
func TestPoolRendersThroughWorkersAndSurvivesACrash(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pool := media.NewAVPool(exe, 2)
	t.Cleanup(pool.Close)
	tools := media.Tools{AV: pool}
	in := clip(t, "x.ps", "-c:v", "libx264", "-preset", "ultrafast", "-an", "-f", "mpeg")
	render := func() {
		t.Helper()
		ctx := context.Background()
		m, err := tools.Inspect(ctx, in)
		if err != nil || m.Codec != "h264" || m.Width != 640 {
			t.Fatalf("inspect: %+v %v", m, err)
		}
		dir := t.TempDir()
		p := media.Plan{In: in, Duration: m.Duration, Width: m.Width, Height: m.Height, Playback: media.PlaybackFor(m, false),
			Media: filepath.Join(dir, "play.mp4"), Thumb: filepath.Join(dir, "t.jpg"), Poster: filepath.Join(dir, "p.jpg"), Strip: filepath.Join(dir, "s.jpg")}
		if err := tools.Render(ctx, p); err != nil {
			t.Fatal(err)
		}
		checkPictures(t, dir)
	}
	render()
	// Kill every worker process of this test; the next render starts one.
	exec.Command("pkill", "-f", "-KILL", "^"+exe+"$").Run() //nolint:errcheck // none may be left
	render()
	render()
}

// A worker keeps the file it described open for the render that follows;
// a file put in its place since is read anew, not the one kept.
func TestServeRendersTheFileThereNotTheOneKept(t *testing.T) {
	small := clip(t, "small.ps", "-c:v", "libx264", "-preset", "ultrafast", "-an", "-f", "mpeg")
	big := filepath.Join(t.TempDir(), "big.ps")
	if o, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-t", "3", "-pix_fmt", "yuv420p",
		"-c:v", "libx264", "-preset", "ultrafast", "-f", "mpeg", big).CombinedOutput(); err != nil {
		t.Fatal(err, string(o))
	}
	in := filepath.Join(t.TempDir(), "original")
	link := func(src string) {
		t.Helper()
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		tmp := in + ".new"
		if err := os.WriteFile(tmp, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, in); err != nil {
			t.Fatal(err)
		}
	}
	reqR, reqW := io.Pipe()
	repR, repW := io.Pipe()
	go av.Serve(reqR, repW) //nolint:errcheck // ends with the pipe
	t.Cleanup(func() { reqW.Close() })
	enc, dec := json.NewEncoder(reqW), json.NewDecoder(repR)
	ask := func(req media.AVRequest) media.AVReply {
		t.Helper()
		if err := enc.Encode(req); err != nil {
			t.Fatal(err)
		}
		var r media.AVReply
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	var hello media.AVReply
	if err := dec.Decode(&hello); err != nil || !hello.Ready {
		t.Fatalf("first line %+v %v, want ready", hello, err)
	}
	for _, c := range []struct {
		described, rendered string
		width               int
	}{{small, small, 640}, {small, big, 1280}} {
		link(c.described)
		if r := ask(media.AVRequest{Inspect: "file:" + in}); r.Info == nil || r.Info.Width != 640 {
			t.Fatalf("inspect: %+v", r)
		}
		if c.rendered != c.described {
			link(c.rendered)
		}
		dir := t.TempDir()
		if r := ask(media.AVRequest{Render: plan(dir, in, true)}); r.Fault != "" {
			t.Fatalf("render: %s %s", r.Fault, r.Err)
		}
		if w := ffprobe(t, filepath.Join(dir, "play.mp4")).Streams[0].Width; w != c.width {
			t.Errorf("rendered %s after describing %s: %d wide, want %d", filepath.Base(c.rendered), filepath.Base(c.described), w, c.width)
		}
	}
}

// A file described by a worker but rendered elsewhere (a transcode on the
// command line, a job that failed) is released when the job is over: no
// idle worker holds it open, deleted, on disk.
func TestPoolReleasesAFileItKeeps(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pool := media.NewAVPool(exe, 2)
	t.Cleanup(pool.Close)
	tools := media.Tools{AV: pool}
	in := clip(t, "kept.ps", "-c:v", "libx264", "-preset", "ultrafast", "-an", "-f", "mpeg")
	if _, err := tools.Inspect(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if n := openers(t, in); n != 1 {
		t.Fatalf("after the description %d processes have the file open, want the worker that keeps it", n)
	}
	tools.Release(in)
	if n := openers(t, in); n != 0 {
		t.Fatalf("after the release %d processes still have the file open", n)
	}
	tools.Release(in) // nothing kept: nothing asked
}

// openers counts the processes that have path open.
func openers(t *testing.T, path string) int {
	t.Helper()
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	pids := map[string]bool{}
	for _, fd := range fds {
		if target, err := os.Readlink(fd); err == nil && target == path {
			pids[strings.Split(fd, "/")[2]] = true
		}
	}
	return len(pids)
}
