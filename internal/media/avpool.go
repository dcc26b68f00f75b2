package media

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"sync"
	"time"
)

// AVWorkerEnv, set to "1" in a process's environment, makes the cam2drive
// binary (or a test binary that allows it) an AV worker: it answers render
// and inspect requests on its standard input and output (package av).
const AVWorkerEnv = "CAM2DRIVE_AV_WORKER"

// AVSelfEnv is set to "1" by a binary that answers as an AV worker when
// AVWorkerEnv is set (cmd/cam2drive, and test binaries that allow it):
// only then may it start itself as one. Another test binary started so
// would run its tests instead.
const AVSelfEnv = "CAM2DRIVE_AV_SELF"

// SelfAVPool is a pool of workers of the running binary, or nil when the
// binary cannot be one (see AVSelfEnv) or is itself a worker.
func SelfAVPool(size int) *AVPool {
	if os.Getenv(AVSelfEnv) != "1" || os.Getenv(AVWorkerEnv) != "" {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return NewAVPool(exe, size)
}

// AVPlan is a Plan as the AV worker takes it: stream copy only.
type AVPlan struct {
	In             string `json:"in"`
	Media          string `json:"media,omitempty"`
	HVC1           bool   `json:"hvc1,omitempty"`
	AudioCopy      bool   `json:"audio_copy,omitempty"`
	Thumb          string `json:"thumb"`
	Poster         string `json:"poster"`
	Strip          string `json:"strip"`
	DurationMS     int64  `json:"duration_ms"`
	PosterMS       int64  `json:"poster_ms"` // where the poster is taken (PosterAt)
	ThumbWidth     int    `json:"thumb_width"`
	PosterMaxWidth int    `json:"poster_max_width"`
	StripFrames    int    `json:"strip_frames"`
	StripWidth     int    `json:"strip_width"`
	StripHeight    int    `json:"strip_height"`
}

// AVRequest is one line the worker reads: Inspect a file, Render a plan,
// or Release the file it keeps open since it described it.
type AVRequest struct {
	Inspect string  `json:"inspect,omitempty"`
	Render  *AVPlan `json:"render,omitempty"`
	Release string  `json:"release,omitempty"`
}

// AVReply is the worker's answer. Fault names what failed: "unreadable",
// "no_video" and "no_picture" put the file at fault; "output" is ours.
type AVReply struct {
	Ready bool   `json:"ready,omitempty"` // the first line: the worker started
	Info  *Info  `json:"info,omitempty"`
	Fault string `json:"fault,omitempty"`
	Err   string `json:"error,omitempty"`
}

// avRecycleAfter: a worker is replaced after this many requests, so what
// the libraries keep between files never grows without bound.
const avRecycleAfter = 500

// AVPool keeps AV worker processes running, one per job at a time: the
// FFmpeg libraries are loaded once per worker instead of once per clip (a
// process start costs ~0.2 s of CPU, more than the work on a 30 s clip).
// A crashing or stuck worker is killed and replaced; the callers then fall
// back to the ffmpeg command line.
type AVPool struct {
	Log *slog.Logger // says when the command line takes over from a worker; nil: silent
	// Fallback, when set, is called each time the ffmpeg command line takes
	// over from a worker that failed (a render, or an inspection of a file
	// not at fault): the cli counts them for the metrics.
	Fallback func()
	exe      string
	slot     chan struct{}
	mu       sync.Mutex
	idle     []*avWorker
}

// NewAVPool runs up to size workers of exe (the cam2drive binary).
func NewAVPool(exe string, size int) *AVPool {
	return &AVPool{exe: exe, slot: make(chan struct{}, max(1, size))}
}

type avWorker struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *json.Decoder
	uses int
	kept string // the file it described last, kept open for its render
}

// Close stops the idle workers.
func (p *AVPool) Close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, w := range idle {
		w.stop()
	}
}

func (p *AVPool) call(ctx context.Context, req AVRequest, timeout time.Duration) (AVReply, error) {
	select {
	case p.slot <- struct{}{}:
	case <-ctx.Done():
		return AVReply{}, ctx.Err()
	}
	defer func() { <-p.slot }()
	want := req.Inspect
	if req.Render != nil {
		want = req.Render.In
	}
	w, err := p.take(want)
	if err != nil {
		return AVReply{}, err
	}
	reply, err := w.ask(ctx, req, timeout)
	if err != nil {
		w.stop()
		return AVReply{}, err
	}
	w.kept = req.Inspect
	p.give(w)
	return reply, nil
}

// take returns an idle worker, or a new one. It picks the worker that
// keeps file open (a render then skips reading the streams again), else
// one that keeps nothing, else the one idle longest: a description kept
// for a render about to come is taken last.
func (p *AVPool) take(file string) (*avWorker, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		i := slices.IndexFunc(p.idle, func(w *avWorker) bool { return w.kept == file })
		if i < 0 {
			i = max(0, slices.IndexFunc(p.idle, func(w *avWorker) bool { return w.kept == "" }))
		}
		w := p.idle[i]
		p.idle = append(p.idle[:i], p.idle[i+1:]...)
		p.mu.Unlock()
		return w, nil
	}
	p.mu.Unlock()
	return startAVWorker(p.exe)
}

