package detect

import (
	"bufio"
	"bytes"
	"context"
	"image/jpeg"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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

// BenchmarkDetect is one frame after another on one session of one thread:
// the CPU one frame costs (letterbox to 512 px, inference, decoding).
func BenchmarkDetect(b *testing.B) {
	d := openDetector(b, Config{Threads: 1, Sessions: 1})
	f := darknetPicture(b, "dog.jpg")
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
}

// BenchmarkDetectJPEG is the pipeline end to end on every core the process
// may use (GOMAXPROCS, one session each): JPEG decode, letterbox, inference.
func BenchmarkDetectJPEG(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	d := openDetector(b, Config{Threads: 1, Sessions: procs})
	darknetPicture(b, "dog.jpg") // skips, or fails in CI, without darknet's pictures
	raw, err := os.ReadFile("/usr/share/darknet/data/dog.jpg")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	cpu0 := cpuTime(b)
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			img, err := jpeg.Decode(bytes.NewReader(raw))
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := d.Detect(ctx, frameOf(img)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "frames/s")
	b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/frame")
	b.ReportMetric(residentMB(b), "rss-MB")
}
