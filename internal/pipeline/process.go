package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/riverqueue/river"

	"github.com/cam2drive/cam2drive"
	"github.com/cam2drive/cam2drive/internal/analysis"
	"github.com/cam2drive/cam2drive/internal/blob"
	"github.com/cam2drive/cam2drive/internal/media"
	"github.com/cam2drive/cam2drive/internal/store"
)

// ReasonOriginalMissing: the recording's original is gone from storage.
const ReasonOriginalMissing = "original_missing"

// keys are where a recording's derived objects go: beside the original,
// named after it, the same on every run (a retry overwrites them).
type keys struct{ media, thumb, poster, strip string }

func derivedKeys(objectKey string) keys {
	base := strings.TrimSuffix(objectKey, path.Ext(objectKey))
	return keys{media: base + ".play.mp4", thumb: base + ".thumb.jpg", poster: base + ".poster.jpg", strip: base + ".strip.jpg"}
}

func (k keys) all() []string { return []string{k.media, k.thumb, k.poster, k.strip} }

// process fills r with what the file is and what was derived from it.
func (w *ProcessWorker) process(ctx context.Context, r *cam2drive.Recording, log *slog.Logger) error {
	dir, done, err := w.scratch()
	if err != nil {
		return err
	}
	defer done()
	in := filepath.Join(dir, "original")
	defer w.Tools.Release(in) // before done() removes it
	if err := w.fetch(ctx, r.ObjectKey, in); err != nil {
		return err
	}
	m, err := w.Tools.Inspect(ctx, in)
	r.Container = string(m.Container)
	if err != nil {
		return err
	}
	r.Codec, r.Width, r.Height, r.Duration = m.Codec, m.Width, m.Height, m.Duration
	if m.Container.IsImage() {
		return w.picture(ctx, r, in, dir)
	}
	return w.clip(ctx, r, m, in, dir, log)
}

// picture makes a snapshot's thumbnail; the picture itself is the poster.
func (w *ProcessWorker) picture(ctx context.Context, r *cam2drive.Recording, in, dir string) error {
	k := derivedKeys(r.ObjectKey)
	thumb := filepath.Join(dir, "thumb.jpg")
	if err := w.Tools.ImageThumb(ctx, in, thumb); err != nil {
		return err
	}
	if err := w.put(ctx, k.thumb, thumb); err != nil {
		return err
	}
	r.MediaKey, r.ThumbKey, r.PosterKey, r.StripKey = "", k.thumb, r.ObjectKey, ""
	return nil
}

// clip makes the playable MP4 (unless the original is one) and the
// pictures in one ffmpeg run, then stores them.
func (w *ProcessWorker) clip(ctx context.Context, r *cam2drive.Recording, m media.Media, in, dir string, log *slog.Logger) error {
	p := media.Plan{In: in, Duration: m.Duration, Width: m.Width, Height: m.Height, Playback: media.PlaybackFor(m, w.TranscodeHEVC),
		Thumb: filepath.Join(dir, "thumb.jpg"), Poster: filepath.Join(dir, "poster.jpg"), Strip: filepath.Join(dir, "strip.jpg")}
	if p.Duration == 0 && r.End.After(r.Start) {
		p.Duration = r.End.Sub(r.Start) // fragmented MP4 or DHAV without duration: trust the name
	}
	if !p.Playback.Keep {
		p.Media = filepath.Join(dir, "play.mp4")
		log.Debug("playable copy", "why", p.Playback.Reasons)
	}
	err := w.Tools.Render(ctx, p)
	if _, ok := media.FileFault(err); ok {
		// Key frames not flagged, seeks that land nowhere: decode it all.
		log.Info("fast render failed, decoding every frame", "err", err)
		p.Safe = true
		err = w.Tools.Render(ctx, p)
	}
	if err != nil {
		return err
	}
	k := derivedKeys(r.ObjectKey)
	r.MediaKey = r.ObjectKey
	if p.Media != "" {
		if err := w.put(ctx, k.media, p.Media); err != nil {
			return err
		}
		r.MediaKey = k.media
	}
	for _, o := range []struct{ key, file string }{{k.thumb, p.Thumb}, {k.poster, p.Poster}, {k.strip, p.Strip}} {
		if err := w.put(ctx, o.key, o.file); err != nil {
			return err
		}
	}
	r.ThumbKey, r.PosterKey, r.StripKey = k.thumb, k.poster, k.strip
	return nil
}

// fetch puts an object in a local file, for the tools.
func (w *ProcessWorker) fetch(ctx context.Context, key, dst string) error {
	err := blob.ToFile(ctx, w.Blobs, key, dst)
	if errors.Is(err, blob.ErrNotFound) {
		return &media.Error{Key: ReasonOriginalMissing, Err: errNoOriginal}
	}
	if err != nil {
		return fmt.Errorf("fetch %s: %w", key, err)
	}
	return nil
}

// mover is a store that can take a local file by renaming it (the local
// store on the same file system): a remuxed clip is not copied again.
type mover interface {
	MoveFile(ctx context.Context, key, path string) error
}

// put stores a derived file under key.
func (w *ProcessWorker) put(ctx context.Context, key, file string) error {
	if m, ok := w.Blobs.(mover); ok {
		if err := syncFile(file); err != nil {
			return err
		}
		return m.MoveFile(ctx, key, file)
	}
	return w.Blobs.PutFile(ctx, key, file)
}

// syncFile makes a tool's output durable before it is published.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// Enqueuer inserts a job in a store transaction (jobs.Queue does).
type Enqueuer interface {
	InsertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error
}

// publish records the result. A ready recording of a camera with AI on gets
// its analysis queued in the same transaction: committed with the status,
// so a crash can neither lose the job nor queue it for a recording still
// "processing".
func (w *ProcessWorker) publish(ctx context.Context, r cam2drive.Recording) error {
	if w.Analysis == nil || r.Status != "ready" {
		return w.DB.SetRecordingMedia(ctx, r)
	}
	return w.DB.SetRecordingMediaThen(ctx, r, func(tx *store.Tx, aiEnabled bool) error {
		if !aiEnabled {
			return nil
		}
		return w.Analysis.InsertTx(ctx, tx, analysis.Args{OrgID: r.OrgID, RecordingID: r.ID}, nil)
	})
}
