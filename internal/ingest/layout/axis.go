package layout

import (
	"regexp"
	"time"
)

// Axis names files <prefix>yy-MM-dd_HH-mm-ss-<hundredths>_#<n>, e.g.
// video24-03-01_10-15-30-12_#1.mkv; the prefix is "video" or "image" by
// default but is configurable. #n is read as the camera (view) number.
var axisName = regexp.MustCompile(`^[A-Za-z]*(\d{2})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-(\d{2})-(\d{2})(?:_#(\d{1,3}))?$`)

func parseAxis(u upload, loc *time.Location) (Info, bool) {
	m := axisName.FindStringSubmatch(u.stem)
	if m == nil || u.kind == Index {
		return Info{}, false
	}
	start, ok := wallClock(loc, 2000+atoi(m[1]), atoi(m[2]), atoi(m[3]),
		atoi(m[4]), atoi(m[5]), atoi(m[6]), atoi(m[7])*int(10*time.Millisecond))
	if !ok {
		return Info{}, false
	}
	channel := 0
	if m[8] != "" {
		channel = atoi(m[8])
	}
	// An Axis clip's length is only known from its content.
	return timed("axis", u, channel, start, start), true
}
