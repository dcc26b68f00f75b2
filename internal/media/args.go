package media

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sizes of the pictures derived from a recording.
const (
	ThumbWidth     = 320  // list thumbnail
	PosterMaxWidth = 1920 // player poster: full size up to 1080p
	StripFrames    = 5    // preview frames of a clip, side by side in one JPEG
	StripWidth     = 160  // width of each
	// SeekStripAfter: longer clips take each strip frame from its own seek
	// instead of decoding every key frame (an hour holds ~1,800 of them).
	SeekStripAfter = 2 * time.Minute
)

// VideoMode says what becomes of the video in the playable copy.
type VideoMode int

const (
	VideoCopy VideoMode = iota // remux: the codec plays in browsers
	VideoH264                  // transcode to H.264
)

// AudioMode says what becomes of the audio in the playable copy.
type AudioMode int

const (
	AudioNone AudioMode = iota
	AudioCopy           // AAC or MP3
	AudioAAC            // G.711, MP2, Opus…: transcoded to AAC
)

// Playback is how a clip becomes browser-playable.
type Playback struct {
	Keep    bool // the original plays as it is (faststart H.264 MP4): no copy
	Video   VideoMode
	HVC1    bool // H.265 kept: tagged hvc1, as Safari wants
	Audio   AudioMode
	Reasons string // why a copy is needed, for logs
}

// PlaybackFor decides remux or transcode: H.264 in 8-bit 4:2:0 is copied,
// H.265 is transcoded when transcodeHEVC (Chrome and Firefox do not all
// play it) and copied otherwise, anything else is transcoded.
func PlaybackFor(m Media, transcodeHEVC bool) Playback {
	var p Playback
	var why []string
	switch {
	case m.Codec == "h264" && (m.PixFmt == "yuv420p" || m.PixFmt == "yuvj420p"):
	case m.Codec == "hevc" && !transcodeHEVC:
		p.HVC1 = true
		why = append(why, "tag hevc hvc1")
	default:
		p.Video = VideoH264
		why = append(why, "transcode "+m.Codec+" "+m.PixFmt)
	}
	switch m.Audio {
	case "":
	case "aac", "mp3":
		p.Audio = AudioCopy
	default:
		p.Audio = AudioAAC
		why = append(why, "audio "+m.Audio)
	}
	if m.Container != MP4 || !m.FastStart || m.Fragmented {
		why = append(why, fmt.Sprintf("remux %s (faststart %v, fragmented %v)", m.Container, m.FastStart, m.Fragmented))
	}
	p.Keep = len(why) == 0
	p.Reasons = strings.Join(why, "; ")
	return p
}

// Plan is one ffmpeg run over a clip: the playable copy when needed, the
// thumbnail, the poster and the strip, in one process (starting ffmpeg
// costs more than decoding a few key frames).
type Plan struct {
	In       string
	Duration time.Duration // spaces the strip and places the poster; 0 when unknown
	Width    int           // of the video, 0 when unknown
	Height   int
	Media    string // playable MP4 to write; "" when the original plays as it is
	Playback Playback
	Thumb    string
	Poster   string
	Strip    string
	// Safe decodes every frame and seeks nowhere: for streams whose key
	// frames are not flagged, where the fast run found no picture.
	Safe bool
}

// PosterAt is where in a clip of duration d the poster (and the list
// thumbnail) is taken: at the strip's third frame, 2/5 of the clip —
// recorders start clips several seconds before the event, and the AV
// worker decodes that key frame once for both.
func PosterAt(d time.Duration) time.Duration { return d * posterSlot / StripFrames }

const posterSlot = 2

