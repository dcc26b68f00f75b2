package layout

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the system's zone database
)

// uploadedAt is when the test files "arrived": files without a time in
// their path must show it.
var uploadedAt = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// pathCase is one upload path and what the user must see for it.
type pathCase struct {
	path string
	want Info
}

func at(loc *time.Location, y, mo, d, h, mi, s, ms int) time.Time {
	return time.Date(y, time.Month(mo), d, h, mi, s, ms*int(time.Millisecond), loc)
}

func want(brand string, ch int, kind Kind, start, end time.Time, ev Event, code string) Info {
	return Info{Brand: brand, Channel: ch, Start: start, End: end, Timed: true, Event: ev, Kind: kind, EventCode: code}
}

func runCases(t *testing.T, loc *time.Location, cases []pathCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			got, err := Parse(c.path, loc, uploadedAt)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.path, err)
			}
			assertInfo(t, c.path, got, c.want, loc)
		})
	}
}

func assertInfo(t *testing.T, path string, got, want Info, loc *time.Location) {
	t.Helper()
	if got.Brand != want.Brand || got.Channel != want.Channel || got.Timed != want.Timed ||
		got.Event != want.Event || got.Kind != want.Kind || got.EventCode != want.EventCode {
		t.Errorf("Parse(%q)\n got  %s ch=%d timed=%v event=%s(%q) kind=%s\n want %s ch=%d timed=%v event=%s(%q) kind=%s",
			path, got.Brand, got.Channel, got.Timed, got.Event, got.EventCode, got.Kind,
			want.Brand, want.Channel, want.Timed, want.Event, want.EventCode, want.Kind)
	}
	if !got.Start.Equal(want.Start) || !got.End.Equal(want.End) {
		t.Errorf("Parse(%q) span %s → %s, want %s → %s", path, got.Start, got.End, want.Start, want.End)
	}
	if got.Start.Location() != loc || got.End.Location() != loc {
		t.Errorf("Parse(%q) times in %s/%s, want the site's %s", path, got.Start.Location(), got.End.Location(), loc)
	}
}

