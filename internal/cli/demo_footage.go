package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The demo's footage: short synthetic scenes drawn by ffmpeg (a building, a
// road, a car and a person moving, the camera's name and a running clock on
// screen), one day and one night version per camera, each a clip and a few
// JPEG snapshots; and, when Debian's darknet test pictures are installed, a
// clip of those pictures in turn (things a detector knows: a dog, a
// bicycle, a truck, a person, horses) with one snapshot of each. The upload
// plan reuses them under many recorder paths.

// demoCamera is one channel of a demo recorder.
type demoCamera struct {
	Number int
	Name   string
}

// demoRecorder is a demo NVR and how it names its uploads.
type demoRecorder struct {
	Name         string
	Manufacturer string // "dahua" or "hikvision": the naming scheme of its paths
	Device       string // Dahua: the serial-number level; Hikvision: the device folder
	Cameras      []demoCamera
}

var demoRecorders = []demoRecorder{
	{Name: "NVR Dahua – Magasin", Manufacturer: "dahua", Device: "6E0D8A1PAZ12345", Cameras: []demoCamera{
		{1, "Entrée"}, {2, "Caisse"}, {3, "Réserve"}, {4, "Parking"},
	}},
	{Name: "NVR Hikvision – Entrepôt", Manufacturer: "hikvision", Device: "DS-7608NI-K2", Cameras: []demoCamera{
		{1, "Quai de livraison"}, {2, "Bureau"},
	}},
}

// Footage dimensions: small enough that all of it is drawn in seconds.
const (
	demoWidth   = 640
	demoHeight  = 360
	demoFPS     = 10
	demoSeconds = 12
	demoSnaps   = 3 // snapshots taken from each scene
)

// footageSpec is one generated scene: a clip and its snapshots.
type footageSpec struct {
	Label  string // camera name drawn on screen
	Scene  int    // picks the layout and colours
	Night  bool   // infrared look: grey and darker
	PS     bool   // MPEG-PS with Hikvision's IMKH header instead of MP4
	Width  int
	Height int
	// Pictures is a folder holding demoPictures, shown in turn (fitted,
	// with bars) instead of the drawn scene; "" draws the scene.
	Pictures string
}

// demoPictures are the darknet test pictures of the pictures clip, each
// on screen for a third of it (so each snapshot frame shows one).
var demoPictures = []string{"dog.jpg", "person.jpg", "horses.jpg"}

