package layout

import (
	"testing"
	"time"
)

// dahuaRoots are the levels an installer and the device put before Dahua's
// own part: none, the serial number, a root, the serial number twice, deep
// roots with spaces and UTF-8, "./" and backslashes.
var dahuaRoots = []string{
	"",
	"4K0A5B3PAG12345/",
	"cam2drive/4K0A5B3PAG12345/",
	"cam2drive/4K0A5B3PAG12345/4K0A5B3PAG12345/",
	"/home/ftp/Client Ünïcode/site 2/nvr@entrée/4K0A5B3PAG12345/",
	"./cam2drive/4K0A5B3PAG12345/",
	`cam2drive\4K0A5B3PAG12345\`,
}

// dahuaCases are every Dahua path of NVR-UPLOADS.md, then the variants the
// spec asks to accept (other letters, .idx, reset clocks, UTF-8 names).
func dahuaCases(loc *time.Location) []pathCase {
	d := func(y, mo, dd, h, mi, s int) time.Time { return at(loc, y, mo, dd, h, mi, s, 0) }
	snap := func(ch int, t time.Time, ev Event, code string) Info {
		return want("dahua", ch, Snapshot, t, t, ev, code)
	}
	clip := func(ch int, s, e time.Time, ev Event, code string) Info {
		return want("dahua", ch, Clip, s, e, ev, code)
	}
	return []pathCase{
		// Seen.
		{"2019-05-09/001/jpg/06/07/27[M][0@0][0].jpg", snap(1, d(2019, 5, 9, 6, 7, 27), Motion, "M")},
		{"2023-08-03/001/jpg/08/25.03[M][0@0][0].jpg", snap(1, d(2023, 8, 3, 8, 25, 3), Motion, "M")},
		{"2018-10-17/pic_001/15.39.01[R][0@0][0].jpg", snap(1, d(2018, 10, 17, 15, 39, 1), Regular, "R")},
		{"2018-10-17/pic_001/15/15.39.01[M][0@0][0].jpg", snap(1, d(2018, 10, 17, 15, 39, 1), Motion, "M")},
		{"2018-07-09/001/dav/17/17.06.46-17.14.00[M][0@0][0].dav",
			clip(1, d(2018, 7, 9, 17, 6, 46), d(2018, 7, 9, 17, 14, 0), Motion, "M")},
		{"2019-05-09/001/dav/21/21.04.49-21.05.14[M][0@0][0].mp4",
			clip(1, d(2019, 5, 9, 21, 4, 49), d(2019, 5, 9, 21, 5, 14), Motion, "M")},
		{"2024-12-31/001/dav/23/23.59.59-00.00.30[M][0@0][0].dav",
			clip(1, d(2024, 12, 31, 23, 59, 59), d(2025, 1, 1, 0, 0, 30), Motion, "M")},
		{"Snapshot/2019-06-12_001_12.59.55-12.59.55[R][0@0][0].jpg", snap(1, d(2019, 6, 12, 12, 59, 55), Regular, "R")},
		{"001_20241002081011_[A][0@0][0].jpg", snap(1, d(2024, 10, 2, 8, 10, 11), Alarm, "A")},
		{"NVR_ch1_main_20230131000000_20230131010000.dav",
			clip(1, d(2023, 1, 31, 0, 0, 0), d(2023, 1, 31, 1, 0, 0), Unknown, "")},
		{"XVR_ch1_main_20260604130000_20260604135959.mp4",
			clip(1, d(2026, 6, 4, 13, 0, 0), d(2026, 6, 4, 13, 59, 59), Unknown, "")},

		// Variants.
		{"2024-05-01/016/jpg/12/00/00[I][0@0][1].jpg", snap(16, d(2024, 5, 1, 12, 0, 0), Intelligent, "I")},
		{"2024-05-01/pic_002/10.00.00[X][0@0][0].jpg", snap(2, d(2024, 5, 1, 10, 0, 0), Unknown, "X")},
		{"2024-05-01/004/dav/09/09.00.00-09.01.00[F][0@0][0].dav",
			clip(4, d(2024, 5, 1, 9, 0, 0), d(2024, 5, 1, 9, 1, 0), Manual, "F")},
		{"2024-05-01/001/dav/09/09.00.00-09.01.00[A][0@0][0].idx",
			want("dahua", 1, Index, d(2024, 5, 1, 9, 0, 0), d(2024, 5, 1, 9, 1, 0), Alarm, "A")},
		// The hour level is a bucket: the name wins when they disagree.
		{"2018-07-09/001/dav/16/17.06.46-17.14.00[M][0@0][0].dav",
			clip(1, d(2018, 7, 9, 17, 6, 46), d(2018, 7, 9, 17, 14, 0), Motion, "M")},
		{"2024-02-29/003/DAV/08/08.00.00-08.05.00[R][0@0][0].DAV",
			clip(3, d(2024, 2, 29, 8, 0, 0), d(2024, 2, 29, 8, 5, 0), Regular, "R")},
		{"2000-01-01/001/jpg/00/00/05[R][0@0][0].jpg", snap(1, d(2000, 1, 1, 0, 0, 5), Regular, "R")},
		{"2023-08-03/001/jpg/08/25/03.jpg", snap(1, d(2023, 8, 3, 8, 25, 3), Unknown, "")},
		{"2023-08-03/002/jpg/08/25/03[M][0@0][0].jpeg",
			snap(2, d(2023, 8, 3, 8, 25, 3), Motion, "M")},
		{"Caméra_Entrée_بوابة_ch12_sub_20240301101530_20240301102000.mp4",
			clip(12, d(2024, 3, 1, 10, 15, 30), d(2024, 3, 1, 10, 20, 0), Unknown, "")},
		{"NVR_ch2_main_20230131000000_20230131010000.idx",
			want("dahua", 2, Index, d(2023, 1, 31, 0, 0, 0), d(2023, 1, 31, 1, 0, 0), Unknown, "")},
		{"Snapshot/2019-06-12_003_23.59.50-00.00.10[R][0@0][0].dav",
			clip(3, d(2019, 6, 12, 23, 59, 50), d(2019, 6, 13, 0, 0, 10), Regular, "R")},
	}
}

func TestDahua(t *testing.T) {
	loc := mustLoc(t, "Africa/Tunis")
	var cases []pathCase
	for _, root := range dahuaRoots {
		for _, c := range dahuaCases(loc) {
			cases = append(cases, pathCase{root + c.path, c.want})
		}
	}
	runCases(t, loc, cases)
}

// A Dahua-looking path with an impossible time is not read as Dahua, but the
// file is still kept, at its upload time.
func TestDahuaImpossibleTimes(t *testing.T) {
	loc := mustLoc(t, "Africa/Tunis")
	up := uploadedAt.In(loc)
	untimed := func(ch int, kind Kind) Info {
		return Info{Brand: "generic", Channel: ch, Start: up, End: up, Event: Unknown, Kind: kind}
	}
	runCases(t, loc, []pathCase{
		{"cam2drive/SN/2024-13-01/001/jpg/06/07/27[M][0@0][0].jpg", untimed(0, Snapshot)},
		{"cam2drive/SN/2024-02-30/001/jpg/06/07/27[M][0@0][0].jpg", untimed(0, Snapshot)},
		{"cam2drive/SN/2024-01-01/001/jpg/25/07/27[M][0@0][0].jpg", untimed(0, Snapshot)},
		// Hour 24 ends the Dahua reading; the generic one still finds the start.
		{"cam2drive/SN/2024-01-01/001/dav/23/23.59.59-24.00.30[M][0@0][0].dav",
			Info{Brand: "generic", Start: at(loc, 2024, 1, 1, 23, 59, 59, 0), End: at(loc, 2024, 1, 1, 23, 59, 59, 0),
				Timed: true, Event: Unknown, Kind: Clip}},
		// A picture under dav/ or a clip under jpg/ is not a Dahua layout.
		{"cam2drive/SN/2024-01-01/001/jpg/06/07/27[M][0@0][0].dav", untimed(0, Clip)},
		// An export whose end precedes its start keeps the start only.
		{"NVR_ch1_main_20230131010000_20230131000000.dav",
			Info{Brand: "generic", Channel: 1, Start: at(loc, 2023, 1, 31, 1, 0, 0, 0),
				End: at(loc, 2023, 1, 31, 1, 0, 0, 0), Timed: true, Event: Unknown, Kind: Clip}},
	})
}

func FuzzDahua(f *testing.F) {
	fuzzParser(f, "dahua", func(u upload, loc *time.Location, _ time.Time) (Info, bool) {
		return parseDahua(u, loc)
	})
}
