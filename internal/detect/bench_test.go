package detect

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cam2drive/cam2drive/internal/media"
)

// cpuTime is the CPU this process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// residentMB is the process's resident memory (VmRSS).
func residentMB(b *testing.B) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// cameraFrame is what the analysis hands the detector for a 16:9 1080p
// camera: a frame at the detector's size on its longer side (512×288).
// The picture is dog.jpg's rows 100..531 (16:9), resized as the letterbox
// does.
func cameraFrame(b *testing.B, size int) Frame {
	src := cropFrame(darknetPicture(b, "dog.jpg"), 0, 100, 768, 432)
	lb := fitLetterbox(src.W, src.H, size, 2)
	px := make([]float32, lb.InW*lb.InH*3)
	lb.fill(src, px, false, 1)
	f := Frame{W: lb.InW, H: lb.InH, RGB: make([]byte, len(px))}
	for i, v := range px {
		f.RGB[i] = byte(v + 0.5)
	}
	return f
}

// BenchmarkDetect is one frame after another on one session of one thread:
// the CPU one frame costs (letterbox, inference, decoding of the outputs).
// The frame is a 16:9 1080p camera frame as the analysis samples it, 512×288:
// "16:9" reads it as 512×288 (the detector's way), "square" letterboxes it
// into 512×512 with grey bands (the way before, for comparison).
//
//	CAM2DRIVE_MODELS_DIR=$HOME/.cache/cam2drive/models go test -run '^$' -bench Detect$ -benchtime 100x ./internal/detect
func BenchmarkDetect(b *testing.B) {
	d := openDetector(b, Config{Threads: 1, Sessions: 1})
	f := cameraFrame(b, d.InputSize())
	stride := d.(*onnxDetector).stride
	for _, c := range []struct {
		name   string
		stride int
	}{{"16:9", stride}, {"square", 0}} {
		b.Run(c.name, func(b *testing.B) {
			d.(*onnxDetector).stride = c.stride
			defer func() { d.(*onnxDetector).stride = stride }()
			ctx := context.Background()
			if _, err := d.Detect(ctx, f); err != nil { // warm up: first run allocates
				b.Fatal(err)
			}
			cpu0 := cpuTime(b)
			b.ResetTimer()
			for range b.N {
				if _, err := d.Detect(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/frame")
			b.ReportMetric(residentMB(b), "rss-MB") // the model loaded and run
		})
	}
}

// childCPU is the CPU of the child processes (ffmpeg) waited for so far.
func childCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cameraClip writes an H.264 1080p clip of n frames at 25 frames/s made of
// darknet's dog, person and horses pictures, with sensor-like noise so that
// every frame costs a real decode, at a camera's 4 Mbit/s and 2 s GOPs.
func cameraClip(b *testing.B, n int) string {
	darknetPicture(b, "dog.jpg") // skips, or fails in CI, without darknet's pictures
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		b.Skip("ffmpeg is not installed")
	}
	out := filepath.Join(b.TempDir(), "camera.mp4")
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error"}
	var chains, labels string
	for i, p := range []string{"dog.jpg", "person.jpg", "horses.jpg"} {
		args = append(args, "-loop", "1", "-framerate", "25", "-t", fmt.Sprint(float64(n)/25/3+1), "-i", "/usr/share/darknet/data/"+p)
		chains += fmt.Sprintf("[%d]scale=1920:1080:force_original_aspect_ratio=increase,crop=1920:1080,setsar=1[v%d];", i, i)
		labels += fmt.Sprintf("[v%d]", i)
	}
	args = append(args, "-filter_complex", chains+labels+"concat=n=3,noise=alls=6:allf=t,format=yuv420p",
		"-frames:v", fmt.Sprint(n), "-c:v", "libx264", "-preset", "veryfast", "-b:v", "4M", "-maxrate", "4M",
		"-bufsize", "8M", "-g", "50", "-y", out)
	if msg, err := exec.Command(ffmpeg, args...).CombinedOutput(); err != nil {
		b.Fatalf("ffmpeg: %v: %s", err, msg)
	}
	return out
}

// BenchmarkDetectVideo is the analysis end to end on every core the process
// may use: ffmpeg decodes an H.264 1080p clip into raw RGB at the
// detector's size (media.Tools.Frames, every frame: one decode per frame),
// and GOMAXPROCS sessions detect the frames as they come. One op is one
// frame; frames/s is the throughput, cpu-ms/frame counts ffmpeg's CPU too.
//
//	CAM2DRIVE_MODELS_DIR=$HOME/.cache/cam2drive/models go test -run '^$' -bench DetectVideo -benchtime 500x ./internal/detect
func BenchmarkDetectVideo(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	d := openDetector(b, Config{Threads: 1, Sessions: procs})
	clip := cameraClip(b, max(b.N, 1))
	ctx := context.Background()
	frames := make(chan Frame, procs)
	free := make(chan []byte, 2*procs)
	var wg sync.WaitGroup
	var failed error
	var once sync.Once
	for range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range frames {
				if _, err := d.Detect(ctx, f); err != nil {
					once.Do(func() { failed = err })
				}
				free <- f.RGB
			}
		}()
	}
	for range 2 * procs {
		free <- nil
	}
	cpu0, child0 := cpuTime(b), childCPU(b)
	start := time.Now()
	b.ResetTimer()
	n, err := media.Tools{}.Frames(ctx, clip, media.Sampling{Size: d.InputSize(), FPS: 25}, func(mf media.Frame) error {
		buf := append((<-free)[:0], mf.RGB...) // Frames reuses mf.RGB
		frames <- Frame{W: mf.W, H: mf.H, RGB: buf}
		return nil
	})
	close(frames)
	wg.Wait()
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if failed != nil {
		b.Fatal(failed)
	}
	if n != max(b.N, 1) {
		b.Fatalf("decoded %d frames of %d", n, b.N)
	}
	cpu := cpuTime(b) - cpu0 + childCPU(b) - child0
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "frames/s")
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(n), "cpu-ms/frame")
	b.ReportMetric(residentMB(b), "rss-MB")
}
