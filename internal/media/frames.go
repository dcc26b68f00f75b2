package media

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Frame is one picture sampled from a recording: packed 8-bit RGB, row
// after row, no padding.
type Frame struct {
	At   time.Duration // offset from the start of the file
	W, H int
	RGB  []byte // len == W*H*3
}

// Sampling says which frames of a file to decode, and at what size.
type Sampling struct {
	Size    int     // longer side of the frames, in pixels
	FPS     float64 // frames per second of video; 0 takes key frames only
	Still   bool    // a picture (a JPEG snapshot): one frame
	Threads int     // decoding threads; 0 lets ffmpeg choose
	// Of the source, as Inspect says; Frames inspects the file when Width
	// or Height is 0.
	Width, Height int
	Duration      time.Duration // bounds the run; 0 when unknown
}

// FrameSize is the size of the frames of a w×h picture whose longer side
// becomes size: aspect kept, both sides even (as the scaler wants), 2 at least.
func FrameSize(w, h, size int) (int, int) {
	size = max(2, size/2*2)
	if w <= 0 || h <= 0 {
		return size, size
	}
	even := func(v int) int { return max(2, (v+1)/2*2) }
	if w >= h {
		return size, even(int(float64(h)*float64(size)/float64(w) + 0.5))
	}
	return even(int(float64(w)*float64(size)/float64(h) + 0.5)), size
}

// FramesArgs is the ffmpeg command line that writes the sampled frames of
// in, w×h, as raw RGB24 to stdout. showinfo announces each frame on stderr
// with its time (raw video carries none); the level tags tell those lines
// from errors. Frames pass through as they come (-fps_mode passthrough):
// raw video would otherwise be padded to a constant rate with copies.
func FramesArgs(in string, s Sampling, w, h int) []string {
	args := []string{"-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info"}
	if s.Threads > 0 {
		args = append(args, "-threads", strconv.Itoa(s.Threads))
	}
	if !s.Still {
		// No deblocking: a quarter less decoding, and the frames differ from
		// the deblocked ones by less than the downscaling shows (PSNR over
		// 40 dB at 512 px on a 4 Mbit/s 1080p clip, at the end of its GOPs).
		args = append(args, "-skip_loop_filter", "all")
	}
	if !s.Still && s.FPS <= 0 {
		args = append(args, "-skip_frame", "nokey") // the decoder skips the rest: far less work
	}
	args = append(args, "-i", "file:"+in, "-map", "0:v:0", "-an", "-sn", "-dn")
	vf := fmt.Sprintf("scale=%d:%d:flags=bilinear,showinfo", w, h)
	if !s.Still && s.FPS > 0 {
		vf = "fps=" + strconv.FormatFloat(s.FPS, 'f', -1, 64) + "," + vf
	}
	args = append(args, "-vf", vf, "-fps_mode", "passthrough")
	if s.Still {
		args = append(args, "-frames:v", "1")
	}
	return append(args, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1")
}

// Frames decodes the sampled frames of the file at path and calls fn with
// each, in order, as ffmpeg decodes them: nothing is written to disk and a
// clip is never held whole in memory. fn must not keep f.RGB after it
// returns; an error from fn stops ffmpeg and is returned as it is. The run,
// fn's time included, is bounded by the tools' timeout plus twice the
// clip's duration (ten minutes when unknown). A file ffmpeg cannot read, or
// that gives no picture, is an *Error. It returns the number of frames.
func (t Tools) Frames(ctx context.Context, path string, s Sampling, fn func(Frame) error) (int, error) {
	if s.Width <= 0 || s.Height <= 0 {
		m, err := t.Inspect(ctx, path)
		if err != nil {
			return 0, err
		}
		s.Width, s.Height, s.Still = m.Width, m.Height, s.Still || m.Container.IsImage()
		if s.Duration == 0 {
			s.Duration = m.Duration
		}
	}
	w, h := FrameSize(s.Width, s.Height, s.Size)
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	switch {
	case s.Still:
	case s.Duration > 0:
		timeout += 2 * s.Duration
	default:
		timeout += 10 * time.Minute
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	args := FramesArgs(path, s, w, h)
	n, fnErr, err := t.stream(rctx, args, w, h, fn)
	switch {
	case fnErr != nil:
		return n, fnErr
	case err == nil && n == 0:
		return 0, &Error{Key: ReasonUnreadable, Err: errors.New("ffmpeg decoded no picture")}
	case err == nil:
		return n, nil
	case ctx.Err() != nil:
		return n, fmt.Errorf("ffmpeg: %w", ctx.Err())
	case rctx.Err() != nil:
		return n, fmt.Errorf("ffmpeg sampling frames timed out after %v", timeout)
	}
	return n, err
}

// stream runs ffmpeg and hands its frames to fn. fnErr is fn's error; err
// is ffmpeg's, classified as run does (an exit status is the file's fault).
func (t Tools) stream(ctx context.Context, args []string, w, h int, fn func(Frame) error) (n int, fnErr, err error) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	cmd := exec.CommandContext(ctx, t.ffmpeg(), args...)
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return 0, nil, err
	}
	if err := cmd.Start(); err != nil {
		return 0, nil, fmt.Errorf("ffmpeg: %w", err)
	}
	// A frame is announced on stderr before it is written to stdout, and
	// ffmpeg runs at most a frame or two ahead of the pipe: the buffer
	// never fills.
	times := make(chan time.Duration, 1024)
	errLines := make(chan []string, 1)
	go func() { errLines <- readLog(stderr, times) }()
	buf := make([]byte, w*h*3)
	var last time.Duration
	for {
		if _, rerr := io.ReadFull(stdout, buf); rerr != nil {
			break // ffmpeg closed the pipe (a partial frame is dropped); Wait says why
		}
		at, ok := <-times
		if !ok || at < 0 {
			at = last // no time said: keep the order
		}
		last = at
		n++
		if fnErr = fn(Frame{At: at, W: w, H: h, RGB: buf}); fnErr != nil {
			stop()
			break
		}
	}
	io.Copy(io.Discard, stdout) //nolint:errcheck // let ffmpeg finish writing before Wait closes the pipe
	lines := <-errLines
	werr := cmd.Wait()
	if fnErr != nil || werr == nil {
		return n, fnErr, nil
	}
	msg := scrub(strings.Join(lines, "\n"), args)
	var exit *exec.ExitError
	if errors.As(werr, &exit) && exit.Exited() && ctx.Err() == nil && !strings.Contains(msg, "No space left") {
		return n, nil, &Error{Key: ReasonUnreadable, Err: fmt.Errorf("ffmpeg: %w: %s", werr, msg)}
	}
	return n, nil, fmt.Errorf("ffmpeg: %w: %s", werr, msg)
}

