// Package analysis finds what happens in recordings of cameras with AI on:
// objects (person, vehicle, animal) by a pretrained detector on sampled
// frames, tracked over time, motion by frame differencing, and the HOLO4
// algorithms the camera chose (rules over the detector's, the pose model's
// and the face model's outputs). It runs as a River job in its own queue,
// after the recording became playable.
package analysis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/detect"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/store"
)

// Queue is the River queue analysis jobs go to: its own, with its own
// workers, so that analysis never holds the slots that make uploads
// playable.
const Queue = "analysis"

// MotionFrameSize is the longer side of the frames sampled for motion
// alone (no detector): the rule looks at a grid of MotionGrid cells.
const MotionFrameSize = 320

// Args is the job that analyses a ready recording. It is queued in the
// transaction that marks the recording ready, when its camera has AI on.
type Args struct {
	OrgID       string `json:"org_id"`
	RecordingID string `json:"recording_id"`
}

// Kind names the job for River.
func (Args) Kind() string { return "analyze_recording" }

// InsertOpts puts the job in the analysis queue; a few attempts cover
// storage or database outages.
func (Args) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: Queue, MaxAttempts: 5} }

// Worker analyses a recording: it samples the playable media (the times
// then match the player's), runs the detector on each frame that changed
// (see gate) and the motion rule across frames, and replaces the recording's "model" and "rule"
// detections. For a camera in the HOLO4 beta it also runs, on the same
// frames, the models its chosen algorithms need and their rules, and
// replaces the "holo4" detections. Without a detector (AI unavailable) it
// finds motion only and leaves earlier model detections alone; an
// algorithm whose models are missing is skipped. A file at fault cancels the job
// (running again will not help); storage and database errors are retried.
type Worker struct {
	river.WorkerDefaults[Args]
	DB       *store.DB
	Blobs    blob.Store
	Tools    media.Tools
	Detector detect.Detector // nil when AI is unavailable
	// Poses and Faces are the HOLO4 models (nil when not installed): they
	// run only for cameras whose chosen algorithms read them.
	Poses detect.PoseEstimator
	Faces detect.FaceReader
	// Unavailable says why Detector is nil, logged once by the first job.
	Unavailable error
	Pace        *Pace
	Threads     int    // ffmpeg decoding threads per job; 0 lets ffmpeg choose
	TempDir     string // scratch copies, a directory per job
	Log         *slog.Logger
	Metrics     *Metrics // counts the analyses, their time, the backlog and the rate; nil: none

	once    sync.Once
	missing sync.Map // HOLO4 algorithms said to lack a model
}

// Result is what one analysis found and cost.
type Result struct {
	Model    []cam2drive.Detection // nil without a detector
	Motion   []cam2drive.Detection
	HOLO4    []cam2drive.Detection // what the HOLO4 algorithms found
	Beta     []string              // the HOLO4 algorithms that ran (nil: none, their detections are left alone)
	Rate     float64               // frames per second sampled; 0 is key frames only
	Frames   int                   // frames sampled
	Detected int                   // of which the detector ran on (the others had not changed)
	Video    time.Duration         // seconds of video analysed (0 for a picture)
}

// Work analyses the recording if it is still there, ready, and its camera
// still has AI on.
func (w *Worker) Work(ctx context.Context, job *river.Job[Args]) (err error) {
	start := time.Now()
	w.once.Do(w.start)
	r, err := w.DB.Recording(ctx, job.Args.OrgID, job.Args.RecordingID, "")
	if cam2drive.IsNotFound(err) {
		return nil
	}
	if err != nil || r.Status != "ready" {
		return err
	}
	cam, err := w.DB.Camera(ctx, r.OrgID, r.CameraID)
	if cam2drive.IsNotFound(err) || (err == nil && !cam.AIEnabled) {
		return nil // turned off (or the camera gone) since it was queued
	}
	if err != nil {
		return err
	}
	backlog, err := w.DB.QueuedJobs(ctx, Queue)
	if err != nil {
		return err
	}
	log := w.Log.With("recording_id", r.ID, "org_id", r.OrgID, "job_id", job.ID)
	var algorithms []string
	if cam.HOLO4 {
		algorithms = cam.Algorithms
	}
	rate := w.Pace.Rate(backlog)
	w.Metrics.started(backlog, rate)
	defer func() { w.Metrics.done(resultOf(err), time.Since(start)) }()
	res, err := w.Analyze(ctx, r, rate, algorithms...)
	if fault, ok := media.FileFault(err); ok {
		log.Warn("analysis: the media cannot be read", "err", err)
		return river.JobCancel(fault)
	}
	if err != nil {
		return err
	}
	if err := w.save(ctx, r, res); cam2drive.IsNotFound(err) {
		return nil // deleted meanwhile
	} else if err != nil {
		return err
	}
	took := time.Since(start)
	w.Pace.Observe(res.Rate, res.Video, took)
	log.Info("recording analysed", "fps", res.Rate, "frames", res.Frames, "detected", res.Detected, "objects", len(res.Model), "motion", len(res.Motion), "holo4", len(res.HOLO4),
		"took", took.Round(time.Millisecond), "backlog", backlog)
	return nil
}

