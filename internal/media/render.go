package media

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"time"
)

// Render runs a plan and checks each output was written: ffmpeg ends
// without error when a stream gave no picture at all.
func (t Tools) Render(ctx context.Context, p Plan) error {
	var extra time.Duration
	switch {
	case p.Media != "" && p.Duration == 0:
		extra = 10 * time.Minute
	case p.Media != "" && p.Playback.Video == VideoH264:
		extra = 2 * p.Duration // transcoding grows with the clip
	case p.Media != "":
		extra = p.Duration / 4 // so does copying an hour of DHAV
	}
	if t.AV != nil && avCan(p) && t.AV.avRender(ctx, p, t.timeout()+extra) == nil && written(p) == nil {
		return nil
	}
	// Without the AV worker, for transcoding, or when it failed (the
	// command line may still read what the worker could not).
	if _, err := t.run(ctx, t.ffmpeg(), RenderArgs(p), extra); err != nil {
		return err
	}
	return written(p)
}

// Release tells the AV workers that the job reading path is over: a worker
// that still keeps it open (described, never rendered there) closes it.
func (t Tools) Release(path string) {
	if t.AV != nil {
		t.AV.release(path)
	}
}

// written checks that a render wrote every output it was asked for.
func written(p Plan) error {
	outs := []string{p.Thumb, p.Poster, p.Strip}
	if p.Media != "" {
		outs = append(outs, p.Media)
	}
	for _, o := range outs {
		if st, err := os.Stat(o); err != nil || st.Size() == 0 {
			return &Error{Key: ReasonUnreadable, Err: errors.New("ffmpeg decoded no picture")}
		}
	}
	return nil
}

// ImageThumbArgs is the ffmpeg command line for the thumbnail of a picture
// Go cannot decode (arithmetic coding, 12 bits…).
func ImageThumbArgs(in, out string) []string {
	return []string{"-nostdin", "-hide_banner", "-v", "error", "-y", "-i", "file:" + in, "-frames:v", "1",
		"-vf", fmt.Sprintf("scale='min(%d,iw)':-2", ThumbWidth), "-q:v", "5", "-f", "image2", "-update", "1", "file:" + out}
}

// ImageThumb writes the JPEG thumbnail of a picture, ThumbWidth wide at
// most. Go decodes it (no process to start, which costs more than the
// decoding); ffmpeg takes what Go cannot read.
func (t Tools) ImageThumb(ctx context.Context, in, out string) error {
	err := goThumb(in, out)
	var unsupported jpeg.UnsupportedError
	if errors.As(err, &unsupported) {
		_, err = t.run(ctx, t.ffmpeg(), ImageThumbArgs(in, out), 0)
	}
	return err
}

func goThumb(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		if _, ok := err.(jpeg.UnsupportedError); ok {
			return err
		}
		return &Error{Key: ReasonUnreadable, Err: fmt.Errorf("unreadable image: %w", err)}
	}
	b := img.Bounds()
	w := min(ThumbWidth, b.Dx())
	h := max(1, b.Dy()*w/max(1, b.Dx()))
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	err = jpeg.Encode(o, Downscale(img, w, h), &jpeg.Options{Quality: 80})
	return errors.Join(err, o.Close())
}