func TestParseRejects(t *testing.T) {
	loc := mustLoc(t, "Africa/Tunis")
	for _, c := range []struct {
		path     string
		notMedia bool // false: refused as unsafe, not as a mere non-media file
	}{
		{"foo.txt", true},
		{"", true},
		{"/", true},
		{".", true},
		{"dir/", true},
		{`dir\`, true},
		{"cam2drive/4K0A5B3PAG12345/2019-05-09/001/jpg/06/07/", true},
		{"jpg", true},
		{"cam2drive/.jpg", true},
		{"video24-03-01_10-15-30-12_#1.mkv.part", true},
		{"4K0A5B3PAG12345/DVRWorkDirectory", true},
		{"../etc/passwd.jpg", false},
		{"a/../b.jpg", false},
		{`a\..\..\b.jpg`, false},
		{"cam2drive/../../x.dav", false},
		{"..", false},
	} {
		got, err := Parse(c.path, loc, uploadedAt)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", c.path, got)
			continue
		}
		if errors.Is(err, ErrNotMedia) != c.notMedia {
			t.Errorf("Parse(%q) error %v: errors.Is(ErrNotMedia) = %v, want %v", c.path, err, !c.notMedia, c.notMedia)
		}
	}
}

// Times in names are the recorder's wall clock: the instant depends on the
// site's zone, which a user sees as the right hour in the timeline.
func TestParseTimesAreSiteLocal(t *testing.T) {
	path := "cam2drive/4K0A5B3PAG12345/2019-05-09/001/jpg/06/07/27[M][0@0][0].jpg"
	tunis, err := Parse(path, mustLoc(t, "Africa/Tunis"), uploadedAt)
	if err != nil {
		t.Fatal(err)
	}
	if w := time.Date(2019, 5, 9, 5, 7, 27, 0, time.UTC); !tunis.Start.Equal(w) {
		t.Errorf("Tunis start %s, want %s", tunis.Start.UTC(), w)
	}
	paris, err := Parse(path, mustLoc(t, "Europe/Paris"), uploadedAt)
	if err != nil {
		t.Fatal(err)
	}
	if w := time.Date(2019, 5, 9, 4, 7, 27, 0, time.UTC); !paris.Start.Equal(w) {
		t.Errorf("Paris start %s, want %s", paris.Start.UTC(), w)
	}
	utc, err := Parse(path, nil, uploadedAt)
	if err != nil || utc.Start.Location() != time.UTC || utc.Start.Hour() != 6 {
		t.Errorf("nil location: %v %v, want 06:07:27 UTC", utc.Start, err)
	}
}

// Clips recorded across a DST change must show their real length.
func TestParseDSTDays(t *testing.T) {
	paris := mustLoc(t, "Europe/Paris")
	for _, c := range []struct {
		path string
		len  time.Duration
	}{
		// 31 March 2024: 02:00 CET becomes 03:00 CEST.
		{"4K0A5B3PAG12345/2024-03-31/001/dav/01/01.59.00-03.01.00[R][0@0][0].dav", 2 * time.Minute},
		// 27 October 2024: 03:00 CEST becomes 02:00 CET.
		{"4K0A5B3PAG12345/2024-10-27/001/dav/01/01.50.00-03.10.00[R][0@0][0].dav", 2*time.Hour + 20*time.Minute},
		{"NVR_ch2_main_20240331000000_20240331235959.dav", 23*time.Hour - time.Second},
		{"NVR_ch2_main_20241027000000_20241027235959.dav", 25*time.Hour - time.Second},
		{"4K0A5B3PAG12345/2024-10-26/001/dav/23/23.30.00-00.30.00[R][0@0][0].dav", time.Hour},
	} {
		got, err := Parse(c.path, paris, uploadedAt)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.path, err)
			continue
		}
		if d := got.End.Sub(got.Start); d != c.len {
			t.Errorf("Parse(%q) lasts %s, want %s", c.path, d, c.len)
		}
	}
	snap, err := Parse("192.168.1.64_01_20240331030000000_TIMING.jpg", paris, uploadedAt)
	if w := time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC); err != nil || !snap.Start.Equal(w) {
		t.Errorf("snapshot just after the spring change: %s %v, want %s", snap.Start.UTC(), err, w)
	}
}

// All the recorder paths of every table, to seed the fuzz targets.
func seedPaths() []string {
	var paths []string
	loc := time.UTC
	for _, cases := range [][]pathCase{
		dahuaCases(loc), hikvisionCases(loc), reolinkCases(loc), axisCases(loc), genericCases(loc),
	} {
		for _, c := range cases {
			paths = append(paths, c.path)
		}
	}
	return append(paths, "foo.txt", "../etc/passwd.jpg", "", "a/../b.jpg", "dir/", `a\b\c.dav`)
}

// fuzzParser checks what every caller relies on, whatever the path.
func fuzzParser(f *testing.F, brand string, parse func(u upload, loc *time.Location, uploaded time.Time) (Info, bool)) {
	fuzzPaths(f, brand, func(path string, loc *time.Location, uploaded time.Time) (Info, bool) {
		u, err := split(path)
		if err != nil {
			return Info{}, false
		}
		return parse(u, loc, uploaded)
	})
}

func fuzzPaths(f *testing.F, brand string, parse func(path string, loc *time.Location, uploaded time.Time) (Info, bool)) {
	for _, p := range seedPaths() {
		f.Add(p, uploadedAt.Unix())
	}
	loc := mustLoc(f, "Europe/Paris")
	f.Fuzz(func(t *testing.T, path string, unix int64) {
		info, ok := parse(path, loc, time.Unix(unix, 0))
		if !ok {
			return
		}
		if brand != "" && info.Brand != brand {
			t.Errorf("%q: brand %q from the %s parser", path, info.Brand, brand)
		}
		checkInvariants(t, path, info, loc)
	})
}

func checkInvariants(t *testing.T, path string, info Info, loc *time.Location) {
	t.Helper()
	if info.Kind != Snapshot && info.Kind != Clip && info.Kind != Index {
		t.Errorf("%q: kind %q", path, info.Kind)
	}
	if info.Channel < 0 {
		t.Errorf("%q: channel %d", path, info.Channel)
	}
	if info.End.Before(info.Start) || info.End.Sub(info.Start) >= 48*time.Hour {
		t.Errorf("%q: span %s → %s", path, info.Start, info.End)
	}
	if info.Start.Location() != loc {
		t.Errorf("%q: start in %s, want %s", path, info.Start.Location(), loc)
	}
	if info.Kind == Snapshot && !info.End.Equal(info.Start) {
		t.Errorf("%q: snapshot with a span %s → %s", path, info.Start, info.End)
	}
}

func FuzzParse(f *testing.F) {
	fuzzPaths(f, "", func(path string, loc *time.Location, uploaded time.Time) (Info, bool) {
		info, err := Parse(path, loc, uploaded)
		return info, err == nil
	})
}
