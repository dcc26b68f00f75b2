// Package pipeline holds the River workers that act on recordings after
// ingest: processing (probe; playable copies and thumbnails come with the
// recordings work) and retention.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // snapshots
	_ "image/png"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/riverqueue/river"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/ingest"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/store"
)

// ProcessWorker probes a new recording and marks it ready, or failed with
// the reason (the original is kept either way).
type ProcessWorker struct {
	river.WorkerDefaults[ingest.ProcessArgs]
	DB      *store.DB
	Blobs   blob.Store
	Tools   media.Tools
	TempDir string
	Log     *slog.Logger
}

// Work is idempotent: a recording already processed is left alone.
func (w *ProcessWorker) Work(ctx context.Context, job *river.Job[ingest.ProcessArgs]) error {
	r, err := w.DB.Recording(ctx, job.Args.OrgID, job.Args.RecordingID, "")
	if cam2drive.IsNotFound(err) {
		return nil // overwritten or purged meanwhile
	}
	if err != nil || r.Status != "processing" {
		return err
	}
	local, err := w.fetch(ctx, r.ObjectKey)
	if err != nil {
		return err
	}
	defer os.Remove(local)
	if err := w.describe(ctx, &r, local); err != nil {
		r.Status, r.StatusReason = "failed", err.Error()
		w.Log.Warn("recording failed", "recording_id", r.ID, "org_id", r.OrgID, "err", err)
	} else {
		r.Status, r.StatusReason = "ready", ""
	}
	return w.DB.SetRecordingMedia(ctx, r)
}

func (w *ProcessWorker) describe(ctx context.Context, r *cam2drive.Recording, path string) error {
	if r.Kind == "snapshot" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg, format, err := image.DecodeConfig(f)
		if err != nil {
			return fmt.Errorf("unreadable image: %w", err)
		}
		r.Codec, r.Width, r.Height = format, cfg.Width, cfg.Height
		return nil
	}
	info, err := w.Tools.Probe(ctx, path)
	if err != nil {
		return err
	}
	r.Codec, r.Width, r.Height, r.Duration = info.Codec, info.Width, info.Height, info.Duration
	return nil
}

// fetch copies an object to a local file, for tools that need a path.
func (w *ProcessWorker) fetch(ctx context.Context, key string) (string, error) {
	rc, err := w.Blobs.Open(ctx, key, 0, -1)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", key, err)
	}
	defer rc.Close()
	f, err := os.CreateTemp(w.TempDir, "process-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, rc)
	if err = errors.Join(err, f.Close()); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// Timeout bounds one processing run.
func (w *ProcessWorker) Timeout(*river.Job[ingest.ProcessArgs]) time.Duration {
	return 10 * time.Minute
}

// RetentionArgs is the periodic purge of recordings past their recorder's
// retention limit.
type RetentionArgs struct{}

// Kind names the job for River.
func (RetentionArgs) Kind() string { return "purge_retention" }

// RetentionWorker deletes expired recordings, their index rows first, then
// their objects, in batches.
type RetentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	DB    *store.DB
	Blobs blob.Store
	Log   *slog.Logger
}

// Work purges until nothing is left to purge.
func (w *RetentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	for {
		gone, err := w.DB.PurgeExpired(ctx, time.Now(), 500)
		if err != nil {
			return err
		}
		for _, r := range gone {
			for _, key := range r.Objects() {
				if err := w.Blobs.Delete(ctx, key); err != nil {
					w.Log.Warn("delete expired object", "recording_id", r.ID, "key", key, "err", err)
				}
			}
		}
		if len(gone) < 500 {
			if len(gone) > 0 {
				w.Log.Info("retention purge", "recordings", len(gone))
			}
			return nil
		}
	}
}
