// Package media runs ffprobe and ffmpeg. Their command lines come from pure
// functions (tested without running anything); runners add a timeout and keep
// stderr for the error.
package media

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Tools locates the binaries.
type Tools struct {
	FFprobe string // default "ffprobe"
	FFmpeg  string // default "ffmpeg"
	Timeout time.Duration
	// AV, when set, runs inspections and stream-copy renders in worker
	// processes that keep the FFmpeg libraries loaded; the command-line
	// tools remain for transcoding and as the fallback.
	AV *AVPool
}

// Info is what ffprobe says of a file.
type Info struct {
	Format   string        // ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "dhav", "mpeg"
	Duration time.Duration // 0 when unknown (fragmented MP4 headers say nothing)
	Codec    string        // first video stream's codec, e.g. "h264", "hevc", "mjpeg"
	PixFmt   string        // its pixel format, e.g. "yuv420p"; "" when unknown
	Width    int
	Height   int
	Audio    string // first audio stream's codec, "" when there is none
}

// ProbeArgs is the ffprobe command line for path.
func ProbeArgs(path string) []string {
	return []string{"-v", "error", "-hide_banner", "-print_format", "json", "-show_format", "-show_streams", "--", path}
}

// Probe describes a media file; an unreadable or truncated container is an
// error (a *Error when the file is at fault).
func (t Tools) Probe(ctx context.Context, path string) (Info, error) {
	if t.AV != nil {
		info, err := t.AV.avInspect(ctx, path, t.timeout())
		if _, fault := FileFault(err); err == nil || fault {
			return info, err
		}
	}
	out, err := t.run(ctx, t.ffprobe(), ProbeArgs(path), 0)
	if err != nil {
		return Info{}, err
	}
	return parseProbe(out)
}

// Check is for callers that only need to know a clip is whole: it must have
// a video stream and, for an MP4, boxes that fill the file. An MP4 whose
// header says everything is checked without running ffprobe.
func (t Tools) Check(ctx context.Context, path string) error {
	_, err := t.Inspect(ctx, path)
	return err
}

type probeJSON struct {
	Format struct {
		Name     string `json:"format_name"`
		Duration string `json:"duration"`
	} `json:"format"`
	Streams []struct {
		Type   string `json:"codec_type"`
		Codec  string `json:"codec_name"`
		PixFmt string `json:"pix_fmt"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
	} `json:"streams"`
}

func parseProbe(out []byte) (Info, error) {
	var p probeJSON
	if err := json.Unmarshal(out, &p); err != nil {
		return Info{}, fmt.Errorf("ffprobe output: %w", err)
	}
	info := Info{Format: p.Format.Name}
	for _, s := range p.Streams {
		switch {
		case s.Type == "video" && info.Codec == "" && s.Codec != "":
			info.Codec, info.PixFmt, info.Width, info.Height = s.Codec, s.PixFmt, s.Width, s.Height
		case s.Type == "audio" && info.Audio == "":
			info.Audio = s.Codec
		}
	}
	if info.Codec == "" {
		return Info{}, &Error{Key: ReasonNoVideo, Err: fmt.Errorf("no video stream in %q", p.Format.Name)}
	}
	if d, err := strconv.ParseFloat(p.Format.Duration, 64); err == nil && d > 0 {
		info.Duration = time.Duration(d * float64(time.Second))
	}
	return info, nil
}

func (t Tools) ffprobe() string {
	if t.FFprobe != "" {
		return t.FFprobe
	}
	return "ffprobe"
}

func (t Tools) ffmpeg() string {
	if t.FFmpeg != "" {
		return t.FFmpeg
	}
	return "ffmpeg"
}