// readLog sends the time of each frame showinfo announces, and returns the
// last lines that are not information (the errors), without their tags.
func readLog(r io.Reader, times chan<- time.Duration) []string {
	defer close(times)
	var errs []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "] [info] ") || strings.HasPrefix(line, "[info] ") {
			if at, ok := frameTime(line); ok {
				times <- at
			}
			continue
		}
		if line = strings.TrimSpace(line); line != "" {
			errs = append(errs, line)
			if len(errs) > 20 {
				errs = errs[1:]
			}
		}
	}
	io.Copy(io.Discard, r) //nolint:errcheck // a line past the scanner's limit: drain so ffmpeg never blocks
	return errs
}

// frameTime reads the time of a showinfo frame line ("n: 3 pts: 38400
// pts_time:3 …"); other lines have none.
func frameTime(line string) (time.Duration, bool) {
	if !strings.Contains(line, "Parsed_showinfo") {
		return 0, false
	}
	i := strings.Index(line, "pts_time:")
	if i < 0 {
		return 0, false
	}
	v := line[i+len("pts_time:"):]
	if j := strings.IndexByte(v, ' '); j >= 0 {
		v = v[:j]
	}
	sec, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return -1, true // NOPTS
	}
	if sec < 0 {
		return 0, true // before the start (B-frame reordering): at the start
	}
	return time.Duration(sec * float64(time.Second)), true
}