// havePictures tells whether dir holds every demo picture.
func havePictures(dir string) bool {
	if dir == "" {
		return false
	}
	for _, p := range demoPictures {
		if st, err := os.Stat(filepath.Join(dir, p)); err != nil || !st.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// footage is a generated scene on disk.
type footage struct {
	Clip  string
	Snaps []string
}

// scenePalette is the colours of one scene.
type scenePalette struct{ sky, ground, wall, window, car, person string }

var palettes = []scenePalette{
	{"0x9db4c8", "0x5b6b55", "0x8c6a52", "0xe8e0b0", "0xb03030", "0x2b3a67"},
	{"0xa9b7c0", "0x6f6a5f", "0x5f6f7d", "0xd8e4ec", "0x2f6fb0", "0x7a2f2f"},
	{"0xb7c4cf", "0x58614f", "0xa08a6a", "0xf0e6c8", "0xe0e0e0", "0x30302f"},
}

// osdText keeps the characters that need no escaping in an ffmpeg filter
// argument: letters (accents included), digits, spaces, dots and dashes.
func osdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '.' || r == '-' {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// sceneGraph draws the scene: a building and a road drawn on the colour
// source, a car and a person (colour sources of their own) moving across it
// by overlay, whose expressions know the time. text adds the on-screen
// display (it needs a font, which a minimal host may lack). The result is
// labelled [scene].
func sceneGraph(s footageSpec, text bool) string {
	p := palettes[s.Scene%len(palettes)]
	car := "mod(W/6*t\\,W*1.3)-W*0.2" // the car drives right…
	if s.Scene%2 == 1 {
		car = "W-mod(W/6*t\\,W*1.3)" // …or left
	}
	bx := 0.08 + 0.05*float64(s.Scene%4)
	bg := []string{
		"drawbox=x=0:y=ih*0.55:w=iw:h=ih*0.45:color=" + p.ground + ":t=fill",
		"drawbox=x=0:y=ih*0.72:w=iw:h=ih*0.14:color=0x4a4a4f:t=fill",
		fmt.Sprintf("drawbox=x=iw*%.2f:y=ih*0.18:w=iw*0.34:h=ih*0.40:color=%s:t=fill", bx, p.wall),
		fmt.Sprintf("drawbox=x=iw*%.2f:y=ih*0.26:w=iw*0.07:h=ih*0.09:color=%s:t=fill", bx+0.04, p.window),
		fmt.Sprintf("drawbox=x=iw*%.2f:y=ih*0.26:w=iw*0.07:h=ih*0.09:color=%s:t=fill", bx+0.22, p.window),
	}
	object := func(color string, w, h float64) string {
		return fmt.Sprintf("color=c=%s:s=%dx%d:r=%d:d=%d", color, even(float64(s.Width)*w), even(float64(s.Height)*h), demoFPS, demoSeconds)
	}
	look := []string{"noise=alls=5"}
	if s.Night {
		look = append(look, "hue=s=0", "eq=brightness=-0.2")
	}
	if text {
		look = append(look, osd(s)...)
	}
	return "[0:v]" + strings.Join(bg, ",") + "[bg];" +
		object(p.car, 0.18, 0.12) + "[car];" + object(p.person, 0.035, 0.17) + "[person];" +
		"[bg][car]overlay=x='" + car + "':y=H*0.70:eval=frame[road];" +
		"[road][person]overlay=x='W-mod(W/20*t\\,W*1.1)':y=H*0.52:eval=frame," + strings.Join(look, ",") + "[scene]"
}

// osd is the on-screen display of a recorder: the camera's name and a running clock.
func osd(s footageSpec) []string {
	size := max(12, s.Height/18)
	style := fmt.Sprintf(":fontsize=%d:fontcolor=white:box=1:boxcolor=black@0.5:boxborderw=4", size)
	return []string{"drawtext=text='" + osdText(s.Label) + "':x=12:y=12" + style,
		"drawtext=text='%{pts\\:hms}':x=w-tw-12:y=12" + style}
}

// even rounds a size to the even number the encoder needs.
func even(f float64) int { return max(2, int(f)/2*2) }

// snapFrames selects the frames taken as snapshots, spread over the clip.
func snapFrames() string {
	var eq []string
	for i := range demoSnaps {
		eq = append(eq, fmt.Sprintf("eq(n\\,%d)", (2*i+1)*demoSeconds*demoFPS/(2*demoSnaps)))
	}
	return "select='" + strings.Join(eq, "+") + "'"
}

// footageArgs is the ffmpeg command line drawing a scene into clip (MP4, or
// MPEG-PS for spec.PS) and snapshots (a printf pattern such as "snap-%d.jpg").
func footageArgs(s footageSpec, clip, snaps string, text bool) []string {
	if s.Pictures != "" {
		return pictureArgs(s, clip, snaps, text)
	}
	src := fmt.Sprintf("color=c=%s:s=%dx%d:r=%d:d=%d", palettes[s.Scene%len(palettes)].sky, s.Width, s.Height, demoFPS, demoSeconds)
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i", src}
	return encodeArgs(s, args, sceneGraph(s, text), clip, snaps)
}

// pictureArgs is the ffmpeg command line of a pictures clip: each of
// demoPictures for a third of the clip, fitted into the frame with bars,
// the recorder's display over it, and a snapshot of each.
func pictureArgs(s footageSpec, clip, snaps string, text bool) []string {
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y"}
	var fit, cat []string
	for i, p := range demoPictures {
		args = append(args, "-loop", "1", "-framerate", strconv.Itoa(demoFPS), "-t", strconv.Itoa(demoSeconds/len(demoPictures)), "-i", filepath.Join(s.Pictures, p))
		fit = append(fit, fmt.Sprintf("[%d:v]scale=%d:%d:force_original_aspect_ratio=decrease,pad=%[2]d:%[3]d:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=%d[p%[1]d]",
			i, s.Width, s.Height, demoFPS))
		cat = append(cat, fmt.Sprintf("[p%d]", i))
	}
	look := []string{fmt.Sprintf("concat=n=%d:v=1:a=0", len(demoPictures)), "format=yuv420p"}
	if text {
		look = append(look, osd(s)...)
	}
	graph := strings.Join(fit, ";") + ";" + strings.Join(cat, "") + strings.Join(look, ",") + "[scene]"
	return encodeArgs(s, args, graph, clip, snaps)
}

// encodeArgs completes a command line whose graph ends in [scene]: the
// clip (MP4, or MPEG-PS for s.PS) and the snapshots (a printf pattern such
// as "snap-%d.jpg").
func encodeArgs(s footageSpec, args []string, graph, clip, snaps string) []string {
	graph += ";[scene]split=2[clip][s];[s]" + snapFrames() + "[snap]"
	args = append(args, "-filter_complex", graph,
		"-map", "[clip]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p", "-g", strconv.Itoa(2*demoFPS))
	if s.PS {
		args = append(args, "-f", "mpeg", clip)
	} else {
		args = append(args, "-movflags", "+faststart", "-f", "mp4", clip)
	}
	return append(args, "-map", "[snap]", "-fps_mode", "vfr", "-q:v", "4", snaps)
}

// imkhHeader is the 40-byte header Hikvision recorders put before the
// MPEG-PS stream of their clips.
var imkhHeader = []byte{'I', 'M', 'K', 'H', 0x01, 0x01, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x10, 0x71, 0x01, 0x10,
	0x40, 0x1f, 0x00, 0x00, 0x00, 0xfa, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}

// footageCache draws scenes once and keeps them under dir.
type footageCache struct {
	dir    string
	ffmpeg string
}

// key names a scene's folder: a new spec, or a new way of drawing, is a new folder.
func (s footageSpec) key() string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("v2 %+v %s", s, strings.Join(footageArgs(s, "", "", true), " "))))
	return hex.EncodeToString(sum[:8])
}

