package layout

import (
	"strings"
	"testing"
	"time"
)

// genericCases: recorders of no known brand. The channel comes from a folder
// or the name, the time from the name when it holds a real one.
func genericCases(loc *time.Location) []pathCase {
	t0 := at(loc, 2024, 3, 1, 10, 15, 30, 0)
	up := uploadedAt.In(loc)
	timedAs := func(ch int, kind Kind, ev Event, code string) Info {
		return want("generic", ch, kind, t0, t0, ev, code)
	}
	untimed := func(ch int, kind Kind, ev Event, code string) Info {
		return Info{Brand: "generic", Channel: ch, Start: up, End: up, Event: ev, Kind: kind, EventCode: code}
	}
	return []pathCase{
		{"GeoVision/ch01/20240301101530.jpg", timedAs(1, Snapshot, Unknown, "")},
		{"vivotek/CH1/Snapshot_2024-03-01_10-15-30.jpg", timedAs(1, Snapshot, Unknown, "")},
		{"uniview/channel_2/IMG_20240301_101530.jpg", timedAs(2, Snapshot, Unknown, "")},
		{"acti/camera3/2024-03-01 10.15.30.mp4", timedAs(3, Clip, Unknown, "")},
		{"site/cam-4/motion_20240301101530.avi", timedAs(4, Clip, Motion, "motion")},
		{"site/Camera 05/video.h264", untimed(5, Clip, Unknown, "")},
		{"recorder/2024-03-01/cam1/10-15-30.ts", timedAs(1, Clip, Unknown, "")},
		{"recorder/20240301/record 10.15.30.mov", timedAs(0, Clip, Unknown, "")},
		{"x/foo.PNG", untimed(0, Snapshot, Unknown, "")},
		{"cam2drive/4K0A5B3PAG12345/upload.jpg", untimed(0, Snapshot, Unknown, "")},
		{"cam1080p/upload.jpg", untimed(0, Snapshot, Unknown, "")},
		{"watch1/clip.mov", untimed(0, Clip, Unknown, "")},
		{"cam2drive/Garage/ALARM_CH07_20240301T101530.jpeg", timedAs(7, Snapshot, Alarm, "ALARM")},
		{"Camera 08/cam2_20240301101530_LineCrossing.bmp", timedAs(2, Snapshot, LineCrossing, "LineCrossing")},
		{"Camera 08/cam2_20240301101530_line_crossing.bmp", timedAs(2, Snapshot, LineCrossing, "crossing")},
		{"ch9/index.idx", untimed(9, Index, Unknown, "")},
		{"cam1/20241301101530.jpg", untimed(1, Snapshot, Unknown, "")},
		{"cam1/99991301101530_20240301101530.jpg", timedAs(1, Snapshot, Unknown, "")},
		{"ch03/IPC_PIR_20240301101530.3gp", timedAs(3, Clip, PIR, "PIR")},
	}
}

func TestGeneric(t *testing.T) {
	loc := mustLoc(t, "Europe/Paris")
	runCases(t, loc, genericCases(loc))
}

// Every extension a recorder may use is classified, in any case.
func TestGenericKinds(t *testing.T) {
	loc := mustLoc(t, "Europe/Paris")
	up := uploadedAt.In(loc)
	var cases []pathCase
	for kind, exts := range map[Kind]string{
		Snapshot: "jpg jpeg png bmp",
		Clip:     "mp4 dav mkv avi mov ts ps mpg mpeg h264 h265 264 265 asf flv 3gp",
		Index:    "idx",
	} {
		for _, ext := range strings.Fields(exts) {
			for _, e := range []string{ext, strings.ToUpper(ext)} {
				cases = append(cases, pathCase{"device/upload." + e,
					Info{Brand: "generic", Start: up, End: up, Event: Unknown, Kind: kind}})
			}
		}
	}
	runCases(t, loc, cases)
}

func FuzzGeneric(f *testing.F) {
	fuzzParser(f, "generic", func(u upload, loc *time.Location, uploaded time.Time) (Info, bool) {
		return parseGeneric(u, loc, uploaded), true
	})
}
