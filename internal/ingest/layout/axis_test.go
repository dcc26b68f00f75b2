package layout

import (
	"testing"
	"time"
)

// axisCases: clips and images with hundredths of a second and the #n view.
func axisCases(loc *time.Location) []pathCase {
	t0 := at(loc, 2024, 3, 1, 10, 15, 30, 120)
	return []pathCase{
		{"video24-03-01_10-15-30-12_#1.mkv", want("axis", 1, Clip, t0, t0, Unknown, "")},
		{"image24-03-01_10-15-30-12_#1.jpg", want("axis", 1, Snapshot, t0, t0, Unknown, "")},
		{"cam2drive/axis-accc8e123456/20240301/10/video24-03-01_10-15-30-12_#2.mp4", want("axis", 2, Clip, t0, t0, Unknown, "")},
		{"/axis/Parking/video24-03-01_10-15-30-12.mkv", want("axis", 0, Clip, t0, t0, Unknown, "")},
		{"entree24-12-31_23-59-59-99_#4.jpg",
			want("axis", 4, Snapshot, at(loc, 2024, 12, 31, 23, 59, 59, 990), at(loc, 2024, 12, 31, 23, 59, 59, 990), Unknown, "")},
	}
}

func TestAxis(t *testing.T) {
	loc := mustLoc(t, "Africa/Tunis")
	runCases(t, loc, axisCases(loc))
}

func FuzzAxis(f *testing.F) {
	fuzzParser(f, "axis", func(u upload, loc *time.Location, _ time.Time) (Info, bool) {
		return parseAxis(u, loc)
	})
}
