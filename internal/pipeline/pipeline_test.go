package pipeline_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/pipeline"
)

func upload(t testing.TB, f *ingesttest.Fixture, path string, data []byte) {
	t.Helper()
	se, err := f.Service.Login(context.Background(), f.Username, f.Password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer se.Close()
	u, err := se.Create(context.Background(), path, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := u.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// testWriter shows a log in the test's output.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// testTools are the media tools as serve has them with its default
// --workers 4: AV workers, two more than the jobs at once.
func testTools(t testing.TB) media.Tools {
	pool := media.SelfAVPool(4 + 2)
	if pool == nil {
		t.Fatal("this test binary cannot start AV workers")
	}
	t.Cleanup(pool.Close)
	pool.Log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	return media.Tools{AV: pool}
}

func worker(t testing.TB, f *ingesttest.Fixture) *pipeline.ProcessWorker {
	return &pipeline.ProcessWorker{DB: f.DB, Blobs: f.Blobs, Tools: testTools(t), TempDir: t.TempDir(), TranscodeHEVC: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// job is the River job of a recording at the given attempt (of 5, as ingest queues it).
func job(r cam2drive.Recording, attempt int) *river.Job[ingest.ProcessArgs] {
	return &river.Job[ingest.ProcessArgs]{JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: 5},
		Args: ingest.ProcessArgs{RecordingID: r.ID, OrgID: r.OrgID}}
}

func process(t testing.TB, f *ingesttest.Fixture, w *pipeline.ProcessWorker) {
	t.Helper()
	for _, r := range f.Recordings(t) {
		if err := w.Work(context.Background(), job(r, 1)); err != nil {
			t.Fatalf("process %s: %v", r.SourcePath, err)
		}
	}
}

func needFFmpeg(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ffmpeg missing")
		}
		t.Skip("ffmpeg not installed")
	}
}

// encode makes a real 2 s file with ffmpeg: test pattern at 320×240, 10 fps,
// a key frame a second, a 440 Hz tone, then the output options.
func encode(t testing.TB, name string, out ...string) []byte {
	t.Helper()
	needFFmpeg(t)
	path := filepath.Join(t.TempDir(), name)
	args := []string{"-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000",
		"-t", "2", "-pix_fmt", "yuv420p", "-g", "10"}
	if b, err := exec.Command("ffmpeg", append(append(args, out...), path)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, b)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	x264 = []string{"-c:v", "libx264", "-preset", "ultrafast"}
	x265 = []string{"-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"}
)

// objectFile writes a stored object to a file, for ffprobe.
func objectFile(t *testing.T, f *ingesttest.Fixture, key string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), filepath.Base(key))
	if err := os.WriteFile(p, f.Object(t, key), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkPlayable asks ffprobe whether the playable object is an H.264 MP4
// browsers start at once, and reads its boxes for the index position.
func checkPlayable(t *testing.T, f *ingesttest.Fixture, r cam2drive.Recording) {
	t.Helper()
	p := objectFile(t, f, r.MediaKey)
	info, err := media.Tools{}.Probe(context.Background(), p)
	if err != nil {
		t.Fatalf("playable object does not probe: %v", err)
	}
	if info.Codec != "h264" || info.PixFmt != "yuv420p" || info.Duration < 1500*time.Millisecond || !strings.HasPrefix(info.Format, "mov,mp4") {
		t.Errorf("playable object: %+v", info)
	}
	if info.Audio != "" && info.Audio != "aac" {
		t.Errorf("audio %s: browsers want AAC", info.Audio)
	}
	h, err := media.ReadMP4(bytes.NewReader(f.Object(t, r.MediaKey)), int64(len(f.Object(t, r.MediaKey))))
	if err != nil || !h.FastStart || h.Fragmented {
		t.Errorf("playable object is not a faststart MP4: %+v %v", h, err)
	}
}

func pictureSize(t *testing.T, f *ingesttest.Fixture, key string) (int, int) {
	t.Helper()
	if key == "" {
		t.Fatal("no picture")
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(f.Object(t, key)))
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return cfg.Width, cfg.Height
}

func TestEveryContainerEndsPlayableOrFailedWithAReason(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	clip := encode(t, "c.mp4", append(x264, "-an")...)
	files := []struct {
		hour int
		ext  string
		data []byte
		keep bool // the original is the playable object
	}{
		{8, "mp4", encode(t, "fast.mp4", append(x264, "-c:a", "aac", "-movflags", "+faststart")...), true},
		{9, "mp4", clip, false}, // index at the end: remuxed
		{10, "mp4", encode(t, "hevc.mp4", append(x265, "-an")...), false},                     // transcoded
		{11, "mp4", encode(t, "ps.mpg", append(x264, "-c:a", "mp2", "-f", "mpeg")...), false}, // MPEG-PS named .mp4
		{12, "mp4", encode(t, "frag.mp4", append(x264, "-an", "-movflags", "frag_keyframe+empty_moov")...), false},
		{13, "mkv", encode(t, "c.mkv", append(x264, "-c:a", "libopus")...), false},
		{14, "dav", encode(t, "ps.dav", append(x264, "-c:a", "pcm_s16be", "-ar", "48000", "-f", "mpeg")...), false},
	}
	for _, c := range files {
		upload(t, f, "SN/2024-03-01/001/dav/"+twoDigits(c.hour)+"/"+twoDigits(c.hour)+".15.30-"+twoDigits(c.hour)+".15.32[M][0@0][0]."+c.ext, c.data)
	}
	truncated := clip[:len(clip)/2]
	upload(t, f, "SN/2024-03-01/001/dav/15/15.15.30-15.15.32[M][0@0][0].mp4", truncated)
	// ffmpeg cannot write Dahua's DHAV: a file with its magic bytes and
	// nothing valid after stands in, and must fail naming its container.
	fakeDAV := append([]byte("DHAV"), bytes.Repeat([]byte{0x55}, 4000)...)
	upload(t, f, "SN/2024-03-01/001/dav/16/16.15.30-16.15.32[M][0@0][0].dav", fakeDAV)
	still := encode(t, "still.jpg", "-frames:v", "1", "-vf", "scale=1280:720")
	upload(t, f, "SN/2024-03-01/001/jpg/17/15/30[M][0@0][0].jpg", still)

	process(t, f, worker(t, f))
	paris, _ := time.LoadLocation("Europe/Paris")
	seen := map[int]bool{}
	for _, r := range f.Recordings(t) {
		h := r.Start.In(paris).Hour()
		seen[h] = true
		t.Run(twoDigits(h)+"h-"+r.Container, func(t *testing.T) {
			switch {
			case h <= 14:
				if r.Status != "ready" {
					t.Fatalf("status %s %q", r.Status, r.StatusReason)
				}
				if keep := files[h-8].keep; keep != (r.MediaKey == r.ObjectKey) {
					t.Errorf("media key %q for original %q, keep = %v", r.MediaKey, r.ObjectKey, keep)
				}
				checkPlayable(t, f, r)
				if w, ht := pictureSize(t, f, r.ThumbKey); w != 320 || ht != 240 {
					t.Errorf("thumbnail %dx%d", w, ht)
				}
				if w, _ := pictureSize(t, f, r.PosterKey); w != 320 {
					t.Errorf("poster width %d", w)
				}
				if w, ht := pictureSize(t, f, r.StripKey); w != media.StripFrames*media.StripWidth || ht != 120 {
					t.Errorf("strip %dx%d", w, ht)
				}
				if r.Width != 320 || r.Height != 240 || r.Duration < 1500*time.Millisecond || r.Codec == "" {
					t.Errorf("described as %s %dx%d %v", r.Codec, r.Width, r.Height, r.Duration)
				}
			case h == 15 || h == 16:
				if r.Status != "failed" || r.StatusReason == "" || r.MediaKey != "" || r.ThumbKey != "" {
					t.Fatalf("status %s reason %q keys %q %q, want failed with a reason and nothing derived", r.Status, r.StatusReason, r.MediaKey, r.ThumbKey)
				}
				want := map[int][]byte{15: truncated, 16: fakeDAV}[h]
				if !bytes.Equal(f.Object(t, r.ObjectKey), want) {
					t.Error("the original of a failed recording must be kept as it came")
				}
				if h == 15 && !strings.HasPrefix(r.StatusReason, media.ReasonTruncated) {
					t.Errorf("reason %q, want it truncated", r.StatusReason)
				}
				if h == 16 && (r.Container != "dhav" || !strings.HasPrefix(r.StatusReason, media.ReasonUnreadable)) {
					t.Errorf("container %q reason %q", r.Container, r.StatusReason)
				}
			case h == 17:
				if r.Status != "ready" || r.Container != "jpeg" || r.Width != 1280 || r.Height != 720 {
					t.Fatalf("snapshot %s %q %s %dx%d", r.Status, r.StatusReason, r.Container, r.Width, r.Height)
				}
				if w, ht := pictureSize(t, f, r.ThumbKey); w != 320 || ht != 180 {
					t.Errorf("thumbnail %dx%d", w, ht)
				}
				if r.PosterKey != r.ObjectKey || r.MediaKey != "" || r.StripKey != "" {
					t.Errorf("a snapshot is its own poster: keys %q %q %q", r.PosterKey, r.MediaKey, r.StripKey)
				}
			}
		})
	}
	if len(seen) != 10 {
		t.Errorf("%d recordings processed, want 10", len(seen))
	}
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func TestProcessingIsIdempotent(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	upload(t, f, "SN/2024-03-01/001/dav/10/10.15.30-10.15.32[M][0@0][0].mp4", encode(t, "c.mp4", append(x264, "-an")...))
	r := f.Recordings(t)[0]
	ctx := context.Background()
	// A run that crashed after storing garbage under the derived keys: the
	// next run overwrites them.
	base := strings.TrimSuffix(r.ObjectKey, ".mp4")
	for _, suffix := range []string{".play.mp4", ".thumb.jpg", ".poster.jpg", ".strip.jpg"} {
		if err := f.Blobs.Put(ctx, base+suffix, strings.NewReader("half"), 4); err != nil {
			t.Fatal(err)
		}
	}
	w := worker(t, f)
	// A crash days ago left a job's scratch directory: the first job sweeps it.
	stale := filepath.Join(w.TempDir, "process-123")
	if err := os.MkdirAll(stale, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(stale, "original"), []byte("left"), 0o600)
	long := time.Now().Add(-48 * time.Hour)
	os.Chtimes(stale, long, long)
	process(t, f, w)
	r = f.Recordings(t)[0]
	if r.Status != "ready" {
		t.Fatalf("status %s %q", r.Status, r.StatusReason)
	}
	checkPlayable(t, f, r)
	pictureSize(t, f, r.ThumbKey)
	// Once ready, a second run (River re-running a job) does nothing.
	if err := f.Blobs.Delete(ctx, r.ThumbKey); err != nil {
		t.Fatal(err)
	}
	if err := w.Work(ctx, job(r, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Blobs.Stat(ctx, r.ThumbKey); err == nil {
		t.Error("a ready recording was processed again")
	}
	// The scratch directory is left clean.
	if left, _ := os.ReadDir(w.TempDir); len(left) != 0 {
		t.Errorf("scratch left behind: %v", left)
	}
}

func TestRecorderDetectionAndSnapshotFoldedIntoItsClip(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 160, 90)), nil); err != nil {
		t.Fatal(err)
	}
	// Dahua sends the snapshot of a motion event, then its clip.
	upload(t, f, "SN/2024-03-01/001/jpg/10/15/35[M][0@0][0].jpg", b.Bytes())
	w := worker(t, f)
	process(t, f, w)
	upload(t, f, "SN/2024-03-01/001/dav/10/10.15.30-10.15.32[M][0@0][0].mp4", encode(t, "c.mp4", append(x264, "-an")...))
	// A scheduled snapshot of the same moment stays on its own.
	upload(t, f, "SN/2024-03-01/001/jpg/10/15/31[R][0@0][0].jpg", b.Bytes())
	process(t, f, w)
	var clip, snap, regular cam2drive.Recording
	for _, r := range f.Recordings(t) {
		switch {
		case r.Kind == "clip":
			clip = r
		case r.EventType == "motion":
			snap = r
		default:
			regular = r
		}
	}
	if snap.ParentID != clip.ID || clip.ID == "" {
		t.Errorf("snapshot parent %q, want the clip %q", snap.ParentID, clip.ID)
	}
	if regular.ParentID != "" {
		t.Error("a scheduled snapshot was folded")
	}
	ds, err := f.DB.Detections(context.Background(), f.Org.ID, []string{clip.ID, regular.ID})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[clip.ID]
	if len(d) != 1 || d[0].Source != "recorder" || d[0].Type != "motion" || d[0].End != clip.Duration || d[0].End == 0 {
		t.Errorf("clip detections %+v, want one recorder motion over the clip", d)
	}
	if len(ds[regular.ID]) != 0 {
		t.Errorf("a scheduled snapshot has detections %+v", ds[regular.ID])
	}
}

func TestRecorderDetections(t *testing.T) {
	start := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		event, want string
		dur, end    time.Duration
	}{
		{"motion", "motion", 12 * time.Second, 12 * time.Second},
		{"pir", "motion", 0, 30 * time.Second}, // no probed duration: the name's end
		{"face", "person", 0, 30 * time.Second},
		{"plate", "vehicle", 0, 30 * time.Second},
		{"regular", "", 0, 0},
		{"alarm", "", 0, 0},
	}
	for _, c := range cases {
		r := cam2drive.Recording{EventType: c.event, Duration: c.dur, Start: start, End: start.Add(30 * time.Second)}
		ds := pipeline.RecorderDetections(r)
		if c.want == "" {
			if len(ds) != 0 {
				t.Errorf("%s: %+v, want none", c.event, ds)
			}
			continue
		}
		if len(ds) != 1 || ds[0].Type != c.want || ds[0].Label != c.event || ds[0].End != c.end {
			t.Errorf("%s: %+v", c.event, ds)
		}
	}
}

func TestMissingOriginalFailsAtOnce(t *testing.T) {
	f := ingesttest.New(t, ingesttest.Options{})
	upload(t, f, "SN/2024-03-01/001/dav/10/10.15.30-10.15.32[M][0@0][0].mp4", []byte("whatever"))
	r := f.Recordings(t)[0]
	if err := f.Blobs.Delete(context.Background(), r.ObjectKey); err != nil {
		t.Fatal(err)
	}
	if err := worker(t, f).Work(context.Background(), job(r, 1)); err != nil {
		t.Fatal(err)
	}
	if r = f.Recordings(t)[0]; r.Status != "failed" || !strings.HasPrefix(r.StatusReason, pipeline.ReasonOriginalMissing) {
		t.Errorf("status %s %q", r.Status, r.StatusReason)
	}
}

var _ blob.Store = (*blob.Local)(nil)
