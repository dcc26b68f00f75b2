package layout

import (
	"regexp"
	"time"
)

// Reolink names files <DeviceName>_<channel, 0-based, 2 digits>_<YYYYMMDDhhmmss>.
// The device name is free text (underscores, UTF-8): the fixed tail anchors
// the match.
var reolinkName = regexp.MustCompile(`^.+_(\d{2})_(\d{14})$`)

func parseReolink(u upload, loc *time.Location) (Info, bool) {
	m := reolinkName.FindStringSubmatch(u.stem)
	if m == nil || u.kind == Index {
		return Info{}, false
	}
	start, ok := stamp(m[2], loc)
	if !ok {
		return Info{}, false
	}
	// Channel 00 is the first camera: users count from 1.
	return timed("reolink", u, atoi(m[1])+1, start, start), true
}
