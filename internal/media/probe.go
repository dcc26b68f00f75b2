// Package media runs ffprobe and ffmpeg. Their command lines come from pure
// functions (tested without running anything); runners add a timeout and keep
// stderr for the error.
package media

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Tools locates the binaries.
type Tools struct {
	FFprobe string // default "ffprobe"
	FFmpeg  string // default "ffmpeg"
	Timeout time.Duration
}

// Info is what ffprobe says of a file.
type Info struct {
	Format   string        // ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "dhav", "mpeg"
	Duration time.Duration // 0 when unknown (fragmented MP4 headers say nothing)
	Codec    string        // first video stream's codec, e.g. "h264", "hevc", "mjpeg"
	Width    int
	Height   int
}

// ProbeArgs is the ffprobe command line for path.
func ProbeArgs(path string) []string {
	return []string{"-v", "error", "-hide_banner", "-print_format", "json", "-show_format", "-show_streams", "-select_streams", "v:0", "--", path}
}

// Probe describes a media file; an unreadable or truncated container is an error.
func (t Tools) Probe(ctx context.Context, path string) (Info, error) {
	out, err := t.run(ctx, t.ffprobe(), ProbeArgs(path))
	if err != nil {
		return Info{}, err
	}
	return parseProbe(out)
}

// Check is Probe for callers that only need to know the file is whole: it
// must have a decodable video stream.
func (t Tools) Check(ctx context.Context, path string) error {
	_, err := t.Probe(ctx, path)
	return err
}

type probeJSON struct {
	Format struct {
		Name     string `json:"format_name"`
		Duration string `json:"duration"`
	} `json:"format"`
	Streams []struct {
		Codec  string `json:"codec_name"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
	} `json:"streams"`
}

func parseProbe(out []byte) (Info, error) {
	var p probeJSON
	if err := json.Unmarshal(out, &p); err != nil {
		return Info{}, fmt.Errorf("ffprobe output: %w", err)
	}
	if len(p.Streams) == 0 || p.Streams[0].Codec == "" {
		return Info{}, errors.New("no video stream")
	}
	s := p.Streams[0]
	info := Info{Format: p.Format.Name, Codec: s.Codec, Width: s.Width, Height: s.Height}
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

// run executes a tool with the timeout; its stderr explains a failure.
func (t Tools) run(ctx context.Context, bin string, args []string) ([]byte, error) {
	timeout := t.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 500 {
			msg = msg[:500]
		}
		return nil, fmt.Errorf("%s: %w: %s", bin, err, msg)
	}
	return stdout.Bytes(), nil
}
