// Package pipeline holds the River workers that act on recordings after
// ingest: processing (what the file is, a browser-playable MP4, pictures,
// the recorder's detection, folding a snapshot with its clip) and retention.
package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/store"
)

// ProcessWorker turns a new recording into what browsers show. A file at
// fault ends "failed" with the reason at once; anything else (storage or
// database down, a tool timing out) is returned for River to retry with its
// back-off, and the last attempt marks the recording failed. The original
// is never changed.
type ProcessWorker struct {
	river.WorkerDefaults[ingest.ProcessArgs]
	DB            *store.DB
	Blobs         blob.Store
	Tools         media.Tools
	TempDir       string   // scratch files, in a directory per job removed after it
	TranscodeHEVC bool     // H.265 becomes H.264 (otherwise it is only remuxed)
	Analysis      Enqueuer // queues the analysis of ready recordings of cameras with AI; nil: none
	Metrics       *Metrics // counts the recordings that end ready or failed; nil: none
	Log           *slog.Logger

	sweep sync.Once // scratch directories a crash left behind go on the first job
}

// ReasonProcessing prefixes the reason of a recording whose processing kept
// failing for something other than its file.
const ReasonProcessing = "processing_error"

// Work is idempotent: a recording no longer "processing" is left alone, and
// a run after a crash writes the same derived objects again.
func (w *ProcessWorker) Work(ctx context.Context, job *river.Job[ingest.ProcessArgs]) error {
	start := time.Now()
	r, err := w.DB.Recording(ctx, job.Args.OrgID, job.Args.RecordingID, "")
	if cam2drive.IsNotFound(err) {
		return nil // overwritten or purged meanwhile
	}
	if err != nil || r.Status != "processing" {
		return err
	}
	log := w.Log.With("recording_id", r.ID, "org_id", r.OrgID, "job_id", job.ID)
	err = w.process(ctx, &r, log)
	r.Status, r.StatusReason = "ready", ""
	if fault, ok := media.FileFault(err); ok {
		r.Status, r.StatusReason = "failed", fault.Error()
		log.Warn("recording failed", "err", err)
	} else if err != nil {
		if job.Attempt < job.MaxAttempts {
			return err
		}
		r.Status, r.StatusReason = "failed", ReasonProcessing+": "+err.Error()
		log.Error("recording failed after retries", "attempt", job.Attempt, "err", err)
		// Say so even when the attempt ran out of time.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
	}
	if r.Status == "failed" {
		w.dropDerived(ctx, r, log)
		r.MediaKey, r.ThumbKey, r.PosterKey, r.StripKey = "", "", "", ""
	}
	return w.finish(ctx, r, log, start)
}

// finish records the recorder's detection and the folding, then the
// result: a crash before the last step leaves the recording "processing"
// for the retry, which does it all again. The run that began at start is
// counted once the result is recorded.
func (w *ProcessWorker) finish(ctx context.Context, r cam2drive.Recording, log *slog.Logger, start time.Time) error {
	err := w.DB.ReplaceDetections(ctx, r.OrgID, r.ID, "recorder", RecorderDetections(r))
	if err == nil {
		err = w.fold(ctx, r)
	}
	if err == nil {
		err = w.publish(ctx, r)
	}
	if err == nil {
		w.Metrics.done(r.Status, time.Since(start))
	}
	if cam2drive.IsNotFound(err) {
		log.Info("recording deleted while processed")
		w.dropDerived(ctx, r, log)
		return nil
	}
	return err
}

func (w *ProcessWorker) fold(ctx context.Context, r cam2drive.Recording) error {
	var err error
	if r.Kind == "snapshot" {
		_, err = w.DB.FoldSnapshot(ctx, r.OrgID, r.ID)
	} else {
		_, err = w.DB.FoldSnapshotsInto(ctx, r.OrgID, r.ID)
	}
	return err
}

// dropDerived deletes what a run may have stored under the derived keys
// (never the original).
func (w *ProcessWorker) dropDerived(ctx context.Context, r cam2drive.Recording, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for _, key := range derivedKeys(r.ObjectKey).all() {
		if key == r.ObjectKey {
			continue
		}
		if err := w.Blobs.Delete(ctx, key); err != nil {
			log.Warn("delete derived object", "key", key, "err", err)
			return // storage down: the others would fail alike
		}
	}
}

// Timeout bounds one processing run: long enough to transcode an hour of
// H.265 on a small machine (each tool run has its own, shorter limit).
func (w *ProcessWorker) Timeout(*river.Job[ingest.ProcessArgs]) time.Duration {
	return time.Hour
}

// RecorderDetections is what the recorder said by its event: motion (or a
// PIR sensor) is a motion detection, a face a person, a plate a vehicle,
// over the whole recording.
func RecorderDetections(r cam2drive.Recording) []cam2drive.Detection {
	typ := map[string]string{"motion": "motion", "pir": "motion", "face": "person", "plate": "vehicle"}[r.EventType]
	if typ == "" {
		return nil
	}
	end := r.Duration
	if end == 0 && r.End.After(r.Start) {
		end = r.End.Sub(r.Start)
	}
	return []cam2drive.Detection{{Source: "recorder", Type: typ, Label: r.EventType, Score: 1, End: end}}
}

// scratch makes the job's directory for temporary files.
func (w *ProcessWorker) scratch() (string, func(), error) {
	if w.TempDir != "" {
		if err := os.MkdirAll(w.TempDir, 0o700); err != nil {
			return "", nil, err
		}
		w.sweep.Do(w.sweepScratch)
	}
	dir, err := os.MkdirTemp(w.TempDir, "process-*")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// sweepScratch removes job directories older than a day: no job runs that
// long (its timeout is an hour), so they were left by a crash.
func (w *ProcessWorker) sweepScratch() {
	old, _ := filepath.Glob(filepath.Join(w.TempDir, "process-*"))
	for _, dir := range old {
		if st, err := os.Stat(dir); err == nil && st.IsDir() && time.Since(st.ModTime()) > 24*time.Hour {
			os.RemoveAll(dir)
		}
	}
}

var errNoOriginal = errors.New("the original file is missing from storage")
