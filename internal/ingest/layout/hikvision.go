package layout

import (
	"regexp"
	"strings"
	"time"
)

// Hikvision names pictures <device IP>_<channel>_<YYYYMMDDhhmmssmmm>_<EVENT>.
// Its folders are whatever the installer configured (device, camera, a
// date-range level whose date is unreliable), so only the name is read. The
// IP is the camera's own setting, wrong behind NAT: it is skipped, never used.
var hikName = regexp.MustCompile(`^[0-9A-Za-z.:\-]+_(\d{2,3})_(\d{17})_([A-Za-z0-9_]+)$`)

func parseHikvision(u upload, loc *time.Location) (Info, bool) {
	m := hikName.FindStringSubmatch(u.stem)
	if m == nil || u.kind == Index {
		return Info{}, false
	}
	ms := m[2]
	start, ok := wallClock(loc, atoi(ms[0:4]), atoi(ms[4:6]), atoi(ms[6:8]),
		atoi(ms[8:10]), atoi(ms[10:12]), atoi(ms[12:14]), atoi(ms[14:17])*int(time.Millisecond))
	if !ok {
		return Info{}, false
	}
	info := timed("hikvision", u, atoi(m[1]), start, start)
	info.Event, info.EventCode = hikEvent(m[3]), m[3]
	return info, true
}

// hikEvent maps the event word. Models add words over time: any other word
// is kept in EventCode and reported as unknown.
func hikEvent(code string) Event {
	switch strings.ToUpper(code) {
	case "MOTION_DETECTION", "MOTION":
		return Motion
	case "TIMING":
		return Regular
	case "FACE_DETECTION", "FACE":
		return Face
	case "PLATE", "VEHICLE_DETECTION", "ANPR":
		return Plate
	case "LINE_CROSSING", "LINE_DETECTION":
		return LineCrossing
	case "INTRUSION", "FIELD_DETECTION":
		return Intrusion
	case "REGION_ENTRANCE":
		return RegionEntrance
	case "REGION_EXITING":
		return RegionExit
	case "SCENE_CHANGE":
		return SceneChange
	case "PIR":
		return PIR
	case "VCA":
		return VCA
	case "ALARM", "ALARM_INPUT", "IO":
		return Alarm
	case "MANUAL":
		return Manual
	}
	return Unknown
}
