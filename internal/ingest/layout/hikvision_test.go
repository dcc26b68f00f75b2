package layout

import (
	"testing"
	"time"
)

// hikvisionFolders are the configurable parent levels: none, device name and
// camera name, device IP and camera number with a date-range level whose
// date is wrong on purpose (the name must win).
var hikvisionFolders = []string{
	"",
	"cam2drive/DS-7608NI-K2/Camera 01/",
	"cam2drive/192.168.1.64/01/2018_11_23-2018_11_23/",
	"/Entrepôt Nord/NVR 3/",
}

// hikvisionCases are the Hikvision paths of NVR-UPLOADS.md, then every event
// word the parser maps and an unknown one.
func hikvisionCases(loc *time.Location) []pathCase {
	snap := func(ch int, t time.Time, ev Event, code string) Info {
		return want("hikvision", ch, Snapshot, t, t, ev, code)
	}
	cases := []pathCase{
		{"192.168.1.64_01_20190827095800502_MOTION_DETECTION.jpg", snap(1, at(loc, 2019, 8, 27, 9, 58, 0, 502), Motion, "MOTION_DETECTION")},
		{"10.4.100.111_01_20150619045051383_TIMING.jpg", snap(1, at(loc, 2015, 6, 19, 4, 50, 51, 383), Regular, "TIMING")},
		{"192.168.1.64_01_20181009163538868_FACE_DETECTION.jpg", snap(1, at(loc, 2018, 10, 9, 16, 35, 38, 868), Face, "FACE_DETECTION")},
		{"172.16.2.50_01_20220919225021474_TIMING.jpg", snap(1, at(loc, 2022, 9, 19, 22, 50, 21, 474), Regular, "TIMING")},
		{"192.168.1.64_03_20240301101530123_PLATE.jpg", snap(3, at(loc, 2024, 3, 1, 10, 15, 30, 123), Plate, "PLATE")},
		{"192.168.1.64_12_20240301101530000_SOMETHING_NEW_2.jpg", snap(12, at(loc, 2024, 3, 1, 10, 15, 30, 0), Unknown, "SOMETHING_NEW_2")},
		{"192.168.1.64_01_20240301101530999_motion_detection.JPG", snap(1, at(loc, 2024, 3, 1, 10, 15, 30, 999), Motion, "motion_detection")},
		{"192.168.1.64_02_20240301101530123_MOTION_DETECTION.mp4",
			want("hikvision", 2, Clip, at(loc, 2024, 3, 1, 10, 15, 30, 123), at(loc, 2024, 3, 1, 10, 15, 30, 123), Motion, "MOTION_DETECTION")},
	}
	for _, e := range []struct {
		code string
		ev   Event
	}{
		{"VEHICLE_DETECTION", Plate}, {"ANPR", Plate},
		{"LINE_CROSSING", LineCrossing}, {"LINE_DETECTION", LineCrossing},
		{"INTRUSION", Intrusion}, {"FIELD_DETECTION", Intrusion},
		{"REGION_ENTRANCE", RegionEntrance}, {"REGION_EXITING", RegionExit},
		{"SCENE_CHANGE", SceneChange}, {"PIR", PIR}, {"VCA", VCA},
		{"ALARM", Alarm}, {"ALARM_INPUT", Alarm}, {"IO", Alarm}, {"MANUAL", Manual},
	} {
		cases = append(cases, pathCase{"192.168.1.64_04_20240301101530123_" + e.code + ".jpg",
			snap(4, at(loc, 2024, 3, 1, 10, 15, 30, 123), e.ev, e.code)})
	}
	return cases
}

func TestHikvision(t *testing.T) {
	loc := mustLoc(t, "Africa/Tunis")
	var cases []pathCase
	for _, dir := range hikvisionFolders {
		for _, c := range hikvisionCases(loc) {
			cases = append(cases, pathCase{dir + c.path, c.want})
		}
	}
	runCases(t, loc, cases)
}

// A wrong time in a Hikvision name leaves the file untimed, but its event
// word still shows.
func TestHikvisionImpossibleTime(t *testing.T) {
	loc := mustLoc(t, "Africa/Tunis")
	up := uploadedAt.In(loc)
	runCases(t, loc, []pathCase{
		{"192.168.1.64_01_20191327095800502_MOTION_DETECTION.jpg",
			Info{Brand: "generic", Start: up, End: up, Event: Motion, Kind: Snapshot, EventCode: "MOTION"}},
		{"Camera 02/192.168.1.64_01_20190827255800502_TIMING.jpg",
			Info{Brand: "generic", Channel: 2, Start: up, End: up, Event: Regular, Kind: Snapshot, EventCode: "TIMING"}},
	})
}

func FuzzHikvision(f *testing.F) {
	fuzzParser(f, "hikvision", func(u upload, loc *time.Location, _ time.Time) (Info, bool) {
		return parseHikvision(u, loc)
	})
}
