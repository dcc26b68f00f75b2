package media

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPlaybackFor(t *testing.T) {
	fastH264 := Media{Container: MP4, FastStart: true, Info: Info{Codec: "h264", PixFmt: "yuv420p"}}
	with := func(m Media, f func(*Media)) Media { f(&m); return m }
	cases := []struct {
		name  string
		m     Media
		hevc  bool
		keep  bool
		video VideoMode
		audio AudioMode
		hvc1  bool
	}{
		{"faststart h264 mp4 plays as it is", fastH264, true, true, VideoCopy, AudioNone, false},
		{"with aac still plays", with(fastH264, func(m *Media) { m.Audio = "aac" }), true, true, VideoCopy, AudioCopy, false},
		{"g711 audio needs aac", with(fastH264, func(m *Media) { m.Audio = "pcm_alaw" }), true, false, VideoCopy, AudioAAC, false},
		{"index at the end: remux", with(fastH264, func(m *Media) { m.FastStart = false }), true, false, VideoCopy, AudioNone, false},
		{"fragmented: remux", with(fastH264, func(m *Media) { m.Fragmented = true }), true, false, VideoCopy, AudioNone, false},
		{"dhav h264: remux", with(fastH264, func(m *Media) { m.Container = DHAV }), true, false, VideoCopy, AudioNone, false},
		{"full-range h264 copies", with(fastH264, func(m *Media) { m.Container, m.PixFmt = MPEGPS, "yuvj420p" }), true, false, VideoCopy, AudioNone, false},
		{"10-bit h264: transcode", with(fastH264, func(m *Media) { m.PixFmt = "yuv420p10le" }), true, false, VideoH264, AudioNone, false},
		{"hevc: transcode", with(fastH264, func(m *Media) { m.Codec = "hevc" }), true, false, VideoH264, AudioNone, false},
		{"hevc kept when configured", with(fastH264, func(m *Media) { m.Codec = "hevc" }), false, false, VideoCopy, AudioNone, true},
		{"mjpeg: transcode", with(fastH264, func(m *Media) { m.Container, m.Codec = AVI, "mjpeg" }), false, false, VideoH264, AudioNone, false},
	}
	for _, c := range cases {
		p := PlaybackFor(c.m, c.hevc)
		if p.Keep != c.keep || p.Video != c.video || p.Audio != c.audio || p.HVC1 != c.hvc1 {
			t.Errorf("%s: %+v", c.name, p)
		}
		if p.Keep != (p.Reasons == "") {
			t.Errorf("%s: reasons %q with keep %v", c.name, p.Reasons, p.Keep)
		}
	}
}

// inputs returns the options of each -i of a command line, and its path.
func inputs(args []string) [][]string {
	var out [][]string
	start := 0
	for i, a := range args {
		if a == "-i" {
			out = append(out, args[start:i+2])
			start = i + 2
		}
	}
	return out
}

func TestRenderArgsRemuxAndPicturesInOneRun(t *testing.T) {
	p := Plan{In: "/s/in", Duration: 30 * time.Second, Width: 1920, Height: 1080, Media: "/s/m.mp4", Thumb: "/s/t.jpg", Poster: "/s/p.jpg", Strip: "/s/s.jpg"}
	args := RenderArgs(p)
	ins := inputs(args)
	if len(ins) != 3 {
		t.Fatalf("want 3 inputs (media, strip, poster), got %q", ins)
	}
	for _, in := range ins {
		if in[len(in)-1] != "file:/s/in" {
			t.Errorf("input %q: paths go through file: (no protocol or option from a name)", in)
		}
	}
	if slices.Contains(ins[0], "-skip_frame") {
		t.Error("the copy must read every frame")
	}
	for _, in := range ins[1:] {
		if !slices.Contains(in, "nokey") || !slices.Contains(in, "-threads") {
			t.Errorf("picture input %q must decode key frames only, on one thread", in)
		}
	}
	// The poster seeks to 2/5 (the strip's third frame), before -i, to the key frame at or before.
	if i := slices.Index(ins[2], "-ss"); i < 0 || ins[2][i+1] != "12.000" || !slices.Contains(ins[2], "-noaccurate_seek") {
		t.Errorf("poster input %q", ins[2])
	}
	line := strings.Join(args, " ")
	for _, want := range []string{"-c:v copy", "-movflags +faststart", "-f mp4 file:/s/m.mp4", "tile=5x1", "gte(t-prev_selected_t\\,6.000)",
		"scale=160:90:flags=fast_bilinear", "scale=320:-2[thumb]", "-an"} {
		if !strings.Contains(line, want) {
			t.Errorf("command line lacks %q:\n%s", want, line)
		}
	}
	if n := strings.Count(line, "-frames:v 1"); n != 3 {
		t.Errorf("%d single-picture outputs, want thumb, poster and strip", n)
	}
}

func TestRenderArgsVariants(t *testing.T) {
	base := Plan{In: "/s/in", Duration: 30 * time.Second, Thumb: "/s/t.jpg", Poster: "/s/p.jpg", Strip: "/s/s.jpg"}
	keep := base
	if ins := inputs(RenderArgs(keep)); len(ins) != 2 || strings.Contains(strings.Join(RenderArgs(keep), " "), "mp4") {
		t.Errorf("nothing to copy: only the picture inputs, got %q", ins)
	}
	hevc := base
	hevc.Media, hevc.Playback = "/s/m.mp4", Playback{Video: VideoH264, Audio: AudioAAC}
	line := strings.Join(RenderArgs(hevc), " ")
	for _, want := range []string{"-c:v libx264", "format=yuv420p[mv]", "-map [mv]", "-c:a aac", "-map 0:a:0"} {
		if !strings.Contains(line, want) {
			t.Errorf("transcode lacks %q:\n%s", want, line)
		}
	}
	kept := base
	kept.Media, kept.Playback = "/s/m.mp4", Playback{HVC1: true, Audio: AudioCopy}
	if line := strings.Join(RenderArgs(kept), " "); !strings.Contains(line, "-c:v copy -tag:v hvc1") || !strings.Contains(line, "-c:a copy") {
		t.Errorf("kept hevc: %s", line)
	}
	long := base
	long.Duration = time.Hour
	ins := inputs(RenderArgs(long))
	if len(ins) != StripFrames+1 {
		t.Fatalf("an hour: one seek per strip frame and the poster, got %d inputs", len(ins))
	}
	if i := slices.Index(ins[2], "-ss"); i < 0 || ins[2][i+1] != "1440.000" {
		t.Errorf("third strip frame of an hour at 24 min: %q", ins[2])
	}
	if !strings.Contains(strings.Join(RenderArgs(long), " "), "hstack=inputs=5[strip]") {
		t.Error("long strip must be stacked")
	}
	safe := base
	safe.Safe = true
	for _, in := range inputs(RenderArgs(safe)) {
		if slices.Contains(in, "-skip_frame") || slices.Contains(in, "-ss") {
			t.Errorf("safe run must decode everything and seek nowhere: %q", in)
		}
	}
}

func TestStripHeightKeepsAspectEven(t *testing.T) {
	for _, c := range []struct {
		w, h int
		want string
	}{{1920, 1080, "90"}, {704, 576, "130"}, {320, 240, "120"}, {0, 0, "-2"}, {4000, 10, "2"}} {
		if got := stripHeight(Plan{Width: c.w, Height: c.h}); got != c.want {
			t.Errorf("%dx%d: %s, want %s", c.w, c.h, got, c.want)
		}
	}
}
