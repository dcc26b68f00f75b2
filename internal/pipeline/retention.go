package pipeline

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/store"
)

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
