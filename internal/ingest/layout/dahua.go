package layout

import (
	"regexp"
	"strings"
	"time"
)

// Dahua (and its OEMs: Amcrest, Lorex, Empire Tech, IMOU) names files in two
// families: a folder tree <date>/<channel>/<jpg|dav>/<time levels>/<name>
// under any number of root and serial-number levels, and a few flat names.
var (
	dahuaDay     = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	dahuaChannel = regexp.MustCompile(`^\d{3}$`)
	dahuaPic     = regexp.MustCompile(`^(?i:pic)_(\d{3})$`)
	dahuaTwo     = regexp.MustCompile(`^\d{2}$`)
	// The record-type tag: "[M][0@0][0]". Only the first bracket has a known meaning.
	dahuaTag  = regexp.MustCompile(`^(.*?)\[([A-Za-z])\](?:\[[^\[\]]*\])*$`)
	dahuaSpan = regexp.MustCompile(`^(\d{2})\.(\d{2})\.(\d{2})-(\d{2})\.(\d{2})\.(\d{2})$`)
	// <SN>/Snapshot/2019-06-12_001_12.59.55-12.59.55[R][0@0][0].jpg
	dahuaDated = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})_(\d{3})_(\d{2})\.(\d{2})\.(\d{2})-(\d{2})\.(\d{2})\.(\d{2})$`)
	// 001_20241002081011_[A][0@0][0].jpg
	dahuaFlat = regexp.MustCompile(`^(\d{3})_(\d{14})_?$`)
	// <DeviceName>_ch1_main_20230131000000_20230131010000.dav
	dahuaExport = regexp.MustCompile(`^(.+)_(?i:ch)(\d{1,3})_(?i:main|sub)\d?_(\d{14})_(\d{14})$`)
)

func parseDahua(u upload, loc *time.Location) (Info, bool) {
	body, code, tagged := dahuaSplitTag(u.stem)
	info, ok := dahuaTree(u, body, loc)
	if !ok {
		info, ok = dahuaNamed(u, body, tagged, loc)
	}
	if !ok {
		return Info{}, false
	}
	info.Event, info.EventCode = dahuaEvent(code), code
	return info, true
}

// dahuaSplitTag cuts "27[M][0@0][0]" into "27" and "M". Names without the
// tag are still read when the folder tree says Dahua; their event is unknown.
func dahuaSplitTag(stem string) (body, code string, tagged bool) {
	m := dahuaTag.FindStringSubmatch(stem)
	if m == nil {
		return stem, "", false
	}
	return m[1], m[2], true
}

// dahuaEvent maps the record-type letter. Firmwares add letters over time:
// any other letter is kept in EventCode and reported as unknown.
func dahuaEvent(code string) Event {
	switch strings.ToUpper(code) {
	case "R":
		return Regular
	case "M":
		return Motion
	case "A":
		return Alarm
	case "I":
		return Intelligent
	case "F":
		return Manual
	}
	return Unknown
}

// dahuaPlace is where the media level of the folder tree was found.
type dahuaPlace struct {
	at      int  // index of the media level in dirs
	clip    bool // "dav" (clips and their .idx) rather than "jpg"/"pic_NNN"
	channel int
	day     []string // year, month, day
}

// dahuaFind looks for the media level with its channel and date levels above
// it. Only the last three levels are searched: at most two time levels follow.
func dahuaFind(dirs []string) (dahuaPlace, bool) {
	for i := len(dirs) - 1; i >= 0 && i >= len(dirs)-3; i-- {
		d := dirs[i]
		if (strings.EqualFold(d, "jpg") || strings.EqualFold(d, "dav")) && i >= 2 &&
			dahuaChannel.MatchString(dirs[i-1]) && dahuaDay.MatchString(dirs[i-2]) {
			day := dahuaDay.FindStringSubmatch(dirs[i-2])[1:]
			return dahuaPlace{at: i, clip: strings.EqualFold(d, "dav"), channel: atoi(dirs[i-1]), day: day}, true
		}
		if m := dahuaPic.FindStringSubmatch(d); m != nil && i >= 1 && dahuaDay.MatchString(dirs[i-1]) {
			day := dahuaDay.FindStringSubmatch(dirs[i-1])[1:]
			return dahuaPlace{at: i, channel: atoi(m[1]), day: day}, true
		}
	}
	return dahuaPlace{}, false
}

// dahuaTree reads the folder-tree layouts.
func dahuaTree(u upload, body string, loc *time.Location) (Info, bool) {
	p, ok := dahuaFind(u.dirs)
	if !ok {
		return Info{}, false
	}
	levels := u.dirs[p.at+1:]
	for _, l := range levels {
		if !dahuaTwo.MatchString(l) {
			return Info{}, false
		}
	}
	y, mo, d := atoi(p.day[0]), atoi(p.day[1]), atoi(p.day[2])
	if p.clip {
		// dav/HH/HH.MM.SS-HH.MM.SS: the hour level is only a bucket; the name is trusted.
		if u.kind == Snapshot || len(levels) > 1 {
			return Info{}, false
		}
		return dahuaSpanInfo(u, p.channel, y, mo, d, body, loc)
	}
	if u.kind != Snapshot {
		return Info{}, false
	}
	h, mi, s, ok := dahuaSnapTime(levels, body)
	if !ok {
		return Info{}, false
	}
	start, ok := wallClock(loc, y, mo, d, h, mi, s, 0)
	if !ok {
		return Info{}, false
	}
	return timed("dahua", u, p.channel, start, start), true
}

// dahuaSnapTime joins the time levels below the media level with the dotted
// name. Firmwares split the time differently (HH/MM/SS, HH/MM.SS, HH.MM.SS,
// HH/HH.MM.SS), but the last three numbers are always hour, minute, second.
func dahuaSnapTime(levels []string, body string) (h, mi, s int, ok bool) {
	named := strings.Split(body, ".")
	if len(named) > 3 {
		return 0, 0, 0, false
	}
	parts := append(append([]string{}, levels...), named...)
	if len(parts) < 3 {
		return 0, 0, 0, false
	}
	for _, p := range named {
		if !dahuaTwo.MatchString(p) {
			return 0, 0, 0, false
		}
	}
	parts = parts[len(parts)-3:]
	return atoi(parts[0]), atoi(parts[1]), atoi(parts[2]), true
}

// dahuaSpanInfo reads "HH.MM.SS-HH.MM.SS" on the given day.
func dahuaSpanInfo(u upload, channel, y, mo, d int, body string, loc *time.Location) (Info, bool) {
	m := dahuaSpan.FindStringSubmatch(body)
	if m == nil {
		return Info{}, false
	}
	start, ok := wallClock(loc, y, mo, d, atoi(m[1]), atoi(m[2]), atoi(m[3]), 0)
	if !ok {
		return Info{}, false
	}
	end, ok := clipEnd(start, atoi(m[4]), atoi(m[5]), atoi(m[6]))
	if !ok {
		return Info{}, false
	}
	return timed("dahua", u, channel, start, end), true
}

// dahuaNamed reads the flat names, whose folders say nothing.
func dahuaNamed(u upload, body string, tagged bool, loc *time.Location) (Info, bool) {
	if m := dahuaDated.FindStringSubmatch(body); m != nil {
		return dahuaSpanInfo(u, atoi(m[4]), atoi(m[1]), atoi(m[2]), atoi(m[3]),
			m[5]+"."+m[6]+"."+m[7]+"-"+m[8]+"."+m[9]+"."+m[10], loc)
	}
	// Without its tag, "001_<time>" is too plain to be called Dahua.
	if m := dahuaFlat.FindStringSubmatch(body); m != nil && tagged {
		start, ok := stamp(m[2], loc)
		if !ok {
			return Info{}, false
		}
		return timed("dahua", u, atoi(m[1]), start, start), true
	}
	if m := dahuaExport.FindStringSubmatch(body); m != nil && !tagged {
		start, ok1 := stamp(m[3], loc)
		end, ok2 := stamp(m[4], loc)
		if !ok1 || !ok2 || end.Before(start) || end.Sub(start) > maxSpan {
			return Info{}, false
		}
		return timed("dahua", u, atoi(m[2]), start, end), true
	}
	return Info{}, false
}
