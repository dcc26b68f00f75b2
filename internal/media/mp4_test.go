package media

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

func readMP4File(t *testing.T, path string) (MP4Header, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ReadMP4(bytes.NewReader(b), int64(len(b)))
}

// The header read in Go must agree with ffprobe on what it reports.
func TestReadMP4AgreesWithFFprobe(t *testing.T) {
	cases := []struct {
		name                 string
		out                  []string
		fast, frag, complete bool
		codec, audio, pixFmt string
	}{
		{"plain.mp4", []string{"-an", "-c:v", "libx264", "-preset", "ultrafast"}, false, false, true, "h264", "", "yuv420p"},
		{"fast.mp4", []string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-movflags", "+faststart"}, true, false, true, "h264", "aac", "yuv420p"},
		{"frag.mp4", []string{"-an", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "frag_keyframe+empty_moov"}, true, true, false, "h264", "", "yuv420p"},
		{"hevc.mp4", []string{"-an", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-tag:v", "hvc1"}, false, false, true, "hevc", "", "yuv420p"},
		{"hevc10.mp4", []string{"-an", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le"}, false, false, false, "hevc", "", ""},
		{"high10.mp4", []string{"-an", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le"}, false, false, false, "h264", "", ""},
		{"alaw.mov", []string{"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "pcm_alaw"}, false, false, true, "h264", "pcm_alaw", "yuv420p"},
	}
	for _, c := range cases {
		path := encode(t, c.name, c.out...)
		h, err := readMP4File(t, path)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if h.FastStart != c.fast || h.Fragmented != c.frag || h.Complete() != c.complete || h.Codec != c.codec || h.Audio != c.audio || h.PixFmt != c.pixFmt {
			t.Errorf("%s: %+v complete %v", c.name, h, h.Complete())
		}
		p, err := Tools{}.Probe(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if h.Width != p.Width || h.Height != p.Height || h.Codec != p.Codec || h.Audio != p.Audio {
			t.Errorf("%s: Go %+v, ffprobe %+v", c.name, h.Info, p)
		}
		if c.complete && (h.Duration-p.Duration).Abs() > 50*time.Millisecond {
			t.Errorf("%s: duration %v in Go, %v by ffprobe", c.name, h.Duration, p.Duration)
		}
	}
}

func TestReadMP4FindsCutFiles(t *testing.T) {
	for _, name := range []string{"plain.mp4", "fast.mp4"} {
		out := []string{"-an", "-c:v", "libx264", "-preset", "ultrafast"}
		if name == "fast.mp4" {
			out = append(out, "-movflags", "+faststart") // the index is whole, the media is not
		}
		b, err := os.ReadFile(encode(t, name, out...))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{len(b) - 1, len(b) * 2 / 3, len(b) / 3, 7} {
			if _, err := ReadMP4(bytes.NewReader(b[:n]), int64(n)); !errors.Is(err, ErrTruncated) {
				t.Errorf("%s cut at %d of %d: err = %v, want ErrTruncated", name, n, len(b), err)
			}
		}
	}
}

func TestReadMP4RefusesNonsense(t *testing.T) {
	for name, b := range map[string][]byte{
		"no moov":       []byte("\x00\x00\x00\x10ftypisom\x00\x00\x00\x00\x00\x00\x00\x08free"),
		"box too small": []byte("\x00\x00\x00\x04ftyp"),
		"no video":      []byte("\x00\x00\x00\x08ftyp\x00\x00\x00\x08moov"),
	} {
		if _, err := ReadMP4(bytes.NewReader(b), int64(len(b))); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
