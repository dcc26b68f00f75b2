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
	info, err := parseProbe([]byte(`{"streams":[{"codec_type":"audio","codec_name":"pcm_alaw"},{"codec_type":"video","codec_name":"h264","pix_fmt":"yuv420p","width":1920,"height":1080}],"format":{"format_name":"dhav","duration":"12.5"}}`))
	if err != nil || info.Codec != "h264" || info.PixFmt != "yuv420p" || info.Width != 1920 || info.Duration != 12500*time.Millisecond ||
		info.Format != "dhav" || info.Audio != "pcm_alaw" {
		t.Fatalf("got %+v, %v", info, err)
	}
	_, err = parseProbe([]byte(`{"streams":[{"codec_type":"audio","codec_name":"aac"}],"format":{}}`))
	if e, ok := FileFault(err); !ok || e.Key != ReasonNoVideo {
		t.Fatalf("a file without video must be refused as no_video, got %v", err)
	}
}

// needFFmpeg skips without ffmpeg, except in CI where it must be installed.
func needFFmpeg(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ffmpeg is missing: scripts/install-deps.sh installs it")
		}
		t.Skip("ffmpeg not installed")
	}
}

// encode makes a short real file with ffmpeg (from Debian): 2 s of test
// pattern at 320×240, 10 fps, a key frame each second, then the given
// output options.
func encode(t testing.TB, name string, out ...string) string {
	t.Helper()
	needFFmpeg(t)
	path := filepath.Join(t.TempDir(), name)
	args := []string{"-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000",
		"-t", "2", "-pix_fmt", "yuv420p", "-g", "10"}
	if b, err := exec.Command("ffmpeg", append(append(args, out...), path)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, b)
	}
	return path
}

// makeClip is a 2 s H.264 MP4 without audio, plus extra output options.
func makeClip(t testing.TB, name string, extra ...string) string {
	return encode(t, name, append([]string{"-an", "-c:v", "libx264", "-preset", "ultrafast"}, extra...)...)
}

func TestProbeRealFiles(t *testing.T) {
	tools := Tools{}
	mp4 := makeClip(t, "clip.mp4")
	info, err := tools.Probe(context.Background(), mp4)
	if err != nil || info.Codec != "h264" || info.Width != 320 || info.Duration < time.Second || info.Audio != "" {
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
	if _, err := tools.Probe(context.Background(), cut); err == nil || !strings.Contains(err.Error(), "ffprobe") {
		t.Fatalf("truncated mp4: err = %v, want an ffprobe error", err)
	} else if e, ok := FileFault(err); !ok || e.Key != ReasonUnreadable {
		t.Fatalf("truncated mp4: err = %v, want the file at fault", err)
	}
	if err := tools.Check(context.Background(), cut); err == nil {
		t.Fatal("Check must refuse a truncated mp4")
	}
}

func TestRunnerTimesOutAndSaysSo(t *testing.T) {
	needFFmpeg(t)
	tools := Tools{Timeout: 200 * time.Millisecond}
	// Reads a test pattern for ever.
	_, err := tools.run(context.Background(), "ffmpeg", []string{"-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2", "-f", "null", "-"}, 0)
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if _, ok := FileFault(err); ok {
		t.Fatal("a timeout is not the file's fault: the job must be retried")
	}
}

func TestRunnerKeepsNoServerPathInItsMessage(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.mp4")
	os.WriteFile(bad, []byte(strings.Repeat("not video ", 100)), 0o600)
	_, err := Tools{}.Probe(context.Background(), bad)
	if err == nil || strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "bad.mp4") {
		t.Fatalf("err = %v, want the file's base name and no directory", err)
	}
}