// get returns the scene, drawing it when it is not in the cache yet.
func (c footageCache) get(ctx context.Context, s footageSpec) (footage, error) {
	dir := filepath.Join(c.dir, s.key())
	out := footage{Clip: filepath.Join(dir, "clip")}
	for i := 1; i <= demoSnaps; i++ {
		out.Snaps = append(out.Snaps, filepath.Join(dir, fmt.Sprintf("snap-%d.jpg", i)))
	}
	if _, err := os.Stat(dir); err == nil {
		return out, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return out, err
	}
	if err := os.MkdirAll(c.dir, 0o750); err != nil {
		return out, err
	}
	tmp, err := os.MkdirTemp(c.dir, "draw-")
	if err != nil {
		return out, err
	}
	defer os.RemoveAll(tmp)
	if err := c.draw(ctx, s, tmp); err != nil {
		return out, err
	}
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, fs.ErrExist) {
		if _, statErr := os.Stat(dir); statErr != nil { // not drawn meanwhile by another run
			return out, err
		}
	}
	return out, nil
}

// draw runs ffmpeg into dir; without a usable font it draws the scene without text.
func (c footageCache) draw(ctx context.Context, s footageSpec, dir string) error {
	raw := filepath.Join(dir, "clip.raw")
	snaps := filepath.Join(dir, "snap-%d.jpg")
	err := c.ffmpeg1(ctx, footageArgs(s, raw, snaps, true))
	if err != nil {
		err = c.ffmpeg1(ctx, footageArgs(s, raw, snaps, false))
	}
	if err != nil {
		return err
	}
	if !s.PS {
		return os.Rename(raw, filepath.Join(dir, "clip"))
	}
	ps, err := os.ReadFile(raw)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "clip"), append(append([]byte{}, imkhHeader...), ps...), 0o640)
}

func (c footageCache) ffmpeg1(ctx context.Context, args []string) error {
	bin := c.ffmpeg
	if bin == "" {
		bin = "ffmpeg"
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if len(msg) > 400 {
			msg = msg[:400]
		}
		return fmt.Errorf("ffmpeg: %w: %s", err, msg)
	}
	return nil
}

// demoEvent is a kind of event a recorder uploads, with how often it happens.
type demoEvent struct {
	Code     string // Dahua record-type letter or Hikvision event word
	Event    string // the event type the path reads as
	Snapshot bool
	Clip     bool
	Weight   int
}

var dahuaEvents = []demoEvent{
	{"M", "motion", true, true, 40},
	{"I", "intelligent", true, true, 15},
	{"A", "alarm", true, true, 10},
	{"R", "regular", false, true, 25},
	{"F", "manual", true, false, 10},
}

var hikvisionEvents = []demoEvent{
	{"MOTION_DETECTION", "motion", true, false, 35},
	{"MOTION_DETECTION", "motion", false, true, 15},
	{"LINE_CROSSING", "line_crossing", true, false, 15},
	{"FIELD_DETECTION", "intrusion", true, false, 15},
	{"FACE_DETECTION", "face", true, false, 10},
	{"TIMING", "regular", true, false, 10},
}