// release makes the idle worker that keeps path open since describing it
// close it: the job is over without that worker's render (a transcode on
// the command line, a file at fault), and an idle worker would otherwise
// hold a deleted scratch file on disk until its next request.
func (p *AVPool) release(path string) {
	file := "file:" + path
	p.mu.Lock()
	i := slices.IndexFunc(p.idle, func(w *avWorker) bool { return w.kept == file })
	if i < 0 {
		p.mu.Unlock()
		return
	}
	w := p.idle[i]
	p.idle = slices.Delete(p.idle, i, i+1)
	p.mu.Unlock()
	if _, err := w.ask(context.Background(), AVRequest{Release: file}, 10*time.Second); err != nil {
		w.stop()
		return
	}
	w.kept = ""
	p.give(w)
}

func (p *AVPool) give(w *avWorker) {
	if w.uses >= avRecycleAfter {
		w.stop()
		return
	}
	p.mu.Lock()
	p.idle = append(p.idle, w)
	p.mu.Unlock()
}

func startAVWorker(exe string) (*avWorker, error) {
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), AVWorkerEnv+"=1")
	cmd.Stderr = os.Stderr // the libraries' own messages, with the server's logs
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("av worker: %w", err)
	}
	w := &avWorker{cmd: cmd, in: in, out: json.NewDecoder(bufio.NewReader(out))}
	var hello AVReply
	if err := w.read(context.Background(), &hello, 10*time.Second); err != nil || !hello.Ready {
		w.stop()
		return nil, fmt.Errorf("av worker did not start: %v", err)
	}
	return w, nil
}

func (w *avWorker) ask(ctx context.Context, req AVRequest, timeout time.Duration) (AVReply, error) {
	w.uses++
	line, err := json.Marshal(req)
	if err != nil {
		return AVReply{}, err
	}
	if _, err := w.in.Write(append(line, '\n')); err != nil {
		return AVReply{}, fmt.Errorf("av worker: %w", err)
	}
	var reply AVReply
	return reply, w.read(ctx, &reply, timeout)
}

// read decodes the next reply within timeout; past it, or when ctx ends,
// the worker is killed (a file that hangs the demuxer must not hang jobs).
func (w *avWorker) read(ctx context.Context, v *AVReply, timeout time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- w.out.Decode(v) }()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("av worker ended: %w", err)
		}
		return nil
	case <-t.C:
		w.stop()
		<-done
		return fmt.Errorf("av worker timed out after %v", timeout)
	case <-ctx.Done():
		w.stop()
		<-done
		return ctx.Err()
	}
}

func (w *avWorker) stop() {
	w.in.Close()
	if w.cmd.Process != nil {
		w.cmd.Process.Kill() //nolint:errcheck // it may have exited
	}
	w.cmd.Wait() //nolint:errcheck // killed
}

// faultOf turns a worker's reply into the error the pipeline knows.
func faultOf(r AVReply) error {
	if r.Fault == "" {
		return nil
	}
	key := map[string]string{"unreadable": ReasonUnreadable, "no_video": ReasonNoVideo, "no_picture": ReasonUnreadable}[r.Fault]
	if key == "" {
		return errors.New("av worker: " + r.Err)
	}
	return &Error{Key: key, Err: errors.New(r.Err)}
}

// avInspect describes a file with the AV worker.
func (p *AVPool) avInspect(ctx context.Context, path string, timeout time.Duration) (Info, error) {
	r, err := p.call(ctx, AVRequest{Inspect: "file:" + path}, timeout)
	if err == nil {
		err = faultOf(r)
	}
	if _, fault := FileFault(err); err != nil && !fault {
		p.fellBack(ctx, "inspect", err)
	}
	if err != nil {
		return Info{}, err
	}
	if r.Info == nil || r.Info.Codec == "" {
		return Info{}, &Error{Key: ReasonNoVideo, Err: errors.New("no video stream")}
	}
	return *r.Info, nil
}

// avRender runs a stream-copy plan with the AV worker.
func (p *AVPool) avRender(ctx context.Context, pl Plan, timeout time.Duration) error {
	ap := &AVPlan{In: "file:" + pl.In, HVC1: pl.Playback.HVC1, AudioCopy: pl.Playback.Audio == AudioCopy,
		Thumb: pl.Thumb, Poster: pl.Poster, Strip: pl.Strip, DurationMS: pl.Duration.Milliseconds(), PosterMS: PosterAt(pl.Duration).Milliseconds(),
		ThumbWidth: ThumbWidth, PosterMaxWidth: PosterMaxWidth, StripFrames: StripFrames, StripWidth: StripWidth}
	if pl.Width > 0 && pl.Height > 0 {
		ap.StripHeight = max(2, (StripWidth*pl.Height/pl.Width+1)/2*2)
	}
	if pl.Media != "" {
		ap.Media = "file:" + pl.Media
	}
	r, err := p.call(ctx, AVRequest{Render: ap}, timeout)
	if err == nil {
		err = faultOf(r)
	}
	if err == nil {
		err = written(pl)
	}
	if err != nil {
		p.fellBack(ctx, "render", err)
	}
	return err
}

// fellBack says that the command line takes over from a failed worker.
func (p *AVPool) fellBack(ctx context.Context, what string, err error) {
	if p.Log != nil {
		p.Log.WarnContext(ctx, "av worker failed, the ffmpeg command line takes over", "request", what, "err", err)
	}
	if p.Fallback != nil {
		p.Fallback()
	}
}

// avCan says whether the AV worker can run a plan: stream copy with the
// audio copied or dropped; transcoding stays with the command line.
func avCan(pl Plan) bool {
	return !pl.Safe && pl.Playback.Video == VideoCopy && pl.Playback.Audio != AudioAAC
}
