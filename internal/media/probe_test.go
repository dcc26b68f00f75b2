package media

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProbeArgsEndOptionsBeforePath(t *testing.T) {
	args := ProbeArgs("-weird name[M].dav")
	if args[len(args)-2] != "--" || args[len(args)-1] != "-weird name[M].dav" {
		t.Fatalf("path must follow --, got %q", args)
	}
}

func TestParseProbe(t *testing.T) {
	info, err := parseProbe([]byte(`{"streams":[{"codec_name":"h264","width":1920,"height":1080}],"format":{"format_name":"dhav","duration":"12.5"}}`))
	if err != nil || info.Codec != "h264" || info.Width != 1920 || info.Duration != 12500*time.Millisecond || info.Format != "dhav" {
		t.Fatalf("got %+v, %v", info, err)
	}
	if _, err := parseProbe([]byte(`{"streams":[],"format":{}}`)); err == nil {
		t.Fatal("a file without video must be refused")
	}
}

// makeClip encodes a short real clip with ffmpeg (from Debian).
func makeClip(t *testing.T, name string, extra ...string) string {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ffmpeg is missing: scripts/install-deps.sh installs it")
		}
		t.Skip("ffmpeg not installed")
	}
	out := filepath.Join(t.TempDir(), name)
	args := append([]string{"-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264"}, extra...)
	if b, err := exec.Command("ffmpeg", append(args, out)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, b)
	}
	return out
}

func TestProbeRealFiles(t *testing.T) {
	tools := Tools{}
	mp4 := makeClip(t, "clip.mp4")
	info, err := tools.Probe(context.Background(), mp4)
	if err != nil || info.Codec != "h264" || info.Width != 320 || info.Duration < time.Second {
		t.Fatalf("mp4: %+v, %v", info, err)
	}
	frag := makeClip(t, "frag.mp4", "-movflags", "frag_keyframe+empty_moov")
	if _, err := tools.Probe(context.Background(), frag); err != nil {
		t.Fatalf("fragmented mp4 (Reolink) must probe: %v", err)
	}
	// A clip cut before its index (moov) is not a whole file.
	b, _ := os.ReadFile(mp4)
	cut := filepath.Join(t.TempDir(), "cut.mp4")
	os.WriteFile(cut, b[:len(b)/2], 0o600)
	if err := tools.Check(context.Background(), cut); err == nil || !strings.Contains(err.Error(), "ffprobe") {
		t.Fatalf("truncated mp4: err = %v, want an ffprobe error", err)
	}
}