// RenderArgs is the ffmpeg command line for a plan. Pictures come from
// their own inputs that decode key frames only (-skip_frame nokey, one
// thread): the poster from a seek to PosterAt, the strip from evenly
// spaced key frames.
func RenderArgs(p Plan) []string {
	args := []string{"-nostdin", "-hide_banner", "-v", "error", "-y", "-filter_complex_threads", "1"}
	var graph []string
	n := 0
	input := func(opts ...string) int {
		args = append(append(args, opts...), "-i", "file:"+p.In)
		n++
		return n - 1
	}
	media := -1
	if p.Media != "" {
		media = input("-fflags", "+genpts")
	}
	graph = append(graph, stripGraph(p, input)...)
	poster := input(pictureOpts(p, PosterAt(p.Duration))...)
	graph = append(graph, fmt.Sprintf("[%d:v:0]select='eq(n\\,0)',setpts=0,split[p0][p1]", poster),
		fmt.Sprintf("[p0]scale='min(%d,iw)':-2[poster]", PosterMaxWidth),
		fmt.Sprintf("[p1]scale=%d:-2[thumb]", ThumbWidth))
	if media >= 0 && p.Playback.Video == VideoH264 {
		graph = append(graph, "[0:v:0]scale='trunc(iw/2)*2':'trunc(ih/2)*2',format=yuv420p[mv]")
	}
	args = append(args, "-filter_complex", strings.Join(graph, ";"))
	if media >= 0 {
		args = append(args, mediaArgs(p)...)
	}
	for _, o := range []struct{ label, path, q string }{{"thumb", p.Thumb, "5"}, {"poster", p.Poster, "3"}, {"strip", p.Strip, "5"}} {
		args = append(args, "-map", "["+o.label+"]", "-frames:v", "1", "-q:v", o.q, "-f", "image2", "-update", "1", "file:"+o.path)
	}
	return args
}

// pictureOpts are the input options of a picture input seeking to at.
func pictureOpts(p Plan, at time.Duration) []string {
	if p.Safe {
		return []string{"-threads", "1"}
	}
	opts := []string{"-threads", "1", "-skip_frame", "nokey"}
	if at > 0 {
		// The key frame at or before at: an exact seek would drop it and
		// wait for a later one that may not exist.
		opts = append(opts, "-noaccurate_seek", "-ss", seconds(at))
	}
	return opts
}

// stripGraph adds the strip's inputs and returns its filters.
func stripGraph(p Plan, input func(...string) int) []string {
	step := p.Duration / StripFrames
	size := fmt.Sprintf("scale=%d:%s:flags=fast_bilinear", StripWidth, stripHeight(p))
	if p.Safe || p.Duration <= SeekStripAfter {
		in := input(pictureOpts(p, 0)...)
		return []string{fmt.Sprintf("[%d:v:0]select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,%s)',%s,tile=%dx1[strip]",
			in, seconds(step), size, StripFrames)}
	}
	var graph []string
	labels := ""
	for k := 0; k < StripFrames; k++ {
		in := input(pictureOpts(p, time.Duration(k)*step)...)
		graph = append(graph, fmt.Sprintf("[%d:v:0]select='eq(n\\,0)',setpts=0,%s[s%d]", in, size, k))
		labels += fmt.Sprintf("[s%d]", k)
	}
	return append(graph, fmt.Sprintf("%shstack=inputs=%d[strip]", labels, StripFrames))
}

// stripHeight keeps the aspect ratio with an even height; every frame of
// the strip gets the same size, as tile and hstack need.
func stripHeight(p Plan) string {
	if p.Width <= 0 || p.Height <= 0 {
		return "-2"
	}
	h := (StripWidth*p.Height/p.Width + 1) / 2 * 2
	return strconv.Itoa(max(h, 2))
}

// mediaArgs are the output options of the playable MP4.
func mediaArgs(p Plan) []string {
	args := []string{"-map", "0:v:0"}
	if p.Playback.Video == VideoH264 {
		args = []string{"-map", "[mv]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high"}
	} else {
		args = append(args, "-c:v", "copy")
		if p.Playback.HVC1 {
			args = append(args, "-tag:v", "hvc1")
		}
	}
	switch p.Playback.Audio {
	case AudioNone:
		args = append(args, "-an")
	case AudioCopy:
		args = append(args, "-map", "0:a:0", "-c:a", "copy")
	case AudioAAC:
		args = append(args, "-map", "0:a:0", "-c:a", "aac", "-b:a", "64k")
	}
	return append(args, "-max_muxing_queue_size", "4096", "-avoid_negative_ts", "make_zero",
		"-movflags", "+faststart", "-f", "mp4", "file:"+p.Media)
}

// seconds formats d for ffmpeg, in seconds with millisecond precision.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}
