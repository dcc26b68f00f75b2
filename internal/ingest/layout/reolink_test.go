package layout

import (
	"testing"
	"time"
)

// reolinkCases: free-text device names (spaces, underscores, UTF-8) with the
// 0-based channel that users see 1-based.
func reolinkCases(loc *time.Location) []pathCase {
	snap := func(ch int, t time.Time) Info { return want("reolink", ch, Snapshot, t, t, Unknown, "") }
	clip := func(ch int, t time.Time) Info { return want("reolink", ch, Clip, t, t, Unknown, "") }
	return []pathCase{
		{"Front Door_00_20240301101530.jpg", snap(1, at(loc, 2024, 3, 1, 10, 15, 30, 0))},
		{"Reolink_Garage_Cam_03_20240301101530.mp4", clip(4, at(loc, 2024, 3, 1, 10, 15, 30, 0))},
		{"cam2drive/reolink/Café_Jardin_01_20241231235959.jpg", snap(2, at(loc, 2024, 12, 31, 23, 59, 59, 0))},
		{"cam2drive/reolink/RLN8-410/بوابة_15_20240301000000.mp4", clip(16, at(loc, 2024, 3, 1, 0, 0, 0, 0))},
		{`ftp\NVR\Back Yard [1]@home_00_20000101000000.jpg`, snap(1, at(loc, 2000, 1, 1, 0, 0, 0, 0))},
	}
}

func TestReolink(t *testing.T) {
	loc := mustLoc(t, "Africa/Tunis")
	runCases(t, loc, reolinkCases(loc))
}

func FuzzReolink(f *testing.F) {
	fuzzParser(f, "reolink", func(u upload, loc *time.Location, _ time.Time) (Info, bool) {
		return parseReolink(u, loc)
	})
}
