// Package layout reads what the path of an uploaded file says about it: the
// brand of recorder that wrote it, the camera, the time span, the event and
// the kind of media. It looks only at the path; the content is probed
// elsewhere, because some recorders put a container inside the wrong
// extension.
package layout

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind of media.
type Kind string

const (
	Snapshot Kind = "snapshot"
	Clip     Kind = "clip"
	Index    Kind = "index" // e.g. Dahua .idx beside a .dav: accepted by the server but never a recording
)

// Event is the recorder's reason for the file.
type Event string

const (
	Regular        Event = "regular"
	Motion         Event = "motion"
	Alarm          Event = "alarm"
	Intelligent    Event = "intelligent"
	Manual         Event = "manual"
	Face           Event = "face"
	Plate          Event = "plate"
	LineCrossing   Event = "line_crossing"
	Intrusion      Event = "intrusion"
	RegionEntrance Event = "region_entrance"
	RegionExit     Event = "region_exit"
	SceneChange    Event = "scene_change"
	PIR            Event = "pir"
	VCA            Event = "vca"
	Unknown        Event = "unknown"
)

// Info is what a path tells about an upload.
type Info struct {
	Brand     string    // "dahua", "hikvision", "reolink", "axis", "generic"
	Channel   int       // 1-based camera number; 0 when the path doesn't say (caller decides)
	Start     time.Time // in the given location; for files without a time, the upload time
	End       time.Time // == Start for snapshots; clips past midnight end on the next day
	Timed     bool      // false when Start is only the upload time
	Event     Event
	Kind      Kind
	EventCode string // the raw code seen (e.g. "M", "MOTION_DETECTION"), for display/debug
}

// ErrNotMedia is returned for a path that is neither a known media file nor
// an index file. A path that tries to leave the recorder's root ("..") gets
// a different error, so that a caller storing non-media files as they are
// can never mistake it for a harmless one.
var ErrNotMedia = errors.New("layout: not a media file")

// maxSpan bounds a clip: one day plus the hour a DST change can add. A name
// claiming more is not the layout it looked like.
const maxSpan = 25 * time.Hour

// upload is a path cut into the pieces the brand parsers look at.
type upload struct {
	dirs []string // folders, outermost first
	stem string   // file name without its extension
	kind Kind     // from the extension
}

// Parse reads a path relative to the recorder's root ("/" separated, no leading "/" needed; may contain
// the installer's own root levels and the device serial levels before the brand's own part).
// loc is the site's time zone: times in paths are the recorder's local time without zone.
// uploaded is used when the name has no time. It returns an error (ErrNotMedia or a wrapped parse error)
// for a path that is neither a known media nor an index file (e.g. "foo.txt", a directory-looking path, "", "../x").
func Parse(path string, loc *time.Location, uploaded time.Time) (Info, error) {
	if loc == nil {
		loc = time.UTC // time.Date panics on a nil location; UTC is the documented meaning of none
	}
	u, err := split(path)
	if err != nil {
		return Info{}, err
	}
	// Most specific first: the generic parser would accept every brand's names too.
	for _, parse := range []func(upload, *time.Location) (Info, bool){
		parseDahua, parseHikvision, parseReolink, parseAxis,
	} {
		if info, ok := parse(u, loc); ok {
			return info, nil
		}
	}
	return parseGeneric(u, loc, uploaded), nil
}

// split normalises a recorder's path: some clients send backslashes, a
// leading "/" or "./", or doubled separators.
func split(path string) (upload, error) {
	p := strings.ReplaceAll(path, `\`, "/")
	if strings.HasSuffix(p, "/") {
		return upload{}, fmt.Errorf("layout: %q names a directory: %w", path, ErrNotMedia)
	}
	var elems []string
	for _, e := range strings.Split(p, "/") {
		switch e {
		case "", ".":
			continue
		case "..":
			return upload{}, fmt.Errorf("layout: %q leaves the recorder's root", path)
		}
		elems = append(elems, e)
	}
	if len(elems) == 0 {
		return upload{}, fmt.Errorf("layout: empty path: %w", ErrNotMedia)
	}
	name := elems[len(elems)-1]
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 {
		return upload{}, fmt.Errorf("layout: %q has no extension: %w", path, ErrNotMedia)
	}
	kind, ok := kindOf(strings.ToLower(name[dot+1:]))
	if !ok {
		return upload{}, fmt.Errorf("layout: %q: %w", path, ErrNotMedia)
	}
	return upload{dirs: elems[:len(elems)-1], stem: name[:dot], kind: kind}, nil
}

// kindOf classifies a lower-case extension.
func kindOf(ext string) (Kind, bool) {
	switch ext {
	case "jpg", "jpeg", "png", "bmp":
		return Snapshot, true
	case "mp4", "dav", "mkv", "avi", "mov", "ts", "ps", "mpg", "mpeg",
		"h264", "h265", "264", "265", "asf", "flv", "3gp":
		return Clip, true
	case "idx":
		return Index, true
	}
	return "", false
}

// timed builds the Info of a file whose name holds its time. A snapshot
// is an instant, whatever span its name may show.
func timed(brand string, u upload, channel int, start, end time.Time) Info {
	if u.kind == Snapshot {
		end = start
	}
	return Info{Brand: brand, Channel: channel, Start: start, End: end, Timed: true, Kind: u.kind, Event: Unknown}
}

// wallClock returns the instant a recorder meant by these fields in loc. It
// refuses impossible fields (month 13, hour 25, 30 February) instead of
// letting time.Date roll them over: an impossible time means the name is not
// the layout we guessed. Years outside 1970–2099 are refused so that counters
// are not read as dates; a reset clock (2000) is kept as it is.
func wallClock(loc *time.Location, y, mo, d, h, mi, s, ns int) (time.Time, bool) {
	if y < 1970 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) ||
		h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, ns, loc), true
}

func daysIn(y, mo int) int {
	return time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// stamp reads "YYYYMMDDhhmmss" (exactly 14 digits).
func stamp(s string, loc *time.Location) (time.Time, bool) {
	if len(s) != 14 {
		return time.Time{}, false
	}
	return wallClock(loc, atoi(s[0:4]), atoi(s[4:6]), atoi(s[6:8]), atoi(s[8:10]), atoi(s[10:12]), atoi(s[12:14]), 0)
}

// clipEnd places an end time of day after start. Recorders write only the
// time of day, so an end earlier than the start means the clip ran past
// midnight.
func clipEnd(start time.Time, h, mi, s int) (time.Time, bool) {
	y, mo, d := start.Date()
	end, ok := wallClock(start.Location(), y, int(mo), d, h, mi, s, 0)
	if !ok {
		return time.Time{}, false
	}
	if end.Before(start) {
		end = time.Date(y, mo, d+1, h, mi, s, 0, start.Location())
	}
	return end, true
}

// atoi reads digits a regular expression already checked (at most a few).
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1 // refused by every range check
	}
	return n
}
