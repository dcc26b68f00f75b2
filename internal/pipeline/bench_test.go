package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/ingest/ingesttest"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/media/av"
	"github.com/cam2drive/cam2drive/internal/pipeline"
)

// Benchmarks of the speed targets, on clips like a recorder's: 30 s of
// 1080p H.264 at 25 fps, 4 Mb/s, a key frame every 2 s (Dahua's default).
//
//	go test ./internal/pipeline -run '^$' -bench . -benchtime 20x

var benchClips = struct {
	sync.Mutex
	dir   string
	files map[string][]byte
}{files: map[string][]byte{}}

// TestMain also lets this binary answer as an AV worker, so the tests run
// the pipeline as serve does: stream copies in AV workers, transcodes and
// fallbacks on the command line.
func TestMain(m *testing.M) {
	if os.Getenv(media.AVWorkerEnv) == "1" {
		os.Exit(av.Main())
	}
	os.Setenv(media.AVSelfEnv, "1") //nolint:errcheck // as cmd/cam2drive does
	code := m.Run()
	if benchClips.dir != "" {
		os.RemoveAll(benchClips.dir)
	}
	os.Exit(code)
}

// benchClip encodes the 30 s clip once per run, in the given layout:
// "fast" (faststart MP4), "mp4" (index at the end) or "ps" (MPEG-PS).
func benchClip(b *testing.B, layout string) []byte {
	b.Helper()
	needFFmpeg(b)
	benchClips.Lock()
	defer benchClips.Unlock()
	if data, ok := benchClips.files[layout]; ok {
		return data
	}
	if benchClips.dir == "" {
		dir, err := os.MkdirTemp("", "cam2drive-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchClips.dir = dir
	}
	out := map[string][]string{"fast": {"-movflags", "+faststart", "-f", "mp4"}, "mp4": {"-f", "mp4"}, "ps": {"-f", "mpeg"}}[layout]
	path := filepath.Join(benchClips.dir, layout)
	args := append([]string{"-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25", "-t", "30", "-pix_fmt", "yuv420p",
		"-c:v", "libx264", "-preset", "ultrafast", "-b:v", "4M", "-maxrate", "4M", "-bufsize", "8M", "-g", "50"}, out...)
	if o, err := exec.Command("ffmpeg", append(args, path)...).CombinedOutput(); err != nil {
		b.Fatalf("ffmpeg: %v %s", err, o)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	benchClips.files[layout] = data
	return data
}

// clipPath is a Dahua clip path, distinct for each n.
func clipPath(n int) string {
	return fmt.Sprintf("SN/2024-03-01/001/dav/%02d/%02d.%02d.00-%02d.%02d.30[M][0@0][0].mp4", n/60%24, n/60%24, n%60, n/60%24, n%60)
}

// reset puts recordings back to "processing", as ingest leaves them.
func reset(b *testing.B, f *ingesttest.Fixture, recs []cam2drive.Recording) {
	b.Helper()
	for _, r := range recs {
		r.Status, r.MediaKey, r.ThumbKey, r.PosterKey, r.StripKey = "processing", "", "", "", ""
		if err := f.DB.SetRecordingMedia(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the CPU this process and its finished children (ffmpeg) used.
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime) + liveChildrenCPU()
}

// liveChildrenCPU is the CPU time of this process's running children (the
// AV workers, which RUSAGE_CHILDREN counts only once they have exited),
// from /proc, in clock ticks of 10 ms.
func liveChildrenCPU() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var total time.Duration
	for _, p := range stats {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// Fields after the command name (which may hold spaces): state,
		// ppid, … utime is the 14th field of the line, stime the 15th.
		f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
		if len(f) < 13 || f[1] != strconv.Itoa(os.Getpid()) {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(ut+st) * 10 * time.Millisecond
	}
	return total
}

func reportLatencies(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	pct := func(p float64) float64 { return ds[min(len(ds)-1, int(p*float64(len(ds))))].Seconds() }
	b.ReportMetric(pct(0.5), "p50_s")
	b.ReportMetric(pct(0.95), "p95_s")
}

// BenchmarkProcessClip is the worker's part of "upload of a 30 s 1080p
// H.264 clip → playable with thumbnail" (target p95 < 3 s): from job start
// to ready, one clip at a time.
func BenchmarkProcessClip(b *testing.B) {
	for _, layout := range []string{"fast", "mp4", "ps"} {
		b.Run(layout, func(b *testing.B) {
			f := ingesttest.New(b, ingesttest.Options{})
			upload(b, f, clipPath(0), benchClip(b, layout))
			recs := f.Recordings(b)
			w := worker(b, f)
			ds := make([]time.Duration, 0, b.N)
			var cpu time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				reset(b, f, recs)
				b.StartTimer()
				start, cpu0 := time.Now(), cpuTime()
				if err := w.Work(context.Background(), job(recs[0], 1)); err != nil {
					b.Fatal(err)
				}
				ds, cpu = append(ds, time.Since(start)), cpu+cpuTime()-cpu0
			}
			b.StopTimer()
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu_s/clip")
			if r := f.Recordings(b)[0]; r.Status != "ready" || r.ThumbKey == "" {
				b.Fatalf("not ready: %s %q", r.Status, r.StatusReason)
			}
			reportLatencies(b, ds)
		})
	}
}

// BenchmarkUploadToPlayable is the same target through real ingest: the
// upload (spooled, checked, stored, indexed) then the processing job.
func BenchmarkUploadToPlayable(b *testing.B) {
	f := ingesttest.New(b, ingesttest.Options{Prober: media.Tools{}})
	data := benchClip(b, "mp4")
	w := worker(b, f)
	ds := make([]time.Duration, 0, b.N)
	b.SetBytes(int64(len(data)))
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		upload(b, f, clipPath(i), data)
		r := f.Recordings(b)[0] // newest first
		if r.SourcePath != clipPath(i) || r.Status != "processing" {
			b.Fatalf("newest recording %s %s", r.SourcePath, r.Status)
		}
		if err := w.Work(context.Background(), job(r, 1)); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
		if r, _ = f.DB.Recording(context.Background(), r.OrgID, r.ID, ""); r.Status != "ready" || r.ThumbKey == "" {
			b.Fatalf("not ready: %s %q", r.Status, r.StatusReason)
		}
	}
	b.StopTimer()
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu_s/clip")
	reportLatencies(b, ds)
}

// BenchmarkThroughput processes batches of 30 s clips with as many jobs at
// once as the worker role runs by default (--workers 4). Target: 20 clips/s
// per 2 cores with remux.
func BenchmarkThroughput(b *testing.B) {
	const batch, parallel = 16, 4
	for _, layout := range []string{"fast", "mp4", "ps"} {
		b.Run(layout, func(b *testing.B) {
			f := ingesttest.New(b, ingesttest.Options{})
			data := benchClip(b, layout)
			for i := 0; i < batch; i++ {
				upload(b, f, clipPath(i), data)
			}
			recs := f.Recordings(b)
			w := worker(b, f)
			var busy, cpu time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				reset(b, f, recs)
				b.StartTimer()
				start, cpu0 := time.Now(), cpuTime()
				runAll(b, w, recs, parallel)
				busy, cpu = busy+time.Since(start), cpu+cpuTime()-cpu0
			}
			b.StopTimer()
			for _, r := range f.Recordings(b) {
				if r.Status != "ready" {
					b.Fatalf("%s: %s %q", r.SourcePath, r.Status, r.StatusReason)
				}
			}
			b.ReportMetric(float64(batch*b.N)/busy.Seconds(), "clips/s")
			// What two idle cores would do, from the CPU each clip took.
			b.ReportMetric(2/(cpu.Seconds()/float64(batch*b.N)), "clips/s_per_2_cores_by_cpu")
		})
	}
}

func runAll(b *testing.B, w *pipeline.ProcessWorker, recs []cam2drive.Recording, parallel int) {
	work := make(chan cam2drive.Recording)
	errs := make(chan error, len(recs))
	var wg sync.WaitGroup
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				errs <- w.Work(context.Background(), job(r, 1))
			}
		}()
	}
	for _, r := range recs {
		work <- r
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
}