func (w *Worker) save(ctx context.Context, r cam2drive.Recording, res Result) error {
	if w.Detector != nil {
		if err := w.DB.ReplaceDetections(ctx, r.OrgID, r.ID, "model", res.Model); err != nil {
			return err
		}
	}
	if res.Beta != nil {
		if err := w.DB.ReplaceDetections(ctx, r.OrgID, r.ID, SourceHOLO4, res.HOLO4); err != nil {
			return err
		}
	}
	return w.DB.ReplaceDetections(ctx, r.OrgID, r.ID, "rule", res.Motion)
}

// Timeout bounds a job: an hour of video at the lowest rate fits easily
// (each ffmpeg run has its own, shorter bound).
func (w *Worker) Timeout(*river.Job[Args]) time.Duration { return time.Hour }

// start runs with the first job (before any job reads w.Pace): it says
// once, not per job, that AI is unavailable, and removes scratch
// directories a crash left behind.
func (w *Worker) start() {
	if w.Pace == nil {
		w.Pace = &Pace{}
	}
	if w.Detector == nil {
		w.Log.Warn("AI unavailable: recordings of cameras with AI get frame-difference motion only", "err", w.Unavailable)
	}
	if w.TempDir == "" {
		return
	}
	old, _ := filepath.Glob(filepath.Join(w.TempDir, "analyze-*"))
	for _, dir := range old {
		if st, err := os.Stat(dir); err == nil && st.IsDir() && time.Since(st.ModTime()) > 24*time.Hour {
			os.RemoveAll(dir)
		}
	}
}

// Analyze samples a ready recording at rate (frames per second; 0 is key
// frames only) and returns what it found, with the HOLO4 algorithms given.
// It writes nothing.
func (w *Worker) Analyze(ctx context.Context, r cam2drive.Recording, rate float64, algorithms ...string) (Result, error) {
	res := Result{Rate: rate}
	if w.TempDir != "" {
		if err := os.MkdirAll(w.TempDir, 0o700); err != nil {
			return res, err
		}
	}
	dir, err := os.MkdirTemp(w.TempDir, "analyze-*")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "media")
	if err := w.fetch(ctx, source(r), in); err != nil {
		return res, err
	}
	still := r.Kind == "snapshot" || media.Container(r.Container).IsImage()
	s := media.Sampling{Size: MotionFrameSize, FPS: rate, Still: still, Threads: w.Threads,
		Width: r.Width, Height: r.Height, Duration: r.Duration}
	if w.Detector != nil {
		s.Size = w.Detector.InputSize()
	}
	var tracker Tracker
	var motion Motion
	var unchanged gate
	var last time.Duration
	var b *beta
	if len(algorithms) > 0 {
		b = w.newBeta(algorithms)
	}
	res.Frames, err = w.Tools.Frames(ctx, in, s, func(f media.Frame) error {
		frame := detect.Frame{W: f.W, H: f.H, RGB: f.RGB}
		g := newGrid(frame)
		if w.Detector != nil || b != nil {
			objs, ran, err := unchanged.objects(f.At, g, func() ([]detect.Object, error) {
				if w.Detector == nil {
					return nil, nil // HOLO4 on the face model alone
				}
				return w.Detector.Detect(ctx, frame)
			})
			if err != nil {
				return fmt.Errorf("detect at %v: %w", f.At, err)
			}
			if w.Detector != nil {
				if ran {
					res.Detected++
				}
				tracker.Add(f.At, objs)
			}
			if b != nil {
				if err := w.see(ctx, b, f.At, frame, objs, ran); err != nil {
					return err
				}
			}
		}
		motion.add(f.At, g)
		last = f.At
		return nil
	})
	if err != nil {
		return res, err
	}
	if w.Detector != nil {
		res.Model = tracker.Detections()
	}
	res.Motion = motion.Detections()
	if b != nil {
		res.HOLO4, res.Beta = b.detections()
	}
	if !s.Still {
		res.Video = max(r.Duration, last)
	}
	return res, nil
}

// source is what is sampled: the playable copy of a clip (its times are
// the player's; it is H.264 in most cases, the cheapest to decode), the
// picture itself for a snapshot.
func source(r cam2drive.Recording) string {
	if r.MediaKey != "" {
		return r.MediaKey
	}
	return r.ObjectKey
}

// ReasonMediaMissing: the media to analyse is gone from storage.
const ReasonMediaMissing = "media_missing"

// fetch puts an object in a local file for ffmpeg.
func (w *Worker) fetch(ctx context.Context, key, dst string) error {
	err := blob.ToFile(ctx, w.Blobs, key, dst)
	if errors.Is(err, blob.ErrNotFound) {
		return &media.Error{Key: ReasonMediaMissing, Err: fmt.Errorf("%s is missing from storage", key)}
	}
	if err != nil {
		return fmt.Errorf("fetch %s: %w", key, err)
	}
	return nil
}
