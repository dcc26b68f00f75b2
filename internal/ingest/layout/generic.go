package layout

import (
	"regexp"
	"strings"
	"time"
)

// The generic parser takes what it can recognise from any recorder
// (GeoVision, Vivotek, ACTi, Uniview, unknown devices) and never refuses a
// media file: a recording with an upload time is better than a lost one.
var (
	// ch01, CH1, channel_2, camera3, cam-4, "Camera 05"; not "watch1", nor
	// "cam2drive" (a root folder name, not camera 2).
	genericChannel = regexp.MustCompile(`(?i)(?:^|[^a-z])(?:channel|camera|cam|ch)[ _\-]?(\d{1,3})(?:[^a-z0-9]|$)`)
	// 20240101120000, 2024-01-01_12-00-00, 2024-01-01 12.00.00, 20240101_120000, 2024-01-01T12:00:00…
	// Digit boundaries are checked apart (digitBounded) so that a rejected
	// candidate does not swallow the separator before the next one.
	genericStamp = regexp.MustCompile(`(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})[ T_\-.]?(\d{2})[-_.:]?(\d{2})[-_.:]?(\d{2})`)
	// A date folder (2024-01-01, 20240101) with the time of day in the name (12-00-00, 12.00.00).
	genericDay       = regexp.MustCompile(`^(\d{4})[-_]?(\d{2})[-_]?(\d{2})$`)
	genericTimeOfDay = regexp.MustCompile(`(\d{2})[-.:](\d{2})[-.:](\d{2})`)
	genericWord      = regexp.MustCompile(`[A-Za-z]+`)
)

func parseGeneric(u upload, loc *time.Location, uploaded time.Time) Info {
	info := Info{Brand: "generic", Channel: genericChannelOf(u), Kind: u.kind}
	if start, ok := genericTime(u, loc); ok {
		info = timed("generic", u, info.Channel, start, start)
	} else {
		info.Start = uploaded.In(loc)
		info.End = info.Start
	}
	info.Event, info.EventCode = genericEvent(u.stem)
	return info
}

// genericChannelOf reads the channel from the name first, then from the
// innermost folder that names one.
func genericChannelOf(u upload) int {
	if m := genericChannel.FindStringSubmatch(u.stem); m != nil {
		return atoi(m[1])
	}
	for i := len(u.dirs) - 1; i >= 0; i-- {
		if m := genericChannel.FindStringSubmatch(u.dirs[i]); m != nil {
			return atoi(m[1])
		}
	}
	return 0
}

// genericTime takes the first real date and time in the name, else a date
// folder with a time of day in the name.
func genericTime(u upload, loc *time.Location) (time.Time, bool) {
	for _, m := range digitBounded(genericStamp, u.stem) {
		if t, ok := wallClock(loc, atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5]), atoi(m[6]), 0); ok {
			return t, true
		}
	}
	tods := digitBounded(genericTimeOfDay, u.stem)
	if len(tods) == 0 {
		return time.Time{}, false
	}
	tod := tods[0]
	for i := len(u.dirs) - 1; i >= 0; i-- {
		if d := genericDay.FindStringSubmatch(u.dirs[i]); d != nil {
			return wallClock(loc, atoi(d[1]), atoi(d[2]), atoi(d[3]), atoi(tod[1]), atoi(tod[2]), atoi(tod[3]), 0)
		}
	}
	return time.Time{}, false
}

// digitBounded returns the matches of re in s that are not part of a longer
// number, each as its submatches.
func digitBounded(re *regexp.Regexp, s string) [][]string {
	var found [][]string
	for _, idx := range re.FindAllStringSubmatchIndex(s, -1) {
		if (idx[0] > 0 && isDigit(s[idx[0]-1])) || (idx[1] < len(s) && isDigit(s[idx[1]])) {
			continue
		}
		m := make([]string, len(idx)/2)
		for i := range m {
			if idx[2*i] >= 0 { // an optional group that took no part stays ""
				m[i] = s[idx[2*i]:idx[2*i+1]]
			}
		}
		found = append(found, m)
	}
	return found
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// genericEvent looks for a word of the name that says why it was recorded.
func genericEvent(stem string) (Event, string) {
	for _, w := range genericWord.FindAllString(stem, -1) {
		if e := eventWord(strings.ToLower(w)); e != Unknown {
			return e, w
		}
	}
	return Unknown, ""
}

func eventWord(w string) Event {
	switch w {
	case "motion", "md", "vmd":
		return Motion
	case "alarm":
		return Alarm
	case "timing", "schedule", "scheduled", "regular", "continuous":
		return Regular
	case "manual":
		return Manual
	case "face":
		return Face
	case "plate", "anpr", "lpr":
		return Plate
	case "linecrossing", "tripwire", "crossing":
		return LineCrossing
	case "intrusion":
		return Intrusion
	case "pir":
		return PIR
	case "vca":
		return VCA
	case "ivs", "smart":
		return Intelligent
	}
	return Unknown
}
