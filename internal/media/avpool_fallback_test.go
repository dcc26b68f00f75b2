package media

import (
	"context"
	"path/filepath"
	"testing"
)

// A pool whose workers cannot start still probes and renders through the
// command line, and each time it does so it says so through Fallback (the
// operator's cam2drive_av_fallbacks_total).
func TestAVPoolFallbackIsCounted(t *testing.T) {
	in := makeClip(t, "clip.mp4")
	fallbacks := 0
	pool := NewAVPool("/bin/false", 1) // exits before saying it is ready
	pool.Fallback = func() { fallbacks++ }
	tools := Tools{AV: pool}
	info, err := tools.Probe(context.Background(), in)
	if err != nil || info.Codec != "h264" {
		t.Fatalf("probe through the fallback: %+v, %v", info, err)
	}
	if fallbacks != 1 {
		t.Fatalf("%d fallbacks after a probe, want 1", fallbacks)
	}
	dir := t.TempDir()
	p := Plan{In: in, Duration: info.Duration, Width: info.Width, Height: info.Height, Playback: PlaybackFor(Media{Info: info, Container: MP4}, false),
		Media: filepath.Join(dir, "m.mp4"), Thumb: filepath.Join(dir, "t.jpg"), Poster: filepath.Join(dir, "p.jpg"), Strip: filepath.Join(dir, "s.jpg")}
	if !avCan(p) {
		t.Fatalf("plan %+v is not one for the AV worker", p.Playback)
	}
	if err := tools.Render(context.Background(), p); err != nil {
		t.Fatalf("render through the fallback: %v", err)
	}
	if fallbacks != 2 {
		t.Errorf("%d fallbacks after a probe and a render, want 2", fallbacks)
	}
	// A transcode never asks the worker: nothing falls back.
	p.Playback.Video = VideoH264
	if err := tools.Render(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if fallbacks != 2 {
		t.Errorf("%d fallbacks after a transcode, want still 2", fallbacks)
	}
}