// demoFile is one upload of the plan.
type demoFile struct {
	Recorder int       // index in demoRecorders
	Camera   int       // channel number
	Path     string    // recorder-relative path, as the recorder names it
	Start    time.Time // what the path says, in the site's time zone
	Event    string
	Kind     string // "snapshot" or "clip"
	Night    bool   // taken at night: the infrared version of the scene
	Snap     int    // which snapshot of the scene (0-based); clips ignore it
	Pictures bool   // shows the real pictures (when installed) instead of the drawn scene
}

// isNight tells whether a local time falls in the hours cameras film in infrared.
func isNight(t time.Time) bool { return t.Hour() < 7 || t.Hour() >= 20 }

// demoPlan spreads perCamera events over each demo camera from yesterday's
// midnight (site time) until a few minutes before now. It is deterministic:
// the same now gives the same plan.
func demoPlan(now time.Time, loc *time.Location, perCamera int) []demoFile {
	now = now.In(loc)
	y, m, d := now.AddDate(0, 0, -1).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, loc)
	to := now.Add(-2 * time.Minute)
	var plan []demoFile
	for ri, rec := range demoRecorders {
		for _, cam := range rec.Cameras {
			rng := rand.New(rand.NewPCG(uint64(ri+1), uint64(cam.Number)))
			for i, ev := range pickEvents(rng, rec.Manufacturer, perCamera) {
				slot := to.Sub(from) / time.Duration(perCamera)
				at := from.Add(time.Duration(i)*slot + time.Duration(rng.Int64N(int64(slot)*7/10+1))).Truncate(time.Second)
				if rec.Manufacturer == "hikvision" {
					at = at.Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
				}
				files := eventFiles(ri, rec, cam.Number, ev, at, rng.IntN(demoSnaps))
				for k := range files {
					files[k].Pictures = showsPictures(i, at)
				}
				plan = append(plan, files...)
			}
		}
	}
	return plan
}

// showsPictures picks the events that show the real pictures: a third of
// those by day (the pictures are daylight photographs).
func showsPictures(i int, at time.Time) bool { return i%3 == 1 && !isNight(at) }

// pickEvents chooses n events: each kind once first (so a short plan still
// shows them all), then by weight, in a shuffled order.
func pickEvents(rng *rand.Rand, manufacturer string, n int) []demoEvent {
	kinds := dahuaEvents
	if manufacturer == "hikvision" {
		kinds = hikvisionEvents
	}
	total := 0
	for _, k := range kinds {
		total += k.Weight
	}
	var out []demoEvent
	for i := 0; i < n; i++ {
		if i < len(kinds) {
			out = append(out, kinds[i])
			continue
		}
		w := rng.IntN(total)
		for _, k := range kinds {
			if w -= k.Weight; w < 0 {
				out = append(out, k)
				break
			}
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// eventFiles names the files of one event the way the recorder's brand does.
func eventFiles(ri int, rec demoRecorder, ch int, ev demoEvent, at time.Time, snap int) []demoFile {
	base := demoFile{Recorder: ri, Camera: ch, Start: at, Event: ev.Event, Night: isNight(at), Snap: snap}
	var out []demoFile
	add := func(kind, path string) {
		f := base
		f.Kind, f.Path = kind, path
		out = append(out, f)
	}
	if rec.Manufacturer == "hikvision" {
		name := fmt.Sprintf("%s/Camera%02d/192.168.1.%d_%02d_%s%03d_%s", rec.Device, ch, 63+ch, ch,
			at.Format("20060102150405"), at.Nanosecond()/int(time.Millisecond), ev.Code)
		if ev.Snapshot {
			add("snapshot", name+".jpg")
		}
		if ev.Clip {
			add("clip", name+".mp4")
		}
		return out
	}
	day := fmt.Sprintf("%s/%s/%03d", rec.Device, at.Format("2006-01-02"), ch)
	tag := "[" + ev.Code + "][0@0][0]"
	if ev.Snapshot {
		add("snapshot", day+"/jpg/"+at.Format("15/04/05")+tag+".jpg")
	}
	if ev.Clip {
		end := at.Add(demoSeconds * time.Second)
		add("clip", day+"/dav/"+at.Format("15")+"/"+at.Format("15.04.05")+"-"+end.Format("15.04.05")+tag+".mp4")
	}
	return out
}

// sceneSpec is the scene a camera films, by day or by night.
func sceneSpec(ri int, cam demoCamera, night bool) footageSpec {
	scene := 0
	for i := 0; i < ri; i++ {
		scene += len(demoRecorders[i].Cameras)
	}
	return footageSpec{Label: cam.Name, Scene: scene + cam.Number - 1, Night: night,
		PS: demoRecorders[ri].Manufacturer == "hikvision", Width: demoWidth, Height: demoHeight}
}
